"""Every table of the corpus database, owned by the store: one migration list per owner.

The store's own tables (items, spans, search, stage runs) and each index step's (copies,
stories, sources, claims) and the imported fact-checks' are declared here, one module per owner,
each with ``MIGRATIONS``: forward-only SQL scripts, migration *i* taking the owner from version
*i* to *i + 1*. The store applies them — its own when the file is opened for writing, a step's
when the step is first used, so a store built without an index has none of its tables — and
records each owner's version in the database: the store's in ``PRAGMA user_version`` (which
earlier versions read, so an older newsforensics refuses a newer file), the others in
``schema_versions``. An owner's first migration creates its tables ``IF NOT EXISTS``: a file
written before versions were recorded upgrades in place, its tables kept. A step's *algorithm*
version is apart, in ``step_versions`` (which rows a changed step must rebuild).
"""

from __future__ import annotations

import importlib
import sqlite3
from functools import lru_cache

from ..queries import StoreError

STORE = "store"
# Every owner, in the order its tables may depend on the others (items first).
OWNERS: tuple[str, ...] = (STORE, "copies", "stories", "sources", "claims", "factchecks")

_VERSIONS_TABLE = """
CREATE TABLE IF NOT EXISTS schema_versions (
    owner   TEXT PRIMARY KEY,
    version INTEGER NOT NULL
) WITHOUT ROWID;
"""


@lru_cache(maxsize=None)
def migrations(owner: str) -> tuple[str, ...]:
    """The migration list of ``owner`` (its module in this package)."""
    if owner not in OWNERS:
        raise LookupError(f"no tables are declared for {owner!r}; owners: {', '.join(OWNERS)}")
    return tuple(importlib.import_module(f"{__name__}.{owner}").MIGRATIONS)


def version(conn: sqlite3.Connection, owner: str) -> int:
    """The owner's schema version in this file (0: none of its tables were created yet)."""
    if owner == STORE:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'schema_versions'").fetchone()
    row = conn.execute("SELECT version FROM schema_versions WHERE owner = ?", (owner,)).fetchone() \
        if exists else None
    return int(row[0]) if row else 0


def versions(conn: sqlite3.Connection) -> dict[str, int]:
    """Every owner's schema version in this file."""
    return {owner: version(conn, owner) for owner in OWNERS}


def check_not_newer(conn: sqlite3.Connection, owner: str, path: object) -> None:
    found, known = version(conn, owner), len(migrations(owner))
    if found > known:
        raise StoreError(f"{path} was written by a newer newsforensics ({owner} schema {found}, "
                         f"this one reads up to {known}); upgrade newsforensics")


def _record(owner: str, to: int) -> str:
    if owner == STORE:
        return f"PRAGMA user_version = {to};"
    return f"{_VERSIONS_TABLE} INSERT OR REPLACE INTO schema_versions VALUES ('{owner}', {to});"


def migrate(conn: sqlite3.Connection, owner: str, path: object = "the database") -> None:
    """Bring ``owner``'s tables to its latest version, one migration per transaction. Two
    processes migrating a fresh file at once is safe: the loser's script fails, rolls back and
    finds the work done."""
    check_not_newer(conn, owner, path)
    steps = migrations(owner)
    while (current := version(conn, owner)) < len(steps):
        try:
            conn.executescript(f"BEGIN IMMEDIATE; {steps[current]}; {_record(owner, current + 1)} COMMIT;")
        except sqlite3.OperationalError:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if version(conn, owner) == current:
                raise
