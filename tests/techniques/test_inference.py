"""The shipped model on tiny inputs: probabilities, offsets, one pass for SI and TC."""

from __future__ import annotations

import numpy as np
import pytest

from newsforensics.models.techniques import model_card
from newsforensics.techniques.encoding import line_segments
from newsforensics.techniques.inference import shipped_model, whole_words

TEXT = ("Councillor Brandt, a puppet of the developers, betrayed this town.\n"
        "The ferry leaves at nine.\n")


@pytest.fixture(scope="module")
def model():
    return shipped_model()


def test_the_card_says_what_the_model_is_and_how_it_was_checked() -> None:
    card = model_card()
    assert card["weights"] and card["size_mb"] <= 100
    assert {"temperature", "outside_bias", "span_platt"} <= set(card["calibration"])
    assert "PTC dev never used" in card["training_data"]


def test_classify_gives_a_distribution_per_span(model) -> None:
    start = TEXT.index("a puppet")
    probs = model.classify(TEXT, line_segments(TEXT), [(start, start + 26), (0, 17)])
    assert probs.shape == (2, 14)
    np.testing.assert_allclose(probs.sum(1), 1.0, rtol=1e-5)
    assert model.classify(TEXT, line_segments(TEXT), []).shape == (0, 14)


def test_fragments_lie_inside_their_segments_trimmed_and_ranked(model) -> None:
    [found] = model.fragments([(TEXT, line_segments(TEXT))])
    for fragment in found:
        assert TEXT[fragment.start:fragment.end].strip(" .,:;") == TEXT[fragment.start:fragment.end]
        assert "\n" not in TEXT[fragment.start:fragment.end]
        probabilities = [p for _, p in fragment.techniques]
        assert probabilities == sorted(probabilities, reverse=True) and len(probabilities) == 14
        assert 0 < fragment.span_probability < 1


def test_a_lower_outside_bias_never_finds_fewer_spans_characters(model) -> None:
    batch = [(TEXT, line_segments(TEXT))]
    encoded = model.encode_articles(batch)
    covered = [sum(f.end - f.start for f in model.decode(batch, encoded, bias)[0])
               for bias in (2.0, 0.0, -4.0)]
    assert covered[0] <= covered[2] and covered[1] <= covered[2]


def test_each_sentence_is_read_with_its_neighbours_but_spans_stay_inside_one(model) -> None:
    [encoded] = model.encode_articles([(TEXT, line_segments(TEXT))])
    assert encoded.log_probs.shape == (len(encoded.window), 3)
    assert encoded.vectors.shape == (len(encoded.window), 384)
    for start, end, _ in model.spans(TEXT, encoded, -4.0):
        assert "\n" not in TEXT[start:end]


def test_articles_are_independent_of_their_batch(model) -> None:
    other = "Nothing happened today.\n"
    alone = model.fragments([(TEXT, line_segments(TEXT))])[0]
    batched = model.fragments([(other, line_segments(other)), (TEXT, line_segments(TEXT))])[1]
    assert [(f.start, f.end) for f in alone] == [(f.start, f.end) for f in batched]
    for a, b in zip(alone, batched):
        assert a.techniques[0][0] == b.techniques[0][0]
        assert a.techniques[0][1] == pytest.approx(b.techniques[0][1], abs=1e-3)


def test_a_span_cut_inside_a_word_is_widened_to_the_word() -> None:
    text = "They smuggled drones; un-smuggled."
    assert whole_words(text, 5, 9) == (5, 13)  # "smug" → "smuggled"
    assert whole_words(text, 7, 13) == (5, 13)
    assert whole_words(text, 5, 13) == (5, 13)  # already whole
    assert whole_words(text, 25, 33) == (25, 33)  # the hyphen is a boundary
    assert whole_words(text, 0, len(text)) == (0, len(text))


def test_fragments_never_start_or_end_inside_a_word(model) -> None:
    [found] = model.fragments([(TEXT, line_segments(TEXT))], outside_bias=-4.0)
    assert found
    for f in found:
        assert not (f.start > 0 and TEXT[f.start - 1].isalnum() and TEXT[f.start].isalnum())
        assert not (f.end < len(TEXT) and TEXT[f.end - 1].isalnum() and TEXT[f.end].isalnum())
