"""Word pieces with character offsets: what the technique model reads, in training and at run time.

Training and inference must see the same inputs, so both build them here: text segments
(PTC lines, or the pipeline's sentences) cut into windows of at most ``MAX_PIECES`` word pieces
with each piece's character offsets into the article, BIO tags of gold spans for the tagger, the
context window and piece mask of one span for the classifier, and the span's cheap features.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

MAX_PIECES = 126  # + [CLS] and [SEP] = 128, the length all-MiniLM-L6-v2 was trained at
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


def pad(windows: Sequence[Window]) -> tuple[np.ndarray, np.ndarray]:
    """Piece ids and attention mask of a batch, zero-padded to its longest window."""
    width = max(len(w) for w in windows)
    ids = np.zeros((len(windows), width), dtype=np.int64)
    attention = np.zeros_like(ids)
    for row, window in enumerate(windows):
        ids[row, :len(window)] = window.ids
        attention[row, :len(window)] = 1
    return ids, attention


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


def decode_bio(log_probs: np.ndarray, outside_bias: float = 0.0) -> list[tuple[int, int]]:
    """Best BIO path (Viterbi; O→I is forbidden) as ``(first, last)`` position pairs.

    ``outside_bias`` is added to the O log-probability: negative values find more spans. The
    first and last positions ([CLS]/[SEP]) are forced to O.
    """
    scores = log_probs.astype(np.float64).copy()
    scores[:, OUTSIDE] += outside_bias
    scores[[0, -1], BEGIN:] = -np.inf
    allowed = np.zeros((3, 3))
    allowed[OUTSIDE, INSIDE] = -np.inf  # previous tag (row) → tag (column)
    best = scores[0].copy()
    back = np.zeros((len(scores), 3), dtype=np.int64)
    for position in range(1, len(scores)):
        candidates = best[:, None] + allowed
        back[position] = candidates.argmax(0)
        best = candidates.max(0) + scores[position]
    path = [int(best.argmax())]
    for position in range(len(scores) - 1, 0, -1):
        path.append(int(back[position, path[-1]]))
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


def span_window(tokenizer: Any, text: str, context: tuple[int, int], start: int,
                end: int) -> tuple[Window, np.ndarray]:
    """The context window of one span, cropped around it, and the mask of its pieces."""
    encoding = tokenizer.encode(text[context[0]:context[1]], add_special_tokens=False)
    offsets = [(context[0] + s, context[0] + e) for s, e in encoding.offsets]
    inside = [k for k, (s, e) in enumerate(offsets) if s < end and start < e]
    first = inside[0] if inside else 0
    last = inside[-1] if inside else len(offsets) - 1
    width = min(MAX_PIECES, len(offsets))
    left = max(0, min(first - (width - (last - first + 1)) // 2, len(offsets) - width))
    if last - first + 1 > width:
        left = first
    window = _window(encoding.ids[left:left + width],
                     [(s - context[0], e - context[0]) for s, e in offsets[left:left + width]],
                     context[0])
    mask = window.overlap_mask(start, end)
    if not mask.any():  # a span of characters no piece covers: read the whole context
        mask = window.starts >= 0
    return window, mask


N_FEATURES = 8


def span_features(text: str, lowered: str, start: int, end: int) -> np.ndarray:
    """Cheap cues the encoder cannot see from one sentence: repetition in the whole article
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
