"""BM25 over stemmed word tokens, held as flat numpy postings so a query costs microseconds.

Why our own: a pool of fact-checks is small (tens of thousands of short claims), the index must
be rebuilt from the store in a second, and the retriever needs per-field scores for the
re-ranker's features; a dozen lines of numpy do that without another dependency.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

_WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("english")


def tokens(text: str, stopwords: frozenset[str] = frozenset()) -> list[str]:
    """Lower-cased, stemmed word tokens without stopwords (English Snowball stems)."""
    words = [w for w in _WORD.findall(text.lower()) if w not in stopwords]
    return _stemmer().stemWords(words)


class BM25:
    """Okapi BM25 over a fixed list of documents (already tokenised)."""

    def __init__(self, docs: Sequence[Sequence[str]], *, k1: float = 1.2, b: float = 0.75) -> None:
        self.n_docs = len(docs)
        lengths = np.array([len(d) for d in docs], dtype=np.float32)
        avg = float(lengths.mean()) if self.n_docs and lengths.sum() else 1.0
        postings: dict[str, list[tuple[int, int]]] = {}
        for doc_id, doc in enumerate(docs):
            for term, tf in Counter(doc).items():
                postings.setdefault(term, []).append((doc_id, tf))
        self._offsets: dict[str, tuple[int, int]] = {}
        ids, weights, first = [], [], 0
        for term, plist in postings.items():
            df = len(plist)
            idf = np.log(1.0 + (self.n_docs - df + 0.5) / (df + 0.5))
            doc_ids = np.fromiter((d for d, _ in plist), dtype=np.int32, count=df)
            tf = np.fromiter((t for _, t in plist), dtype=np.float32, count=df)
            norm = k1 * (1.0 - b + b * lengths[doc_ids] / avg)
            self._offsets[term] = (first, df)
            first += df
            ids.append(doc_ids)
            weights.append((idf * tf * (k1 + 1.0) / (tf + norm)).astype(np.float32))
        self._ids = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int32)
        self._weights = np.concatenate(weights) if weights else np.zeros(0, dtype=np.float32)

    def scores(self, query: Iterable[str]) -> np.ndarray:
        """The BM25 score of every document for a tokenised query (repeated terms count once)."""
        out = np.zeros(self.n_docs, dtype=np.float32)
        for term in set(query):
            hit = self._offsets.get(term)
            if hit is None:
                continue
            first, count = hit
            out[self._ids[first:first + count]] += self._weights[first:first + count]  # ids unique per term
        return out
