"""Sparse lexical features of a span for the technique classifier: TF-IDF n-grams, numpy only.

Words carry most of what separates the techniques ("traitor" is Name_Calling, "will destroy" is
Appeal_to_fear, a short phrase in capitals is a Slogan), and n-gram TF-IDF reaches the
encoder-based classifiers on PTC at a tiny fraction of their cost. One vocabulary per field:
the span's words (uni- and bigrams), the span's characters (2–5-grams inside word boundaries,
which catch morphology and punctuation such as "!!!") and the words of the span's sentence
outside the span. Fitted by training, saved with the model as plain JSON and arrays, so the
same code computes the features at run time.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

WORD = re.compile(r"(?u)\b\w\w+\b|[!?]")


def words(text: str) -> list[str]:
    """Lower-cased words of two or more characters, and ``!``/``?`` as words of their own."""
    return WORD.findall(text.lower())


def word_ngrams(text: str) -> list[str]:
    tokens = words(text)
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]


def char_ngrams(text: str, low: int = 2, high: int = 5) -> list[str]:
    """Character n-grams of each space-padded word (scikit-learn's ``char_wb``)."""
    grams = []
    for word in text.lower().split():
        padded = f" {word} "
        for n in range(low, high + 1):
            grams += [padded[i:i + n] for i in range(len(padded) - n + 1)]
    return grams


ANALYSERS = {"span_words": word_ngrams, "span_chars": char_ngrams, "context_words": words}
Row = tuple[np.ndarray, np.ndarray]  # (feature indices, values) of one sparse row


@dataclass(frozen=True)
class Field:
    """One vocabulary: its n-grams, their inverse document frequencies and the block's weight."""

    name: str
    index: dict[str, int]
    idf: np.ndarray
    weight: float

    def row(self, text: str, offset: int) -> Row:
        """Sublinear TF × IDF, L2-normalised, times the field weight; indices shifted by ``offset``."""
        counts = Counter(g for g in ANALYSERS[self.name](text) if g in self.index)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        found = np.array([self.index[g] for g in counts], dtype=np.int64)
        values = np.array([1 + math.log(n) for n in counts.values()]) * self.idf[found]
        values *= self.weight / np.linalg.norm(values)
        return found + offset, values.astype(np.float32)


class LexicalFeatures:
    """The fitted fields, laid side by side: a span's sparse row over all their n-grams."""

    def __init__(self, fields: Sequence[Field]) -> None:
        self.fields = list(fields)
        self.offsets = np.cumsum([0] + [len(f.index) for f in self.fields])

    @property
    def size(self) -> int:
        return int(self.offsets[-1])

    def row(self, span: str, context: str) -> Row:
        texts = {"span_words": span, "span_chars": span, "context_words": context}
        parts = [f.row(texts[f.name], int(o)) for f, o in zip(self.fields, self.offsets)]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    @classmethod
    def fit(cls, spans: Sequence[str], contexts: Sequence[str], settings: dict[str, Any]
            ) -> LexicalFeatures:
        """Vocabularies of the n-grams found in at least ``min_df`` training spans (or contexts),
        at most ``max_features`` per field (the most frequent), smoothed IDF as scikit-learn's."""
        fields = []
        for name, config in settings.items():
            texts = contexts if name == "context_words" else spans
            df = Counter(g for text in texts for g in set(ANALYSERS[name](text)))
            kept = sorted((g for g, n in df.items() if n >= config["min_df"]),
                          key=lambda g: (-df[g], g))[:config["max_features"]]
            kept.sort()
            idf = np.array([math.log((1 + len(texts)) / (1 + df[g])) + 1 for g in kept])
            fields.append(Field(name, {g: i for i, g in enumerate(kept)}, idf, config["weight"]))
        return cls(fields)

    def to_json(self) -> dict[str, Any]:
        return {"fields": [{"name": f.name, "weight": f.weight, "ngrams": list(f.index),
                            "idf": [round(float(v), 5) for v in f.idf]} for f in self.fields]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LexicalFeatures:
        return cls([Field(f["name"], {g: i for i, g in enumerate(f["ngrams"])},
                          np.array(f["idf"], dtype=np.float64), float(f["weight"]))
                    for f in data["fields"]])


def sparse_logits(rows: Iterable[Row], weights: np.ndarray) -> np.ndarray:
    """``rows × weights`` for sparse rows and a dense ``(features, classes)`` matrix."""
    return np.stack([values @ weights[indices] for indices, values in rows])
