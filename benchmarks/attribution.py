"""Quote and attribution detection against PolNeAR (political news attribution relations).

    .venv/bin/python benchmarks/attribution.py [--split dev|train] [--limit N] [--examples K]

Reads ../shared/data/polnear/<split>/{text,attributions} (research data, not in the repo; the
script says so and exits 0 when it is absent). Each text becomes ``Document(text)`` (identity
offsets, so gold offsets apply as they are) and runs through
``Pipeline(["language", "segment", "entities", "quotes"])``. Our ``quotes`` spans are compared
with the gold attribution relations (Source, Cue, Content). Articles annotated by several
annotators are scored against the first annotator's file (sorted by name).

Figures:
- content P/R/F1, lenient (any shared word) and strict (the shared words are at least half of
  both sides' words, or the word sets are equal; see ``content_hits``);
- cue P/R/F1 (a predicted cue overlapping a gold cue);
- source accuracy over relations with a gold Source matched one-to-one (greedy, by shared
  words) to one of our quotes: our speaker mention overlaps the gold Source, or our speaker's name contains the gold Source's head word;
- recall by gold type (direct: the content is one quotation; mixed: it contains quotation
  marks; indirect: none) and precision by our label;
- articles/s for the four stages, one process (the parse included), and each stage's
  ms/article after the parse.

``--examples K`` prints K missed gold contents and K unmatched predictions per type (offsets and
cue only, for error analysis on the train split; PolNeAR asks users to keep off dev/test while
developing).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

POLNEAR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "polnear"
STAGES = ["language", "segment", "entities", "quotes"]
QUOTE_MARKS = "\"“”„«»"
WORD = re.compile(r"\w+")
Ranges = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Relation:
    """One attribution: gold from the corpus, or predicted from our quotes layer."""

    content: Ranges
    cue: Ranges
    source: Ranges
    kind: str  # direct | mixed | indirect
    speaker: str | None = None


def parse_ranges(field: str) -> Ranges:
    """Brat offsets "12 20" or discontinuous "12 20;25 30"."""
    return tuple(tuple(int(x) for x in part.split()) for part in field.split(";"))  # type: ignore[misc]


def read_brat(path: Path, text: str) -> list[Relation]:
    """The relations of one brat file (T lines: spans; E lines: relations tying them)."""
    spans: dict[str, Ranges] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            kind_offsets = parts[1].split(" ", 1)
            if len(kind_offsets) == 2:
                spans[parts[0]] = parse_ranges(kind_offsets[1])
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg))
    relations = []
    for args in events:
        content = spans.get(args.get("Content", ""))
        if not content:
            continue
        relations.append(Relation(content, spans.get(args.get("Cue", ""), ()),
                                  spans.get(args.get("Source", ""), ()), gold_kind(text, content)))
    return relations


def gold_kind(text: str, content: Ranges) -> str:
    """direct when the content is one quotation, mixed when it holds one, else indirect."""
    body = " ".join(text[s:e] for s, e in content).strip(" \n,.;:")
    if not any(m in body for m in QUOTE_MARKS):
        return "indirect"
    opens, closes = body[:1] in QUOTE_MARKS, body[-1:] in QUOTE_MARKS
    inner = body[1:-1]
    return "direct" if opens and closes and not any(m in inner for m in QUOTE_MARKS) else "mixed"


def predicted(doc) -> list[Relation]:  # type: ignore[no-untyped-def]
    out = []
    for q in doc.get("quotes"):
        content = (tuple(q.attrs["content_span"]),)
        cue = (tuple(q.attrs["cue_span"]),) if q.attrs.get("cue_span") else ()
        mention = q.attrs.get("speaker_mention")
        source = (tuple(mention),) if mention else ()
        out.append(Relation(content, cue, source, q.label, q.attrs.get("speaker")))
    return out


def words(text: str, ranges: Ranges) -> frozenset[int]:
    """Start offsets of the words inside some ranges: spans compare as word sets, so that
    quotation marks and edge punctuation do not count."""
    return frozenset(m.start() for s, e in ranges for m in WORD.finditer(text, s, e))


def overlaps(a: Ranges, b: Ranges) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def strict(p: frozenset[int], g: frozenset[int]) -> bool:
    shared = len(p & g)
    return p == g or (shared * 2 >= len(p) and shared * 2 >= len(g) and shared > 0)


def content_hits(preds: list[frozenset[int]], golds: list[frozenset[int]]
                 ) -> tuple[tuple[set[int], set[int]], tuple[set[int], set[int]]]:
    """Correct predictions and found gold contents, (lenient, strict).

    Lenient: a prediction is correct when it shares a word with a gold content, and a gold
    content is found when a prediction shares a word with it. Strict: a gold content is found
    when the predictions overlapping it together cover at least half of its words and are at
    least half gold (a quote split by its cue, "X," he said, "Y.", is one gold relation with a
    discontinuous content but two of our quotes); a prediction is correct when at least half of
    its words lie in a strictly found gold content.
    """
    lenient_p, lenient_g, strict_p, strict_g = set(), set(), set(), set()
    for j, g in enumerate(golds):
        touching = [i for i, p in enumerate(preds) if p & g]
        if not touching:
            continue
        lenient_g.add(j)
        lenient_p.update(touching)
        if strict(frozenset().union(*(preds[i] for i in touching)), g):
            strict_g.add(j)
            strict_p.update(i for i in touching if len(preds[i] & g) * 2 >= len(preds[i]))
    return (lenient_p, lenient_g), (strict_p, strict_g)


def match(pairs: Iterable[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """One-to-one greedy matching of (score, pred, gold) candidates, best score first."""
    used_p, used_g, out = set(), set(), []
    for _score, p, g in sorted(pairs, reverse=True):
        if p not in used_p and g not in used_g:
            used_p.add(p)
            used_g.add(g)
            out.append((p, g))
    return out


class Tally:
    """True positives over predictions and gold items, kept per type."""

    def __init__(self) -> None:
        self.tp_pred: Counter[str] = Counter()
        self.tp_gold: Counter[str] = Counter()
        self.pred: Counter[str] = Counter()
        self.gold: Counter[str] = Counter()

    def add(self, preds: list[str], golds: list[str], hit_pred: set[int], hit_gold: set[int]) -> None:
        self.pred.update(preds + ["all"] * len(preds))
        self.gold.update(golds + ["all"] * len(golds))
        self.tp_pred.update([preds[i] for i in hit_pred] + ["all"] * len(hit_pred))
        self.tp_gold.update([golds[j] for j in hit_gold] + ["all"] * len(hit_gold))

    def prf(self, kind: str = "all") -> tuple[float, float, float]:
        p = self.tp_pred[kind] / self.pred[kind] if self.pred[kind] else 0.0
        r = self.tp_gold[kind] / self.gold[kind] if self.gold[kind] else 0.0
        return p, r, 2 * p * r / (p + r) if p + r else 0.0


def head_word(sp, ranges: Ranges) -> str | None:  # type: ignore[no-untyped-def]
    """The syntactic head of a gold Source ("a spokesman for the campaign" -> spokesman)."""
    span = sp.char_span(ranges[0][0], ranges[-1][1], alignment_mode="expand")
    return span.root.lower_ if span is not None and len(span) else None


def source_correct(sp, pred: Relation, gold: Relation) -> bool:  # type: ignore[no-untyped-def]
    if pred.source and overlaps(pred.source, gold.source):
        return True
    head = head_word(sp, gold.source)
    return bool(head and pred.speaker and head in WORD.findall(pred.speaker.lower()))


def articles(split: str, limit: int | None) -> list[tuple[Path, Path]]:
    out = []
    for text in sorted((POLNEAR / split / "text").glob("*.txt")):
        annotations = sorted((POLNEAR / split / "attributions").glob(f"{text.stem}_*.ann"))
        if annotations:
            out.append((text, annotations[0]))
    return out[:limit] if limit else out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="dev", choices=["dev", "train"])
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--examples", type=int, default=0)
    args = ap.parse_args()
    if not (POLNEAR / args.split / "text").is_dir():
        print(f"PolNeAR not found at {POLNEAR} (research data, not part of the repo): skipped")
        return 0

    from newsforensics import Document, Pipeline
    from newsforensics.models.spacy_model import parse_many

    items = articles(args.split, args.limit)
    texts = [p.read_text(encoding="utf-8") for p, _ in items]
    pipeline = Pipeline(STAGES)
    pipeline(Document("Warm-up: the models load here, she said."))
    started = time.perf_counter()
    docs = [Document(t) for t in texts]
    parse_many(docs)
    parses = [d.cache["spacy"] for d in docs]  # kept: the pipeline clears its cache
    docs = list(pipeline.pipe(docs))
    seconds = time.perf_counter() - started

    lenient, strict_t, cues = Tally(), Tally(), Tally()
    sources = Counter()
    missed: list[tuple[str, str, Relation]] = []
    spurious: list[tuple[str, str, Relation]] = []
    for (path, ann), text, doc, sp in zip(items, texts, docs, parses):
        gold, pred = read_brat(ann, text), predicted(doc)
        g_words = [words(text, g.content) for g in gold]
        p_words = [words(text, p.content) for p in pred]
        hits = content_hits(p_words, g_words)
        lenient.add([p.kind for p in pred], [g.kind for g in gold], *hits[0])
        strict_t.add([p.kind for p in pred], [g.kind for g in gold], *hits[1])
        p_cues = [i for i, p in enumerate(pred) if p.cue]
        g_cues = [j for j, g in enumerate(gold) if g.cue]
        cue_pairs = match((1, a, b) for a, i in enumerate(p_cues) for b, j in enumerate(g_cues)
                          if overlaps(pred[i].cue, gold[j].cue))
        cues.add(["cue"] * len(p_cues), ["cue"] * len(g_cues), {a for a, _ in cue_pairs},
                 {b for _, b in cue_pairs})
        for i, j in match((len(p_words[i] & g_words[j]), i, j) for i in range(len(pred))
                          for j in range(len(gold)) if p_words[i] & g_words[j]):
            if gold[j].source:
                sources["all"] += 1
                sources["correct"] += source_correct(sp, pred[i], gold[j])
        hit_p, hit_g = hits[0]
        missed += [(path.stem, text, g) for j, g in enumerate(gold) if j not in hit_g]
        spurious += [(path.stem, text, p) for i, p in enumerate(pred) if i not in hit_p]

    n_gold = lenient.gold["all"]
    print(f"PolNeAR {args.split}: {len(docs)} articles, {n_gold} gold attributions, "
          f"{lenient.pred['all']} predicted")
    for name, tally in (("content lenient", lenient), ("content strict ", strict_t)):
        p, r, f = tally.prf()
        print(f"{name}: P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    p, r, f = cues.prf()
    print(f"cue            : P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    if sources["all"]:
        print(f"source accuracy: {sources['correct'] / sources['all']:.3f} "
              f"({sources['correct']}/{sources['all']} matched relations with a gold Source)")
    print("by type         gold   recall(len/strict)   ours   precision(len/strict)")
    for kind in ("direct", "mixed", "indirect"):
        print(f"  {kind:<9} {lenient.gold[kind]:>7}   {lenient.prf(kind)[1]:.3f} / {strict_t.prf(kind)[1]:.3f}"
              f"     {lenient.pred[kind]:>6}   {lenient.prf(kind)[0]:.3f} / {strict_t.prf(kind)[0]:.3f}")
    words_total = sum(len(t.split()) for t in texts)
    print(f"speed: {len(docs) / seconds:.1f} articles/s, {words_total / seconds:,.0f} words/s "
          f"({'+'.join(STAGES)}, parse included)")
    for stage in STAGES[1:]:
        runs = [r.seconds for d in docs for r in d.stage_runs if r.name == stage]
        print(f"  {stage} stage: {1000 * sum(runs) / max(len(runs), 1):.1f} ms/article")
    if args.examples:
        show("missed gold", missed, args.examples)
        show("unmatched predictions", spurious, args.examples)
    return 0


def show(title: str, relations: list[tuple[str, str, Relation]], k: int) -> None:
    """Error examples for analysis: where they are, their cue and the first words."""
    print(f"\n{title}:")
    heads = Counter(text[r.cue[-1][0]:r.cue[-1][1]].lower().split()[-1] for _, text, r in relations
                    if r.cue and text[r.cue[-1][0]:r.cue[-1][1]].split())
    print("  most frequent cue words:", ", ".join(f"{w} {n}" for w, n in heads.most_common(40)))
    for kind in ("direct", "mixed", "indirect"):
        for stem, text, rel in [r for r in relations if r[2].kind == kind][:k]:
            cue = " ".join(text[s:e] for s, e in rel.cue) or "-"
            s, e = rel.content[0]
            print(f"  [{kind}] {stem} {s}-{e} cue={cue!r}: {text[s:min(e, s + 90)]!r}")


if __name__ == "__main__":
    sys.exit(main())
