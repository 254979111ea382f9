"""How long the corpus-wide claim status takes, by corpus size (query time, brute force).

    .venv/bin/python benchmarks/corroboration.py [--sizes 2000,10000,20000] [--stories]

Builds a temporary store with only the tables corroboration reads (``items``, ``claim_reports``,
``claim_denials``), filled with synthetic claims: random unit vectors in groups of 1-4
near-duplicates (cosine ≈ 0.9, as paraphrases of one claim across outlets), one denial per 50
groups. No research data and no model are needed. Prints, per size, the seconds of one
``claim_groups`` call (matching, grouping, origins, denials) and the groups found against the
groups planted, which checks that the matching recovers the planted structure. With
``--stories`` the items also get a ``story_items`` table (one story per 25 planted groups, as
the story index would give) and sizes above ``block_above`` are compared within stories.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from newsforensics.corpus.schema import migrate  # noqa: E402
from newsforensics.corroboration.index import pack  # noqa: E402
from newsforensics.corroboration.status import claim_groups  # noqa: E402


def build(path: Path, n_claims: int, rng: np.random.Generator, stories: bool = False) -> int:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE items (item_id INTEGER PRIMARY KEY, outlet TEXT, published TEXT, url TEXT)")
    if stories:
        conn.execute("CREATE TABLE story_items (item_id INTEGER PRIMARY KEY, story_id INTEGER)")
    migrate(conn, "claims")
    rows, denials, planted, item = [], [], 0, 0
    while len(rows) < n_claims:
        centre = rng.normal(size=384).astype(np.float32)
        centre /= np.linalg.norm(centre)
        size = int(rng.integers(1, 5))
        for _ in range(size):
            item += 1
            noise = rng.normal(size=384).astype(np.float32)
            v = centre + 0.3 * noise / np.linalg.norm(noise)
            v /= np.linalg.norm(v)
            conn.execute("INSERT INTO items VALUES (?, ?, ?, NULL)",
                         (item, f"outlet{item % 97}.example", f"2024-03-{1 + item % 28:02d}"))
            if stories:
                conn.execute("INSERT INTO story_items VALUES (?, ?)", (item, planted // 25))
            rows.append((item, "c1", f"claim {planted}", None, 0.8, json.dumps({"places": [], "numbers": []}),
                         pack(v[None])[0]))
        if planted % 50 == 0:
            item += 1
            conn.execute("INSERT INTO items VALUES (?, 'denier.example', '2024-03-28', NULL)", (item,))
            denials.append((item, "den1", 0, "denial", "a ministry", "denied", "x", f"claim {planted}",
                            json.dumps({"places": [], "numbers": []}), pack(centre[None])[0]))
        planted += 1
    conn.executemany("INSERT INTO claim_reports VALUES (?, ?, ?, ?, ?, ?, ?)", rows[:n_claims])
    conn.executemany("INSERT INTO claim_denials VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", denials)
    conn.commit()
    conn.close()
    return planted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,10000,20000")
    parser.add_argument("--stories", action="store_true", help="Block by synthetic stories.")
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bench.db"
            planted = build(path, size, rng, args.stories)
            conn = sqlite3.connect(path)
            started = time.perf_counter()
            groups = claim_groups(conn)
            seconds = time.perf_counter() - started
            conn.close()
        denied = sum(g.status == "denied" for g in groups)
        print(f"{size:>7,} claims: {seconds:6.2f} s; {len(groups):,} groups found, {planted:,} planted; "
              f"{denied} denied")
    return 0


if __name__ == "__main__":
    sys.exit(main())
