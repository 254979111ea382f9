"""Places in every language and script: recall and precision on sentences we wrote.

    .venv/bin/python benchmarks/places_multilingual.py [--lang ru ...]

``benchmarks/data/places_multilingual.tsv`` holds 20 sentences per language (en, ru, uk, ar, fr,
de, es, it) about the events we follow, with real place names in their inflected, cliticised and
transliterated forms ("Идлибу", "Дамаска", "وبغداد", "d'Idlib", "Syriens", "Jan Sheijun") and a
few sentences without any place. Each gold place names its English name and ISO country; its
GeoNames id is that country's entry of that name: the country, else the capital, else the most
populous place. Each sentence runs
through ``Pipeline(["segment", "entities", "places"])`` with its language given (the entities
stage covers English here; the other languages are matched on their text).

A predicted place is right when it overlaps a gold mention and has its GeoNames id; precision =
right / predicted, recall = right / gold. Targets: recall >= 0.9, precision >= 0.95.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

DATA = Path(__file__).resolve().parent / "data" / "places_multilingual.tsv"
STAGES = ["segment", "entities", "places"]
RECALL_TARGET, PRECISION_TARGET = 0.9, 0.95


def gold_places(sentence: str, field: str) -> list[tuple[int, int, int, str]]:
    """(start, end, GeoNames id, surface) of each gold mention."""
    from newsforensics.models.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    out = []
    for item in filter(None, (x.strip() for x in field.split(";"))):
        surface, target = item.split(">")
        name, country = target.rsplit("@", 1)
        entries = [p for p in gazetteer.lookup(name) if p.country == country and p.geonameid]
        if not entries:
            raise ValueError(f"gold place {name}@{country} is not in the gazetteer")
        best = max(entries, key=lambda p: (p.feature == "PCLI", p.feature == "PPLC", p.rank, p.population))
        start = sentence.index(surface)
        out.append((start, start + len(surface), best.geonameid, surface))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", nargs="*")
    args = parser.parse_args()
    from newsforensics.document import Document, Metadata
    from newsforensics.pipeline import Pipeline

    pipeline = Pipeline(STAGES)
    with open(DATA, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader((line for line in f if not line.startswith("#")),
                                   delimiter="\t", quoting=csv.QUOTE_NONE))
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # right, predicted, found, gold
    errors = []
    started = time.perf_counter()
    for row in rows:
        lang = row["lang"]
        if args.lang and lang not in args.lang:
            continue
        sentence, gold = row["sentence"], gold_places(row["sentence"], row["gold"] or "")
        doc = pipeline(Document(sentence, meta=Metadata(language=lang)))
        predicted = [(p.start, p.end, p.attrs["geonameid"], p.text) for p in doc.get("places")]

        def hit(a: tuple[int, int, int, str], b: tuple[int, int, int, str]) -> bool:
            return a[0] < b[1] and b[0] < a[1] and a[2] == b[2]

        c = counts[lang]
        right = [p for p in predicted if any(hit(p, g) for g in gold)]
        found = [g for g in gold if any(hit(p, g) for p in predicted)]
        c[0] += len(right)
        c[1] += len(predicted)
        c[2] += len(found)
        c[3] += len(gold)
        errors += [f"  {lang} false: {p[3]!r} (id {p[2]}) in {sentence[:60]!r}" for p in predicted if p not in right]
        errors += [f"  {lang} missed: {g[3]!r} (id {g[2]}) in {sentence[:60]!r}" for g in gold if g not in found]
    seconds = time.perf_counter() - started
    print(f"places on {DATA.name} (targets: recall >= {RECALL_TARGET}, precision >= {PRECISION_TARGET})")
    totals = [0, 0, 0, 0]
    for lang in sorted(counts):
        right, predicted, found, gold = counts[lang]
        totals = [t + x for t, x in zip(totals, counts[lang])]
        precision, recall = right / max(predicted, 1), found / max(gold, 1)
        met = "met" if recall >= RECALL_TARGET and precision >= PRECISION_TARGET else "MISSED"
        print(f"  {lang}: recall {recall:.3f} ({found}/{gold}), precision {precision:.3f} ({right}/{predicted}) {met}")
    right, predicted, found, gold = totals
    print(f"  all: recall {found / max(gold, 1):.3f} ({found}/{gold}), "
          f"precision {right / max(predicted, 1):.3f} ({right}/{predicted}); {seconds:.1f} s")
    if errors:
        print("errors:")
        print("\n".join(errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
