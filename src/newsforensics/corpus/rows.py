"""An analysed document as the rows the store writes: computed where the analysis ran.

On Dask the workers build these (the dossier JSON, compressed; one tuple per span and per stage
run; what each index step reads of the document, such as the MinHash signature, the story cues
and vector, the outlet's fingerprint, the claims with their embeddings), so only rows travel to
the single writer and it does no per-item analysis: it inserts, and runs the index steps' short
sequential part (LSH look-ups, story assignment) on what they prepared.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..document import Document
from ..serialize import to_dict
from .queries import iso_date
from .steps import CorpusStep

_SPACE = re.compile(r"\s+")


def content_hash(doc: Document) -> str:
    """The idempotency key of an item: its normalised clean text and where it was published.

    The outlet and URL are part of the key on purpose: a verbatim copy on another site is a
    different item (the republication index links it to the original), while the same article
    ingested twice, or re-encoded or re-spaced, is the same item.
    """
    text = _SPACE.sub(" ", unicodedata.normalize("NFKC", doc.text)).strip().casefold()
    meta = doc.meta
    key = "\x1f".join((meta.url or "", (meta.outlet or "").casefold(), text))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ItemRows:
    """Everything the store writes for one new item (``put_rows``), picklable and compact."""

    content_hash: str
    url: str | None
    outlet: str | None
    language: str | None
    published: str | None          # ISO day or None
    published_source: str | None
    title: str | None
    source: str | None             # the input it was read from
    text: str
    dossier: bytes                 # zlib(JSON of serialize.to_dict)
    spans: list[tuple[Any, ...]]   # (layer, span_id, start, end, label, score, stage, text, attrs_json)
    stages: list[tuple[Any, ...]]  # (stage, version, model, status): the last run of each stage
    prepared: dict[str, Any]       # index step name → what its prepare() read of the document


def dossier_blob(doc: Document) -> bytes:
    return zlib.compress(json.dumps(to_dict(doc), ensure_ascii=False).encode("utf-8"), 6)


def span_rows(doc: Document, layers: Sequence[str]) -> list[tuple[Any, ...]]:
    return [(layer, s.id, s.start, s.end, s.label, s.score, s.stage, s.text,
             json.dumps(s.attrs, ensure_ascii=False, default=str))
            for layer in layers for s in doc.layers.get(layer, [])]


def stage_rows(doc: Document) -> list[tuple[Any, ...]]:
    latest = {run.name: run for run in doc.stage_runs}
    return [(r.name, r.version, r.model, r.status) for r in latest.values()]


def item_rows(doc: Document, steps: Sequence[CorpusStep]) -> ItemRows:
    """The rows of one analysed document, with each index step's prepared part."""
    meta = doc.meta
    return ItemRows(
        content_hash(doc), meta.url, meta.outlet, meta.language, iso_date(meta.published),
        meta.published_source, meta.title, meta.source_name, doc.text, dossier_blob(doc),
        span_rows(doc, list(doc.layers)), stage_rows(doc),
        {step.name: step.prepare(doc) for step in steps if hasattr(step, "prepare")},
    )
