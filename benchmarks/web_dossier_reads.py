"""Dossier reads per second from a 10k-item store under 20 concurrent clients on loopback.

    .venv/bin/python benchmarks/web_dossier_reads.py [--items 10000] [--clients 20] [--seconds 20]

Builds the store with the corpus store API (``Store.add``): a handful of distinct articles are
analysed once with the default pipeline, then stored as --items items under distinct outlets and
URLs (each a separate item, as a syndicated corpus would hold them), without the copy and story
index steps, which dossier reads do not touch. A real ``newsforensics serve --db`` runs in its own
process; the clients request ``GET /api/items/{random id}`` over keep-alive connections for a
bounded time and request count. Prints requests/s and latency percentiles. The clients run in
this process on the same machine: ``--client light`` (the default) costs the server's cores
little, ``--client httpx`` (as measured before) about 5 ms of CPU a request.
Targets: ≥ 200 requests/s, p99 ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parent))
from web_common import cpu_seconds, hammer, light_hammer, percentile, serve  # noqa: E402

TARGET_RPS, TARGET_P99_MS = 200.0, 100.0
MAX_REQUESTS = 50_000
WEB_FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "web" / "fixtures"


def build_store(path: Path, items: int) -> float:
    """Store ``items`` dossiers; returns the seconds it took (analysis included)."""
    from newsforensics import analyze, default_pipeline
    from newsforensics.corpus.store import Store

    started = time.perf_counter()
    texts = [resources.files("newsforensics").joinpath("data/sample/meridian-gao-drones.txt").read_text("utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in sorted(WEB_FIXTURES.glob("*.txt"))]
    docs = [analyze(t, pipeline=default_pipeline(), source_name=f"seed-{i}") for i, t in enumerate(texts)]
    with Store(path, steps=[]) as store:
        with store.transaction():
            for n in range(items):
                doc = docs[n % len(docs)]
                doc.meta.outlet = f"outlet-{n % 97}.example"
                doc.meta.url = f"https://outlet-{n % 97}.example/news/{n}"
                doc.meta.published = f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}"
                store.add(doc, source=f"benchmark/{n}")
    return time.perf_counter() - started


CLIENTS = {"light": light_hammer, "httpx": hammer}


def load(base: str, items: int, clients: int, seconds: float,
         client: str = "light") -> tuple[list[float], int, float]:
    """(latencies in s, errors, wall seconds) of ``clients`` concurrent readers of random items."""
    return asyncio.run(CLIENTS[client](base, lambda rng: f"/api/items/{rng.randint(1, items)}", clients, seconds,
                                       MAX_REQUESTS))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--client", choices=sorted(CLIENTS), default="light",
                        help="light: keep-alive HTTP over asyncio streams, ~0.2 ms CPU a request; httpx: ~5 ms, "
                             "which on a 2-core machine takes the cores the server is measured on")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "corpus.db"
        built = build_store(db, args.items)
        print(f"store: {args.items} items, {db.stat().st_size / 2**20:.0f} MB, built in {built:.0f} s")
        with serve("--db", str(db)) as server:
            load(server.base, args.items, args.clients, 2.0, args.client)  # warm connections and caches
            cpu_before = cpu_seconds(server.pid)
            latencies, errors, wall = load(server.base, args.items, args.clients, args.seconds, args.client)
            server_cpu_ms = (cpu_seconds(server.pid) - cpu_before) * 1000 / max(1, len(latencies))
    rps = len(latencies) / wall
    p50, p99 = percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000
    print(f"dossier reads: {rps:.0f} requests/s with {args.clients} concurrent {args.client} clients over {wall:.1f} s "
          f"({len(latencies)} requests, {errors} errors); latency p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    load_1m = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"server CPU per request: {server_cpu_ms:.2f} ms (one idle core would serve about "
          f"{1000 / server_cpu_ms if server_cpu_ms else float('nan'):.0f} requests/s); "
          f"machine load average during the run: {load_1m:.1f} on {os.cpu_count()} cores")
    print(f"targets: ≥ {TARGET_RPS:.0f} requests/s: {'met' if rps >= TARGET_RPS else 'MISSED'}; "
          f"p99 ≤ {TARGET_P99_MS:.0f} ms: {'met' if p99 <= TARGET_P99_MS else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
