"""Story matching across languages, measured on SemEval-2022 Task 8 (multilingual news similarity).

The task's pairs come with URLs and gold similarity (1 = same story … 4 = unrelated) but not the
article texts (copyright), and this machine is offline. So the figures here score the story
matcher on what the URLs hold: the headline slug (decoded, title-cased so names and places are
capitalised as in a headline) and the date in the path. That is far less than an article — the
figures are a lower bound on what the matcher does with headline + lead, and they say which
language pairs have any signal at all. Printed per language pair: pairs with a usable slug,
Pearson r of the match score with the gold similarity, and pair accuracy of the join decision on
clear pairs (gold ≤ 2 same story, ≥ 3 different), beside the share of same-story pairs among
them (the accuracy of always saying "different" is one minus that share).

    nice -n 10 python benchmarks/corpus_stories.py
    nice -n 10 python benchmarks/corpus_stories.py --embed-languages en,de,es,fr,pl,tr,ar
"""

from __future__ import annotations

import csv
import math
import re
import sys
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlsplit

import numpy as np

from newsforensics.corpus.cues import annotate
from newsforensics.corpus.settings import settings
from newsforensics.corpus.stories import embedding_text, item_cues, match
from newsforensics.document import Document, Metadata
from newsforensics.models.multilingual import encode

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "semeval2022-task8-news-similarity" / "train_pairs.csv"
_DATE = re.compile(r"/(20\d\d)[/-](\d\d)[/-](\d\d)/")
_WORD = re.compile(r"[^\W\d_]+|\d+")


def slug_text(url: str) -> str:
    """The headline words of a URL's path: the longest hyphenated segment, title-cased."""
    path = unquote(urlsplit(url).path)
    segments = [s for s in re.split(r"[/,]", path) if s.count("-") + s.count("_") >= 2]
    if not segments:
        return ""
    words = _WORD.findall(max(segments, key=len).rsplit(".", 1)[0].replace("_", "-"))
    words = [w for w in words if not (w.isdigit() and len(w) >= 5)]  # article ids, not numbers
    return " ".join(w[:1].upper() + w[1:] for w in words)


def published(url: str) -> str | None:
    m = _DATE.search(url)
    return f"{m[1]}-{m[2]}-{m[3]}" if m else None


def _pearson(x: list[float], y: list[float]) -> float:
    if len(x) < 3 or np.std(x) == 0 or np.std(y) == 0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])


def main() -> None:
    if not DATA.is_file():
        sys.exit(f"{DATA} is not present: this benchmark needs ../shared/data")
    rows = list(csv.DictReader(DATA.open(encoding="utf-8")))
    embed_languages = set(settings()["stories"]["embedding_languages"])
    if "--embed-languages" in sys.argv:  # try the embedding on other languages too
        embed_languages = set(sys.argv[sys.argv.index("--embed-languages") + 1].split(","))
        print(f"embedding used for: {', '.join(sorted(embed_languages))}")
    docs: dict[str, Document] = {}
    for row in rows:
        for side in ("1", "2"):
            url = row[f"link{side}"]
            if url not in docs:
                docs[url] = Document(slug_text(url), meta=Metadata(language=row[f"url{side}_lang"], published=published(url)))
    for doc in docs.values():
        annotate(doc)
    urls = [u for u, d in docs.items() if d.text and d.meta.language in embed_languages]
    vectors = dict(zip(urls, encode([embedding_text(docs[u]) for u in urls])))
    window = settings()["stories"]["window_days"]
    by_pair: dict[str, list[tuple[float, float, bool]]] = defaultdict(list)
    usable: dict[str, int] = defaultdict(int)
    for row in rows:
        pair = "-".join(sorted((row["url1_lang"], row["url2_lang"])))
        usable[pair] += 0
        a, b = docs[row["link1"]], docs[row["link2"]]
        if not a.text or not b.text:
            continue
        usable[pair] += 1
        va, vb = vectors.get(row["link1"]), vectors.get(row["link2"])
        cosine = float(va @ vb) if va is not None and vb is not None else None
        days = abs(int((np.datetime64(a.meta.published) - np.datetime64(b.meta.published)).astype(int))) \
            if a.meta.published and b.meta.published else 0
        found = match(item_cues(a.layers), {c: 1 for c in item_cues(b.layers)}, 1, cosine, days=days)
        joins = found.joins and days <= window
        by_pair[pair].append((found.score, 4.0 - float(row["Overall"]), joins))
    print("pair    pairs  slugs  how             pearson  accuracy(clear)  n_clear  same-story share")
    for pair in sorted(usable, key=lambda p: -usable[p]):
        results = by_pair.get(pair, [])
        a, b = pair.split("-")
        how = "embedding+cues" if a in embed_languages and b in embed_languages else "cues only"
        clear = [(j, g) for _, g, j in results if g >= 2.0 or g <= 1.0]
        accuracy = sum(j == (g >= 2.0) for j, g in clear) / len(clear) if clear else float("nan")
        total = sum(1 for r in rows if "-".join(sorted((r["url1_lang"], r["url2_lang"]))) == pair)
        r = _pearson([s for s, _, _ in results], [g for _, g, _ in results])
        same = sum(g >= 2.0 for _, g in clear) / len(clear) if clear else float("nan")
        print(f"{pair:6} {total:6} {usable[pair]:6}  {how:14} {r:8.3f}  {accuracy:15.3f}  {len(clear):7}  {same:16.3f}"
              if not math.isnan(accuracy) else f"{pair:6} {total:6} {usable[pair]:6}  {how:14}      n/a")


if __name__ == "__main__":
    main()
