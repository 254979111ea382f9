"""Republication: who copied whom. MinHash LSH over word shingles of the clean text.

Each item's text (boilerplate already removed by extraction) becomes a set of word 5-grams and a
MinHash signature; an LSH index finds earlier items whose signatures are close. For each found
pair the share of shared text is estimated from the signatures and the shingle counts (the
shorter text's share found in the other), and the pair is ``verbatim`` or ``rewritten``. Pairs
are directed by publication date (the earlier is the original); when the dates tie or one is
missing the pair says so (``same-day`` / ``undated``) instead of guessing. Pairs join into
chains (connected groups), listed by time with their first publisher when it can be told.
"""

from __future__ import annotations

import json
import re
import sqlite3
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from ..document import Document
from ..pipeline import BaseStage, register
from .settings import SIGNATURE_KEY, settings
from .steps import StoredItem, corpus_step

_WORD = re.compile(r"\w+")


def _config() -> dict[str, Any]:
    return settings()["republication"]


def shingles(text: str, size: int | None = None) -> set[str]:
    """Word n-grams of the case-folded text (punctuation and spacing do not matter)."""
    size = size or _config()["shingle_words"]
    words = _WORD.findall(text.casefold())
    return {" ".join(words[i:i + size]) for i in range(max(0, len(words) - size + 1))}


_MASK32 = np.uint64(0xFFFFFFFF)
_FNV64 = np.uint64(0x100000001B3)
_FNV = np.uint64(0x01000193)
_SHIFT = np.uint64(32)


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """The fixed random hash functions of the signature: multiply-add-shift, (a·h + b) mod 2⁶⁴
    keeping the high 32 bits (a odd), a universal family without a slow modulo."""
    rng = np.random.default_rng(1)
    a = rng.integers(0, 1 << 63, num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    return a[:, None], rng.integers(0, 1 << 63, num_perm, dtype=np.uint64)[:, None]


def shingle_hashes(text: str, size: int) -> np.ndarray:
    """32-bit hashes of the distinct word n-grams, computed from per-word CRC32s in numpy
    (hashing each n-gram string in Python was most of the ingest time)."""
    words = _WORD.findall(text.casefold())
    if len(words) < size:
        return np.zeros(0, dtype=np.uint64)
    word_hashes = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))
    count = len(words) - size + 1
    hashes = word_hashes[:count].copy()
    for k in range(1, size):
        hashes = ((hashes * _FNV) ^ word_hashes[k:k + count]) & _MASK32
    return np.unique(hashes)


def signature(text: str) -> tuple[int, np.ndarray] | None:
    """(shingle count, MinHash signature as uint32) of a text; None if too short to compare."""
    cfg = _config()
    hashes = shingle_hashes(text, cfg["shingle_words"])
    if len(hashes) < cfg["min_shingles"]:
        return None
    a, b = _permutations(cfg["num_perm"])
    with np.errstate(over="ignore"):  # wrapping mod 2⁶⁴ is the point
        values = (a * hashes[None, :] + b) >> _SHIFT
    return len(hashes), values.min(axis=1).astype(np.uint32)


@lru_cache(maxsize=4)
def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) that datasketch's MinHashLSH picks for the threshold (equal weight
    to false positives and negatives): 28 × 2 for 0.2 and 128 permutations."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


@register("minhash")
class MinHashStage(BaseStage):
    """The item's MinHash signature, computed where the analysis runs (a Dask worker, in
    parallel) and kept in ``Document.cache`` for the copy index, so the one writer only indexes."""

    version = "1"
    keeps = (SIGNATURE_KEY,)

    @property
    def model(self) -> str | None:
        cfg = _config()
        return f"minhash-{cfg['num_perm']}x{cfg['shingle_words']}-words"

    def __call__(self, doc: Document) -> None:
        doc.cache[SIGNATURE_KEY] = signature(doc.text)


def shared_share(n_a: int, n_b: int, jaccard: float) -> float:
    """Share of the shorter text's shingles found in the other, from their Jaccard estimate."""
    if jaccard <= 0:
        return 0.0
    shared = jaccard * (n_a + n_b) / (1 + jaccard)
    return min(1.0, shared / min(n_a, n_b))




@corpus_step("copies")
class CopyStep:
    """The incremental republication index: LSH bands in a table, so memory stays flat however
    large the corpus (an in-memory LSH grew the ingest to 1 GB at 100k items)."""

    version = "2"

    def __init__(self) -> None:
        cfg = _config()
        self._bands, self._rows = lsh_bands(cfg["lsh_threshold"], cfg["num_perm"])

    def load(self, conn: sqlite3.Connection) -> None:
        """Band the signatures a version-1 index (an in-memory LSH) left without bands."""
        if conn.execute("SELECT 1 FROM copy_bands LIMIT 1").fetchone() is not None:
            return
        rows = conn.execute("SELECT item_id, signature FROM copy_signatures").fetchall()
        if not rows:
            return
        conn.execute("SAVEPOINT copy_bands")  # one transaction, not one per row
        conn.executemany("INSERT OR IGNORE INTO copy_bands VALUES (?, ?, ?)",
                         [band for item_id, blob in rows
                          for band in self._band_rows(item_id, np.frombuffer(blob, dtype=np.uint32))])
        conn.execute("RELEASE copy_bands")

    def _keys(self, values: np.ndarray) -> list[int]:
        """One 64-bit key per band of ``rows`` hash values (FNV-style fold, as signed int64)."""
        bands = values[: self._bands * self._rows].astype(np.uint64).reshape(self._bands, self._rows)
        keys = bands[:, 0].copy()
        with np.errstate(over="ignore"):
            for column in range(1, self._rows):
                keys = (keys * _FNV64) ^ bands[:, column]
        return keys.view(np.int64).tolist()

    def _band_rows(self, item_id: int, values: np.ndarray) -> list[tuple[int, int, int]]:
        return [(band, key, item_id) for band, key in enumerate(self._keys(values))]

    def _candidates(self, conn: sqlite3.Connection, values: np.ndarray) -> list[tuple[int, int, np.ndarray]]:
        """Stored items sharing a band with these values: (item_id, shingles, signature)."""
        keys = self._keys(values)
        marks = ",".join("(?, ?)" for _ in keys)
        return [(item_id, count, np.frombuffer(blob, dtype=np.uint32)) for item_id, count, blob in conn.execute(
            f"WITH q(band, key) AS (VALUES {marks}) SELECT s.item_id, s.shingles, s.signature FROM copy_signatures s"
            " WHERE s.item_id IN (SELECT c.item_id FROM q JOIN copy_bands c ON c.band = q.band AND c.key = q.key)",
            [v for band, key in enumerate(keys) for v in (band, key)])]

    def prepare(self, doc: Document) -> tuple[int, np.ndarray] | None:
        """The MinHash signature (the minhash stage's, else computed here)."""
        return doc.cache.get(SIGNATURE_KEY) or signature(doc.text)

    def add(self, conn: sqlite3.Connection, item: StoredItem) -> None:
        found = item.prepared[self.name]
        if found is None:
            return
        count, values = found
        cfg = _config()
        pairs = []
        for other, other_count, other_values in self._candidates(conn, values):
            jaccard = float(np.mean(values == other_values))
            share = shared_share(count, other_count, jaccard)
            if share >= cfg["min_share"]:
                pairs.append((other, share, jaccard))
        conn.execute("INSERT OR REPLACE INTO copy_signatures VALUES (?, ?, ?)",
                     (item.item_id, count, values.astype(np.uint32).tobytes()))
        conn.executemany("INSERT OR IGNORE INTO copy_bands VALUES (?, ?, ?)", self._band_rows(item.item_id, values))
        if pairs:
            self._link(conn, item, pairs, cfg["verbatim_share"])

    def _link(self, conn: sqlite3.Connection, item: StoredItem, pairs: list[tuple[int, float, float]],
              verbatim_share: float) -> None:
        others = {r[0]: r[1] for r in conn.execute(
            f"SELECT item_id, published FROM items WHERE item_id IN ({','.join('?' * len(pairs))})",
            [p[0] for p in pairs])}
        mine = item.published.isoformat() if item.published else None
        for other, share, jaccard in pairs:
            theirs = others.get(other)
            if mine and theirs:
                direction = "same-day" if mine == theirs else "dated"
                original, copy = (item.item_id, other) if mine < theirs else (other, item.item_id)
            else:
                direction, original, copy = "undated", other, item.item_id
            kind = "verbatim" if share >= verbatim_share else "rewritten"
            conn.execute("INSERT OR REPLACE INTO copy_pairs VALUES (?, ?, ?, ?, ?, ?)",
                         (original, copy, round(share, 4), round(jaccard, 4), kind, direction))
        members = [item.item_id] + [p[0] for p in pairs]
        chains = {r[0] for r in conn.execute(
            f"SELECT chain_id FROM copy_chains WHERE item_id IN ({','.join('?' * len(members))})", members)}
        chain_id = min(chains | set(members))
        if chains:
            conn.execute(f"UPDATE copy_chains SET chain_id = ? WHERE chain_id IN ({','.join('?' * len(chains))})",
                         [chain_id, *chains])
        conn.executemany("INSERT OR REPLACE INTO copy_chains VALUES (?, ?)", [(m, chain_id) for m in members])


# --- reading ---------------------------------------------------------------------------------

PAIR_SQL = """
SELECT p.original_id, p.copy_id, p.share, p.jaccard, p.kind, p.direction,
       a.outlet AS original_outlet, a.published AS original_published, a.title AS original_title,
       b.outlet AS copy_outlet, b.published AS copy_published, b.title AS copy_title
FROM copy_pairs p JOIN items a ON a.item_id = p.original_id JOIN items b ON b.item_id = p.copy_id
"""


def has_index(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'copy_pairs'").fetchone() is not None


def copy_pairs(conn: sqlite3.Connection, *, item_id: int | None = None, outlet: str | None = None,
               kind: str | None = None, sources_among: Sequence[int] | None = None,
               limit: int | None = None, offset: int = 0) -> Iterator[dict[str, Any]]:
    """Copy pairs (original → copy) with both sides' outlet, date and title, strongest first.

    ``sources_among`` (one page of a story) keeps, for each copy among those items, only its
    strongest source among them: a story of n mutual copies has n² pairs but n edges to draw."""
    if not has_index(conn):
        return iter(())
    clauses, params = ["1"], []
    if item_id is not None:
        clauses.append("(p.original_id = ? OR p.copy_id = ?)")
        params += [item_id, item_id]
    if sources_among is not None:
        ids = json.dumps([int(i) for i in sources_among])
        clauses.append("(p.original_id, p.copy_id) IN (SELECT original_id, copy_id FROM (SELECT q.original_id,"
                       " q.copy_id, row_number() OVER (PARTITION BY q.copy_id ORDER BY q.share DESC,"
                       " q.original_id) AS rank FROM copy_pairs q WHERE q.copy_id IN (SELECT value FROM"
                       " json_each(?)) AND q.original_id IN (SELECT value FROM json_each(?))) WHERE rank = 1)")
        params += [ids, ids]
    if outlet:
        clauses.append("(a.outlet = ? OR b.outlet = ?)")
        params += [outlet, outlet]
    if kind:
        clauses.append("p.kind = ?")
        params.append(kind)
    sql = f"{PAIR_SQL} WHERE {' AND '.join(clauses)} ORDER BY p.share DESC, p.original_id, p.copy_id"
    sql += " LIMIT ? OFFSET ?"
    params += [-1 if limit is None else limit, offset]
    return (dict(r) for r in conn.execute(sql, params))


@dataclass
class Chain:
    """A group of items linked by copying, ordered by publication time."""

    chain_id: int
    items: list[dict[str, Any]] = field(default_factory=list)  # item_id, outlet, published, title, copied_from
    first_publisher: int | None = None
    note: str | None = None  # why the first publisher is not told, or what is uncertain

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def copy_chains(conn: sqlite3.Connection, *, outlet: str | None = None, limit: int | None = None,
                offset: int = 0) -> Iterator[Chain]:
    """Copy chains, largest first; each lists its items by time and its first publisher."""
    if not has_index(conn):
        return
    where, params = "", []
    if outlet:
        where = ("WHERE c.chain_id IN (SELECT c2.chain_id FROM copy_chains c2 JOIN items i2 "
                 "ON i2.item_id = c2.item_id WHERE i2.outlet = ?)")
        params.append(outlet)
    rows = conn.execute(f"SELECT c.chain_id, count(*) AS n FROM copy_chains c {where} GROUP BY c.chain_id "
                        "ORDER BY n DESC, c.chain_id LIMIT ? OFFSET ?",
                        [*params, -1 if limit is None else limit, offset]).fetchall()
    for row in rows:
        yield chain(conn, row["chain_id"])


def chain(conn: sqlite3.Connection, chain_id: int) -> Chain:
    items = [dict(r) for r in conn.execute(
        "SELECT i.item_id, i.outlet, i.published, i.title, i.url FROM copy_chains c "
        "JOIN items i ON i.item_id = c.item_id WHERE c.chain_id = ? "
        "ORDER BY i.published IS NULL, i.published, i.item_id", (chain_id,))]
    sources: dict[int, list[int]] = {}
    for original, copy in conn.execute(
            "SELECT original_id, copy_id FROM copy_pairs WHERE direction = 'dated' AND copy_id IN "
            "(SELECT item_id FROM copy_chains WHERE chain_id = ?)", (chain_id,)):
        sources.setdefault(copy, []).append(original)
    for item in items:
        item["copied_from"] = sorted(sources.get(item["item_id"], []))
    result = Chain(chain_id, items)
    dated = [i for i in items if i["published"]]
    undated = len(items) - len(dated)
    if not dated:
        result.note = "no item of this chain has a publication date: the first publisher cannot be told"
        return result
    earliest = [i for i in dated if i["published"] == dated[0]["published"]]
    notes = []
    if len(earliest) > 1:
        ids = ", ".join(f"#{i['item_id']}" for i in earliest)
        notes.append(f"first publisher undetermined: {ids} were all published {earliest[0]['published']}")
    else:
        result.first_publisher = earliest[0]["item_id"]
    if undated:
        notes.append(f"{undated} item{'s' * (undated > 1)} without a date (listed last) could be earlier")
    result.note = "; ".join(notes) or None
    return result
