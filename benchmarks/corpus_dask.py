"""Dask against one process, side by side: the same generated corpus ingested by the local
engine and by a LocalCluster of N workers, interleaved, each in a fresh process.

Prints per run items/s by wall clock (start-up of the cluster included), CPU-seconds of the
writer and its workers, the load average before and after (on a shared machine the wall clock
also counts other people's jobs), and the ratio of the medians. Both stores must be identical
(same items, copy pairs and story assignments): checked, and a difference fails the run.

    flock /tmp/timing.lock python benchmarks/corpus_dask.py --size 3000 --workers 2 --rounds 2
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus_generate import write  # noqa: E402

SAME = ("SELECT content_hash FROM items ORDER BY item_id",
        "SELECT original_id, copy_id, kind FROM copy_pairs ORDER BY 1, 2",
        "SELECT item_id, story_id FROM story_items ORDER BY 1")


def _run(feed: Path, db: Path, profile: str, engine: str, workers: int) -> dict:
    child = subprocess.run([sys.executable, str(HERE / "corpus_ingest.py"), "--child", str(feed), str(db),
                            profile, engine, str(workers)], capture_output=True, text=True, check=False)
    if child.returncode != 0:
        sys.exit(child.stderr[-2000:])
    return json.loads(child.stdout.strip().splitlines()[-1])


def _rows(db: Path) -> list[list[tuple]]:
    conn = sqlite3.connect(db)
    try:
        return [conn.execute(q).fetchall() for q in SAME]
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=3000)
    parser.add_argument("--profile", default="minimal")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    speeds: dict[str, list[float]] = {"local": [], "dask": []}
    with tempfile.TemporaryDirectory(prefix="nf-dask-bench-") as tmp:
        feed = write(args.size, Path(tmp) / "feed.jsonl")
        print(f"{args.size} items, profile {args.profile}; dask = LocalCluster ×{args.workers}, "
              f"{os.cpu_count()} CPUs")
        print(f"{'round':>5} {'engine':>8} {'items/s':>8} {'s':>7} {'CPU-s':>7} {'load before':>11} {'after':>6}")
        reference = None
        for r in range(args.rounds):
            for engine in ("local", "dask"):
                db = Path(tmp) / f"{engine}-{r}.db"
                before = os.getloadavg()[0]
                run = _run(feed, db, args.profile, engine, args.workers)
                after = os.getloadavg()[0]
                speeds[engine].append(run["items_per_s"])
                print(f"{r + 1:>5} {engine:>8} {run['items_per_s']:>8.1f} {run['seconds']:>7.1f} "
                      f"{run['cpu_s']:>7.1f} {before:>11.1f} {after:>6.1f}", flush=True)
                rows = _rows(db)
                if reference is None:
                    reference = rows
                elif rows != reference:
                    sys.exit(f"the {engine} store of round {r + 1} differs from the first store")
                db.unlink()
    local, dask = statistics.median(speeds["local"]), statistics.median(speeds["dask"])
    print(f"median items/s: local {local:.1f}, dask ×{args.workers} {dask:.1f}: dask/local = {dask / local:.2f}×")


if __name__ == "__main__":
    main()
