"""Stance: a sentence that reports a denial or debunk does not carry the narrative."""

from __future__ import annotations

import pytest

from newsforensics.document import Document
from newsforensics.narratives.stance import ATTRIBUTED, CARRIED, DENIED, denial_cue, sentence_stance


@pytest.mark.parametrize("sentence", [
    "The ministry denied reports that the Pentagon runs laboratories in Ukraine.",
    "Fact-checkers called the claims false.",
    "There is no evidence that the attack was staged.",
    "The story is a conspiracy theory spread by state media.",
    "Le ministère a démenti ces informations.",
    "Das Ministerium wies die Vorwürfe zurück und sprach von Desinformation.",
    "МИД опроверг сообщения о биолабораториях.",
    "نفت الوزارة هذه الادعاءات.",
    "El ministerio desmintió la existencia de laboratorios militares en Ucrania.",
    "Il ministero ha smentito le notizie sui laboratori in Ucraina.",
    "Міністерство спростувало повідомлення про біолабораторії.",
])
def test_denial_cues_in_several_languages(sentence: str) -> None:
    assert denial_cue(sentence) is not None


@pytest.mark.parametrize("sentence", [
    "The attack in Douma was staged by militants.",  # "staged" is how carriers word it
    "Militants are preparing a fake chemical attack in Idlib.",
    "Боевики готовят провокацию в Идлибе.",
])
def test_carrier_wording_is_not_a_denial(sentence: str) -> None:
    assert denial_cue(sentence) is None


def _doc_with_voice(label: str, semantics: str | None = None) -> tuple[Document, object]:
    doc = Document("The laboratories make weapons, he said.")
    sentence = doc.add("sentences", [doc.span(0, len(doc.text), "sentence", stage="test")])[0]
    quotes = doc.add("quotes", [doc.span(0, 30, "indirect", stage="test", semantics=semantics, cue="said")])
    doc.add("voice", [doc.span(0, len(doc.text), label, stage="test", quote=quotes[0].id, speaker="A host")])
    return doc, sentence


def test_voice_layer_tells_attributed_from_own_voice_and_denial_verbs() -> None:
    doc, sentence = _doc_with_voice("attributed")
    assert sentence_stance(doc, sentence).label == ATTRIBUTED
    assert sentence_stance(doc, sentence).speaker == "A host"
    doc, sentence = _doc_with_voice("attributed", semantics="denial")
    assert sentence_stance(doc, sentence).label == DENIED
    plain = Document("The laboratories make weapons.")
    sentence = plain.add("sentences", [plain.span(0, len(plain.text), "sentence", stage="test")])[0]
    assert sentence_stance(plain, sentence).label == CARRIED


def test_a_span_of_the_denials_stage_makes_the_sentence_a_denial() -> None:
    doc = Document("Officials rejected claims that the laboratories make weapons.")
    sentence = doc.add("sentences", [doc.span(0, len(doc.text), "sentence", stage="test")])[0]
    doc.add("denials", [doc.span(0, len(doc.text), "denial", stage="denials", cue="rejected", denier="Officials")])
    stance = sentence_stance(doc, sentence)
    assert (stance.label, stance.cue, stance.speaker) == (DENIED, "rejected", "Officials")
