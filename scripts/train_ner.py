"""Train the small per-language NER pipelines shipped in src/newsforensics/models/data/ner/.

No German, Italian, Ukrainian, Arabic or current Spanish spaCy pipeline installs offline, so
each is trained here, on CPU, from the news gold sets and WikiANN silver data in ../shared/data
(research-only data: see each model card). A model is a blank spaCy pipeline with a small
hash-embedding CNN tok2vec and a transition-based NER: no vectors, a few MB, fast on CPU.

Training is bounded by wall clock: ``spacy train`` saves ``model-best`` at each evaluation,
and the run is stopped when the budget is spent, keeping the best model so far. ``--resume``
starts from the shipped model's weights instead of from scratch (more budget, same recipe).

    nice -n 10 python scripts/train_ner.py es --minutes 12
    nice -n 10 python scripts/train_ner.py es --minutes 12 --resume
    nice -n 10 python scripts/train_ner.py --list

Every recipe's test sets are scored by benchmarks/ner.py.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from newsforensics.models.ner_data import Sentence, read_conll, sentences_to_docbin  # noqa: E402

DATA = REPO.parent / "shared" / "data"
OUT = REPO / "src" / "newsforensics" / "models" / "data" / "ner"


@dataclass(frozen=True)
class Part:
    """Sentences from one file: ``path`` under ../shared/data, an optional slice of them."""

    path: str
    start: int = 0
    stop: int | None = None
    limit: int | None = None  # a random sample of at most this many (silver data)
    repeat: int = 1  # copies of each sentence: weighs the small news gold sets against the silver

    def read(self, rng: random.Random) -> list[Sentence]:
        sentences = read_conll(DATA / self.path)[self.start:self.stop]
        if self.limit is not None and len(sentences) > self.limit:
            sentences = rng.sample(sentences, self.limit)
        return sentences * self.repeat


@dataclass(frozen=True)
class Recipe:
    train: tuple[Part, ...]
    dev: tuple[Part, ...]


# Every split that no benchmark scores trains: the news gold set (weighed up by ``repeat``, it is
# the domain the figures are about), WikiNEuRal dev/test (silver, better than WikiANN; MISC reads
# as O) and all of WikiANN that benchmarks/ner.py does not score (its test split, or for it/uk the
# second half of dev). Model selection on a held-out news slice where one exists.
def wikiann(lang: str, dev_stop: int | None = None) -> tuple[Part, ...]:
    return (Part(f"ner-wikiann-panx/{lang}/train.tsv"), Part(f"ner-wikiann-panx/{lang}/dev.tsv", stop=dev_stop))


def wikineural(lang: str, splits: tuple[str, ...] = ("dev", "test")) -> tuple[Part, ...]:
    return tuple(Part(f"ner-wikineural/{lang}/{split}.tsv") for split in splits)


DEV_LIMIT = 800  # sentences: evaluation runs often and the CPU is shared

RECIPES: dict[str, Recipe] = {
    "es": Recipe(  # in-domain heavy: the silver sets are sampled so that a run sees CoNLL train several times
        train=(Part("ner-conll2002-es/train.tsv", repeat=3), Part("ner-wikineural/es/dev.tsv", limit=6000),
               Part("ner-wikiann-panx/es/train.tsv", limit=6000)),
        dev=(Part("ner-conll2002-es/dev.tsv"),),
    ),
    "it": Recipe(  # in-domain heavy, like es; KIND dev past the sentences that select the model trains too
        train=(Part("ner-kind-wikinews-it/WN_train.tsv", repeat=3),
               Part("ner-kind-wikinews-it/WN_dev.tsv", start=DEV_LIMIT, repeat=3),
               Part("ner-wikineural/it/dev.tsv", limit=6000), Part("ner-wikiann-panx/it/train.tsv", limit=6000)),
        dev=(Part("ner-kind-wikinews-it/WN_dev.tsv", stop=DEV_LIMIT),),
    ),
    "de": Recipe(  # GermEval's train file is not available: its dev set (less a held-out tail) trains
        train=(Part("ner-germeval2014-de/dev.tsv", stop=1800, repeat=4), *wikineural("de"), *wikiann("de")),
        dev=(Part("ner-germeval2014-de/dev.tsv", start=1800),),
    ),
    "uk": Recipe(  # no official dev split: the last tenth of train is held out; no WikiNEuRal uk
        train=(Part("ner-uk-languk/train.tsv", stop=10000, repeat=2), *wikiann("uk", 5000)),
        dev=(Part("ner-uk-languk/train.tsv", start=10000),),
    ),
    "ar": Recipe(  # no WikiNEuRal ar
        train=(Part("ner-anercorp-ar/train.tsv", stop=3750, repeat=3), Part("ner-wikiann-panx/ar/train.tsv")),
        dev=(Part("ner-anercorp-ar/train.tsv", start=3750),),
    ),
    "fr": Recipe(  # no French news gold set: WikiNEuRal dev (silver, better than WikiANN) trains
        train=(*wikineural("fr", ("dev",)), Part("ner-wikiann-panx/fr/train.tsv")),
        dev=(Part("ner-wikiann-panx/fr/dev.tsv", stop=2000),),
    ),
    "ru": Recipe(  # WikiNEuRal ru test is scored: only its dev trains; FactRuEval train's tail selects
        train=(Part("ner-factrueval2016-ru/train.tsv", stop=1500, repeat=4), *wikineural("ru", ("dev",)),
               *wikiann("ru")),
        dev=(Part("ner-factrueval2016-ru/train.tsv", start=1500),),
    ),
}

# What each data set allows (from its README in ../shared/data); the model cards repeat it.
LICENCES = {
    "ner-conll2002-es": "CoNLL-2002 Spanish (EFE newswire, Tjong Kim Sang 2002): free for research, no open licence",
    "ner-kind-wikinews-it": "KIND Wikinews (Paccosi & Palmero Aprosio 2022): annotations CC BY-NC 4.0, texts CC BY 2.5",
    "ner-germeval2014-de": "GermEval 2014 (Benikova et al. 2014): CC BY 4.0",
    "ner-uk-languk": "lang-uk NER-UK 2.0: CC BY-NC-SA 4.0",
    "ner-anercorp-ar": "ANERcorp (Benajiba et al. 2007), CAMeL split: free for research purposes",
    "ner-factrueval2016-ru": "FactRuEval-2016: MIT",
    "ner-wikiann-panx": "WikiANN/PAN-X (Pan et al. 2017; Rahimi et al. 2019 splits): no stated licence, research use; text CC BY-SA",
    "ner-wikineural": "WikiNEuRal (Tedeschi et al. 2021): CC BY-NC-SA 4.0",
}
CARD = """# Named-entity model: {lang}

A small spaCy {spacy} pipeline (blank `{lang}` tokenizer, hash-embedding CNN tok2vec of width
{width}, transition-based NER; no word vectors) that tags PER, ORG and LOC. The entities stage
maps them onto its labels (PERSON, ORG, LOC, or GPE when the gazetteer knows the place).

## Data
Trained by `scripts/train_ner.py {lang}` on (sentences after the recipe's slices/samples):
{train}
Model selection (dev): {dev}.

Licences of the training data: **research use only / non-commercial** where stated:
{licences}
The weights are derived from these data sets: use them under the same terms. The data itself is
not in this repository (it lives in ../shared/data).

## Figures
Dev PER/ORG/LOC F1 at the saved step: {dev_f}. Test F1 per news and silver set: run
`python benchmarks/ner.py --languages {lang}` (figures in README.md's benchmark table).

## Training runs
{runs}

## Rebuild
    nice -n 10 python scripts/train_ner.py {lang} --minutes 13 [--resume]
Each run is bounded by wall clock on a shared 2-core CPU; `--resume` continues from these
weights. Results vary with the budget and the machine's load.
"""


def slim(target: Path) -> None:
    """Drop the training vocabulary's string table (up to 4 MB): the hash embeddings hash each
    token's text at run time and the labels come with the NER component, so inference does not
    read it (predictions checked identical on 300 NER-UK test sentences)."""
    (target / "vocab" / "strings.json").write_text("[]", encoding="utf-8")


def write_card(lang: str, target: Path, meta: dict) -> None:
    recipe = RECIPES[lang]
    parts = [*recipe.train, *recipe.dev]
    sets = sorted({p.path.split("/")[0] for p in parts})
    (target / "MODEL_CARD.md").write_text(CARD.format(
        lang=lang, spacy=meta.get("spacy_version", ""),
        width=OVERRIDES["components.tok2vec.model.encode.width"],
        train="\n".join(f"- `{p.path}`" + (f" [{p.start}:{p.stop}]" if p.start or p.stop else "")
                        + (f", random {p.limit}" if p.limit else "")
                        + (f", ×{p.repeat}" if p.repeat > 1 else "") for p in recipe.train),
        dev=", ".join(f"`{p.path}` [{p.start}:{p.stop}]" for p in recipe.dev),
        licences="\n".join(f"- {LICENCES[name]}" for name in sets),
        dev_f=round(meta.get("performance", {}).get("ents_f", 0.0), 3),
        runs="\n".join(f"- {r['minutes']} min{' (resumed)' if r['resumed'] else ''}"
                       f"{', ' + str(r['train_sentences']) + ' training sentences' if 'train_sentences' in r else ''}"
                       f": dev F1 {r['dev_ents_f']:.3f}" for r in meta["training"]["runs"]),
    ), encoding="utf-8")


RESUME_LEARN_RATE = 0.0003

# Small on purpose: ~6 MB of hash-embedding tables, no vectors.
OVERRIDES = {
    "components.tok2vec.model.embed.rows": [8000, 2000, 4000, 2000],
    "components.tok2vec.model.encode.width": 96,
    "training.max_steps": 20000,
    "training.patience": 3000,
    "training.eval_frequency": 300,
    "nlp.batch_size": 256,
}


def write_config(lang: str, path: Path, source: Path | None = None) -> None:
    """The training config; with ``source``, both components start from that pipeline."""
    from spacy.cli.init_config import init_config
    from spacy.util import dot_to_dict

    config = init_config(lang=lang, pipeline=["ner"], optimize="efficiency")
    config = config.merge(dot_to_dict(OVERRIDES))
    if source is not None:
        config["components"] = {name: {"source": str(source)} for name in ("tok2vec", "ner")}
        # a fresh optimizer at the full rate first undoes some of what the weights learnt (dev
        # fell 2-5 points in the first evaluations of every resumed run): fine-tune gently
        config["training"]["optimizer"]["learn_rate"] = RESUME_LEARN_RATE
    config.to_disk(path)


def train(lang: str, minutes: float, resume: bool = False, seed: int = 0, out: Path = OUT) -> Path:
    import spacy

    recipe = RECIPES[lang]
    rng = random.Random(seed)
    work = Path(tempfile.mkdtemp(prefix=f"ner-{lang}-"))
    nlp = spacy.blank(lang)
    train_sents = [s for part in recipe.train for s in part.read(rng)]
    dev_sents = [s for part in recipe.dev for s in part.read(rng)][:DEV_LIMIT]
    rng.shuffle(train_sents)
    sentences_to_docbin(nlp, train_sents).to_disk(work / "train.spacy")
    sentences_to_docbin(nlp, dev_sents).to_disk(work / "dev.spacy")
    previous = None
    if resume and (out / lang / "meta.json").is_file():
        previous = work / "previous"
        shutil.copytree(out / lang, previous)
    write_config(lang, work / "config.cfg", previous)
    print(f"{lang}: {len(train_sents)} train / {len(dev_sents)} dev sentences; budget {minutes} min; {work}",
          flush=True)
    started = time.monotonic()
    cmd = [sys.executable, "-m", "spacy", "train", str(work / "config.cfg"), "--output", str(work / "out"),
           "--paths.train", str(work / "train.spacy"), "--paths.dev", str(work / "dev.spacy"),
           "--system.seed", str(seed)]
    try:
        subprocess.run(cmd, check=True, timeout=minutes * 60)
    except subprocess.TimeoutExpired:
        print(f"{lang}: budget spent, keeping the best model so far", flush=True)
    best = work / "out" / "model-best"
    if not best.exists():
        raise SystemExit(f"{lang}: no model was saved (budget too short for one evaluation?)")
    target = out / lang
    runs = previous_runs(target) if resume else []
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(best, target)
    meta = json.loads((target / "meta.json").read_text())
    runs.append({"minutes": round((time.monotonic() - started) / 60, 1), "resumed": bool(runs),
                 "dev_ents_f": meta.get("performance", {}).get("ents_f"), "train_sentences": len(train_sents)})
    meta.update(name=f"newsforensics_ner_{lang}", version="1.0.0",
                description="Trained by scripts/train_ner.py; see MODEL_CARD.md",
                training={"recipe": repr(recipe), "runs": runs,
                          "train_sentences": len(train_sents), "dev_sentences": len(dev_sents)})
    (target / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False))
    write_card(lang, target, meta)
    slim(target)
    shutil.rmtree(work, ignore_errors=True)
    print(f"{lang}: saved to {target} (dev ents_f {meta.get('performance', {}).get('ents_f')})")
    return target


def previous_runs(model: Path) -> list[dict]:
    meta = model / "meta.json"
    return json.loads(meta.read_text()).get("training", {}).get("runs", []) if meta.is_file() else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("languages", nargs="*")
    parser.add_argument("--minutes", type=float, default=12.0, help="wall-clock budget per language")
    parser.add_argument("--resume", action="store_true", help="continue from the shipped model")
    parser.add_argument("--finish", action="store_true",
                        help="only rewrite the shipped models' cards and slim them")
    parser.add_argument("--out", type=Path, default=OUT,
                        help="write <out>/<lang> instead of the shipped model (to compare before shipping)")
    parser.add_argument("--list", action="store_true", help="print the recipes and exit")
    args = parser.parse_args()
    if args.list or not args.languages:
        for lang, recipe in RECIPES.items():
            print(lang, recipe)
        return
    if args.finish:
        for lang in args.languages:
            write_card(lang, OUT / lang, json.loads((OUT / lang / "meta.json").read_text()))
            slim(OUT / lang)
        return
    for lang in args.languages:  # one at a time: the machine is shared
        train(lang, args.minutes, args.resume, out=args.out)


if __name__ == "__main__":
    main()
