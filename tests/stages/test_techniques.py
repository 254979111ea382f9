"""The techniques stage: spans with a technique, a calibrated score and a definition, per-article
statistics, the precision-first operating point (the rest as candidates on request), no
Name_Calling on bare names, and a clean skip for languages the model does not cover."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from newsforensics import Document, Pipeline
from newsforensics.document import Metadata
from newsforensics.serialize import to_dict
from newsforensics.techniques.encoding import line_segments
from newsforensics.techniques.formats import technique_definitions
from newsforensics.techniques.inference import Fragment, shipped_model
from newsforensics.techniques.paragraphs import ParagraphModel
from newsforensics.techniques.reporting import ReportingRules
from newsforensics.techniques.stage import technique_stats

ARTICLE = Path(__file__).resolve().parents[1] / "fixtures" / "techniques" / "articles" / "article9001.txt"


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(["segment", "techniques"])


# The calibrated outside bias (-1.5) maximises SI F1 on long PTC articles; on this short,
# invented article the tagger ranks the loaded lines first but less confidently, so the stage's
# mechanics are checked at a more sensitive setting.
SENSITIVE_BIAS = -2.0


@pytest.fixture(scope="module")
def analysed(pipeline: Pipeline) -> Document:
    doc = Document(ARTICLE.read_text(encoding="utf-8"), meta=Metadata(language="en"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(shipped_model(), "outside_bias", SENSITIVE_BIAS)
        patch.setattr(shipped_model(), "report_threshold", 0.0)  # every fragment reported
        patch.setattr(shipped_model(), "_rules", ReportingRules())
        return pipeline(doc)


def test_below_the_operating_point_fragments_are_candidates_only_on_request(
        monkeypatch: pytest.MonkeyPatch, analysed: Document) -> None:
    probabilities = sorted({s.attrs["span_probability"] for s in analysed.get("techniques")})
    assert len(probabilities) >= 2, "the fixture gives fragments of several confidences"
    threshold = (probabilities[0] + probabilities[-1]) / 2
    monkeypatch.setattr(shipped_model(), "outside_bias", SENSITIVE_BIAS)
    monkeypatch.setattr(shipped_model(), "report_threshold", threshold)
    monkeypatch.setattr(shipped_model(), "_rules", ReportingRules())
    text = ARTICLE.read_text(encoding="utf-8")
    both = Pipeline(["segment", "techniques"], options={"techniques": {"all_candidates": True}})(
        Document(text, meta=Metadata(language="en")))
    reported, candidates = both.get("techniques"), both.get("technique_candidates")
    assert reported and candidates
    assert all(s.attrs["span_probability"] >= threshold and "candidate" not in s.attrs
               for s in reported)
    assert all(s.attrs["span_probability"] < threshold and s.attrs["candidate"] is True
               and s.attrs["not_reported"] == "below-operating-point" and s.id.startswith("tcand")
               for s in candidates)
    assert len(reported) + len(candidates) == len(analysed.get("techniques"))
    default = Pipeline(["segment", "techniques"])(Document(text, meta=Metadata(language="en")))
    assert [s.text for s in default.get("techniques")] == [s.text for s in reported]
    assert "technique_candidates" not in default.layers


def test_name_calling_is_not_reported_on_a_bare_name(monkeypatch: pytest.MonkeyPatch) -> None:
    text = ("Australian-born Assange faces charges. Julian Assange spoke. "
            "The corrupt traitor Smith lied again.")
    model = shipped_model()

    def fragment(phrase: str) -> Fragment:
        start = text.index(phrase)
        return Fragment(start, start + len(phrase), 0.9, (("Name_Calling,Labeling", 0.9),
                                                          ("Loaded_Language", 0.1)))

    found = [fragment("Australian-born Assange faces"), fragment("Julian Assange"),
             fragment("The corrupt traitor Smith")]
    monkeypatch.setattr(model, "fragments", lambda articles, outside_bias=None: [found])
    monkeypatch.setattr(model, "_rules", ReportingRules())  # three short sentences: no topic gate
    doc = Pipeline(["segment", "entities", "techniques"],
                   options={"techniques": {"all_candidates": True}})(
        Document(text, meta=Metadata(language="en")))
    assert [s.text for s in doc.get("techniques")] == ["The corrupt traitor Smith"]
    assert {s.text: s.attrs["not_reported"] for s in doc.get("technique_candidates")} == {
        "Australian-born Assange faces": "bare-name", "Julian Assange": "bare-name"}


def test_the_two_technique_stages_score_each_paragraph_once(monkeypatch: pytest.MonkeyPatch) -> None:
    text = ("The corrupt traitor Smith lied to parliament again.\n\nThe minister met the press."
            "\n\nThe court will rule on the election in March.")
    model = shipped_model()
    monkeypatch.setattr(model, "fragments", lambda articles, outside_bias=None: [
        [Fragment(4, 25, 0.9, (("Loaded_Language", 0.9),))]])
    monkeypatch.setattr(model, "_rules", ReportingRules(paragraph_agreement=0.2))
    read: list[str] = []
    score = ParagraphModel.probabilities

    def counted(self: ParagraphModel, paragraphs: list[str]) -> np.ndarray:
        read.extend(paragraphs)
        return score(self, paragraphs)

    monkeypatch.setattr(ParagraphModel, "probabilities", counted)
    both = Pipeline(["segment", "techniques", "paragraph_techniques"],
                    options={"techniques": {"all_candidates": True}})(
        Document(text, meta=Metadata(language="en")))
    paragraphs = [p.text for p in both.get("paragraphs")]
    assert len(paragraphs) == 3 and read == paragraphs  # the first was asked for by both stages
    read.clear()
    spans_only = Pipeline(["segment", "techniques"])(Document(text, meta=Metadata(language="en")))
    assert read == paragraphs[:1]  # the span stage alone reads only the fragment's paragraph
    alone = Pipeline(["segment", "paragraph_techniques"])(Document(text, meta=Metadata(language="en")))
    def layer(doc: Document) -> list[tuple]:
        return [(s.start, s.end, s.label, s.score, s.attrs) for s in doc.get("technique_paragraphs")]

    assert layer(alone) == layer(both) != []
    assert len(both.get("techniques")) + len(both.get("technique_candidates")) == 1
    mass = both.sections["technique_paragraph_mass"]
    assert mass["read"] == 3 and 0 < mass["paragraphs"] <= 3
    evidence = sum(s.attrs["span_probability"] for s in both.get("techniques")) + mass["paragraphs"]
    assert technique_stats(both)["evidence_density_per_1000_chars"] == round(
        1000 * evidence / len(text), 3)
    assert technique_stats(spans_only)["evidence_density_per_1000_chars"] is None


def test_a_text_not_about_public_affairs_gives_only_candidates(monkeypatch: pytest.MonkeyPatch) -> None:
    text = ("Crazy swirls of clouds rolled over the garden!\nThe tomatoes are simply the best "
            "you will ever taste.\nWater them early.")
    model = shipped_model()
    found = [Fragment(0, 22, 0.9, (("Loaded_Language", 0.9),))]
    monkeypatch.setattr(model, "fragments", lambda articles, outside_bias=None: [found])
    doc = Pipeline(["segment", "techniques"], options={"techniques": {"all_candidates": True}})(
        Document(text, meta=Metadata(language="en")))
    assert doc.get("techniques") == []
    assert [(s.text, s.attrs["not_reported"]) for s in doc.get("technique_candidates")] == [
        ("Crazy swirls of clouds", "not-public-affairs")]


def test_the_shipped_card_keeps_rare_techniques_back_and_gates_on_public_affairs() -> None:
    rules = shipped_model().reporting_rules
    assert rules.report_threshold == shipped_model().report_threshold > 0
    assert rules.public_affairs_min > 0
    assert "Loaded_Language" not in rules.unreliable and rules.unreliable <= set(shipped_model().names)


def test_spans_name_a_technique_with_its_definition_and_probabilities(analysed: Document) -> None:
    spans = analysed.get("techniques")
    assert spans, "the fixture is written to be full of loaded language"
    definitions = technique_definitions()
    for span in spans:
        assert span.text == analysed.text[span.start:span.end] and span.text.strip() == span.text
        assert span.attrs["definition"] == definitions[span.label]
        assert 0 < span.score <= span.attrs["technique_probability"] <= 1
        assert span.score == pytest.approx(
            span.attrs["span_probability"] * span.attrs["technique_probability"], abs=2e-4)
        assert span.id.startswith("t") and span.stage == "techniques" and span.model


def test_the_loaded_sentence_is_flagged_and_the_plain_one_is_not(analysed: Document) -> None:
    text = analysed.text
    flagged = {text.count("\n", 0, s.start) for s in analysed.get("techniques")}
    assert 2 in flagged  # "stabbed every honest fisherman in the back"
    assert 8 not in flagged  # "Residents can read the plans at the library until Friday."


def test_at_the_calibrated_setting_loaded_lines_still_outrank_the_plain_one() -> None:
    model = shipped_model()
    text = ARTICLE.read_text(encoding="utf-8")
    encoded = model.encode(text, line_segments(text))
    inside = 1 - np.exp(encoded.log_probs[:, 0])
    line_of = np.array([text.count("\n", 0, s) if s >= 0 else -1 for s in encoded.window.starts])
    strongest = {line: inside[line_of == line].max() for line in (2, 5, 7, 8)}
    assert min(strongest[2], strongest[5], strongest[7]) > strongest[8]


def test_statistics_view_summarises_the_layer(analysed: Document) -> None:
    stats = to_dict(analysed)["technique_stats"]
    assert stats["spans"] == len(analysed.get("techniques"))
    assert 0 < stats["share_of_text"] < 1 and stats["sentences_flagged"] >= 1
    assert sum(row["spans"] for row in stats["by_technique"]) == stats["spans"]
    assert stats["strongest"][0] == max(analysed.get("techniques"), key=lambda s: s.score).id
    expected = analysed.sections["technique_expected"]
    assert expected["candidates"] >= stats["fragments"] and expected["fragments"] > 0
    assert stats["expected_density_per_1000_chars"] == round(
        1000 * expected["fragments"] / len(analysed.text), 3)


def test_a_document_without_sentences_is_read_line_by_line() -> None:
    doc = Document("The traitors stabbed our nation in the back!\nIt rained.")
    Pipeline(["techniques"])(doc)
    assert doc.stage_runs[-1].status == "ok" and "techniques" in doc.layers


def test_other_languages_are_skipped_with_a_warning(pipeline: Pipeline) -> None:
    doc = pipeline(Document("Les traîtres ont menti.", meta=Metadata(language="fr")))
    assert "techniques" not in doc.layers
    assert any(w.code == "language-not-covered" for w in doc.warnings)
    assert to_dict(doc)["technique_stats"] is None


def test_empty_text_gives_an_empty_layer() -> None:
    doc = Pipeline(["segment", "techniques"])(Document("   \n"))
    assert doc.get("techniques") == [] and doc.stage_runs[-1].status == "ok"


def test_a_huge_text_is_read_up_to_the_limit_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    model = shipped_model()
    monkeypatch.setattr(model, "max_article_chars", 2_000)  # the shipped 200,000, scaled down
    monkeypatch.setattr(model, "outside_bias", SENSITIVE_BIAS)
    monkeypatch.setattr(model, "report_threshold", 0.0)
    monkeypatch.setattr(model, "_rules", ReportingRules())
    line = "The traitors stabbed our nation in the back!\n"
    doc = Pipeline(["techniques"])(Document(line * 100))
    assert doc.stage_runs[-1].status == "ok" and doc.get("techniques")
    assert all(span.end <= 2_000 for span in doc.get("techniques"))
    assert any(w.code == "techniques-truncated" for w in doc.warnings)
    short = Pipeline(["techniques"])(Document(line * 10))
    assert not any(w.code == "techniques-truncated" for w in short.warnings)
