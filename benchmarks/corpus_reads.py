"""Corpus read paths at scale: search, statistics, stories, one story, copies, in ms at 10k and 100k.

A base corpus is generated from the PTC articles (benchmarks/corpus_generate.py) and ingested for
real (profile ``minimal``); larger stores are simulated by replicating its rows — items, spans,
full-text index, stories, copy pairs and chains — with shifted ids and dates (each copy a later
stretch of time), so the tables and their distributions grow as a real corpus's would without
hours of ingest. Each read runs as the CLI and the workbench run it; the figures are the medians
of ``--repeat`` runs on a warm file cache, wall clock and CPU (on a loaded shared machine the
wall clock mostly measures the other jobs; the target is judged on CPU).

    nice -n 10 python benchmarks/corpus_reads.py --base 2000 --sizes 10000 100000
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_generate import write  # noqa: E402

TARGET_MS = 100.0
DAYS_PER_COPY = 400  # the generator spreads a corpus over about a year; copies follow one another


def build_base(n: int, db: Path) -> None:
    from newsforensics.corpus.engine import ingest

    feed = db.with_suffix(".jsonl")
    write(n, feed)
    ingest([feed], db, profile="minimal")
    feed.unlink()


def replicate(base: Path, size: int, db: Path) -> None:
    """A store of ``size`` items: the base store's rows copied with shifted ids and dates."""
    from newsforensics.corpus import stats
    from newsforensics.corpus.store import Store

    shutil.copy(base, db)
    with Store(db) as store:  # migrate a base store written by an earlier version, as ingest would
        store.steps
    conn = sqlite3.connect(db, isolation_level=None)
    n = conn.execute("SELECT max(item_id) FROM items").fetchone()[0]
    stories = conn.execute("SELECT max(story_id) FROM stories").fetchone()[0]
    copies = -(-size // n)
    conn.execute("BEGIN")
    for k in range(1, copies):
        keep = min(n, size - k * n)
        off, soff, days = k * n, k * stories, k * DAYS_PER_COPY
        shift = f"date(published, '+{days} days')"
        conn.execute(
            "INSERT INTO items SELECT item_id + ?, content_hash || ?, url || ?, outlet, language, "
            f"{shift}, published_source, title, source, profile, chars, ingested_at, dossier "
            "FROM items WHERE item_id <= ?", (off, f"-{k}", f"?copy={k}", keep))
        conn.execute("INSERT INTO spans SELECT item_id + ?, layer, span_id, start, \"end\", label, score, "
                     "stage, text, attrs_json FROM spans WHERE item_id <= ?", (off, keep))
        conn.execute("INSERT INTO items_fts (rowid, title, text) SELECT rowid + ?, title, text "
                     "FROM items_fts WHERE rowid <= ?", (off, keep))
        conn.execute("INSERT INTO stories SELECT story_id + ?, first_day + ?, last_day + ?, n_items, embedded, "
                     "centroid, cues_json, languages FROM stories WHERE story_id IN "
                     "(SELECT story_id FROM story_items WHERE item_id <= ?)", (soff, days, days, keep))
        conn.execute("INSERT INTO story_items SELECT item_id + ?, story_id + ?, score, how FROM story_items "
                     "WHERE item_id <= ?", (off, soff, keep))
        conn.execute("INSERT INTO copy_pairs SELECT original_id + ?, copy_id + ?, share, jaccard, kind, direction "
                     "FROM copy_pairs WHERE original_id <= ? AND copy_id <= ?", (off, off, keep, keep))
        conn.execute("INSERT INTO copy_chains SELECT item_id + ?, chain_id + ? FROM copy_chains "
                     "WHERE item_id <= ?", (off, off, keep))
    conn.execute("COMMIT")
    stats.rebuild(conn)  # the roll-up of the copied spans, as a migration would fill it
    conn.execute("ANALYZE")
    conn.close()


def reads(db: Path) -> dict[str, Callable[[], Any]]:
    """The read paths, as the CLI and the workbench call them."""
    from newsforensics.corpus import stats
    from newsforensics.corpus.store import Store

    store = Store(db, read_only=True)
    conn = store.conn
    top_outlet = conn.execute("SELECT outlet FROM items GROUP BY outlet ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    big_story = conn.execute("SELECT story_id FROM stories ORDER BY n_items DESC LIMIT 1").fetchone()[0]
    copied = conn.execute("SELECT copy_id FROM copy_pairs LIMIT 1").fetchone()[0]
    return {
        "search 'government' (20)": lambda: store.search("government", limit=20),
        "search + outlet + since": lambda: store.search("police", outlet=top_outlet, since="2018-06-01", limit=20),
        "list newest (20)": lambda: store.search(None, limit=20),
        "count by outlet": lambda: store.count(outlet=top_outlet),
        "stats outlet×month": lambda: stats.table(conn, ("outlet", "month")),
        "stats by place (top 50)": lambda: stats.table(conn, ("place",), limit=50),
        "stats by country×year": lambda: stats.table(conn, ("country", "year")),
        "stats by outlet×country": lambda: stats.table(conn, ("outlet", "country")),
        "stats country, one outlet": lambda: stats.table(conn, ("country",), outlet=top_outlet),
        "stories (50)": lambda: store.stories(limit=50),
        "stories of an outlet (50)": lambda: store.stories(outlet=top_outlet, limit=50),
        "one story (largest)": lambda: store.story(big_story),
        "copies (50)": lambda: store.copies(limit=50),
        "copies of one item": lambda: store.copies(item_id=copied),
        "chains (50)": lambda: store.chains(limit=50),
    }


STATISTICS = (("outlet", "month"), ("place",), ("country", "year"), ("outlet", "country"), ("entity", "month"),
              ("language", "country"))


def check_statistics(db: Path) -> int:
    """The roll-up's tables equal grouping every span (``roll_up=False``); the rows compared."""
    from newsforensics.corpus import stats
    from newsforensics.corpus.store import Store

    with Store(db, read_only=True) as store:
        compared = 0
        for by in STATISTICS:
            rolled, spans = stats.table(store.conn, by), stats.table(store.conn, by, roll_up=False)
            if rolled.rows != spans.rows:
                sys.exit(f"statistics by {','.join(by)} differ between span_stats and the spans")
            compared += len(rolled.rows)
    return compared


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU ms: on a shared machine the wall clock also counts others' jobs."""
    fn()  # warm the page cache and the statement cache
    wall, cpu = [], []
    for _ in range(repeat):
        started, used = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", type=int, default=2000, help="items generated and ingested for real")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="a folder to keep (and reuse) the base store in")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nf-corpus-reads-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        base = folder / f"base-{args.base}.db"
        if not base.exists():
            build_base(args.base, base)
        results: dict[int, dict[str, tuple[float, float]]] = {}
        for size in args.sizes:
            db = Path(tmp) / f"reads-{size}.db"
            replicate(base, size, db)
            results[size] = {name: timed(fn, args.repeat) for name, fn in reads(db).items()}
            print(f"{size} items: {check_statistics(db)} statistics rows equal from span_stats and the spans",
                  flush=True)
            db.unlink()
    names = list(next(iter(results.values())))
    print(f"ms per read, wall / CPU (median of {args.repeat}); base store {args.base} ingested items, replicated")
    print(f"{'read':<28}" + "".join(f"{size:>16}" for size in args.sizes) + "   ≤ 100 ms at the largest (CPU)")
    for name in names:
        figures = [results[size][name] for size in args.sizes]
        verdict = "met" if figures[-1][1] <= TARGET_MS else "MISSED"
        print(f"{name:<28}" + "".join(f"{w:>9.1f} /{c:>5.1f}" for w, c in figures) + f"   {verdict}")


if __name__ == "__main__":
    main()
