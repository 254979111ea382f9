"""Sentence embeddings cached on disk text by text, one file per encoder and version.

Embedding a research pool of tens of thousands of fact-checks takes minutes on a laptop CPU;
looking the vectors up takes milliseconds. Each text is keyed by a hash of itself, in a SQLite
file named after the encoder (``<cache>/vectors/<model id>.sqlite``), so ``factchecks import``,
``factchecks retrieve`` and the narrative catalogue share what any of them embedded, a pool that
grew embeds only its new texts, and a new encoder (or a new version of one) never reads another's
vectors. An unreadable, unwritable or busy cache only costs the speed-up.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

Encode = Callable[[Sequence[str]], np.ndarray]
LOOKUP_CHUNK = 500  # keys per query (SQLite allows 999 parameters on old builds)
_SCHEMA = "CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL) WITHOUT ROWID"


def bulk_workers() -> int:
    """Threads for embedding a whole pool at once: the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()[:16]


def cache_file(cache_dir: Path, model_id: str) -> Path:
    return Path(cache_dir) / "vectors" / f"{re.sub(r'[^A-Za-z0-9._-]', '_', model_id)}.sqlite"


def encode_cached(texts: Sequence[str], cache_dir: Path | None, *, model_id: str, dim: int,
                  encode: Encode) -> np.ndarray:
    """``encode(texts)``, each distinct text read from the cache or embedded once and stored."""
    out = np.zeros((len(texts), dim), dtype=np.float32)
    if not texts:
        return out
    keys = [text_key(t) for t in texts]
    path = cache_file(cache_dir, model_id) if cache_dir is not None else None
    found = _lookup(path, set(keys), dim) if path is not None else {}
    todo: dict[bytes, str] = {}
    for key, text in zip(keys, texts):
        if key not in found:
            todo.setdefault(key, text)
    if todo:
        vectors = encode(list(todo.values()))
        fresh = dict(zip(todo, vectors))
        if path is not None:
            _store(path, fresh)
        found.update(fresh)
    for row, key in enumerate(keys):
        out[row] = found[key]
    return out


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=5)
    conn.execute(_SCHEMA)
    return conn


def _lookup(path: Path, keys: set[bytes], dim: int) -> dict[bytes, np.ndarray]:
    if not path.is_file():
        return {}
    found: dict[bytes, np.ndarray] = {}
    wanted = list(keys)
    try:
        with closing(_connect(path)) as conn:
            for first in range(0, len(wanted), LOOKUP_CHUNK):
                chunk = wanted[first:first + LOOKUP_CHUNK]
                rows = conn.execute(f"SELECT key, vector FROM vectors WHERE key IN "
                                    f"({','.join('?' * len(chunk))})", chunk)
                for key, blob in rows:
                    vector = np.frombuffer(blob, dtype=np.float32)
                    if vector.shape == (dim,):
                        found[key] = vector
    except sqlite3.Error as exc:
        log.info("embedding cache %s unreadable (%s); embedding again", path, exc)
        return {}
    return found


def _store(path: Path, vectors: dict[bytes, np.ndarray]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(_connect(path)) as conn, conn:
            conn.executemany("INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)",
                             [(key, np.asarray(v, dtype=np.float32).tobytes())
                              for key, v in vectors.items()])
    except (OSError, sqlite3.Error) as exc:
        log.info("embedding cache %s not written (%s)", path, exc)
