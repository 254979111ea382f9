"""Hybrid retrieval over a pool of fact-checks: BM25 and embedding candidates, re-ranked.

Candidates come from three cheap retrievers (BM25 over claim + headline + subtitle, cosine
between embeddings of the query and of the claim or the headline, BM25 over the article body
when the pool has bodies); their union is scored by the re-ranker from features of each
(query, candidate) pair. Building the index embeds every fact-check once (or takes stored
vectors); a query then costs one embedding and a few numpy passes.

English queries are embedded with the English MiniLM the re-ranker was trained on (CheckThat);
a query in another language is embedded with the multilingual encoder and compared with the
pool's vectors in that space (made on the first such query, cached on disk by model), so a
French or Russian claim finds the English fact-check of it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from ..models import encoder, multilingual
from .lexical import BM25, tokens, tokens_many
from .records import FactCheck
from .rerank import FEATURES, LogisticModel, pair_features, shipped_reranker


@lru_cache(maxsize=1)
def settings() -> dict[str, Any]:
    return tomllib.loads(resources.files(__package__).joinpath("data/retrieval.toml").read_text("utf-8"))


@dataclass(slots=True)
class Hit:
    """One retrieved fact-check for one query, with the evidence the re-ranker used."""

    factcheck: FactCheck
    score: float                 # re-ranker probability that it verifies the query claim
    features: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        fc = self.factcheck
        return {"id": fc.id, "claim": fc.claim, "title": fc.title or None, "verdict": fc.verdict,
                "url": fc.url, "publisher": fc.publisher, "published": fc.published,
                "score": round(self.score, 4),
                "features": {k: round(v, 4) for k, v in self.features.items()}}


def clean_query(text: str) -> str:
    """The claim text without what carries no claim (links, photo links)."""
    for pattern in _query_patterns():
        text = pattern.sub(" ", text)
    return " ".join(text.split())


@lru_cache(maxsize=1)
def _query_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in settings()["query"]["strip"])


def lexical_text(fc: FactCheck) -> str:
    """What BM25 reads of a fact-check: the claim, its headline and subtitle."""
    return " ".join(part for part in (fc.claim, fc.title, fc.subtitle) if part)


def embedding_texts(pool: Sequence[FactCheck]) -> tuple[list[str], list[str]]:
    """The texts embedded per fact-check: the claim, and the headline (the claim when none)."""
    return [fc.claim for fc in pool], [fc.title or fc.claim for fc in pool]


class FactCheckIndex:
    """A searchable pool of fact-checks (build once, query many times)."""

    def __init__(self, pool: Sequence[FactCheck], *, claim_vectors: np.ndarray | None = None,
                 title_vectors: np.ndarray | None = None, reranker: LogisticModel | None = None) -> None:
        self.pool = list(pool)
        config = settings()
        self._k = config["candidates"]
        bm = config["bm25"]
        lexical_tokens = tokens_many(lexical_text(fc) for fc in self.pool)
        self._bm25 = BM25(lexical_tokens, k1=bm["k1"], b=bm["b"])
        chars = int(self._k["text_chars"])
        self.has_text = any(fc.text for fc in self.pool)
        self._bm25_text = (BM25(tokens_many(fc.text[:chars] for fc in self.pool), k1=bm["k1"], b=bm["b"])
                           if self.has_text else None)
        if claim_vectors is None or title_vectors is None:
            claims, titles = embedding_texts(self.pool)
            claim_vectors, title_vectors = encoder.encode(claims), encoder.encode(titles)
        if claim_vectors.shape != (len(self.pool), encoder.EMBEDDING_DIM) or \
                title_vectors.shape != claim_vectors.shape:
            raise ValueError("stored fact-check vectors do not match the pool; re-import it")
        # One matrix, so a query costs one matrix-vector product; the halves are views of it.
        self._vectors = np.vstack([claim_vectors, title_vectors]).astype(np.float32, copy=False)
        self.claim_vectors, self.title_vectors = self._vectors[:len(self.pool)], self._vectors[len(self.pool):]
        self._numbers = [_numbers(lexical_text(fc)) for fc in self.pool]
        self._token_sets = [frozenset(t) for t in lexical_tokens]
        self.reranker = reranker  # None: the shipped one, loaded on the first search
        self._multilingual: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.pool)

    def multilingual_vectors(self) -> np.ndarray:
        """The pool's claim and headline vectors under the multilingual encoder, made on first use."""
        if self._multilingual is None:
            cache = encoder.default_cache_dir()
            self._multilingual = np.vstack([encoder.encode_cached(texts, cache, multilingual)
                                            for texts in embedding_texts(self.pool)])
        return self._multilingual

    def candidates(self, query_tokens: list[str], vector: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Candidate rows for one (tokenised, embedded) query and every retriever's scores; the
        vector's size says its space (English MiniLM or multilingual)."""
        pool_vectors = self._vectors if len(vector) == encoder.EMBEDDING_DIM else self.multilingual_vectors()
        cosines = pool_vectors @ vector
        scores = {
            "bm25": self._bm25.scores(query_tokens),
            "cos_claim": cosines[:len(self.pool)],
            "cos_title": cosines[len(self.pool):],
        }
        picks = [_top(scores["bm25"], self._k["bm25"]),
                 _top(np.maximum(scores["cos_claim"], scores["cos_title"]), self._k["embedding"])]
        if self._bm25_text is not None:
            scores["bm25_text"] = self._bm25_text.scores(query_tokens)
            picks.append(_top(scores["bm25_text"], self._k["bm25_text"]))
        rows = np.unique(np.concatenate(picks))
        return rows, scores

    def features(self, query: str, vector: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Candidate rows, their feature matrix, and the feature names (for training and search)."""
        query_tokens = tokens(query)
        rows, scores = self.candidates(query_tokens, vector)
        matrix = pair_features(
            scores, rows, query_numbers=_numbers(query), candidate_numbers=[self._numbers[i] for i in rows],
            query_tokens=frozenset(query_tokens), candidate_tokens=[self._token_sets[i] for i in rows],
        )
        return rows, matrix, list(FEATURES)

    def search_vectors(self, queries: Sequence[str], vectors: np.ndarray, k: int = 5) -> list[list[Hit]]:
        """The ``k`` best fact-checks for each (already embedded) query, best first."""
        reranker = self.reranker or shipped_reranker()
        out = []
        for query, vector in zip(queries, vectors, strict=True):
            rows, matrix, names = self.features(query, vector)
            if not len(rows):
                out.append([])
                continue
            probability = reranker.predict(matrix)
            order = np.argsort(-probability, kind="stable")[:k]
            out.append([Hit(self.pool[rows[i]], float(probability[i]),
                            dict(zip(names, map(float, matrix[i]), strict=True))) for i in order])
        return out

    def search(self, queries: Sequence[str], k: int = 5,
               languages: Sequence[str | None] | None = None) -> list[list[Hit]]:
        """The ``k`` best fact-checks for each query text, best first. A query whose language is
        given and is not English is searched in the multilingual space."""
        cleaned = [clean_query(q) for q in queries]
        other = [i for i, lang in enumerate(languages or ()) if lang and lang != "en"]
        english = [i for i in range(len(cleaned)) if i not in set(other)]
        out: list[list[Hit]] = [[] for _ in cleaned]
        for rows, encode in ((english, encoder.encode), (other, multilingual.encode)):
            if rows:
                texts = [cleaned[i] for i in rows]
                for i, hits in zip(rows, self.search_vectors(texts, encode(texts), k), strict=True):
                    out[i] = hits
        return out


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _numbers(text: str) -> frozenset[str]:
    return frozenset(m.group().replace(",", "") for m in _NUMBER.finditer(text))


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    k = min(int(k), len(scores))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    return np.argpartition(-scores, k - 1)[:k]
