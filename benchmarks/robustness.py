"""Issue 14's hostile cases, replayed: tried / survived / lost, peak RSS, health under slow
fetches and a slowloris, story pages.

    nice -n 10 python benchmarks/robustness.py [--only ingest,web,stories] [--huge-mb 1024]

Ingest: each hostile input is written to a temporary folder next to good records and ingested
by the real CLI in a fresh process; a case *survives* when the run exits with a documented code
(never 1), every good record is stored with its text, and the bad part is reported; peak RSS is
that process's (``wait4``). Web: a real ``newsforensics serve --allow-fetch`` on loopback,
/api/health timed while 40 fetches of a local server that sends one byte a second run, and while
a bounded slowloris (at most ``--slowloris`` half-open connections to 127.0.0.1, stopped after
``--seconds``) runs; user errors (ids over 2^63−1, a lone surrogate) must be 4xx/201, never 5xx.
Stories: requests/s and p99 of ``/api/stories/{id}`` on the largest story of a generated store
(``--store-items`` items, one story of ``--story-items``), loaded by a light client (about 0.2 ms
of CPU a request) and by httpx (about 5 ms a request, so on two cores it measures itself as much
as the server); both are printed, with the server's own CPU per request.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import io
import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from web_common import cpu_seconds, free_port, hammer, light_hammer, percentile, serve, stop  # noqa: E402

CLI = str(Path(sys.executable).parent / "newsforensics")
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
GOOD = [f"Item {i}: the bridge over the river Sava in town {i} was closed for repairs on Monday, "
        f"officials in district {i} said, and traffic was sent through the old centre." for i in range(50)]
RSS_LIMIT_MB = 1024


@dataclass
class Case:
    name: str
    survived: bool
    detail: str
    rss_mb: float | None = None


@dataclass
class Tally:
    cases: list[Case] = field(default_factory=list)

    def add(self, case: Case) -> None:
        self.cases.append(case)
        rss = f"  peak RSS {case.rss_mb:.0f} MB" if case.rss_mb is not None else ""
        print(f"  {'survived' if case.survived else 'LOST    '}  {case.name}: {case.detail}{rss}", flush=True)


# --- ingest ---------------------------------------------------------------------------------


def _good_jsonl() -> bytes:
    return "".join(json.dumps({"text": t}) + "\n" for t in GOOD).encode()


def _huge(head: bytes, tail: bytes, mb: int) -> Callable[[io.RawIOBase], None]:
    """A writer of ``head``, ``mb`` MiB of "a" in 1 MiB pieces (never held whole), ``tail``."""
    def write(handle) -> None:  # type: ignore[no-untyped-def]
        handle.write(head)
        chunk = b"a" * 2**20
        for _ in range(mb):
            handle.write(chunk)
        handle.write(tail)
    return write


def _huge_line(mb: int) -> Callable[[io.RawIOBase], None]:
    return _huge(b'{"text": "', b'"}\n', mb)


def hostile_inputs(folder: Path, huge_mb: int) -> dict[str, tuple[Path, int]]:
    """name → (path, good records in it)."""
    made: dict[str, tuple[Path, int]] = {}
    good = _good_jsonl()

    path = folder / "surrogate.jsonl"
    lines = good.decode().splitlines(keepends=True)
    path.write_text("".join(lines[:25]) + '{"text":"bridge \\ud800 reopen"}\n' + "".join(lines[25:]))
    made["lone surrogate in a JSON record (+50 good)"] = (path, 51)

    path = folder / "huge-line.jsonl.gz"
    half = good.index(b"\n", len(good) // 2) + 1
    with gzip.open(path, "wb", compresslevel=6) as handle:
        handle.write(good[:half])
        _huge_line(huge_mb)(handle)
        handle.write(good[half:])
    made[f"{huge_mb} MiB JSON line in a .jsonl.gz (+50 good)"] = (path, 50)

    path = folder / "huge-line.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("feed.jsonl", "w", force_zip64=True) as handle:
            handle.write(good)
            _huge_line(huge_mb)(handle)
    made[f"{huge_mb} MiB JSON line in a .zip (+50 good)"] = (path, 50)

    path = folder / "huge-field.csv.gz"
    with gzip.open(path, "wb", compresslevel=6) as handle:
        _huge(b"title,text\nT,", b"\n", huge_mb)(handle)
        for text in GOOD:
            handle.write(f'T,"{text}"\n'.encode())
    made[f"{huge_mb} MiB CSV field in a .csv.gz (+50 good)"] = (path, 50)

    path = folder / "members.zip"
    member = (" ".join(GOOD) + "\n").encode() * (45 * 2**20 // (len(" ".join(GOOD)) + 1))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(40):
            archive.writestr(f"m{n:02d}.txt", member[:-12] + f" member {n:02d}\n".encode())
        archive.writestr("z-good-1.txt", GOOD[1])
        archive.writestr("z-good-2.txt", GOOD[2])
    made["zip of 40 × 45 MB members (+2 good)"] = (path, 2)

    inner, name = GOOD[0].encode(), "a.txt"
    for depth in range(400):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(name, inner)
        inner, name = buffer.getvalue(), f"level{depth}.zip"
    path = folder / "nested.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("deep.zip", inner)
        archive.writestr("good.txt", GOOD[1])
    made["zip nested 400 deep (+1 good)"] = (path, 1)

    path = folder / "damaged.warc.gz"
    made["truncated and corrupt .warc.gz (3 of 4 pages readable)"] = (path, 3)
    _damaged_warc(path)
    return made


def _damaged_warc(path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    starts = []
    for n, text in enumerate(GOOD[:4]):
        starts.append(buffer.tell())
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        body = f"<html><body><article><p>{text}</p></article></body></html>".encode()
        writer.write_record(writer.create_warc_record(f"https://example.org/{n}", "response",
                                                      payload=io.BytesIO(body), http_headers=headers))
    data = buffer.getvalue()
    path.write_bytes(data[:starts[2]] + b"\x00garbage\xff" * 10 + data[starts[2] + 40:])


def run_measured(args: list[str]) -> tuple[int, bytes, bytes, float]:
    """Run a command: exit code, stdout, stderr and its own peak RSS in MB (``wait4``)."""
    with tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:
        process = subprocess.Popen(args, env=ENV, stdout=out_file, stderr=err_file)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = code = os.waitstatus_to_exitcode(status)
        out_file.seek(0)
        err_file.seek(0)
        return code, out_file.read(), err_file.read(), usage.ru_maxrss / 1024


def ingest_case(name: str, path: Path, good: int, db: Path) -> Case:
    code, out, err, rss = run_measured([CLI, "ingest", str(path), "--db", str(db), "--json"])
    try:
        summary = json.loads(out or b"{}")
    except ValueError:
        summary = {}
    stored = summary.get("stored", 0)
    ok = code in (0, 4) and stored >= good and rss <= RSS_LIMIT_MB
    detail = (f"exit {code}, stored {stored} of {good} good, {summary.get('bad', '?')} bad reported"
              + ("" if code in (0, 4) else f" ({err.decode(errors='replace').strip()[-200:]})"))
    return Case(name, ok, detail, rss)


def run_ingest(tally: Tally, huge_mb: int) -> None:
    print("ingest (hostile inputs, each in a fresh process):", flush=True)
    with tempfile.TemporaryDirectory(prefix="nf-robust-") as tmp:
        folder = Path(tmp)
        for name, (path, good) in hostile_inputs(folder, huge_mb).items():
            tally.add(ingest_case(name, path, good, folder / f"{path.name}.db"))
            path.unlink()
        tally.add(concurrent_case(folder))


def concurrent_case(folder: Path) -> Case:
    """Two ingests into one database at once against the same two run one after the other."""
    feeds = []
    for part in ("a", "b"):
        feed = folder / f"{part}.jsonl"
        feed.write_text("".join(json.dumps({"text": t, "outlet": f"{part}.example"}) + "\n" for t in GOOD))
        feeds.append(feed)
    together = folder / "together.db"
    running = [subprocess.Popen([CLI, "ingest", str(f), "--db", str(together), "--batch-size", "2"], env=ENV,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for f in feeds]
    codes = [p.wait(timeout=600) for p in running]
    snapshots = []
    for order in (feeds, feeds[::-1]):
        db = folder / f"serial-{order[0].stem}.db"
        for feed in order:
            subprocess.run([CLI, "ingest", str(feed), "--db", str(db), "--batch-size", "2"], env=ENV,
                           capture_output=True, check=True, timeout=600)
        snapshots.append(_snapshot(db))
    same = _snapshot(together) in snapshots
    return Case("two concurrent ingests into one database", codes == [0, 0] and same,
                f"exits {codes}, indexes {'equal' if same else 'DIFFER from'} a serial run")


def _snapshot(db: Path) -> tuple[frozenset[str], frozenset[frozenset[str]], frozenset[tuple[str, str]]]:
    with sqlite3.connect(db) as conn:
        key = dict(conn.execute("SELECT item_id, content_hash FROM items"))
        stories: dict[int, set[str]] = {}
        for item_id, story_id in conn.execute("SELECT item_id, story_id FROM story_items"):
            stories.setdefault(story_id, set()).add(key[item_id])
        pairs = frozenset((key[o], key[c]) for o, c in conn.execute("SELECT original_id, copy_id FROM copy_pairs"))
    return frozenset(key.values()), frozenset(frozenset(s) for s in stories.values()), pairs


# --- web -----------------------------------------------------------------------------------


def serve_child(port: int, db: str | None, trickle_port: int) -> None:
    """The workbench as ``serve`` runs it (its uvicorn options), with fetching allowed to reach
    this benchmark's own trickling server on 127.0.0.1 (and nothing else private)."""
    import uvicorn

    from newsforensics.pipeline import Pipeline
    from newsforensics.web import Limits, WebSettings, create_app, fetch
    from newsforensics.web.server import uvicorn_options

    real = fetch.refusal
    fetch.refusal = lambda a: None if a == "127.0.0.1" else real(a)  # type: ignore[assignment]
    settings = WebSettings(port=port, db=Path(db) if db else None, allow_fetch=True, warm_up=False,
                           limits=Limits.from_file(analyse_burst=1000, analyse_per_minute=60000))
    app = create_app(settings, pipeline=Pipeline(["language", "segment"]))
    uvicorn.run(app, host="127.0.0.1", port=port, **uvicorn_options())


class Trickle(threading.Thread):
    """A loopback HTTP server that sends its body one byte a second."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.sock = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.port = self.sock.getsockname()[1]

    def run(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    @staticmethod
    def _drip(conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(4096)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
                for _ in range(120):
                    conn.sendall(b"x")
                    time.sleep(1.0)
            except OSError:
                pass


def _request(url: str, payload: dict | None = None, timeout: float = 10.0) -> tuple[int, float]:
    """(HTTP status, 0 when no answer; seconds) of a GET, or a JSON POST when ``payload`` is given."""
    import urllib.error
    import urllib.request

    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:
        status = 0
    return status, time.perf_counter() - started


def _probe_health(base: str, stop: threading.Event, latencies: list[float]) -> None:
    while not stop.is_set():
        status, seconds = _request(base + "/api/health", timeout=5)
        latencies.append(seconds if status == 200 else float("inf"))
        time.sleep(0.2)


def slowloris(port: int, connections: int, seconds: float) -> int:
    """Keep up to ``connections`` half-open requests to 127.0.0.1:``port`` for ``seconds``
    (bounded in count and time, loopback only); the number of connections opened in all."""

    async def one(deadline: float, opened: list[int]) -> None:
        while time.monotonic() < deadline:
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                await asyncio.sleep(0.5)
                continue
            opened[0] += 1
            try:
                writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                while time.monotonic() < deadline and not reader.at_eof():
                    writer.write(b"X-a: b\r\n")
                    await writer.drain()
                    await asyncio.sleep(2.0)
            except OSError:
                pass
            finally:
                writer.close()

    async def run() -> int:
        deadline, opened = time.monotonic() + seconds, [0]
        await asyncio.gather(*(one(deadline, opened) for _ in range(connections)), return_exceptions=True)
        return opened[0]

    return asyncio.run(run())


def _health_summary(latencies: list[float]) -> str:
    answered = [s for s in latencies if s != float("inf")]
    if not answered:
        return "no answer"
    return (f"{len(latencies)} probes, {len(latencies) - len(answered)} failed, max {max(answered) * 1000:.0f} ms, "
            f"p99 {percentile(answered, 0.99) * 1000:.0f} ms")


def run_web(tally: Tally, loris_connections: int, loris_seconds: float, db: str | None = None) -> None:
    print("web (a real server on 127.0.0.1):", flush=True)
    trickle = Trickle()
    trickle.start()
    port = free_port()
    child = subprocess.Popen([sys.executable, __file__, "--serve-child", str(port), str(trickle.port), db or ""],
                             env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while _request(base + "/api/health", timeout=2)[0] != 200:
            if time.monotonic() > deadline or child.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.3)
        # 40 fetches of a server sending a byte a second
        done, latencies, fetch_results = threading.Event(), [], []
        prober = threading.Thread(target=_probe_health, args=(base, done, latencies))
        fetchers = [threading.Thread(target=lambda: fetch_results.append(_request(
            base + "/api/analyze/fetch", {"fetch_url": f"http://127.0.0.1:{trickle.port}/slow"}, timeout=120)))
            for _ in range(40)]
        for thread in fetchers:
            thread.start()
        time.sleep(1.0)
        prober.start()
        for thread in fetchers:
            thread.join()
        done.set()
        prober.join()
        longest = max(s for _, s in fetch_results)
        answered = [s for s in latencies if s != float("inf")]
        tally.add(Case("/api/health under 40 slow fetches",
                       bool(answered) and len(answered) == len(latencies) and max(answered) < 1.0,
                       f"{_health_summary(latencies)}; fetches answered {sorted({c for c, _ in fetch_results})} "
                       f"(longest request {longest:.1f} s; limit 10 s a fetch, 4 at a time)"))
        # a bounded slowloris from two processes (one process's descriptors cap its connections)
        done, latencies = threading.Event(), []
        half = loris_connections // 2
        loris = [subprocess.Popen([sys.executable, __file__, "--slowloris-child", str(port), str(half), str(loris_seconds)],
                                  env=ENV, stdout=subprocess.PIPE, text=True) for _ in range(2)]
        time.sleep(3.0)
        prober = threading.Thread(target=_probe_health, args=(base, done, latencies))
        prober.start()
        opened = sum(int((p.communicate(timeout=loris_seconds + 120)[0] or "0").strip() or 0) for p in loris)
        done.set()
        prober.join()
        answered = [s for s in latencies if s != float("inf")]
        tally.add(Case(f"/api/health under a {loris_connections}-connection slowloris ({loris_seconds:.0f} s)",
                       bool(answered) and len(answered) == len(latencies) and max(answered) < 1.0,
                       f"{_health_summary(latencies)}; {opened} connections opened; server alive: "
                       f"{child.poll() is None}"))
        # user errors are 4xx, never 5xx
        for path in ("/api/items/99999999999999999999", "/api/stories/99999999999999999999",
                     "/api/copies?item_id=99999999999999999999", "/items/99999999999999999999"):
            status, _ = _request(base + path)
            tally.add(Case(f"GET {path}", 400 <= status < 500, f"HTTP {status}"))
        status, _ = _request(base + "/api/analyze", {"text": '{"text": "The bridge \\ud800 reopens on Monday."}'})
        tally.add(Case("a pasted JSON record with a lone surrogate", status == 201, f"HTTP {status}"))
        status, seconds = _request(base + "/api/analyze", {"text": "The mayor said the bridge reopens. " * 5000})
        tally.add(Case("a 175,000-character paste (over the web limit)", status == 413,
                       f"HTTP {status} in {seconds:.2f} s"))
    finally:
        stop(child)
        trickle.sock.close()


# --- story pages ----------------------------------------------------------------------------

PLACES = ["Novi Sad", "Kherson", "Valencia", "Idlib", "Mosul", "Tigray", "Gaza", "Odesa", "Aleppo", "Kharkiv"]


def build_story_store(db: Path, items: int, story_items: int) -> None:
    """A store of ``items`` items, ``story_items`` of them republications of one report (one
    story)."""
    from newsforensics.corpus.engine import ingest

    feed = db.with_suffix(".jsonl")
    report = ("Flood waters forced 3,712 residents of Petrovaradin to leave their homes on Tuesday, "
              "mayor Milan Đurić said, as the Danube rose 9.4 metres above its usual level near the "
              "fortress. Rescue crews evacuated the Ribnjak quarter overnight and the bridge was shut.")
    with feed.open("w", encoding="utf-8") as handle:
        for n in range(items):
            if n < story_items:
                record = {"title": "Danube floods Petrovaradin", "text": report + f" (Wire copy {n}.)",
                          "outlet": f"outlet-{n % 300}.example", "url": f"https://outlet-{n % 300}.example/{n}",
                          "published": f"2024-03-{1 + n % 20:02d}"}
            else:
                place = PLACES[n % len(PLACES)]
                record = {"title": f"Council of {place} votes budget {n}",
                          "text": f"The council of {place} approved budget line {n} worth {n * 37 % 9973} "
                                  f"thousand on session {n}, councillor number {n % 113} said. "
                                  f"Item {n} of the agenda concerned road {n * 7 % 211}.",
                          "outlet": f"local-{n % 150}.example", "published": f"2023-{1 + n % 12:02d}-{1 + n % 28:02d}"}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    ingest([feed], db, profile="minimal")


def run_stories(tally: Tally, items: int, story_items: int, clients: int, seconds: float,
                keep: Path | None = None) -> None:
    print(f"story pages ({items}-item store, one story of {story_items}):", flush=True)
    with tempfile.TemporaryDirectory(prefix="nf-stories-") as tmp:
        db = keep or Path(tmp) / "corpus.db"
        started = time.perf_counter()
        if not db.exists():
            build_story_store(db, items, story_items)
        with sqlite3.connect(db) as conn:
            story_id, size = conn.execute("SELECT story_id, count(*) FROM story_items GROUP BY story_id "
                                          "ORDER BY count(*) DESC LIMIT 1").fetchone()
        print(f"  ready in {time.perf_counter() - started:.0f} s; the largest story has {size} items", flush=True)
        with serve("--db", str(db), "--stages", "language,segment") as server:
            first = _request(f"{server.base}/api/stories/{story_id}")
            pages = max(1, -(-size // 50))
            runs = {}
            for client, load in (("a light client", light_hammer), ("httpx", hammer)):
                cpu_before = cpu_seconds(server.pid)
                runs[client] = *asyncio.run(load(
                    server.base, lambda rng: f"/api/stories/{story_id}?page={rng.randint(1, pages)}", clients,
                    seconds)), (cpu_seconds(server.pid) - cpu_before)
        for client, (latencies, errors, wall, cpu) in runs.items():
            rate, p99 = len(latencies) / wall, percentile(latencies, 0.99)
            cpu_ms = cpu / max(1, len(latencies)) * 1000
            detail = (f"{rate:.1f} requests/s, p50 {percentile(latencies, 0.5) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
                      f"{errors} errors over {len(latencies)} requests ({pages} pages of 50; first request "
                      f"{first[1] * 1000:.0f} ms; server CPU {cpu_ms:.2f} ms a request, ≈ {1000 / max(cpu_ms, 0.01):.0f}/s "
                      f"on one idle core; load average {os.getloadavg()[0]:.1f})")
            if client == "httpx":  # for comparison with earlier runs: the client's own CPU dominates
                print(f"  (with httpx as the client: {detail})", flush=True)
                continue
            tally.add(Case(f"GET /api/stories/{{id}} of a {size}-item story, {clients} clients ({client})",
                           rate >= 100 and p99 <= 0.5 and not errors, detail))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="ingest,web,stories")
    parser.add_argument("--huge-mb", type=int, default=1024, help="size of the huge line/field (MiB)")
    parser.add_argument("--slowloris", type=int, default=20000, help="half-open connections (bounded)")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the slowloris runs")
    parser.add_argument("--store-items", type=int, default=4000)
    parser.add_argument("--story-items", type=int, default=566)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--load-seconds", type=float, default=20.0)
    parser.add_argument("--story-db", type=Path, help="the story store: built there if missing, kept")
    parser.add_argument("--serve-child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--slowloris-child", dest="loris_child", nargs=3, help=argparse.SUPPRESS)
    args, _ = parser.parse_known_args()
    if args.serve_child:
        port, trickle_port, db = args.serve_child
        serve_child(int(port), db or None, int(trickle_port))
        return
    if args.loris_child:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        port, connections, seconds = args.loris_child
        print(slowloris(int(port), min(int(connections), hard - 100), float(seconds)))
        return
    parts = set(args.only.split(","))
    tally = Tally()
    if "ingest" in parts:
        run_ingest(tally, args.huge_mb)
    if "web" in parts:
        run_web(tally, args.slowloris, args.seconds)
    if "stories" in parts:
        run_stories(tally, args.store_items, args.story_items, args.clients, args.load_seconds, args.story_db)
    survived = sum(c.survived for c in tally.cases)
    print(f"tried {len(tally.cases)}  survived {survived}  lost {len(tally.cases) - survived}")
    rss = [c.rss_mb for c in tally.cases if c.rss_mb is not None]
    if rss:
        print(f"ingest peak RSS: max {max(rss):.0f} MB over {len(rss)} hostile inputs (limit {RSS_LIMIT_MB} MB)")


if __name__ == "__main__":
    main()
