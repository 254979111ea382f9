"""Model inputs and outputs on tiny, hand-checked cases: windows, BIO tags, decoding, features."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsforensics.models.techniques import tokenizer as load_tokenizer
from newsforensics.techniques.encoding import (
    BEGIN,
    INSIDE,
    OUTSIDE,
    PIECE_FEATURES,
    Window,
    article_window,
    bio_tags,
    context_bounds,
    decode_bio,
    line_segments,
    piece_features,
    segment_windows,
    span_features,
    trim,
)


@pytest.fixture(scope="module")
def tokenizer():
    return load_tokenizer()


def _window(offsets: list[tuple[int, int]]) -> Window:
    ids = np.arange(len(offsets) + 2)
    return Window(ids, np.array([-1, *(s for s, _ in offsets), -1]),
                  np.array([-1, *(e for _, e in offsets), -1]))


def _log_probs(tags: list[int], confidence: float = 0.9) -> np.ndarray:
    probs = np.full((len(tags), 3), (1 - confidence) / 2)
    probs[np.arange(len(tags)), tags] = confidence
    return np.log(probs)


def test_windows_carry_article_offsets_of_every_piece(tokenizer) -> None:
    text = "Title line\n\nThe foxes lied again."
    windows = segment_windows(tokenizer, text, line_segments(text))
    assert len(windows) == 2  # the blank line is no segment
    second = windows[1]
    assert second.ids[0] == 101 and second.ids[-1] == 102
    pieces = [text[s:e] for s, e in zip(second.starts[1:-1], second.ends[1:-1])]
    assert pieces == ["The", "foxes", "lied", "again", "."]


def test_a_segment_longer_than_a_window_is_cut_without_losing_pieces(tokenizer) -> None:
    text = " ".join(["word"] * 300)
    windows = segment_windows(tokenizer, text, [(0, len(text))], max_pieces=126)
    assert [len(w) - 2 for w in windows] == [126, 126, 48]
    assert windows[1].starts[1] == windows[0].ends[-2] + 1


def test_bio_tags_begin_each_gold_span_and_leave_specials_outside() -> None:
    window = _window([(0, 3), (4, 8), (9, 12), (13, 17), (18, 20)])
    tags = bio_tags(window, [(4, 12), (13, 20)])
    assert tags.tolist() == [OUTSIDE, OUTSIDE, BEGIN, INSIDE, BEGIN, INSIDE, OUTSIDE]


def test_decode_finds_the_spans_of_a_clean_tag_sequence() -> None:
    tags = [OUTSIDE, BEGIN, INSIDE, OUTSIDE, BEGIN, OUTSIDE]
    assert decode_bio(_log_probs(tags)) == [(1, 2), (4, 4)]


def test_decode_never_starts_a_span_with_inside_after_outside() -> None:
    # argmax would read O I I: the path must start the span with B (or drop it), never O→I.
    log_probs = _log_probs([OUTSIDE, OUTSIDE, INSIDE, INSIDE, OUTSIDE])
    log_probs[2, BEGIN] = np.log(0.3)
    assert decode_bio(log_probs) == [(2, 3)]


def test_outside_bias_trades_spans_for_precision() -> None:
    log_probs = np.log(np.array([[0.9, 0.05, 0.05], [0.55, 0.4, 0.05], [0.9, 0.05, 0.05]]))
    assert decode_bio(log_probs) == []
    assert decode_bio(log_probs, outside_bias=-0.5) == [(1, 1)]


@given(st.lists(st.integers(0, 2), min_size=2, max_size=30))
def test_decoded_spans_are_ordered_disjoint_and_inside_the_window(tags: list[int]) -> None:
    spans = decode_bio(_log_probs([OUTSIDE, *tags, OUTSIDE], 0.6))
    for (first, last), following in zip(spans, spans[1:] + [(len(tags) + 2, 0)]):
        assert 1 <= first <= last < following[0] <= len(tags) + 2


def test_trim_drops_what_ptc_v2_annotations_never_start_or_end_with() -> None:
    text = " ,the lie.; "
    assert text[slice(*trim(text, 0, len(text)))] == "the lie"
    assert trim(text, 0, 2) == (2, 2)


def test_context_spans_the_touched_segments() -> None:
    segments = [(0, 10), (11, 20), (21, 30)]
    assert context_bounds(segments, 5, 15) == (0, 20)
    assert context_bounds(segments, 22, 25) == (21, 30)
    assert context_bounds([], 3, 4) == (3, 4)


def test_the_article_sequence_joins_segments_with_separators(tokenizer) -> None:
    text = "Title line\n\nThe foxes lied again.\nEnd"
    joined = article_window(segment_windows(tokenizer, text, line_segments(text)))
    assert list(joined.ids).count(102) == 3 and joined.ids[0] == 101 and joined.ids[-1] == 102
    separators = np.flatnonzero(joined.starts < 0)
    assert list(separators) == [0, 3, 9, 11]
    assert [text[s:e] for s, e in zip(joined.starts[4:9], joined.ends[4:9])] == [
        "The", "foxes", "lied", "again", "."]
    empty = article_window([])
    assert list(empty.ids) == [101, 102]


def test_separators_are_never_inside_a_decoded_span() -> None:
    log_probs = _log_probs([OUTSIDE, BEGIN, INSIDE, INSIDE, BEGIN, OUTSIDE])
    blocked = np.array([True, False, False, True, False, True])
    assert decode_bio(log_probs, blocked=blocked) == [(1, 2), (4, 4)]


def test_piece_cues_follow_case_quotes_title_and_repetition(tokenizer) -> None:
    text = 'CROOKS again\nHe said "crooks rule" today'
    joined = article_window(segment_windows(tokenizer, text, line_segments(text)))
    cues = piece_features(text, joined)
    pieces = ["" if s < 0 else text[s:e] for s, e in zip(joined.starts, joined.ends)]
    assert cues.shape == (len(joined), PIECE_FEATURES)
    assert not cues[joined.starts < 0].any()  # separators carry no cues
    upper, in_quote, title, repeats = cues[:, 2], cues[:, 5], cues[:, 8], cues[:, 9]
    first_crooks = pieces.index("CROOK")
    assert upper[first_crooks] == 1 and title[first_crooks] == 1
    assert repeats[first_crooks] > 0 and repeats[pieces.index("He")] == 0  # case is ignored
    rule = pieces.index("rule")
    assert in_quote[rule] == 1 and in_quote[pieces.index("today")] == 0
    assert title[rule] == 0


def test_span_features_see_repetition_across_the_article() -> None:
    text = "Stop the quay! Nobody listens. Stop the quay!"
    lowered = text.lower()
    repeated = span_features(text, lowered, 0, 13)
    single = span_features(text, lowered, 15, 29)
    assert repeated[1] == 1.0 and repeated[0] > 0 and repeated[4] == 1.0
    assert single[1] == 0.0 and single[0] == 0.0
