"""Learn a language's NER span convention from its news gold set's train split (never its test).

    python scripts/learn_ner_convention.py ru [--write]

The shipped tagger tags the gold train split (tokens joined by spaces, as benchmarks/ner.py reads
a test set); ``newsforensics.models.ner_convention.learn`` finds the descriptors and label changes
that move its spans to the gold ones on the first part, and the held-out rest scores the tagger
with and without them. ``--write`` saves ``models/data/ner/conventions/<lang>.toml`` (the file
``models.toml`` names), with those figures in its header. The file holds descriptor stems, word
endings and a few label changes, no list of the data set's names.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "benchmarks"))

from ner import as_text  # noqa: E402

from newsforensics.models.ner import load_ner  # noqa: E402
from newsforensics.models.ner_convention import Convention, learn, to_toml  # noqa: E402
from newsforensics.models.ner_data import TYPES, Score, read_conll  # noqa: E402

DATA = REPO.parent / "shared" / "data"
OUT = REPO / "src" / "newsforensics" / "models" / "data" / "ner" / "conventions"

# language -> (gold train split, sentences learnt from; the rest is held out), word endings
SETS = {
    "ru": ("ner-factrueval2016-ru/train.tsv", 1500,
           "а я у ю е и ы о ой ей ом ем ам ям ах ях ами ями ого его ому ему ая яя ую юю ое ее ые ие ых их "
           "ым им ыми ими ий ый ия ию ии ией ью ов ев".split()),
}


def score(gold: list[set], predicted: list[set]) -> str:
    s = Score.of(gold, predicted)
    return f"F1 {s.f1():.3f} (PER {s.f1('PER'):.3f}, ORG {s.f1('ORG'):.3f}, LOC {s.f1('LOC'):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("language", choices=sorted(SETS))
    parser.add_argument("--min-gain", type=int, default=2)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    rel, split, endings = SETS[args.language]
    texts, gold = zip(*(as_text(s) for s in read_conll(DATA / rel)), strict=True)
    tagger = load_ner(args.language)
    predicted = [{(a, b, TYPES[label]) for a, b, label in spans if label in TYPES}
                 for spans in tagger.spans(list(texts), reshape=False)]
    convention = learn(texts[:split], gold[:split], predicted[:split], endings, args.min_gain)
    reshaped = [set(convention.apply(t, p)) for t, p in zip(texts, predicted, strict=True)]
    lines = [f"Span convention for {args.language}: learnt by scripts/learn_ner_convention.py "
             f"{args.language} from {rel} [:{split}] (the {tagger.source} tagger's spans against the gold ones).",
             f"Held-out {rel} [{split}:], exact-span PER/ORG/LOC:",
             f"  the tagger alone:      {score(gold[split:], predicted[split:])}",
             f"  with this convention:  {score(gold[split:], reshaped[split:])}",
             f"Learnt-from part: {score(gold[:split], predicted[:split])} -> "
             f"{score(gold[:split], reshaped[:split])}"]
    print("\n".join(lines))
    print(f"{len(convention.descriptors)} descriptors, {len(convention.relabel)} label changes, "
          f"{len(convention.merges)} merges")
    if args.write:
        OUT.mkdir(exist_ok=True)
        path = OUT / f"{args.language}.toml"
        path.write_text(to_toml(convention, "\n".join(lines)), encoding="utf-8")
        assert Convention.load(path) == convention
        print(f"written: {path}")


if __name__ == "__main__":
    main()
