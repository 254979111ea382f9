"""Article-body extraction quality and speed on the scrapinghub-a pages (issue 2, benchmark b).

Scores our HTML reader (``newsforensics.ingest.read_html``, body only: the headline line is
not part of the benchmark's ``articleBody``) against trafilatura's defaults with the
benchmark's own metric (see ``../shared/data/extraction/README.md``): per page, 4-gram
shingles of ``\\w+`` tokens as multisets, tp/fp/fn normalised by their sum; P and R are means
over pages, F1 = 2PR/(P+R); accuracy = identical token sequences. Speed is pages/s on one core
(HTML strings already decompressed in memory). Run: ``python benchmarks/extraction.py``.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "extraction" / "scrapinghub-a"
TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = TOKEN.findall(text)
    if 0 < len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def page_counts(truth: str, predicted: str) -> tuple[float, float, float]:
    """(tp, fp, fn) of one page, normalised by their sum so every page weighs the same."""
    expected, got = shingles(truth), shingles(predicted)
    tp = sum((expected & got).values())
    fp, fn = sum(got.values()) - tp, sum(expected.values()) - tp
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def score(truths: dict[str, str], predictions: dict[str, str]) -> dict[str, float]:
    precisions, recalls, exact = [], [], 0
    for page, truth in truths.items():
        predicted = predictions.get(page) or ""
        tp, fp, fn = page_counts(truth, predicted)
        if fp == 0 and fn == 0:
            precisions.append(1.0)
            recalls.append(1.0)
        else:
            if tp + fp > 0:
                precisions.append(tp / (tp + fp))
            if tp + fn > 0:
                recalls.append(tp / (tp + fn))
        exact += TOKEN.findall(truth) == TOKEN.findall(predicted)
    p = sum(precisions) / len(precisions)
    r = sum(recalls) / len(recalls)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "accuracy": exact / len(truths)}


def our_body(html: str) -> str:
    from newsforensics.ingest import read_html

    doc = read_html(html)
    headline = doc.get("headline")
    return doc.text[headline[0].end:].lstrip("\n") if headline else doc.text


def trafilatura_default(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


def timed(extractors: dict[str, Callable[[str], str]], pages: dict[str, str], repeats: int) -> tuple[
        dict[str, dict[str, str]], dict[str, float]]:
    """Predictions and best pages/s of each extractor; passes alternate between extractors
    so that load from other processes hits them alike (the first pass of each warms up)."""
    predictions: dict[str, dict[str, str]] = {}
    speeds = dict.fromkeys(extractors, 0.0)
    for extract in extractors.values():
        extract(next(iter(pages.values())))
    for _ in range(repeats):
        for name, extract in extractors.items():
            started = time.perf_counter()
            predictions[name] = {page: extract(html) for page, html in pages.items()}
            speeds[name] = max(speeds[name], len(pages) / (time.perf_counter() - started))
    return predictions, speeds


def main() -> int:
    if not (DATA / "ground-truth.json").exists():
        print(f"skipped: the benchmark pages are not at {DATA.resolve()}")
        return 0
    truths = {k: v["articleBody"] for k, v in json.loads((DATA / "ground-truth.json").read_text("utf-8")).items()}
    pages = {k: gzip.decompress((DATA / "html" / f"{k}.html.gz").read_bytes()).decode("utf-8") for k in truths}
    repeats = int(os.environ.get("REPEATS", "3"))
    print(f"{len(pages)} pages, best of {repeats} passes, one core")
    print(f"{'extractor':<22} {'P':>6} {'R':>6} {'F1':>6} {'acc':>6} {'pages/s':>8}")
    extractors = {"trafilatura default": trafilatura_default, "newsforensics": our_body}
    predictions, speeds = timed(extractors, pages, repeats)
    for name in extractors:
        s = score(truths, predictions[name])
        print(f"{name:<22} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} "
              f"{s['accuracy']:6.3f} {speeds[name]:8.1f}")
    ratio = speeds["newsforensics"] / speeds["trafilatura default"]
    print(f"speed vs trafilatura default: {ratio:.0%} (target >= 80%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
