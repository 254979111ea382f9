"""Persuasion techniques (SemEval-2020 Task 11): label files, technique inventory and scorers."""

from __future__ import annotations

from .formats import (
    TASKS,
    SpanLabel,
    read_labels,
    technique_definitions,
    technique_names,
    write_labels,
)
from .scoring import Scores, TaskScores, evaluate, score_flc, score_si, score_tc

__all__ = [
    "TASKS",
    "Scores",
    "SpanLabel",
    "TaskScores",
    "evaluate",
    "read_labels",
    "score_flc",
    "score_si",
    "score_tc",
    "technique_definitions",
    "technique_names",
    "write_labels",
]
