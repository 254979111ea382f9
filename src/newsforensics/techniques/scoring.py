"""The SemEval-2020 Task 11 measures, reimplemented from the task definition.

* SI: character-overlap credit. With S the predicted and T the gold spans (gold spans of one
  article merged where they overlap or touch), P = 1/|S| Σ_s Σ_t |s∩t|/|s| and
  R = 1/|T| Σ_t Σ_s |s∩t|/|t|, summed over all articles.
* FLC: the same, where a pair counts only when both spans carry the same technique (gold merged
  per article and technique); micro over all techniques, plus one score per technique.
* TC: micro-F1 over template lines; a prediction is right if an unmatched gold line with the
  same article, span and technique remains (multiset alignment of repeated spans).

Every measure is 0 where its denominator is empty (no predictions, no gold), never a crash.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from itertools import pairwise
from typing import Any

from ..errors import InputError
from .formats import SpanLabel, technique_definitions

GroupKey = tuple[str, str | None]  # (article id, technique or None for SI)


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1 with the counts behind them."""

    precision: float
    recall: float
    f1: float
    n_gold: int
    n_pred: int

    @classmethod
    def from_credit(cls, precision_credit: float, recall_credit: float, n_pred: int,
                    n_gold: int) -> Scores:
        precision = precision_credit / n_pred if n_pred else 0.0
        recall = recall_credit / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(precision, recall, f1, n_gold, n_pred)


@dataclass(frozen=True)
class TaskScores:
    """The overall (micro) scores of one task and, for TC and FLC, one row per technique."""

    task: str
    overall: Scores
    per_technique: dict[str, Scores] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"task": self.task, **asdict(self.overall),
                "per_technique": {name: asdict(s) for name, s in self.per_technique.items()}}


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint spans: those that overlap or touch are joined into one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _groups(labels: Iterable[SpanLabel], by_technique: bool) -> dict[GroupKey, list[tuple[int, int]]]:
    groups: dict[GroupKey, list[tuple[int, int]]] = defaultdict(list)
    for label in labels:
        groups[(label.article_id, label.technique if by_technique else None)].append(
            (label.start, label.end))
    return groups


def _disjoint_predictions(key: GroupKey, spans: list[tuple[int, int]],
                          merge: bool) -> list[tuple[int, int]]:
    """Predictions must not overlap (else recall could pass 1); merge them only when asked."""
    if merge:
        return merge_spans(spans)
    ordered = sorted(set(spans))
    for (s1, e1), (s2, e2) in pairwise(ordered):
        if s2 < e1:
            technique = f" ({key[1]})" if key[1] else ""
            raise InputError(f"predicted spans [{s1}, {e1}) and [{s2}, {e2}) of article {key[0]}"
                             f"{technique} overlap; merge them, or ask the scorer to merge "
                             f"overlapping predictions")
    return ordered


def _overlap_credit(gold: Sequence[tuple[int, int]],
                    pred: Sequence[tuple[int, int]]) -> tuple[float, float]:
    """(Σ|s∩t|/|s|, Σ|s∩t|/|t|) for two sorted lists of disjoint spans, in one linear sweep."""
    precision_credit = recall_credit = 0.0
    g = p = 0
    while g < len(gold) and p < len(pred):
        (gs, ge), (ps, pe) = gold[g], pred[p]
        overlap = min(ge, pe) - max(gs, ps)
        if overlap > 0:
            precision_credit += overlap / (pe - ps)
            recall_credit += overlap / (ge - gs)
        if ge <= pe:
            g += 1
        else:
            p += 1
    return precision_credit, recall_credit


def _span_credit(gold: Iterable[SpanLabel], pred: Iterable[SpanLabel], by_technique: bool,
                 merge_predictions: bool) -> dict[str | None, list[float]]:
    """Per technique (None for SI): [precision credit, recall credit, |S|, |T|]."""
    gold_groups, pred_groups = _groups(gold, by_technique), _groups(pred, by_technique)
    totals: dict[str | None, list[float]] = defaultdict(lambda: [0.0, 0.0, 0, 0])
    for key in gold_groups.keys() | pred_groups.keys():
        gold_spans = merge_spans(gold_groups.get(key, ()))
        pred_spans = _disjoint_predictions(key, pred_groups.get(key, []), merge_predictions)
        precision_credit, recall_credit = _overlap_credit(gold_spans, pred_spans)
        row = totals[key[1]]
        row[0] += precision_credit
        row[1] += recall_credit
        row[2] += len(pred_spans)
        row[3] += len(gold_spans)
    return totals


def score_si(gold: Iterable[SpanLabel], pred: Iterable[SpanLabel],
             merge_predictions: bool = False) -> TaskScores:
    """Span identification: techniques are ignored."""
    row = _span_credit(gold, pred, False, merge_predictions).get(None, [0.0, 0.0, 0, 0])
    return TaskScores("si", Scores.from_credit(row[0], row[1], int(row[2]), int(row[3])))


def _per_technique(rows: dict[str | None, list[float]]) -> dict[str, Scores]:
    """One row per technique of the inventory, in its order, so the JSON keys are stable."""
    empty = [0.0, 0.0, 0, 0]
    return {name: Scores.from_credit(r[0], r[1], int(r[2]), int(r[3]))
            for name in technique_definitions() for r in [rows.get(name, empty)]}


def score_flc(gold: Iterable[SpanLabel], pred: Iterable[SpanLabel],
              merge_predictions: bool = False) -> TaskScores:
    """Fragment-level classification: SI's credit, counted only between equal techniques."""
    rows = _span_credit(gold, pred, True, merge_predictions)
    totals = [sum(r[i] for r in rows.values()) for i in range(4)]
    overall = Scores.from_credit(totals[0], totals[1], int(totals[2]), int(totals[3]))
    return TaskScores("flc", overall, _per_technique(rows))


def score_tc(gold: Iterable[SpanLabel], pred: Iterable[SpanLabel]) -> TaskScores:
    """Technique classification: micro-F1, each gold line matched at most once."""
    unmatched = Counter(gold)
    gold_per_technique = Counter(label.technique for label in unmatched.elements())
    pred_per_technique: Counter[str | None] = Counter()
    correct: Counter[str | None] = Counter()
    for label in pred:
        pred_per_technique[label.technique] += 1
        if unmatched[label] > 0:
            unmatched[label] -= 1
            correct[label.technique] += 1
    rows = {name: [correct[name], correct[name], pred_per_technique[name], gold_per_technique[name]]
            for name in gold_per_technique.keys() | pred_per_technique.keys()}
    overall = Scores.from_credit(correct.total(), correct.total(), pred_per_technique.total(),
                                 gold_per_technique.total())
    return TaskScores("tc", overall, _per_technique(rows))


def evaluate(task: str, gold: Iterable[SpanLabel], pred: Iterable[SpanLabel],
             merge_predictions: bool = False) -> TaskScores:
    """Score predictions against gold for ``task`` (si, tc or flc)."""
    if task == "si":
        return score_si(gold, pred, merge_predictions)
    if task == "flc":
        return score_flc(gold, pred, merge_predictions)
    if task == "tc":
        return score_tc(gold, pred)
    raise InputError(f"unknown task {task!r}; use si, tc or flc")
