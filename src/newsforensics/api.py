"""The library entry points: extract, analyze one item, analyze many (batched)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from .document import Document
from .ingest import load
from .pipeline import Pipeline


@lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    """The full single-article pipeline, built once per process (models load lazily)."""
    return Pipeline()


def extract(
    raw: bytes | str,
    *,
    kind: str = "auto",
    url: str | None = None,
    published: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    language: str | None = None,
    source_name: str | None = None,
) -> Document:
    """Only the extraction step: clean body, metadata, removed boilerplate."""
    return load(
        raw, kind=kind, url=url, published=published, title=title, outlet=outlet,
        language=language, source_name=source_name,
    )


def analyze(
    raw: bytes | str,
    *,
    kind: str = "auto",
    url: str | None = None,
    published: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    language: str | None = None,
    source_name: str | None = None,
    pipeline: Pipeline | None = None,
) -> Document:
    """Extract one raw item and run the pipeline on it: the dossier as a Document."""
    doc = extract(
        raw, kind=kind, url=url, published=published, title=title, outlet=outlet,
        language=language, source_name=source_name,
    )
    return (pipeline or default_pipeline())(doc)


def analyze_many(docs: Iterable[Document], pipeline: Pipeline | None = None) -> Iterator[Document]:
    """Run the pipeline over already-extracted documents in batches (the fast path)."""
    return (pipeline or default_pipeline()).pipe(docs)
