"""The two technique stages' speed inside the pipeline, on one core: CPU and wall time an article.

    flock /tmp/timing.lock .venv/bin/python benchmarks/technique_stage_speed.py [--rounds 2]

The 45 PTC v2 dev articles go through segment → entities → techniques → paragraph_techniques,
as ``analyze`` runs them (batches of the pipeline's size), pinned to one core with one
onnxruntime thread, after a warm-up batch. Each stage's ``pipe`` is timed in CPU and in wall
seconds; the issue's target is ≥ 10 articles a second for the span and paragraph stages
together. CPU time is the figure that does not depend on the neighbours: on a shared machine
the wall time is the CPU time stretched by the share of the core the process gets (the load
average is printed). Reads ../shared/data/ptc; exits 0 without it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("NEWSFORENSICS_ONNX_THREADS", "1")
PTC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ptc"
STAGES = ("segment", "entities", "techniques", "paragraph_techniques")
TIMED = ("techniques", "paragraph_techniques")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if not (PTC / "dev-articles").is_dir():
        print(f"{PTC} is not present (research data, not part of the repo); nothing to measure")
        return 0
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    from newsforensics import Document, Pipeline
    from newsforensics.document import Metadata
    from newsforensics.techniques.corpus import read_articles

    texts = list(read_articles(PTC / "dev-articles").values())
    pipeline = Pipeline(STAGES)
    cpu: dict[str, float] = defaultdict(float)
    wall: dict[str, float] = defaultdict(float)
    for stage in pipeline.stages:
        def timed(docs, run=stage.pipe, name=stage.name) -> None:  # noqa: ANN001
            started_cpu, started = time.process_time(), time.perf_counter()
            run(docs)
            cpu[name] += time.process_time() - started_cpu
            wall[name] += time.perf_counter() - started
        stage.pipe = timed

    def run(items: list[str]) -> None:
        list(pipeline.pipe(Document(text, meta=Metadata(language="en")) for text in items))

    run(texts[:4])  # warm-up: models loaded, kernels built
    for round_ in range(args.rounds):
        cpu.clear()
        wall.clear()
        run(texts)
        ms = {name: 1000 * cpu[name] / len(texts) for name in TIMED}
        cpu_ms, wall_ms = sum(ms.values()), 1000 * sum(wall[n] for n in TIMED) / len(texts)
        print(f"round {round_ + 1}: CPU " + " + ".join(f"{n} {ms[n]:.0f}" for n in TIMED)
              + f" ms an article = {1000 / cpu_ms:.1f} articles per CPU-second; wall {wall_ms:.0f} ms "
              f"= {1000 / wall_ms:.1f} articles/s ({len(texts)} articles, one core, load average "
              f"{os.getloadavg()[0]:.1f})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
