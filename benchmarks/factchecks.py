"""Earlier fact-check retrieval on CheckThat! 2021 Task 2A (tweets vs Snopes) and 2B (debates vs
PolitiFact), English dev sets.

    .venv/bin/python benchmarks/factchecks.py [--tasks 2A,2B] [--cache DIR]

Reads ../shared/data/checkthat-claim-retrieval (research data, not in the repo; the script says
so and exits 0 when it is absent). The re-ranker shipped in factchecks/data/reranker.json was
trained on the train splits only (python -m newsforensics.training.factchecks); dev is scored here.
Pools are embedded once into the embedding cache (minutes on a laptop CPU; then seconds).

Figures per task: MAP@1/3/5/10 and MRR@5 of the full system, and of each retriever alone
(BM25 over claim + headline + subtitle; cosine to the claim or headline embedding) over the
same candidates, for reference; ms/query after indexing, wall clock and CPU time, with the
query embedding included (queries embedded in batches of 64, as the CLI does). Targets (issue 5):
2A MAP@5 >= 0.92, 2B >= 0.45, <= 50 ms/query.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one query at a time: threads only contend

import numpy as np  # noqa: E402

from newsforensics.training import factchecks as train  # noqa: E402
from newsforensics.factchecks.checkthat import mean_average_precision, mean_reciprocal_rank  # noqa: E402
from newsforensics.factchecks.index import clean_query  # noqa: E402
from newsforensics.factchecks.rerank import FEATURES  # noqa: E402
from newsforensics.models import encoder  # noqa: E402

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "checkthat-claim-retrieval"
TARGETS = {"2021-2A-en": 0.92, "2021-2B-en": 0.45}
BATCH = 64


def scores(runs: dict[str, list[str]], qrels: dict[str, set[str]]) -> str:
    maps = " ".join(f"MAP@{k} {mean_average_precision(runs, qrels, k):.4f}" for k in (1, 3, 5, 10))
    return f"{maps}  MRR@5 {mean_reciprocal_rank(runs, qrels, 5):.4f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", default="2A,2B")
    parser.add_argument("--cache", type=Path, default=encoder.default_cache_dir())
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"{DATA} is not present (research data, not part of the repo); nothing to measure")
        return 0
    wanted = {f"2021-{t.strip().upper()}-en" for t in args.tasks.split(",")}
    for task in (t for t in train.TASKS if t.name in wanted):
        started = time.perf_counter()
        index = train.load_index(DATA, task, args.cache)
        indexed = time.perf_counter() - started
        queries, qrels = train.split_queries(DATA, task, "dev")
        texts = [clean_query(text) for _, text in queries]
        encoder.encode(texts[:8])  # load the model before timing
        wall, cpu = time.perf_counter(), time.process_time()
        vectors = np.vstack([encoder.encode(texts[i:i + BATCH]) for i in range(0, len(texts), BATCH)])
        embed_wall, embed_cpu = time.perf_counter() - wall, time.process_time() - cpu
        hits = index.search_vectors(texts, vectors, k=10)  # what index.search does after embedding
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        runs = {qid: [h.factcheck.id for h in found] for (qid, _), found in zip(queries, hits, strict=True)}
        print(f"{task.name} dev: {len(queries)} queries, pool {len(index)} (indexed in {indexed:.1f} s)")
        print(f"  system      {scores(runs, qrels)}")
        for name in ("bm25_rel", "cos_best"):
            print(f"  {name:<11} {scores(single_feature_runs(index, queries, name), qrels)}")
        map5 = mean_average_precision(runs, qrels, 5)
        verdict = "met" if map5 >= TARGETS[task.name] else "MISSED"
        print(f"  target MAP@5 >= {TARGETS[task.name]}: {verdict} ({map5:.4f})")
        ms_wall, ms_cpu = wall / len(queries) * 1000, cpu / len(queries) * 1000
        print(f"  ms/query after indexing: {ms_wall:.1f} wall, {ms_cpu:.1f} CPU, of which embedding the query "
              f"{embed_wall / len(queries) * 1000:.1f} wall, {embed_cpu / len(queries) * 1000:.1f} CPU "
              f"(target <= 50: {'met' if ms_wall <= 50 else 'MISSED'} on wall clock; load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    return 0


def single_feature_runs(index, queries: list[tuple[str, str]], feature: str) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """The ranking one retriever's score gives over the same candidates (for reference)."""
    column = FEATURES.index(feature)
    vectors = encoder.encode([text for _, text in queries])
    runs = {}
    for (qid, text), vector in zip(queries, vectors, strict=True):
        rows, matrix, _ = index.features(text, vector)
        order = np.argsort(-matrix[:, column], kind="stable")[:10]
        runs[qid] = [index.pool[rows[i]].id for i in order]
    return runs


if __name__ == "__main__":
    sys.exit(main())
