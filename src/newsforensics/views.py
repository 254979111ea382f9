"""Derived, read-only views of a Document that reports and the JSON include (not stored as
layers because they re-order or aggregate spans): the timeline, the speakers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .document import Document

View = Callable[[Document], Any]
VIEWS: dict[str, View] = {}


def view(name: str) -> Callable[[View], View]:
    def wrap(fn: View) -> View:
        VIEWS[name] = fn
        return fn

    return wrap
