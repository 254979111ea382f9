"""Paragraph-level persuasion techniques (SemEval-2023 Task 3, subtask 3) in six languages.

Where no span-level model covers a language, an analyst still gets which of the 23 techniques
a paragraph uses: one model per language (en, fr, de, it, pl, ru), a logistic regression per
technique over the paragraph's word and character n-gram TF-IDF (the features of
:mod:`.lexical`), numpy only at run time. Each language's threshold was chosen for micro-F1 on
out-of-fold training predictions. The models live in ``models/data/technique_paragraphs``
(``<lang>.npz`` weights, ``<lang>.json`` vocabulary, ``model.json`` the card), written by
``newsforensics techniques train-paragraphs``.
"""

from __future__ import annotations

import bisect
import json
import threading
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import NewsforensicsError
from .lexical import LexicalFeatures, sparse_logits

MODEL_DIR = "models/data/technique_paragraphs"
_lock = threading.Lock()


class ParagraphModelMissing(NewsforensicsError):
    """No paragraph-level technique model is installed for a language."""


@lru_cache(maxsize=1)
def paragraph_techniques() -> dict[str, str]:
    """The 23 technique names → their definitions, in the label files' order."""
    text = resources.files(__package__).joinpath("data/paragraph_techniques.toml").read_text(
        encoding="utf-8")
    return {t["name"]: t["definition"] for t in tomllib.loads(text)["technique"]}


@dataclass(frozen=True)
class ParagraphModel:
    """One language's model: vocabulary, weights ``(features, techniques)``, bias, threshold."""

    language: str
    lexical: LexicalFeatures
    weights: np.ndarray
    bias: np.ndarray
    threshold: float

    def probabilities(self, paragraphs: Sequence[str]) -> np.ndarray:
        """``(len(paragraphs), 23)`` probabilities, one independent sigmoid per technique."""
        if not paragraphs:
            return np.zeros((0, len(self.bias)), dtype=np.float32)
        rows = [self.lexical.row(text, "") for text in paragraphs]
        logits = sparse_logits(rows, self.weights) + self.bias
        return 1 / (1 + np.exp(-np.clip(logits, -30, 30)))

    def predict(self, paragraphs: Sequence[str]) -> list[list[tuple[str, float]]]:
        """Each paragraph's techniques at or above the threshold, most probable first."""
        return self.above_threshold(self.probabilities(paragraphs))

    def above_threshold(self, probabilities: Iterable[np.ndarray]) -> list[list[tuple[str, float]]]:
        """Each row's techniques at or above the threshold, most probable first."""
        names = list(paragraph_techniques())
        out = []
        for probs in probabilities:
            order = np.argsort(-probs)
            out.append([(names[k], float(probs[k])) for k in order if probs[k] >= self.threshold])
        return out

    def save(self, folder: Path) -> None:
        np.savez_compressed(folder / f"{self.language}.npz", weights=self.weights.astype(np.float16),
                            bias=self.bias.astype(np.float32),
                            threshold=np.array(self.threshold, dtype=np.float32))
        (folder / f"{self.language}.json").write_text(json.dumps(self.lexical.to_json()),
                                                      encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, language: str) -> ParagraphModel:
        if not (folder / f"{language}.npz").is_file():
            raise ParagraphModelMissing(f"no paragraph-level technique model for {language!r} in "
                                        f"{folder}; run 'newsforensics techniques train-paragraphs'")
        with np.load(folder / f"{language}.npz") as saved:
            weights, bias = saved["weights"].astype(np.float32), saved["bias"]
            threshold = round(float(saved["threshold"]), 4)  # stored as float32
        lexical = LexicalFeatures.from_json(
            json.loads((folder / f"{language}.json").read_text(encoding="utf-8")))
        return cls(language, lexical, weights, bias, threshold)


def shipped_dir() -> Path:
    return Path(str(resources.files("newsforensics").joinpath(MODEL_DIR)))


def paragraph_card() -> dict[str, Any]:
    """The shipped paragraph models' card (languages, data, figures, terms)."""
    path = shipped_dir() / "model.json"
    if not path.is_file():
        raise ParagraphModelMissing(f"{path} is missing; run 'newsforensics techniques "
                                    f"train-paragraphs'")
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def shipped_paragraph_model(language: str) -> ParagraphModel:
    """The installed model of a language, loaded once per process."""
    with _lock:
        return ParagraphModel.load(shipped_dir(), language)


class ParagraphScores:
    """One text's paragraph probabilities under one model, each paragraph read at most once:
    the span stage asks for a few (``support``), the paragraph stage for all (``probabilities``),
    and when both run on a document they share one instance (``stage.paragraph_scores``), so no
    paragraph is scored twice. A row does not depend on which other rows are scored with it
    (``sparse_logits`` computes row by row), so the order of the asks changes no number."""

    def __init__(self, text: str, paragraphs: Sequence[tuple[int, int]], model: ParagraphModel
                 ) -> None:
        self.text, self.paragraphs, self.model = text, list(paragraphs), model
        self._starts = [start for start, _ in self.paragraphs]
        self._rows: dict[int, np.ndarray] = {}

    def _score(self, indices: Sequence[int]) -> None:
        missing = [k for k in indices if k not in self._rows]
        if missing:
            found = self.model.probabilities([self.text[slice(*self.paragraphs[k])] for k in missing])
            self._rows.update(zip(missing, found))

    def probabilities(self) -> list[np.ndarray]:
        """Every paragraph's technique probabilities, in order."""
        self._score(range(len(self.paragraphs)))
        return [self._rows[k] for k in range(len(self.paragraphs))]

    def support(self, offset: int) -> float:
        """The highest technique probability of the paragraph holding ``offset`` (0.0 outside
        every paragraph): a second opinion on a span-level fragment, from a model of other
        features."""
        index = bisect.bisect_right(self._starts, offset) - 1
        if index < 0 or offset >= self.paragraphs[index][1]:
            return 0.0
        self._score([index])
        return float(self._rows[index].max(initial=0.0))
