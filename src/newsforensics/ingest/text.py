"""Plain text and flattened page dumps: a line-level boilerplate cleaner.

Pages copied out of a browser or scraped to text keep their debris as whole lines: donation
widgets ("2,500 $"), the headline printed twice, photo captions with credits, "Read more"
links, share counters, cookie banners. Each line is classified with the shared rule set
(:mod:`.boilerplate`); what is cut becomes a :class:`Removed` record with raw offsets and a
reason, and the kept lines are rebuilt into the house layout (headline, blank line, one
paragraph a line) with an exact clean→raw offset map. Text that needs no cleaning (the layout
of research corpora such as PTC) is returned unchanged, with an identity map, so that gold
offsets stay valid.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..document import Document, Metadata, OffsetMap, Removed
from . import boilerplate

STAGE = "extract"
_SENTENCE_END = (".", "!", "?", "…", ":", ";", '"', "'", "”", "’", "»", ")", "]")


@dataclass(slots=True)
class Line:
    start: int  # raw offsets of the stripped line content
    end: int
    blank: bool
    verdict: boilerplate.Verdict | None = None
    duplicate_title: bool = False

    @property
    def kept(self) -> bool:
        return not self.blank and self.verdict is None and not self.duplicate_title


def split_lines(raw: str) -> Iterator[Line]:
    """Lines with the raw offsets of their stripped content (linear, no regex)."""
    position, size = 0, len(raw)
    while position <= size:
        newline = raw.find("\n", position)
        end = size if newline < 0 else newline
        start, stop = position, end
        while start < stop and raw[start].isspace():
            start += 1
        while stop > start and raw[stop - 1].isspace():
            stop -= 1
        yield Line(start, stop, start == stop)
        if newline < 0:
            break
        position = newline + 1


def read_text(text: str) -> Document:
    """Clean a plain-text item into a Document (see the module docstring)."""
    raw = text
    rules = boilerplate.rules()
    boilerplate.check_size(raw, "max_text_chars", "plain text")
    lines = list(split_lines(raw))
    for line in lines:
        if not line.blank:
            line.verdict = rules.classify(raw[line.start:line.end])
    headline = _find_headline(raw, lines, rules.limits)
    if headline is not None:
        _mark_duplicate_titles(raw, lines, headline)
    paragraphs = _paragraphs(raw, lines, headline)

    if _needs_no_cleaning(lines, paragraphs):
        doc = Document(raw, raw=raw, meta=Metadata(input_kind="text"), offset_map=OffsetMap.identity(len(raw)))
        headline_span = (headline.start, headline.end) if headline else None
    else:
        clean, segments, headline_span = _rebuild(raw, headline, paragraphs)
        doc = Document(clean, raw=raw, meta=Metadata(input_kind="text"), offset_map=OffsetMap(segments))

    if headline_span is not None:
        doc.meta.title = doc.text[headline_span[0]:headline_span[1]]
        doc.add("headline", [doc.span(*headline_span, "headline", stage=STAGE)])
    doc.removed.extend(_removed_records(raw, lines))
    return doc


def _find_headline(raw: str, lines: list[Line], limits: dict[str, int]) -> Line | None:
    """The headline: the first line when it is title-like and printed again near the top,
    else a title-like line ending the first block when that block is short (title, or kicker
    + title)."""
    kept = [ln for ln in lines if ln.kept]
    if not kept:
        return None
    first = kept[0]
    first_key = boilerplate.comparable(raw[first.start:first.end])
    window = kept[1:limits.get("headline_search_lines", 12)]
    if boilerplate.is_title_like(raw[first.start:first.end], limits) and any(
        boilerplate.comparable(raw[ln.start:ln.end]) == first_key for ln in window
    ):
        return first
    first_block: list[Line] = []
    for line in lines:
        if line.kept:
            first_block.append(line)
        elif first_block:  # a blank or removed line ends the block
            break
    if 1 <= len(first_block) <= 2 and boilerplate.is_title_like(
        raw[first_block[-1].start:first_block[-1].end], limits
    ) and len(first_block) < len(kept):
        return first_block[-1]
    return None


def _mark_duplicate_titles(raw: str, lines: list[Line], headline: Line) -> None:
    key = boilerplate.comparable(raw[headline.start:headline.end])
    for line in lines:
        if line is not headline and line.kept and boilerplate.comparable(raw[line.start:line.end]) == key:
            line.duplicate_title = True


def _paragraphs(raw: str, lines: list[Line], headline: Line | None) -> list[list[Line]]:
    """Kept body lines grouped into paragraphs: one a line, except hard-wrapped blocks."""
    blocks: list[list[Line]] = [[]]
    for line in lines:
        if line.kept and line is not headline:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    paragraphs: list[list[Line]] = []
    for block in filter(None, blocks):
        if _hard_wrapped(raw, block):
            paragraphs.append(block)
        else:
            paragraphs.extend([line] for line in block)
    return paragraphs


def _hard_wrapped(raw: str, block: list[Line]) -> bool:
    """Most lines of the block stop mid-sentence: it is one paragraph wrapped at a width."""
    if len(block) < 2:
        return False
    open_ended = sum(1 for ln in block[:-1] if not raw[ln.start:ln.end].endswith(_SENTENCE_END))
    return open_ended > (len(block) - 1) / 2


def _needs_no_cleaning(lines: list[Line], paragraphs: list[list[Line]]) -> bool:
    """Nothing removed and no hard-wrapped paragraph: the raw text is already clean."""
    return all(ln.blank or ln.kept for ln in lines) and all(len(p) == 1 for p in paragraphs)


def _rebuild(raw: str, headline: Line | None, paragraphs: list[list[Line]]) -> tuple[
        str, list[tuple[int, int, int]], tuple[int, int] | None]:
    """The house layout (headline, blank line, one paragraph a line) and its offset map."""
    parts: list[str] = []
    segments: list[tuple[int, int, int]] = []
    length = 0

    def emit(line: Line) -> None:
        nonlocal length
        segments.append((length, line.start, line.end - line.start))
        parts.append(raw[line.start:line.end])
        length += line.end - line.start

    def glue(separator: str) -> None:
        nonlocal length
        parts.append(separator)
        length += len(separator)

    headline_span = None
    if headline is not None:
        emit(headline)
        headline_span = (0, length)
        if paragraphs:
            glue("\n\n")
    for i, paragraph in enumerate(paragraphs):
        if i:
            glue("\n")
        for j, line in enumerate(paragraph):
            if j:
                glue(" ")
            emit(line)
    return "".join(parts), segments, headline_span


def _removed_records(raw: str, lines: list[Line]) -> Iterator[Removed]:
    for line in lines:
        if line.duplicate_title:
            yield Removed(line.start, line.end, raw[line.start:line.end], "duplicate-title",
                          "duplicate of the headline", {"rule": "duplicate-title"})
        elif line.verdict is not None:
            v = line.verdict
            yield Removed(line.start, line.end, raw[line.start:line.end], v.kind, v.reason, dict(v.attrs))
