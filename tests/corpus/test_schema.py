"""The store owns every table: per-owner migrations, versions recorded in the file, and an old
database upgraded in place.

``fixtures/corpus/store-schema3.db.gz`` was written by the previous schema (main at 5aef4e1,
before corpus/schema existed): ``newsforensics ingest`` of the 7 fixture articles with profile
minimal, then ``newsforensics factchecks import tests/factchecks/fixtures/claimreviews.csv``
into the same file. Its step tables carry no recorded version.
"""

from __future__ import annotations

import gzip
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from newsforensics.corpus import schema
from newsforensics.corpus.queries import StoreError
from newsforensics.corpus.store import SCHEMA_VERSION, Store
from newsforensics.corpus.steps import load_steps

from .conftest import make_doc

OLD = Path(__file__).resolve().parents[1] / "fixtures" / "corpus" / "store-schema3.db.gz"
SRC = Path(__file__).resolve().parents[2] / "src" / "newsforensics"
_CREATE = re.compile(r"CREATE\s+(?:VIRTUAL\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)", re.I)


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    path = tmp_path / "old.db"
    with gzip.open(OLD) as src, path.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return path


def _count(conn: sqlite3.Connection, table: str) -> int:
    return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - test tables


def test_a_database_of_the_previous_schema_upgrades_in_place(old_db: Path) -> None:
    before = sqlite3.connect(old_db)
    assert before.execute("PRAGMA user_version").fetchone()[0] == 3
    assert before.execute("SELECT 1 FROM sqlite_master WHERE name = 'schema_versions'").fetchone() is None
    counts = {t: _count(before, t) for t in ("items", "copy_pairs", "story_items", "item_sources", "factchecks")}
    before.close()
    with Store(old_db) as store:
        assert schema.versions(store.conn)["copies"] == 0  # not yet used in this process
        store.steps  # noqa: B018 - using the steps migrates their tables
        store.ensure_tables("factchecks")
        assert schema.versions(store.conn) == {"store": SCHEMA_VERSION, "copies": 1, "stories": 2,
                                               "sources": 1, "claims": 1, "factchecks": 1}
        assert {t: _count(store.conn, t) for t in counts} == counts  # nothing lost
        assert len(store.copies()) == counts["copy_pairs"] and store.item(1)["text"]
        copy = make_doc(store.item(1)["text"], outlet="late-copier.example", published="2019-04-01")
        store.add(copy)  # the upgraded indexes take new items
        assert len(store.copies()) > counts["copy_pairs"]
    with Store(old_db, read_only=True) as again:  # the recorded versions stay: nothing reruns
        assert schema.versions(again.conn)["stories"] == 2


def test_a_pending_migration_runs_once_and_is_recorded(old_db: Path, monkeypatch) -> None:
    shipped = schema.migrations
    later = (*shipped("stories"), "ALTER TABLE stories ADD COLUMN label TEXT;")
    monkeypatch.setattr(schema, "migrations", lambda owner: later if owner == "stories" else shipped(owner))
    for _ in range(2):  # the second open finds version 3 and does not add the column again
        with Store(old_db) as store:
            store.steps  # noqa: B018
            assert schema.version(store.conn, "stories") == 3
    columns = [r[1] for r in sqlite3.connect(old_db).execute("PRAGMA table_info(stories)")]
    assert columns.count("label") == 1


def test_a_file_from_a_newer_version_is_refused(old_db: Path) -> None:
    with Store(old_db) as store:
        store.ensure_tables("copies")
        store.conn.execute("UPDATE schema_versions SET version = 9 WHERE owner = 'copies'")
    with Store(old_db) as store, pytest.raises(StoreError, match="newer newsforensics"):
        store.ensure_tables("copies")


def test_every_table_of_a_full_store_is_declared_by_an_owner(tmp_path: Path) -> None:
    declared = {name for owner in schema.OWNERS for script in schema.migrations(owner)
                for name in _CREATE.findall(script)}
    assert {s.name for s in load_steps()} <= set(schema.OWNERS)
    with Store(tmp_path / "c.db") as store:
        store.steps  # noqa: B018
        store.ensure_tables("factchecks")
        tables = {r[0] for r in store.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'items_fts_%'")}
    assert tables - {"schema_versions"} == declared


def test_no_module_outside_the_schema_package_creates_a_corpus_table() -> None:
    outside = [p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py")
               if "corpus/schema" not in p.as_posix() and _CREATE.search(p.read_text("utf-8"))]
    assert outside == ["models/vector_cache.py"]  # the embedding cache's own file, not the corpus
