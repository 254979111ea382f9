"""Language identification."""

from __future__ import annotations

from newsforensics.document import Document, Metadata
from newsforensics.pipeline import Pipeline

LANGUAGE = Pipeline(["language"])


def test_identifies_common_news_languages() -> None:
    samples = {
        "en": "The foreign ministry rejected the report as baseless on Tuesday.",
        "fr": "Le ministère des Affaires étrangères a rejeté ce rapport mardi.",
        "de": "Das Außenministerium wies den Bericht am Dienstag als haltlos zurück.",
        "ru": "Министерство иностранных дел во вторник отвергло этот доклад.",
        "ar": "رفضت وزارة الخارجية التقرير يوم الثلاثاء ووصفته بأنه لا أساس له.",
    }
    for expected, text in samples.items():
        doc = LANGUAGE(Document(text))
        assert doc.meta.language == expected, text
        assert 0.5 < doc.meta.language_score <= 1.0


def test_declared_language_wins_but_a_clear_mismatch_is_flagged() -> None:
    text = "The foreign ministry rejected the report as baseless on Tuesday. " * 5
    doc = LANGUAGE(Document(text, meta=Metadata(language="de")))
    assert doc.meta.language == "de"
    assert any(w.code == "language-mismatch" for w in doc.warnings)


def test_empty_text_sets_nothing() -> None:
    doc = LANGUAGE(Document("   "))
    assert doc.meta.language is None
