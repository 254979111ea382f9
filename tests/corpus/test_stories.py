"""Stories: incremental assignment across outlets and languages, roles, places and dates."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from newsforensics.corpus import stories as stories_module
from newsforensics.corpus.analysis import analyse_batch
from newsforensics.corpus.store import Store
from newsforensics.corpus.settings import settings
from newsforensics.corpus.stories import cue_score, embedding_score, is_indirect, match, support
from newsforensics.ingest.corpus_readers import RawRecord

from .conftest import ARTICLES


def _ingest(store: Store, items: list[tuple[str, str, str, str]], profile: str = "minimal") -> list[int]:
    records = [RawRecord("fixture", key, ARTICLES[key]["text"], "text",
                         {"title": ARTICLES[key]["title"], "outlet": outlet, "published": published,
                          "language": language})
               for key, outlet, published, language in items]
    return [store.put_rows(r.rows, record_hash=r.record_hash)[0] for r in analyse_batch(records, profile)]


def _story_of(store: Store, item_id: int) -> int:
    return store.conn.execute("SELECT story_id FROM story_items WHERE item_id = ?", (item_id,)).fetchone()[0]


def test_cue_score_discounts_incidental_cues_of_large_stories() -> None:
    item = {"p:1": 1.0, "n:ab cd": 1.5}
    assert cue_score(item, {"p:1": 1, "n:ab cd": 1}) == (0.625, 2)
    assert cue_score(item, {"p:1": 1, "n:ab cd": 1}, story_items=20)[0] < 0.1


def test_cosines_through_a_related_language_have_their_own_scale() -> None:
    assert is_indirect("uk", frozenset({"en", "ru"})) and is_indirect("en", frozenset({"uk"}))
    assert not is_indirect("uk", frozenset({"uk"})) and not is_indirect("en", frozenset({"en", "uk"}))
    assert not is_indirect("en", frozenset())
    # Ukrainian against the other languages: the same passage's cosine is ~0.5, where unrelated
    # news between two languages the encoder was trained on also sits.
    assert embedding_score(0.5, indirect=True) > 0.7 > embedding_score(0.5)


def test_days_past_the_grace_from_a_story_lower_the_score() -> None:
    cfg = settings()["stories"]
    cues = {"p:1": 1.0, "n:ab cd": 1.5}
    near, far = (match(cues, {"p:1": 1}, 1, 0.6, days=d) for d in (cfg["date_grace_days"], 8))
    assert near.joins and not far.joins
    assert round(near.score - far.score, 6) == round(cfg["date_penalty"] * (8 - cfg["date_grace_days"]), 6)


def test_items_join_their_event_across_languages(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        ids = _ingest(store, [
            ("idlib", "southfront.org", "2019-03-05", "en"),
            ("valencia", "elpais.com", "2019-03-11", "en"),
            ("idlib_ru", "ria.ru", "2019-03-05", "ru"),
            ("valencia_fr", "lemonde.fr", "2019-03-12", "fr"),
            ("election", "kyivpost.com", "2019-03-31", "en"),
        ])
        idlib, valencia, idlib_ru, valencia_fr, election = ids
        assert _story_of(store, idlib_ru) == _story_of(store, idlib)
        assert _story_of(store, valencia_fr) == _story_of(store, valencia)
        assert len({_story_of(store, i) for i in ids}) == 3
        found = store.story(_story_of(store, idlib))
        assert found is not None
        assert [(i["item_id"], i["language"], i["how"]) for i in found["items"]] == [
            (idlib, "en", "seed"), (idlib_ru, "ru", "cues")]
        assert {p["value"] for p in found["places"]} >= {"Idlib"}
        assert found["dates"][0] == {"value": "2019-03-05", "items": 2}
        assert found["support"]["en-ru"].startswith("cues only")
        listed = store.stories()
        assert {s["story_id"] for s in listed} == {_story_of(store, idlib), _story_of(store, valencia)}
        assert store.stories(language="fr")[0]["story_id"] == _story_of(store, valencia)


def test_events_far_apart_in_time_are_separate_stories(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        first, later = _ingest(store, [("valencia", "a.es", "2019-03-11", "en"),
                                       ("valencia_fr", "b.fr", "2019-09-11", "fr")])
        assert _story_of(store, first) != _story_of(store, later)


def test_copies_join_their_original_and_roles_are_told(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        original, copy, rewrite = _ingest(store, [
            ("idlib", "southfront.org", "2019-03-05", "en"),
            ("idlib", "copycat.net", "2019-03-06", "en"),
            ("idlib_rewrite", "rewriter.org", "2019-03-06", "en"),
        ])
        story = store.story(_story_of(store, original))
        assert story is not None
        roles = {i["item_id"]: (i["role"], i["how"]) for i in story["items"]}
        assert roles[original] == ("claim", "seed") and roles[copy] == ("copy", "copy")
        assert roles[rewrite][0] == "copy"


def test_role_rules_and_layers_hook_in(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        ids = _ingest(store, [("idlib", "a.org", "2019-03-05", "en"), ("idlib_ru", "b.ru", "2019-03-06", "ru")])
        store.conn.execute("INSERT INTO spans VALUES (?, 'denials', 'den1', 0, 5, 'denial', 0.9, 'x', 'Milit', '{}')",
                           (ids[1],))

        def official(conn: sqlite3.Connection, item: dict[str, Any]) -> str | None:
            return "official" if item["outlet"] == "a.org" else None

        stories_module.register_role_rule(official)
        try:
            story = store.story(_story_of(store, ids[0]))
        finally:
            stories_module.ROLE_RULES.remove(official)
        assert story is not None
        assert [i["role"] for i in story["items"]] == ["official", "denial"]


def test_state_resumes_from_tables(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    with Store(path) as store:
        [first] = _ingest(store, [("valencia", "a.es", "2019-03-11", "en")])
    with Store(path) as store:
        [later] = _ingest(store, [("valencia_fr", "b.fr", "2019-03-12", "fr")])
        assert _story_of(store, later) == _story_of(store, first)


def test_embeddings_join_english_rewrites(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        first, second, other = _ingest(store, [
            ("idlib", "a.org", "2019-03-05", "en"), ("idlib_rewrite", "b.org", "2019-03-05", "en"),
            ("election", "c.org", "2019-03-06", "en")], profile="light")
        assert _story_of(store, first) == _story_of(store, second) != _story_of(store, other)


def test_support_names_how_each_pair_is_matched() -> None:
    result = support(["en", "ru", "hy"])  # Armenian: a language the multilingual encoder does not read
    assert set(result) == {"en-en", "en-ru", "en-hy", "ru-ru", "hy-ru", "hy-hy"}
    assert result["en-en"].startswith("embedding+cues; measured") and result["en-ru"].startswith("embedding+cues")
    assert result["en-hy"].startswith("cues only")
    assert "not measured" in result["ru-ru"]
    assert support(["en"], embedded_items=False)["en-en"].startswith("cues only; not measured")
    assert "r 0.47" in support(["ar"])["ar-ar"]


def test_the_same_event_in_russian_and_french_joins_one_story_by_the_multilingual_embedding(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        ru, fr, other = _ingest(store, [
            ("idlib_ru", "ria.ru", "2019-03-05", "ru"), ("idlib_fr", "sputniknews.fr", "2019-03-06", "fr"),
            ("valencia_fr", "lemonde.fr", "2019-03-11", "fr")], profile="light")
        assert _story_of(store, ru) == _story_of(store, fr) != _story_of(store, other)
        found = store.story(_story_of(store, ru))
        assert found is not None
        assert [(i["language"], i["how"]) for i in found["items"]] == [("ru", "seed"), ("fr", "embedding+cues")]
        assert found["support"]["fr-ru"].startswith("embedding+cues")
