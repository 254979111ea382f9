"""Direct-quote speaker accuracy in ru/uk/ar/fr/de/es/it on real news we annotated ourselves.

    .venv/bin/python benchmarks/quotes_multilingual.py [--lang ru ...]
    .venv/bin/python benchmarks/quotes_multilingual.py --candidates ru --limit 20

The annotations (``benchmarks/data/quotes_multilingual.tsv``, written for newsforensics) name a
paragraph of a real article in ``../shared/data`` by a short key, the first words of a direct
quote in it and who says it (the person or organisation as the article names them; ``-`` where
the article names no one). The article text is read from ../shared at run time and never copied
here; without ../shared the script says so and exits 0. Sources:

- ``semeval:<lang>:<file>:<paragraph>``: SemEval-2023 Task 3 articles (fr/de/it/ru), whole
  article analysed, paragraphs split at line ends;
- ``conll:<lang>:<sentence>``: test sentences of CoNLL-2002 Spanish (EFE news), ANERcorp Arabic
  (news) and NER-UK 2.0 Ukrainian (Nashi Groshi and BRUK press texts), the tokens
  joined back into text (no space inside quote marks or before punctuation), analysed with the
  two sentences before them as context.

Each document runs through ``Pipeline(["segment", "entities", "places", "quotes"])`` with its
language given (entities only where the entities stage covers the language). A quote counts
as right when our ``quotes`` span that starts with the annotated words names a speaker whose
words include the gold name's last word up to its inflectional ending (first max(4, n-2)
letters: "Конашенкова" = "Конашенков") or spell out a gold acronym ("OMS" = "Organisation
mondiale de la santé"), or names no one where the gold is ``-``. A quote we do
not find counts as wrong.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
ANNOTATIONS = Path(__file__).resolve().parent / "data" / "quotes_multilingual.tsv"
STAGES = ["segment", "entities", "places", "quotes"]
TARGET = 0.85
CONLL = {"es": "ner-conll2002-es/test.tsv", "ar": "ner-anercorp-ar/test.tsv",
         "uk": "ner-uk-languk/test.tsv"}
WORD = re.compile(r"\w+")


# ------------------------------------------------------------------------------------------
# Reading the sources: (document text, paragraph offsets) per key prefix


@lru_cache(maxsize=256)
def semeval(lang: str, name: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    text = (SHARED / "semeval2023-t3-multilingual" / lang / "train-articles-subtask-3" / name).read_text("utf-8")
    return text, tuple((m.start(), m.end()) for m in re.finditer(r"[^\n]+", text))


def detokenise(tokens: list[str]) -> str:
    """Tokens back into running text: no space before closing punctuation, none inside a pair
    of straight quotes."""
    out, quote_open = "", False
    for tok in tokens:
        if tok == '"':
            out += (" " if out and not quote_open else "") + tok
            quote_open = not quote_open
            continue
        glue = not out or out.endswith(("(", "«")) or (out.endswith('"') and quote_open) \
            or tok in {",", ".", ";", ":", ")", "!", "?", "»", "%", "،", "؛", "؟"}
        out += ("" if glue else " ") + tok
    return out


@lru_cache(maxsize=2)
def conll_sentences(lang: str) -> list[str]:
    sentences, tokens = [], []
    for line in (SHARED / CONLL[lang]).read_text("utf-8").splitlines():
        if not line.strip():
            if tokens:
                sentences.append(detokenise(tokens))
            tokens = []
        elif not line.startswith("-DOCSTART-"):
            tokens.append(line.split("\t")[0].split(" ")[0])
    if tokens:
        sentences.append(detokenise(tokens))
    return sentences


def conll(lang: str, index: int) -> tuple[str, tuple[tuple[int, int], ...], int]:
    """Two sentences of context and the annotated one, as paragraphs; the last is the target."""
    sentences = conll_sentences(lang)[max(0, index - 2):index + 1]
    text = "\n\n".join(sentences)
    return text, tuple((m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)), len(sentences) - 1


def document(key: str) -> tuple[str, str, tuple[int, int]]:
    """(language, text, the annotated paragraph's offsets) of an annotation key."""
    parts = key.split(":")
    if parts[0] == "semeval":
        text, paragraphs = semeval(parts[1], parts[2])
        return parts[1], text, paragraphs[int(parts[3])]
    if parts[0] == "conll":
        text, paragraphs, last = conll(parts[1], int(parts[2]))
        return parts[1], text, paragraphs[last]
    raise ValueError(f"unknown source in key {key!r}")


# ------------------------------------------------------------------------------------------
# Scoring


def stem(word: str) -> str:
    return word.casefold()[: max(4, len(word) - 2)]


def initials(name: str) -> str:
    """The acronym of a name: the first letters of its words of four letters or more."""
    return "".join(w[0] for w in WORD.findall(name) if len(w) >= 4).upper()


def speaker_matches(gold: str, predicted: str | None) -> bool:
    if gold == "-":
        return predicted is None
    if not predicted:
        return False
    if gold.isupper() and len(gold) > 1 and gold == initials(predicted):  # OMS = Organisation mondiale de la santé
        return True
    target = stem(WORD.findall(gold)[-1])
    return any(stem(w) == target or w.casefold().startswith(target) for w in WORD.findall(predicted))


def starts_with(text: str, first_words: str) -> bool:
    want = [w.casefold() for w in WORD.findall(first_words)]
    return [w.casefold() for w in WORD.findall(text)][: len(want)] == want


def annotations() -> list[dict[str, str]]:
    with open(ANNOTATIONS, encoding="utf-8", newline="") as f:
        rows = (line for line in f if not line.startswith("#"))
        return list(csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE))


def analyse(pipeline, lang: str, text: str):  # type: ignore[no-untyped-def]
    from newsforensics.document import Document, Metadata

    return pipeline(Document(text, meta=Metadata(language=lang)))


def evaluate(languages: list[str] | None) -> dict[str, tuple[int, int]]:
    from newsforensics.pipeline import Pipeline

    pipeline = Pipeline(STAGES)
    docs: dict[str, object] = {}
    scores: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    errors: list[str] = []
    for row in annotations():
        lang, text, (p_start, p_end) = document(row["key"])
        if languages and lang not in languages:
            continue
        doc_key = row["key"].rsplit(":", 1)[0] if not row["key"].startswith("conll") else row["key"]
        if doc_key not in docs:
            docs[doc_key] = analyse(pipeline, lang, text)
        doc = docs[doc_key]
        quotes = [q for q in doc.get("quotes") if q.label in ("direct", "mixed")  # type: ignore[attr-defined]
                  and p_start <= q.attrs["content_span"][0] < p_end
                  and starts_with(text[q.attrs["content_span"][0]:q.attrs["content_span"][1]], row["quote"])]
        predicted = quotes[0].attrs.get("speaker") if quotes else None
        ok = bool(quotes) and speaker_matches(row["speaker"], predicted)
        scores[lang][0] += ok
        scores[lang][1] += 1
        if not ok:
            errors.append(f"  {row['key']} «{row['quote']}…» gold={row['speaker']} "
                          f"ours={'(quote not found)' if not quotes else predicted}")
    return {lang: (s[0], s[1]) for lang, s in scores.items()}, errors  # type: ignore[return-value]


# ------------------------------------------------------------------------------------------
# Candidates for annotation


def candidates(lang: str, limit: int) -> Iterator[str]:
    """Paragraphs with a quoted stretch of four words or more, one per article, in file order
    (the rule that picked the annotated ones: no choosing by how well we do)."""
    from newsforensics.attribution.lexicon import lexicon
    from newsforensics.attribution.multilingual import quoted_stretches

    lex = lexicon()
    if lang in CONLL:
        sources = (f"conll:{lang}:{i}" for i in range(len(conll_sentences(lang))))
    else:
        folder = SHARED / "semeval2023-t3-multilingual" / lang / "train-articles-subtask-3"
        sources = (f"semeval:{lang}:{f.name}:{p}" for f in sorted(folder.iterdir())
                   for p in range(len(semeval(lang, f.name)[1])))
    seen: set[str] = set()
    shown = 0
    for key in sources:
        article = key.rsplit(":", 1)[0] if not key.startswith("conll") else "conll"
        if article in seen and not key.startswith("conll"):
            continue
        _, text, (start, end) = document(key)
        quotes = [q for q in quoted_stretches(text, [(start, end)], lex)
                  if len(text[q.content[0]:q.content[1]].split()) >= 4]
        if not quotes:
            continue
        seen.add(article)
        shown += 1
        shown_quotes = "\n".join(
            f"  [{' '.join(text[q.content[0]:q.content[1]].split()[:5])}] before: "
            f"{text[max(start, q.extent[0] - 160):q.extent[0]]!r} after: {text[q.extent[1]:q.extent[1] + 160]!r}"
            for q in quotes)
        yield f"{key}\n{shown_quotes}\n"
        if shown >= limit:
            return


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", nargs="*")
    parser.add_argument("--candidates")
    parser.add_argument("--limit", type=int, default=20)
    args = parser.parse_args()
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} is absent (the annotated articles are research data, not shipped)")
        return 0
    if args.candidates:
        for block in candidates(args.candidates, args.limit):
            print(block)
        return 0
    scores, errors = evaluate(args.lang)
    print(f"direct-quote speaker accuracy (target >= {TARGET}), annotations: {ANNOTATIONS.name}")
    total_ok = total = 0
    for lang in sorted(scores):
        ok, n = scores[lang]
        total_ok, total = total_ok + ok, total + n
        print(f"  {lang}: {ok}/{n} = {ok / n:.3f} {'met' if ok / n >= TARGET else 'MISSED'}")
    if total:
        print(f"  all: {total_ok}/{total} = {total_ok / total:.3f}")
    if errors:
        print("errors:")
        print("\n".join(errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
