"""Direct quotes: quoted stretches that are statements, with the cue and speaker around them.

A quote's speaker is named outside its marks: in the sentence(s) the quote sits in, else in a
short sentence right after it ("Maj. Gen. X as saying.") or a sentence that introduces it
("X told the BBC:"). A quote with no frame of its own continues the statement before it
(a quoted paragraph after "X said:", or the second half of a quote split by the cue).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .cues import CueReader
from .lexicon import CueClass, Lexicon
from .model import Article, Attribution
from .phrases import TIME_ENTITIES, bounds, subject_phrase, trim
from .quote_marks import QUOTE_MARKS, Quoted

if TYPE_CHECKING:
    from spacy.tokens import Token

INTRODUCING_ENDS = (":", ",", "\n")
NAME_JOINERS = frozenset({"of", "the", "'s", "’s", "de", "al", "bin", "van", "von"})
SOURCE_ENDS = frozenset({",", ";", ":"})
# A quotation cited with its source ending the line: in brackets, “…” (RIA Novosti); or, for a
# quotation on a line of its own, signed like a post: "…" Dave Weigel. / "…" — CNN Press (@CNNPR)
# (a dash and a name without a handle is a section's byline: "…" — Joana Suleiman).
CITED_SOURCE = re.compile(
    r"[ \t]*(?:\(((?:[A-Z][\w.&'’-]*|of|the|de|and)(?:[ \t]+(?:[A-Z0-9][\w.&'’-]*|of|the|de|and)){0,5})\)"
    r"|(?:[—–-][ \t]*(?=[^\n]*\(@))?([A-Z][\w.'’-]+(?:[ \t]+[A-Z][\w.'’-]+){1,3})(?:[ \t]+\(@\w+\))?)"
    r"[ \t.]*(?:\n|$)")


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
        says, “…”" is Gillum's); failing any, a source cited after the quote, ending its line."""
        sp = self.article.sp
        for lo, hi, kind in self._frames(q):
            before = hi <= self.article.token_after(q.start)
            for i in range(hi - 1, lo - 1, -1) if before else range(lo, hi):  # nearest the quote first
                tok = sp[i]
                if kind == "issued":  # "X issued a statement." / "X spoke to reporters." before the quote
                    cue = tok.head if tok.lower_ in self.lex.documents and tok.dep_ == "dobj" else \
                        tok if tok.lower_ in self.lex.speech_events and tok.pos_ == "VERB" \
                        or self._introduces(tok, q) else None
                    if cue is not None and self._set(att, cue, self.cues.speaker_of_verb(cue, lo, hi), self.lex.say):
                        return
                    continue
                if kind == "next" and self.cues.verb_class(tok) is not None \
                        and self.cues.content_clause(tok, lo, hi) is not None:
                    break  # "X noted that …": a statement of its own, not this quote's frame
                if self.cues.is_as_saying(tok):
                    speaker = self.cues.speaker_as_saying(tok, lo)
                    if speaker is not None:
                        att.cue, att.speaker = self.cues.as_saying_bounds(tok), speaker
                        att.cue_class = self.lex.say
                        return
                prep = self.cues.prepositional(tok)
                if prep is not None and self._according_to(att, tok, *prep, hi):
                    return
                cls = self.cues.verb_class(tok)
                if cls is None or kind == "next" and cls.needs_clause:
                    continue  # "… story continues below" after a quote frames nothing
                speaker = self.cues.speaker_of_verb(tok, lo, hi)
                if speaker is None and kind == "same" and not before:
                    speaker = self._subject_before(q, tok, hi)
                if self._set(att, tok, speaker, cls):
                    return
        if self._colon_intro(att, q):
            return
        cited = CITED_SOURCE.match(self.article.text, q.end)
        line_start = self.article.text.rfind("\n", 0, q.start) + 1
        if cited is not None and (cited.group(1) or not self.article.text[line_start:q.start].strip()):
            # no cue, but “…” (Newsfront): the source cited after the quote
            att.speaker, att.cue_class = trim(self.article.text, *cited.span(1 if cited.group(1) else 2)), self.lex.say

    def _introduces(self, root: Token, q: Quoted) -> bool:
        """Whether the sentence before a quote, on the same line, is about a person named as
        its subject ("Dr. Maria Lopez, who runs the clinic, was blunt. “…”"): the quote is theirs."""
        n = self.article.sentence_at(root.idx)
        return root.dep_ == "ROOT" and n is not None and "\n" not in self.article.text[
            self.article.sentences[n].start:q.start] and any(
            c.dep_ == "nsubj" and c.ent_type_ == "PERSON" for c in root.children)

    def _colon_intro(self, att: Attribution, q: Quoted) -> bool:
        """A quote after a colon with no cue: a name alone before it speaks ("Mayor Ana Reyes:
        “…”"), and so does the subject of the clause it ends ("Engineer Paul Kim disagrees: “…”")."""
        text, sp = self.article.text, self.article.sp
        n = self.article.sentence_at(q.start)
        if n is None or not text[:q.start].rstrip(" \t").endswith(":"):
            return False
        if n > 0 and not text[self.article.sentences[n].start:q.start].strip():
            n -= 1  # the colon ended the sentence before the quote
        lo, colon = self.article.token_ranges[n][0], self.article.token_after(q.start) - 1
        while colon > lo and sp[colon].text != ":":
            colon -= 1
        line = max((t.i + 1 for t in sp[lo:colon] if "\n" in t.text), default=lo)
        clause = [t for t in sp[line:colon] if not t.is_space]
        if not clause:
            return False
        verbs = [t for t in clause if t.pos_ in ("VERB", "AUX")]
        if not verbs:  # "Mayor Ana Reyes:" — a label naming someone (not "Summary:")
            words = [t for t in clause if not t.is_punct]
            named = 0 < len(words) <= 6 and " ".join(t.lower_ for t in words) not in self.lex.section_labels \
                and all(t.text[:1].isupper() or t.lower_ in NAME_JOINERS for t in words)
            speaker, cue = (bounds(clause) if named else None), None
        else:
            heads = [t for t in clause if t.head.i == t.i or not line <= t.head.i < colon]
            cue = next((t for t in heads if t in verbs), verbs[0])
            subject = next((c for c in cue.children if c.dep_ == "nsubj" and c.i >= line), None)
            if subject is None and heads and heads[0].pos_ == "NOUN":  # "The remarks that X made were:"
                subject, cue = heads[0], None  # (a noun the parse made the root)
            speaker = subject_phrase(subject, line, colon) if subject is not None else None
        if not self.cues.is_speaker(speaker):
            return False
        att.speaker, att.cue_class = speaker, self.lex.say
        att.cue = (cue.idx, cue.idx + len(cue)) if cue is not None else None
        return True

    def _subject_before(self, q: Quoted, cue: Token, hi: int) -> tuple[int, int] | None:
        """The speaker of a cue after the quote named before it ("Hayden declined to “…” but
        called his comments …"): the subject its clause shares, outside the quote; not for a
        cue with a statement of its own ("called the dam “…,” and later said the town …")."""
        first = self.article.sentence_at(q.start)
        if first is None or self.cues.content_clause(cue, cue.i, hi) is not None:
            return None
        speaker = self.cues.speaker_of_verb(cue, self.article.token_ranges[first][0], hi)
        return speaker if speaker is not None and speaker[1] <= q.start else None

    @staticmethod
    def _set(att: Attribution, cue: Token, speaker: tuple[int, int] | None, cls: CueClass | None) -> bool:
        if speaker is None:
            return False
        att.cue, att.speaker, att.cue_class = (cue.idx, cue.idx + len(cue)), speaker, cls
        return True

    def _according_to(self, att: Attribution, tok: Token, end: int, cls: CueClass, hi: int) -> bool:
        """ "According to CNN, “…”": the source after a prepositional cue, up to a comma."""
        sp = self.article.sp
        stop = end
        while stop < hi and sp[stop].text not in SOURCE_ENDS and not sp[stop].is_quote:
            stop += 1
        speaker = bounds(t for t in sp[end:stop] if not t.is_space)
        speaker = trim(self.article.text, *speaker) if speaker else None  # "… from the ministry."
        if not self.cues.is_speaker(speaker):
            return False
        last = sp[end - 1]
        att.cue, att.speaker, att.cue_class = (tok.idx, last.idx + len(last)), speaker, cls
        return True

    def _frames(self, q: Quoted) -> Iterator[tuple[int, int, str]]:
        """Token ranges, nearest first, where a direct quote's speaker may be named, and what
        each is: the quote's own sentence ("same"), the short sentence after it ("next"), the
        sentence introducing it with a colon ("intro") or, for a quote opening its sentence,
        the sentence before it when it issues a document, is an act of speaking or is about a
        person on the same line ("issued": "X issued a statement.", "The minister spoke to
        reporters.", "Dr. Lopez was blunt.")."""
        article = self.article
        first, last = article.sentence_at(q.start), article.sentence_at(max(q.start, q.end - 1))
        before_first = first is not None and self._cue_before(q.start, article.token_ranges[first][0])
        if before_first:  # 'X said Thursday “…” by Y's remarks': the cue reporting the quote
            yield article.token_ranges[first][0], article.token_after(q.start), "same"
        if last is not None:
            lo, hi = article.token_ranges[last]
            if last + 1 < len(article.sentences) and (
                    article.sentences[last + 1].text.lstrip(" ,;")[:1].islower() or self._split_at_mark(q, last)):
                hi = article.token_ranges[last + 1][1]  # split in "…, R-Tenn., said", "…?” X asked"
            after = article.token_after(q.end)
            line_end = next((t.i for t in article.sp[after:hi] if "\n" in t.text), hi)
            yield max(lo, after), line_end, "same"  # not "…move on."\ntake our poll - story continues
        if first is not None and not before_first:
            lo, hi = article.token_ranges[first]
            yield lo, min(hi, article.token_after(q.start)), "same"
        ends_sentence = last is not None and not article.text[
            q.end:article.sentences[last].end].strip(" .,;!?")
        if ends_sentence and last + 1 < len(article.sentences):
            lo, hi = article.token_ranges[last + 1]
            if hi - lo <= self.lex.limits["max_frame_tokens"]:
                yield lo, hi, "next"
            elif "\n" not in article.text[q.end:article.sentences[last + 1].start]:
                # '“….” Nuland wrote of the events in …' on the quote's line: a name and its cue opening it
                yield lo, lo + self.lex.limits["opening_frame_tokens"], "next"
        if first is not None and first > 0:
            before = article.sentences[first - 1]
            if article.text[before.end - 1] == ":":
                yield (*article.token_ranges[first - 1], "intro")
            elif q.start == article.sentences[first].start and not any(m in before.text for m in QUOTE_MARKS):
                yield (*article.token_ranges[first - 1], "issued")


    def _split_at_mark(self, q: Quoted, last: int) -> bool:
        """Whether the sentence holding a quote ends with it only because the quote closes on
        "?" or "!" ("“Why are we having them?” Trump asked"): the frame runs on, on the same line."""
        article = self.article
        closing = article.text[q.start:q.end].rstrip("".join(QUOTE_MARKS) + " ")
        return closing.endswith(("?", "!")) and article.sentences[last].end <= q.end \
            and "\n" not in article.text[q.end:article.sentences[last + 1].start]

    def _cue_before(self, start: int, lo: int) -> bool:
        """Whether the quote is what a reporting verb before it reports: the verb directly
        precedes it, but for a time, "that" or punctuation ("said Thursday “…”", "declared: “…”"),
        or governs the clause it sits in ("Wolff said he stands by “…” and attacked …")."""
        sp = self.article.sp
        inside = self.article.token_after(start)
        i = inside - 1
        while i >= lo and (sp[i].is_quote or sp[i].is_space or sp[i].lower_ in ("that", ",", ":")
                           or sp[i].ent_type_ in TIME_ENTITIES):
            i -= 1
        if i >= lo and self.cues.verb_class(sp[i]) is not None:
            return True
        while inside < len(sp) and sp[inside].is_quote:
            inside += 1
        return inside < len(sp) and any(lo <= a.i < inside and self.cues.verb_class(a) is not None
                                        for a in sp[inside].ancestors)


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
