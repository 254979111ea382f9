"""BM25: the textbook scores, stemming, and no score for absent terms."""

from __future__ import annotations

import math

import numpy as np
import pytest

from newsforensics.factchecks.lexical import BM25, tokens


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
