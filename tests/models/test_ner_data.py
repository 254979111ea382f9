"""NER training/evaluation data: tag mapping across the corpora's conventions, and scoring."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from newsforensics.models.ner_data import Score, overlap_f1, read_conll, tag_spans


def test_tags_of_every_corpus_map_to_per_org_loc() -> None:
    # lang-uk PERS, CoNLL MISC, GermEval LOCderiv, a stray I- (WikiNEuRal) and a type change
    tags = ["B-PERS", "I-PERS", "O", "B-MISC", "B-LOCderiv", "I-ORG", "I-ORG", "I-LOC", "B-DATE"]
    assert tag_spans(tags) == [(0, 2, "PER"), (5, 7, "ORG"), (7, 8, "LOC")]


@given(st.lists(st.sampled_from(["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "I-LOC", "B-MISC"]), max_size=30))
def test_spans_are_ordered_disjoint_and_inside_the_sentence(tags: list[str]) -> None:
    spans = tag_spans(tags)
    assert all(0 <= a < b <= len(tags) for a, b, _ in spans)
    assert all(prev[1] <= nxt[0] for prev, nxt in zip(spans, spans[1:]))
    assert all(kind in {"PER", "ORG", "LOC"} for *_, kind in spans)


def test_read_conll_splits_sentences_at_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "x.tsv"
    path.write_text("Angela\tB-PER\nMerkel\tI-PER\nsagte\tO\n\nin\tO\nBerlin\tB-LOC\n", "utf-8")
    first, second = read_conll(path)
    assert first.tokens == ["Angela", "Merkel", "sagte"] and first.spans == [(0, 2, "PER")]
    assert second.spans == [(1, 2, "LOC")]


def test_exact_match_scores_per_type_and_lenient_counts_overlaps() -> None:
    gold = [{(0, 13, "PER"), (17, 23, "LOC")}, {(0, 20, "ORG")}]
    pred = [{(0, 13, "PER"), (17, 23, "ORG")}, {(8, 20, "ORG")}]
    score = Score.of(gold, pred)
    assert score.f1("PER") == 1.0 and score.f1("LOC") == 0.0
    assert score.precision() == 1 / 3 and score.recall() == 1 / 3
    assert overlap_f1(gold, pred) == 2 / 3
