"""The attribution lexicon and cue rules, on our own sentences."""

from __future__ import annotations

from newsforensics import Document, Metadata, Pipeline
from newsforensics.attribution.lexicon import inflections, lexicon


def quotes(text: str) -> list:
    doc = Document(text, meta=Metadata(language="en"))
    return Pipeline(["segment", "quotes"])(doc).get("quotes")


def test_inflections_and_irregular_forms_map_to_their_cue_class():
    assert inflections("deny") >= {"denies", "denied", "denying"}
    assert inflections("stress") >= {"stresses", "stressed"}
    verbs = lexicon().verb_class
    assert verbs["said"].semantics == "assertive" and verbs["found"].semantics == "evidence"
    assert verbs["knew"].needs_clause and verbs["asked"].needs_clause


def test_findings_and_questions_count_only_with_a_content_clause():
    (found,) = quotes("A survey by the Lisbon institute found that rents rose by a third in 2023.")
    assert found.attrs["cue"] == "found" and found.attrs["semantics"] == "evidence"
    assert found.attrs["content_span"][0] == found.start and found.text.startswith("rents rose")
    (asked,) = quotes("Dr Ines Duarte asked whether the tram line would open before winter.")
    assert asked.attrs["speaker"] == "Ines Duarte" and asked.attrs["semantics"] == "question"
    assert not quotes("The mayor showed up late and asked for a glass of water.")


def test_participles_used_as_adjectives_are_not_cues():
    assert not quotes("The reported figures covered 412 farms across the valley.")
