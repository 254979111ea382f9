"""Ingest: read → analyse (here or on Dask, in batches) → store and index, resumably.

Reading streams records; records an earlier run stored are skipped before analysis (the
``records`` table). Analysis is pure and runs batch by batch, in this process or on a Dask
cluster (where the workers also turn each document into the rows the store writes, so only rows
travel back), with a bounded number of batches in flight so memory stays flat whatever the corpus
size. The single writer stores each batch and runs the index steps in one transaction: killed at
any point (even with ``kill -9``), a re-run finds every committed item and redoes the rest.
"""

from __future__ import annotations

import resource
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..ingest.corpus_readers import BadRecord, RawRecord, read_corpus
from ..ingest.tabular import ColumnMap
from .analysis import DEFAULT_PROFILE, Analysed, analyse_batch, check_profile
from .settings import settings
from .store import Store

ENGINES = ("local", "dask")
MAX_REPORTED_BAD = 1000  # bad records kept in the summary (all are counted and reported live)
SCHEDULER_TIMEOUT = "10s"
# A batch is sent on when it holds this much text, however few records: 64 records of 45 MB
# each would otherwise be held (and analysed) at once.
MAX_BATCH_BYTES = 32 * 2**20


@dataclass
class IngestSummary:
    """What one ingest run did: counts for the closing line and the ``--json`` summary."""

    db: str
    profile: str
    engine: str
    workers: int = 1
    read: int = 0            # records read (good and bad)
    stored: int = 0          # new items
    duplicates: int = 0      # same content as an item already stored (idempotency)
    resumed: int = 0         # records an earlier run already ingested, skipped unread
    bad: int = 0
    bad_records: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    peak_rss_mb: float = 0.0

    @property
    def items_per_s(self) -> float:
        return (self.stored + self.duplicates) / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"db": self.db, "profile": self.profile, "engine": self.engine, "workers": self.workers,
                "read": self.read, "stored": self.stored, "duplicates": self.duplicates,
                "resumed": self.resumed, "bad": self.bad, "seconds": round(self.seconds, 3),
                "items_per_s": round(self.items_per_s, 2), "peak_rss_mb": round(self.peak_rss_mb, 1),
                "bad_records": self.bad_records}

    def line(self) -> str:
        return (f"stored {self.stored} new item{'s' * (self.stored != 1)}, {self.duplicates} duplicate, "
                f"{self.resumed} already ingested, {self.bad} bad record{'s' * (self.bad != 1)} skipped "
                f"in {self.seconds:.1f} s ({self.items_per_s:.1f} items/s, {self.engine}"
                f"{f' ×{self.workers}' if self.engine == 'dask' else ''}, profile {self.profile})")


def _batches(records: Iterable[RawRecord | BadRecord], store: Store, size: int,
             summary: IngestSummary) -> Iterator[list[RawRecord | BadRecord]]:
    batch: list[RawRecord | BadRecord] = []
    held = 0
    for record in records:
        summary.read += 1
        if isinstance(record, RawRecord) and store.seen(record.record_hash):
            summary.resumed += 1
            continue
        batch.append(record)
        held += len(record.payload) if isinstance(record, RawRecord) else 0
        if len(batch) >= size or held >= MAX_BATCH_BYTES:
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


def _local(batches: Iterator[list[RawRecord | BadRecord]], profile: str) -> Iterator[list[Analysed | BadRecord]]:
    for batch in batches:
        yield analyse_batch(batch, profile)


def _dask(batches: Iterator[list[RawRecord | BadRecord]], profile: str, client: Any,
          in_flight: int) -> Iterator[list[Analysed | BadRecord]]:
    """Batches analysed on the cluster, yielded in submission order, at most ``in_flight`` ahead."""
    pending: deque[Any] = deque()
    for batch in batches:
        pending.append(client.submit(analyse_batch, batch, profile, pure=False))
        if len(pending) >= in_flight:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


class DaskCluster:
    """A Dask client on ``scheduler`` (an address) or on a LocalCluster of ``workers`` processes."""

    def __init__(self, scheduler: str | None, workers: int) -> None:
        import dask
        from dask.distributed import Client, LocalCluster

        self.cluster = None
        # Until close(): the nannies hand it to the workers they start. On Linux they fork this
        # process, which has imported the package already: a spawned worker spent ~3 CPU-s
        # importing it again (1,000 items: workers 16.4 → 11.6 CPU-s). Forked before the store
        # is opened, so no SQLite handle is shared.
        method = {"distributed.worker.multiprocessing-method": "fork"} if sys.platform == "linux" else {}
        self._config = dask.config.set({**settings()["dask"], **method})
        try:
            if scheduler:
                self.client = Client(scheduler, timeout=SCHEDULER_TIMEOUT)
            else:
                self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                            dashboard_address=None, silence_logs=50)
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as exc:
            self._config.__exit__(None, None, None)
            raise InputError(f"cannot reach the Dask scheduler {scheduler or '(local)'}: {exc}") from None
        self.workers = len(self.client.scheduler_info().get("workers", {})) or workers

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        self._config.__exit__(None, None, None)


def ingest(paths: Iterable[str | Path], db: str | Path, *, columns: ColumnMap | None = None,
           profile: str = DEFAULT_PROFILE, engine: str = "local", workers: int = 2,
           scheduler: str | None = None, batch_size: int | None = None,
           on_item: Callable[[int], None] | None = None,
           on_bad: Callable[[BadRecord], None] | None = None,
           on_wait: Callable[[str], None] | None = None) -> IngestSummary:
    """Ingest every record of ``paths`` into the store at ``db``; see the module docstring.

    ``on_item(n)`` is told after each stored batch how many records it settled (progress);
    ``on_bad`` hears about each bad record as it is skipped; ``on_wait`` hears that another
    process is writing the store, which this run waits for.
    """
    check_profile(profile)  # a wrong profile fails before anything is read
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    cfg = settings()["ingest"]
    size = batch_size or cfg["batch_size"]
    engine = "dask" if scheduler else engine
    summary = IngestSummary(str(db), profile, engine, workers if engine == "dask" else 1)
    started = time.perf_counter()
    cluster = DaskCluster(scheduler, workers) if engine == "dask" else None
    try:
        with Store(db, on_wait=on_wait) as store:
            store.steps  # resume the indexes before the first item, not inside its transaction
            batches = _batches(read_corpus(paths, columns), store, size, summary)
            if cluster is not None:
                summary.workers = cluster.workers
                results = _dask(batches, profile, cluster.client, cfg["max_in_flight"] * cluster.workers)
            else:
                results = _local(batches, profile)
            for analysed in results:
                _write(store, analysed, profile, summary, on_bad)
                if on_item is not None:
                    on_item(len(analysed))
    finally:
        if cluster is not None:
            cluster.close()
        summary.seconds = time.perf_counter() - started
        summary.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return summary


def _write(store: Store, results: list[Analysed | BadRecord], profile: str, summary: IngestSummary,
           on_bad: Callable[[BadRecord], None] | None) -> None:
    with store.transaction():
        for result in results:
            if isinstance(result, BadRecord):
                summary.bad += 1
                if len(summary.bad_records) < MAX_REPORTED_BAD:
                    summary.bad_records.append({"source": result.source, "locator": result.locator,
                                                "reason": result.reason})
                if on_bad is not None:
                    on_bad(result)
                continue
            _, new = store.put_rows(result.rows, source=result.where, profile=profile,
                                    record_hash=result.record_hash)
            if new:
                summary.stored += 1
            else:
                summary.duplicates += 1


def estimate_records(paths: Iterable[str | Path]) -> int | None:
    """A quick count of the records to read, for the progress bar's ETA (None if unknown)."""
    from ..ingest.corpus_readers import TABLE_SUFFIXES, WARC_SUFFIXES, _walk, is_corpus_file

    total = 0
    for raw in paths:
        path = Path(raw)
        files = list(_walk(path)) if path.is_dir() else [path] if path.is_file() else []
        for file in files:
            name = file.name.lower()
            if name.endswith(WARC_SUFFIXES) or name.endswith((".gz", ".zip")) or not is_corpus_file(name):
                return None
            if name.endswith(TABLE_SUFFIXES):
                with file.open("rb") as handle:
                    lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
                total += lines if name.endswith((".jsonl", ".ndjson")) else max(0, lines - 1)
            else:
                total += 1
    return total
