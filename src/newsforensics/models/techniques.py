"""The shipped persuasion-technique model: a fine-tuned MiniLM as ONNX plus a numpy TC head.

``models/data/techniques`` holds ``model.onnx`` (piece states and BIO log-probabilities),
``heads.npz`` (the technique classifier over pooled states and features) and ``model.json``
(model card: data, metrics, calibration). The word-piece tokenizer is the shared encoder's (the
same all-MiniLM-L6-v2 vocabulary). Written by ``newsforensics techniques train``; loaded lazily,
once per process, with onnxruntime only.
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
from .encoder import model_file as encoder_file
from .encoder import session_options

MODEL_DIR = "models/data/techniques"
MODEL_FILES = ("model.onnx", "heads.npz", "model.json")
_lock = threading.Lock()


class ModelMissing(NewsforensicsError):
    """The technique model files are not installed (train them, or reinstall the package)."""


@dataclass(frozen=True)
class TechniqueModelFiles:
    """Everything inference needs, loaded."""

    session: Any
    tokenizer: Any
    weights: np.ndarray  # (techniques, 2 * hidden + features)
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


def load(folder: Path, onnx_name: str = "model.onnx", threads: int | None = None) -> TechniqueModelFiles:
    """Load a model folder (the shipped one, or a training run's candidate)."""
    import onnxruntime as ort

    missing = [name for name in (onnx_name, *MODEL_FILES[1:]) if not (folder / name).is_file()]
    if missing:
        raise ModelMissing(f"the technique model in {folder} lacks {', '.join(missing)}; run "
                           f"'newsforensics techniques train' (see docs/techniques.md)")
    session = ort.InferenceSession(str(folder / onnx_name), sess_options=session_options(threads),
                                   providers=["CPUExecutionProvider"])
    with np.load(folder / "heads.npz") as heads:
        weights, bias = heads["weights"].astype(np.float32), heads["bias"].astype(np.float32)
    card = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    return TechniqueModelFiles(session, tokenizer(), weights, bias, card)


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
