"""Peak RSS of the corpus writer and its index steps (copies, stories, …) by corpus size.

The analysis is left out (it is per batch, so its memory does not grow with the corpus): each
run stores ``N`` synthetic items in a fresh process — texts of random words, one in ten a copy
or a rewrite of an earlier one, dates over two years, cue layers (places, names, numbers, dates)
drawn so that items share them as an event's reports do — and prints the seconds, the writer's
items per CPU-second (inserts and index steps, apart from making the items' rows) and the peak
RSS. Memory is flat in corpus size when the largest run's peak is within 10 % of the smallest's.

    nice -n 10 python benchmarks/corpus_memory.py --sizes 10000 100000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VOCABULARY = 20_000
START = dt.date(2018, 1, 1)


def _doc(rng: random.Random, n: int, texts: list[str]):  # type: ignore[no-untyped-def]
    from newsforensics.document import Document, Metadata

    if texts and rng.random() < 0.1:  # a copy (one in two kept verbatim, else rewritten)
        words = rng.choice(texts).split()
        if rng.random() < 0.5:
            cut = len(words) // 3
            words = words[:cut] + [f"w{rng.randrange(VOCABULARY)}" for _ in range(cut)] + words[2 * cut:]
    else:
        words = [f"w{rng.randrange(VOCABULARY)}" for _ in range(rng.randint(150, 400))]
    text = f"Headline {n}\n\n" + " ".join(words)
    texts.append(" ".join(words))
    if len(texts) > 1000:
        texts.pop(0)
    day = START + dt.timedelta(days=rng.randrange(730))
    doc = Document(text, meta=Metadata(outlet=f"outlet{rng.randrange(50)}.example", language="en",
                                       published=day.isoformat(), title=f"Headline {n}", url=f"https://x/{n}"))
    event = rng.randrange(max(1, n // 5) + 1)
    cues = random.Random(event)
    for layer, label, count in (("places", "place", 3), ("names", "name", 2), ("numbers", "number", 1)):
        spans = []
        for k in range(count):
            attrs = {"places": {"geonameid": cues.randrange(5000), "name": f"P{k}"},
                     "names": {"key": f"nm{cues.randrange(20000)} x"},
                     "numbers": {"value": str(cues.randrange(10, 10000))}}[layer]
            spans.append(doc.span(k, k + 1, label, stage="corpus-cues", **attrs))
        doc.add(layer, spans)
    doc.add("dates", [doc.span(0, 1, "date", stage="corpus-cues", value=day.isoformat(), granularity="day")])
    return doc


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run(size: int, db: str, progress: int = 0) -> dict[str, float]:
    from newsforensics.corpus.rows import item_rows
    from newsforensics.corpus.store import Store

    rng, texts = random.Random(7), []
    started, writer, interval = time.perf_counter(), 0.0, 0.0
    with Store(db) as store:
        steps = store.steps  # load the index steps before the first transaction, as ingest does
        for first in range(0, size, 64):
            # What an analysis worker hands the writer (the dossier's rows, each step's prepared
            # part), then the writer's part alone: inserts and index steps, timed apart.
            batch = [item_rows(_doc(rng, n, texts), steps) for n in range(first, min(size, first + 64))]
            cpu = time.process_time()
            with store.transaction():
                for rows in batch:
                    store.put_rows(rows)
            spent = time.process_time() - cpu
            writer, interval = writer + spent, interval + spent
            done = min(size, first + 64)
            if progress and done % progress < 64:  # a long run tells how far it got, its rate and its peak so far
                usage = resource.getrusage(resource.RUSAGE_SELF)
                cpu_s = usage.ru_utime + usage.ru_stime
                print(f"  {done:>9} items {time.perf_counter() - started:>8.0f} s {cpu_s:>8.0f} "
                      f"CPU-s (writer {writer:.0f}; last {progress}: {1000 * interval / progress:.2f} writer CPU-ms "
                      f"an item)  peak RSS {_peak_rss_mb():.0f} MB", file=sys.stderr, flush=True)
                interval = 0.0
    return {"seconds": time.perf_counter() - started, "writer_cpu_s": writer, "peak_rss_mb": _peak_rss_mb()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--progress", type=int, default=0, help="print items, seconds and peak RSS every N items")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_run(int(args.child[0]), args.child[1], args.progress)))
        return
    print(f"{'items':>8} {'s':>8} {'items/s':>8} {'writer items/CPU-s':>18} {'peak RSS MB':>12}")
    peaks = []
    with tempfile.TemporaryDirectory(prefix="nf-corpus-memory-") as tmp:
        for size in args.sizes:
            db = Path(tmp) / f"m{size}.db"
            child = subprocess.run([sys.executable, __file__, "--child", str(size), str(db),
                                    "--progress", str(args.progress)], stdout=subprocess.PIPE, text=True, check=False)
            if child.returncode != 0:
                sys.exit(f"the {size}-item run failed (its error is above)")
            run = json.loads(child.stdout.strip().splitlines()[-1])
            peaks.append(run["peak_rss_mb"])
            print(f"{size:>8} {run['seconds']:>8.1f} {size / run['seconds']:>8.1f} {size / run['writer_cpu_s']:>18.1f} "
                  f"{run['peak_rss_mb']:>12.0f}", flush=True)
            db.unlink()
    growth = peaks[-1] / peaks[0] - 1
    print(f"peak RSS growth {args.sizes[0]} → {args.sizes[-1]} items: {growth:+.0%} "
          f"(flat within 10 %: {'met' if growth <= 0.10 else 'MISSED'})")


if __name__ == "__main__":
    main()
