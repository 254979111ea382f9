"""reanalyse --stage: only stale items are recomputed, the stage's spans and runs are replaced,
and a rerun finds nothing left to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsforensics.corpus.engine import ingest
from newsforensics.corpus.reanalyse import reanalyse, stale_items
from newsforensics.corpus.store import Store

from .conftest import record, write_jsonl


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    feed = write_jsonl(tmp_path / "feed.jsonl", [
        record("idlib", outlet="southfront.org", published="2019-03-05"),
        record("election", outlet="kyivpost.com", published="2019-03-31"),
    ])
    ingest([feed], tmp_path / "c.db", profile="minimal")
    return tmp_path / "c.db"


def test_a_stage_the_profile_never_ran_is_added_to_every_item(db: Path) -> None:
    with Store(db) as store:
        assert len(stale_items(store, "segment", "1", None)) == 2
        assert stale_items(store, "minhash", "1", store.document(1).stage_runs[-1].model) == []
    summary = reanalyse(db, "segment")
    assert (summary.stale, summary.recomputed, summary.failed) == (2, 2, 0)
    with Store(db, read_only=True) as store:
        dossier = store.item(1)
        assert dossier["sentences"] and [s["name"] for s in dossier["stages"]][-1] == "segment"
        rows = store.conn.execute("SELECT count(*) FROM spans WHERE layer = 'sentences' AND item_id = 1").fetchone()[0]
        assert rows == len(dossier["sentences"])
        assert store.conn.execute("SELECT count(*) FROM spans WHERE layer = 'places'").fetchone()[0] > 0
    again = reanalyse(db, "segment")
    assert (again.stale, again.recomputed) == (0, 0)  # resumable: nothing is stale any more


def test_a_changed_stage_version_recomputes_its_spans_once(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsforensics.corpus.cues import CuesStage

    with Store(db, read_only=True) as store:
        before = store.conn.execute("SELECT count(*) FROM spans WHERE stage = 'corpus-cues'").fetchone()[0]
    monkeypatch.setattr(CuesStage, "version", "2")
    summary = reanalyse(db, "corpus-cues")
    assert (summary.stale, summary.recomputed) == (2, 2)
    with Store(db, read_only=True) as store:
        after = store.conn.execute("SELECT count(*) FROM spans WHERE stage = 'corpus-cues'").fetchone()[0]
        assert after == before  # replaced, not added twice
        runs = [s for s in store.item(2)["stages"] if s["name"] == "corpus-cues"]
        assert [r["version"] for r in runs] == ["2"]
        assert store.conn.execute("SELECT version FROM item_stages WHERE stage = 'corpus-cues'"
                                  " GROUP BY version").fetchall()[0][0] == "2"


def test_the_store_records_its_index_step_versions(db: Path) -> None:
    with Store(db, read_only=True) as store:
        steps = dict(store.conn.execute("SELECT step, version FROM step_versions").fetchall())
    assert {"copies", "stories"} <= set(steps)
