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


@given(st.lists(st.sampled_from(["corrupt", "Traitors", "elite!", "the", "ferry", "élite", "a"]), max_size=40),
       st.integers(0, 2))
def test_a_row_is_tf_idf_of_the_ngrams_in_the_order_first_seen(words: list[str], k: int) -> None:
    """The row (word n-grams cached per word, counts read from a table) equals the TF-IDF of the
    field's n-grams computed plainly, value for value and in the same order."""
    import math
    from collections import Counter

    from newsforensics.techniques.lexical import ANALYSERS

    field = LexicalFeatures.fit(SPANS, CONTEXTS, SETTINGS).fields[k]
    text = " ".join(words)
    for _ in range(2):  # the second time from the field's word cache
        counts = Counter(g for g in ANALYSERS[field.name](text) if g in field.index)
        expected = np.array([1 + math.log(n) for n in counts.values()]) * field.idf[[field.index[g] for g in counts]]
        indices, values = field.row(text, 7)
        assert indices.tolist() == [field.index[g] + 7 for g in counts]
        if len(expected):
            assert values.tolist() == (expected * (field.weight / np.linalg.norm(expected))).astype(np.float32).tolist()
