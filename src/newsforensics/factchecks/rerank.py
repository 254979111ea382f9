"""The re-ranker: a logistic model over features of a (query, candidate fact-check) pair.

Why logistic regression: the features (BM25 and cosine scores, their ranks and gaps, number and
word overlap) already carry the signal; a linear model over them trains in a second on the
CheckThat train splits, ships as a few numbers in ``data/reranker.json`` (with its card,
``data/reranker.md``), runs in microseconds and says which evidence decided the ranking.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

FEATURES: tuple[str, ...] = (
    "bm25_rel", "bm25_log", "bm25_rank", "bm25_text_rel", "bm25_text_rank", "has_text",
    "cos_claim", "cos_title", "cos_best", "cos_gap", "cos_rank",
    "number_overlap", "number_mismatch", "word_overlap", "word_coverage",
)
MODEL_FILE = "data/reranker.json"


def _reciprocal_rank(pool_scores: np.ndarray, values: np.ndarray) -> np.ndarray:
    """1 / (1 + how many pool entries score above each value)."""
    ordered = np.sort(pool_scores)
    above = len(ordered) - np.searchsorted(ordered, values, side="right")
    return 1.0 / (1.0 + above)


def pair_features(scores: Mapping[str, np.ndarray], rows: np.ndarray, *,
                  query_numbers: frozenset[str], candidate_numbers: Sequence[frozenset[str]],
                  query_tokens: frozenset[str], candidate_tokens: Sequence[frozenset[str]]) -> np.ndarray:
    """The feature matrix (one row per candidate, columns as in ``FEATURES``)."""
    n = len(rows)
    bm25 = scores["bm25"]
    top_bm25 = float(bm25.max()) if len(bm25) else 0.0
    cos_claim, cos_title = scores["cos_claim"], scores["cos_title"]
    best = np.maximum(cos_claim, cos_title)
    text = scores.get("bm25_text")
    out = np.zeros((n, len(FEATURES)), dtype=np.float64)
    col = {name: i for i, name in enumerate(FEATURES)}
    out[:, col["bm25_rel"]] = bm25[rows] / top_bm25 if top_bm25 > 0 else 0.0
    out[:, col["bm25_log"]] = np.log1p(bm25[rows])
    out[:, col["bm25_rank"]] = _reciprocal_rank(bm25, bm25[rows])
    if text is not None:
        top_text = float(text.max())
        out[:, col["bm25_text_rel"]] = text[rows] / top_text if top_text > 0 else 0.0
        out[:, col["bm25_text_rank"]] = _reciprocal_rank(text, text[rows])
        out[:, col["has_text"]] = 1.0
    out[:, col["cos_claim"]] = cos_claim[rows]
    out[:, col["cos_title"]] = cos_title[rows]
    out[:, col["cos_best"]] = best[rows]
    out[:, col["cos_gap"]] = float(best.max()) - best[rows] if len(best) else 0.0
    out[:, col["cos_rank"]] = _reciprocal_rank(best, best[rows])
    for i, (numbers, words) in enumerate(zip(candidate_numbers, candidate_tokens, strict=True)):
        shared_numbers = len(query_numbers & numbers)
        out[i, col["number_overlap"]] = shared_numbers / len(query_numbers) if query_numbers else 0.0
        out[i, col["number_mismatch"]] = float(bool(query_numbers and numbers) and not shared_numbers)
        shared_words = len(query_tokens & words)
        out[i, col["word_overlap"]] = shared_words / len(query_tokens) if query_tokens else 0.0
        out[i, col["word_coverage"]] = shared_words / len(words) if words else 0.0
    return out


@dataclass(frozen=True)
class LogisticModel:
    """Standardised features, then a logistic regression: a calibrated probability.

    Stored as JSON with the feature names it was trained on, so code whose features changed
    refuses an old model instead of scoring garbage.
    """

    feature_names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    card: dict[str, Any] = field(default_factory=dict)

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        z = ((matrix - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def contributions(self, row: np.ndarray) -> dict[str, float]:
        """Each feature's share of one row's log-odds (why a score is what it is)."""
        parts = (row - self.mean) / self.scale * self.coef
        return {name: round(float(v), 4) for name, v in zip(self.feature_names, parts, strict=True)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], features: Sequence[str], retrain: str) -> LogisticModel:
        names = tuple(data["features"])
        if names != tuple(features):
            raise ValueError(f"model was trained on features {names}, this code computes "
                             f"{tuple(features)}; retrain it ({retrain})")
        return cls(names, np.asarray(data["mean"]), np.asarray(data["scale"]), np.asarray(data["coef"]),
                   float(data["intercept"]), dict(data.get("card", {})))

    def to_dict(self) -> dict[str, Any]:
        return {"features": list(self.feature_names), "mean": self.mean.round(6).tolist(),
                "scale": self.scale.round(6).tolist(), "coef": self.coef.round(6).tolist(),
                "intercept": round(self.intercept, 6), "card": self.card}


RETRAIN = "python -m newsforensics.training.factchecks"


@lru_cache(maxsize=1)
def shipped_reranker() -> LogisticModel:
    """The re-ranker shipped in ``data/reranker.json`` (trained on CheckThat train splits)."""
    data = json.loads(resources.files(__package__).joinpath(MODEL_FILE).read_text("utf-8"))
    return LogisticModel.from_dict(data, FEATURES, RETRAIN)


def logistic_fit(matrix: np.ndarray, labels: np.ndarray, *, l2: float = 1.0,
                 iterations: int = 50) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Standardise, then fit an L2-penalised logistic regression by Newton's method.

    Returns ``(mean, scale, coef, intercept)``; the intercept is not penalised. Shared by the
    fact-check re-ranker and the narrative matcher's calibration.
    """
    mean = matrix.mean(axis=0)
    scale = matrix.std(axis=0)
    scale[scale == 0] = 1.0
    x = np.hstack([(matrix - mean) / scale, np.ones((len(matrix), 1))])
    y = labels.astype(np.float64)
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return mean, scale, w[:-1], float(w[-1])


def fit(matrix: np.ndarray, labels: np.ndarray, *, l2: float = 1.0,
        card: dict[str, Any] | None = None) -> LogisticModel:
    """Fit the re-ranker on candidate features and 0/1 relevance labels."""
    mean, scale, coef, intercept = logistic_fit(matrix, labels, l2=l2)
    return LogisticModel(FEATURES, mean, scale, coef, intercept, card or {})
