"""The ``framing`` stage: the item's genre and, per sentence, whose claim it is.

A fact-check or a disinformation-database entry restates a false claim in order to refute it;
a report relays what another outlet or person says; only the rest is the outlet asserting
something in its own voice. Reading every sentence as own voice turns a debunk into a carrier
of the very narrative it refutes. The stage records its evidence as spans (``genre_evidence``:
debunk labels, disproof markers, verdict words, ClaimReview markup, genre labels) and labels
each sentence (``framing``): ``asserted`` (own voice), ``reported`` (someone else's statement,
``by`` the speaker, ``outlet`` when the speaker is a publication) or ``refuted`` (the claim under
refutation). The genre goes to the section ``genre``. Claims and narrative stance read it.
Patterns are in ``data/framing.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal, TypedDict

from ..document import Document, Span
from ..pipeline import BaseStage, register
from ..sections import declare


class Genre(TypedDict):
    label: Literal["report", "opinion", "debunk", "press-release", "aggregation"]
    basis: list[str]
    evidence: list[str]
    stage: str
    version: str


GENRE = declare("genre", Genre, provider="framing", description=(
    "The item's genre with its basis and the ids of its genre_evidence spans")).name
CLAIMREVIEW = declare("claimreview", bool, provider="framing", description=(
    "True when the raw input carries schema.org ClaimReview markup")).name

ASSERTED, REPORTED, REFUTED = "asserted", "reported", "refuted"
GENRES = ("report", "opinion", "debunk", "press-release", "aggregation")


def _any(patterns: list[str], line_start: bool = False) -> re.Pattern[str]:
    body = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(rf"^[ \t]*(?:{body})" if line_start else body, re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class FramingRules:
    labels: re.Pattern[str]
    disproof: re.Pattern[str]
    claim_sections: re.Pattern[str]
    verdicts: re.Pattern[str]
    claimreview: re.Pattern[str]
    head_chars: int
    opinion: re.Pattern[str]
    press_release: re.Pattern[str]
    aggregation_share: float
    min_sentences: int
    outlet_words: re.Pattern[str]
    report_cues: dict[str, re.Pattern[str]]


def _outlet_names() -> list[str]:
    """Every outlet name the sources package knows: seeded self-names and alias names."""
    from ..sources.aliases import alias_names
    from ..sources.config import seeded_outlets

    names = {n for o in seeded_outlets() for n in o.names} | set(alias_names())
    return sorted(names, key=len, reverse=True)


def _report_cues(raw: dict[str, list[str]]) -> dict[str, re.Pattern[str]]:
    outlet = "(?P<outlet>(?-i:" + "|".join(re.escape(n) for n in _outlet_names()) + r"))(?![\w-])"
    return {lang: re.compile("|".join(f"(?:{p})" for p in patterns).replace("{outlet}", outlet, 1)
                             .replace("{outlet}", outlet.replace("?P<outlet>", "")), re.IGNORECASE)
            for lang, patterns in raw.items()}


@lru_cache(maxsize=1)
def rules() -> FramingRules:
    raw = tomllib.loads(resources.files(__package__).joinpath("data/framing.toml").read_text("utf-8"))
    d, g = raw["debunk"], raw["genre"]
    return FramingRules(
        labels=_any(d["labels"], line_start=True), disproof=_any(d["disproof"], line_start=True),
        claim_sections=_any(d["claim_sections"], line_start=True), verdicts=_any(d["verdicts"]),
        claimreview=_any(d["claimreview"]), head_chars=int(g["head_chars"]),
        opinion=_any(g["opinion"]), press_release=_any(g["press_release"]),
        aggregation_share=float(g["aggregation_share"]), min_sentences=int(g["min_sentences"]),
        outlet_words=_any(raw["report"]["outlet_words"]),
        report_cues=_report_cues(raw["report"]["cues"]),
    )


def is_outlet_name(name: str | None) -> bool:
    """Whether a speaker is a publication ("the German tabloid Bild", "Sputnik", "CNN radio")."""
    if not name:
        return False
    from ..sources.fingerprint import named_outlets

    return bool(rules().outlet_words.search(name)) or any(True for _ in named_outlets(name))


def refuted_zones(text: str, r: FramingRules) -> list[tuple[int, int]]:
    """The stretches of text that restate a claim under refutation: from a debunk label (or a
    claim-summary heading) to the next disproof marker, else to the end of the label's line."""
    zones = []
    markers = [m.start() for m in r.disproof.finditer(text)]
    for m in list(r.labels.finditer(text)) + list(r.claim_sections.finditer(text)):
        end = next((s for s in markers if s > m.start()), None)
        if end is None:
            line_end = text.find("\n", m.end())
            end = len(text) if line_end < 0 else line_end
        zones.append((m.start(), end))
    return zones


@register("framing")
class FramingStage(BaseStage):
    """Adds ``genre_evidence`` and ``framing`` (one span per sentence); sets the ``genre`` section."""

    version = "1"
    requires = ("sentences", "voice", "quotes")
    provides = ("framing", "genre_evidence")
    sections = (GENRE, CLAIMREVIEW)

    def __call__(self, doc: Document) -> None:
        if not doc.text.strip():
            return
        r = rules()
        text = doc.text
        zones = refuted_zones(text, r)
        quotes = {q.id: q for q in doc.get("quotes")}
        sentences = doc.get("voice") or doc.get("sentences")
        reports = {v.start: rep for v in sentences if (rep := self._outlet_report(doc, r, v)) is not None}
        evidence = doc.add("genre_evidence", sorted([*self._evidence(doc, r), *reports.values()],
                                                    key=lambda e: (e.start, -e.end, e.label)))
        spans = []
        reported_by_outlets = 0
        for voice in sentences:
            in_zone = next((z for z in zones if z[0] <= voice.start < z[1]), None)
            speaker = voice.attrs.get("speaker")
            quote = quotes.get(voice.attrs.get("quote") or "")
            attrs: dict[str, Any] = {"sentence": voice.attrs.get("sentence") or voice.id or None}
            if in_zone is not None:
                label = REFUTED
                attrs["refuted_by"] = "outlet"
                attrs["evidence"] = [e.id for e in evidence if e.start < in_zone[1] and e.end > in_zone[0]
                                     or e.label in ("disproof-marker", "claimreview")]
                if speaker:
                    attrs["by"] = speaker
            elif (report := reports.get(voice.start)) is not None:
                label = REPORTED
                attrs.update(by=report.attrs["outlet"], cue=report.text, outlet=True, evidence=[report.id])
                reported_by_outlets += 1
            elif voice.label in ("quoted", "attributed") and quote is not None:
                label = REPORTED
                attrs["by"] = speaker
                attrs["cue"] = quote.attrs.get("cue")
                attrs["outlet"] = is_outlet_name(speaker)
                reported_by_outlets += attrs["outlet"]
            else:
                label = ASSERTED
            spans.append(doc.span(voice.start, voice.end, label, stage=self.name, model=self.model, **attrs))
        doc.add("framing", spans)
        doc.sections[GENRE] = self._genre(doc, r, evidence, zones, len(spans), reported_by_outlets)

    def _outlet_report(self, doc: Document, r: FramingRules, sentence: Span) -> Span | None:
        """ "Sputnik, qui relaye l'information, écrit …", "according to RT": another outlet's report."""
        pattern = r.report_cues.get(doc.language)
        m = pattern.search(doc.text, sentence.start, sentence.end) if pattern is not None else None
        if m is None:
            return None
        outlet = next((g for g in m.groups() if g), m.group())
        return doc.span(m.start(), m.end(), "report-cue", stage=self.name, model=self.model, outlet=outlet)

    def _evidence(self, doc: Document, r: FramingRules) -> list[Span]:
        """Debunk and genre evidence spans (not yet added to the document)."""
        text = doc.text
        found = []
        for kind, pattern in (("debunk-label", r.labels), ("claim-section", r.claim_sections),
                              ("disproof-marker", r.disproof), ("verdict", r.verdicts)):
            for m in pattern.finditer(text):
                start = m.start() + len(m.group()) - len(m.group().lstrip())
                found.append(doc.span(start, m.end(), kind, stage=self.name, model=self.model))
        head = text[:r.head_chars]
        for kind, pattern in (("opinion-label", r.opinion), ("press-release-label", r.press_release)):
            m = pattern.search(head)
            if m:
                found.append(doc.span(m.start(), m.end(), kind, stage=self.name, model=self.model))
        raw = doc.raw if isinstance(doc.raw, str) else ""
        if raw and r.claimreview.search(raw):
            doc.sections[CLAIMREVIEW] = True
        return found

    def _genre(self, doc: Document, r: FramingRules, evidence: list[Span], zones: list[tuple[int, int]],
               sentences: int, reported_by_outlets: int) -> dict[str, Any]:
        kinds = {e.label for e in evidence}
        basis: list[str] = []
        if doc.sections.get(CLAIMREVIEW):
            label, basis = "debunk", ["ClaimReview markup in the input"]
        elif zones and ("disproof-marker" in kinds or "debunk-label" in kinds):
            label = "debunk"
            basis = [f"{e.label}: {e.text}" for e in evidence if e.label in ("debunk-label", "disproof-marker")]
        elif "press-release-label" in kinds:
            label, basis = "press-release", [e.text for e in evidence if e.label == "press-release-label"]
        elif "opinion-label" in kinds:
            label, basis = "opinion", [e.text for e in evidence if e.label == "opinion-label"]
        elif sentences >= r.min_sentences and reported_by_outlets / sentences >= r.aggregation_share:
            label, basis = "aggregation", [f"{reported_by_outlets} of {sentences} sentences report other outlets"]
        else:
            label = "report"
        return {"label": label, "basis": basis[:6], "evidence": [e.id for e in evidence][:12],
                "stage": self.name, "version": self.version}
