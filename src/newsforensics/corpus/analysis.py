"""The parallel part of ingest: raw records in, analysed documents out (pure, picklable).

A batch of records is one task, on this process or a Dask worker: extraction (``ingest.load``),
language, the cheap cross-language cues, and, by profile, the MiniLM embedding of the headline
and lead and the whole single-article pipeline. The MinHash signature the republication index
needs is computed here too, so the sequential writer only stores and indexes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..api import default_pipeline
from ..document import Document
from ..errors import InputError
from ..ingest import load
from ..ingest.corpus_readers import BadRecord, RawRecord
from ..stages.language import identify
from . import cues
from .republication import signature
from .settings import EMBEDDING_KEY, SIGNATURE_KEY, settings

PROFILES = tuple(settings()["profiles"])
DEFAULT_PROFILE = "minimal"  # meets ≥ 50 items/s per core; "light" adds MiniLM at ~14 (docs/corpus.md)


@dataclass(frozen=True, slots=True)
class Analysed:
    """One record ready to store."""

    record_hash: str
    where: str
    doc: Document


def profile_settings(profile: str) -> dict[str, Any]:
    table = settings()["profiles"]
    if profile not in table:
        raise InputError(f"unknown analysis profile {profile!r}; use one of {', '.join(PROFILES)}")
    return table[profile]


def outlet_of(url: str | None) -> str | None:
    """The site of a URL as an outlet name ("www.rt.com/news/…" → "rt.com")."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def _extract(record: RawRecord) -> Document:
    doc = load(record.payload, kind=record.kind, source_name=record.where, **record.hints)
    meta = doc.meta
    meta.outlet = meta.outlet or outlet_of(meta.canonical_url or meta.url)
    if meta.published and _iso_day(meta.published) is None:
        doc.warn("published-unreadable", f"the publication date {meta.published!r} is not an ISO date; "
                 "the item is stored without one", "corpus")
        meta.published = None
    return doc


def _iso_day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _language(doc: Document) -> None:
    if doc.meta.language:
        return
    sample = doc.text[:settings()["cues"]["language_sample_chars"]]
    if sample.strip():
        doc.meta.language, score = identify(sample)
        doc.meta.language_score = round(score, 4)


def embedding_text(doc: Document) -> str:
    """What stories embed: the headline and lead (the clean text starts with the headline)."""
    return doc.text[:settings()["cues"]["embed_chars"]]


def analyse_batch(records: list[RawRecord | BadRecord], profile: str = DEFAULT_PROFILE) -> list[Analysed | BadRecord]:
    """Analyse one batch; a record that cannot be read comes back as a BadRecord, in place."""
    options = profile_settings(profile)
    out: list[Analysed | BadRecord] = []
    docs: list[Document] = []
    for record in records:
        if isinstance(record, BadRecord):
            out.append(record)
            continue
        try:
            doc = _extract(record)
        except InputError as exc:
            out.append(BadRecord(record.source, record.locator, str(exc)))
            continue
        if not doc.text.strip():
            out.append(BadRecord(record.source, record.locator, "no article body was found"))
            continue
        out.append(Analysed(record.record_hash, record.where, doc))
        docs.append(doc)
    if options["pipeline"]:
        docs = list(default_pipeline().pipe(docs))
    for doc in docs:
        _language(doc)
        cues.annotate(doc)
        doc.cache[SIGNATURE_KEY] = signature(doc.text)
    if options["embed"] and docs:
        from ..models.encoder import encode

        vectors = encode([embedding_text(d) for d in docs],
                         max_tokens=settings()["cues"]["embed_max_tokens"])
        for doc, vector in zip(docs, vectors):
            doc.cache[EMBEDDING_KEY] = vector
    return out
