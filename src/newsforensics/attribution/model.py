"""What the attribution modules pass around: the parsed article they read (:class:`Article`)
and the statements they find in it (:class:`Attribution`), all in ``Document.text`` offsets."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..document import Span
from .lexicon import CueClass

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc

    from .speakers import Speaker


class Article:
    """The text, its shared spaCy parse and its sentences with their token ranges.

    Finders look for cues sentence by sentence, so each sentence's token range is computed
    once here instead of re-aligning characters to tokens at every lookup.
    """

    def __init__(self, text: str, sp: SpacyDoc, sentences: list[Span]) -> None:
        self.text = text
        self.sp = sp
        self.sentences = sentences
        starts = [t.idx for t in sp]
        self.token_ranges = [
            (bisect.bisect_left(starts, s.start), bisect.bisect_left(starts, s.end))
            for s in sentences
        ]

    def sentence_at(self, offset: int) -> int | None:
        """Index of the sentence containing a character offset."""
        for i, s in enumerate(self.sentences):
            if s.start <= offset < s.end:
                return i
        return None

    def token_after(self, offset: int) -> int:
        """Index of the first token starting at or after a character offset."""
        span = self.sp.char_span(offset, len(self.text), alignment_mode="expand")
        return span.start if span is not None else len(self.sp)


@dataclass
class Attribution:
    """One reported statement; ``resolved`` is filled in once its speaker is resolved."""

    label: str  # direct | indirect | mixed
    content: tuple[int, int]
    cue: tuple[int, int] | None
    cue_class: CueClass | None
    speaker: tuple[int, int] | None
    extent: tuple[int, int]  # what the quotes span covers
    headline: bool = False
    inherited_from: Attribution | None = None
    resolved: Speaker | None = None
