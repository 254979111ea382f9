"""Republication: verbatim and rewritten copies, direction by date, chains with honest notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsforensics.corpus.analysis import analyse_batch
from newsforensics.corpus.republication import shared_share, shingles, signature
from newsforensics.corpus.store import Store
from newsforensics.ingest.corpus_readers import RawRecord

from .conftest import ARTICLES


def _store_items(path: Path, items: list[tuple[str, str, str | None]]) -> Store:
    """Store fixture articles as (article key, outlet, published); text may be edited by key suffix."""
    store = Store(path)
    records = []
    for key, outlet, published in items:
        article = ARTICLES[key.split("+")[0]]
        text = article["text"] + (" Subscribe to our newsletter for more. Share this article."
                                  if key.endswith("+boilerplate") else "")
        hints = {"title": article["title"], "outlet": outlet, **({"published": published} if published else {})}
        records.append(RawRecord("fixture", key, text, "text", hints))
    for result in analyse_batch(records, "minimal"):
        store.put_rows(result.rows, record_hash=result.record_hash)
    return store


def test_shingles_ignore_case_and_punctuation() -> None:
    assert shingles("One, two three four five six!", 5) == shingles("one two three four five six", 5)
    assert len(shingles("one two three four five six", 5)) == 2
    assert signature("too short to compare") is None


def test_shared_share_of_the_shorter_text() -> None:
    assert shared_share(100, 100, 1.0) == 1.0
    assert shared_share(100, 300, 100 / 300) == pytest.approx(1.0)  # contained in a longer text
    assert shared_share(100, 100, 0.0) == 0.0


def test_verbatim_and_rewritten_copies_are_directed_by_date(tmp_path: Path) -> None:
    with _store_items(tmp_path / "c.db", [
        ("idlib", "southfront.org", "2019-03-05"),
        ("idlib+boilerplate", "copycat.net", "2019-03-06"),
        ("idlib_rewrite", "rewriter.org", "2019-03-07"),
        ("valencia", "elpais.com", "2019-03-11"),
    ]) as store:
        pairs = {(p["original_id"], p["copy_id"]): p for p in store.copies()}
        assert set(pairs) == {(1, 2), (1, 3), (2, 3)}
        assert pairs[(1, 2)]["kind"] == "verbatim" and pairs[(1, 2)]["share"] >= 0.9
        assert pairs[(1, 3)]["kind"] == "rewritten" and 0.35 <= pairs[(1, 3)]["share"] < 0.85
        assert all(p["direction"] == "dated" for p in pairs.values())
        assert pairs[(1, 2)]["original_outlet"] == "southfront.org" and pairs[(1, 2)]["copy_outlet"] == "copycat.net"
        [chain] = store.chains()
        assert [i["item_id"] for i in chain.items] == [1, 2, 3] and chain.first_publisher == 1
        assert chain.items[2]["copied_from"] == [1, 2] and chain.note is None
        assert store.copies(kind="verbatim", outlet="copycat.net")[0]["copy_id"] == 2


def test_ties_and_missing_dates_are_said_not_guessed(tmp_path: Path) -> None:
    with _store_items(tmp_path / "c.db", [
        ("idlib", "a.org", "2019-03-05"),
        ("idlib", "b.org", "2019-03-05"),
        ("idlib", "c.org", None),
    ]) as store:
        directions = {(p["original_id"], p["copy_id"]): p["direction"] for p in store.copies()}
        assert directions[(1, 2)] == "same-day" and directions[(1, 3)] == "undated"
        [chain] = store.chains()
        assert chain.first_publisher is None
        assert "#1, #2 were all published 2019-03-05" in chain.note
        assert "1 item without a date" in chain.note


def test_index_resumes_from_its_table(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    _store_items(path, [("idlib", "a.org", "2019-03-05")]).close()
    with Store(path) as store:  # a fresh process: the LSH bands are on disk
        [result] = analyse_batch([RawRecord("f", "", ARTICLES["idlib"]["text"], "text",
                                            {"outlet": "b.org", "published": "2019-03-06"})], "minimal")
        store.put_rows(result.rows)
        assert [(p["original_id"], p["copy_id"]) for p in store.copies()] == [(1, 2)]
        assert store.conn.execute("SELECT count(*) FROM copy_bands").fetchone()[0] == 2 * 28  # 28 bands an item


def test_an_index_without_bands_is_banded_on_open(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    with _store_items(path, [("idlib", "a.org", "2019-03-05")]) as store:
        store.conn.execute("DELETE FROM copy_bands")  # as a version-1 index (LSH in memory) left it
    with Store(path) as store:  # the steps load (and band item 1) before the first write
        [result] = analyse_batch([RawRecord("f", "", ARTICLES["idlib"]["text"], "text",
                                            {"outlet": "b.org", "published": "2019-03-06"})], "minimal")
        store.put_rows(result.rows)
        assert [(p["original_id"], p["copy_id"]) for p in store.copies()] == [(1, 2)]
        assert store.conn.execute("SELECT count(*) FROM copy_bands").fetchone()[0] == 2 * 28  # 28 bands an item
