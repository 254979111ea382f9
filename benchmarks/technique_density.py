"""Does article-level technique density rank hyperpartisan above mainstream reporting? ROC AUC.

    .venv/bin/python benchmarks/technique_density.py

Densities per article, from the shipped models (span-level model over the article's lines, the
English paragraph model over its paragraphs):

- ``reported``: fragments the stage reports per 1,000 characters (what the dossier shows: the
  operating point and the reporting rules of ``techniques/reporting.py`` — none in a text that
  is not about public affairs — but not the bare-name rule, which needs the spaCy parse);
- ``expected``: the sum of every fragment's span probability per 1,000 characters (the expected
  number of propaganda fragments; the candidates below the operating point count by their
  probability) — the view's ``expected_density_per_1000_chars`` (which reads the pipeline's
  sentences, where this script reads lines);
- ``paragraphs``: the share of paragraphs with at least one paragraph-level technique;
- ``paragraph mass``: the paragraph model's technique probabilities summed over the text, per
  1,000 characters (the expected number of (paragraph, technique) pairs).
- ``evidence``: the view's ``evidence_density_per_1000_chars``: the reported fragments counted
  by their span probability plus each paragraph's highest technique probability, per 1,000
  characters (two expected counts added without a fitted weight; defined before it was measured).

Sets (research data in ../shared, not in the repo; the script exits 0 when absent):

- FakeNewsCorpus sample: outlet labels per *domain* (OpenSources; in the sample every one of
  the 29 domains has one label for all its articles). Hyperpartisan = bias, conspiracy, fake,
  junksci: 183 articles of ≥ 300 characters from only 10 domains, 142 of them
  beforeitsnews.com; reliable = reliable (only 3 articles, all christianpost.com, in the
  250-article sample, so that AUC is reported but says little). As the label belongs to the
  outlet, the AUC is also printed per outlet: each outlet's mean density, hyperpartisan domains
  over mainstream hosts.
- Mainstream: the English news pages of the Scrapinghub/Zyte extraction benchmark from the
  outlets in ``MAINSTREAM`` (wire services, national and regional newspapers and broadcasters;
  tabloids, state media, partisan outlets and fact-checkers left out), gold article bodies.
- PTC v2 dev articles (SemEval-2020 Task 11: partisan and propaganda outlets).
- PolNeAR (train + dev): US 2016 election coverage, 132 articles from each of seven publishers
  sampled alike by month and candidate; Breitbart and Western Journalism over the New York
  Times, Politico, USA Today and the Washington Post (HuffPost left out). The control: same
  topic, same months, clean text, so what separates them is the outlets' wording.

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
POLNEAR_HYPERPARTISAN = {"breitbart", "west-journal"}
POLNEAR_MAINSTREAM = {"nyt", "politico", "usa-today", "wash-post"}
MIN_CHARS = 300  # a page shorter than this is not an article (a stub or a listing)


def auc(positive: list[float], negative: list[float]) -> float:
    """Mann–Whitney ROC AUC: P(positive > negative), ties counted one half."""
    p, n = np.array(positive)[:, None], np.array(negative)[None, :]
    return float(((p > n).sum() + 0.5 * (p == n).sum()) / (p.size * n.size))


Outlet = str  # an article's domain, host or publisher: the unit its label belongs to


def fake_news_corpus() -> dict[str, list[tuple[Outlet, str]]]:
    csv.field_size_limit(2**31 - 1)
    sets: dict[str, list[tuple[Outlet, str]]] = {"fnc-hyperpartisan": [], "fnc-reliable": []}
    with open(SHARED / "fakenewscorpus-sample" / "news_sample.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if len(row["content"]) < MIN_CHARS:
                continue
            if row["type"] in HYPERPARTISAN:
                sets["fnc-hyperpartisan"].append((row["domain"], row["content"]))
            elif row["type"] == "reliable":
                sets["fnc-reliable"].append((row["domain"], row["content"]))
    return sets


def mainstream() -> list[tuple[Outlet, str]]:
    truth = json.loads((SHARED / "extraction" / "scrapinghub-a" / "ground-truth.json").read_text(
        encoding="utf-8"))
    return [(urlparse(page["url"]).netloc, page["articleBody"]) for page in truth.values()
            if urlparse(page["url"]).netloc in MAINSTREAM and len(page["articleBody"]) >= MIN_CHARS]


def polnear() -> dict[str, list[tuple[Outlet, str]]]:
    sets: dict[str, list[tuple[Outlet, str]]] = {"polnear-hyperpartisan": [],
                                                 "polnear-mainstream": []}
    with open(SHARED / "polnear" / "metadata_train_dev.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            name = ("polnear-hyperpartisan" if row["publisher"] in POLNEAR_HYPERPARTISAN else
                    "polnear-mainstream" if row["publisher"] in POLNEAR_MAINSTREAM else None)
            if name:
                path = SHARED / "polnear" / row["compartment"] / "text" / f"{row['filename']}.txt"
                sets[name].append((row["publisher"], path.read_text(encoding="utf-8")))
    return sets


def densities(texts: list[str]) -> dict[str, list[float]]:
    from newsforensics.techniques.encoding import line_segments
    from newsforensics.techniques.inference import inference_settings, shipped_model
    from newsforensics.techniques.paragraphs import ParagraphScores, shipped_paragraph_model

    model, paragraphs = shipped_model(), shipped_paragraph_model("en")
    rules, ratio = model.reporting_rules, float(inference_settings()["second_technique_ratio"])
    out: dict[str, list[float]] = {"reported": [], "expected": [], "paragraphs": [],
                                   "paragraph mass": [], "evidence": [], "public_affairs": []}
    for text in texts:
        segments = line_segments(text)
        fragments = model.fragments([(text, segments)])[0]
        per_1000 = 1000 / max(len(text), 1)
        judge = rules.for_text(text, ParagraphScores(text, segments, paragraphs).support)
        out["public_affairs"].append(float(judge.off_topic is None))
        reported = [f for f in fragments if any(
            judge.reason(f.start, f.end, f.span_probability, name, lambda: None) is None
            for name, _ in f.reported(ratio))]
        out["reported"].append(per_1000 * len(reported))
        out["expected"].append(per_1000 * sum(f.span_probability for f in fragments))
        probabilities = paragraphs.probabilities([text[s:e] for s, e in segments])
        out["paragraphs"].append(float((probabilities >= paragraphs.threshold).any(1).mean())
                                 if len(segments) else 0.0)
        out["paragraph mass"].append(per_1000 * float(probabilities.sum()))
        out["evidence"].append(per_1000 * (sum(f.span_probability for f in reported)
                                           + float(probabilities.max(1, initial=0.0).sum())))
    return out


def main() -> int:
    needed = [SHARED / "fakenewscorpus-sample", SHARED / "extraction", SHARED / "ptc",
              SHARED / "polnear"]
    if not all(p.is_dir() for p in needed):
        print(f"{SHARED} lacks FakeNewsCorpus / extraction / PTC / PolNeAR (research data, not "
              f"part of the repo); nothing to measure")
        return 0
    from newsforensics.techniques.corpus import read_articles

    sets = {**fake_news_corpus(), "mainstream": mainstream(),
            "ptc-dev": [("ptc", text) for text in
                        read_articles(SHARED / "ptc" / "dev-articles").values()],
            **polnear()}
    measured = {name: densities([text for _, text in items]) for name, items in sets.items()}
    for name, values in measured.items():
        means = ", ".join(f"{k} {np.mean(v):.3f}" for k, v in values.items())
        print(f"{name}: {len(sets[name])} articles; mean density {means}")
    pairs = [("fnc-hyperpartisan", "fnc-reliable"), ("fnc-hyperpartisan", "mainstream"),
             ("ptc-dev", "mainstream"), ("polnear-hyperpartisan", "polnear-mainstream")]
    densities_ = ("reported", "expected", "paragraphs", "paragraph mass", "evidence")
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
        outlets = {name: [outlet for outlet, _ in sets[name]] for name in (positive, negative)}
        if len(set(outlets[positive])) > 1 and len(set(outlets[negative])) > 1:
            means = {k: [by_outlet(outlets[n], measured[n][k]) for n in (positive, negative)]
                     for k in densities_}
            scores = ", ".join(f"{k} {auc(*means[k]):.3f}" for k in densities_)
            print(f"ROC AUC {positive} ({len(set(outlets[positive]))} outlets) over {negative} "
                  f"({len(set(outlets[negative]))} outlets), each outlet's mean: {scores}")
    return 0


def by_outlet(outlets: list[Outlet], values: list[float]) -> list[float]:
    """Each outlet's mean value (the label belongs to the outlet, not to the article)."""
    grouped: dict[Outlet, list[float]] = {}
    for outlet, value in zip(outlets, values):
        grouped.setdefault(outlet, []).append(value)
    return [float(np.mean(v)) for v in grouped.values()]


if __name__ == "__main__":
    sys.exit(main())
