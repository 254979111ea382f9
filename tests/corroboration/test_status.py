import pytest

from newsforensics.corpus.store import Store
from newsforensics.corroboration.status import item_statuses, query, speaker_key


@pytest.fixture(scope="module")
def groups(corpus_db):
    with Store(corpus_db, read_only=True) as store:
        return query(store.conn)


def _group(groups, words):
    return next(g for g in groups if any(words in r["text"] for r in g.reports))


def test_the_entry_claim_is_corroborated_independently_and_denied(groups):
    g = _group(groups, "entered Idlib province on Monday")
    assert g.status == "denied"
    items = {r["item_id"] for r in g.reports}
    assert items == {1, 2, 3}  # the denial's restatement is not a report
    assert g.to_dict()["independent_sources"] == 2  # the verbatim copy collapses into the original
    copied = next(o for o in g.origins if 1 in o["items"])
    assert copied["items"] == [1, 2] and copied["copies"] == [2]
    denier = {d["denier"]: d for d in g.denials}["Belgian defence ministry"]
    assert denier["published"] == "2024-03-06" and denier["days_after_first_report"] == 2
    assert denier["outlet"] == "brussels-times.example"
    # the same denial in French is linked to the English claim across languages
    french = [d for d in g.denials if d["outlet"] == "le-soir.example"]
    assert french and all(d["cue"].startswith("dément") for d in french)


def test_an_uncontested_claim_reported_once_is_single_source(groups):
    g = _group(groups, "walked out on Tuesday")
    assert g.status == "single-source" and g.to_dict()["independent_sources"] == 1
    assert g.denials == []


def test_different_numbers_are_different_claims(groups):
    strike = _group(groups, "40 container ships")
    assert {r["item_id"] for r in strike.reports} == {5}


def test_filters_and_item_statuses(corpus_db, groups):
    with Store(corpus_db, read_only=True) as store:
        assert all(g.status == "single-source" for g in query(store.conn, status="single-source"))
        assert {g.group_id for g in query(store.conn, outlet="port-news.example")} == {
            g.group_id for g in groups if any(r["outlet"] == "port-news.example" for r in g.reports)}
        statuses = item_statuses(store.conn, 3)
        assert statuses and all(s["reports"] for s in statuses.values())
        with pytest.raises(ValueError):
            query(store.conn, status="maybe")


def test_vague_speakers_do_not_identify_one_source():
    assert speaker_key("local sources") is None and speaker_key(None) is None
    assert speaker_key("The Belgian  defence ministry") == "belgian defence ministry"


def test_large_corpora_compare_claims_within_story_blocks(tmp_path, monkeypatch):
    import sqlite3

    from newsforensics.corroboration import status

    conn = sqlite3.connect(tmp_path / "blocks.db")
    conn.execute("CREATE TABLE story_items (item_id INTEGER PRIMARY KEY, story_id INTEGER)")
    conn.executemany("INSERT INTO story_items VALUES (?, ?)", [(1, 10), (2, 10), (3, 20)])
    rows = [status._Row(i, "c1", "x", None, {}, None, None, None) for i in (1, 2, 3, 4)]
    assert status._blocks(conn, rows) == [[0, 1, 2, 3]]  # small: everything with everything
    monkeypatch.setitem(status.settings()["match"], "block_above", 2)
    monkeypatch.setitem(status.settings()["match"], "chunk", 2)
    blocks = status._blocks(conn, rows)
    assert sorted(map(sorted, blocks)) == [[0, 1], [2, 3]]  # story 10; story 20 + the unassigned


def test_two_outlets_running_one_agency_story_are_one_origin(groups):
    g = _group(groups, "passenger ferry struck a pier")
    assert {r["item_id"] for r in g.reports} == {6, 7}
    assert g.status == "single-source"
    (origin,) = g.origins
    assert origin["agencies"] == ["reuters.com"] and len(origin["outlets"]) == 2
