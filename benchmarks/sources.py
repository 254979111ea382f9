"""Outlet identification without a URL: FakeNewsCorpus sample (learned fingerprints) and the
extraction benchmark's HTML pages (what a single page says about itself).

    .venv/bin/python benchmarks/sources.py [--folds 5] [--no-bylines]

Reads ../shared/data/fakenewscorpus-sample/news_sample.csv (research data, not in the repo; the
script says so and exits 0 when it is absent). Each article is extracted from its text alone
(``extract(content)``; the scraper's ``authors`` field is passed as the page byline unless
``--no-bylines``); its URL and domain are withheld. Identical texts are kept once. Items are
split into k folds by a hash of their id; each fold's items are identified by the seeded names
plus a ``FingerprintIndex`` learned from the other folds (the "stored items").

Figures: accuracy (correct / all items), coverage (answered / all), precision (correct /
answered), the same restricted to items whose outlet occurs in the training folds, and the
majority-outlet baseline (always answering the most frequent training outlet).

Second part: the 81 pages of ../shared/data/extraction/scrapinghub-a (one page per site, so
nothing can be learned across pages). Each page is extracted, then its URL, canonical URL and
outlet are withheld; what is left (site name, copyright lines, furniture, seeded names, names
that spell a rated domain) must give the page's registrable domain. Same three figures.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO.parent / "shared/data/fakenewscorpus-sample/news_sample.csv"
PAGES = REPO.parent / "shared/data/extraction/scrapinghub-a"


def _items(bylines: bool) -> list[tuple[str, str, object]]:
    from newsforensics import extract
    from newsforensics.errors import InputError
    from newsforensics.sources.domains import normalise_host

    csv.field_size_limit(2**31 - 1)
    seen: set[str] = set()
    items = []
    with SAMPLE.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = hashlib.sha1(row["content"].strip().encode()).hexdigest()
            if key in seen or not row["content"].strip():
                continue
            seen.add(key)
            try:
                doc = extract(row["content"])
            except InputError:
                continue
            if bylines and row.get("authors", "").strip():
                doc.meta.author = row["authors"].strip()
            items.append((row["id"], normalise_host(row["domain"]) or row["domain"], doc))
    return items


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--no-bylines", action="store_true", help="Withhold the byline too.")
    args = parser.parse_args()
    if not SAMPLE.is_file():
        print(f"{SAMPLE} is absent (research data, not in the repo); nothing to measure")
        return 0
    from newsforensics.sources.fingerprint import FingerprintIndex, extract_features
    from newsforensics.sources.identify import identify

    started = time.perf_counter()
    items = _items(not args.no_bylines)
    fold = {i: int(hashlib.sha1(i.encode()).hexdigest(), 16) % args.folds for i, _, _ in items}
    features = {i: extract_features(doc)[0] for i, _, doc in items}
    correct = answered = known = known_correct = known_answered = baseline = 0
    for k in range(args.folds):
        index = FingerprintIndex()
        train = Counter()
        for i, outlet, _ in items:
            if fold[i] != k:
                index.add(features[i], outlet)
                train[outlet] += 1
        majority = train.most_common(1)[0][0]
        for i, outlet, doc in items:
            if fold[i] != k:
                continue
            found = identify(doc, index)
            hit = found.outlet == outlet
            correct += hit
            answered += found.outlet is not None
            baseline += outlet == majority
            if train[outlet]:
                known += 1
                known_correct += hit
                known_answered += found.outlet is not None
    n = len(items)
    seconds = time.perf_counter() - started
    print(f"FakeNewsCorpus sample: {n} distinct articles, {len({o for _, o, _ in items})} outlets, "
          f"{args.folds}-fold, bylines {'withheld' if args.no_bylines else 'kept'}")
    print(f"accuracy           {correct / n:.3f}  ({correct}/{n})")
    print(f"coverage           {answered / n:.3f}  ({answered}/{n} answered)")
    print(f"precision          {correct / max(answered, 1):.3f}  ({correct}/{answered})")
    print(f"outlet seen in training: {known} items; accuracy {known_correct / max(known, 1):.3f}, "
          f"coverage {known_answered / max(known, 1):.3f}, "
          f"precision {known_correct / max(known_answered, 1):.3f}")
    print(f"majority-outlet baseline accuracy {baseline / n:.3f}")
    print(f"{seconds:.1f} s in all (extraction included)")
    _pages()
    return 0


def _pages() -> None:
    import gzip
    import json

    from newsforensics import extract
    from newsforensics.sources.domains import lookup_keys
    from newsforensics.sources.identify import identify

    if not (PAGES / "ground-truth.json").is_file():
        print(f"{PAGES} is absent; the page figures are not measured")
        return
    truth = json.loads((PAGES / "ground-truth.json").read_text("utf-8"))
    correct = answered = named = 0
    misses = []
    for page_id, gold in sorted(truth.items()):
        path = PAGES / "html" / f"{page_id}.html.gz"
        if not path.is_file():
            continue
        doc = extract(gzip.decompress(path.read_bytes()))
        doc.meta.url = doc.meta.canonical_url = doc.meta.outlet = None
        want = lookup_keys(gold["url"])[-1]
        found = identify(doc)
        got = lookup_keys(found.outlet)[-1] if found.outlet else None
        answered += got is not None
        correct += got == want
        named += bool(doc.meta.site_name)
        if got != want:
            misses.append((want, got, doc.meta.site_name))
    n = len(truth)
    print(f"extraction pages: {n} pages, URL withheld; {named} declare a site name")
    print(f"accuracy           {correct / n:.3f}  ({correct}/{n})")
    print(f"coverage           {answered / n:.3f}  ({answered}/{n} answered)")
    print(f"precision          {correct / max(answered, 1):.3f}  ({correct}/{answered})")
    wrong = [m for m in misses if m[1] is not None]
    if wrong:
        print("wrong answers (gold, answer, site name): " + "; ".join(map(str, wrong)))


if __name__ == "__main__":
    sys.exit(main())
