"""Framing: the genre of an item and whose claim each sentence is (asserted, reported, refuted)."""

from __future__ import annotations

import pytest

from newsforensics.document import Document, Metadata
from newsforensics.pipeline import Pipeline

STAGES = Pipeline(["language", "segment", "entities", "quotes", "framing", "claims"])

DEBUNK = (
    "Disinfo: France and Belgium are preparing a chemical attack in Idlib to blame Damascus.\n\n"
    "Summary: The intelligence services of France and Belgium are preparing a false-flag attack "
    "with chlorine in Idlib.\n\n"
    "Disproof: No evidence was given for the claim. Both governments rejected the report on 1 April.\n"
)


def _run(text: str) -> Document:
    return STAGES(Document(text, meta=Metadata(language="en")))


def test_a_debunk_restating_a_false_claim_refutes_it() -> None:
    doc = _run(DEBUNK)
    assert doc.sections["genre"]["label"] == "debunk"
    assert any("Disinfo:" in b for b in doc.sections["genre"]["basis"])
    by_start = {doc.text[f.start:f.start + 9]: f.label for f in doc.get("framing")}
    assert by_start["Disinfo: "] == "refuted"
    assert by_start["Summary: "] == "refuted"
    assert by_start["Disproof:"] == "asserted"
    labels = {e.label for e in doc.get("genre_evidence")}
    assert {"debunk-label", "claim-section", "disproof-marker"} <= labels


def test_claims_under_refutation_are_not_the_outlets_own() -> None:
    doc = _run(DEBUNK)
    refuted_end = doc.text.index("Disproof:")
    for claim in doc.get("claims"):
        if claim.start < refuted_end:
            assert claim.attrs["attribution"]["voice"] == "refuted"
            assert claim.attrs["attribution"]["type"] == "refuted"


def test_another_outlets_report_is_reported_not_asserted() -> None:
    doc = _run("The army moved north on Monday. Sputnik reported that French officers had arrived in Idlib.")
    framings = doc.get("framing")
    assert [f.label for f in framings] == ["asserted", "reported"]
    assert framings[1].attrs["outlet"] is True
    assert doc.sections["genre"]["label"] == "report"


@pytest.mark.parametrize(("head", "genre"), [
    ("Opinion: Why the talks will fail\n\n", "opinion"),
    ("FOR IMMEDIATE RELEASE\n\n", "press-release"),
])
def test_genre_labels_at_the_top_declare_the_genre(head: str, genre: str) -> None:
    doc = _run(head + "The ministry said the talks would resume in May. Officials met in Geneva.")
    assert doc.sections["genre"]["label"] == genre


def test_narrative_stance_reads_a_refuted_sentence_as_denied() -> None:
    from newsforensics.narratives.stance import DENIED, sentence_stance

    doc = _run(DEBUNK)
    summary = next(s for s in doc.get("sentences") if s.text.startswith("Summary"))
    assert sentence_stance(doc, summary).label == DENIED
    # the debunk's own sentences argue against the narrative too: nothing in it carries it
    rejected = next(s for s in doc.get("sentences") if s.text.startswith("Both governments"))
    assert sentence_stance(doc, rejected).label == DENIED


@pytest.mark.parametrize(("language", "text", "outlet"), [
    ("fr", "Sputnik, qui relaye l'information, écrit que des officiers français sont arrivés à Idlib.", "Sputnik"),
    ("fr", "C'est Russia Today qui l'écrit : les services belges préparent une provocation.", "Russia Today"),
    ("de", "Wie RT berichtet, sollen belgische Offiziere in Idlib sein.", "RT"),
    ("en", "According to TASS, the talks resumed in Geneva on Monday.", "TASS"),
])
def test_another_outlets_report_is_read_in_any_language(language: str, text: str, outlet: str) -> None:
    doc = STAGES(Document("Titre\n\n" + text, meta=Metadata(language=language, title="Titre")))
    framing = doc.covering("framing", doc.text.index(text), doc.text.index(text) + len(text))
    assert framing is not None and framing.label == "reported"
    assert (framing.attrs["by"], framing.attrs["outlet"]) == (outlet, True)
    assert any(e.label == "report-cue" for e in doc.get("genre_evidence"))
