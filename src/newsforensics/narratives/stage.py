"""The ``narratives`` stage: sentences that match known disinformation narratives, with evidence.

Each matching sentence gets a span in the ``narratives`` layer (label: the narrative id) with the
narrative's title, the example claim it matched, the calibrated probability, the keyword and
place cues, and its stance: ``carried`` (own voice), ``attributed`` (someone the outlet quotes)
or ``denied`` (the sentence reports a denial or debunk; it does not count as carrying). The
``narrative_matches`` view sums this up per narrative and says so when nothing matched.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..document import Document
from ..models import multilingual
from ..narratives.catalogue import load_catalogue
from ..narratives.matcher import NarrativeMatcher, PlaceRef
from ..narratives.stance import DENIED, sentence_stance
from ..pipeline import BaseStage, register
from ..sections import declare
from ..views import view

CATALOGUE = declare("narrative_catalogue", str, provider="narratives", description=(
    "The narrative catalogue (name@version, merged sources) the item was matched against")).name


@register("narratives")
class NarrativesStage(BaseStage):
    """Matches every sentence against the narrative catalogue (built-in + user + ``catalogue``)."""

    version = "1"
    requires = ("sentences", "voice", "quotes", "framing", "places", "denials")
    provides = ("narratives",)
    sections = (CATALOGUE,)

    def __init__(self, catalogue: Sequence[str | Path] = (), builtin: bool = True) -> None:
        self._paths = [Path(p) for p in catalogue]
        self._builtin = builtin
        self._matcher: NarrativeMatcher | None = None

    @property
    def matcher(self) -> NarrativeMatcher:
        if self._matcher is None:
            self._matcher = NarrativeMatcher(load_catalogue(self._paths, include_builtin=self._builtin))
        return self._matcher

    @property
    def model(self) -> str | None:
        return f"narratives {self.matcher.catalogue.version}; {multilingual.MODEL_ID}"

    def __call__(self, doc: Document) -> None:
        self.pipe([doc])

    def pipe(self, docs: list[Document]) -> None:
        # One encoder call for every sentence of the batch: the batch is the fast path.
        rows = [(doc, s) for doc in docs for s in doc.get("sentences")]
        matches = self.matcher.match(
            [s.text for _, s in rows], [doc.meta.language for doc, _ in rows],
            [_sentence_places(doc, s.start, s.end) for doc, s in rows])
        found: dict[int, list[Any]] = {id(doc): [] for doc in docs}
        for (doc, sentence), sentence_matches in zip(rows, matches, strict=True):
            if not sentence_matches:
                continue
            stance = sentence_stance(doc, sentence)
            for m in sentence_matches:
                found[id(doc)].append(doc.span(
                    sentence.start, sentence.end, m.narrative.id, stage=self.name, model=self.model,
                    score=round(m.probability, 3), narrative=m.narrative.id, title=m.narrative.title,
                    stance=stance.label, stance_cue=stance.cue, speaker=stance.speaker,
                    example=m.example.text, example_lang=m.example.lang, cosine=round(m.cosine, 3),
                    cues=m.cues, contributions=m.contributions, sentence=sentence.id or None,
                    catalogue=m.narrative.catalogue,
                ))
        for doc in docs:
            doc.add("narratives", found[id(doc)])
            doc.sections[CATALOGUE] = self.matcher.catalogue.version


def _sentence_places(doc: Document, start: int, end: int) -> set[PlaceRef]:
    return {(p.attrs.get("geonameid"), p.attrs.get("country") or "") for p in doc.spans_in("places", start, end)}


@view("narrative_matches")
def narrative_matches(doc: Document) -> dict[str, Any] | None:
    """Per narrative: the best score among sentences that carry or attribute it, and the evidence.

    ``status`` is ``match`` when some sentence carries or attributes a narrative, ``denied-only``
    when the only mentions report its denial, ``no-match`` when nothing matched; None when the
    stage did not run.
    """
    if not any(run.name == "narratives" and run.status == "ok" for run in doc.stage_runs) \
            and "narratives" not in doc.layers:
        return None
    rows: dict[str, dict[str, Any]] = {}
    for span in doc.get("narratives"):
        row = rows.setdefault(span.label, {"id": span.label, "title": span.attrs.get("title"), "score": 0.0,
                                           "carried": 0, "attributed": 0, "denied": 0, "evidence": []})
        stance = span.attrs.get("stance", "carried")
        row[stance] = row.get(stance, 0) + 1
        if stance != DENIED:
            row["score"] = max(row["score"], span.score or 0.0)
        row["evidence"].append({"span": span.id, "sentence": span.text, "stance": stance,
                                "example": span.attrs.get("example"), "score": span.score})
    carried = sorted((r for r in rows.values() if r["carried"] + r["attributed"]), key=lambda r: -r["score"])
    denied = [r for r in rows.values() if not r["carried"] + r["attributed"]]
    status = "match" if carried else "denied-only" if denied else "no-match"
    return {"status": status, "catalogue": doc.sections.get(CATALOGUE),
            "narratives": carried, "denied_only": denied}
