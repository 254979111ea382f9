"""The contract between the corpus store and the indexes built on it (copies, stories, …).

Ingest is one loop: read → extract/analyse (parallel, pure, may run on Dask) → store → index.
A step has two parts. ``prepare(doc)`` reads what it needs of the analysed document where the
analysis ran (on a Dask worker: the signature, the cues, the claims with their embeddings), so
only those rows travel to the writer, never the Document. ``add(conn, item)`` is the sequential
part, in the writer. Indexing is sequential and incremental: each step (registered with
``@corpus_step``, listed in ``data/corpus_steps.toml``) sees every newly stored item once, in
ingest order, inside the transaction that stores it, and keeps its own tables: declared,
with their migrations, in ``corpus/schema/<step name>.py`` and created by the store. So an ingest
killed mid-run loses nothing and indexes nothing twice: the item and its index rows commit
together or not at all.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from ..declared import class_registrar, resolve
from ..document import Document

@dataclass(frozen=True, slots=True)
class StoredItem:
    """One item as the store holds it, with its dossier, handed to each index step."""

    item_id: int                # the store's rowid: stable, ingest order
    content_hash: str           # hash of the normalised clean text: the idempotency key
    url: str | None
    outlet: str | None          # a domain ("southfront.org") or a name, as the source gave it
    language: str | None        # ISO 639-1
    published: dt.date | None
    published_source: str | None  # where the date came from ("metadata", "inferred-from-text", …)
    title: str | None
    text: str                   # the clean text (headline, blank line, body)
    prepared: Mapping[str, Any]  # step name → what the step's prepare() read of the analysed document


class CorpusStep(Protocol):
    """An incremental index over the stored items."""

    name: str
    version: str

    def load(self, conn: sqlite3.Connection) -> None:
        """Rebuild in-memory state (e.g. an LSH index) from this step's tables, for resuming."""

    def prepare(self, doc: Document) -> Any:
        """What ``add`` needs of the analysed document (its layers depend on the ingest profile),
        picklable; runs where the analysis ran, so it reads neither the store nor the step's state."""

    def add(self, conn: sqlite3.Connection, item: StoredItem) -> None:
        """Index one new item; write only to this step's tables, do not commit."""


_STEPS: dict[str, type] = {}


# Class decorator: ``@corpus_step(name)`` makes an index step available to the store by ``name``
# (its module is listed, in run order, in data/corpus_steps.toml; a step may read the tables of
# those before it).
corpus_step = class_registrar(_STEPS, "corpus step")


def load_steps() -> list[CorpusStep]:
    """A fresh instance of every step of data/corpus_steps.toml, in order, each module imported
    on demand (the way stages, views and report sections are found)."""
    return [cls() for cls in resolve("data/corpus_steps.toml", "steps", _STEPS).values()]
