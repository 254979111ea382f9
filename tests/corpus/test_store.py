"""The store: schema, idempotent add, spans as rows, search with filters, read-only access."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newsforensics.corpus.queries import MARK_END, MARK_START, StoreError, split_marked
from newsforensics.corpus.rows import content_hash
from newsforensics.corpus.store import SCHEMA_VERSION, Store

from .conftest import make_doc

CHEMICAL = ("Chemical provocation planned in Idlib",
            "Militants are preparing a chemical provocation near Saraqib, sources say. "
            "The so-called White Helmets arrived with cameras.")
FLOOD = ("Floods close roads in Valencia", "Heavy rain closed twelve roads around Valencia on Monday.")


def _fill(store: Store) -> dict[str, int]:
    ids = {
        "sf": store.add(make_doc(CHEMICAL[1], title=CHEMICAL[0], outlet="southfront.org",
                                 published="2019-03-05",
                                 techniques=(("so-called White Helmets", "Name_Calling,Labeling"),))),
        "copy": store.add(make_doc(CHEMICAL[1], title=CHEMICAL[0], outlet="copycat.net",
                                   published="2019-02-01")),
        "flood": store.add(make_doc(FLOOD[1], title=FLOOD[0], outlet="elpais.com", published="2019-04-01",
                                    language="es")),
    }
    return ids


def test_creates_schema_in_wal_mode(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.count() == 0
    with Store(tmp_path / "c.db") as again:  # reopening migrates nothing and keeps the file
        assert again.count() == 0


def test_add_is_idempotent_by_content_and_outlet(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db", steps=[]) as store:
        ids = _fill(store)
        assert store.add(make_doc(CHEMICAL[1] + "  ", title=CHEMICAL[0], outlet="SouthFront.org",
                                  published="2019-03-05")) == ids["sf"]
        assert store.count() == 3  # the copy on another outlet is its own item
        assert len(set(ids.values())) == 3


def test_content_hash_ignores_spacing_and_case_not_outlet() -> None:
    a = make_doc("One  text.\nHere", outlet="a.org")
    assert content_hash(a) == content_hash(make_doc("one text. here", outlet="A.org"))
    assert content_hash(a) != content_hash(make_doc("one text. here", outlet="b.org"))


def test_item_returns_the_dossier_and_spans_are_rows(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db", steps=[]) as store:
        ids = _fill(store)
        item = store.item(ids["sf"])
        assert item is not None and item["item_id"] == ids["sf"]
        assert item["outlet"] == "southfront.org" and item["title"] == CHEMICAL[0]
        assert item["techniques"][0]["label"] == "Name_Calling,Labeling"
        assert store.item(999) is None
        row = store.conn.execute("SELECT layer, label, text FROM spans WHERE item_id = ?",
                                 (ids["sf"],)).fetchone()
        assert tuple(row) == ("techniques", "Name_Calling,Labeling", "so-called White Helmets")
        doc = store.document(ids["sf"])
        assert doc is not None and doc.get("techniques")[0].text == "so-called White Helmets"


def test_search_ranks_highlights_and_filters(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db", steps=[]) as store:
        ids = _fill(store)
        page = store.search("chemical provocation")
        assert page.total == 2 and {h.item_id for h in page.hits} == {ids["sf"], ids["copy"]}
        assert f"{MARK_START}provocation{MARK_END}" in page.hits[0].snippet.lower()
        assert ("provocation", True) in [(t.lower(), m) for t, m in split_marked(page.hits[0].snippet)]
        only = store.search("chemical provocation", outlet="southfront.org", since="2019-03-01")
        assert [h.item_id for h in only.hits] == [ids["sf"]]
        assert store.search("chemical", until="2019-02-28").hits[0].item_id == ids["copy"]
        assert store.search("chemical", technique="Name_Calling,Labeling").total == 1
        assert store.search("chemical", language="es").total == 0
        assert store.search("carreteras OR roads").hits[0].item_id == ids["flood"]


def test_search_without_query_lists_newest_first_and_pages(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db", steps=[]) as store:
        ids = _fill(store)
        page = store.search(None, limit=2)
        assert page.total == 3 and [h.item_id for h in page.hits] == [ids["flood"], ids["sf"]]
        assert [h.item_id for h in store.search("", limit=2, offset=2).hits] == [ids["copy"]]
        assert page.to_dict()["hits"][0]["outlet"] == "elpais.com"


@pytest.mark.parametrize("query", ['"unbalanced', "AND", "chemical NEAR(", "*", "col:umn"])
def test_search_survives_bad_query_syntax(tmp_path: Path, query: str) -> None:
    with Store(tmp_path / "c.db", steps=[]) as store:
        _fill(store)
        page = store.search(query)
        assert page.total >= 0 and all(h.item_id for h in page.hits)


def test_bad_filter_and_bad_file_are_clear_errors(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db", steps=[]) as store, pytest.raises(StoreError, match="ISO date"):
        store.search("x", since="March")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a newsforensics corpus"):
        Store(junk)
    with pytest.raises(StoreError, match="does not exist"):
        Store.connect(tmp_path / "missing.db")
    with pytest.raises(StoreError, match="is a folder"):
        Store(tmp_path)


def test_read_only_connection_sees_committed_items(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    with Store(path, steps=[]) as store:
        _fill(store)
        reader = Store.connect(path)
        assert reader.execute("SELECT count(*) FROM items").fetchone()[0] == 3
        with pytest.raises(sqlite3.OperationalError):
            reader.execute("DELETE FROM items")
        reader.close()
    with Store(path, read_only=True) as ro:
        assert [i["outlet"] for i in ro.items(limit=2)] == ["southfront.org", "copycat.net"]
        assert [i["item_id"] for i in ro.items(after_id=2)] == [3]
        assert ro.outlets()[0][1] == 1
        with pytest.raises(StoreError, match="read-only"):
            ro.add(make_doc("x"))


def test_a_failing_index_step_rolls_the_item_back(tmp_path: Path) -> None:
    class Broken:
        name, version = "broken", "1"

        def load(self, conn: sqlite3.Connection) -> None: ...

        def add(self, conn: sqlite3.Connection, item: object) -> None:
            raise RuntimeError("index failed")

    with Store(tmp_path / "c.db", steps=[Broken()]) as store:
        with pytest.raises(RuntimeError):
            store.add(make_doc("text that will not land"))
        assert store.count() == 0
        assert store.conn.execute("SELECT count(*) FROM items_fts").fetchone()[0] == 0


def test_a_store_of_schema_2_is_migrated_with_its_dossiers_moved_out(tmp_path: Path) -> None:
    import json
    import zlib

    from newsforensics.corpus.schema import migrations

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    for version, script in enumerate(migrations("store")[:2]):
        conn.executescript(f"BEGIN; {script}; PRAGMA user_version = {version + 1}; COMMIT;")
    blob = zlib.compress(json.dumps({"text": "Old item.", "title": "Old"}).encode())
    conn.execute("INSERT INTO items (content_hash, title, chars, ingested_at, dossier) VALUES ('h', 'Old', 9, 'now', ?)",
                 (blob,))
    conn.close()
    with Store(db) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.item(1) == {"item_id": 1, "text": "Old item.", "title": "Old"}
        assert store.conn.execute("SELECT length(dossier) FROM items").fetchone()[0] == 0
