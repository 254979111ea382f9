"""Paragraph-level techniques: reading SemEval-2023 label files, the model's thresholding, its
files round-tripping, and the stage's layer in a non-English dossier."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from newsforensics import Document, Pipeline
from newsforensics.document import Metadata
from newsforensics.techniques.lexical import LexicalFeatures
from newsforensics.training.technique_paragraphs import micro_f1, read_paragraphs, targets
from newsforensics.techniques.paragraphs import ParagraphModel, paragraph_techniques

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "technique_paragraphs"
SETTINGS = {"span_words": {"min_df": 1, "max_features": 100, "weight": 1.0},
            "span_chars": {"min_df": 1, "max_features": 200, "weight": 1.0}}


def test_label_lines_are_read_with_the_paragraph_they_name() -> None:
    rows = read_paragraphs(FIXTURES / "articles", FIXTURES / "labels.txt")
    assert [r.line for r in rows] == [1, 3, 5, 7]
    assert rows[2].text.startswith("Ces traîtres") and rows[1].techniques == ()
    y = targets(rows)
    names = list(paragraph_techniques())
    assert len(names) == 23 and y.shape == (4, 23)
    assert y[0, names.index("Loaded_Language")] == 1 and y[1].sum() == 0


def test_micro_f1_counts_label_decisions() -> None:
    gold = np.array([[1, 0, 1], [0, 1, 0]], dtype=np.int8)
    assert micro_f1(gold, gold) == 1.0
    assert micro_f1(gold, np.array([[1, 1, 0], [0, 0, 0]], dtype=np.int8)) == pytest.approx(0.4)
    assert micro_f1(np.zeros((1, 3), np.int8), np.zeros((1, 3), np.int8)) == 0.0


def _model(threshold: float) -> ParagraphModel:
    rows = read_paragraphs(FIXTURES / "articles", FIXTURES / "labels.txt")
    lexical = LexicalFeatures.fit([r.text for r in rows], [""] * len(rows), SETTINGS)
    weights = np.zeros((lexical.size, 23), dtype=np.float32)
    loaded = list(paragraph_techniques()).index("Loaded_Language")
    weights[lexical.fields[0].index["traîtres"], loaded] = 30.0  # "traîtres" → Loaded_Language
    return ParagraphModel("fr", lexical, weights, np.full(23, -3.0, dtype=np.float32), threshold)


def test_a_paragraph_gets_the_techniques_above_the_threshold(tmp_path: Path) -> None:
    model = _model(threshold=0.5)
    loaded, plain = model.predict(["Ces traîtres mentent.", "Le budget est présenté."])
    assert [name for name, _ in loaded] == ["Loaded_Language"] and loaded[0][1] > 0.5
    assert plain == []
    model.save(tmp_path)
    again = ParagraphModel.load(tmp_path, "fr")
    assert again.threshold == 0.5
    np.testing.assert_allclose(again.probabilities(["Ces traîtres"]),
                               model.probabilities(["Ces traîtres"]), atol=1e-3)
    assert model.probabilities([]).shape == (0, 23)


def test_the_stage_labels_paragraphs_of_a_french_article() -> None:
    text = (FIXTURES / "articles" / "article900.txt").read_text(encoding="utf-8")
    doc = Pipeline(["segment", "paragraph_techniques", "techniques"])(
        Document(text, meta=Metadata(language="fr")))
    assert "techniques" not in doc.layers  # span level is English only
    spans = doc.get("technique_paragraphs")
    paragraphs = {(p.start, p.end) for p in doc.get("paragraphs")}
    for span in spans:
        assert (span.start, span.end) in paragraphs and span.label in paragraph_techniques()
        assert span.attrs["level"] == "paragraph" and span.attrs["language"] == "fr"
        assert span.score >= span.attrs["threshold"] and span.id.startswith("tpar")
    strongest = {}
    for span in spans:
        strongest[span.text[:12]] = max(span.score, strongest.get(span.text[:12], 0.0))
    # The loaded paragraph is flagged, and more strongly than the notice (if that is at all).
    assert strongest["Ces traîtres"] > strongest.get("Les habitant", 0.0)
