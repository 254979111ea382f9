"""The SemEval-2020 Task 11 scorers on hand-computed cases, their properties, and PTC dev."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from newsforensics.cli import app
from newsforensics.errors import InputError
from newsforensics.techniques import (
    SpanLabel,
    read_labels,
    score_flc,
    score_si,
    score_tc,
    technique_definitions,
    technique_names,
)
from newsforensics.techniques.scoring import merge_spans

PTC = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "ptc"
LL, NC, DOUBT, REP = "Loaded_Language", "Name_Calling,Labeling", "Doubt", "Repetition"


def si(*spans: tuple[str, int, int]) -> list[SpanLabel]:
    return [SpanLabel(a, s, e) for a, s, e in spans]


def tc(*spans: tuple[str, str, int, int]) -> list[SpanLabel]:
    return [SpanLabel(a, s, e, t) for a, t, s, e in spans]


def prf(scores) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    return scores.overall.precision, scores.overall.recall, scores.overall.f1


# --- SI ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("gold", "pred", "expected"), [
    # partial overlap: 5 of 10 predicted chars are gold, 5 of 10 gold chars are found
    (si(("a", 0, 10)), si(("a", 5, 15)), (0.5, 0.5, 0.5)),
    # overlapping gold spans merge into [0, 20): one gold span, half of it found
    (si(("a", 0, 10), ("a", 5, 20)), si(("a", 0, 10)), (1.0, 0.5, 2 / 3)),
    # touching gold spans merge too
    (si(("a", 0, 5), ("a", 5, 10)), si(("a", 0, 5)), (1.0, 0.5, 2 / 3)),
    # one prediction across two gold spans: P = 10/20, R = (5/10 + 5/10) / 2
    (si(("a", 0, 10), ("a", 20, 30)), si(("a", 5, 25)), (0.5, 0.5, 0.5)),
    # an article with no gold: its prediction earns no precision credit
    (si(("a", 0, 10)), si(("a", 0, 10), ("b", 0, 10)), (0.5, 1.0, 2 / 3)),
    # offsets of different articles never meet
    (si(("a", 0, 10)), si(("b", 0, 10)), (0.0, 0.0, 0.0)),
    # no predictions: P is 0 by definition, no division by zero
    (si(("a", 0, 10)), [], (0.0, 0.0, 0.0)),
    # no gold at all
    ([], si(("a", 0, 10)), (0.0, 0.0, 0.0)),
    ([], [], (0.0, 0.0, 0.0)),
])
def test_si_hand_computed(gold: list[SpanLabel], pred: list[SpanLabel],
                          expected: tuple[float, float, float]) -> None:
    assert prf(score_si(gold, pred)) == pytest.approx(expected)


def test_si_counts_spans_after_merging_gold() -> None:
    scores = score_si(si(("a", 0, 10), ("a", 5, 20), ("a", 30, 40)), si(("a", 0, 1)))
    assert (scores.overall.n_gold, scores.overall.n_pred) == (2, 1)


def test_si_ignores_techniques_of_flc_style_input() -> None:
    assert prf(score_si(tc(("a", LL, 0, 10)), tc(("a", DOUBT, 0, 10)))) == (1.0, 1.0, 1.0)


def test_overlapping_predictions_are_refused_unless_merging_is_asked() -> None:
    gold, pred = si(("a", 0, 10)), si(("a", 0, 6), ("a", 4, 10))
    with pytest.raises(InputError, match=r"\[0, 6\) and \[4, 10\) of article a overlap"):
        score_si(gold, pred)
    assert prf(score_si(gold, pred, merge_predictions=True)) == (1.0, 1.0, 1.0)
    # touching predictions do not overlap
    assert prf(score_si(gold, si(("a", 0, 5), ("a", 5, 10)))) == (1.0, 1.0, 1.0)


def test_splitting_a_prediction_changes_precision() -> None:
    """The formula averages per predicted span, so a split can move P (recall stays)."""
    gold = si(("a", 0, 10))
    whole, split = score_si(gold, si(("a", 5, 15))), score_si(gold, si(("a", 5, 10), ("a", 10, 15)))
    assert whole.overall.precision == pytest.approx(0.5)
    assert split.overall.precision == pytest.approx(0.5)  # (1 + 0) / 2: same here by chance
    uneven = score_si(gold, si(("a", 5, 8), ("a", 8, 15)))
    assert uneven.overall.precision == pytest.approx((1 + 2 / 7) / 2)
    assert uneven.overall.recall == whole.overall.recall == pytest.approx(0.5)


# --- FLC --------------------------------------------------------------------------------------


def test_flc_counts_overlap_only_between_equal_techniques() -> None:
    gold = tc(("a", LL, 0, 10), ("a", DOUBT, 0, 10))
    scores = score_flc(gold, tc(("a", LL, 0, 10)))
    assert prf(scores) == pytest.approx((1.0, 0.5, 2 / 3))
    assert scores.per_technique[LL].f1 == 1.0
    assert (scores.per_technique[DOUBT].recall, scores.per_technique[DOUBT].n_gold) == (0.0, 1)
    assert prf(score_flc(gold, tc(("a", NC, 0, 10)))) == (0.0, 0.0, 0.0)


def test_flc_merges_gold_per_technique_and_allows_overlap_across_techniques() -> None:
    gold = tc(("a", LL, 0, 10), ("a", LL, 8, 20), ("a", DOUBT, 5, 15))
    pred = tc(("a", LL, 0, 20), ("a", DOUBT, 0, 10))
    scores = score_flc(gold, pred)
    # LL: one merged gold [0, 20) found exactly; DOUBT: 5 of 10 predicted, 5 of 10 gold
    assert prf(scores) == pytest.approx((0.75, 0.75, 0.75))
    assert scores.per_technique[DOUBT].f1 == pytest.approx(0.5)
    assert list(scores.per_technique) == list(technique_definitions())  # stable JSON keys


# --- TC ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("pred", "expected"), [
    (tc(("a", LL, 0, 10), ("a", NC, 0, 10)), (1.0, 1.0, 1.0)),
    (tc(("a", NC, 0, 10), ("a", LL, 0, 10)), (1.0, 1.0, 1.0)),  # order does not matter
    (tc(("a", LL, 0, 10), ("a", LL, 0, 10)), (0.5, 0.5, 0.5)),  # one gold line, matched once
    (tc(("a", LL, 0, 10)), (1.0, 0.5, 2 / 3)),
    (tc(("a", LL, 0, 11), ("a", NC, 0, 10)), (0.5, 0.5, 0.5)),  # the span must match exactly
    ([], (0.0, 0.0, 0.0)),
])
def test_tc_multiset_alignment_of_a_span_with_two_techniques(
        pred: list[SpanLabel], expected: tuple[float, float, float]) -> None:
    gold = tc(("a", LL, 0, 10), ("a", NC, 0, 10))
    assert prf(score_tc(gold, pred)) == pytest.approx(expected)


def test_tc_per_technique_scores() -> None:
    gold = tc(("a", LL, 0, 10), ("a", NC, 0, 10), ("b", REP, 3, 9), ("b", REP, 3, 9))
    pred = tc(("a", LL, 0, 10), ("a", LL, 0, 10), ("b", REP, 3, 9), ("b", REP, 3, 9))
    scores = score_tc(gold, pred)
    assert prf(scores) == pytest.approx((0.75, 0.75, 0.75))
    ll, nc, rep = (scores.per_technique[n] for n in (LL, NC, REP))
    assert (ll.precision, ll.recall) == (0.5, 1.0)
    assert (nc.precision, nc.recall, nc.n_gold, nc.n_pred) == (0.0, 0.0, 1, 0)
    assert rep.f1 == 1.0


# --- properties -------------------------------------------------------------------------------

ARTICLES = ["a", "b", "c"]
spans = st.tuples(st.sampled_from(ARTICLES), st.integers(0, 300), st.integers(1, 60))
technique_spans = st.tuples(spans, st.sampled_from(sorted(technique_names())))


def as_si(items: list[tuple[str, int, int]]) -> list[SpanLabel]:
    return [SpanLabel(a, s, s + n) for a, s, n in items]


def as_tc(items: list[tuple[tuple[str, int, int], str]]) -> list[SpanLabel]:
    return [SpanLabel(a, s, s + n, t) for (a, s, n), t in items]


def merged(labels: list[SpanLabel]) -> list[SpanLabel]:
    """Disjoint, non-touching predictions: the merged form of ``labels``."""
    by_key: dict[tuple[str, str | None], list[tuple[int, int]]] = {}
    for x in labels:
        by_key.setdefault((x.article_id, x.technique), []).append((x.start, x.end))
    return [SpanLabel(a, s, e, t) for (a, t), ss in by_key.items() for s, e in merge_spans(ss)]


@given(st.lists(spans, min_size=1, max_size=25), st.randoms())
def test_perfect_predictions_score_one(items: list[tuple[str, int, int]], rnd: random.Random) -> None:
    gold = as_si(items)
    assert prf(score_si(gold, merged(gold))) == pytest.approx((1.0, 1.0, 1.0))
    assert prf(score_si(gold, gold, merge_predictions=True)) == pytest.approx((1.0, 1.0, 1.0))


@given(st.lists(technique_spans, min_size=1, max_size=25), st.randoms())
def test_perfect_technique_predictions_score_one(items: list, rnd: random.Random) -> None:
    gold = as_tc(items)
    shuffled = rnd.sample(gold, len(gold))
    assert prf(score_tc(gold, shuffled)) == (1.0, 1.0, 1.0)
    assert prf(score_flc(gold, shuffled, merge_predictions=True)) == pytest.approx((1.0, 1.0, 1.0))


@given(st.lists(technique_spans, max_size=25), st.lists(technique_spans, max_size=25))
def test_scores_lie_in_unit_interval(gold_items: list, pred_items: list) -> None:
    gold, pred = as_tc(gold_items), as_tc(pred_items)
    for scores in (score_si(gold, pred, merge_predictions=True), score_tc(gold, pred),
                   score_flc(gold, pred, merge_predictions=True)):
        for s in (scores.overall, *scores.per_technique.values()):
            assert all(0.0 <= v <= 1.0 + 1e-12 for v in (s.precision, s.recall, s.f1))


@given(st.lists(spans, max_size=20), st.lists(spans, min_size=1, max_size=20), st.data())
def test_si_recall_is_invariant_to_splitting_a_prediction(gold_items: list, pred_items: list,
                                                          data: st.DataObject) -> None:
    """Σ_s |s∩t| is additive over a split of s, so R holds; P averages per span and need not."""
    gold, pred = as_si(gold_items), merged(as_si(pred_items))
    victim = data.draw(st.sampled_from([p for p in pred if len(p) > 1] or [None]))
    if victim is None:
        return
    cut = data.draw(st.integers(victim.start + 1, victim.end - 1))
    split = [p for p in pred if p != victim] + [SpanLabel(victim.article_id, victim.start, cut),
                                                SpanLabel(victim.article_id, cut, victim.end)]
    assert score_si(gold, split).overall.recall == pytest.approx(score_si(gold, pred).overall.recall)


@given(st.lists(spans, min_size=1, max_size=20), st.lists(spans, max_size=20), st.data())
def test_si_is_invariant_to_splitting_a_gold_span(gold_items: list, pred_items: list,
                                                  data: st.DataObject) -> None:
    """Gold spans are merged, so cutting one into touching pieces changes nothing."""
    gold, pred = as_si(gold_items), merged(as_si(pred_items))
    victim = data.draw(st.sampled_from(gold))
    if len(victim) < 2:
        return
    cut = data.draw(st.integers(victim.start + 1, victim.end - 1))
    split = [*gold, SpanLabel(victim.article_id, victim.start, cut),
             SpanLabel(victim.article_id, cut, victim.end)]
    split.remove(victim)
    assert prf(score_si(split, pred)) == pytest.approx(prf(score_si(gold, pred)))


@given(st.lists(spans, max_size=20), st.lists(spans, max_size=20))
def test_si_precision_and_recall_swap_with_roles(gold_items: list, pred_items: list) -> None:
    """With both sides already merged the formula is symmetric: P(g, p) == R(p, g)."""
    gold, pred = merged(as_si(gold_items)), merged(as_si(pred_items))
    forward, backward = score_si(gold, pred).overall, score_si(pred, gold).overall
    assert forward.precision == pytest.approx(backward.recall)
    assert forward.recall == pytest.approx(backward.precision)


# --- the command and the real dev set ---------------------------------------------------------


def test_cli_evaluate_prints_and_emits_json(tmp_path: Path) -> None:
    (tmp_path / "gold.labels").write_text("1\tDoubt\t0\t10\n1\tSlogans\t0\t10\n", encoding="utf-8")
    (tmp_path / "pred.labels").write_text("1\tDoubt\t0\t10\n1\tDoubt\t0\t10\n", encoding="utf-8")
    args = ["techniques", "evaluate", "--task", "tc", "--gold", str(tmp_path / "gold.labels"),
            "--pred", str(tmp_path / "pred.labels")]
    runner = CliRunner()
    table = runner.invoke(app, args)
    assert table.exit_code == 0 and "micro" in table.stdout and "Slogans" in table.stdout
    result = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    assert result["f1"] == 0.5 and result["per_technique"]["Doubt"]["precision"] == 0.5
    (tmp_path / "bad.labels").write_text("1\tPropaganda\t0\t10\n", encoding="utf-8")
    bad = runner.invoke(app, [*args[:-1], str(tmp_path / "bad.labels")])
    assert bad.exit_code == 3 and "bad.labels:1" in bad.stderr


@pytest.mark.parametrize(("task", "combined", "folder"), [
    ("si", "dev-task-si.labels", "dev-labels-task-si"),
    ("tc", "dev-task-flc-tc.labels", "dev-labels-task-flc-tc"),
    ("flc", "dev-task-flc-tc.labels", "dev-labels-task-flc-tc"),
])
def test_ptc_dev_gold_against_itself_scores_one(task: str, combined: str, folder: str) -> None:
    if not (PTC / combined).is_file():
        pytest.skip(f"{PTC} is not present (research data is not part of the repo)")
    gold, per_article = read_labels(PTC / combined, task), read_labels(PTC / folder, task)
    assert sorted(gold, key=repr) == sorted(per_article, key=repr)
    from newsforensics.techniques import evaluate

    assert prf(evaluate(task, gold, per_article)) == (1.0, 1.0, 1.0)
