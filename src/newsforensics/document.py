"""The one document model: clean text, the raw input it came from, typed spans and sections.

Every analysis is a set of character-offset spans over ``Document.text`` grouped in named
layers (``doc.layers["quotes"]``), the way spaCy's ``Doc.spans`` holds overlapping span
groups. Each span says which stage and model version produced it, so an analyst can always ask
"why is this highlighted?". Parts of the raw input that are not in the clean text (boilerplate,
captions) are kept as :class:`Removed` records with raw offsets and a reason. Document-level
results that are not spans (the outlet's profile, the genre) are typed ``sections``, each
declared by the stage that provides it (:mod:`newsforensics.sections`).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from . import sections as _sections

SCHEMA_VERSION = "1.0"


@dataclass(slots=True)
class Span:
    """A labelled stretch of ``Document.text`` with the evidence of who produced it."""

    start: int
    end: int
    label: str
    text: str
    stage: str
    model: str | None = None
    score: float | None = None
    attrs: dict[str, Any] = field(default_factory=dict)
    id: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span offsets {self.start}..{self.end}")

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end

    def within(self, start: int, end: int) -> bool:
        return start <= self.start and self.end <= end


@dataclass(slots=True)
class Removed:
    """A part of the raw input left out of the clean text, and why."""

    raw_start: int
    raw_end: int
    text: str
    kind: str  # "boilerplate" | "caption" | "duplicate-title" | "markup"
    reason: str
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Warning_:
    """A degraded result, told to the user instead of failing."""

    code: str
    message: str
    stage: str | None = None


@dataclass(slots=True)
class StageRun:
    """One stage's run on one document: provenance and timing for the dossier."""

    name: str
    version: str
    model: str | None
    seconds: float
    status: str = "ok"  # "ok" | "skipped" | "failed"
    detail: str | None = None


class OffsetMap:
    """Maps clean-text offsets back to raw-input offsets.

    Stored as aligned segments ``(clean_start, raw_start, length)`` where the two texts agree
    character for character; offsets inside text that extraction rewrote (whitespace folding,
    entity decoding) map to ``None`` rather than to a guess.
    """

    __slots__ = ("_clean_starts", "_segments")

    def __init__(self, segments: Iterable[tuple[int, int, int]] = ()) -> None:
        self._segments = sorted((s for s in segments if s[2] > 0), key=lambda s: s[0])
        self._clean_starts = [s[0] for s in self._segments]

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        return cls([(0, 0, length)])

    @property
    def segments(self) -> list[tuple[int, int, int]]:
        return list(self._segments)

    def to_raw(self, offset: int, *, end: bool = False) -> int | None:
        """Raw offset of a clean offset; ``end`` treats it as an exclusive end."""
        probe = offset - 1 if end else offset
        i = bisect.bisect_right(self._clean_starts, probe) - 1
        if i < 0:
            return None
        clean_start, raw_start, length = self._segments[i]
        if not clean_start <= probe < clean_start + length:
            return None
        return raw_start + offset - clean_start

    def span_to_raw(self, start: int, end: int) -> tuple[int, int] | None:
        if start == end:
            raw = self.to_raw(start)
            if raw is None:
                raw = self.to_raw(start, end=True)
            return (raw, raw) if raw is not None else None
        raw_start, raw_end = self.to_raw(start), self.to_raw(end, end=True)
        if raw_start is None or raw_end is None:
            return None
        return raw_start, raw_end


@dataclass(slots=True)
class Metadata:
    """What we know about the item itself, with where each date/outlet value came from."""

    title: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    outlet: str | None = None
    site_name: str | None = None
    author: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) or datetime
    published_source: str | None = None  # "input" | "html-meta" | "inferred-from-text" | …
    language: str | None = None
    language_score: float | None = None
    input_kind: str | None = None  # "html" | "text" | "record"
    source_name: str | None = None  # file path or "-" when read from stdin
    encoding: str | None = None


class Sections(dict[str, Any]):
    """A document's typed sections (see :mod:`newsforensics.sections`): only declared names."""

    def __setitem__(self, name: str, value: Any) -> None:
        _sections.check(name)
        super().__setitem__(name, value)


class Document:
    """Clean text plus layers of spans; the unit every stage, report and store reads."""

    def __init__(
        self,
        text: str,
        *,
        raw: str | None = None,
        meta: Metadata | None = None,
        offset_map: OffsetMap | None = None,
    ) -> None:
        self.text = text
        self.raw = text if raw is None else raw
        self.meta = meta or Metadata()
        if offset_map is None:
            offset_map = OffsetMap.identity(len(text)) if self.raw == text else OffsetMap()
        self.offset_map = offset_map
        self.layers: dict[str, list[Span]] = {}
        # Document-level results of stages (source profile, genre …), each a declared section.
        self.sections = Sections()
        self.removed: list[Removed] = []
        self.warnings: list[Warning_] = []
        self.stage_runs: list[StageRun] = []
        # Per-run, never serialised: parses and other heavy intermediates shared by stages
        # (the spaCy Doc lives under "spacy"), like spaCy's ``Doc.user_data``.
        self.cache: dict[str, Any] = {}

    @property
    def language(self) -> str:
        """The primary subtag of ``meta.language`` ("pt" of "pt-BR"): what the stages' lexicons
        and models are keyed by; English when the language is not known."""
        return (self.meta.language or "en").split("-")[0]

    def __repr__(self) -> str:
        layers = ", ".join(f"{k}={len(v)}" for k, v in self.layers.items())
        return f"Document({len(self.text)} chars, {layers})"

    def span(
        self,
        start: int,
        end: int,
        label: str,
        *,
        stage: str,
        model: str | None = None,
        score: float | None = None,
        **attrs: Any,
    ) -> Span:
        """Build a span over this document's text (the text is taken from the offsets)."""
        if end > len(self.text):
            raise ValueError(f"span end {end} beyond text length {len(self.text)}")
        return Span(start, end, label, self.text[start:end], stage, model, score, dict(attrs))

    def add(self, layer: str, spans: Iterable[Span]) -> list[Span]:
        """Add spans to a layer, keeping it sorted and giving each a stable id."""
        group = self.layers.setdefault(layer, [])
        group.extend(spans)
        group.sort(key=lambda s: (s.start, -s.end, s.label))
        prefix = LAYER_ID_PREFIX.get(layer, layer[:3])
        for i, s in enumerate(group):
            s.id = f"{prefix}{i + 1}"
        return group

    def get(self, layer: str) -> list[Span]:
        return self.layers.get(layer, [])

    def spans_in(self, layer: str, start: int, end: int) -> Iterator[Span]:
        """Spans of a layer that lie inside ``[start, end)``."""
        return (s for s in self.get(layer) if s.within(start, end))

    def covering(self, layer: str, start: int, end: int) -> Span | None:
        """The first span of a layer that contains ``[start, end)``."""
        return next((s for s in self.get(layer) if s.start <= start and end <= s.end), None)

    def warn(self, code: str, message: str, stage: str | None = None) -> None:
        if not any(w.code == code and w.message == message for w in self.warnings):
            self.warnings.append(Warning_(code, message, stage))

    def raw_offsets(self, span: Span) -> tuple[int, int] | None:
        return self.offset_map.span_to_raw(span.start, span.end)


# Short id prefixes so that references between layers read well ("q2" speaks "ent5").
LAYER_ID_PREFIX = {
    "paragraphs": "p",
    "sentences": "s",
    "entities": "e",
    "places": "pl",
    "dates": "d",
    "quotes": "q",
    "claims": "c",
    "techniques": "t",
    "technique_candidates": "tcand",
    "technique_paragraphs": "tpar",
    "denials": "den",
    "narratives": "nar",
    "factchecks": "fc",
}
