"""Find and classify persuasion techniques with the shipped model: one cheap pass per article.

SI: the article is read as one sequence of word pieces (segments joined by separators, so every
sentence sees its neighbours); a BiLSTM over static MiniLM piece vectors and per-piece cues tags
each piece B/I/O, and the best BIO path (Viterbi, outside bias tuned on held-out articles) gives
spans, trimmed as PTC v2 annotations are. TC: a linear classifier over the span's n-gram TF-IDF,
its sentence's words, the mean static vector of its pieces and cheap repetition/punctuation cues,
with a calibrated temperature. No transformer runs at inference: that is what makes it ~100×
cheaper than the encoder it distils from.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from ..models.techniques import TechniqueModelFiles
from .encoding import (
    OUTSIDE,
    Window,
    article_window,
    context_bounds,
    decode_bio,
    piece_features,
    segment_windows,
    span_features,
    trim,
)
from .formats import technique_definitions
from .lexical import sparse_logits
from .reporting import ReportingRules

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
class Encoded:
    """One article as the tagger read it."""

    window: Window
    log_probs: np.ndarray  # (pieces, 3): BIO log-probabilities
    vectors: np.ndarray  # (pieces, width): each piece's static vector


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span that starts or ends inside a word (the tagger tags word pieces: "smug" of
    "smuggled") to the whole word, as annotators mark."""
    while 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


def decoded_spans(text: str, window: Window, log_probs: np.ndarray, outside_bias: float,
                  min_chars: int) -> list[tuple[int, int, float]]:
    """``(start, end, mean inside probability)`` of the best BIO path's spans, trimmed, at least
    ``min_chars`` long."""
    found = []
    for first, last in decode_bio(log_probs, outside_bias, blocked=window.starts < 0):
        start, end = trim(text, *whole_words(text, int(window.starts[first]), int(window.ends[last])))
        if end - start >= min_chars:
            inside = 1 - np.exp(log_probs[first:last + 1, OUTSIDE])
            found.append((start, end, float(inside.mean())))
    return found


def span_texts(text: str, segments: Segments, start: int, end: int) -> tuple[str, str]:
    """The span and the rest of the sentence(s) it lies in: the classifier's two lexical fields."""
    context_start, context_end = context_bounds(segments, start, end)
    return text[start:end], text[context_start:start] + " " + text[end:context_end]


def dense_features(text: str, lowered: str, encoded: Encoded, start: int, end: int) -> np.ndarray:
    """The span's mean static piece vector (unit length) and its cheap cues."""
    mask = encoded.window.overlap_mask(start, end)
    pooled = encoded.vectors[mask].mean(0) if mask.any() else np.zeros(encoded.vectors.shape[1])
    pooled = pooled / (np.linalg.norm(pooled) + 1e-6)
    return np.concatenate([pooled, span_features(text, lowered, start, end)]).astype(np.float32)


class TechniqueModel:
    """Inference over loaded model files. Each article is run on its own (no padding, so no
    article's result depends on the others in a call)."""

    def __init__(self, files: TechniqueModelFiles) -> None:
        self.files = files
        self.names = list(technique_definitions())
        calibration = files.card["calibration"]
        self.temperature = float(calibration["temperature"])
        self.outside_bias = float(calibration["outside_bias"])
        self.span_platt = tuple(calibration["span_platt"])
        # Fragments below it are candidates, not reported (the precision-first operating point).
        self.report_threshold = float(calibration.get("report_threshold", 0.0))
        self._rules = ReportingRules.from_calibration(
            calibration, float(inference_settings().get("paragraph_agreement", 0.0)))
        self.min_span_chars = int(inference_settings()["min_span_chars"])
        self.max_article_chars = int(inference_settings()["max_article_chars"])

    @property
    def reporting_rules(self) -> ReportingRules:
        """What the stage reports (``reporting.py``), at the model's current report threshold."""
        return replace(self._rules, report_threshold=self.report_threshold)

    @property
    def model_id(self) -> str:
        return self.files.model_id

    def encode(self, text: str, segments: Segments) -> Encoded:
        """Tag one article's pieces (those of the segments within ``max_article_chars``)."""
        segments = [(s, e) for s, e in segments if e <= self.max_article_chars]
        window = article_window(segment_windows(self.files.tokenizer, text, segments))
        log_probs, vectors = self.files.session.run(
            ["tag_log_probs", "piece_vectors"],
            {"input_ids": window.ids[None], "piece_features": piece_features(text, window)[None]})
        return Encoded(window, log_probs[0], vectors[0])

    def encode_articles(self, articles: Sequence[tuple[str, Segments]]) -> list[Encoded]:
        return [self.encode(text, segments) for text, segments in articles]

    def technique_probabilities(self, text: str, segments: Segments, encoded: Encoded,
                                spans: Sequence[tuple[int, int]]) -> np.ndarray:
        """Calibrated ``(len(spans), 14)`` probabilities for spans of one encoded article."""
        if not spans:
            return np.zeros((0, len(self.names)), dtype=np.float32)
        lowered = text.lower()
        rows = [self.files.lexical.row(*span_texts(text, segments, s, e)) for s, e in spans]
        dense = np.stack([dense_features(text, lowered, encoded, s, e) for s, e in spans])
        logits = (sparse_logits(rows, self.files.sparse_weights)
                  + dense @ self.files.dense_weights + self.files.bias) / self.temperature
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

    def spans(self, text: str, encoded: Encoded, outside_bias: float) -> list[tuple[int, int, float]]:
        return decoded_spans(text, encoded.window, encoded.log_probs, outside_bias,
                             self.min_span_chars)

    def decode(self, articles: Sequence[tuple[str, Segments]], encoded: Sequence[Encoded],
               outside_bias: float | None = None) -> list[list[Fragment]]:
        """Spans from the tags, then their techniques."""
        bias = self.outside_bias if outside_bias is None else outside_bias
        results = []
        for (text, segments), item in zip(articles, encoded):
            found = self.spans(text, item, bias)
            probabilities = self.technique_probabilities(text, segments, item,
                                                         [(s, e) for s, e, _ in found])
            results.append([
                Fragment(start, end, self.span_probability(raw),
                         tuple((self.names[k], float(probs[k])) for k in np.argsort(-probs)))
                for (start, end, raw), probs in zip(found, probabilities)])
        return results

    def classify(self, text: str, segments: Segments, spans: Sequence[tuple[int, int]]) -> np.ndarray:
        """Technique probabilities ``(len(spans), 14)`` for given spans of one article."""
        if not spans:
            return np.zeros((0, len(self.names)), dtype=np.float32)
        return self.technique_probabilities(text, segments, self.encode(text, segments), spans)


@lru_cache(maxsize=1)
def shipped_model() -> TechniqueModel:
    """The installed model, loaded once per process."""
    from ..models.techniques import shipped

    return TechniqueModel(shipped())
