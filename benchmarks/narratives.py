"""Narrative matching against VoxCheck's "Propaganda Diary" cases (five languages) and
EUvsDisinfo case titles (English).

    .venv/bin/python benchmarks/narratives.py [--languages en,de,it,ru,uk] [--limit N] [--eu-limit N]
    .venv/bin/python benchmarks/narratives.py --speed 120   # stage cost per article, gate pass rate
    .venv/bin/python benchmarks/narratives.py --gate        # what each reachable_cosine keeps and costs

Reads ../shared/data/voxcheck-propaganda-diary (research data, evaluation only, not in the repo;
the script says so and exits 0 when it is absent). Each case is a quoted passage from German or
Italian media that VoxCheck assigned to one of 13 pro-Kremlin narratives, given in English,
German, Italian, Russian and Ukrainian translations. Nine of the 13 correspond to narratives of
our built-in catalogue (``GOLD`` below: written by hand from the narrative names, before
looking at any case); the other four (Nord Stream 2, the Ukrainian church, "the West is not
interested in Ukraine", "Ukraine is an illiberal state") have no counterpart, so a match there is
a false positive unless it names a catalogue narrative the case plainly is about — we count it
as false either way (strict).

Each passage goes through ``Pipeline(["language", "segment", "narratives"])``: a case is matched
to the narratives its sentences carry or attribute (denied mentions do not count).

Figures, per language and overall:
- recall: mapped cases whose gold narrative is among those matched;
- precision: matched (case, narrative) pairs that are the case's gold narrative (strict), and
  lenient (gold or a narrative the catalogue lists as related to it);
- no-match rate on cases of unmapped narratives, and matches per case;
- sentences/s of the narratives stage.

EUvsDisinfo (../shared/data/euvsdisinfo-cases, case_index_2015-2021.csv; "Source: EUvsDisinfo,
EEAS East StratCom Task Force"): each case title is the disinformation claim in a sentence, with
keywords EUvsDisinfo assigned. ``EU_RULES`` turns keywords into the catalogue narratives that
count as right (several may); up to ``--eu-limit`` cases per rule, in file order, are matched
title by title. Recall: labelled cases matched to one of their narratives; precision: matches on
labelled cases that are one of their narratives. Titles without any rule's keywords have no
gold; their match rate is printed for orientation only.

Speed (``--speed N``): the first N PTC articles (../shared/data/ptc, English news) go through
the default pipeline on one core; printed: the narratives stage's seconds an article (from each
dossier's stage timings), and how many sentences the gate let through to the encoder.

Gate (``--gate``): for candidate values of ``reachable_cosine`` (narratives/data/matcher.toml),
the share of VoxCheck sentences (100 cases per language) that match with the gate off and would
still be encoded, against the share of sentences encoded on VoxCheck and on 120 PTC articles.

The catalogue was written from public descriptions, not from these cases; the matcher's
calibration uses only sentences we wrote (narratives/data/calibration.toml).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402

from newsforensics.document import Document  # noqa: E402
from newsforensics.narratives.catalogue import load_catalogue  # noqa: E402
from newsforensics.narratives.stance import DENIED  # noqa: E402
from newsforensics.pipeline import Pipeline  # noqa: E402

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DATA = SHARED / "voxcheck-propaganda-diary"
EU_CASES = SHARED / "euvsdisinfo-cases" / "case_index_2015-2021.csv"
# EUvsDisinfo keywords (all of them, and a country when given) → the narratives that count as right.
EU_RULES: tuple[tuple[tuple[str, ...], str | None, tuple[str, ...]], ...] = (
    (("MH17",), None, ("mh17-ukraine-shot-down",)),
    (("White Helmets",), None, ("white-helmets-terrorist-propaganda", "syria-staged-chemical-attacks")),
    (("Chemical weapons/attack",), "Syria", ("syria-staged-chemical-attacks", "white-helmets-terrorist-propaganda",
                                             "west-stages-provocations")),
    (("Sergei Skripal",), None, ("skripal-navalny-staged", "west-stages-provocations")),
    (("Alexei Navalny",), None, ("skripal-navalny-staged", "west-stages-provocations")),
    (("Biological weapons",), None, ("ukraine-biolabs", "covid-us-bioweapon")),
    (("Euromaidan",), "Ukraine", ("maidan-coup", "west-controls-ukraine")),
    (("Nazi/Fascist",), "Ukraine", ("ukraine-nazi-state",)),
    (("Encircling Russia",), None, ("nato-encircles-russia", "russia-defends-itself")),
    (("Ukrainian disintegration",), None, ("ukraine-failed-state",)),
)
LANGUAGES = ("en", "de", "it", "ru", "uk")
# VoxCheck narrative (English label) → our narrative ids that count as the right answer.
GOLD: dict[str, tuple[str, ...]] = {
    "Maidan in 2014 was a coup d'état": ("maidan-coup",),
    "Nazis and ultra-nationalists in Ukraine": ("ukraine-nazi-state",),
    "Russia is not involved in MH17 crash; Ukraine shot down the plane": ("mh17-ukraine-shot-down",),
    "Ukraine is a failed state": ("ukraine-failed-state",),
    "Russians are discriminated in Ukraine": ("russian-speakers-persecuted",),
    "The West controls Ukraine and uses it to its advantage": ("west-controls-ukraine",),
    "Russia needs to protect itself": ("russia-defends-itself", "nato-encircles-russia"),
    "Ukraine is conducting an aggressive policy": ("ukraine-aggression-donbas",),
    "Russia is not an agressor towards Ukraine": ("russia-not-a-party",),
}


def load_cases(language: str) -> list[tuple[str, str]]:
    """(English narrative label, passage) per case; labels forward-filled, joined to English on link+date."""
    english = json.loads((DATA / "cases_en.json").read_text(encoding="utf-8"))
    label_of, last = {}, None
    for row in english:
        last = row.get("Narrative") or last
        label_of[(row.get("Link"), row.get("Date"))] = last
    rows = english if language == "en" else json.loads((DATA / f"cases_{language}.json").read_text(encoding="utf-8"))
    out = []
    for row in rows:
        label = label_of.get((row.get("Link"), row.get("Date")))
        text = " ".join(str(row.get("Disinfo_case") or "").split())
        if label and text:
            out.append((label, text))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--languages", default=",".join(LANGUAGES))
    parser.add_argument("--limit", type=int, default=0, help="cases per language (0: all)")
    parser.add_argument("--eu-limit", type=int, default=60, help="EUvsDisinfo cases per rule (0: skip)")
    parser.add_argument("--speed", type=int, default=0, help="PTC articles for the stage-cost figure (0: skip)")
    parser.add_argument("--gate", action="store_true", help="the gate's trade-off per reachable_cosine")
    args = parser.parse_args()
    if args.speed:
        return speed(args.speed)
    if args.gate:
        return gate()
    if not DATA.is_dir():
        print(f"{DATA} is not present (research data, not part of the repo); nothing to measure")
        return 0
    catalogue = load_catalogue(include_user=False)
    pipeline = Pipeline(["language", "segment", "narratives"], options={"narratives": {"catalogue": []}})
    print(f"catalogue {catalogue.version}, {len(catalogue)} narratives; VoxCheck cases, strict gold mapping")
    print(f"{'lang':5} {'cases':>5} {'recall':>7} {'P strict':>9} {'P lenient':>10} {'no-match(unmapped)':>19} "
          f"{'matches/case':>13} {'sent/s':>7}")
    total: Counter[str] = Counter()
    for language in [lang for lang in args.languages.split(",") if lang]:
        cases = load_cases(language)
        if args.limit:
            cases = cases[:args.limit]
        docs = [Document(text) for _, text in cases]
        for doc in docs:
            doc.meta.language = language  # the translation's language, as a hint would give it
        started = time.perf_counter()
        docs = list(pipeline.pipe(docs))
        seconds = time.perf_counter() - started
        n_sentences = sum(len(d.get("sentences")) for d in docs)
        c: Counter[str] = Counter()
        for (label, _), doc in zip(cases, docs, strict=True):
            found = {s.label for s in doc.get("narratives") if s.attrs.get("stance") != DENIED}
            gold = set(GOLD.get(label, ()))
            related = {r for g in gold for r in catalogue.get(g).related} | gold if gold else set()
            c["matches"] += len(found)
            c["predicted"] += len(found)
            c["correct"] += len(found & gold)
            c["lenient"] += len(found & related)
            if gold:
                c["mapped"] += 1
                c["recalled"] += bool(found & gold)
            else:
                c["unmapped"] += 1
                c["unmapped_clean"] += not found
        total.update(c)
        _row(language, len(cases), c, n_sentences / seconds if seconds else 0.0)
    if total:
        _row("all", total["mapped"] + total["unmapped"], total, None)
    if args.eu_limit and EU_CASES.is_file():
        euvsdisinfo(pipeline, args.eu_limit)
    return 0


def euvsdisinfo(pipeline: Pipeline, per_rule: int) -> None:
    import csv

    with open(EU_CASES, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    labelled: list[tuple[str, set[str]]] = []
    taken: Counter[int] = Counter()
    unlabelled: list[str] = []
    for row in rows:
        keywords = {k.strip() for k in (row.get("keywords") or "").split("+")}
        countries = {c.strip() for c in (row.get("countries") or "").split("+")}
        gold: set[str] = set()
        for i, (needed, country, narratives) in enumerate(EU_RULES):
            if set(needed) <= keywords and (country is None or country in countries) and taken[i] < per_rule:
                gold.update(narratives)
                taken[i] += 1
        title = " ".join((row.get("title") or "").split())
        if gold and title:
            labelled.append((title, gold))
        elif title and not any(set(n) <= keywords for n, _, _ in EU_RULES) and len(unlabelled) < per_rule * 3:
            unlabelled.append(title)
    docs = list(pipeline.pipe(Document(t) for t, _ in labelled))
    found = [{s.label for s in d.get("narratives") if s.attrs.get("stance") != DENIED} for d in docs]
    recalled = sum(bool(f & gold) for f, (_, gold) in zip(found, labelled, strict=True))
    predicted = sum(len(f) for f in found)
    correct = sum(len(f & gold) for f, (_, gold) in zip(found, labelled, strict=True))
    other = list(pipeline.pipe(Document(t) for t in unlabelled))
    other_rate = sum(bool([s for s in d.get("narratives") if s.attrs.get("stance") != DENIED]) for d in other)
    print(f"EUvsDisinfo case titles (en): {len(labelled)} labelled by keyword rules, recall "
          f"{recalled / len(labelled):.3f}, precision {correct / max(1, predicted):.3f}; "
          f"{other_rate}/{len(other)} titles without those keywords matched something (no gold)")


def gate() -> int:
    """What each candidate ``reachable_cosine`` keeps (matching sentences) and costs (encoded ones)."""
    from newsforensics.narratives.matcher import FEATURES, NarrativeMatcher
    from newsforensics.models import multilingual

    if not DATA.is_dir():
        print(f"{DATA} is not present; nothing to measure")
        return 0
    matcher = NarrativeMatcher(load_catalogue(include_user=False))
    segment = Pipeline(["segment"])
    vox, vox_langs = [], []
    for language in LANGUAGES:
        for doc in segment.pipe(Document(text) for _, text in load_cases(language)[:100]):
            kept = [s.text for s in doc.get("sentences") if len(s.text.strip()) >= matcher.min_chars]
            vox += kept
            vox_langs += [language] * len(kept)
    matrix, _ = matcher.cues(vox, vox_langs, [set()] * len(vox))
    needed = matcher.needed_cosine(matrix, vox_langs)
    matcher.add_cosines(matrix, vox_langs, multilingual.encode(vox), matcher.english_vectors(vox, vox_langs))
    matches = (matcher.model.predict(matrix.reshape(-1, len(FEATURES))) >= matcher.min_probability
               ).reshape(matrix.shape[:2]).any(axis=1)
    ptc = sorted((SHARED / "ptc" / "train-articles").glob("article*.txt"))[:120]
    news = [s.text for doc in segment.pipe(Document(p.read_text(encoding="utf-8")) for p in ptc)
            for s in doc.get("sentences") if len(s.text.strip()) >= matcher.min_chars]
    news_needed = matcher.needed_cosine(matcher.cues(news, ["en"] * len(news), [set()] * len(news))[0],
                                        ["en"] * len(news))
    print(f"{len(vox)} VoxCheck sentences ({int(matches.sum())} match with the gate off), {len(news)} sentences "
          f"of {len(ptc)} PTC articles; shipped reachable_cosine {matcher.reachable_cosine}")
    for ceiling in (0.5, 0.55, 0.6, 0.62, 0.65, 0.7, 0.75, 0.8):
        print(f"reachable_cosine {ceiling:.2f}: matching sentences still encoded "
              f"{np.mean(needed[matches] <= ceiling):.3f}; encoded: VoxCheck {np.mean(needed <= ceiling):.3f}, "
              f"PTC {np.mean(news_needed <= ceiling):.3f}")
    return 0


def speed(n: int) -> int:
    """The narratives stage's CPU cost an article after the default pipeline's other stages, and
    the gate's pass rate (the stage is timed alone so that the other stages' cost and the
    machine's load do not blur it)."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    ptc = SHARED / "ptc"
    paths = (sorted(ptc.glob("train-articles/article*.txt")) + sorted(ptc.glob("dev-articles/article*.txt")))[:n]
    if not paths:
        print("../shared/data/ptc is not present; nothing to measure")
        return 0
    pipeline = Pipeline()
    stage = next(s for s in pipeline.stages if s.name == "narratives")
    before = Pipeline(pipeline.names[:pipeline.names.index("narratives")])
    docs = list(before.pipe(Document(p.read_text(encoding="utf-8")) for p in paths))
    stage.pipe(list(before.pipe([Document("Warm-up: officials in Kyiv said the laboratory was closed.")])))
    counts_before = dict(getattr(stage.matcher, "counts", {}))
    cpu = time.process_time()
    for first in range(0, len(docs), 8):  # the pipeline's batch size
        stage.pipe(docs[first:first + 8])
    cpu = time.process_time() - cpu
    sentences = sum(len(d.get("sentences")) for d in docs)
    matched = sum(len({s.start for s in d.get("narratives")}) for d in docs)
    counts = getattr(stage.matcher, "counts", None)
    encoded = (f"{counts['encoded'] - counts_before.get('encoded', 0)} of {sentences} sentences encoded"
               if counts is not None else "encoded count n/a (matcher without counts)")
    print(f"narratives stage, {len(docs)} PTC articles, one core: {1000 * cpu / len(docs):.1f} CPU-ms an article; "
          f"{encoded}; {matched} sentences matched")
    return 0


def _row(language: str, n: int, c: Counter[str], rate: float | None) -> None:
    recall = c["recalled"] / c["mapped"] if c["mapped"] else 0.0
    strict = c["correct"] / c["predicted"] if c["predicted"] else 0.0
    lenient = c["lenient"] / c["predicted"] if c["predicted"] else 0.0
    clean = c["unmapped_clean"] / c["unmapped"] if c["unmapped"] else 0.0
    per_case = c["matches"] / n if n else 0.0
    print(f"{language:5} {n:5d} {recall:7.3f} {strict:9.3f} {lenient:10.3f} {clean:19.3f} {per_case:13.2f} "
          f"{'' if rate is None else f'{rate:7.1f}'}")


if __name__ == "__main__":
    sys.exit(main())
