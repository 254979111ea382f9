"""The parallel part of ingest: raw records in, analysed documents out (pure, picklable).

A batch of records is one task, on this process or a Dask worker: extraction (``ingest.load``,
with the outlet from the URL and an unreadable date dropped) and then the profile's Pipeline —
a named list of registered stages in ``data/pipelines.toml``, the same stages an article runs
through (the corpus adds three: ``corpus-cues``, ``minhash``, ``story-embedding``, whose results
the index steps read) — and then the rows the store writes (``rows.item_rows``: the dossier
JSON, span and stage rows, each index step's prepared part, such as claim embeddings). Only those
rows go back to the single writer, which inserts them and runs the steps' sequential part.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from ..document import Document
from ..errors import InputError
from ..ingest import load
from ..ingest.corpus_readers import BadRecord, RawRecord
from ..pipeline import Pipeline, catalogue
from ..pipeline import profile as stages_of
from .rows import ItemRows, item_rows
from .steps import CorpusStep, load_steps

PROFILES: tuple[str, ...] = tuple(catalogue()["ingest"]["profiles"])
DEFAULT_PROFILE: str = catalogue()["ingest"]["default"]


@dataclass(frozen=True, slots=True)
class Analysed:
    """One record ready to store: the rows of its analysed document."""

    record_hash: str
    where: str
    rows: ItemRows


def check_profile(profile: str) -> None:
    if profile not in PROFILES:
        raise InputError(f"unknown analysis profile {profile!r}; use one of {', '.join(PROFILES)}")


@lru_cache(maxsize=len(PROFILES))
def profile_pipeline(profile: str) -> Pipeline:
    """The Pipeline of an ingest profile, built once per process (per Dask worker)."""
    check_profile(profile)
    return Pipeline(stages_of(profile))


@lru_cache(maxsize=1)
def index_steps() -> list[CorpusStep]:
    """The store's index steps, for their prepare() part (once per process / Dask worker)."""
    return load_steps()


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


def analyse_batch(records: list[RawRecord | BadRecord], profile: str = DEFAULT_PROFILE) -> list[Analysed | BadRecord]:
    """Analyse one batch; a record that cannot be read comes back as a BadRecord, in place."""
    pipeline = profile_pipeline(profile)
    out: list[Analysed | BadRecord | tuple[RawRecord, Document]] = []
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
        out.append((record, doc))
        docs.append(doc)
    list(pipeline.pipe(docs))  # in place: the documents of ``out`` are analysed
    steps = index_steps()
    return [Analysed(r[0].record_hash, r[0].where, item_rows(r[1], steps)) if isinstance(r, tuple) else r
            for r in out]
