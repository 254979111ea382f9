"""Training that needs no torch: article slices for the tagger's batches, and the TC classifier
fitted on gold spans and on a teacher's soft labels (scikit-learn)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsforensics.models.techniques import tokenizer
from newsforensics.techniques.encoding import Window
from newsforensics.techniques.formats import SpanLabel, technique_definitions
from newsforensics.training.techniques import (
    SoftSpans,
    Split,
    TaggedArticle,
    chunks,
    classifier_probabilities,
    fit_classifier,
)


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


def _split(phrases: dict[str, str], rest: str = "") -> Split:
    """Six articles a technique, each with its phrase annotated (n-grams enter the vocabularies
    only when a few training spans have them)."""
    articles, tc = {}, {}
    for i in range(6):
        for name, phrase in phrases.items():
            key = f"{name}{i}"
            articles[key] = f"Yesterday {phrase} met again.{rest}"
            tc[key] = [SpanLabel(key, 10, 10 + len(phrase), name)]
    return Split(articles, {}, tc)


NO_VECTORS = np.zeros((30522, 4), dtype=np.int8), np.ones(30522, dtype=np.float32)
NAMES = list(technique_definitions())


def test_a_teachers_soft_labels_move_the_classifier_towards_its_techniques() -> None:
    pytest.importorskip("sklearn")
    split = _split({"Loaded_Language": "the vile mob", "Doubt": "is it really true",
                    "Flag-Waving": "our great nation"}, "\nThe council voted.")
    unlabelled = {f"u{i}": "Yesterday the vile council met again." for i in range(6)}
    keys = [(key, 10, 28) for key in unlabelled]  # "the vile council", which no annotator marked
    doubt = np.zeros((len(keys), 14), dtype=np.float32)
    doubt[:, NAMES.index("Doubt")] = 1.0  # the teacher says Doubt
    soft = SoftSpans(unlabelled, keys, doubt)

    def p_doubt(alpha: float) -> float:
        classifier = fit_classifier(split, sorted(split.articles), tokenizer(), *NO_VECTORS,
                                    lambda _: None, soft=soft if alpha else None, alpha=alpha)
        probs = classifier_probabilities(classifier, unlabelled, keys[:1], tokenizer(), *NO_VECTORS)
        return float(probs[0, NAMES.index("Doubt")])

    assert p_doubt(0.0) < 0.5 < p_doubt(2.0)


def test_a_classifier_of_two_techniques_keeps_its_one_logit() -> None:
    pytest.importorskip("sklearn")
    split = _split({"Loaded_Language": "the vile mob", "Doubt": "is it really true"})
    classifier = fit_classifier(split, sorted(split.articles), tokenizer(), *NO_VECTORS,
                                lambda _: None)
    probs = classifier_probabilities(classifier, split.articles, [("Doubt0", 10, 27)], tokenizer(),
                                     *NO_VECTORS)[0]
    assert probs[NAMES.index("Doubt")] > 0.5 > probs[NAMES.index("Loaded_Language")] > 0.0
