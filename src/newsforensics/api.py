"""The library entry points: extract, analyze one item, analyze many (batched).

``hints`` are what the caller knows about the item and wins over what is read from it:
``kind`` ("auto" | "html" | "text" | "json"), ``url``, ``published``, ``title``, ``outlet``,
``language``, ``source_name`` (see :func:`newsforensics.ingest.load`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from .document import Document
from .ingest import load
from .pipeline import Pipeline


@lru_cache(maxsize=2)
def default_pipeline(all_candidates: bool = False) -> Pipeline:
    """The full single-article pipeline, built once per process (models load lazily).
    ``all_candidates`` also keeps the technique fragments below the operating point, in the
    ``technique_candidates`` layer."""
    return Pipeline(options={"techniques": {"all_candidates": True}} if all_candidates else None)


def extract(raw: bytes | str, **hints: Any) -> Document:
    """Only the extraction step: clean body, metadata, removed boilerplate."""
    return load(raw, **hints)


def analyze(raw: bytes | str, *, pipeline: Pipeline | None = None, all_candidates: bool = False,
            **hints: Any) -> Document:
    """Extract one raw item and run the pipeline on it: the dossier as a Document
    (``all_candidates``: see :func:`default_pipeline`; ignored when ``pipeline`` is given)."""
    return (pipeline or default_pipeline(all_candidates))(load(raw, **hints))


def analyze_many(docs: Iterable[Document], pipeline: Pipeline | None = None) -> Iterator[Document]:
    """Run the pipeline over already-extracted documents in batches (the fast path)."""
    return (pipeline or default_pipeline()).pipe(docs)
