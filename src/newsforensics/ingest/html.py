"""Placeholder: being written (issue 2)."""

from __future__ import annotations

from ..document import Document, Metadata


def read_html(html: str) -> Document:
    import trafilatura

    text = trafilatura.extract(html) or ""
    return Document(text, raw=html, meta=Metadata(input_kind="html"))
