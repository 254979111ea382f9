"""Indexing a pool of fact-checks: a first run (empty embedding cache), a second run, and an import
that meets the cache the runs filled.

    .venv/bin/python benchmarks/factcheck_indexing.py [--limit N]

Reads the 19,250 PolitiFact fact-checks of CheckThat! 2021 Task 2B in
../shared/data/checkthat-claim-retrieval (research data, not in the repo; the script says so and
exits 0 when it is absent). A run is what ``factchecks retrieve --pool`` does before its first
query: read the pool, embed claims and headlines through the embedding cache (on every core this
process may use), build the index. The cache lives in a temporary folder, so the first run starts
empty; ``factchecks import`` into a fresh database then reuses it. It also prints what the
embedding reads (word pieces of claims and headlines, how many headlines equal their claim),
which bounds the first run: the MiniLM matrix products grow with the pieces. Rates are fact-checks per
second of wall clock (target >= 300 on a first run) and per CPU-second (user + system of all
threads), with the load average beside them: on a shared machine the wall clock says more about
the neighbours than about the code.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from newsforensics.factchecks.checkthat import read_vclaims  # noqa: E402
from newsforensics.factchecks.index import FactCheckIndex, embedding_texts  # noqa: E402
from newsforensics.factchecks.store import import_factchecks  # noqa: E402
from newsforensics.factchecks.vectors import pool_vectors  # noqa: E402
from newsforensics.models import encoder  # noqa: E402
from newsforensics.models.vector_cache import bulk_workers  # noqa: E402

POOL = (Path(__file__).resolve().parents[1].parent / "shared" / "data" / "checkthat-claim-retrieval"
        / "vclaims" / "politifact_vclaims.jsonl.gz")
TARGET_PER_S = 300.0


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(step: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), cpu_seconds()
    result = step()
    return result, time.perf_counter() - wall, cpu_seconds() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N fact-checks")
    args = parser.parse_args()
    if not POOL.is_file():
        print(f"skipped: {POOL} is not present (research data, not part of the repo)")
        return 0
    encoder.encode(["load the model outside the timing"])

    def index_run(cache: Path) -> FactCheckIndex:
        records = list(read_vclaims(POOL))[:args.limit]
        claims, titles = pool_vectors(records, cache)
        return FactCheckIndex(records, claim_vectors=claims, title_vectors=titles)

    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder) / "cache"
        index, first_wall, first_cpu = timed(lambda: index_run(cache))
        n = len(index)
        _, second_wall, second_cpu = timed(lambda: index_run(cache))
        imported, import_wall, import_cpu = timed(lambda: import_factchecks(
            Path(folder) / "store.db", index.pool, cache_dir=cache))
    print(f"fact-check indexing: {n} PolitiFact fact-checks (claim + headline embedded), "
          f"{bulk_workers()} embedding thread(s), load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")
    rate = n / first_wall
    print(f"  first run (empty cache)   {first_wall:7.1f} s wall  {rate:6.0f}/s   target >= "
          f"{TARGET_PER_S:.0f}/s   {'ok' if rate >= TARGET_PER_S else 'MISSED'}   "
          f"(CPU {first_cpu:.1f} s: {n / first_cpu:.0f} per CPU-second)")
    print(f"  second run (cache)        {second_wall:7.1f} s wall  {n / second_wall:6.0f}/s   "
          f"(CPU {second_cpu:.1f} s)")
    print(f"  import into a new store   {import_wall:7.1f} s wall  {n / import_wall:6.0f}/s   "
          f"(CPU {import_cpu:.1f} s; {imported.added} added, vectors from the same cache)")
    claims, titles = embedding_texts(index.pool)
    pieces = [len(e.ids) for e in encoder.tokenize(claims + titles)]
    print(f"  embedded: claims {sum(pieces[:n]) / n:.1f} word pieces on average (max {max(pieces[:n])}), "
          f"headlines {sum(pieces[n:]) / n:.1f} (max {max(pieces[n:])}); "
          f"{sum(c == t for c, t in zip(claims, titles))} headlines equal to their claim "
          f"(embedded once); cut at {encoder.MAX_TOKENS} pieces")
    return 0


if __name__ == "__main__":
    sys.exit(main())
