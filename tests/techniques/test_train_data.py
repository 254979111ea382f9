"""Training inputs that need no torch: article slices for the tagger's batches."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from newsforensics.techniques.encoding import Window
from newsforensics.training.techniques import TaggedArticle, chunks


def _article(segment_lengths: list[int]) -> TaggedArticle:
    starts = [-1]
    for length in segment_lengths:
        starts += list(range(length)) + [-1]
    positions = np.array(starts)
    window = Window(np.zeros(len(positions), dtype=np.int64), positions, positions + 1)
    return TaggedArticle("a", window, np.zeros((len(positions), 1)), np.zeros(len(positions)))


@given(st.lists(st.integers(1, 40), min_size=1, max_size=30), st.integers(2, 100))
def test_slices_run_separator_to_separator_and_cover_every_piece(lengths: list[int], size: int) -> None:
    article = _article(lengths)
    parts = chunks(article, size)
    special = article.window.starts < 0
    for part in parts:
        assert special[part.start] and special[part.stop - 1]
        assert part.stop - part.start <= size + max(lengths) + 1
    assert [p.start for p in parts[1:]] == [p.stop - 1 for p in parts[:-1]]  # they share a separator
    assert parts[0].start == 0 and parts[-1].stop == len(article.window)


def test_short_articles_are_one_slice_and_long_ones_are_cut() -> None:
    assert chunks(_article([5, 5]), 384) == [slice(0, 13)]
    assert chunks(_article([5, 5, 5, 5]), 12)[:2] == [slice(0, 13), slice(12, 25)]
