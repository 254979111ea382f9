"""Typed document sections: declared by the stage that provides them, covered by the dossier
schema, cleared when that stage fails."""

from __future__ import annotations

import json
import logging
from typing import Any, Literal, NotRequired, TypedDict

import jsonschema
import pytest

from newsforensics import analyze
from newsforensics.document import Document, Metadata
from newsforensics.pipeline import Pipeline, registered
from newsforensics.sections import INPUT, all_sections, json_schema, names
from newsforensics.serialize import from_dict, schema, to_dict

# An HTML debunk with ClaimReview markup, a declared language and no publication date: every
# declared section gets a value from the real stages.
PAGE = """<!doctype html><html lang="en-GB"><head><title>Fake: chemical attack staged in Idlib</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "ClaimReview",
 "claimReviewed": "France is preparing a chemical attack in Idlib"}</script></head><body><article>
<h1>Fake: chemical attack staged in Idlib</h1>
<p>Disinfo: France and Belgium are preparing a chemical attack in Idlib to blame Damascus.</p>
<p>Disproof: No evidence was given for the claim. Both governments rejected the report on 14 March 2021,
and the ministry of foreign affairs of Belgium called it a fabrication.</p>
<p>The same story was published by several outlets in March 2021 without any source.</p>
</article></body></html>"""


@pytest.fixture(scope="module")
def dossier(pipeline) -> dict[str, Any]:
    return json.loads(json.dumps(to_dict(analyze(PAGE, source_name="debunk.html", pipeline=pipeline))))


def test_every_declared_section_is_provided_by_a_stage_that_lists_it() -> None:
    stages = registered()
    declared = all_sections()
    assert set(declared) == names()
    for name, section in declared.items():
        if section.provider != INPUT:
            assert name in stages[section.provider].sections, (name, section.provider)
    for stage_name, factory in stages.items():
        for name in getattr(factory, "sections", ()):
            assert declared[name].provider == stage_name


def test_every_section_of_a_real_dossier_validates_against_its_schema(dossier: dict[str, Any]) -> None:
    full = schema()
    assert set(dossier["extra"]) == names()  # this page gets every section
    for name, value in dossier["extra"].items():
        jsonschema.validate(value, full["properties"]["extra"]["properties"][name])
    jsonschema.Draft202012Validator(full).validate(dossier)
    assert dossier["extra"]["genre"]["label"] == "debunk" and dossier["extra"]["claimreview"] is True
    assert dossier["extra"]["html_lang"] == "en-GB"
    assert dossier["extra"]["factchecks"]["searched"] is False
    assert dossier["extra"]["published_inferred"]["year"] == 2021
    assert to_dict(from_dict(dossier)) == dossier


def test_the_schema_refuses_undeclared_and_malformed_sections(dossier: dict[str, Any]) -> None:
    validator = jsonschema.Draft202012Validator(schema())
    extra = dossier["extra"]
    for broken in ({**extra, "notes": "free text"},
                   {**extra, "genre": {**extra["genre"], "label": "satire"}},
                   {**extra, "source_profile": {**extra["source_profile"], "confidence": "high"}},
                   {**extra, "factchecks": {"searched": False, "why": "no store"}}):
        with pytest.raises(jsonschema.ValidationError):
            validator.validate({**dossier, "extra": broken})


def test_only_declared_sections_can_be_set() -> None:
    doc = Document("Text.")
    doc.sections["genre"] = {"label": "report", "basis": [], "evidence": [], "stage": "framing", "version": "1"}
    with pytest.raises(KeyError, match="not a declared document section"):
        doc.sections["notes"] = "free text"


def test_a_failing_stage_leaves_its_section_absent_with_a_warning(monkeypatch, caplog) -> None:
    factory = registered()["sources"]

    def half_then_fail(self, doc: Document) -> None:
        doc.sections["source_profile"] = {"outlet": "half.example"}
        raise RuntimeError("profile table unreadable")

    monkeypatch.setattr(factory, "__call__", half_then_fail)
    doc = Document("Ferries resume\n\nThe ferries run again.", meta=Metadata(language="en"))
    with caplog.at_level(logging.DEBUG):
        Pipeline(["sources", "factchecks"], on_error="warn")(doc)
    assert "source_profile" not in doc.sections and "source_profile" not in to_dict(doc)["extra"]
    assert doc.sections["factchecks"]["searched"] is False  # the next stage still ran
    (warning,) = [w for w in doc.warnings if w.code == "stage-failed"]
    assert warning.stage == "sources" and "profile table unreadable" in warning.message
    assert [r.status for r in doc.stage_runs] == ["failed", "ok"]


class _Inner(TypedDict):
    kind: Literal["a", "b"]


class _Outer(TypedDict):
    name: str | None
    count: int
    items: list[_Inner]
    note: NotRequired[str]


def test_section_types_become_closed_json_schemas() -> None:
    out = json_schema(_Outer)
    assert out["required"] == ["name", "count", "items"] and out["additionalProperties"] is False
    assert out["properties"]["name"] == {"type": ["string", "null"]}
    assert out["properties"]["items"]["items"]["properties"]["kind"] == {"enum": ["a", "b"]}
    jsonschema.validate({"name": None, "count": 2, "items": [{"kind": "a"}]}, out)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": "x", "count": 2, "items": [{"kind": "c"}]}, out)
    with pytest.raises(TypeError):
        json_schema(set[int])
