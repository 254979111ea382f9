"""Derived, read-only views of a Document that reports and the JSON include (not stored as
layers because they re-order or aggregate spans): the timeline, the speakers.

Which module provides which view is data (``data/views.toml``), read when the first dossier is
serialised: serialize needs no import of the stages, so the import graph stays acyclic.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from .declared import resolve
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
    return resolve("data/views.toml", "views", VIEWS)
