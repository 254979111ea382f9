"""Named-entity F1 per language: PER/ORG/LOC, exact span match (seqeval's default, micro).

    .venv/bin/python benchmarks/ner.py [--languages ru fr ...] [--silver-limit N]
    .venv/bin/python benchmarks/ner.py --speed

Each test set's sentences (tokens joined by spaces, so gold token spans become character spans)
run through the ``entities`` stage with their language declared, as an article would; the
layer's labels map back to the three gold types (PERSON→PER, ORG→ORG, GPE/LOC/FAC→LOC; others
are not scored). ``~F1`` is lenient (a span overlapping one of the same type counts): the
gap to F1 is boundary convention more than missed names. News gold sets are scored whole; WikiANN/WikiNEuRal (silver, Wikipedia) on
their first ``--silver-limit`` sentences. No English NER set is in ../shared: English is the
unchanged en_core_web_sm path and has no figure here.

``--speed`` times the entities stage per article in each language against English, all cut to
the same length: real SemEval-2023 task 3 articles for en/fr/de/it/ru, the news test set's
sentences for the others (one process; the first run of each loads the model and is not counted).

Reads ../shared/data/ner-* (research data, not in the repo); a missing set is reported and
skipped.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from newsforensics.document import Document  # noqa: E402
from newsforensics.models.ner import load_ner  # noqa: E402
from newsforensics.models.ner_data import Score, Sentence, overlap_f1, read_conll  # noqa: E402
from newsforensics.pipeline import Pipeline  # noqa: E402

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
GOLD_TYPES = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
TARGET = 0.80

# language -> (name, file, first sentence, news?) ; it/uk WikiANN test labels are not public:
# the second half of their dev split stands in (the models train on WikiANN train only).
TEST_SETS: dict[str, list[tuple[str, str, int, bool]]] = {
    "ru": [("FactRuEval-2016 test", "ner-factrueval2016-ru/test.tsv", 0, True),
           ("WikiANN test", "ner-wikiann-panx/ru/test.tsv", 0, False),
           ("WikiNEuRal test", "ner-wikineural/ru/test.tsv", 0, False)],
    "fr": [("WikiANN test", "ner-wikiann-panx/fr/test.tsv", 0, False),
           ("WikiNEuRal test", "ner-wikineural/fr/test.tsv", 0, False)],
    "de": [("GermEval-2014 test", "ner-germeval2014-de/test.tsv", 0, True),
           ("WikiANN test", "ner-wikiann-panx/de/test.tsv", 0, False)],
    "es": [("CoNLL-2002 test", "ner-conll2002-es/test.tsv", 0, True),
           ("WikiANN test", "ner-wikiann-panx/es/test.tsv", 0, False)],
    "it": [("KIND Wikinews test", "ner-kind-wikinews-it/WN_test.tsv", 0, True),
           ("WikiANN dev 2nd half", "ner-wikiann-panx/it/dev.tsv", 5000, False)],
    "uk": [("lang-uk NER-UK 2.0 test", "ner-uk-languk/test.tsv", 0, True),
           ("WikiANN dev 2nd half", "ner-wikiann-panx/uk/dev.tsv", 5000, False)],
    "ar": [("ANERcorp test", "ner-anercorp-ar/test.tsv", 0, True),
           ("WikiANN test", "ner-wikiann-panx/ar/test.tsv", 0, False)],
}


def as_text(sentence: Sentence) -> tuple[str, set[tuple[int, int, str]]]:
    """The sentence as text (tokens joined by spaces) and its gold character spans."""
    starts, pos = [], 0
    for token in sentence.tokens:
        starts.append(pos)
        pos += len(token) + 1
    text = " ".join(sentence.tokens)
    gold = {(starts[a], starts[b - 1] + len(sentence.tokens[b - 1]), kind) for a, b, kind in sentence.spans}
    return text, gold


def predict(pipeline: Pipeline, language: str, texts: list[str]) -> list[set[tuple[int, int, str]]]:
    docs = []
    for text in texts:
        doc = Document(text)
        doc.meta.language = language
        docs.append(doc)
    out = []
    for doc in pipeline.pipe(docs):
        out.append({(s.start, s.end, GOLD_TYPES[s.label]) for s in doc.get("entities") if s.label in GOLD_TYPES})
    return out


def evaluate(pipeline: Pipeline, language: str, path: Path, start: int,
             limit: int | None) -> tuple[Score, float, int, float]:
    """Exact-match score, lenient (overlap) F1, sentences scored, seconds."""
    sentences = read_conll(path)[start:][:limit]
    texts, gold = zip(*(as_text(s) for s in sentences), strict=True)
    started = time.perf_counter()
    predicted = predict(pipeline, language, list(texts))
    seconds = time.perf_counter() - started
    return Score.of(gold, predicted), overlap_f1(gold, predicted), len(sentences), seconds


# Real articles where ../shared has them (SemEval-2023 task 3); else the news test set's
# consecutive sentences, tokens joined by spaces.
ARTICLES = {"en": "semeval2023-t3-en", "fr": "semeval2023-t3-multilingual/fr",
            "de": "semeval2023-t3-multilingual/de", "it": "semeval2023-t3-multilingual/it",
            "ru": "semeval2023-t3-multilingual/ru"}
MIN_LENGTH = 4000


def article(language: str) -> str | None:
    if language in ARTICLES:
        files = sorted((DATA / ARTICLES[language]).rglob("article*.txt"))[:200]
        texts = [f.read_text("utf-8") for f in files]
        return next((t for t in texts if len(t) >= MIN_LENGTH), None)
    news = next((rel for _, rel, _, is_news in TEST_SETS.get(language, []) if is_news), None)
    if news is None or not (DATA / news).is_file():
        return None
    return "\n".join(as_text(s)[0] for s in read_conll(DATA / news)[:200])


def speed(pipeline: Pipeline, languages: list[str], repeats: int = 5) -> None:
    """Entities-stage seconds per article, every language's text cut to the same length."""
    texts = {lang: text for lang in ["en", *languages] if (text := article(lang))}
    if "en" not in texts:
        print("speed: no English article in ../shared; skipped")
        return
    length = min(len(t) for t in texts.values())
    print(f"\nentities stage, ms per article of {length} characters (best of {repeats}):")
    for language, text in texts.items():
        best = float("inf")
        for _ in range(repeats):
            doc = Document(text[:length])
            doc.meta.language = language
            started = time.perf_counter()
            pipeline(doc)
            best = min(best, time.perf_counter() - started)
        print(f"  {language}: {best * 1000:7.1f} ms  ({len(doc.get('entities'))} entities)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--languages", nargs="*", default=list(TEST_SETS))
    parser.add_argument("--silver-limit", type=int, default=2000, help="sentences per silver test set")
    parser.add_argument("--speed", action="store_true", help="time the stage per article instead")
    args = parser.parse_args()
    pipeline = Pipeline(["entities"])
    if args.speed:
        speed(pipeline, [lang for lang in args.languages if lang in pipeline.stages[0].languages])
        return
    print(f"{'lang':4} {'test set':26} {'sents':>6} {'P':>6} {'R':>6} {'F1':>6} {'PER':>6} {'ORG':>6} {'LOC':>6} {'~F1':>6}"
          f"  target  sent/s  model")
    for language in args.languages:
        covered = language in pipeline.stages[0].languages
        for name, rel, start, news in TEST_SETS[language]:
            path = DATA / rel
            if not path.is_file():
                print(f"{language:4} {name:26} missing: {path}")
                continue
            if not covered:
                print(f"{language:4} {name:26} no model installed for {language}")
                continue
            score, lenient, n, seconds = evaluate(pipeline, language, path, start, None if news else args.silver_limit)
            verdict = ("met" if score.f1() >= TARGET else "MISSED") if news else "-"
            print(f"{language:4} {name:26} {n:6} {score.precision():6.3f} {score.recall():6.3f} {score.f1():6.3f} "
                  f"{score.f1('PER'):6.3f} {score.f1('ORG'):6.3f} {score.f1('LOC'):6.3f} {lenient:6.3f}  {verdict:6}  "
                  f"{n / seconds:6.0f}  {load_ner(language).model}", flush=True)


if __name__ == "__main__":
    main()
