"""Throughput of the full single-article slice on one core, peak RSS, and cold start.

    .venv/bin/python benchmarks/throughput.py [--limit N] [--batch-size N]

Reads the PTC articles in ../shared/data/ptc/{train,dev}-articles (research data, not in the
repo; the script says so and exits 0 when it is absent). Every article goes through extraction
and the default pipeline (``Pipeline.pipe``, the batch path) pinned to one CPU core with BLAS/OMP
threads at 1. Cold start runs in a fresh subprocess: interpreter start, ``import newsforensics``,
loading the pipeline's models and analysing one short text. Targets are printed beside figures.
"""

from __future__ import annotations

import os

# Before numpy/spaCy are imported anywhere: one thread each, so the figure is per core.
for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import argparse  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

from newsforensics.pipeline import DEFAULT_BATCH_SIZE  # noqa: E402

PTC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ptc"
TARGET_ARTICLES_PER_S = 20.0
TARGET_RSS_MB = 1024.0
TARGET_COLD_START_S = 3.0
COLD_START_SCRIPT = """
import newsforensics
from newsforensics import analyze
analyze("Officials in Lyon said on Monday that the bridge would reopen in May.\\n"
        "\\"We are on schedule,\\" the mayor told reporters.")
"""


def pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to core {core}"
    return "not pinned (no sched_setaffinity on this platform)"


def ptc_articles(limit: int | None) -> list[Path]:
    paths = sorted(PTC.glob("train-articles/article*.txt")) + sorted(PTC.glob("dev-articles/article*.txt"))
    return paths[:limit] if limit else paths


def cold_start_seconds() -> tuple[float, float]:
    """Wall time and CPU time (user + system) of a fresh process that imports, loads models and
    analyses one text: the wall clock is the figure, the CPU time what a busy machine adds to it."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", COLD_START_SCRIPT], check=True, env=env,
                   capture_output=True, timeout=300)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    args = parser.parse_args()

    paths = ptc_articles(args.limit)
    if not paths:
        print(f"skipped: no PTC articles under {PTC} (research data, not part of the repo)")
        return 0
    pinning = pin_to_one_core()
    cold, cold_cpu = cold_start_seconds()

    from newsforensics import Document, Pipeline, extract

    raws = [p.read_bytes() for p in paths]
    words = sum(len(raw.decode("utf-8", "replace").split()) for raw in raws)
    pipeline = Pipeline(batch_size=args.batch_size)
    pipeline(extract(raws[0], source_name="warm-up"))  # load models outside the timing

    per_stage: dict[str, float] = defaultdict(float)

    def extracted() -> Iterator[Document]:
        """Streams the items as the CLI does, so no whole-corpus list inflates the RSS."""
        for raw, path in zip(raws, paths, strict=True):
            began = time.perf_counter()
            doc = extract(raw, source_name=path.name)
            per_stage["extraction"] += time.perf_counter() - began
            yield doc

    started = time.perf_counter()
    warnings = 0
    for doc in pipeline.pipe(extracted()):
        warnings += len(doc.warnings)
        for run in doc.stage_runs:
            per_stage[run.name] += run.seconds
    elapsed = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    n = len(paths)
    rate = n / elapsed
    print(f"throughput benchmark: {n} PTC articles ({words / n:.0f} words each on average), "
          f"1 core ({pinning}), batch size {args.batch_size}")
    print(f"  articles/s      {rate:8.1f}   target >= {TARGET_ARTICLES_PER_S:.0f}   "
          f"{verdict(rate >= TARGET_ARTICLES_PER_S)}")
    print(f"  words/s         {words / elapsed:8.0f}")
    print(f"  ms/article      {1000 * elapsed / n:8.1f}")
    for name, seconds in per_stage.items():
        print(f"    {name:<12} {1000 * seconds / n:8.1f} ms/article")
    print(f"  peak RSS MB     {rss_mb:8.0f}   target <= {TARGET_RSS_MB:.0f}   "
          f"{verdict(rss_mb <= TARGET_RSS_MB)}")
    print(f"  cold start s    {cold:8.2f}   target <= {TARGET_COLD_START_S:.0f}   "
          f"{verdict(cold <= TARGET_COLD_START_S)}   (fresh process: import + models + one short text; "
          f"CPU {cold_cpu:.2f} s, load average {os.getloadavg()[0]:.1f})")
    print(f"  warnings        {warnings:8d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
