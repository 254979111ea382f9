"""Embeddings of a fact-check pool, cached on disk by content so a research pool is embedded once."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..models.encoder import encode_cached
from .index import embedding_texts
from .records import FactCheck


def pool_vectors(pool: Sequence[FactCheck], cache_dir: Path | None) -> tuple[np.ndarray, np.ndarray]:
    """Claim and headline embeddings of a pool (see ``index.embedding_texts``)."""
    claims, titles = embedding_texts(pool)
    return encode_cached(claims, cache_dir), encode_cached(titles, cache_dir)
