"""Persuasion techniques (SemEval-2020 Task 11's 14): highlighted spans with a calibrated score.

The shipped model (``models/data/techniques``, see docs/techniques.md) reads the article once:
a BIO tagger over its sentences finds the fragments, a classifier names each one's technique.
A span's ``score`` is P(fragment is propaganda) × P(technique | fragment), both calibrated on
held-out articles, so a threshold reads as a probability; both factors are kept in ``attrs`` with
the technique's definition, so the analyst sees why a span is highlighted.
"""

from __future__ import annotations

from collections import Counter
from functools import cached_property
from typing import Any

from ..document import Document
from ..pipeline import BaseStage, register
from ..techniques.encoding import line_segments
from ..techniques.formats import technique_definitions
from ..techniques.scoring import merge_spans
from ..views import view

LAYER = "techniques"


def _segments(doc: Document) -> list[tuple[int, int]]:
    """The sentences the model reads (the lines, when no segmenter ran)."""
    return [(s.start, s.end) for s in doc.get("sentences")] or line_segments(doc.text)


@register("techniques")
class TechniquesStage(BaseStage):
    """Adds the ``techniques`` layer: one span per (fragment, technique) reported."""

    version = "2"
    requires = ("sentences",)
    provides = (LAYER,)
    languages = ("en",)  # trained on English news only

    @cached_property
    def model(self) -> str | None:
        from ..models.techniques import model_card

        card = model_card()
        return f"{card['id']}-{card['version']}-{card['weights']}"

    def __call__(self, doc: Document) -> None:
        self.pipe([doc])

    def pipe(self, docs: list[Document]) -> None:
        from ..techniques.inference import inference_settings, shipped_model

        model = shipped_model()
        ratio = float(inference_settings()["second_technique_ratio"])
        definitions = technique_definitions()
        found = model.fragments([(doc.text, _segments(doc)) for doc in docs])
        for doc, fragments in zip(docs, found):
            if len(doc.text) > model.max_article_chars:
                doc.warn("techniques-truncated", f"the text is {len(doc.text):,} characters long; "
                         f"techniques were looked for in the first {model.max_article_chars:,} only",
                         stage=self.name)
            doc.add(LAYER, [
                doc.span(f.start, f.end, name, stage=self.name, model=self.model,
                         score=round(f.span_probability * p, 4), definition=definitions[name],
                         technique_probability=round(p, 4),
                         span_probability=round(f.span_probability, 4))
                for f in fragments for name, p in f.reported(ratio)
            ])


@view("technique_stats")
def technique_stats(doc: Document) -> dict[str, Any] | None:
    """Per-article figures: how much of the text is flagged, by which techniques (None if the
    stage did not run)."""
    if LAYER not in doc.layers:
        return None
    spans = doc.get(LAYER)
    covered = sum(e - s for s, e in merge_spans((s.start, s.end) for s in spans))
    sentences = doc.get("sentences")
    flagged = sum(1 for sentence in sentences if any(s.overlaps(sentence.start, sentence.end)
                                                     for s in spans))
    counts = Counter(s.label for s in spans)
    return {
        "spans": len(spans),
        "fragments": len({(s.start, s.end) for s in spans}),
        "share_of_text": round(covered / len(doc.text), 4) if doc.text else 0.0,
        "sentences_flagged": flagged,
        "share_of_sentences": round(flagged / len(sentences), 4) if sentences else None,
        "by_technique": [{"technique": name, "spans": n,
                          "max_score": max(s.score or 0.0 for s in spans if s.label == name)}
                         for name, n in counts.most_common()],
        "strongest": [s.id for s in sorted(spans, key=lambda s: -(s.score or 0.0))[:5]],
    }
