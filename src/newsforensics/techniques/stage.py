"""Persuasion techniques (SemEval-2020 Task 11's 14): highlighted spans with a calibrated score.

The shipped model (``models/data/techniques``, see docs/techniques.md) reads the article once:
a BIO tagger over its sentences finds the fragments, a classifier names each one's technique.
A span's ``score`` is P(fragment is propaganda) × P(technique | fragment), both calibrated on
held-out articles, so a threshold reads as a probability; both factors are kept in ``attrs`` with
the technique's definition, so the analyst sees why a span is highlighted.

Precision first (``techniques/reporting.py``): a fragment is reported only when its span
probability reaches the model's calibrated operating point, in a text about public affairs (what
the model was trained on), with a technique that was right often enough on held-out articles;
Repetition only when the words recur, Name_Calling never on a bare name ("Julian Assange",
"Australian-born Assange faces"), and only where the paragraph-level model, a second opinion,
finds some technique in the fragment's paragraph. With ``all_candidates`` the rest are kept in a second layer,
``technique_candidates``, each with the reason it was not reported.
"""

from __future__ import annotations

from collections import Counter
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypedDict

from ..document import Document
from ..pipeline import BaseStage, register
from ..sections import declare
from ..techniques.encoding import line_segments
from ..techniques.formats import technique_definitions
from ..techniques.scoring import merge_spans
from ..views import view

if TYPE_CHECKING:
    from ..document import Span
    from ..techniques.inference import Fragment
    from ..techniques.paragraphs import ParagraphModel, ParagraphScores

LAYER = "techniques"
CANDIDATES = "technique_candidates"
PARAGRAPH_LAYER = "technique_paragraphs"
PARAGRAPH_SCORES = "technique_paragraph_scores"  # doc.cache key prefix, one per language


class ExpectedFragments(TypedDict):
    fragments: float
    candidates: int


EXPECTED = declare("technique_expected", ExpectedFragments, provider="techniques", description=(
    "The expected number of propaganda fragments in the text: the sum of every fragment the "
    "tagger found, reported or not, weighted by its span probability (fragments), over how many "
    "it found (candidates); the technique_stats view gives it per 1,000 characters")).name


class ParagraphMass(TypedDict):
    paragraphs: float
    read: int


PARAGRAPH_MASS = declare("technique_paragraph_mass", ParagraphMass, provider="paragraph_techniques",
                         description=(
    "How many of the text's paragraphs the paragraph model expects to use some technique: the "
    "sum over paragraphs of its highest technique probability (paragraphs), over how many it "
    "read (read); the technique_stats view adds it to the reported fragments' span "
    "probabilities for evidence_density_per_1000_chars")).name


def _segments(doc: Document) -> list[tuple[int, int]]:
    """The sentences the model reads (the lines, when no segmenter ran)."""
    return [(s.start, s.end) for s in doc.get("sentences")] or line_segments(doc.text)


def _paragraphs(doc: Document) -> list[tuple[int, int]]:
    """The paragraphs the paragraph-level model reads (the lines, when no segmenter ran)."""
    return [(p.start, p.end) for p in doc.get("paragraphs")] or line_segments(doc.text)


def paragraph_scores(doc: Document, model: ParagraphModel) -> ParagraphScores:
    """The document's paragraphs under ``model``, scored lazily and kept in ``doc.cache``: the
    span stage's second opinion and the paragraph stage read the same scores, so a paragraph
    both ask about is scored once."""
    from ..techniques.paragraphs import ParagraphScores

    key = f"{PARAGRAPH_SCORES}:{model.language}"
    scores = doc.cache.get(key)
    if scores is None or scores.model is not model or scores.text != doc.text:
        scores = doc.cache[key] = ParagraphScores(doc.text, _paragraphs(doc), model)
    return scores


@register("techniques")
class TechniquesStage(BaseStage):
    """Adds the ``techniques`` layer: one span per (fragment, technique) reported."""

    version = "6"
    requires = ("sentences", "entities")  # entities: the parse that tells a bare name
    provides = (LAYER, CANDIDATES)
    sections = (EXPECTED,)
    languages = ("en",)  # trained on English news only

    def __init__(self, all_candidates: bool = False) -> None:
        self.all_candidates = all_candidates

    @cached_property
    def model(self) -> str | None:
        from ..models.techniques import model_card

        card = model_card()
        return f"{card['id']}-{card['version']}-{card['weights']}"

    def __call__(self, doc: Document) -> None:
        self.pipe([doc])

    def pipe(self, docs: list[Document]) -> None:
        from ..models.spacy_model import parse
        from ..techniques.inference import shipped_model
        from ..techniques.paragraphs import shipped_paragraph_model

        model, paragraph_model = shipped_model(), shipped_paragraph_model("en")
        rules = model.reporting_rules
        found = model.fragments([(doc.text, _segments(doc)) for doc in docs])
        for doc, fragments in zip(docs, found):
            if len(doc.text) > model.max_article_chars:
                doc.warn("techniques-truncated", f"the text is {len(doc.text):,} characters long; "
                         f"techniques were looked for in the first {model.max_article_chars:,} only",
                         stage=self.name)
            reported, candidates = [], []
            judge = rules.for_text(doc.text, paragraph_scores(doc, paragraph_model).support)
            for fragment in fragments:
                for name, p in fragment.reported(self._ratio):
                    why = judge.reason(
                        fragment.start, fragment.end, fragment.span_probability, name,
                        lambda f=fragment: parse(doc).char_span(f.start, f.end, alignment_mode="expand"))
                    span = self._span(doc, fragment, name, p)
                    if why is None:
                        reported.append(span)
                    else:
                        span.attrs.update(candidate=True, not_reported=why)
                        candidates.append(span)
            doc.add(LAYER, reported)
            doc.sections[EXPECTED] = {
                "fragments": round(sum(f.span_probability for f in fragments), 4),
                "candidates": len(fragments)}
            if self.all_candidates:
                doc.add(CANDIDATES, candidates)

    @cached_property
    def _ratio(self) -> float:
        from ..techniques.inference import inference_settings

        return float(inference_settings()["second_technique_ratio"])

    def _span(self, doc: Document, fragment: Fragment, name: str, p: float) -> Span:
        return doc.span(fragment.start, fragment.end, name, stage=self.name, model=self.model,
                        score=round(fragment.span_probability * p, 4),
                        definition=technique_definitions()[name],
                        technique_probability=round(p, 4),
                        span_probability=round(fragment.span_probability, 4))


@view("technique_stats")
def technique_stats(doc: Document) -> dict[str, Any] | None:
    """Per-article figures: how much of the text is flagged, by which techniques, the density
    (reported fragments per 1,000 characters) with its evidence (the strongest spans), the
    expected density (every fragment found, weighted by its span probability: it ranks
    hyperpartisan outlets above mainstream ones better, benchmarks/technique_density.py), and the
    share of paragraphs with a paragraph-level technique (None if neither stage ran)."""
    if LAYER not in doc.layers and PARAGRAPH_LAYER not in doc.layers:
        return None
    spans = doc.get(LAYER)
    covered = sum(e - s for s, e in merge_spans((s.start, s.end) for s in spans))
    sentences = doc.get("sentences")
    flagged = sum(1 for sentence in sentences if any(s.overlaps(sentence.start, sentence.end)
                                                     for s in spans))
    counts = Counter(s.label for s in spans)
    fragments = len({(s.start, s.end) for s in spans})
    paragraphs = doc.get(PARAGRAPH_LAYER)
    all_paragraphs = doc.get("paragraphs")
    return {
        "spans": len(spans),
        "fragments": fragments,
        "density_per_1000_chars": round(1000 * fragments / len(doc.text), 3) if doc.text else 0.0,
        "expected_density_per_1000_chars": (
            round(1000 * doc.sections[EXPECTED]["fragments"] / len(doc.text), 3)
            if EXPECTED in doc.sections and doc.text else None),
        "evidence_density_per_1000_chars": evidence_density(doc, spans),
        "share_of_text": round(covered / len(doc.text), 4) if doc.text else 0.0,
        "sentences_flagged": flagged,
        "share_of_sentences": round(flagged / len(sentences), 4) if sentences else None,
        "by_technique": [{"technique": name, "spans": n,
                          "max_score": max(s.score or 0.0 for s in spans if s.label == name)}
                         for name, n in counts.most_common()],
        "strongest": [s.id for s in sorted(spans, key=lambda s: -(s.score or 0.0))[:5]],
        "paragraph_level": None if PARAGRAPH_LAYER not in doc.layers else {
            "paragraphs_flagged": len({(s.start, s.end) for s in paragraphs}),
            "share_of_paragraphs": (round(len({(s.start, s.end) for s in paragraphs})
                                          / len(all_paragraphs), 4) if all_paragraphs else None),
            "by_technique": [{"technique": name, "paragraphs": n} for name, n in
                             Counter(s.label for s in paragraphs).most_common()],
        },
    }


def evidence_density(doc: Document, spans: list[Span]) -> float | None:
    """Calibrated evidence per 1,000 characters: the reported fragments, each counted by its
    span probability (the chance it is annotated propaganda), plus the paragraphs the paragraph
    model expects to use a technique (``technique_paragraph_mass``) — two expected counts, added
    without a fitted weight. None when the paragraph stage did not run or the text is empty."""
    mass = doc.sections.get(PARAGRAPH_MASS)
    if mass is None or not doc.text:
        return None
    # A span this stage did not make (an imported or synthetic dossier) counts by its score.
    fragments = {(s.start, s.end): s.attrs.get("span_probability", s.score or 0.0) for s in spans}
    return round(1000 * (sum(fragments.values()) + mass["paragraphs"]) / len(doc.text), 3)


@register("paragraph_techniques")
class ParagraphTechniquesStage(BaseStage):
    """Adds ``technique_paragraphs``: which of SemEval-2023's 23 techniques each paragraph uses,
    one span per (paragraph, technique) over the whole paragraph, ``level: "paragraph"`` — the
    technique is somewhere in it, not at those exact words. Covers the six languages with a
    trained model, English included (beside its span-level layer)."""

    version = "2"
    requires = ("paragraphs",)
    provides = (PARAGRAPH_LAYER,)
    sections = (PARAGRAPH_MASS,)
    languages = ("en", "fr", "de", "it", "pl", "ru")

    @cached_property
    def model(self) -> str | None:
        from ..techniques.paragraphs import paragraph_card

        card = paragraph_card()
        return f"{card['id']}-{card['version']}"

    def __call__(self, doc: Document) -> None:
        from ..techniques.paragraphs import (
            ParagraphModelMissing,
            paragraph_techniques,
            shipped_paragraph_model,
        )

        language = doc.meta.language if doc.meta.language in self.languages else "en"
        try:
            model = shipped_paragraph_model(language)
        except ParagraphModelMissing as exc:
            doc.warn("techniques-no-paragraph-model", str(exc), stage=self.name)
            return
        definitions = paragraph_techniques()
        scores = paragraph_scores(doc, model)
        probabilities = scores.probabilities()
        found = model.above_threshold(probabilities)
        doc.sections[PARAGRAPH_MASS] = {
            "paragraphs": round(sum(float(row.max(initial=0.0)) for row in probabilities), 4),
            "read": len(probabilities)}
        doc.add(PARAGRAPH_LAYER, [
            doc.span(start, end, name, stage=self.name, model=self.model, score=round(p, 4),
                     level="paragraph", language=language, threshold=model.threshold,
                     definition=definitions[name])
            for (start, end), techniques in zip(scores.paragraphs, found) for name, p in techniques])
