"""The whole-dossier ingest profile against `analyze` alone, on the same items, CPU-ms an item.

Each side runs in a fresh process on the same PTC dev articles (a JSON Lines feed): `analyze`
is extraction + the article pipeline over the batch (``analyze_many``); the ingest is
``ingest --profile full`` into a new store — extraction, the article pipeline, the corpus stages
(cues, MinHash, story embedding) and the writer (dossier JSON, span rows, full-text index, copy
and story indexes). Start-up is excluded from both: each side first warms its models on one
article. The target is full ingest ≤ 1.3× analyze (issue 15), after which `full` may become
the default profile.

The two sides run ``--rounds`` times in alternating order (analyze, ingest, ingest, analyze, …),
each child pinned to the same single core, and the medians are compared: on a shared machine the
load changes from one minute to the next, and a single pair of runs moved the ratio by ±0.2.

    nice -n 10 python benchmarks/corpus_full_profile.py --limit 40 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PTC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ptc" / "dev-articles"
TARGET = 1.3


def feed(limit: int, path: Path) -> Path:
    files = sorted(PTC.glob("*.txt"))[: limit + 1]
    if len(files) <= limit:
        sys.exit(f"needs {limit + 1} PTC dev articles under {PTC}")
    with path.open("w", encoding="utf-8") as handle:
        for file in files:
            handle.write(json.dumps({"id": file.stem, "text": file.read_text("utf-8"),
                                     "outlet": "ptc.example"}, ensure_ascii=False) + "\n")
    return path


def _analyze(path: Path) -> float:
    from newsforensics import analyze_many, extract

    records = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    warm, rest = records[0], records[1:]
    list(analyze_many([extract(warm["text"], outlet=warm["outlet"])]))
    started = time.process_time()
    list(analyze_many(extract(r["text"], outlet=r["outlet"], source_name=r["id"]) for r in rest))
    return (time.process_time() - started) / len(rest)


def _ingest(path: Path, db: Path) -> float:
    from newsforensics.corpus.engine import ingest

    lines = path.read_text("utf-8").splitlines()
    warm, rest = path.with_suffix(".warm.jsonl"), path.with_suffix(".rest.jsonl")
    warm.write_text(lines[0] + "\n", "utf-8")
    rest.write_text("\n".join(lines[1:]) + "\n", "utf-8")
    ingest([warm], db, profile="full")
    started = time.process_time()
    summary = ingest([rest], db, profile="full")
    return (time.process_time() - started) / summary.stored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3, help="alternating pairs of processes")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        side, path, db = args.child
        print(_analyze(Path(path)) if side == "analyze" else _ingest(Path(path), Path(db)))
        return
    if hasattr(os, "sched_setaffinity"):  # inherited by every child: the same single core
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    runs: dict[str, list[float]] = {"analyze": [], "ingest": []}
    with tempfile.TemporaryDirectory(prefix="nf-full-profile-") as tmp:
        path = feed(args.limit, Path(tmp) / "feed.jsonl")
        for round_ in range(args.rounds):
            for side in ("analyze", "ingest") if round_ % 2 == 0 else ("ingest", "analyze"):
                db = Path(tmp) / f"c{round_}.db"
                child = subprocess.run([sys.executable, __file__, "--child", side, str(path), str(db)],
                                       capture_output=True, text=True, check=False)
                if child.returncode != 0:
                    sys.exit(child.stderr[-2000:])
                runs[side].append(float(child.stdout.strip().splitlines()[-1]) * 1000)
    cost = {side: statistics.median(values) for side, values in runs.items()}
    ratio = cost["ingest"] / cost["analyze"]
    print(f"{args.limit} PTC dev articles, CPU-ms an item (median of {args.rounds} alternating rounds; "
          f"load average {os.getloadavg()[0]:.1f}): analyze {cost['analyze']:.0f} "
          f"({', '.join(f'{v:.0f}' for v in runs['analyze'])}), ingest --profile full {cost['ingest']:.0f} "
          f"({', '.join(f'{v:.0f}' for v in runs['ingest'])}); ratio {ratio:.2f} "
          f"(target ≤ {TARGET}: {'met' if ratio <= TARGET else 'MISSED'})")


if __name__ == "__main__":
    main()
