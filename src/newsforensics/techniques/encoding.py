"""Word pieces with character offsets: what the technique model reads, in training and at run time.

Training and inference must see the same inputs, so both build them here: text segments
(PTC lines, or the pipeline's sentences) cut into windows of at most ``MAX_PIECES`` word pieces
with each piece's character offsets into the article, one article sequence joining them (the
tagger reads a whole article, so each sentence has its neighbours as context), the per-piece
cues the tagger gets beside the piece's embedding, BIO tags of gold spans, and a span's cheap
features for the classifier.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

MAX_PIECES = 126  # a longer segment is cut: a separator every 126 pieces at most
CLS_ID, SEP_ID = 101, 102
OUTSIDE, BEGIN, INSIDE = 0, 1, 2
TAGS = ("O", "B", "I")
QUOTES = "\"'“”‘’«»"
# PTC v2 annotations never start or end with these (the organisers trimmed 456 spans so).
TRIM = " \t\n\r.,:;"


@dataclass(frozen=True, slots=True)
class Window:
    """One model input: piece ids with [CLS]/[SEP] and each piece's article offsets.

    ``starts``/``ends`` are character offsets into the article text for every position of
    ``ids``; the two special pieces carry -1 so that no span ever maps onto them.
    """

    ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    def overlap_mask(self, start: int, end: int) -> np.ndarray:
        """Positions whose piece overlaps ``[start, end)``."""
        return (self.starts < end) & (self.ends > start) & (self.starts >= 0)


def _window(ids: Sequence[int], offsets: Sequence[tuple[int, int]], base: int) -> Window:
    starts = np.array([-1, *(base + s for s, _ in offsets), -1], dtype=np.int64)
    ends = np.array([-1, *(base + e for _, e in offsets), -1], dtype=np.int64)
    return Window(np.array([CLS_ID, *ids, SEP_ID], dtype=np.int64), starts, ends)


def segment_windows(tokenizer: Any, text: str, segments: Sequence[tuple[int, int]],
                    max_pieces: int = MAX_PIECES) -> list[Window]:
    """Windows over ``segments`` of ``text``; a segment longer than a window is cut into several."""
    segments = [(s, e) for s, e in segments if text[s:e].strip()]
    encodings = tokenizer.encode_batch([text[s:e] for s, e in segments], add_special_tokens=False)
    windows = []
    for (start, _), encoding in zip(segments, encodings):
        for first in range(0, len(encoding.ids), max_pieces):
            part = slice(first, first + max_pieces)
            windows.append(_window(encoding.ids[part], encoding.offsets[part], start))
    return windows


def article_window(windows: Sequence[Window]) -> Window:
    """One sequence ``[CLS] segment [SEP] segment [SEP] …`` from segment windows (their own
    [CLS] dropped): the separators keep spans from crossing segments."""
    if not windows:
        return _window([], [], 0)
    parts = [windows[0], *(Window(w.ids[1:], w.starts[1:], w.ends[1:]) for w in windows[1:])]
    return Window(*(np.concatenate([getattr(w, f) for w in parts]) for f in ("ids", "starts", "ends")))


PIECE_FEATURES = 14


def piece_features(text: str, window: Window) -> np.ndarray:
    """``(pieces, PIECE_FEATURES)`` cues of each piece the static embedding cannot carry: case,
    punctuation, quotation state, place in its segment, its segment's punctuation and length,
    whether it is the title (the first segment) and how often the article repeats the piece.
    ``window`` is an :func:`article_window`."""
    n = len(window)
    special = window.starts < 0
    pieces = ["" if sp else text[s:e] for s, e, sp in zip(window.starts, window.ends, special)]
    lowered = [p.lower() for p in pieces]
    repeats = Counter(lowered)
    separators = np.flatnonzero(special)
    segment = np.minimum(np.cumsum(special) - 1, max(len(separators) - 2, 0))
    opener = separators[segment]
    lines = [text[int(window.starts[a + 1]):int(window.ends[b - 1])] if b > a + 1 else ""
             for a, b in zip(separators[:-1], separators[1:])] or [""]
    per_line = np.array([["!" in x, "?" in x, math.log1p(len(x)) / 6,
                          any(c in QUOTES for c in x)] for x in lines], dtype=np.float32)
    length = np.maximum(np.diff(separators) - 1, 1) if len(separators) > 1 else np.ones(1)
    quote = np.array([p[:1] in QUOTES and p != "" for p in pieces], dtype=np.float32)
    quotes_so_far = np.cumsum(quote)
    previous_end = np.concatenate([[-1], window.ends[:-1]])
    features = np.concatenate([np.stack([
        window.starts != previous_end,
        np.array([p[:1].isupper() for p in pieces]),
        np.array([len(p) > 1 and p.isupper() for p in pieces]),
        np.array([p != "" and not p.isalnum() for p in pieces]),
        quote,
        (quotes_so_far - quotes_so_far[opener]) % 2,
        np.array([p.isdigit() for p in pieces]),
        (np.arange(n) - opener - 1).clip(0) / np.maximum(length[segment] - 1, 1),
        segment == 0,
        np.log([max(repeats[p], 1) for p in lowered]) / 3,
    ], axis=1), per_line[segment]], axis=1).astype(np.float32)
    features[special] = 0.0
    return features


def line_segments(text: str) -> list[tuple[int, int]]:
    """Non-blank lines: PTC articles hold one sentence per line."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]


def bio_tags(window: Window, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """BIO tag per position for merged, sorted gold spans (special pieces are O)."""
    tags = np.zeros(len(window), dtype=np.int64)
    previous_span = -1
    for position in range(len(window)):
        s, e = int(window.starts[position]), int(window.ends[position])
        if s < 0:
            previous_span = -1
            continue
        inside = next((k for k, (gs, ge) in enumerate(spans) if gs < e and s < ge), -1)
        if inside >= 0:
            tags[position] = INSIDE if inside == previous_span else BEGIN
        previous_span = inside
    return tags


def decode_bio(log_probs: np.ndarray, outside_bias: float = 0.0,
               blocked: np.ndarray | None = None) -> list[tuple[int, int]]:
    """Best BIO path (Viterbi; O→I is forbidden) as ``(first, last)`` position pairs.

    ``outside_bias`` is added to the O log-probability: negative values find more spans.
    Positions ``blocked`` (the separators; by default the first and last) are forced to O.
    """
    if blocked is None:
        blocked = np.zeros(len(log_probs), dtype=bool)
        blocked[[0, -1]] = True
    scores = log_probs.astype(np.float64)
    outside = (scores[:, OUTSIDE] + outside_bias).tolist()
    begin = np.where(blocked, -np.inf, scores[:, BEGIN]).tolist()
    inside = np.where(blocked, -np.inf, scores[:, INSIDE]).tolist()
    # Three states, so plain floats beat numpy here (~1 µs a piece); O→I is the one forbidden move.
    best = (outside[0], begin[0], -math.inf)
    back: list[tuple[int, int]] = [(OUTSIDE, OUTSIDE)]  # (best before O or B, best before I)
    for position in range(1, len(outside)):
        o, b, i = best
        any_before = OUTSIDE if o >= b and o >= i else (BEGIN if b >= i else INSIDE)
        span_before = BEGIN if b >= i else INSIDE
        top = best[any_before]
        best = (top + outside[position], top + begin[position], best[span_before] + inside[position])
        back.append((any_before, span_before))
    tag = max(range(3), key=best.__getitem__)
    path = [tag]
    for position in range(len(outside) - 1, 0, -1):
        tag = back[position][1] if tag == INSIDE else back[position][0]
        path.append(tag)
    path.reverse()
    spans, first = [], -1
    for position, tag in enumerate([*path, OUTSIDE]):
        if first >= 0 and tag != INSIDE:
            spans.append((first, position - 1))
            first = -1
        if tag == BEGIN:
            first = position
    return spans


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past leading/trailing blanks and ``.,:;`` as the PTC v2 annotations are."""
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end


def context_bounds(segments: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """From the first to the last segment the span touches (the span itself if none does)."""
    touched = [(s, e) for s, e in segments if s < end and start < e]
    if not touched:
        return start, end
    return min(start, touched[0][0]), max(end, touched[-1][1])


def span_features(text: str, lowered: str, start: int, end: int) -> np.ndarray:
    """Cheap cues of a span that its n-grams and vectors do not carry: repetition in the article
    (``lowered`` is ``text.lower()``, passed in so it is computed once), length, punctuation,
    quotation and shouting."""
    fragment = text[start:end]
    needle = fragment.strip().lower()
    occurrences = lowered.count(needle) if len(needle) > 1 else 1
    letters = [c for c in fragment if c.isalpha()]
    around = text[max(start - 1, 0):start] + fragment[:1] + fragment[-1:] + text[end:end + 1]
    after = text[end:end + 2]
    return np.array([
        math.log1p(max(occurrences - 1, 0)),
        float(occurrences >= 2),
        math.log1p(len(fragment)) / 5,
        min(len(fragment.split()), 40) / 10,
        float("!" in fragment or "!" in after),
        float("?" in fragment or "?" in after),
        float(any(c in QUOTES for c in around)),
        sum(c.isupper() for c in letters) / len(letters) if letters else 0.0,
    ], dtype=np.float32)
