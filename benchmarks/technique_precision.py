"""Real-text precision of the technique spans the shipped stage reports, judged by hand.

    .venv/bin/python benchmarks/technique_precision.py            # precision from the labels
    .venv/bin/python benchmarks/technique_precision.py --sample   # (re)draw the sample

Texts are real news that is not PTC, from ../shared (research data; never copied here):
FakeNewsCorpus sample articles (``fnc``: row id), VoxCheck "propaganda diary" English
disinformation excerpts (``voxcheck``: case id) and every ``EUVSDISINFO_EVERY``-th EUvsDisinfo
2015–2017 case summary (``euvsdisinfo``: row number). Each is run through the default stages the technique stage
needs (segment, entities, techniques) as ``analyze`` runs them, and every reported span is a
candidate; ``--sample`` draws ``SAMPLE`` of them (seeded; at most ``PER_DOCUMENT`` per text so
that no single long article dominates) into ``data/technique_precision.jsonl`` with
its offsets, technique, scores and a hash of its text — no text. The labels in that file
(``plausible`` / ``implausible``, with a short reason) were set by hand by reading each span in
its sentence: plausible when a careful annotator following the SemEval-2020 guidelines could
mark those words with that technique (right words and right technique, or right words and a
neighbouring technique); implausible otherwise (neutral reporting, wrong words, a quotation
of someone else's words counted only when the technique is the quoted speaker's and the span
is theirs). The default run checks that every labelled span still hashes to the same text and
prints precision overall and per source and technique.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
LABELS = Path(__file__).resolve().parent / "data" / "technique_precision.jsonl"
SAMPLE, PER_DOCUMENT, SEED = 120, 3, 13
EUVSDISINFO_EVERY = 10
MIN_CHARS = 200


def texts() -> dict[tuple[str, str], str]:
    """``(source, id) → text`` of every real text the sample is drawn from."""
    csv.field_size_limit(2**31 - 1)
    out: dict[tuple[str, str], str] = {}
    with open(SHARED / "fakenewscorpus-sample" / "news_sample.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out[("fnc", row["id"])] = row["content"]
    for case in json.loads((SHARED / "voxcheck-propaganda-diary" / "cases_en.json").read_text(
            encoding="utf-8")):
        out[("voxcheck", str(case["id"]))] = case["Disinfo_case"] or ""
    with open(SHARED / "euvsdisinfo-cases" / "cases_2015-2017_with_disproof.csv",
              encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle)):
            if number % EUVSDISINFO_EVERY == 0:
                out[("euvsdisinfo", str(number))] = row["summary"] or ""
    return {key: text for key, text in out.items() if len(text) >= MIN_CHARS}


def digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def reported_spans(items: dict[tuple[str, str], str]) -> list[dict]:
    from newsforensics import Document, Pipeline
    from newsforensics.document import Metadata

    pipeline = Pipeline(["segment", "entities", "techniques"])
    keys = sorted(items)
    found = []
    docs = pipeline.pipe(Document(items[k], meta=Metadata(language="en")) for k in keys)
    for (source, key), doc in zip(keys, docs):
        for span in doc.get("techniques"):
            found.append({"source": source, "id": key, "start": span.start, "end": span.end,
                          "technique": span.label, "score": span.score,
                          "span_probability": span.attrs["span_probability"],
                          "sha1": digest(span.text)})
    return found


def _key(span: dict) -> tuple:
    return (span["source"], span["id"], span["start"], span["end"], span["technique"], span["sha1"])


def draw(found: list[dict]) -> list[dict]:
    rng = random.Random(SEED)
    by_document: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for span in found:
        by_document[(span["source"], span["id"])].append(span)
    pool = [s for spans in by_document.values() for s in rng.sample(spans, min(PER_DOCUMENT, len(spans)))]
    return sorted(rng.sample(pool, min(SAMPLE, len(pool))),
                  key=lambda s: (s["source"], s["id"], s["start"], s["technique"]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sample", action="store_true", help="Draw a new, unlabelled sample.")
    args = parser.parse_args()
    if not (SHARED / "fakenewscorpus-sample").is_dir():
        print(f"{SHARED} is not present (research data, not part of the repo); nothing to measure")
        return 0
    items = texts()
    if args.sample:
        found = reported_spans(items)
        sample = draw(found)
        judged = {}  # a span drawn again keeps the label it was given (same text, same technique)
        if LABELS.exists():
            for line in LABELS.read_text(encoding="utf-8").splitlines():
                row = json.loads(line)
                judged[_key(row)] = {"label": row["label"], "reason": row["reason"]}
        sample = [{**s, **judged.get(_key(s), {"label": None, "reason": None})} for s in sample]
        LABELS.write_text("".join(json.dumps(s) + "\n"
                                  for s in sample), encoding="utf-8")
        print(f"{len(found)} spans reported in {len(items)} texts "
              f"({Counter(s['source'] for s in found)}); {len(sample)} drawn into {LABELS}, "
              f"{sum(_key(s) in judged for s in sample)} of them judged before")
        return 0
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
    stale = [r for r in rows if digest(items[(r["source"], r["id"])][r["start"]:r["end"]]) != r["sha1"]]
    if stale:
        print(f"{len(stale)} labelled spans no longer match their text (data changed?)")
        return 1
    judged = [r for r in rows if r["label"] in ("plausible", "implausible")]
    plausible = sum(r["label"] == "plausible" for r in judged)
    print(f"real-text precision: {plausible}/{len(judged)} = {plausible / len(judged):.3f} "
          f"({len(rows) - len(judged)} unlabelled)")
    for field in ("source", "technique"):
        groups: dict[str, list[int]] = defaultdict(list)
        for r in judged:
            groups[r[field]].append(r["label"] == "plausible")
        print(f"by {field}: " + ", ".join(f"{k} {sum(v)}/{len(v)}" for k, v in sorted(groups.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
