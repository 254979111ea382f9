"""Fixtures for the corpus tests: small hand-written documents with spans, no models."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsforensics.document import Document, Metadata


def make_doc(text: str, *, title: str | None = None, outlet: str | None = "example.org",
             published: str | None = "2019-03-04", language: str | None = "en",
             url: str | None = None, techniques: tuple[tuple[str, str], ...] = ()) -> Document:
    """A document as the light profile leaves it; ``techniques`` are (phrase, label) pairs."""
    full = f"{title}\n\n{text}" if title else text
    doc = Document(full, meta=Metadata(title=title, outlet=outlet, published=published,
                                       language=language, url=url, input_kind="text"))
    spans = []
    for phrase, label in techniques:
        start = full.index(phrase)
        spans.append(doc.span(start, start + len(phrase), label, stage="techniques", score=0.9))
    if spans:
        doc.add("techniques", spans)
    return doc


@pytest.fixture
def doc_factory() -> Callable[..., Document]:
    return make_doc
