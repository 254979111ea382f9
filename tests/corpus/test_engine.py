"""Ingest: idempotent and resumable runs, bad records counted, the same run on Dask."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from newsforensics.corpus.engine import estimate_records, ingest
from newsforensics.corpus.store import Store
from newsforensics.errors import InputError

from .conftest import ARTICLES, record, write_jsonl


def _feed(path: Path) -> Path:
    return write_jsonl(path, [
        record("idlib", outlet="southfront.org", published="2019-03-05", url="https://southfront.org/a"),
        record("idlib", url="https://www.copycat.net/b", published="2019-03-06"),
        record("idlib_ru", outlet="ria.ru", published="2019-03-05"),
        record("valencia", outlet="elpais.com", published="11/03/2019"),
        record("election", outlet="kyivpost.com", published="2019-03-31"),
        record("election", outlet="kyivpost.com", published="2019-03-31", id="again"),
    ], extra_lines=("{broken", '{"text": "   "}'))


def test_ingest_counts_dedups_and_resumes(tmp_path: Path) -> None:
    feed, db = _feed(tmp_path / "feed.jsonl"), tmp_path / "c.db"
    first = ingest([feed], db, profile="minimal", batch_size=3)
    assert (first.read, first.stored, first.duplicates, first.bad) == (8, 5, 1, 2)
    assert {b["locator"] for b in first.bad_records} == {"line 7", "line 8"}
    again = ingest([feed], db, profile="minimal")
    assert (again.stored, again.duplicates, again.resumed, again.bad) == (0, 0, 6, 2)
    with Store(db, read_only=True) as store:
        assert store.count() == 5
        outlets = {i["outlet"] for i in store.items()}
        assert "copycat.net" in outlets  # from the URL when the record names no outlet
        valencia = next(i for i in store.items(outlet="elpais.com"))
        assert valencia["published"] is None
        assert store.item(valencia["item_id"])["warnings"][0]["code"] == "published-unreadable"
    assert "5 new items" in first.line() and first.to_dict()["bad"] == 2


def test_ingest_is_the_profile_pipeline_and_the_writer_indexes_its_results(tmp_path: Path) -> None:
    feed, db = _feed(tmp_path / "feed.jsonl"), tmp_path / "c.db"
    ingest([feed], db, profile="minimal")
    with Store(db, read_only=True) as store:
        dossier = store.item(1)
        assert [(s["name"], s["status"]) for s in dossier["stages"]] == [
            ("language", "ok"), ("corpus-cues", "ok"), ("minhash", "ok")]
        assert {s["stage"] for s in dossier["places"]} == {"corpus-cues"}
        signed = store.conn.execute("SELECT count(*) FROM copy_signatures").fetchone()[0]
        assert signed == store.count()  # every signature the minhash stage kept reached the index


def test_unknown_profile_and_engine_fail_before_reading(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="profile"):
        ingest([tmp_path], tmp_path / "c.db", profile="huge")
    with pytest.raises(InputError, match="engine"):
        ingest([tmp_path], tmp_path / "c.db", engine="spark")
    assert not (tmp_path / "c.db").exists()


def test_estimate_records(tmp_path: Path) -> None:
    assert estimate_records([_feed(tmp_path / "feed.jsonl")]) == 8
    (tmp_path / "a.txt").write_text(ARTICLES["idlib"]["text"], encoding="utf-8")
    assert estimate_records([tmp_path / "a.txt"]) == 1


def test_dask_local_cluster_gives_the_same_store(tmp_path: Path) -> None:
    """On a LocalCluster reached by its scheduler address (--scheduler); thread workers keep the
    test fast, the process workers of --engine dask run the same tasks."""
    from dask.distributed import LocalCluster

    feed = _feed(tmp_path / "feed.jsonl")
    local = ingest([feed], tmp_path / "local.db", profile="minimal", batch_size=2)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        dask = ingest([feed], tmp_path / "dask.db", profile="minimal", scheduler=cluster.scheduler_address,
                      batch_size=2)
    assert dask.engine == "dask" and dask.workers == 2
    assert (dask.stored, dask.duplicates, dask.bad) == (local.stored, local.duplicates, local.bad)
    with Store(tmp_path / "local.db", read_only=True) as a, Store(tmp_path / "dask.db", read_only=True) as b:
        query = "SELECT content_hash, outlet, published FROM items ORDER BY item_id"
        assert a.conn.execute(query).fetchall() == b.conn.execute(query).fetchall()
        pairs = "SELECT original_id, copy_id, kind FROM copy_pairs ORDER BY 1, 2"
        assert a.conn.execute(pairs).fetchall() == b.conn.execute(pairs).fetchall()


def test_unreachable_scheduler_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsforensics.corpus import engine

    monkeypatch.setattr(engine, "SCHEDULER_TIMEOUT", "1s")
    with pytest.raises(InputError, match="cannot reach the Dask scheduler"):
        ingest([_feed(tmp_path / "feed.jsonl")], tmp_path / "c.db", scheduler="tcp://127.0.0.1:9")
    assert not (tmp_path / "c.db").exists()


def test_full_profile_stores_the_single_article_dossier(tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    feed = write_jsonl(tmp_path / "feed.jsonl", [record("idlib", outlet="southfront.org", published="2019-03-05")])
    summary = ingest([feed], tmp_path / "c.db", profile="full")
    assert summary.stored == 1
    with Store(tmp_path / "c.db", read_only=True) as store:
        dossier = store.item(1)
        assert dossier is not None
        assert {"entities", "quotes", "claims", "places", "numbers"} <= set(dossier["layers"])
        assert "names" not in dossier["layers"]  # the pipeline's entities stand in for the name cues
        assert store.conn.execute("SELECT profile FROM items").fetchone()[0] == "full"


def test_only_rows_travel_back_to_the_writer(tmp_path: Path) -> None:
    """What a worker returns holds the store's rows and each index step's prepared part, never a
    Document (its layers, spans and parse stay on the worker)."""
    import pickle

    from newsforensics.corpus.analysis import analyse_batch
    from newsforensics.corpus.steps import load_steps
    from newsforensics.ingest.corpus_readers import read_corpus

    results = analyse_batch(list(read_corpus([_feed(tmp_path / "feed.jsonl")])), "minimal")
    blob = pickle.dumps(results)
    assert b"newsforensics.document" not in blob
    rows = results[0].rows
    assert set(rows.prepared) == {s.name for s in load_steps()}
    assert rows.spans and rows.stages and zlib.decompress(rows.dossier).startswith(b"{")


def test_dask_engine_with_worker_processes_gives_the_same_store(tmp_path: Path) -> None:
    """``--engine dask``: a LocalCluster of two worker processes (forked on Linux), rows pickled
    back to the writer."""
    feed = _feed(tmp_path / "feed.jsonl")
    local = ingest([feed], tmp_path / "local.db", profile="minimal", batch_size=2)
    dask = ingest([feed], tmp_path / "dask.db", profile="minimal", engine="dask", workers=2, batch_size=2)
    assert dask.engine == "dask" and dask.workers == 2 and dask.stored == local.stored
    with Store(tmp_path / "local.db", read_only=True) as a, Store(tmp_path / "dask.db", read_only=True) as b:
        for query in ("SELECT content_hash, outlet, published, title FROM items ORDER BY item_id",
                      "SELECT item_id, layer, span_id, label, attrs_json FROM spans ORDER BY 1, 2, 3",
                      "SELECT original_id, copy_id, kind FROM copy_pairs ORDER BY 1, 2",
                      "SELECT item_id, story_id FROM story_items ORDER BY 1"):
            assert a.conn.execute(query).fetchall() == b.conn.execute(query).fetchall(), query


def test_the_default_ingest_profile_stores_the_whole_dossier() -> None:
    """A default corpus has entities, quotes, claims, techniques and narratives, so its statistics
    by technique or narrative are not empty (full costs 1.25× analyze: docs/corpus.md)."""
    from newsforensics.corpus.analysis import DEFAULT_PROFILE
    from newsforensics.pipeline import profile

    assert set(profile("article")) <= set(profile(DEFAULT_PROFILE))
    assert {"corpus-cues", "minhash", "story-embedding"} <= set(profile(DEFAULT_PROFILE))
