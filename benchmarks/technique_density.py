"""Does article-level technique density rank hyperpartisan above mainstream reporting? ROC AUC.

    .venv/bin/python benchmarks/technique_density.py

Densities per article, from the shipped models (span-level model over the article's lines, the
English paragraph model over its paragraphs):

- ``reported``: fragments the stage reports per 1,000 characters (what the dossier shows: the
  operating point and the reporting rules of ``techniques/reporting.py`` — none in a text that
  is not about public affairs — but not the bare-name rule, which needs the spaCy parse);
- ``expected``: the sum of every fragment's span probability per 1,000 characters (the expected
  number of propaganda fragments; the candidates below the operating point count by their
  probability) — the density the ``technique_stats`` view reports;
- ``paragraphs``: the share of paragraphs with at least one paragraph-level technique.

Sets (research data in ../shared, not in the repo; the script exits 0 when absent):

- FakeNewsCorpus sample: outlet labels per *domain* (OpenSources). Hyperpartisan = bias,
  conspiracy, fake, junksci; reliable = reliable (only 3 articles, all christianpost.com, in
  the 250-article sample, so that AUC is reported but says little).
- Mainstream: the English news pages of the Scrapinghub/Zyte extraction benchmark from the
  outlets in ``MAINSTREAM`` (wire services, national and regional newspapers and broadcasters;
  tabloids, state media, partisan outlets and fact-checkers left out), gold article bodies.
- PTC v2 dev articles (SemEval-2020 Task 11: partisan and propaganda outlets).

AUC is the probability that a random hyperpartisan article has the higher density (ties 1/2);
it is printed for all articles and for those about public affairs only (the texts the stage
reports spans in), on both sides.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("NEWSFORENSICS_ONNX_THREADS", "1")

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
HYPERPARTISAN = {"bias", "conspiracy", "fake", "junksci"}
MAINSTREAM = {
    "www.cbsnews.com", "www.wsj.com", "www.nytimes.com", "www.reuters.com", "www.nbcnews.com",
    "www.detroitnews.com", "www.newsweek.com", "www.telegraph.co.uk", "www.therepublic.com",
    "www.usatoday.com", "www.bbc.com", "www.floridatoday.com", "www.ctvnews.ca",
    "www.timesunion.com", "www.hawaiinewsnow.com", "www.chron.com", "www.nj.com",
    "www.deccanherald.com", "www.cityam.com", "www.msn.com", "www.businessinsider.com",
}
MIN_CHARS = 300  # a page shorter than this is not an article (a stub or a listing)


def auc(positive: list[float], negative: list[float]) -> float:
    """Mann–Whitney ROC AUC: P(positive > negative), ties counted one half."""
    p, n = np.array(positive)[:, None], np.array(negative)[None, :]
    return float(((p > n).sum() + 0.5 * (p == n).sum()) / (p.size * n.size))


def fake_news_corpus() -> dict[str, list[str]]:
    csv.field_size_limit(2**31 - 1)
    sets: dict[str, list[str]] = {"fnc-hyperpartisan": [], "fnc-reliable": []}
    with open(SHARED / "fakenewscorpus-sample" / "news_sample.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if len(row["content"]) < MIN_CHARS:
                continue
            if row["type"] in HYPERPARTISAN:
                sets["fnc-hyperpartisan"].append(row["content"])
            elif row["type"] == "reliable":
                sets["fnc-reliable"].append(row["content"])
    return sets


def mainstream() -> list[str]:
    truth = json.loads((SHARED / "extraction" / "scrapinghub-a" / "ground-truth.json").read_text(
        encoding="utf-8"))
    return [page["articleBody"] for page in truth.values()
            if urlparse(page["url"]).netloc in MAINSTREAM and len(page["articleBody"]) >= MIN_CHARS]


def densities(texts: list[str]) -> dict[str, list[float]]:
    from newsforensics.techniques.encoding import line_segments
    from newsforensics.techniques.inference import inference_settings, shipped_model
    from newsforensics.techniques.paragraphs import shipped_paragraph_model

    model, paragraphs = shipped_model(), shipped_paragraph_model("en")
    rules, ratio = model.reporting_rules, float(inference_settings()["second_technique_ratio"])
    out: dict[str, list[float]] = {"reported": [], "expected": [], "paragraphs": [],
                                   "public_affairs": []}
    for text in texts:
        segments = line_segments(text)
        fragments = model.fragments([(text, segments)])[0]
        per_1000 = 1000 / max(len(text), 1)
        judge = rules.for_text(text)
        out["public_affairs"].append(float(judge.off_topic is None))
        out["reported"].append(per_1000 * sum(
            any(judge.reason(f.start, f.end, f.span_probability, name, lambda: None) is None
                for name, _ in f.reported(ratio)) for f in fragments))
        out["expected"].append(per_1000 * sum(f.span_probability for f in fragments))
        found = paragraphs.predict([text[s:e] for s, e in segments])
        out["paragraphs"].append(sum(bool(t) for t in found) / max(len(found), 1))
    return out


def main() -> int:
    needed = [SHARED / "fakenewscorpus-sample", SHARED / "extraction", SHARED / "ptc"]
    if not all(p.is_dir() for p in needed):
        print(f"{SHARED} lacks FakeNewsCorpus / extraction / PTC (research data, not part of the "
              f"repo); nothing to measure")
        return 0
    from newsforensics.techniques.corpus import read_articles

    sets = {**fake_news_corpus(), "mainstream": mainstream(),
            "ptc-dev": list(read_articles(SHARED / "ptc" / "dev-articles").values())}
    measured = {name: densities(texts) for name, texts in sets.items()}
    for name, values in measured.items():
        means = ", ".join(f"{k} {np.mean(v):.3f}" for k, v in values.items())
        print(f"{name}: {len(sets[name])} articles; mean density {means}")
    pairs = [("fnc-hyperpartisan", "fnc-reliable"), ("fnc-hyperpartisan", "mainstream"),
             ("ptc-dev", "mainstream")]
    densities_ = ("reported", "expected", "paragraphs")
    for positive, negative in pairs:
        for subset in ("all", "public affairs"):
            keep = {name: [subset == "all" or bool(v) for v in measured[name]["public_affairs"]]
                    for name in (positive, negative)}

            def kept(name: str, key: str) -> list[float]:
                return [v for v, k in zip(measured[name][key], keep[name]) if k]  # noqa: B023

            if not (kept(positive, "reported") and kept(negative, "reported")):
                continue
            scores = ", ".join(f"{k} {auc(kept(positive, k), kept(negative, k)):.3f}"
                               for k in densities_)
            print(f"ROC AUC {positive} ({sum(keep[positive])}) over {negative} "
                  f"({sum(keep[negative])}), {subset}: {scores}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
