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
from dataclasses import dataclass, field
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
        grams += word_char_ngrams(word, low, high)
    return grams


def word_char_ngrams(word: str, low: int = 2, high: int = 5) -> list[str]:
    """The n-grams ``char_ngrams`` reads from one word, shortest first, left to right."""
    padded = f" {word} "
    return [padded[i:i + n] for n in range(low, high + 1) for i in range(len(padded) - n + 1)]


ANALYSERS = {"span_words": word_ngrams, "span_chars": char_ngrams, "context_words": words}
Row = tuple[np.ndarray, np.ndarray]  # (feature indices, values) of one sparse row


# Sublinear term frequency 1 + ln(n) for the small counts nearly every n-gram has.
_TF = (0.0, *(1 + math.log(n) for n in range(1, 256)))
_WORD_CACHE_SIZE = 100_000  # words whose known character n-grams a field remembers


@dataclass(frozen=True)
class Field:
    """One vocabulary: its n-grams, their inverse document frequencies and the block's weight."""

    name: str
    index: dict[str, int]
    idf: np.ndarray
    weight: float
    # word → the indices of its character n-grams in the vocabulary (span_chars only): words
    # repeat, and looking each n-gram up once per word was most of a paragraph's cost.
    _words: dict[str, list[int]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def ids(self, text: str) -> list[int]:
        """The vocabulary indices of the n-grams of ``text`` in reading order, unknown ones left out."""
        get = self.index.get
        if self.name != "span_chars":
            return [i for g in ANALYSERS[self.name](text) if (i := get(g)) is not None]
        out: list[int] = []
        for word in text.lower().split():
            known = self._words.get(word)
            if known is None:
                if len(self._words) >= _WORD_CACHE_SIZE:
                    self._words.clear()
                known = self._words[word] = [i for g in word_char_ngrams(word) if (i := get(g)) is not None]
            out += known
        return out

    def row(self, text: str, offset: int) -> Row:
        """Sublinear TF × IDF, L2-normalised, times the field weight; indices shifted by ``offset``."""
        counts = Counter(self.ids(text))  # first-seen order, as the n-grams come
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        found = np.fromiter(counts, dtype=np.int64, count=len(counts))
        values = np.array([_TF[n] if n < len(_TF) else 1 + math.log(n) for n in counts.values()]) * self.idf[found]
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
