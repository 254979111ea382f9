"""The classifier's n-gram features: what they extract, how they weigh, that they round-trip."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsforensics.techniques.lexical import (
    LexicalFeatures,
    char_ngrams,
    sparse_logits,
    word_ngrams,
)

SETTINGS = {"span_words": {"min_df": 2, "max_features": 100, "weight": 1.0},
            "span_chars": {"min_df": 2, "max_features": 100, "weight": 1.0},
            "context_words": {"min_df": 1, "max_features": 100, "weight": 0.5}}
SPANS = ["corrupt traitors", "corrupt elite", "traitors!", "the ferry"]
CONTEXTS = ["they are", "the elite is", "shame on the", "at nine"]


def test_ngrams_are_lowercased_words_bigrams_and_padded_characters() -> None:
    assert word_ngrams("Corrupt Elite!") == ["corrupt", "elite", "!", "corrupt elite", "elite !"]
    assert char_ngrams("Ab", 2, 3) == [" a", "ab", "b ", " ab", "ab "]


def test_fitting_keeps_ngrams_seen_often_enough_and_rows_are_unit_blocks() -> None:
    lexical = LexicalFeatures.fit(SPANS, CONTEXTS, SETTINGS)
    words = lexical.fields[0]
    assert set(words.index) == {"corrupt", "traitors"}  # the only words in two spans
    indices, values = lexical.row("Corrupt traitors", "they are")
    blocks = np.searchsorted(lexical.offsets, indices, side="right") - 1
    norms = [float(np.linalg.norm(values[blocks == block])) for block in range(3)]
    assert norms == pytest.approx([1.0, 1.0, 0.5], abs=1e-6)  # "they are" is in the context vocabulary
    assert len(lexical.row("zzz", "qqq")[0]) == 0


def test_the_vocabulary_round_trips_through_json() -> None:
    lexical = LexicalFeatures.fit(SPANS, CONTEXTS, SETTINGS)
    again = LexicalFeatures.from_json(json.loads(json.dumps(lexical.to_json())))
    for a, b in zip(lexical.row("corrupt elite", "they"), again.row("corrupt elite", "they")):
        np.testing.assert_allclose(a, b, rtol=1e-4)


def test_sparse_logits_equal_the_dense_product() -> None:
    lexical = LexicalFeatures.fit(SPANS, CONTEXTS, SETTINGS)
    weights = np.random.default_rng(0).normal(size=(lexical.size, 3)).astype(np.float32)
    rows = [lexical.row(s, c) for s, c in zip(SPANS, CONTEXTS)] + [lexical.row("", "")]
    dense = np.zeros((len(rows), lexical.size), dtype=np.float32)
    for r, (indices, values) in enumerate(rows):
        dense[r, indices] = values
    np.testing.assert_allclose(sparse_logits(rows, weights), dense @ weights, rtol=1e-4, atol=1e-5)


@given(st.text(max_size=200), st.text(max_size=200))
def test_any_text_gives_a_finite_row(span: str, context: str) -> None:
    lexical = LexicalFeatures.fit(SPANS, CONTEXTS, SETTINGS)
    indices, values = lexical.row(span, context)
    assert len(indices) == len(values) and np.isfinite(values).all()
    assert ((indices >= 0) & (indices < lexical.size)).all()
