"""Direct quotes: quoted stretches that are statements, with the cue and speaker around them.

A quote's speaker is named outside its marks: in the sentence(s) the quote sits in, else in a
short sentence right after it ("Maj. Gen. X as saying.") or a sentence that introduces it
("X told the BBC:"). A quote with no frame of its own continues the statement before it
(a quoted paragraph after "X said:", or the second half of a quote split by the cue).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .cues import CueReader
from .lexicon import Lexicon
from .model import Article, Attribution
from .quote_marks import Quoted

INTRODUCING_ENDS = (":", ",", "\n")
# A quotation cited with its source in brackets, ending the line: “…” (RIA Novosti).
CITED_SOURCE = re.compile(r"[ \t]*\(((?:[A-Z][\w.&'’-]*|of|the|de|and)(?:[ \t]+(?:[A-Z0-9][\w.&'’-]*|of|the|de|and)){0,5})\)[ \t.]*(?:\n|$)")


class DirectQuotes:
    """Finds the direct quotes of one article and frames each with its cue and speaker."""

    def __init__(self, article: Article, cues: CueReader, lex: Lexicon) -> None:
        self.article, self.cues, self.lex = article, cues, lex

    def find(self, quoted: list[Quoted]) -> list[Attribution]:
        """Quoted stretches long enough to be statements, labelled direct or mixed."""
        min_words = self.lex.limits["min_quote_words"]
        found: list[Attribution] = []
        for q in quoted:
            c_start, c_end = q.content
            if len(self.article.text[c_start:c_end].split()) < min_words:
                continue
            label = "mixed" if self._embedded(q) else "direct"
            attribution = Attribution(label, (c_start, c_end), None, None, None, (q.start, q.end))
            self._frame(attribution, q)
            found.append(attribution)
        return found

    def _embedded(self, q: Quoted) -> bool:
        """Whether a quote is a fragment inside reported speech ('X said the plan was "a cash
        grab"') rather than a quotation that stands alone after a comma, colon or line break."""
        n = self.article.sentence_at(q.start)
        if n is None or q.start == self.article.sentences[n].start:
            return False
        return not self.article.text[:q.start].rstrip(" \t").endswith(INTRODUCING_ENDS)

    def _frame(self, att: Attribution, q: Quoted) -> None:
        """Set the first cue with a speaker found in the quote's frames, nearest first (in a
        frame before the quote, from its end: "officials are “finding” ballots …, and Gillum
        says, “…”" is Gillum's); failing any, a source cited in brackets after the quote."""
        sp = self.article.sp
        for lo, hi, next_sentence in self._frames(q):
            before = hi <= self.article.token_after(q.start)
            for i in range(hi - 1, lo - 1, -1) if before else range(lo, hi):  # nearest the quote first
                tok = sp[i]
                if next_sentence and self.cues.verb_class(tok) is not None \
                        and self.cues.content_clause(tok, lo, hi) is not None:
                    break  # "X noted that …": a statement of its own, not this quote's frame
                if self.cues.is_as_saying(tok):
                    speaker = self.cues.speaker_as_saying(tok, lo)
                    if speaker is not None:
                        att.cue, att.speaker = self.cues.as_saying_bounds(tok), speaker
                        att.cue_class = self.lex.say
                        return
                cls = self.cues.verb_class(tok)
                if cls is None:
                    continue
                speaker = self.cues.speaker_of_verb(tok, lo, hi)
                if speaker is not None:
                    att.cue, att.speaker, att.cue_class = (tok.idx, tok.idx + len(tok)), speaker, cls
                    return
        cited = CITED_SOURCE.match(self.article.text, q.end)
        if cited is not None:  # no cue, but “…” (Newsfront): the source in brackets after the quote
            att.speaker, att.cue_class = cited.span(1), self.lex.say

    def _frames(self, q: Quoted) -> Iterator[tuple[int, int, bool]]:
        """Token ranges, nearest first, where a direct quote's speaker may be named, and
        whether the range is the short sentence after the quote."""
        article = self.article
        first, last = article.sentence_at(q.start), article.sentence_at(max(q.start, q.end - 1))
        if last is not None:
            lo, hi = article.token_ranges[last]
            if last + 1 < len(article.sentences) and article.sentences[last + 1].text.lstrip(" ,;")[:1].islower():
                hi = article.token_ranges[last + 1][1]  # a sentence split inside "…, R-Tenn., said"
            yield max(lo, article.token_after(q.end)), hi, False
        if first is not None:
            lo, hi = article.token_ranges[first]
            yield lo, min(hi, article.token_after(q.start)), False
        ends_sentence = last is not None and not article.text[
            q.end:article.sentences[last].end].strip(" .,;!?")
        if ends_sentence and last + 1 < len(article.sentences):
            lo, hi = article.token_ranges[last + 1]
            if hi - lo <= self.lex.limits["max_frame_tokens"]:
                yield lo, hi, True
        if first is not None and first > 0:
            before = article.sentences[first - 1]
            if article.text[before.end - 1] == ":":
                yield (*article.token_ranges[first - 1], False)


def cue_tokens(article: Article, attributions: list[Attribution]) -> set[int]:
    """Token indices of the cues already used, so that no cue frames two statements."""
    used: set[int] = set()
    for att in attributions:
        if att.cue is not None:
            span = article.sp.char_span(*att.cue)
            used.update(t.i for t in span or ())
    return used


def inherit_adjacent(text: str, direct: list[Attribution], others: list[Attribution]) -> None:
    """A quote without a frame takes the speaker of the sentence that introduces it
    ("X said:") or, failing that, of the attributed sentence just before it."""
    everything = sorted(direct + others, key=lambda a: a.content[0])
    previous: Attribution | None = None
    for att in everything:
        if att.label == "direct" and att.speaker is None and previous is not None:
            gap = text[previous.extent[1]:att.extent[0]]
            if gap.count("\n") <= 2 and (previous.speaker or previous.inherited_from):
                att.inherited_from = previous
        if att.speaker is not None or att.inherited_from is not None:
            previous = att
