"""Calibration maths on synthetic data whose answer is known."""

from __future__ import annotations

import numpy as np

from newsforensics.training.technique_calibration import fit_platt, fit_temperature, gold_share


def test_temperature_undoes_a_known_sharpening() -> None:
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(4000, 5)) * 2
    true = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    labels = np.array([rng.choice(5, p=p) for p in true])
    targets = np.eye(5)[labels]
    overconfident = np.exp(logits * 2) / np.exp(logits * 2).sum(1, keepdims=True)
    assert abs(fit_temperature(overconfident, targets) - 2.0) <= 0.15
    assert abs(fit_temperature(true, targets) - 1.0) <= 0.1


def test_platt_recovers_a_logistic_relation_with_soft_targets() -> None:
    rng = np.random.default_rng(1)
    raw = rng.uniform(0.01, 0.99, size=5000)
    logit = np.log(raw / (1 - raw))
    targets = 1 / (1 + np.exp(-(0.5 * logit - 1.0)))  # soft, as gold shares are
    slope, intercept = fit_platt(raw, targets)
    assert abs(slope - 0.5) < 0.01 and abs(intercept + 1.0) < 0.01


def test_gold_share_counts_only_the_covered_part() -> None:
    assert gold_share(10, 20, [(0, 12), (18, 30)]) == 0.4
    assert gold_share(10, 20, []) == 0.0


def test_precision_curve_and_the_lowest_threshold_that_keeps_precision() -> None:
    from newsforensics.training.technique_calibration import choose_threshold, precision_curve
    from newsforensics.techniques.formats import SpanLabel
    from newsforensics.techniques.inference import Fragment

    gold = [SpanLabel("a", 0, 10), SpanLabel("a", 100, 110), SpanLabel("a", 200, 210)]
    # Confident fragments hit annotated spans; the least confident ones miss.
    found = {"a": [Fragment(0, 5, 0.9, ()), Fragment(100, 108, 0.8, ()),
                   Fragment(50, 60, 0.5, ()), Fragment(70, 80, 0.4, ())]}
    curve = precision_curve(found, gold, [0.3, 0.45, 0.6])
    assert [(p.reported, p.precision) for p in curve] == [(4, 0.5), (3, 2 / 3), (2, 1.0)]
    assert [round(p.recall, 4) for p in curve] == [0.6667] * 3
    assert choose_threshold(curve, 0.9, min_reported=1) == 0.6
    assert choose_threshold(curve, 0.6, min_reported=1) == 0.45
    assert choose_threshold(curve, 0.6, min_reported=3) == 0.45  # 0.6 keeps too few


def test_technique_precision_counts_fragments_right_by_technique() -> None:
    from newsforensics.training.technique_calibration import technique_precision
    from newsforensics.techniques.formats import SpanLabel
    from newsforensics.techniques.inference import Fragment

    gold = [SpanLabel("a", 0, 10, "Doubt"), SpanLabel("a", 100, 110, "Loaded_Language")]
    found = {"a": [Fragment(0, 5, 0.9, (("Doubt", 0.9), ("Loaded_Language", 0.1))),
                   Fragment(100, 108, 0.8, (("Doubt", 0.6), ("Loaded_Language", 0.4))),
                   Fragment(50, 60, 0.2, (("Doubt", 1.0),))]}  # below the threshold: not counted
    assert technique_precision(found, gold, 0.5, ratio=0.8) == {"Doubt": (2, 1)}
    # A second technique at ≥ ratio × the top one is reported, and counted, too.
    assert technique_precision(found, gold, 0.5, ratio=0.5) == {"Doubt": (2, 1),
                                                               "Loaded_Language": (1, 1)}


def test_public_affairs_minimum_is_the_configured_percentile_of_training_texts() -> None:
    from newsforensics.training.technique_calibration import public_affairs_min
    from newsforensics.techniques.reporting import public_affairs_share

    politics = "The government and the opposition party argued about the election law."
    garden = "Water the tomatoes early and mulch the beds before the summer heat arrives."
    # 5th percentile of 19 political texts and one garden text: between the two shares.
    minimum = public_affairs_min([politics] * 19 + [garden])
    assert public_affairs_share(garden) == 0 < minimum < public_affairs_share(politics)
    assert public_affairs_min([politics] * 20) == round(public_affairs_share(politics), 2)
    assert public_affairs_min([]) == 0.0
