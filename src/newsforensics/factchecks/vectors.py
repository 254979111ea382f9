"""Embeddings of a fact-check pool, cached on disk text by text so a pool is embedded once,
whether ``factchecks import`` or ``factchecks retrieve`` meets it first."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..models.encoder import encode_cached
from ..models.vector_cache import bulk_workers
from .index import embedding_texts
from .records import FactCheck


def pool_vectors(pool: Sequence[FactCheck], cache_dir: Path | None) -> tuple[np.ndarray, np.ndarray]:
    """Claim and headline embeddings of a pool (see ``index.embedding_texts``), embedded in one
    length-sorted run on every core this process may use."""
    claims, titles = embedding_texts(pool)
    vectors = encode_cached(claims + titles, cache_dir, workers=bulk_workers())
    return vectors[:len(claims)], vectors[len(claims):]
