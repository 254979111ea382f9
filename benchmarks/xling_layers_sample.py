"""A fixed random sample of one layer's spans per language, printed for judging by hand.

    .venv/bin/python benchmarks/xling_layers_sample.py dates [--per-language 8]
    .venv/bin/python benchmarks/xling_layers_sample.py denials --per-language 6
    .venv/bin/python benchmarks/xling_layers_sample.py claims --per-language 5

No gold exists in ../shared for dates, denials or check-worthy claims outside English, so these
layers are measured on small real samples judged by a person: the first 40,000 characters of
the first twelve SemEval-2023 task 3 articles (fr/de/it/ru; opinionated web news) or of the news
NER test sets' sentences (es CoNLL-2002 EFE newswire, uk NER-UK 2.0, ar ANERcorp; tokens joined
by spaces), run through the stages the layer needs with the language given; the sample is
seeded, so a rerun prints the same spans while the code is unchanged. Each line: the label, the
span, its resolved value or attribution, and its context. The judged figures are in
docs/multilingual.md.

Reads ../shared/data (research data, not in the repo); without it the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from ner import DATA, article  # noqa: E402

from newsforensics.document import Document, Metadata  # noqa: E402
from newsforensics.pipeline import Pipeline  # noqa: E402

STAGES = ["segment", "entities", "places", "dates", "quotes", "framing", "claims", "denials"]
LANGUAGES = ["fr", "de", "it", "ru", "es", "uk", "ar"]
SEMEVAL = "semeval2023-t3-multilingual/{}/train-articles-subtask-3"
MAX_CHARS = 40_000
SHOWN_ATTRS = ("value", "attribution", "speaker", "target")


def sample_text(language: str) -> str | None:
    folder = DATA / SEMEVAL.format(language)
    if folder.is_dir():
        return "\n\n".join(f.read_text("utf-8") for f in sorted(folder.glob("article*.txt"))[:12])[:MAX_CHARS]
    text = article(language)
    return text[:MAX_CHARS] if text else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("layer", choices=["dates", "denials", "claims"])
    parser.add_argument("--per-language", type=int, default=8)
    parser.add_argument("--languages", nargs="*", default=LANGUAGES)
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent (the articles are research data, not shipped)")
        return 0
    pipeline = Pipeline(STAGES)
    for language in args.languages:
        text = sample_text(language)
        if text is None:
            print(f"##### {language}: no sample text in ../shared")
            continue
        doc = pipeline(Document(text, meta=Metadata(language=language)))
        spans = doc.get(args.layer)
        picked = sorted(random.Random(0).sample(spans, min(args.per_language, len(spans))), key=lambda s: s.start)
        print(f"##### {language}: {len(spans)} {args.layer} spans in {len(text)} characters")
        for s in picked:
            shown = {k: v for k, v in s.attrs.items() if k in SHOWN_ATTRS}
            context = text[max(0, s.start - 60):s.end + 40].replace("\n", " ")
            print(f"- [{s.label}] «{text[s.start:s.end][:150]}» {shown} | …{context[:260]}…")
    return 0


if __name__ == "__main__":
    sys.exit(main())
