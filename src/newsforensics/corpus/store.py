"""The corpus store: one SQLite file holding every dossier, its spans as rows, and FTS5 search.

Why SQLite: an analyst's corpus must travel as one file, open without a server, and answer
"which items of outlet X mention Y since March" with plain SQL. Each item keeps its whole
dossier (the JSON of :func:`newsforensics.serialize.to_dict`, zlib-compressed) so nothing the
pipeline found is lost, and every span of every layer is also a row of ``spans`` so filters and
statistics never have to unpack JSON. Full-text search is an FTS5 table over title and text.

The store owns every table of the file: each owner's (the store's, each index step's, the
fact-checks') migrations are declared in :mod:`newsforensics.corpus.schema` and applied here —
the store's own on open, a step's when the step is first used — with each owner's version
recorded in the file, so an older file upgrades in place. The read API (:meth:`Store.item`, :meth:`Store.items`,
:meth:`Store.search`, :meth:`Store.count`) is stable and lives apart, in
:mod:`newsforensics.corpus.queries`: see docs/corpus.md.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from ..document import Document
from . import schema, stats
from .queries import Reader, StoreError
from .rows import ItemRows, dossier_blob, item_rows, span_rows, stage_rows
from .steps import CorpusStep, StoredItem, load_steps

BUSY_TIMEOUT_S = 30.0

# The store's own schema version (its migrations are in corpus/schema/store.py).
SCHEMA_VERSION = len(schema.migrations(schema.STORE))


def _writer_lock(path: Path, on_wait: Callable[[str], None] | None) -> FileLock:
    """Hold ``PATH.lock`` while this store is open for writing. The index steps keep their
    state (story ids, LSH) in the writing process, so two writers at once would corrupt the
    story and copy indexes: the second one waits here until the first has closed."""
    lock = FileLock(f"{path}.lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if on_wait is not None:
            on_wait(f"{path} is being written by another process; waiting for it to finish")
        lock.acquire()
    return lock


def _connect(path: str | Path, *, read_only: bool) -> sqlite3.Connection:
    target = Path(path)
    if read_only:
        if not target.is_file():
            raise StoreError(f"{target} does not exist: ingest something first "
                             f"(newsforensics ingest … --db {target})")
        conn = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True,
                               timeout=BUSY_TIMEOUT_S, check_same_thread=False)
    else:
        if target.is_dir():
            raise StoreError(f"{target} is a folder: give the database a file name (e.g. {target / 'corpus.db'})")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                   check_same_thread=False)
        except (OSError, sqlite3.OperationalError) as exc:
            raise StoreError(f"cannot open or create {target} ({exc})") from None
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA user_version").fetchone()  # reads the header: fails on a non-SQLite file
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{target} is not a newsforensics corpus database ({exc})") from None
    try:
        schema.check_not_newer(conn, schema.STORE, target)
    except StoreError:
        conn.close()
        raise
    return conn


class Store(Reader):
    """A corpus database: open (creating or migrating it), add documents, read and search.

    Use as a context manager. One process writes at a time (it holds ``PATH.lock``; another
    writer waits, telling ``on_wait``); readers in other threads or processes use
    :meth:`Store.connect` or a second ``Store(path, read_only=True)``.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False,
                 steps: Sequence[CorpusStep] | None = None,
                 on_wait: Callable[[str], None] | None = None) -> None:
        self.path = Path(path)
        self.read_only = read_only
        super().__init__(_connect(self.path, read_only=read_only))
        self._lock = None
        if not read_only:
            self._lock = _writer_lock(self.path, on_wait)
            schema.migrate(self.conn, schema.STORE, self.path)
        elif schema.version(self.conn, schema.STORE) < SCHEMA_VERSION:
            raise StoreError(f"{self.path} has an older schema; open it once for writing to migrate it")
        self._steps: list[CorpusStep] | None = list(steps) if steps is not None else None
        self._in_transaction = False

    @staticmethod
    def connect(path: str | Path) -> sqlite3.Connection:
        """A read-only connection (rows as ``sqlite3.Row``) for another thread or process."""
        return _connect(path, read_only=True)

    def close(self) -> None:
        self.conn.close()
        if self._lock is not None:
            self._lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- index steps ------------------------------------------------------------------------

    @property
    def steps(self) -> list[CorpusStep]:
        """The incremental index steps (copies, stories …), loaded and resumed on first write."""
        if self._steps is None:
            self._steps = load_steps()
        if not getattr(self, "_steps_ready", False):
            for step in self._steps:
                if step.name in schema.OWNERS:
                    self.ensure_tables(step.name)
                step.load(self.conn)
                self.conn.execute("INSERT OR REPLACE INTO step_versions VALUES (?, ?)", (step.name, step.version))
            self._steps_ready = True
        return self._steps

    def ensure_tables(self, owner: str) -> None:
        """Create or migrate the tables of ``owner`` (an index step, the fact-checks)."""
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only")
        schema.migrate(self.conn, owner, self.path)

    # --- writing ----------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: everything inside commits together or not at all."""
        if self._in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._in_transaction = True
        try:
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:  # SQLite has rolled back itself on SQLITE_FULL
                self.conn.execute("ROLLBACK")
            self._steps_ready = False  # the steps' memory (story dates, counters) reloads from the tables
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._in_transaction = False

    def add(self, doc: Document, *, source: str | None = None, profile: str | None = None) -> int:
        """Store one analysed document (idempotent by :func:`rows.content_hash`); its item id."""
        return self.put(doc, source=source, profile=profile)[0]

    def put(self, doc: Document, *, source: str | None = None, profile: str | None = None,
            record_hash: str | None = None) -> tuple[int, bool]:
        """Store and index one document; ``(item_id, is_new)``. ``record_hash`` marks the raw
        record as ingested in the same transaction, so a resumed ingest skips it."""
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only")
        return self.put_rows(item_rows(doc, self.steps), source=source, profile=profile,
                             record_hash=record_hash)

    def put_rows(self, rows: ItemRows, *, source: str | None = None, profile: str | None = None,
                 record_hash: str | None = None) -> tuple[int, bool]:
        """:meth:`put` for a document already turned into rows (:func:`rows.item_rows`, where the
        analysis ran, e.g. on a Dask worker): the writer only inserts and runs the index steps."""
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only")
        steps = self.steps
        with self.transaction() as conn:
            row = conn.execute("SELECT item_id FROM items WHERE content_hash = ?", (rows.content_hash,)).fetchone()
            if row is not None:
                item_id, new = int(row[0]), False
            else:
                item_id, new = self._insert(conn, rows, source, profile), True
            if record_hash is not None:
                conn.execute("INSERT OR REPLACE INTO records VALUES (?, ?, ?)",
                             (record_hash, item_id, source))
            if new:
                item = _stored_item(item_id, rows)
                for step in steps:
                    step.add(conn, item)
        return item_id, new

    def seen(self, record_hash: str) -> bool:
        """Whether this raw record was ingested (or reported) by an earlier run."""
        return self.conn.execute("SELECT 1 FROM records WHERE record_hash = ?",
                                 (record_hash,)).fetchone() is not None

    def _insert(self, conn: sqlite3.Connection, rows: ItemRows, source: str | None,
                profile: str | None) -> int:
        cursor = conn.execute(
            "INSERT INTO items (content_hash, url, outlet, language, published, published_source,"
            " title, source, profile, chars, ingested_at, dossier) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (rows.content_hash, rows.url, rows.outlet, rows.language, rows.published,
             rows.published_source, rows.title, source or rows.source, profile, len(rows.text),
             dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), b""),
        )
        item_id = int(cursor.lastrowid)  # type: ignore[arg-type]
        conn.execute("INSERT INTO dossiers VALUES (?, ?)", (item_id, rows.dossier))
        _insert_spans(conn, item_id, rows.spans)
        stats.count_item(conn, item_id, new=True)
        conn.execute("INSERT INTO items_fts (rowid, title, text) VALUES (?, ?, ?)",
                     (item_id, rows.title or "", rows.text))
        _record_stages(conn, item_id, rows.stages)
        return item_id

    def rewrite(self, item_id: int, doc: Document, layers: Sequence[str]) -> None:
        """Store a re-analysed item: its dossier, the spans of ``layers`` and its stage runs (the
        item's text, metadata and index rows are unchanged). Call inside :meth:`transaction`."""
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only")
        conn = self.conn
        conn.execute("UPDATE dossiers SET dossier = ? WHERE item_id = ?", (dossier_blob(doc), item_id))
        marks = ",".join("?" * len(layers))
        stats.count_item(conn, item_id, -1)
        conn.execute(f"DELETE FROM spans WHERE item_id = ? AND layer IN ({marks})", (item_id, *layers))
        _insert_spans(conn, item_id, span_rows(doc, layers))
        stats.count_item(conn, item_id)
        _record_stages(conn, item_id, stage_rows(doc))


def _insert_spans(conn: sqlite3.Connection, item_id: int, rows: list[tuple]) -> None:
    conn.executemany(
        'INSERT INTO spans (item_id, layer, span_id, start, "end", label, score, stage, text,'
        " attrs_json) VALUES (?,?,?,?,?,?,?,?,?,?)", [(item_id, *row) for row in rows])


def _record_stages(conn: sqlite3.Connection, item_id: int, rows: list[tuple]) -> None:
    """The item's stage runs as rows (the last run of each stage counts)."""
    conn.execute("DELETE FROM item_stages WHERE item_id = ?", (item_id,))
    conn.executemany("INSERT INTO item_stages VALUES (?, ?, ?, ?, ?)", [(item_id, *row) for row in rows])


def _stored_item(item_id: int, rows: ItemRows) -> StoredItem:
    return StoredItem(
        item_id=item_id, content_hash=rows.content_hash, url=rows.url, outlet=rows.outlet,
        language=rows.language, published=dt.date.fromisoformat(rows.published) if rows.published else None,
        published_source=rows.published_source, title=rows.title, text=rows.text, prepared=rows.prepared,
    )
