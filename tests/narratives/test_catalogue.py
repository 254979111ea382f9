"""The catalogue format: the built-in catalogue, validation, user catalogues and their precedence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsforensics.errors import InputError
from newsforensics.narratives.catalogue import (FORMAT, load_catalogue, parse_catalogue, read_catalogue_file,
                                                user_dir, write_user_narratives)


def _catalogue(*narratives: dict, **header: object) -> dict:
    return {"format": FORMAT, "format_version": 1, "name": "mine", "version": "3", **header,
            "narratives": list(narratives)}


def _narrative(narrative_id: str = "drones-from-the-sea", **extra: object) -> dict:
    return {"id": narrative_id, "title": "Drones come from the sea", "summary": "Claims drones launch at sea.",
            "examples": [{"lang": "en", "text": "The drones were launched from ships."}], **extra}


def test_builtin_catalogue_is_valid_multilingual_and_its_links_resolve() -> None:
    catalogue = load_catalogue(include_user=False)
    assert len(catalogue) >= 15
    assert catalogue.version.startswith("builtin@")
    for narrative in catalogue:
        assert len(narrative.languages) >= 3, narrative.id
        assert {"topic", "frame"} <= set(narrative.keywords), narrative.id
        assert narrative.provenance
        assert all(catalogue.get(r) is not None for r in narrative.related), narrative.id


@pytest.mark.parametrize(("change", "message"), [
    ({"format": "other"}, "not a narrative catalogue"),
    ({"format_version": 99}, "format_version 99 is not supported"),
    ({"narratives": [_narrative(), _narrative()]}, "listed twice"),
    ({"narratives": [_narrative("Bad Id")]}, "must be lower-case"),
    ({"narratives": [_narrative(examples=[])]}, "at least one example"),
    ({"narratives": [_narrative(examples=[{"text": "no language"}])]}, "needs a 'lang'"),
    ({"narratives": [{"id": "no-title", "summary": "s", "examples": []}]}, "'title' is required"),
])
def test_invalid_catalogues_are_refused_with_where_and_why(change: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_catalogue({**_catalogue(_narrative()), **change}, "mine.toml")


def test_json_and_toml_files_read_alike(tmp_path: Path) -> None:
    as_json = tmp_path / "mine.json"
    as_json.write_text(json.dumps(_catalogue(_narrative(keywords={"topic": {"en": ["Drone"]}}))), encoding="utf-8")
    as_toml = tmp_path / "mine.toml"
    as_toml.write_text(f'format = "{FORMAT}"\nformat_version = 1\nname = "mine"\nversion = "3"\n'
                       '[[narratives]]\nid = "drones-from-the-sea"\ntitle = "Drones come from the sea"\n'
                       'summary = "Claims drones launch at sea."\nkeywords.topic = { en = ["Drone"] }\n'
                       'examples = [{ lang = "en", text = "The drones were launched from ships." }]\n',
                       encoding="utf-8")
    (label_a, (a,)), (label_b, (b,)) = read_catalogue_file(as_json), read_catalogue_file(as_toml)
    assert label_a == label_b == "mine@3"
    assert a.to_dict() == b.to_dict()
    assert a.keywords == {"topic": {"en": ("drone",)}}  # keywords are case-folded


def test_broken_files_are_input_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("format = \n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid TOML"):
        read_catalogue_file(bad)
    with pytest.raises(InputError, match="no such catalogue"):
        load_catalogue([tmp_path / "missing.toml"])


def test_user_narratives_extend_and_override_the_builtin(isolated_dirs: Path, tmp_path: Path) -> None:
    assert user_dir() == isolated_dirs
    builtin_title = load_catalogue().get("ukraine-biolabs").title
    from newsforensics.narratives.catalogue import parse_narrative

    path = write_user_narratives([parse_narrative(_narrative(), "test"),
                                  parse_narrative(_narrative("ukraine-biolabs", title="My own wording"), "test")])
    assert path.parent == isolated_dirs
    catalogue = load_catalogue()
    assert catalogue.get("drones-from-the-sea") is not None
    assert catalogue.get("ukraine-biolabs").title == "My own wording" != builtin_title
    assert catalogue.sources[-1] == "user@1"
    # adding again replaces by id instead of duplicating
    write_user_narratives([parse_narrative(_narrative(title="Changed"), "test")])
    assert [n.id for n in read_catalogue_file(path)[1]] == ["drones-from-the-sea", "ukraine-biolabs"]
    assert load_catalogue(include_builtin=False).get("drones-from-the-sea").title == "Changed"


_json = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=12),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                     max_leaves=20)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(["id", "title", "summary", "examples", "keywords", "related", "places",
                                        "provenance"]), _json, max_size=8))
def test_any_narrative_entry_is_parsed_or_refused_with_an_input_error(entry: dict) -> None:
    from newsforensics.narratives.catalogue import parse_narrative

    try:
        narrative = parse_narrative(entry, "fuzz")
    except InputError:
        return
    assert narrative.examples and narrative.id


@pytest.mark.parametrize("entry", [{"related": 5}, {"places": "Kyiv"}, {"keywords": ["topic"]},
                                   {"keywords": {"topic": "drone"}}])
def test_wrongly_typed_fields_are_refused(entry: dict) -> None:
    from newsforensics.narratives.catalogue import parse_narrative

    with pytest.raises(InputError):
        parse_narrative({**_narrative(), **entry}, "test")
