"""Entities in the languages beyond English: each language's model, labels mapped onto the
English label set, through the stage and through the default pipeline."""

from __future__ import annotations

import pytest

from newsforensics.document import Document, Metadata
from newsforensics.models.ner import load_ner, ner_languages
from newsforensics.pipeline import Pipeline
from newsforensics.stages.entities import EntitiesStage

# language -> (sentence, entities that must be found, as (text, label))
SENTENCES: dict[str, tuple[str, set[tuple[str, str]]]] = {
    "ru": ("Министр иностранных дел России Сергей Лавров встретился в Дамаске с президентом "
           "Сирии Башаром Асадом.",
           {("Сергей Лавров", "PERSON"), ("Дамаске", "LOC")}),
    "fr": ("Le président Emmanuel Macron a reçu à Paris le secrétaire général de l'OTAN, "
           "Jens Stoltenberg.",
           {("Emmanuel Macron", "PERSON"), ("Paris", "GPE"), ("Jens Stoltenberg", "PERSON")}),
    "es": ("El presidente Pedro Sánchez viajó a Bruselas para reunirse con la Comisión Europea.",
           {("Pedro Sánchez", "PERSON"), ("Bruselas", "GPE"), ("Comisión Europea", "ORG")}),
    "de": ("Bundeskanzler Olaf Scholz sagte am Montag in Berlin, die NATO stehe geschlossen hinter "
           "der Ukraine.",
           {("Olaf Scholz", "PERSON"), ("Berlin", "GPE"), ("NATO", "ORG"), ("Ukraine", "GPE")}),
    "it": ("Il presidente Sergio Mattarella ha incontrato a Roma il segretario generale della NATO.",
           {("Sergio Mattarella", "PERSON"), ("Roma", "GPE"), ("NATO", "ORG")}),
    "uk": ("Президент України Володимир Зеленський зустрівся у Києві з генеральним секретарем "
           "НАТО Єнсом Столтенбергом.",
           {("Володимир Зеленський", "PERSON"), ("Києві", "LOC"), ("НАТО", "ORG")}),
    "ar": ("التقى الرئيس السوري بشار الأسد في دمشق وزير الخارجية الروسي سيرغي لافروف.",
           {("بشار الأسد", "PERSON"), ("دمشق", "GPE"), ("سيرغي لافروف", "PERSON")}),
}


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(["entities"])


def entities(pipeline: Pipeline, text: str, language: str) -> set[tuple[str, str]]:
    doc = pipeline(Document(text, meta=Metadata(language=language)))
    assert not doc.warnings
    return {(e.text, e.label) for e in doc.get("entities")}


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_each_language_finds_its_people_and_places(pipeline, language: str) -> None:
    text, expected = SENTENCES[language]
    assert expected <= entities(pipeline, text, language)


def test_every_covered_language_has_a_sentence_and_the_stage_declares_it() -> None:
    assert set(ner_languages()) == set(SENTENCES)
    assert set(EntitiesStage.languages) == {"en", *SENTENCES}


def test_labels_are_the_english_layer_labels_with_model_and_cluster(pipeline) -> None:
    text, _ = SENTENCES["ru"]
    doc = pipeline(Document(text, meta=Metadata(language="ru")))
    spans = doc.get("entities")
    assert spans and {s.label for s in spans} <= {"PERSON", "ORG", "GPE", "LOC"}
    assert all(s.model == load_ner("ru").model and s.stage == "entities" for s in spans)
    assert all(s.attrs["cluster"] and s.attrs["canonical"] for s in spans)


def test_a_known_country_is_a_gpe_and_the_organisation_list_applies(pipeline) -> None:
    doc = pipeline(Document("Selon Moscou, les combattants de Hayat Tahrir al-Sham préparent une "
                            "provocation en Syrie.", meta=Metadata(language="fr")))
    found = {(e.text, e.label, e.attrs["source"]) for e in doc.get("entities")}
    assert ("Moscou", "GPE", "spacy") in found
    assert ("Hayat Tahrir al-Sham", "ORG", "organisations") in found


def test_long_text_is_tagged_in_pieces_with_offsets_kept(pipeline, monkeypatch) -> None:
    from newsforensics.models import spacy_model

    monkeypatch.setattr(spacy_model, "MAX_PIECE_CHARS", 200)
    text, expected = SENTENCES["fr"]
    doc = pipeline(Document("\n".join([text] * 5), meta=Metadata(language="fr")))
    found = [(e.text, e.label) for e in doc.get("entities")]
    assert all(doc.text[e.start:e.end] == e.text for e in doc.get("entities"))
    assert sum(1 for f in found if f == ("Emmanuel Macron", "PERSON")) == 5


def test_a_russian_article_gets_entities_through_the_default_pipeline() -> None:
    from newsforensics import analyze

    doc = analyze("Министерство обороны России заявило, что боевики в Идлибе готовят провокацию "
                  "с применением химического оружия. Об этом сообщил генерал Игорь Конашенков.")
    assert doc.meta.language == "ru"
    found = {(e.text, e.label) for e in doc.get("entities")}
    assert ("Игорь Конашенков", "PERSON") in found
    assert not any(w.stage == "entities" for w in doc.warnings)
