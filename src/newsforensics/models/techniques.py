"""The shipped persuasion-technique model: a small ONNX tagger plus a numpy technique classifier.

``models/data/techniques`` holds ``tagger.onnx`` (word-piece ids and cues → BIO log-probabilities
and each piece's static vector), ``classifier.npz`` + ``classifier.json`` (the technique
classifier's weights and its n-gram vocabularies) and ``model.json`` (model card: data, metrics,
calibration). The word-piece tokenizer is the shared encoder's (the all-MiniLM-L6-v2 vocabulary
the static vectors were distilled over). Written by ``newsforensics techniques train``; loaded
lazily, once per process, with onnxruntime and numpy only.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import NewsforensicsError
from ..techniques.lexical import LexicalFeatures
from .encoder import model_file as encoder_file
from .encoder import session_options

MODEL_DIR = "models/data/techniques"
MODEL_FILES = ("tagger.onnx", "classifier.npz", "classifier.json", "model.json")
_lock = threading.Lock()


class ModelMissing(NewsforensicsError):
    """The technique model files are not installed (train them, or reinstall the package)."""


@dataclass(frozen=True)
class TechniqueModelFiles:
    """Everything inference needs, loaded."""

    session: Any
    tokenizer: Any
    lexical: LexicalFeatures
    sparse_weights: np.ndarray  # (lexical features, techniques)
    dense_weights: np.ndarray  # (dense features, techniques)
    bias: np.ndarray
    card: dict[str, Any]

    @property
    def model_id(self) -> str:
        return str(self.card["id"])


def shipped_dir() -> Path:
    return Path(str(resources.files("newsforensics").joinpath(MODEL_DIR)))


def tokenizer() -> Any:
    """A private tokenizer instance: no padding, no truncation (windows are cut by us)."""
    from tokenizers import Tokenizer

    loaded = Tokenizer.from_file(encoder_file("tokenizer.json"))
    loaded.no_padding()
    loaded.no_truncation()
    return loaded


def load(folder: Path, threads: int | None = None) -> TechniqueModelFiles:
    """Load a model folder (the shipped one, or a training run's candidate)."""
    import onnxruntime as ort

    missing = [name for name in MODEL_FILES if not (folder / name).is_file()]
    if missing:
        raise ModelMissing(f"the technique model in {folder} lacks {', '.join(missing)}; run "
                           f"'newsforensics techniques train' (see docs/techniques.md)")
    session = ort.InferenceSession(str(folder / "tagger.onnx"),
                                   sess_options=session_options(threads),
                                   providers=["CPUExecutionProvider"])
    with np.load(folder / "classifier.npz") as saved:
        sparse, dense, bias = (saved[k].astype(np.float32) for k in ("sparse", "dense", "bias"))
    lexical = LexicalFeatures.from_json(
        json.loads((folder / "classifier.json").read_text(encoding="utf-8")))
    card = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    return TechniqueModelFiles(session, tokenizer(), lexical, sparse, dense, bias, card)


@lru_cache(maxsize=1)
def shipped() -> TechniqueModelFiles:
    """The installed model, loaded once per process."""
    with _lock:
        return load(shipped_dir())


def model_card() -> dict[str, Any]:
    """The shipped model's card without loading the model."""
    path = shipped_dir() / "model.json"
    if not path.is_file():
        raise ModelMissing(f"{path} is missing; run 'newsforensics techniques train'")
    return json.loads(path.read_text(encoding="utf-8"))
