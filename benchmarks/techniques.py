"""Persuasion techniques on the 45 PTC v2 dev articles: TC, SI, FLC, speed and memory.

    .venv/bin/python benchmarks/techniques.py [--skip-memory]

Reads ../shared/data/ptc (research data, not in the repo; the script says so and exits 0 when
it is absent) and scores the shipped model with our reimplementation of the SemEval-2020 Task
11 scorers:

- TC micro-F1 with the gold spans given (the official dev template, filled);
- SI P/R/F1 and FLC P/R/F1 (spans and techniques predicted from the article text);
- the "every line is a span" SI baseline, for scale;
- the precision/recall curve over the span-probability threshold (precision: the share of
  reported fragments that overlap an annotated span; recall: the share of annotated spans a
  reported fragment overlaps) and the figures at the shipped operating point, with the stage's
  reporting rules applied (``techniques/reporting.py``; spaCy parses the dev articles for the
  bare-name rule);
- speed of SI+TC (one encoder pass, the TC head on its states) in articles/s, pinned to one
  core (``sched_setaffinity``) with one onnxruntime thread;
- memory the ``techniques`` and ``paragraph_techniques`` stages add to the pipeline: peak RSS
  of two fresh processes running the default pipeline over the same 8 dev articles with and
  without them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("NEWSFORENSICS_ONNX_THREADS", "1")

PTC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ptc"
MEMORY_ARTICLES = 8
# A child process: run the default pipeline (with or without techniques) and print peak RSS.
MEMORY_PROBE = """
import json, resource, sys
from pathlib import Path
from newsforensics import Document, Pipeline
from newsforensics.pipeline import DEFAULT_STAGES
ours = ["techniques", "paragraph_techniques"]
stages = [s for s in DEFAULT_STAGES if s not in ours] + (ours if sys.argv[1] == "with" else [])
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[2]).glob("*.txt"))][:int(sys.argv[3])]
for doc in Pipeline(stages).pipe(Document(t) for t in texts):
    pass
print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _row(name: str, scores) -> str:  # noqa: ANN001 - a Scores
    return (f"{name:<34} P {scores.precision:.4f}  R {scores.recall:.4f}  F1 {scores.f1:.4f}  "
            f"(gold {scores.n_gold}, pred {scores.n_pred})")


def reliability(confidence: list[float], outcome: list[float], bins: int = 5) -> str:
    """Mean outcome per confidence bin and the expected calibration error (bin-weighted |gap|)."""
    edges = [i / bins for i in range(bins + 1)]
    rows, ece = [], 0.0
    for low, high in zip(edges, edges[1:]):
        inside = [(c, o) for c, o in zip(confidence, outcome) if low <= c < high or (high == 1 and c == 1)]
        if inside:
            mean_c = sum(c for c, _ in inside) / len(inside)
            mean_o = sum(o for _, o in inside) / len(inside)
            ece += len(inside) / len(confidence) * abs(mean_c - mean_o)
            rows.append(f"{low:.1f}-{high:.1f}: {mean_o:.2f} (n={len(inside)})")
    return f"ECE {ece:.3f}; " + ", ".join(rows)


def peak_rss_mb(with_techniques: bool) -> float:
    result = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, "with" if with_techniques else "without",
         str(PTC / "dev-articles"), str(MEMORY_ARTICLES)],
        capture_output=True, text=True, check=True)
    return float(json.loads(result.stdout.strip().splitlines()[-1])["peak_mb"])


def print_calibration(model, articles, gold_tc, gold_si, found) -> None:  # noqa: ANN001
    """Do the scores mean what they say on dev? TC: top-1 probability against being right (one
    of the span's gold techniques); SI: a fragment's probability against the share of it gold
    spans cover."""
    from newsforensics.training.technique_calibration import gold_share
    from newsforensics.techniques.encoding import line_segments
    from newsforensics.techniques.formats import techniques_by_span
    from newsforensics.techniques.scoring import merge_spans

    labels = techniques_by_span(gold_tc)
    confidence, right = [], []
    for key in sorted({k for k, _, _ in labels}):
        spans = sorted((s, e) for k, s, e in labels if k == key)
        for (s, e), probs in zip(spans, model.classify(articles[key], line_segments(articles[key]), spans)):
            confidence.append(float(probs.max()))
            right.append(float(model.names[int(probs.argmax())] in labels[(key, s, e)]))
    print(f"TC top-1 probability vs accuracy, {len(right)} spans: {reliability(confidence, right)}")
    merged = {key: merge_spans((g.start, g.end) for g in gold_si if g.article_id == key) for key in articles}
    scores = [(f.span_probability, gold_share(f.start, f.end, merged[key]))
              for key, fragments_ in found.items() for f in fragments_]
    print(f"SI fragment probability vs gold share, {len(scores)} fragments: "
          f"{reliability([p for p, _ in scores], [g for _, g in scores])}")


def print_operating_point(model, articles, gold_tc, gold_si, found) -> None:  # noqa: ANN001
    """The precision/recall curve, and SI/FLC scores of what the stage reports at its operating
    point (span probability ≥ the card's threshold; Name_Calling dropped on bare names)."""
    from newsforensics.models.spacy_model import load_spacy
    from newsforensics.techniques import SpanLabel, score_flc, score_si
    from newsforensics.techniques.encoding import line_segments
    from newsforensics.techniques.inference import inference_settings
    from newsforensics.techniques.paragraphs import ParagraphScores, shipped_paragraph_model
    from newsforensics.training.technique_calibration import precision_curve, threshold_grid

    paragraphs = shipped_paragraph_model("en")
    threshold = model.report_threshold
    print(f"precision/recall by span-probability threshold (shipped operating point {threshold}):")
    for point in precision_curve(found, gold_si, sorted({*threshold_grid()[::5], threshold})):
        mark = "  <- shipped" if point.threshold == threshold else ""
        print(f"  ≥ {point.threshold:.2f}: {point.reported:4d} fragments, span precision "
              f"{point.precision:.3f}, recall {point.recall:.3f}{mark}")
    ratio = float(inference_settings()["second_technique_ratio"])
    rules, nlp = model.reporting_rules, load_spacy()
    reported, reasons = [], Counter()
    for key, fragments_ in found.items():
        text, parsed = articles[key], []
        judge = rules.for_text(text, ParagraphScores(text, line_segments(text), paragraphs).support)

        def tokens(f) -> object:  # noqa: ANN001 - the article is parsed once, when first needed
            parsed[:] = parsed or [nlp(text)]
            return parsed[0].char_span(f.start, f.end, alignment_mode="expand")

        for f in fragments_:
            for name, _ in f.reported(ratio):
                why = judge.reason(f.start, f.end, f.span_probability, name, lambda f=f: tokens(f))
                if why is None:
                    reported.append(SpanLabel(key, f.start, f.end, name))
                elif why != "below-operating-point":
                    reasons[why] += 1
    fragments_ = {(r.article_id, r.start, r.end) for r in reported}
    gold = {}
    for g in gold_tc:
        gold.setdefault(g.article_id, []).append((g.start, g.end, g.technique))
    hit = sum(any(s < e_ and s_ < e for s, e, _ in gold.get(k, ())) for k, s_, e_ in fragments_)
    right = sum(any(s < r.end and r.start < e and t == r.technique for s, e, t in gold.get(r.article_id, ()))
                for r in reported)
    print(f"shipped operating point: {len(fragments_)} fragments, {len(reported)} spans "
          f"(above the threshold but not reported: {dict(reasons)}); span precision "
          f"{hit / max(len(fragments_), 1):.3f} (fragment overlaps an annotated span), "
          f"technique precision {right / max(len(reported), 1):.3f} (overlaps one of the same "
          f"technique)")
    si = score_si(gold_si, [SpanLabel(k, s, e) for k, s, e in sorted(fragments_)]).overall
    print(_row("  SI at the operating point", si))
    print(_row("  FLC at the operating point", score_flc(gold_tc, reported).overall))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-memory", action="store_true", help="Skip the two pipeline runs.")
    args = parser.parse_args()
    if not (PTC / "dev-articles").is_dir():
        print(f"{PTC} is not present (research data, not part of the repo); nothing to measure")
        return 0
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    from newsforensics.models.techniques import model_card
    from newsforensics.techniques import SpanLabel, read_labels, score_flc, score_si, score_tc
    from newsforensics.techniques.corpus import read_articles
    from newsforensics.techniques.encoding import line_segments
    from newsforensics.techniques.inference import shipped_model
    from newsforensics.techniques.predict import fragments, flc_labels, predict_tc, si_labels

    card = model_card()
    print(f"model {card['id']} {card['version']} ({card['weights']}, {card['size_mb']} MB), "
          f"held-out {json.dumps(card['heldout'])}")
    articles = read_articles(PTC / "dev-articles")
    gold_tc = read_labels(PTC / "dev-task-flc-tc.labels", "tc")
    gold_si = read_labels(PTC / "dev-task-si.labels", "si")
    template = read_labels(PTC / "dev-task-tc-template.out", "tc", allow_template=True)
    model = shipped_model()
    print(f"PTC v2 dev: {len(articles)} articles, {len(template)} TC template lines, "
          f"{len(gold_si)} SI spans")

    fragments(model, dict(list(articles.items())[:1]))  # warm-up: the first run builds kernels
    print(_row("TC micro-F1 (gold spans)", score_tc(gold_tc, predict_tc(model, articles,
                                                                          template)).overall))
    started, cpu = time.perf_counter(), time.process_time()
    found = fragments(model, articles)  # SI and TC in one pass: the figures and the speed
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    print(_row("SI", score_si(gold_si, si_labels(found)).overall))
    print(_row("FLC", score_flc(gold_tc, flc_labels(found)).overall))
    baseline = [SpanLabel(key, s, e) for key, text in articles.items() for s, e in line_segments(text)]
    print(_row("SI baseline: every line is a span", score_si(gold_si, baseline).overall))
    print_calibration(model, articles, gold_tc, gold_si, found)
    print_operating_point(model, articles, gold_tc, gold_si, found)
    chars = sum(len(t) for t in articles.values()) / len(articles)
    print(f"speed SI+TC, one core: {len(articles) / seconds:.2f} articles/s wall, "
          f"{len(articles) / cpu_seconds:.2f} per CPU-second "
          f"({seconds / len(articles) * 1000:.0f} ms/article, mean {chars:.0f} chars; "
          f"load average {os.getloadavg()[0]:.1f} during the run)")

    if not args.skip_memory:
        without, with_ = peak_rss_mb(False), peak_rss_mb(True)
        print(f"memory added to the pipeline: {with_ - without:.0f} MB peak RSS "
              f"({without:.0f} → {with_:.0f} MB, default pipeline over {MEMORY_ARTICLES} dev articles)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
