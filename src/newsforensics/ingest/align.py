"""Locating extracted text in the raw input, for the clean→raw offset map.

Extractors fold whitespace (a paragraph wrapped over three source lines comes out as one
line), so a verbatim search misses most paragraphs of real pages. ``locate`` finds the words
of a line in order, separated by any whitespace, and returns aligned segments (clean offset,
raw offset, length) over the stretches where both texts agree character for character. The
search runs forward from a cursor inside a bounded window with a bounded number of anchor
tries, so locating every paragraph of a page stays linear in the page size (no regex is
compiled per paragraph: that alone cost more than the extraction).
"""

from __future__ import annotations

import re

_NON_SPACE = re.compile(r"\S+")
_MAX_TRIES = 64
Segment = tuple[int, int, int]


def locate(raw: str, text: str, clean_start: int, cursor: int, window: int) -> tuple[list[Segment], int] | None:
    """Segments mapping ``text`` (at ``clean_start`` in the clean text) to its first
    occurrence in ``raw[cursor:cursor + window]`` up to whitespace, and where it ends in raw."""
    anchor_match = _NON_SPACE.search(text)
    if anchor_match is None:
        return None
    words: list[tuple[int, str]] = []
    limit = min(len(raw), cursor + window)
    anchor = anchor_match.group()
    position = cursor
    for _ in range(_MAX_TRIES):
        start = raw.find(anchor, position, limit)
        if start < 0:
            return None
        if raw.startswith(text, start) and start + len(text) <= limit:  # verbatim: the fast path
            return [(clean_start, start, len(text))], start + len(text)
        words = words or [(m.start(), m.group()) for m in _NON_SPACE.finditer(text)]
        starts = _follow(raw, start, words, limit)
        if starts is not None:
            return _segments(text, clean_start, words, starts, raw), starts[-1] + len(words[-1][1])
        position = start + 1
    return None


def _follow(raw: str, start: int, words: list[tuple[int, str]], limit: int) -> list[int] | None:
    """Raw start of each word when the words follow each other with whitespace between."""
    starts = [start]
    position = start + len(words[0][1])
    for _, word in words[1:]:
        gap_start = position
        while position < limit and raw[position].isspace():
            position += 1
        if position == gap_start or not raw.startswith(word, position) or position + len(word) > limit:
            return None
        starts.append(position)
        position += len(word)
    return starts


def _segments(text: str, clean_start: int, words: list[tuple[int, str]], starts: list[int], raw: str) -> list[Segment]:
    """One segment per word, merged with the previous one where the gap is identical."""
    segments: list[Segment] = []
    previous_end_clean = previous_end_raw = -1
    for (offset, word), raw_start in zip(words, starts, strict=True):
        if segments and text[previous_end_clean:offset] == raw[previous_end_raw:raw_start]:
            c, r, n = segments[-1]
            segments[-1] = (c, r, n + (offset - previous_end_clean) + len(word))
        else:
            segments.append((clean_start + offset, raw_start, len(word)))
        previous_end_clean, previous_end_raw = offset + len(word), raw_start + len(word)
    return segments
