"""Fact-check tables in the corpus SQLite file: the imported fact-checks and their vectors.

They live beside the corpus (``corpus.store.Store``) so a dossier built from a corpus finds
earlier fact-checks without another file; the store creates and migrates the tables
(``corpus/schema/factchecks.py``). Vectors are stored with the encoder id that made them:
a pool imported under another encoder is re-embedded on load instead of mixing spaces.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..corpus.store import Store
from ..models import encoder
from .index import FactCheckIndex
from .records import FactCheck
from .vectors import pool_vectors

COLUMNS = ("id", "claim", "title", "subtitle", "text", "verdict", "url", "claimant", "published",
           "publisher", "language", "source")


@dataclass(frozen=True, slots=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged


def has_factchecks(conn: sqlite3.Connection) -> bool:
    """Whether this database holds any fact-check (False for a corpus without the tables)."""
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'factchecks'").fetchone()
    return bool(exists) and conn.execute("SELECT 1 FROM factchecks LIMIT 1").fetchone() is not None


def import_factchecks(db: Path, records: Iterable[FactCheck], *, batch: int = 256,
                      cache_dir: Path | None = None) -> ImportResult:
    """Insert or update fact-checks by id, embedding new and changed claims (through the
    embedding cache in ``cache_dir`` when one is given); one transaction a batch."""
    added = updated = unchanged = 0
    with Store(db) as store:
        store.ensure_tables("factchecks")
        chunk: list[FactCheck] = []
        for record in records:
            chunk.append(record)
            if len(chunk) >= batch:
                a, u, n = _import_batch(store, chunk, cache_dir)
                added, updated, unchanged, chunk = added + a, updated + u, unchanged + n, []
        if chunk:
            a, u, n = _import_batch(store, chunk, cache_dir)
            added, updated, unchanged = added + a, updated + u, unchanged + n
    return ImportResult(added, updated, unchanged)


def _import_batch(store: Store, records: list[FactCheck], cache_dir: Path | None
                  ) -> tuple[int, int, int]:
    unique = list({r.id: r for r in records}.values())  # the last occurrence of an id wins
    conn = store.conn
    marks = ",".join("?" * len(unique))
    old = {row["id"]: tuple(row[c] for c in COLUMNS[1:]) for row in conn.execute(
        f"SELECT {', '.join(COLUMNS)} FROM factchecks WHERE id IN ({marks})", [r.id for r in unique])}
    changed = [r for r in unique if old.get(r.id) != tuple(_row(r)[1:])]
    if changed:
        claim_vectors, title_vectors = pool_vectors(changed, cache_dir)
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    with store.transaction():
        for i, r in enumerate(changed):
            conn.execute(
                f"INSERT INTO factchecks ({', '.join(COLUMNS)}, extra_json, imported_at) "
                f"VALUES ({','.join('?' * (len(COLUMNS) + 2))}) ON CONFLICT(id) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in (*COLUMNS[1:], "extra_json", "imported_at")),
                (*_row(r), json.dumps(r.extra, ensure_ascii=False), now))
            conn.execute("INSERT OR REPLACE INTO factcheck_vectors (id, model, claim, title) VALUES (?,?,?,?)",
                         (r.id, encoder.MODEL_ID, claim_vectors[i].tobytes(), title_vectors[i].tobytes()))
    added = sum(1 for r in changed if r.id not in old)
    return added, len(changed) - added, len(unique) - len(changed) + (len(records) - len(unique))


def _row(r: FactCheck) -> tuple[object, ...]:
    return tuple(getattr(r, c) if c in ("id", "claim") else (getattr(r, c) or _empty(c)) for c in COLUMNS)


def _empty(column: str) -> str | None:
    return "" if column in ("title", "subtitle", "text") else None


def load_factchecks(conn: sqlite3.Connection) -> list[FactCheck]:
    rows = conn.execute(f"SELECT {', '.join(COLUMNS)}, extra_json FROM factchecks ORDER BY id")
    return [FactCheck(**{c: row[i] for i, c in enumerate(COLUMNS)}, extra=json.loads(row[-1]))
            for row in rows]


def load_index(db: Path) -> FactCheckIndex | None:
    """The retrieval index over a database's fact-checks; None when it holds none."""
    conn = Store.connect(db)
    try:
        if not has_factchecks(conn):
            return None
        pool = load_factchecks(conn)
        vectors = {row[0]: (row[1], row[2]) for row in conn.execute(
            "SELECT id, claim, title FROM factcheck_vectors WHERE model = ?", (encoder.MODEL_ID,))}
    finally:
        conn.close()
    if any(fc.id not in vectors for fc in pool):  # imported under another encoder: embed again
        return FactCheckIndex(pool)
    claim = np.stack([np.frombuffer(vectors[fc.id][0], dtype=np.float32) for fc in pool])
    title = np.stack([np.frombuffer(vectors[fc.id][1], dtype=np.float32) for fc in pool])
    return FactCheckIndex(pool, claim_vectors=claim, title_vectors=title)
