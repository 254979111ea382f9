"""BM25 over stemmed word tokens, held as flat numpy postings so a query costs microseconds.

Why our own: a pool of fact-checks is small (tens of thousands of short claims), the index must
be rebuilt from the store in a second, and the retriever needs per-field scores for the
re-ranker's features; a dozen lines of numpy do that without another dependency.
"""

from __future__ import annotations

import re
from itertools import chain
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


def tokens_many(texts: Iterable[str]) -> list[list[str]]:
    """``tokens`` of many texts, each distinct word stemmed once (the fast path of an index build)."""
    words = [_WORD.findall(text.lower()) for text in texts]
    distinct = list(set(chain.from_iterable(words)))
    stem = dict(zip(distinct, _stemmer().stemWords(distinct), strict=True))
    return [list(map(stem.__getitem__, w)) for w in words]


class BM25:
    """Okapi BM25 over a fixed list of documents (already tokenised)."""

    def __init__(self, docs: Sequence[Sequence[str]], *, k1: float = 1.2, b: float = 0.75) -> None:
        self.n_docs = len(docs)
        lengths = np.array([len(d) for d in docs], dtype=np.float32)
        avg = float(lengths.mean()) if self.n_docs and lengths.sum() else 1.0
        # Postings in numpy, not per (term, document) in Python: terms numbered in order of first
        # appearance, one sort of (term, document) keys gives each term's documents in order
        # and, by run length, their term frequencies.
        flat = list(chain.from_iterable(docs))
        number = {term: i for i, term in enumerate(dict.fromkeys(flat))}
        term_ids = np.fromiter(map(number.__getitem__, flat), dtype=np.int64, count=len(flat))
        doc_of = np.repeat(np.arange(self.n_docs, dtype=np.int64), [len(d) for d in docs])
        keys, counts = np.unique(term_ids * max(self.n_docs, 1) + doc_of, return_counts=True)
        term, doc_ids = np.divmod(keys, max(self.n_docs, 1))
        df = np.bincount(term, minlength=len(number))
        idf = np.log(1.0 + (self.n_docs - df + 0.5) / (df + 0.5))
        tf = counts.astype(np.float32)
        norm = k1 * (1.0 - b + b * lengths[doc_ids] / avg)
        self._ids = doc_ids.astype(np.int32)
        self._weights = (idf[term] * tf * (k1 + 1.0) / (tf + norm)).astype(np.float32)
        firsts = np.concatenate([[0], np.cumsum(df)[:-1]]) if len(df) else df
        self._offsets: dict[str, tuple[int, int]] = dict(
            zip(number, zip(firsts.tolist(), df.tolist(), strict=True)))

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
