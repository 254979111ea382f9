"""Find and classify persuasion techniques with the shipped model: one encoder pass serves both.

SI: every segment window is tagged B/I/O; the best BIO path (Viterbi, outside bias tuned on
held-out articles) gives spans, trimmed as PTC v2 annotations are. TC: a span's pieces are
mean-pooled with the window's [CLS] and cheap features, and a linear head gives technique
probabilities calibrated by temperature. For spans SI found, TC reuses SI's piece states; for
given spans (a TC template) each span gets its own context window, as in training.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from ..models.techniques import TechniqueModelFiles
from .encoding import (
    OUTSIDE,
    Window,
    context_bounds,
    decode_bio,
    pad,
    segment_windows,
    span_features,
    span_window,
    trim,
)
from .formats import technique_definitions

Segments = Sequence[tuple[int, int]]


@lru_cache(maxsize=1)
def inference_settings() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("data/inference.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@dataclass(frozen=True, slots=True)
class Fragment:
    """A span SI found, how likely it is propaganda, and its techniques (most probable first)."""

    start: int
    end: int
    span_probability: float
    techniques: tuple[tuple[str, float], ...]

    def reported(self, ratio: float) -> list[tuple[str, float]]:
        """The top technique and any other whose probability is at least ``ratio`` of it."""
        top = self.techniques[0][1]
        return [(name, p) for name, p in self.techniques if p >= ratio * top]


@dataclass(frozen=True, slots=True)
class _Encoded:
    window: Window
    hidden: np.ndarray  # (pieces, width)
    log_probs: np.ndarray  # (pieces, 3)


class TechniqueModel:
    """Inference over loaded model files; batch first (many articles per call)."""

    def __init__(self, files: TechniqueModelFiles) -> None:
        self.files = files
        self.names = list(technique_definitions())
        calibration = files.card["calibration"]
        self.temperature = float(calibration["temperature"])
        self.outside_bias = float(calibration["outside_bias"])
        self.span_platt = tuple(calibration["span_platt"])
        settings = inference_settings()
        self.batch_size = int(settings["batch_size"])
        self.min_span_chars = int(settings["min_span_chars"])

    @property
    def model_id(self) -> str:
        return self.files.model_id

    def encode(self, windows: Sequence[Window]) -> list[_Encoded]:
        """Run the graph over windows, sorted by length so each batch pads little."""
        out: list[_Encoded | None] = [None] * len(windows)
        order = sorted(range(len(windows)), key=lambda i: len(windows[i]))
        for first in range(0, len(order), self.batch_size):
            rows = order[first:first + self.batch_size]
            ids, attention = pad([windows[i] for i in rows])
            hidden, log_probs = self.files.session.run(
                ["hidden", "tag_log_probs"], {"input_ids": ids, "attention_mask": attention})
            for r, i in enumerate(rows):
                n = len(windows[i])
                out[i] = _Encoded(windows[i], hidden[r, :n], log_probs[r, :n])
        return [e for e in out if e is not None]

    def technique_probabilities(self, pooled: np.ndarray) -> np.ndarray:
        """Calibrated probabilities from joined [span mean, CLS, features] rows."""
        logits = (pooled @ self.files.weights.T + self.files.bias) / self.temperature
        logits -= logits.max(1, keepdims=True)
        probs = np.exp(logits)
        return probs / probs.sum(1, keepdims=True)

    def span_probability(self, raw: float) -> float:
        """Platt-scaled mean piece probability: the chance the fragment is annotated propaganda."""
        raw = min(max(raw, 1e-6), 1 - 1e-6)
        slope, intercept = self.span_platt
        logit = min(max(slope * math.log(raw / (1 - raw)) + intercept, -50.0), 50.0)
        return 1 / (1 + math.exp(-logit))

    def fragments(self, articles: Sequence[tuple[str, Segments]],
                  outside_bias: float | None = None) -> list[list[Fragment]]:
        """SI + TC for each ``(text, segments)``: the fragments of every article, in order."""
        return self.decode(articles, self.encode_articles(articles), outside_bias)

    def encode_articles(self, articles: Sequence[tuple[str, Segments]]) -> list[tuple[int, _Encoded]]:
        """Every segment window of every article, encoded, with the index of its article.

        Each article is batched on its own: int8 activations are quantised per batch, so mixing
        articles would let one article's result depend on which others share its batch.
        """
        return [(index, item) for index, (text, segments) in enumerate(articles)
                for item in self.encode(segment_windows(self.files.tokenizer, text, segments))]

    def decode(self, articles: Sequence[tuple[str, Segments]], encoded: list[tuple[int, _Encoded]],
               outside_bias: float | None = None) -> list[list[Fragment]]:
        """Spans from the tags, then their techniques from the same piece states."""
        bias = self.outside_bias if outside_bias is None else outside_bias
        found_spans: list[tuple[int, int, int, float, np.ndarray]] = []
        for owner, item in encoded:
            text = articles[owner][0]
            for first, last in decode_bio(item.log_probs, bias):
                start, end = trim(text, int(item.window.starts[first]), int(item.window.ends[last]))
                if end - start < self.min_span_chars:
                    continue
                inside = 1 - np.exp(item.log_probs[first:last + 1, OUTSIDE])
                pooled = item.hidden[first:last + 1].mean(0)
                found_spans.append((owner, start, end, float(inside.mean()),
                                    np.concatenate([pooled, item.hidden[0]])))
        results: list[list[Fragment]] = [[] for _ in articles]
        if not found_spans:
            return results
        lowered = [text.lower() for text, _ in articles]
        joined = np.stack([np.concatenate([vector, span_features(articles[o][0], lowered[o], s, e)])
                           for o, s, e, _, vector in found_spans])
        for (owner, start, end, raw, _), probs in zip(found_spans,
                                                       self.technique_probabilities(joined)):
            ranked = tuple((self.names[k], float(probs[k])) for k in np.argsort(-probs))
            results[owner].append(Fragment(start, end, self.span_probability(raw), ranked))
        return results

    def classify(self, text: str, segments: Segments, spans: Sequence[tuple[int, int]]) -> np.ndarray:
        """Technique probabilities ``(len(spans), 14)`` for given spans of one article."""
        if not spans:
            return np.zeros((0, len(self.names)), dtype=np.float32)
        lowered = text.lower()
        prepared = [span_window(self.files.tokenizer, text, context_bounds(segments, s, e), s, e)
                    for s, e in spans]
        encoded = self.encode([window for window, _ in prepared])
        joined = np.stack([
            np.concatenate([e.hidden[mask].mean(0), e.hidden[0], span_features(text, lowered, s, end)])
            for e, (_, mask), (s, end) in zip(encoded, prepared, spans)])
        return self.technique_probabilities(joined)


@lru_cache(maxsize=1)
def shipped_model() -> TechniqueModel:
    """The installed model, loaded once per process."""
    from ..models.techniques import shipped

    return TechniqueModel(shipped())
