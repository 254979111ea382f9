"""Placeholder: being written (issue 2)."""

from __future__ import annotations

from ..document import Document
from ..pipeline import BaseStage, register


@register("dates")
class _Placeholder(BaseStage):
    def __call__(self, doc: Document) -> None:
        return None
