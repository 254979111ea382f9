"""The dossier JSON: its schema, its round trip, and real dossiers validated against it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fixtures.synthetic import build_document
from newsforensics.document import Document
from newsforensics.serialize import from_dict, schema, to_dict

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cli"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema())
    return jsonschema.Draft202012Validator(schema())


def test_schema_is_valid_draft_2020_12_and_documents_every_top_level_key(validator) -> None:
    assert schema()["$schema"].endswith("2020-12/schema")
    documented = (Path(__file__).resolve().parents[1] / "docs" / "dossier-json.md").read_text()
    for key in schema()["properties"]:
        assert f"`{key}`" in documented, f"{key} is not documented in docs/dossier-json.md"


def test_synthetic_dossier_with_every_layer_validates(validator) -> None:
    dossier = to_dict(build_document())
    validator.validate(dossier)
    assert dossier["places"][0]["lat"] == 51.05 and dossier["places"][0]["country"] == "BE"
    assert dossier["dates"][1]["end_value"] == "2024-05-06"
    assert dossier["quotes"][0]["speaker"] == "Anna de Vries"
    assert dossier["claims"][0]["attribution"]["type"] == "outlet"
    assert [c["kind"] for c in dossier["captions"]] == ["caption"]


def test_round_trip_is_lossless() -> None:
    doc = build_document()
    first = to_dict(doc)
    again = from_dict(json.loads(json.dumps(first)))
    assert to_dict(again) == first
    for layer, spans in again.layers.items():
        assert all(again.text[s.start:s.end] == s.text for s in spans), layer


def test_without_raw_validates_and_round_trips(validator) -> None:
    dossier = to_dict(build_document(), include_raw=False)
    assert dossier["raw"] is None
    validator.validate(dossier)
    assert to_dict(from_dict(dossier), include_raw=False) == dossier


def test_schema_rejects_broken_dossiers(validator) -> None:
    dossier = to_dict(build_document())
    broken = [
        {**dossier, "text": None},
        {**dossier, "places": [{**dossier["places"][0], "lat": "north"}]},
        {**dossier, "claims": [{**dossier["claims"][0], "attribution": {"type": "rumour"}}]},
        {**dossier, "entities": [{k: v for k, v in dossier["entities"][0].items() if k != "start"}]},
    ]
    for item in broken:
        with pytest.raises(jsonschema.ValidationError):
            validator.validate(item)


def test_unknown_future_layers_and_extra_attrs_are_accepted(validator) -> None:
    doc = build_document()
    doc.add("narratives", [doc.span(0, 5, "Blame_the_West", stage="narratives", score=0.3,
                                    evidence=["s1"], nested={"a": 1})])
    doc.add("frames", [doc.span(0, 5, "economic", stage="frames")])
    dossier = to_dict(doc)
    validator.validate(dossier)
    assert to_dict(from_dict(dossier)) == dossier


def test_attribute_clashing_with_a_core_field_is_refused() -> None:
    doc = Document("Some text.")
    doc.add("dates", [doc.span(0, 4, "date", stage="dates", raw_start=3)])
    with pytest.raises(ValueError, match="clash"):
        to_dict(doc)


def test_unsupported_schema_version_is_refused() -> None:
    with pytest.raises(ValueError, match="schema_version"):
        from_dict({**to_dict(build_document()), "schema_version": "2.0"})


@st.composite
def documents(draw: st.DrawFn) -> Document:
    text = draw(st.text(max_size=200))
    doc = Document(text)
    for layer in draw(st.lists(st.sampled_from(["entities", "narratives", "novel_layer"]), unique=True)):
        bounds = draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, len(text))),
                               max_size=5))
        doc.add(layer, [doc.span(min(a, b), max(a, b), draw(st.sampled_from(["X", "own-voice"])),
                                 stage=layer, score=draw(st.none() | st.floats(0, 1)),
                                 note=draw(st.text(max_size=10)))
                        for a, b in bounds])
    return doc


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(documents())
def test_any_document_round_trips_and_validates(doc: Document) -> None:
    validator = jsonschema.Draft202012Validator(schema())
    dossier = json.loads(json.dumps(to_dict(doc)))
    validator.validate(dossier)
    back = from_dict(dossier)
    assert to_dict(back) == dossier
    for spans in back.layers.values():
        assert all(back.text[s.start:s.end] == s.text for s in spans)


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_real_dossiers_of_fixtures_validate(name: str, validator, pipeline) -> None:
    from newsforensics import analyze

    doc = analyze((FIXTURES / name).read_bytes(), source_name=name, pipeline=pipeline)
    dossier = json.loads(json.dumps(to_dict(doc)))
    validator.validate(dossier)
    assert to_dict(from_dict(dossier)) == dossier
