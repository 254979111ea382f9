"""BM25: the textbook scores, stemming, and no score for absent terms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsforensics.factchecks.lexical import BM25, tokens, tokens_many


def test_tokens_are_lower_cased_stems() -> None:
    assert tokens("Vaccines CONTAIN microchips!") == ["vaccin", "contain", "microchip"]
    assert tokens("The vaccine", frozenset({"the"})) == ["vaccin"]


def test_scores_follow_the_okapi_formula() -> None:
    docs = [["drone", "coast"], ["drone", "drone", "rain"], ["rain"]]
    bm25 = BM25(docs, k1=1.2, b=0.75)
    avg = (2 + 3 + 1) / 3
    idf = math.log(1 + (3 - 2 + 0.5) / (2 + 0.5))
    expected = [idf * 1 * 2.2 / (1 + 1.2 * (0.25 + 0.75 * 2 / avg)),
                idf * 2 * 2.2 / (2 + 1.2 * (0.25 + 0.75 * 3 / avg)), 0.0]
    assert bm25.scores(["drone"]) == pytest.approx(np.array(expected, dtype=np.float32), rel=1e-5)
    assert bm25.scores(["drone", "drone"]) == pytest.approx(bm25.scores(["drone"]))  # a repeated term counts once
    assert not bm25.scores(["absent"]).any()


def test_empty_index_scores_nothing() -> None:
    assert BM25([]).scores(["x"]).shape == (0,)
    assert not BM25([[]]).scores(["x"]).any()


_WORDS = st.sampled_from(["drone", "coast", "rain", "vaccin", "claim", "x"])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(_WORDS, max_size=8), max_size=12), st.lists(_WORDS, max_size=4))
def test_scores_equal_the_formula_on_any_small_pool(docs: list[list[str]], query: list[str]) -> None:
    bm25 = BM25(docs, k1=1.2, b=0.75)
    lengths = [len(d) for d in docs]
    avg = sum(lengths) / len(docs) if docs and sum(lengths) else 1.0
    expected = np.zeros(len(docs))
    for term in set(query):
        df = sum(term in d for d in docs)
        idf = math.log(1 + (len(docs) - df + 0.5) / (df + 0.5)) if df else 0.0
        for i, doc in enumerate(docs):
            tf = doc.count(term)
            if tf:
                expected[i] += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * lengths[i] / avg))
    assert bm25.scores(query) == pytest.approx(expected.astype(np.float32), rel=1e-5, abs=1e-6)


def test_many_texts_tokenise_as_one_at_a_time() -> None:
    texts = ["Vaccines CONTAIN microchips!", "", "The vaccine's contents, contained.", "Vaccines"]
    assert tokens_many(texts) == [tokens(t) for t in texts]
