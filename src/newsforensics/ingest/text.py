"""Placeholder: being written (issue 2)."""

from __future__ import annotations

from ..document import Document, Metadata


def read_text(text: str) -> Document:
    return Document(text, meta=Metadata(input_kind="text"))
