"""What the web layer calls: analysis on a worker thread, recent dossiers, the corpus store.

The pipeline is built (and warmed up) once at startup. Analyses run on one dedicated worker
thread so the event loop keeps serving pages and dossier reads while an article is analysed,
and so that the spaCy pipeline is never entered by two threads at once. Analysed dossiers are
kept in a small LRU by a content key, which is what the dossier page, its JSON twin and the
downloads are addressed by. Corpus reads go through one read-only :class:`Store` per thread.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any, Generic, TypeVar

from .. import api
from ..pipeline import Pipeline
from ..serialize import to_dict
from .errors import ApiError
from .settings import WebSettings

Dossier = dict[str, Any]
T = TypeVar("T")
V = TypeVar("V")
SAMPLE = "data/sample/meridian-gao-drones.txt"


def dossier_key(raw: bytes | str, hints: dict[str, Any]) -> str:
    """A stable id for one analysis: the same input and hints give the same dossier URL."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    digest = hashlib.sha256(data)
    digest.update(json.dumps(hints, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:20]


class Recent(Generic[V]):
    """The most recently used values by key, least recently used evicted first; thread-safe."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def recent(self, n: int = 10) -> list[tuple[Hashable, V]]:
        with self._lock:
            return list(reversed(list(self._items.items())[-n:]))


class Corpus:
    """Read-only access to a corpus store, one connection per thread (SQLite readers scale)."""

    def __init__(self, path: Path, cached_pages: int = 256) -> None:
        from ..corpus.store import Store

        self.path = path
        Store(path, read_only=True).close()  # fail at startup, not on the first page
        self._local = threading.local()
        self._pages: Recent[tuple[int, Any]] = Recent(cached_pages)
        # one connection that only watches for changes, so every thread reads one count
        self._watch, self._watch_lock = Store.connect(path), threading.Lock()

    def version(self) -> int:
        """A count that changes whenever the store changes under the server (an ingest
        commits): what was cached under an older count is stale (SQLite's ``data_version``)."""
        with self._watch_lock:
            return int(self._watch.execute("PRAGMA data_version").fetchone()[0])

    def cached(self, key: Hashable) -> Any | None:
        """What :meth:`keep` kept under ``key``, if the store has not changed since."""
        hit = self._pages.get(key)
        return hit[1] if hit is not None and hit[0] == self.version() else None

    def keep(self, key: Hashable, build: Callable[[], T]) -> T:
        """``build()``'s value, built once for each version of the store (kept for the most
        recently used ``cached_pages`` keys): a corpus page costs its queries once, not on
        every request."""
        found = self.cached(key)
        if found is None:
            version = self.version()  # before building: a change meanwhile makes it stale
            found = build()
            self._pages.put(key, (version, found))
        return found  # type: ignore[no-any-return]

    @property
    def store(self):  # type: ignore[no-untyped-def]
        store = getattr(self._local, "store", None)
        if store is None:
            from ..corpus.store import Store

            store = self._local.store = Store(self.path, read_only=True)
        return store

    def dossier_json(self, item_id: int) -> bytes | None:
        """A stored item's dossier as JSON bytes, exactly ``Store.item`` serialised, without
        parsing it: the hot path of corpus browsing and of the JSON API. Reads the documented
        ``dossiers.dossier`` column (zlib JSON, docs/corpus.md)."""
        row = self.store.conn.execute("SELECT dossier FROM dossiers WHERE item_id = ?", (item_id,)).fetchone()
        if row is None:
            return None
        body = zlib.decompress(row[0]).lstrip()
        if not body.startswith(b"{"):
            raise ValueError(f"item {item_id}'s stored dossier is not a JSON object")
        rest = body[1:].lstrip()
        return b'{"item_id": %d%s' % (item_id, b", " + rest if not rest.startswith(b"}") else rest)


class Workbench:
    """The state behind one server: settings, pipeline, worker, cache, corpus."""

    def __init__(self, settings: WebSettings, pipeline: Pipeline | None = None) -> None:
        self.settings = settings
        self._pipeline = pipeline
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nf-analyse")
        # URL fetches wait on other servers: their own threads, never the pool that serves reads
        self._fetchers = ThreadPoolExecutor(max_workers=settings.limits.fetch_workers,
                                            thread_name_prefix="nf-fetch")
        self._fetches = 0  # running and queued (touched on the event loop only)
        self.cache: Recent[Dossier] = Recent(settings.limits.cached_dossiers)
        self.corpus = Corpus(settings.db, settings.limits.cached_pages) if settings.db is not None else None

    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            self._pipeline = api.default_pipeline()
        return self._pipeline

    @property
    def stage_names(self) -> list[str]:
        return self.pipeline.names

    def warm_up(self) -> None:
        """Load every model now by analysing the bundled sample, so the first analysis is fast."""
        sample = resources.files("newsforensics").joinpath(SAMPLE).read_bytes()
        api.analyze(sample, pipeline=self.pipeline, source_name="warm-up")

    async def start(self) -> None:
        if self.settings.warm_up:
            await asyncio.get_running_loop().run_in_executor(self._worker, self.warm_up)

    def close(self) -> None:
        self._worker.shutdown(wait=False, cancel_futures=True)
        self._fetchers.shutdown(wait=False, cancel_futures=True)

    async def off_the_read_path(self, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a slow call (a URL fetch) on the fetch threads, so that reads keep answering; at
        most two per fetch thread wait, more are refused at once (each may take the whole
        fetch time limit)."""
        workers = self.settings.limits.fetch_workers
        if self._fetches >= 2 * workers:
            raise ApiError(503, "fetch-busy", f"{self._fetches} URL fetches are already in progress; "
                           "try again in a few seconds", headers={"Retry-After": "10"})
        self._fetches += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._fetchers, partial(call, *args, **kwargs))
        finally:
            self._fetches -= 1

    def _analyse_now(self, raw: bytes | str, hints: dict[str, Any]) -> tuple[str, Dossier]:
        key = dossier_key(raw, hints)
        cached = self.cache.get(key)
        if cached is not None:
            return key, cached
        doc = api.extract(raw, **hints)
        limit = self.settings.limits.analyse_max_chars
        if len(doc.text) > limit:
            raise ApiError(413, "too-long", f"the item's text is {len(doc.text):,} characters; the workbench "
                           f"analyses up to {limit:,} (its time budget); analyse longer texts with "
                           "'newsforensics analyze'")
        dossier = to_dict(self.pipeline(doc))
        self.cache.put(key, dossier)
        return key, dossier

    async def analyse(self, raw: bytes | str, hints: dict[str, Any]) -> tuple[str, Dossier]:
        """Analyse one item on the worker thread: (its key, its dossier JSON).

        A request waits at most the analysis time budget: past it the client gets a 503, and an
        analysis that had not started yet (queued behind others) is dropped. One that has
        started runs to its end (a thread cannot be stopped), which the size limit keeps within
        the budget."""
        budget = self.settings.limits.analyse_seconds
        job = self._worker.submit(self._analyse_now, raw, hints)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(job), budget)
        except TimeoutError:
            job.cancel()
            raise ApiError(503, "analysis-timeout", f"the analysis did not finish within its time budget "
                           f"of {budget:.0f} s (the analyser is busy or the item is long); try again "
                           "later, or analyse it with 'newsforensics analyze'",
                           headers={"Retry-After": str(int(budget))}) from None
