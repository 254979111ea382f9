"""Derived, read-only views of a Document that reports and the JSON include (not stored as
layers because they re-order or aggregate spans): the timeline, the speakers.

Which module provides which view is data (``data/views.toml``), read when the first dossier is
serialised: serialize needs no import of the stages, so the import graph stays acyclic.
"""

from __future__ import annotations

import importlib
import tomllib
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from typing import Any

from .document import Document

View = Callable[[Document], Any]
VIEWS: dict[str, View] = {}


def view(name: str) -> Callable[[View], View]:
    """Register ``fn`` as the view ``name`` (its module must be listed in data/views.toml)."""

    def wrap(fn: View) -> View:
        VIEWS[name] = fn
        return fn

    return wrap


@lru_cache(maxsize=1)
def all_views() -> dict[str, View]:
    """Every view of data/views.toml, in its order, its providing module imported on demand."""
    table = tomllib.loads(resources.files("newsforensics").joinpath("data/views.toml").read_text("utf-8"))
    out: dict[str, View] = {}
    for name, module in table["views"].items():
        if name not in VIEWS:
            importlib.import_module(module)
        if name not in VIEWS:
            raise LookupError(f"data/views.toml names the view {name!r} in {module}, which does not register it")
        out[name] = VIEWS[name]
    return out
