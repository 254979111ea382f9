"""Make the model's numbers mean something: calibration on held-out train articles, numpy only.

* TC: one temperature for the technique softmax, chosen to minimise the held-out negative
  log-likelihood, so that "0.7" is right about 70% of the time.
* SI: the outside bias of the BIO decoder, chosen for the best held-out SI F1, and a Platt
  scaling of the mean piece probability against the share of each predicted span that is gold,
  so a span's score estimates how much of it an annotator would mark.
* The operating point: the lowest span probability at which ``operating_precision`` of the
  reported fragments overlap an annotated span (precision first: the dossier shows an analyst
  leads, and a lead that is wrong two times in three teaches them to ignore the layer); at it,
  the techniques right too seldom to report (``reporting.py``), and the public-affairs share a
  text needs, from all train articles.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..techniques.encoding import Window, line_segments
from ..techniques.formats import SpanLabel, techniques_by_span
from ..techniques.inference import Fragment, TechniqueModel, decoded_spans, inference_settings
from ..techniques.predict import predict_tc
from ..techniques.reporting import public_affairs_share
from ..techniques.scoring import merge_spans, score_si, score_tc

REPORTING_KEYS = ("report_threshold", "unreliable_techniques", "public_affairs_min")
TEMPERATURES = np.round(np.arange(0.5, 3.01, 0.05), 2)
OUTSIDE_BIASES = np.round(np.arange(-4.0, 1.01, 0.25), 2)


def fit_temperature(probabilities: np.ndarray, targets: np.ndarray) -> float:
    """The temperature (on the grid) minimising the NLL of soft targets under ``p ** (1/T)``."""
    logs = np.log(np.clip(probabilities, 1e-12, 1.0))

    def nll(temperature: float) -> float:
        scaled = logs / temperature
        scaled -= scaled.max(1, keepdims=True)
        log_norm = np.log(np.exp(scaled).sum(1, keepdims=True))
        return float(-(targets * (scaled - log_norm)).sum(1).mean())

    return float(min(TEMPERATURES, key=nll))


def fit_platt(raw: np.ndarray, targets: np.ndarray, iterations: int = 50) -> tuple[float, float]:
    """Logistic regression of soft targets in [0, 1] on logit(raw): Newton steps, halved until
    the loss falls (a plain Newton step can overshoot to absurd slopes on clustered inputs)."""
    raw = np.clip(raw, 1e-6, 1 - 1e-6)
    x = np.stack([np.log(raw / (1 - raw)), np.ones_like(raw)], 1)

    def loss(w: np.ndarray) -> float:
        z = x @ w
        return float(np.mean(np.logaddexp(0, z) - targets * z))

    w = np.array([1.0, 0.0])
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = x.T @ (p - targets) / len(raw)
        hessian = (x * (p * (1 - p))[:, None]).T @ x / len(raw) + 1e-6 * np.eye(2)
        step = np.linalg.solve(hessian, gradient)
        while loss(w - step) > loss(w) and np.abs(step).max() > 1e-10:
            step /= 2
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return float(w[0]), float(w[1])


def gold_share(start: int, end: int, gold: Sequence[tuple[int, int]]) -> float:
    """How much of ``[start, end)`` merged gold spans cover."""
    covered = sum(max(0, min(end, e) - max(start, s)) for s, e in gold)
    return covered / (end - start)


@dataclass(frozen=True, slots=True)
class CurvePoint:
    """Fragments reported at a span-probability threshold: how many, the share that overlap an
    annotated span (precision) and the share of annotated spans they overlap (recall)."""

    threshold: float
    reported: int
    precision: float
    recall: float


def _overlaps(start: int, end: int, gold: Sequence[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in gold)


def precision_curve(found: Mapping[str, Sequence[Fragment]], gold_si: Sequence[SpanLabel],
                    thresholds: Sequence[float]) -> list[CurvePoint]:
    """Span precision and recall of the fragments at or above each threshold."""
    gold: dict[str, list[tuple[int, int]]] = {}
    for label in gold_si:
        gold.setdefault(label.article_id, []).append((label.start, label.end))
    fragments = [(key, f) for key, found_ in found.items() for f in found_]
    hits = np.array([_overlaps(f.start, f.end, gold.get(key, ())) for key, f in fragments])
    probs = np.array([f.span_probability for _, f in fragments])
    # Each annotated span is found from the threshold of its most probable overlapping fragment.
    found_at = np.array([max((f.span_probability for f in found.get(key, ())
                              if f.start < e and s < f.end), default=-1.0)
                         for key, spans in gold.items() for s, e in spans])
    points = []
    for threshold in thresholds:
        kept = probs >= threshold
        points.append(CurvePoint(float(threshold), int(kept.sum()),
                                 float(hits[kept].mean()) if kept.any() else 0.0,
                                 float((found_at >= threshold).mean()) if len(found_at) else 0.0))
    return points


def threshold_grid() -> np.ndarray:
    low, high, step = inference_settings()["threshold_grid"]
    return np.round(np.arange(low, high + step / 2, step), 4)


def choose_threshold(curve: Sequence[CurvePoint], precision: float, min_reported: int) -> float:
    """The lowest threshold from which on precision stays at or above ``precision`` while at
    least ``min_reported`` fragments are reported (the highest such threshold if none holds)."""
    usable = [p for p in curve if p.reported >= min_reported]
    if not usable:
        return curve[0].threshold
    chosen = usable[-1].threshold
    for point in reversed(usable):
        if point.precision < precision:
            break
        chosen = point.threshold
    return chosen


def technique_precision(found: Mapping[str, Sequence[Fragment]], gold_tc: Sequence[SpanLabel],
                        threshold: float, ratio: float) -> dict[str, tuple[int, int]]:
    """Per technique, (fragments reported with it at ``threshold``, how many of them overlap an
    annotated span of that technique)."""
    gold: dict[str, list[tuple[int, int, str | None]]] = {}
    for label in gold_tc:
        gold.setdefault(label.article_id, []).append((label.start, label.end, label.technique))
    counts: dict[str, tuple[int, int]] = {}
    for key, fragments in found.items():
        for f in fragments:
            if f.span_probability < threshold:
                continue
            for name, _ in f.reported(ratio):
                right = any(s < f.end and f.start < e and t == name for s, e, t in gold.get(key, ()))
                n, k = counts.get(name, (0, 0))
                counts[name] = (n + 1, k + right)
    return counts


def public_affairs_min(texts: Sequence[str]) -> float:
    """The public-affairs share (percent of words) that ``public_affairs_percentile`` percent of
    the training texts fall below."""
    shares = [public_affairs_share(t) for t in texts]
    percentile = float(inference_settings()["public_affairs_percentile"])
    return round(float(np.percentile(shares, percentile)), 2) if shares else 0.0


def operating_point(model: TechniqueModel, articles: Mapping[str, str],
                    gold_si: Sequence[SpanLabel], gold_tc: Sequence[SpanLabel],
                    train_texts: Sequence[str]) -> dict[str, Any]:
    """The reporting rules chosen on held-out articles (report threshold, techniques too seldom
    right to report) and on all train texts (public-affairs share), with what they reach."""
    settings = inference_settings()
    ids = sorted(articles)
    found = dict(zip(ids, model.fragments([(articles[k], line_segments(articles[k])) for k in ids])))
    curve = precision_curve(found, gold_si, threshold_grid())
    threshold = choose_threshold(curve, float(settings["operating_precision"]),
                                 int(settings["min_reported"]))
    point = next(p for p in curve if p.threshold == threshold)
    counts = technique_precision(found, gold_tc, threshold, float(settings["second_technique_ratio"]))
    reliable = {name for name, (n, k) in counts.items()
                if n >= int(settings["min_technique_spans"])
                and k / n >= float(settings["min_technique_precision"])}
    return {"report_threshold": threshold,
            "unreliable_techniques": sorted(set(model.names) - reliable),
            "public_affairs_min": public_affairs_min(train_texts),
            "operating_point": {"precision": round(point.precision, 4),
                                "recall": round(point.recall, 4), "reported": point.reported,
                                "candidates": curve[0].reported if curve else 0,
                                "technique_precision": {name: f"{k}/{n}" for name, (n, k)
                                                        in sorted(counts.items())}}}


def si_f1_of(articles: Mapping[str, str], tagged: Sequence[tuple[str, Window, np.ndarray]],
             gold: Sequence[SpanLabel], biases: Sequence[float], min_chars: int | None = None
             ) -> dict[float, float]:
    """SI F1 of ``(article id, window, BIO log-probabilities)`` triples at each outside bias."""
    if min_chars is None:
        min_chars = int(inference_settings()["min_span_chars"])
    scores = {}
    for bias in biases:
        pred = [SpanLabel(key, start, end) for key, window, log_probs in tagged
                for start, end, _ in decoded_spans(articles[key], window, log_probs, float(bias),
                                                   min_chars)]
        scores[float(bias)] = score_si(gold, pred).overall.f1
    return scores


def calibrate(model: TechniqueModel, articles: Mapping[str, str], gold_si: Sequence[SpanLabel],
              gold_tc: Sequence[SpanLabel], train_texts: Sequence[str]) -> dict[str, Any]:
    """Calibration parameters and the held-out scores they reach (changes ``model`` in place)."""
    ids = sorted(articles)
    grouped = techniques_by_span(gold_tc)
    distinct = sorted(grouped)
    probabilities, targets = [], []
    for key in ids:
        spans = [(s, e) for a, s, e in distinct if a == key]
        probabilities.append(model.classify(articles[key], line_segments(articles[key]), spans))
        for start, end in spans:
            names = grouped[(key, start, end)]
            targets.append([names.count(n) / len(names) for n in model.names])
    model.temperature *= fit_temperature(np.concatenate(probabilities), np.array(targets))
    template = [SpanLabel(g.article_id, g.start, g.end) for g in gold_tc]
    tc = score_tc(gold_tc, predict_tc(model, articles, template)).overall

    batch = [(articles[key], line_segments(articles[key])) for key in ids]
    encoded = model.encode_articles(batch)
    f1_by_bias = si_f1_of(articles, [(key, e.window, e.log_probs) for key, e in zip(ids, encoded)],
                          gold_si, OUTSIDE_BIASES, model.min_span_chars)
    model.outside_bias = max(f1_by_bias, key=f1_by_bias.__getitem__)
    merged = {key: merge_spans((g.start, g.end) for g in gold_si if g.article_id == key) for key in ids}
    model.span_platt = (1.0, 0.0)  # identity: decode() then reports the raw mean probability
    raw, shares = [], []
    for key, found in zip(ids, model.decode(batch, encoded)):
        for fragment in found:
            raw.append(fragment.span_probability)
            shares.append(gold_share(fragment.start, fragment.end, merged[key]))
    if raw:
        model.span_platt = fit_platt(np.array(raw), np.array(shares))
    operating = operating_point(model, articles, gold_si, gold_tc, train_texts)
    return {
        "calibration": {"temperature": round(model.temperature, 4),
                        "outside_bias": model.outside_bias,
                        "span_platt": [round(v, 4) for v in model.span_platt],
                        **{key: operating[key] for key in REPORTING_KEYS}},
        "heldout": {"articles": len(ids), "tc_micro_f1": round(tc.f1, 4),
                    "si_f1": round(f1_by_bias[model.outside_bias], 4),
                    "operating_point": operating["operating_point"]},
    }

