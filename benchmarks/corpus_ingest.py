"""Corpus ingest at scale: items/s and peak RSS on generated corpora, copy and story quality.

Generates corpora from the PTC articles (benchmarks/corpus_generate.py: originals, verbatim
copies with boilerplate, partial rewrites, other outlets and dates), ingests each in a fresh
process (so peak RSS is per run), and prints per size: items/s (ingest + dedup + stories, the
analysis profile given) by wall clock and per CPU-second (items per core: on a shared machine the
wall clock also counts other people's jobs), peak RSS of the writer and of the largest Dask
worker, copy-pair
precision/recall and story pair precision/recall against the generator's ground truth.

    nice -n 10 python benchmarks/corpus_ingest.py --sizes 10000 30000
    nice -n 10 python benchmarks/corpus_ingest.py --sizes 10000 --engine dask --workers 2
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_generate import write  # noqa: E402


def _run_one(feed: str, db: str, profile: str, engine: str, workers: int) -> dict:
    """Child process: one ingest, its summary and peak RSS figures as JSON on stdout."""
    from newsforensics.corpus.engine import ingest

    summary = ingest([feed], db, profile=profile, engine=engine, workers=workers).to_dict()
    summary.pop("bad_records")
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    summary["writer_rss_mb"] = me.ru_maxrss / 1024
    summary["largest_child_rss_mb"] = children.ru_maxrss / 1024
    summary["cpu_s"] = me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime
    return summary


def _event(url: str) -> str:
    return url.rsplit("/", 1)[1].split("-")[0]


def quality(db: str) -> dict[str, float]:
    """Copy pairs and story pairs scored against the generator's truth (event id in the URL)."""
    conn = sqlite3.connect(db)
    event = {i: _event(u) for i, u in conn.execute("SELECT item_id, url FROM items")}
    original = {i for i, u in conn.execute("SELECT item_id, url FROM items") if u.endswith(f"/{_event(u)}")}
    pairs = conn.execute("SELECT original_id, copy_id, direction FROM copy_pairs").fetchall()
    right = sum(event[a] == event[b] for a, b, _ in pairs)
    members: dict[str, int] = {}
    for e in event.values():
        members[e] = members.get(e, 0) + 1
    truth_pairs = sum(n * (n - 1) // 2 for n in members.values())
    found_with_original = {(a, b) for a, b, _ in pairs if event[a] == event[b] and (a in original or b in original)}
    copies_of_originals = sum(n - 1 for n in members.values())
    dated_with_original = [(a, b) for a, b, d in pairs if d == "dated" and event[a] == event[b] and
                           (a in original or b in original)]
    direction_right = sum(a in original for a, _ in dated_with_original)
    stories: dict[int, dict[str, int]] = {}
    for item_id, story_id in conn.execute("SELECT item_id, story_id FROM story_items"):
        groups = stories.setdefault(story_id, {})
        groups[event[item_id]] = groups.get(event[item_id], 0) + 1
    same_story = sum(sum(g.values()) * (sum(g.values()) - 1) // 2 for g in stories.values())
    same_both = sum(n * (n - 1) // 2 for g in stories.values() for n in g.values())
    return {
        "copy_pair_precision": right / len(pairs) if pairs else 0.0,
        "copy_pair_recall": right / truth_pairs if truth_pairs else 0.0,
        "copies_found_of_originals": len(found_with_original) / copies_of_originals if copies_of_originals else 0.0,
        "direction_right": direction_right / len(dated_with_original) if dated_with_original else 0.0,
        "story_pair_precision": same_both / same_story if same_story else 0.0,
        "story_pair_recall": same_both / truth_pairs if truth_pairs else 0.0,
        "stories": len(stories), "events": len(members),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000])
    parser.add_argument("--profile", default="minimal")
    parser.add_argument("--engine", default="local")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        feed, db, profile, engine, workers = args.child
        print(json.dumps(_run_one(feed, db, profile, engine, int(workers))))
        return
    print(f"profile {args.profile}, engine {args.engine}" + (f" ×{args.workers}" if args.engine == "dask" else ""))
    print(f"{'items':>7} {'items/s':>8} {'s':>7} {'/cpu-s':>7} {'writer MB':>9} {'worker MB':>9} {'copy P':>6} {'copy R':>6} "
          f"{'orig→copy':>9} {'dir':>5} {'story P':>7} {'story R':>7} {'stories':>7} {'events':>6}")
    with tempfile.TemporaryDirectory(prefix="nf-corpus-bench-") as tmp:
        for size in args.sizes:
            feed, db = Path(tmp) / f"corpus-{size}.jsonl", Path(tmp) / f"corpus-{size}.db"
            write(size, feed)
            child = subprocess.run([sys.executable, __file__, "--child", str(feed), str(db), args.profile,
                                    args.engine, str(args.workers)], capture_output=True, text=True, check=False)
            if child.returncode != 0:
                sys.exit(child.stderr[-2000:])
            run = json.loads(child.stdout.strip().splitlines()[-1])
            q = quality(str(db))
            worker = run["largest_child_rss_mb"] if args.engine == "dask" else float("nan")
            per_cpu = (run["stored"] + run["duplicates"]) / run["cpu_s"]
            print(f"{size:>7} {run['items_per_s']:>8.1f} {run['seconds']:>7.1f} {per_cpu:>7.1f} {run['writer_rss_mb']:>9.0f} "
                  f"{worker:>9.0f} {q['copy_pair_precision']:>6.3f} {q['copy_pair_recall']:>6.3f} "
                  f"{q['copies_found_of_originals']:>9.3f} {q['direction_right']:>5.3f} "
                  f"{q['story_pair_precision']:>7.3f} {q['story_pair_recall']:>7.3f} {q['stories']:>7} "
                  f"{q['events']:>6}", flush=True)
            feed.unlink()
            db.unlink()


if __name__ == "__main__":
    main()
