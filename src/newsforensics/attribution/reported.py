"""Reported speech: statements attributed without quotation marks.

Read sentence by sentence off the parse: a reporting verb with a content clause ("X warned
that ..."), a fronted content before the cue ("<content>, X revealed"), "X as saying ...", and
"according to X". Cues that already frame a direct quote are skipped, and statements nested
in a reported one stay part of it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .cues import CueReader
from .direct import SOURCE_ENDS, cue_tokens
from .lexicon import CueClass, Lexicon
from .model import Article, Attribution
from .phrases import bounds, has_finite_verb, trim
from .quote_marks import Quoted

if TYPE_CHECKING:
    from spacy.tokens import Token

CLOSING = " .,;:!?\"”’'»"  # what may follow a reported content inside the quote that ends it
# Fronted content ends with a comma, a dash or a closing quote right before its speaker.
FRONTED_END = re.compile(r"[,;:—–\"”»’']\s*(?:the\s+|a\s+|an\s+)?$")


class ReportedSpeech:
    """Finds the reported statements of one article."""

    def __init__(self, article: Article, cues: CueReader, lex: Lexicon) -> None:
        self.article, self.cues, self.lex = article, cues, lex
        self.text, self.sp = article.text, article.sp

    def find(self, quoted: list[Quoted], direct: list[Attribution]) -> list[Attribution]:
        """Reported statements; the cue of a partial quote stays free, so that the reported
        content around it is found (see ``absorb_partial``)."""
        used = cue_tokens(self.article, [a for a in direct if a.label != "mixed"])
        inside = [a.extent for a in direct]
        found: list[Attribution] = []
        for lo, hi in self.article.token_ranges:
            for i in range(lo, hi):
                tok = self.sp[i]
                if i in used or any(a <= tok.idx < b for a, b in inside):
                    continue
                att = self._at(tok, lo, hi)
                if att is not None:
                    found.append(att)
                    inside.append(att.content)  # nested reports stay part of the outer one
        for att in found:  # short quotes inside reported content are partial (mixed) quotes
            if any(att.content[0] <= q.start and q.end <= att.content[1] + 1 for q in quoted):
                att.label = "mixed"
        return found

    def _at(self, tok: Token, lo: int, hi: int) -> Attribution | None:
        """The statement whose cue starts at ``tok``, in the sentence's token range."""
        prep = self.cues.prepositional(tok)
        if prep is not None:
            return self._according_to(tok, prep[0], prep[1], lo, hi)
        if self.cues.is_as_saying(tok):
            return self._as_saying(tok, lo, hi)
        cls = self.cues.verb_class(tok)
        if cls is None or any(c.dep_ == "neg" for c in tok.children):
            return None  # "the ministry did not say how many": nothing is attributed
        return self._verb(tok, cls, lo, hi)

    def _as_saying(self, tok: Token, lo: int, hi: int) -> Attribution | None:
        speaker = self.cues.speaker_as_saying(tok, lo)
        content = self._content_after(tok.i + 1, hi)
        if speaker is None or not content:
            return None
        return Attribution("indirect", content, self.cues.as_saying_bounds(tok), self.lex.say,
                           speaker, content)

    def _verb(self, tok: Token, cls: CueClass, lo: int, hi: int) -> Attribution | None:
        """A reporting verb's statement: its content clause, the content fronted before the
        speaker, or (for verbs that need no clause) whatever follows the speaker."""
        clause = self.cues.content_clause(tok, lo, hi)
        speaker = self.cues.speaker_of_verb(tok, lo, hi)
        if speaker is None:
            return None
        content: tuple[int, int] | None = None
        parenthetical = False
        if clause is not None:
            content = bounds(t for t in clause.subtree
                             if lo <= t.i < hi and not (t.dep_ == "mark" and t.head == clause))
        elif speaker[0] > self.sp[lo].idx and FRONTED_END.search(self.text, 0, speaker[0]) and has_finite_verb(
            t for t in self.sp[lo:hi] if t.idx < speaker[0]
        ):  # "<content>, <speaker>, revealed on Monday" (not "Why were <speaker> reluctant to …")
            content = (self.sp[lo].idx, speaker[0])
        elif self._parenthetical(tok, speaker, lo, hi):  # "<subject>, he said, <predicate>"
            content, parenthetical = (self.sp[lo].idx, self.sp[hi - 1].idx + len(self.sp[hi - 1])), True
        elif not cls.needs_clause:
            content = self._content_after(max(tok.i, self.article.token_after(speaker[1]) - 1), hi)
        if content is None or cls.needs_clause and not parenthetical and (
                clause is None or clause.dep_ in ("xcomp", "parataxis")):
            # "asked not to be named", "urged to leave", "found boxes, and X says": nothing reported
            return None
        content = trim(self.text, *content)
        if content[1] - content[0] < 3:
            return None
        return Attribution("indirect", content, (tok.idx, tok.idx + len(tok)), cls, speaker, content)

    def _parenthetical(self, tok: Token, speaker: tuple[int, int], lo: int, hi: int) -> bool:
        """ "ISIS fighters, he said, crossed the border": a cue and its speaker set off by commas
        inside the statement they report, which is the whole sentence."""
        after = tok.i + 1
        return (speaker[0] > self.sp[lo].idx and speaker[1] <= tok.idx
                and self.text[:speaker[0]].rstrip().endswith(",")
                and after < hi - 2 and self.sp[after].text == ","
                and sum(not t.is_punct for t in self.sp[after + 1:hi]) >= 2)

    def _content_after(self, i: int, hi: int) -> tuple[int, int] | None:
        """What follows a cue and its speaker up to the sentence end, when it is a phrase."""
        while i + 1 < hi and (self.sp[i + 1].lower_ in {"that", ":", ","} or self.sp[i + 1].is_space):
            i += 1
        rest = [t for t in self.sp[i + 1:hi] if not t.is_space]
        if len([t for t in rest if not t.is_punct]) < 2:
            return None
        return trim(self.text, rest[0].idx, rest[-1].idx + len(rest[-1]))

    def _according_to(self, tok: Token, end: int, cls: CueClass, lo: int, hi: int) -> Attribution | None:
        """ "According to X, <content>" or "<content>, according to X." """
        stop = end
        while stop < hi and self.sp[stop].text not in SOURCE_ENDS and not (
            self.sp[stop].is_punct and stop == hi - 1
        ):
            stop += 1
        speaker = bounds(t for t in self.sp[end:stop] if not t.is_space)
        if not self.cues.is_speaker(speaker):
            return None
        if tok.i == lo or all(t.is_punct or t.is_space for t in self.sp[lo:tok.i]):
            content = bounds(t for t in self.sp[stop + 1:hi] if not t.is_space)
        else:
            content = bounds(t for t in self.sp[lo:tok.i] if not t.is_space)
        if content is None:
            return None
        content = trim(self.text, *content)
        last = self.sp[end - 1]
        return Attribution("indirect", content, (tok.idx, last.idx + len(last)), cls, speaker, content)


def absorb_partial(text: str, direct: list[Attribution],
                   reported: list[Attribution]) -> tuple[list[Attribution], list[Attribution]]:
    """A partial quote inside reported speech ('X said greater support would be “a stronger
    voice”') is the reported statement, quotation marks and all: the statement reported with
    the same cue replaces it. A reported statement whose cue frames a partial quote outside
    it is dropped instead (the cue reports the quote)."""
    by_cue = {a.cue: a for a in reported if a.cue is not None}
    kept_direct, dropped = [], set()
    for att in direct:
        outer = by_cue.get(att.cue) if att.label == "mixed" and att.cue is not None else None
        if outer is None:
            kept_direct.append(att)
        elif outer.content[0] <= att.extent[0] and not text[outer.content[1]:att.extent[1]].strip(CLOSING):
            outer.label = "mixed"
            outer.content = outer.extent = (outer.content[0], max(outer.content[1], att.extent[1]))
        else:
            kept_direct.append(att)
            dropped.add(id(outer))
    return kept_direct, [a for a in reported if id(a) not in dropped]
