"""The default article pipeline on a non-English article against an English one of the same length.

    .venv/bin/python benchmarks/xling_speed.py [--languages ru fr ...] [--repeats 5]
    flock /tmp/timing.lock .venv/bin/python benchmarks/xling_speed.py    # on a shared machine

Issue 11's speed target: the default pipeline on a non-English article costs at most as much
as on an English one of the same length (one core, side by side). The texts are the ones
``benchmarks/ner.py --speed`` uses (real SemEval-2023 task 3 articles for en/fr/de/it/ru, the
news NER test sets' sentences for es/uk/ar), all cut to the shortest one's length. One process,
one thread for BLAS/OMP/onnxruntime; every language is analysed once first (models load then,
not counted), then ``--repeats`` times, interleaved round by round so that a change in the
machine's load falls on every language alike. Per language: the best wall time, the best CPU
time of the process, its ratio to English, the stages that skipped the language (a cheaper
dossier is only fair when it says what is missing) and the three costliest stages.

Reads ../shared/data (research data, not in the repo); without it the script says so and exits 0.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from ner import DATA, article  # noqa: E402

from newsforensics.document import Document, Metadata  # noqa: E402
from newsforensics.pipeline import Pipeline  # noqa: E402

LANGUAGES = ["ru", "uk", "ar", "fr", "de", "es", "it"]


def run_once(pipeline: Pipeline, text: str, language: str) -> tuple[float, float, Document]:
    doc = Document(text, meta=Metadata(language=language))
    wall, cpu = time.perf_counter(), time.process_time()
    pipeline(doc)
    return time.perf_counter() - wall, time.process_time() - cpu, doc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", nargs="*", default=LANGUAGES)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent (the articles are research data, not shipped)")
        return 0
    texts = {lang: text for lang in ["en", *args.languages] if (text := article(lang))}
    if "en" not in texts:
        print("skipped: no English article in ../shared")
        return 0
    length = min(len(t) for t in texts.values())
    texts = {lang: t[:length] for lang, t in texts.items()}
    pipeline = Pipeline()  # the default article pipeline
    for lang, text in texts.items():  # load every model first
        run_once(pipeline, text, lang)
    wall: dict[str, float] = defaultdict(lambda: float("inf"))
    cpu: dict[str, float] = defaultdict(lambda: float("inf"))
    docs: dict[str, Document] = {}
    for _ in range(args.repeats):
        for lang, text in texts.items():
            w, c, docs[lang] = run_once(pipeline, text, lang)
            wall[lang], cpu[lang] = min(wall[lang], w), min(cpu[lang], c)
    print(f"default pipeline ({len(pipeline.stages)} stages), one article of {length} characters per "
          f"language, best of {args.repeats}; load average {os.getloadavg()[0]:.1f}")
    print(f"{'lang':4} {'wall ms':>8} {'CPU ms':>8} {'CPU/en':>7}  {'verdict':8} skipped stages; costliest stages")
    for lang in texts:
        runs = docs[lang].stage_runs
        skipped = [r.name for r in runs if r.status == "skipped"]
        costly = sorted((r for r in runs if r.status == "ok"), key=lambda r: -r.seconds)[:3]
        ratio = cpu[lang] / cpu["en"]
        verdict = "-" if lang == "en" else ("met" if ratio <= 1.0 else "MISSED")
        print(f"{lang:4} {wall[lang] * 1000:8.0f} {cpu[lang] * 1000:8.0f} {ratio:7.2f}  {verdict:8} "
              f"{','.join(skipped) or '-'}; " + ", ".join(f"{r.name} {r.seconds * 1000:.0f}" for r in costly))
    return 0


if __name__ == "__main__":
    sys.exit(main())
