"""Claims: what is asserted, by whom, and how check-worthy it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsforensics import Document, Metadata
from newsforensics.stages.claims import checkworthiness, rules

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "attribution"


@pytest.fixture(scope="module")
def wire(pipeline) -> Document:
    text = (FIXTURES / "wire_style.txt").read_text(encoding="utf-8")
    return pipeline(Document(text, meta=Metadata(title=text.split("\n", 1)[0], language="en")))


def claim_with(doc: Document, fragment: str):
    return next(c for c in doc.get("claims") if fragment in c.text)


def test_claim_with_numbers_and_places_is_attributed_to_its_source(wire):
    claim = claim_with(wire, "Grain shipments")
    assert claim.attrs["attribution"]["type"] == "speaker"
    assert claim.attrs["attribution"]["speaker"] == "port authority"
    assert claim.attrs["attribution"]["voice"] == "attributed"
    assert any("4.2 million" in n for n in claim.attrs["numbers"])
    assert claim.attrs["times"] and claim.attrs["actions"] == ["doubled"]
    assert not claim.text.endswith("said on Tuesday")  # the content, not the wrapper
    assert claim.score == claim.attrs["checkworthiness"] > 0.6
    assert set(claim.attrs["features"]) >= {"number", "time", "action", "attributed"}


def test_quote_content_is_the_claim_and_headline_claim_has_the_headline_source(wire):
    claim = claim_with(wire, "insurers had cut premiums")
    assert claim.text.startswith("insurers") and "15 percent" in claim.attrs["numbers"]
    assert claim.attrs["attribution"]["speaker"] == "Oleksandr Petrenko"
    quote = next(q for q in wire.get("quotes") if q.id == claim.attrs["attribution"]["quote"])
    assert quote.start <= claim.start and claim.end <= quote.end
    headline = next(c for c in wire.get("claims") if c.attrs["headline"])
    assert headline.attrs["attribution"]["speaker"] == "port authority"


def test_every_claim_keeps_the_span_invariant_and_a_score_in_range(wire):
    for claim in wire.get("claims"):
        assert wire.text[claim.start:claim.end] == claim.text
        assert 0.0 <= claim.score <= 1.0


def test_own_voice_claims_are_the_outlets_and_questions_are_not_claims(pipeline):
    text = (
        "Flood defences failed in three towns\n\n"
        "The Environment Agency closed 14 roads in Cumbria on Sunday after the River Eden burst its banks.\n"
        "Will the government finally act?\n"
        "It was a sad day."
    )
    doc = pipeline(Document(text, meta=Metadata(title=text.split("\n", 1)[0], language="en")))
    roads = claim_with(doc, "closed 14 roads")
    assert roads.attrs["attribution"] == {"type": "outlet", "speaker": None, "quote": None,
                                          "voice": "own-voice", "framing": "asserted"}
    assert not any("Will the government" in c.text for c in doc.get("claims"))
    assert not any("sad day" in c.text for c in doc.get("claims"))


def test_score_rises_with_checkable_detail_and_falls_with_hedges():
    r = rules()
    bare = {"action": r.weights["action"]}
    detailed = {**bare, "actor": r.weights["actor"], "number": r.weights["number"],
                "time": r.weights["time"], "place": r.weights["place"]}
    hedged = {**detailed, "hedge": r.weights["hedge"]}
    assert checkworthiness(bare, r) < checkworthiness(hedged, r) < checkworthiness(detailed, r)
    assert checkworthiness(detailed, r) > 0.9 and checkworthiness({}, r) < r.min_score


@pytest.mark.parametrize(("language", "text", "speaker", "number"), [
    ("ru", "«Боевики доставили 20 баллонов с хлором в Саракиб», — заявил Игорь Конашенков.",
     "Игорь Конашенков", "20"),
    ("fr", "« Les terroristes ont livré 20 bouteilles de chlore à Saraqeb », a déclaré Igor Konachenkov.",
     "Igor Konachenkov", "20"),
    ("de", "„Die Terroristen lieferten 20 Chlorflaschen nach Sarakib“, sagte Igor Konaschenkow.",
     "Igor Konaschenkow", "20"),
    ("ar", 'وقال كوناشينكوف: "نقل المسلحون 20 اسطوانة كلور إلى سراقب".', "كوناشينكوف", "20"),
])
def test_claims_in_languages_without_a_parse_carry_speaker_number_and_place(pipeline, language, text,
                                                                            speaker, number):
    doc = pipeline(Document(text, meta=Metadata(language=language)))
    (claim,) = doc.get("claims")
    assert claim.attrs["attribution"]["speaker"] == speaker
    assert claim.attrs["numbers"] == [number] and claim.attrs["places"]
    assert claim.model == "surface-features-1" and claim.score > 0.5


def test_per_language_claim_lexicons_extend_the_english_one():
    r = rules("ru")
    assert "возможно" in r.hedges and r.action is not None and r.action.fullmatch("заявили")
    assert rules("en").action is None
