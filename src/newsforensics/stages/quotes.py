"""Quotes and attribution: who said what, and in whose voice each sentence speaks.

Direct quotes come from quotation marks (``quote_marks``); reported speech from reporting cues
(verbs, "according to", "X as saying") read off the shared spaCy parse; the speaker of each is
the reporting verb's subject or, where the parse gives none, the noun phrase next to the cue.
Speakers resolve to the fullest mention of the same person in the article ("Kupchishin",
"Maj. Gen. Kupchishin" -> "Viktor Kupchishin"), and later references ("he", "according to him",
"the Russian commander") to the most recent compatible speaker. The cues, titles, role nouns
and headline patterns are data (``data/attribution.toml``).

Layers: ``quotes`` (labels direct | indirect | mixed) and ``voice`` (one span per sentence:
quoted | attributed | own-voice). View: ``speakers``.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..document import Document, Span
from ..models.spacy_model import SPACY_MODEL_ID, parse
from ..pipeline import BaseStage, register
from ..views import view
from .quote_marks import Quoted, find_quoted

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

SUBJECT_DEPS = frozenset({"nsubj"})  # passive subjects are told, not telling
NON_PERSON_ENTITIES = frozenset({"ORG", "GPE", "NORP", "LOC", "FAC", "PRODUCT", "EVENT", "LAW"})
CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "parataxis"})
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
NOMINAL_POS = frozenset({"PROPN", "NOUN", "PRON", "DET", "ADJ", "NUM"})
NOMINAL_WORDS = frozenset({"'s", "’s", ".", "-", "&", "of", "and", "for", "in", "at", "'", "’"})
APPOSITION_DEPS = frozenset({"appos", "nsubj", "nsubjpass", "conj", "npadvmod", "ROOT"})
SKIPPABLE_POS = frozenset({"ADV", "AUX", "PART"})
DETERMINERS = ("the ", "a ", "an ", "this ", "that ")


# --------------------------------------------------------------------------- lexicon


def _inflections(base: str) -> set[str]:
    """Regular English verb forms; irregular ones come from the data file."""
    if base.endswith("e"):
        return {base, base + "s", base + "d", base[:-1] + "ing"}
    if base.endswith("y") and base[-2:-1] not in set("aeiou"):
        return {base, base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    if base.endswith(("s", "sh", "ch", "x", "z")):
        return {base, base + "es", base + "ed", base + "ing"}
    return {base, base + "s", base + "ed", base + "ing"}


@dataclass(frozen=True)
class CueClass:
    name: str
    semantics: str
    strength: float
    needs_clause: bool


@dataclass(frozen=True)
class Lexicon:
    """The data file, indexed for token lookups."""

    verb_class: dict[str, CueClass]
    prepositional: dict[tuple[str, ...], CueClass]
    as_lead: str
    as_verbs: frozenset[str]
    non_speakers: frozenset[str]
    person_pronouns: frozenset[str]
    group_pronouns: frozenset[str]
    role_groups: dict[str, frozenset[str]]
    titles: frozenset[str]
    honorifics: frozenset[str]
    organisation_links: frozenset[str]
    headline_patterns: tuple[tuple[str, re.Pattern[str]], ...]
    limits: dict[str, int]

    def is_title(self, word: str) -> bool:
        return word in self.titles


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    raw = tomllib.loads(
        resources.files(__package__).joinpath("data/attribution.toml").read_text("utf-8")
    )
    classes = {
        name: CueClass(name, c["semantics"], float(c["strength"]), bool(c["needs_clause"]))
        for name, c in raw["classes"].items()
    }
    verb_class: dict[str, CueClass] = {}
    for name, spec in raw["classes"].items():
        for base in spec["verbs"]:
            for form in _inflections(base) | set(raw["irregular"].get(base, [])):
                verb_class.setdefault(form, classes[name])
    role_groups: dict[str, set[str]] = {}
    for group, nouns in raw["roles"].items():
        for noun in nouns:
            role_groups.setdefault(noun, set()).add(group)
    return Lexicon(
        verb_class=verb_class,
        prepositional={tuple(k.split()): classes[v] for k, v in raw["prepositional"].items()},
        as_lead=raw["as_saying"]["lead"],
        as_verbs=frozenset(raw["as_saying"]["verbs"]),
        non_speakers=frozenset(raw["pronouns"]["non_speakers"]),
        person_pronouns=frozenset(raw["pronouns"]["person"]),
        group_pronouns=frozenset(raw["pronouns"]["group"]),
        role_groups={k: frozenset(v) for k, v in role_groups.items()},
        titles=frozenset(raw["names"]["titles"]),
        honorifics=frozenset(raw["names"]["honorifics"]),
        organisation_links=frozenset(raw["names"]["organisation_links"]),
        headline_patterns=tuple((h["name"], re.compile(h["pattern"])) for h in raw["headline"]),
        limits=raw["limits"],
    )


# --------------------------------------------------------------------------- attributions


@dataclass
class Attribution:
    """One reported statement before its speaker is resolved (offsets into the text)."""

    label: str  # direct | indirect | mixed
    content: tuple[int, int]
    cue: tuple[int, int] | None
    cue_class: CueClass | None
    speaker: tuple[int, int] | None
    extent: tuple[int, int]  # what the quotes span covers
    headline: bool = False
    inherited_from: Attribution | None = None
    resolved: Speaker | None = None


class Sentences:
    """Sentence offsets with their token ranges in the shared parse."""

    def __init__(self, spans: list[Span], sp: SpacyDoc) -> None:
        self.spans = spans
        self.sp = sp
        starts = [t.idx for t in sp]
        self.token_ranges = [
            (bisect.bisect_left(starts, s.start), bisect.bisect_left(starts, s.end)) for s in spans
        ]

    def index_at(self, offset: int) -> int | None:
        for i, s in enumerate(self.spans):
            if s.start <= offset < s.end:
                return i
        return None


def _trim(text: str, start: int, end: int, junk: str = " \t\n,;:—–-\"“”„«»") -> tuple[int, int]:
    while start < end and text[start] in junk:
        start += 1
    while end > start and text[end - 1] in junk + ".":
        end -= 1
    return start, end


def _phrase(tokens: Iterable[Token]) -> tuple[int, int] | None:
    toks = list(tokens)
    if not toks:
        return None
    return min(t.idx for t in toks), max(t.idx + len(t) for t in toks)


def _subject_phrase(subject: Token, lo: int, hi: int) -> tuple[int, int] | None:
    """The subject's subtree inside token range [lo, hi), without relative clauses."""
    cut = {
        t.i for child in subject.children if child.dep_ in {"relcl", "acl", "advcl"}
        for t in child.subtree
    }
    return _phrase(
        t for t in subject.subtree
        if lo <= t.i < hi and t.i not in cut and (not t.is_punct or t.text == ".")
    )


def _is_nominal(tok: Token) -> bool:
    return tok.pos_ in NOMINAL_POS or tok.lower_ in NOMINAL_WORDS or tok.dep_ == "compound"


def _nominal_before(sp: SpacyDoc, cue: int, lo: int) -> tuple[int, int] | None:
    """The noun phrase just before a cue ("Maj. Gen. Kupchishin [as saying]"), or, when the
    cue follows a comma, the appositions set off by commas before it
    ("<clause>, head of X, Maj. Gen. Y, revealed")."""
    i = cue - 1
    while i >= lo and sp[i].pos_ in SKIPPABLE_POS and sp[i].lower_ not in {"'s", "’s"}:
        i -= 1
    if i >= lo and sp[i].text == ",":
        return _appositions_before(sp, i, lo)
    end = i
    while i >= lo and _is_nominal(sp[i]):
        i -= 1
    return (sp[i + 1].idx, sp[end].idx + len(sp[end])) if i < end else None


def _appositions_before(sp: SpacyDoc, comma: int, lo: int) -> tuple[int, int] | None:
    """Comma-separated noun phrases ending at ``comma``, back to the clause they follow: a
    segment that is the argument of another verb ("stage [a provocation]") ends the walk."""
    first: int | None = None
    boundary = comma
    while boundary > lo:
        i = boundary - 1
        while i >= lo and sp[i].text != "," and _is_nominal(sp[i]):
            i -= 1
        segment = sp[i + 1:boundary]
        if not len(segment) or _is_verb_argument(segment.root):
            break
        first = i + 1
        if i < lo or sp[i].text != ",":
            break
        boundary = i
    if first is None:
        return None
    return sp[first].idx, sp[comma - 1].idx + len(sp[comma - 1])


def _is_verb_argument(root: Token) -> bool:
    return root.dep_ not in APPOSITION_DEPS and root.head.pos_ in {"VERB", "AUX"}


def _nominal_after(sp: SpacyDoc, cue: int, hi: int) -> tuple[int, int] | None:
    """The noun phrase just after a cue ("according to [X]", "said [John Smith]")."""
    i = cue + 1
    while i < hi and (_is_nominal(sp[i]) or sp[i].pos_ == "ADP" and sp[i].lower_ != "that"):
        i += 1
    if i == cue + 1:
        return None
    last = i - 1
    while last > cue and sp[last].pos_ == "ADP":
        last -= 1
    return (sp[cue + 1].idx, sp[last].idx + len(sp[last])) if last > cue else None


def _has_finite_verb(tokens: Iterable[Token]) -> bool:
    return any(t.tag_ in FINITE_TAGS for t in tokens)


class Finder:
    """Finds direct quotes and reported speech in one document."""

    def __init__(self, doc: Document, sp: SpacyDoc, sentences: Sentences) -> None:
        self.doc, self.text, self.sp, self.sents = doc, doc.text, sp, sentences
        self.lex = lexicon()
        self.used_cues: set[int] = set()

    # -- cues ---------------------------------------------------------------------------

    def _verb_cue(self, tok: Token) -> CueClass | None:
        if not tok.tag_.startswith("VB"):
            return None
        return self.lex.verb_class.get(tok.lower_)

    def _as_saying(self, tok: Token) -> bool:
        nxt = tok.nbor(1) if tok.i + 1 < len(self.sp) else None
        return tok.lower_ == self.lex.as_lead and nxt is not None and nxt.lower_ in self.lex.as_verbs

    def _prepositional(self, tok: Token) -> tuple[int, CueClass] | None:
        for words, cls in self.lex.prepositional.items():
            end = tok.i + len(words)
            if end <= len(self.sp) and all(
                self.sp[tok.i + k].lower_ == w for k, w in enumerate(words)
            ):
                return end, cls
        return None

    def _speaker_ok(self, span: tuple[int, int] | None) -> bool:
        if span is None:
            return False
        toks = [t for t in self.sp.char_span(*span, alignment_mode="expand") or ()]
        if not toks:
            return False
        if len(toks) == 1 and toks[0].lower_ in self.lex.non_speakers:
            return False
        return any(t.pos_ in {"PROPN", "NOUN", "PRON"} or t.ent_type_ for t in toks)

    def _speaker_of_verb(self, cue: Token, lo: int, hi: int, floor: int) -> tuple[int, int] | None:
        """The speaker of a reporting verb: its subject, else the phrase before or after it."""
        if any(child.dep_ == "nsubjpass" for child in cue.children):
            return None  # "the land had been promised": the subject is not the speaker
        for child in cue.children:
            if child.dep_ in SUBJECT_DEPS and lo <= child.i < hi and child.i >= floor:
                if child.lower_ in {"who", "that"} and cue.dep_ == "relcl":
                    child = cue.head
                span = _subject_phrase(child, max(lo, floor), hi)
                if self._speaker_ok(span):
                    return span
        before = _nominal_before(self.sp, cue.i, max(lo, floor))
        if self._speaker_ok(before):
            return before
        after = _nominal_after(self.sp, cue.i, hi)
        return after if self._speaker_ok(after) else None

    # -- direct quotes ------------------------------------------------------------------

    def direct(self, quoted: list[Quoted]) -> list[Attribution]:
        min_words = self.lex.limits["min_quote_words"]
        found: list[Attribution] = []
        for q in quoted:
            c_start, c_end = q.content
            if len(self.text[c_start:c_end].split()) < min_words:
                continue
            label = "mixed" if self._embedded(q) else "direct"
            attribution = Attribution(label, (c_start, c_end), None, None, None, (q.start, q.end))
            self._frame(attribution, q)
            found.append(attribution)
        return found

    def _embedded(self, q: Quoted) -> bool:
        """Whether a quote is a fragment inside reported speech ('X said the plan was "a cash
        grab"') rather than a quotation that stands alone after a comma, colon or line break."""
        n = self.sents.index_at(q.start)
        if n is None or q.start == self.sents.spans[n].start:
            return False
        return not self.text[:q.start].rstrip(" \t").endswith((":", ",", "\n"))

    def _frame(self, att: Attribution, q: Quoted) -> None:
        """Find the cue and speaker of a direct quote outside its marks: in its own sentences,
        then in a short sentence right after it ("Maj. Gen. X as saying.") or a sentence that
        introduces it ("X told the BBC:")."""
        for lo, hi in self._frames(q):
            for i in range(lo, hi):
                tok = self.sp[i]
                if self._as_saying(tok):
                    speaker = _nominal_before(self.sp, i, lo)
                    cue_end = tok.nbor(1)
                    if self._speaker_ok(speaker):
                        self._set_cue(att, (tok.idx, cue_end.idx + len(cue_end)), speaker,
                                      self.lex.verb_class.get("say"), {i, i + 1})
                        return
                cls = self._verb_cue(tok)
                if cls is None:
                    continue
                speaker = self._speaker_of_verb(tok, lo, hi, lo)
                if speaker is not None:
                    self._set_cue(att, (tok.idx, tok.idx + len(tok)), speaker, cls, {i})
                    return

    def _frames(self, q: Quoted) -> Iterator[tuple[int, int]]:
        """Token ranges, nearest first, where a direct quote's speaker may be named."""
        first, last = self.sents.index_at(q.start), self.sents.index_at(max(q.start, q.end - 1))
        if last is not None:
            lo, hi = self.sents.token_ranges[last]
            yield max(lo, self._token_after(q.end)), hi
        if first is not None:
            lo, hi = self.sents.token_ranges[first]
            yield lo, min(hi, self._token_after(q.start))
        ends_sentence = last is not None and not self.text[q.end:self.sents.spans[last].end].strip(
            " .,;!?")
        if ends_sentence and last + 1 < len(self.sents.spans):
            lo, hi = self.sents.token_ranges[last + 1]
            if hi - lo <= self.lex.limits["max_frame_tokens"]:
                yield lo, hi
        if first is not None and first > 0:
            before = self.sents.spans[first - 1]
            if self.text[before.end - 1] == ":":
                yield self.sents.token_ranges[first - 1]

    def _set_cue(self, att: Attribution, cue: tuple[int, int], speaker: tuple[int, int],
                 cls: CueClass | None, tokens: set[int]) -> None:
        att.cue, att.speaker, att.cue_class = cue, speaker, cls
        self.used_cues |= tokens

    def _token_after(self, offset: int) -> int:
        """Index of the first token starting at or after a character offset."""
        span = self.sp.char_span(offset, len(self.text), alignment_mode="expand")
        return span.start if span is not None else len(self.sp)

    def adjacent(self, direct: list[Attribution], others: list[Attribution]) -> None:
        """A quote without a frame takes the speaker of the sentence that introduces it
        ("X said:") or, failing that, of the attributed sentence just before it."""
        everything = sorted(direct + others, key=lambda a: a.content[0])
        previous: Attribution | None = None
        for att in everything:
            if att.label == "direct" and att.speaker is None and previous is not None:
                gap = self.text[previous.extent[1]:att.extent[0]]
                if gap.count("\n") <= 2 and (previous.speaker or previous.inherited_from):
                    att.inherited_from = previous
            if att.speaker is not None or att.inherited_from is not None:
                previous = att

    # -- reported speech ----------------------------------------------------------------

    def reported(self, quoted: list[Quoted], direct: list[Attribution]) -> list[Attribution]:
        inside = [a.extent for a in direct]
        found: list[Attribution] = []
        for n in range(len(self.sents.spans)):
            lo, hi = self.sents.token_ranges[n]
            for i in range(lo, hi):
                tok = self.sp[i]
                if i in self.used_cues or any(a <= tok.idx < b for a, b in inside):
                    continue
                att = self._reported_at(tok, lo, hi)
                if att is not None:
                    found.append(att)
                    inside.append(att.content)  # nested reports stay part of the outer one
        for att in found:  # short quotes inside reported content are partial (mixed) quotes
            if any(att.content[0] <= q.start and q.end <= att.content[1] + 1 for q in quoted):
                att.label = "mixed"
        return found

    def _reported_at(self, tok: Token, lo: int, hi: int) -> Attribution | None:
        prep = self._prepositional(tok)
        if prep is not None:
            return self._according_to(tok, prep[0], prep[1], lo, hi)
        if self._as_saying(tok):
            speaker = _nominal_before(self.sp, tok.i, lo)
            content = self._content_after(tok.i + 1, hi)
            if self._speaker_ok(speaker) and content:
                cue_end = tok.nbor(1)
                return Attribution("indirect", content, (tok.idx, cue_end.idx + len(cue_end)),
                                   self.lex.verb_class.get("say"), speaker, content)
            return None
        cls = self._verb_cue(tok)
        if cls is None:
            return None
        clause = next((c for c in tok.children if c.dep_ in CLAUSE_DEPS and lo <= c.i < hi), None)
        speaker = self._speaker_of_verb(tok, lo, hi, lo)
        if speaker is None:
            return None
        content: tuple[int, int] | None = None
        if clause is not None:
            content = _phrase(t for t in clause.subtree
                              if lo <= t.i < hi and not (t.dep_ == "mark" and t.head == clause))
        elif speaker[0] > self.sp[lo].idx and _has_finite_verb(
            t for t in self.sp[lo:hi] if t.idx < speaker[0]
        ):  # "<content>, <speaker>, revealed on Monday"
            content = (self.sp[lo].idx, speaker[0])
        elif not cls.needs_clause:
            content = self._content_after(max(tok.i, self._token_after(speaker[1]) - 1), hi)
        if content is None or cls.needs_clause and clause is None:
            return None
        content = _trim(self.text, *content)
        if content[1] - content[0] < 3:
            return None
        return Attribution("indirect", content, (tok.idx, tok.idx + len(tok)), cls, speaker, content)

    def _content_after(self, i: int, hi: int) -> tuple[int, int] | None:
        while i + 1 < hi and (self.sp[i + 1].lower_ in {"that", ":", ","} or self.sp[i + 1].is_space):
            i += 1
        rest = [t for t in self.sp[i + 1:hi] if not t.is_space]
        if len([t for t in rest if not t.is_punct]) < 2:
            return None
        return _trim(self.text, rest[0].idx, rest[-1].idx + len(rest[-1]))

    def _according_to(self, tok: Token, end: int, cls: CueClass, lo: int, hi: int) -> Attribution | None:
        """ "According to X, <content>" or "<content>, according to X." """
        stop = end
        while stop < hi and self.sp[stop].text not in {",", ";", ":"} and not (
            self.sp[stop].is_punct and stop == hi - 1
        ):
            stop += 1
        speaker = _phrase(t for t in self.sp[end:stop] if not t.is_space)
        if not self._speaker_ok(speaker):
            return None
        if tok.i == lo or all(t.is_punct or t.is_space for t in self.sp[lo:tok.i]):
            content = _phrase(t for t in self.sp[stop + 1:hi] if not t.is_space)
        else:
            content = _phrase(t for t in self.sp[lo:tok.i] if not t.is_space)
        if content is None:
            return None
        content = _trim(self.text, *content)
        last = self.sp[end - 1]
        return Attribution("indirect", content, (tok.idx, last.idx + len(last)), cls, speaker, content)

    # -- headline -----------------------------------------------------------------------

    def headline(self) -> Attribution | None:
        span = headline_span(self.doc)
        if span is None:
            return None
        start, end = span
        line = self.text[start:end]
        for _name, pattern in self.lex.headline_patterns:
            m = pattern.match(line)
            if m is None:
                continue
            s_start, s_end = _trim(self.text, start + m.start("source"), start + m.end("source"))
            source = self.sp.char_span(s_start, s_end, alignment_mode="expand")
            if (
                source is None
                or not (self.text[s_start:s_end][:1].isupper() or "cue" in m.groupdict())
                or len(source) > self.lex.limits["headline_source_words"]
                or any(t.tag_.startswith("VB") or t.pos_ == "PRON" for t in source)
            ):
                continue
            c_start, c_end = _trim(self.text, start + m.start("content"), start + m.end("content"))
            cue = (start + m.start("cue"), start + m.end("cue")) if "cue" in m.groupdict() else None
            label = "direct" if line[m.start("content")] in "\"“„«" else "indirect"
            return Attribution(label, (c_start, c_end), cue, lexicon().verb_class.get("say"),
                               (s_start, s_end), (c_start, c_end), headline=True)
        return None


def headline_span(doc: Document) -> tuple[int, int] | None:
    """The headline in the text: the extractor's ``headline`` layer, else ``meta.title`` when
    the text opens with it."""
    layer = doc.get("headline")
    if layer:
        return layer[0].start, layer[0].end
    title = (doc.meta.title or "").strip()
    if title and doc.text.startswith(title) and doc.text[len(title):len(title) + 1] in {"\n", ""}:
        return 0, len(title)
    return None


# --------------------------------------------------------------------------- speakers


@dataclass
class Speaker:
    """A resolved speaker: one per person or collective, gathering its mentions."""

    name: str
    kind: str  # person | group
    title: str | None = None
    role: str | None = None
    organisation: str | None = None
    entity: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    label: str
    canonical: str
    cluster: str | None


class Resolver:
    """Resolves speaker phrases to speakers, in text order (later references look back)."""

    def __init__(self, doc: Document, sp: SpacyDoc) -> None:
        self.text, self.sp, self.lex = doc.text, sp, lexicon()
        self.mentions = self._mentions(doc, sp)
        self.by_surname: dict[str, Mention] = {}
        for m in self.mentions:
            if m.label == "PERSON":
                surname = self._name_words(m.canonical)[-1:]
                if surname:
                    best = self.by_surname.get(surname[0])
                    if best is None or len(m.canonical) > len(best.canonical):
                        self.by_surname[surname[0]] = m
        self.speakers: dict[str, Speaker] = {}
        self.recent: list[Speaker] = []

    @staticmethod
    def _mentions(doc: Document, sp: SpacyDoc) -> list[Mention]:
        """Entity mentions: the entities layer when it ran, else the parse's own entities."""
        if "entities" in doc.layers:
            return [
                Mention(e.start, e.end, e.label, str(e.attrs.get("canonical") or e.text),
                        e.attrs.get("cluster"))
                for e in doc.get("entities")
            ]
        return [Mention(e.start_char, e.end_char, e.label_, e.text, None) for e in sp.ents]

    def _name_words(self, name: str) -> list[str]:
        words = [w.strip(",") for w in name.split()]
        while words and self.lex.is_title(words[0]):
            words.pop(0)
        return [re.sub(r"['’]s$", "", w) for w in words if w]

    def resolve(self, start: int, end: int) -> Speaker:
        phrase = self.text[start:end]
        person = self._person_in(start, end)
        if person is not None:
            speaker = self._person_speaker(person, start, end)
        else:
            words = phrase.lower().split()
            if len(words) == 1 and words[0] in self.lex.person_pronouns | self.lex.group_pronouns:
                speaker = self._antecedent(person_only=words[0] in self.lex.person_pronouns)
            elif self._role_description(words):
                speaker = self._antecedent(person_only=True, role=words[-1])
            else:
                speaker = None
            if speaker is None:
                speaker = self._group_speaker(start, end)
        speaker.mentions.append((start, end))
        self.recent.append(speaker)
        return speaker

    # -- people -------------------------------------------------------------------------

    def _person_in(self, start: int, end: int) -> tuple[int, int, Mention] | None:
        """The person named in a phrase: a PERSON mention; else a name whose last word is the
        surname of a person named elsewhere (the parse mislabels surnames); else the proper
        name heading the phrase, unless it names a place or an organisation."""
        for m in self.mentions:
            if m.start >= start and m.end <= end and m.label == "PERSON":
                return m.start, m.end, self.by_surname.get(self._surname(m.canonical), m)
        phrase = self.sp.char_span(start, end, alignment_mode="expand")
        if phrase is None:
            return None
        runs = self._name_runs(phrase)
        for first, last in runs:
            known = self.by_surname.get(last.text)
            if known is not None:
                name = self.text[first.idx:last.idx + len(last)]
                if len(name) > len(known.canonical):  # a fuller name than any seen so far
                    known = self.by_surname[last.text] = Mention(
                        first.idx, last.idx + len(last), "PERSON", name, known.cluster)
                return first.idx, last.idx + len(last), known
        head = next(((f, l) for f, l in runs if f.i <= phrase.root.i <= l.i), None)
        if head is None:
            return None
        first, last = head
        titled = first.i > 0 and self.sp[first.i - 1].text in self.lex.honorifics
        if last.ent_type_ in NON_PERSON_ENTITIES and not titled:
            return None
        name = self.text[first.idx:last.idx + len(last)]
        return first.idx, last.idx + len(last), Mention(first.idx, last.idx + len(last), "PERSON",
                                                        name, None)

    def _name_runs(self, phrase: SpacySpan) -> list[tuple[Token, Token]]:
        """Runs of capitalised proper nouns in a phrase, titles left out."""
        runs: list[tuple[Token, Token]] = []
        current: list[Token] = []
        for tok in list(phrase) + [None]:  # type: ignore[list-item]
            if tok is not None and tok.pos_ == "PROPN" and tok.text[:1].isupper() \
                    and not self.lex.is_title(tok.text) and tok.text != ".":
                current.append(tok)
                continue
            if current:
                runs.append((current[0], current[-1]))
            current = []
        return runs

    def _surname(self, name: str) -> str:
        words = self._name_words(name)
        return words[-1] if words else name

    def _person_speaker(self, found: tuple[int, int, Mention], start: int, end: int) -> Speaker:
        n_start, n_end, mention = found
        canonical = " ".join(self._name_words(mention.canonical))
        speaker = self.speakers.get(canonical.lower())
        if speaker is None:
            speaker = self.speakers[canonical.lower()] = Speaker(canonical, "person",
                                                                  entity=mention.cluster)
            self.by_surname.setdefault(self._surname(canonical), mention)
        before = [p.strip() for p in self.text[start:n_start].split(",")]
        after = [p.strip() for p in self.text[n_end:end].split(",")]
        title = self._title(before[-1]) if before else None
        role = self._role(before[:-1] + after[1:] if len(after) > 1 else before[:-1])
        speaker.title = speaker.title or title
        speaker.role = speaker.role or role or (title if self._has_role_noun(title) else None)
        speaker.organisation = speaker.organisation or self._organisation(speaker.role, start, end)
        return speaker

    def _title(self, text: str) -> str | None:
        text = text.strip()
        for det in DETERMINERS:
            if text.lower().startswith(det):
                text = text[len(det):]
        return text or None

    def _role(self, parts: list[str]) -> str | None:
        parts = [self._title(p) for p in parts]
        parts = [p for p in parts if p and re.search(r"[^\W\d]{3}", p)
                 and not re.search(r"\b(?:who|which|that)\b", p)]
        return parts[0] if parts else None

    def _has_role_noun(self, text: str | None) -> bool:
        return bool(text) and any(w.lower().strip(".") in self.lex.role_groups for w in text.split())

    def _organisation(self, role: str | None, start: int, end: int) -> str | None:
        """The organisation a role names ("head of the X", "spokesman for X"), else an ORG
        mentioned in the speaker phrase."""
        if role:
            words = role.split()
            for k, w in enumerate(words[:-1]):
                if w.lower() in self.lex.organisation_links:
                    org = self._title(" ".join(words[k + 1:]))
                    if org and org[:1].isupper():
                        return org
        org = next((m for m in self.mentions if m.label == "ORG" and start <= m.start and m.end <= end),
                   None)
        return self._title(org.canonical) if org else None

    def _role_description(self, words: list[str]) -> bool:
        return (
            len(words) >= 2 and words[0] in {"the", "this", "that"}
            and words[-1] in self.lex.role_groups
        )

    def _antecedent(self, person_only: bool, role: str | None = None) -> Speaker | None:
        """The most recent speaker (a person for "he"), or for a role description ("the
        general") the most recent person whose title or role fits the role noun."""
        candidates = [s for s in reversed(self.recent) if s.kind == "person" or not person_only]
        if role is not None:
            groups = self.lex.role_groups.get(role, frozenset())
            for s in candidates:
                described = f"{s.title or ''} {s.role or ''}".lower().replace(".", " ").split()
                if any(role.startswith(w) or w == role for w in described if len(w) > 2) or any(
                    self.lex.role_groups.get(w, frozenset()) & groups for w in described
                ) or any(
                    noun.startswith(w) and self.lex.role_groups[noun] & groups
                    for w in described if len(w) > 2 for noun in self.lex.role_groups
                ):
                    return s
            return None  # "the health secretary" is nobody quoted so far: a speaker of its own
        return candidates[0] if candidates else None

    # -- groups -------------------------------------------------------------------------

    def _group_speaker(self, start: int, end: int) -> Speaker:
        name = self._title(self.text[start:end].strip(" ,")) or self.text[start:end]
        entity = next((m for m in self.mentions if m.start <= start + 4 and m.end >= end - 1), None)
        if entity is not None and entity.label != "PERSON":
            name = self._title(entity.canonical) or name
        speaker = self.speakers.get(name.lower())
        if speaker is None:
            speaker = self.speakers[name.lower()] = Speaker(
                name, "group", entity=entity.cluster if entity else None,
                organisation=name if entity is not None and entity.label == "ORG" else None,
            )
        return speaker


# --------------------------------------------------------------------------- the stage


def _sentence_spans(doc: Document, sp: SpacyDoc) -> list[Span]:
    """The segment stage's sentences; the parse's own when the stage did not run."""
    if doc.get("sentences"):
        return doc.get("sentences")
    spans = []
    for s in sp.sents:
        start, end = _trim(doc.text, s.start_char, s.end_char, " \t\n")
        if start < end:
            spans.append(doc.span(start, end, "sentence", stage="quotes"))
    return spans


def _paragraph_bounds(doc: Document) -> list[tuple[int, int]]:
    if doc.get("paragraphs"):
        return [(p.start, p.end) for p in doc.get("paragraphs")]
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", doc.text)]


@register("quotes")
class QuotesStage(BaseStage):
    """Adds ``quotes`` (with resolved speakers) and ``voice`` (one span per sentence)."""

    version = "1"
    requires = ("sentences", "entities")
    provides = ("quotes", "voice")
    languages = ("en",)

    @property
    def model(self) -> str | None:
        return SPACY_MODEL_ID

    def __call__(self, doc: Document) -> None:
        if not doc.text.strip():
            return
        sp = parse(doc)
        sentences = Sentences(_sentence_spans(doc, sp), sp)
        quoted = list(find_quoted(doc.text, _paragraph_bounds(doc),
                                  lexicon().limits["max_quote_chars"]))
        finder = Finder(doc, sp, sentences)
        direct = finder.direct(quoted)
        reported = finder.reported(quoted, direct)
        headline = finder.headline()
        if headline is not None:
            reported = [a for a in reported if not a.content[1] <= headline.extent[1]] + [headline]
        finder.adjacent(direct, reported)
        attributions = sorted(direct + reported, key=lambda a: (a.cue or a.content)[0])
        resolver = Resolver(doc, sp)
        for att in attributions:
            if att.speaker is not None:
                att.resolved = resolver.resolve(*att.speaker)
        for att in attributions:
            if att.resolved is None and att.inherited_from is not None:
                att.resolved = att.inherited_from.resolved
        quotes = doc.add("quotes", [self._quote_span(doc, sentences, a) for a in attributions])
        by_extent = {(q.start, q.end, q.label): q for q in quotes}
        doc.add("voice", self._voices(doc, sentences, attributions, by_extent))

    def _quote_span(self, doc: Document, sentences: Sentences, att: Attribution) -> Span:
        speaker = att.resolved
        ids = [s.id for s in sentences.spans if s.overlaps(*att.extent)]
        score = 0.5 if speaker is None else (att.cue_class.strength if att.cue_class else 0.8)
        if att.inherited_from is not None:
            score *= 0.8
        return doc.span(
            *att.extent, att.label, stage=self.name, model=self.model, score=round(score, 3),
            speaker=speaker.name if speaker else None,
            speaker_mention=list(att.speaker) if att.speaker else None,
            speaker_entity=speaker.entity if speaker else None,
            title=speaker.title if speaker else None,
            role=speaker.role if speaker else None,
            organisation=speaker.organisation if speaker else None,
            cue=doc.text[att.cue[0]:att.cue[1]] if att.cue else None,
            cue_span=list(att.cue) if att.cue else None,
            semantics=att.cue_class.semantics if att.cue_class else None,
            content_span=list(att.content),
            sentence=ids[0] if len(ids) == 1 else ids,
            headline=att.headline,
            inherited=att.inherited_from is not None,
        )

    def _voices(self, doc: Document, sentences: Sentences, attributions: list[Attribution],
                quotes: dict[tuple[int, int, str], Span]) -> list[Span]:
        voices = []
        for sentence in sentences.spans:
            label, quote = "own-voice", None
            for att in attributions:
                if att.label == "direct" and sentence.overlaps(*att.extent):
                    label, quote = "quoted", att
                    break
            if quote is None:
                quote = next((a for a in attributions if a.cue and sentence.start <= a.cue[0] < sentence.end
                              or a.headline and sentence.overlaps(*a.extent)), None)
                label = "attributed" if quote is not None else "own-voice"
            q_span = quotes.get((*quote.extent, quote.label)) if quote else None
            voices.append(doc.span(
                sentence.start, sentence.end, label, stage=self.name, model=self.model,
                speaker=quote.resolved.name if quote and quote.resolved else None,
                quote=q_span.id if q_span else None, sentence=sentence.id or None,
            ))
        return voices


@view("speakers")
def speakers_view(doc: Document) -> list[dict[str, Any]]:
    """Each speaker once: name, title, role, organisation, where they are named, their quotes."""
    out: dict[str, dict[str, Any]] = {}
    for q in doc.get("quotes"):
        name = q.attrs.get("speaker")
        if not name:
            continue
        entry = out.setdefault(name, {
            "name": name, "title": None, "role": None, "organisation": None, "entity": None,
            "mentions": [], "quotes": [],
        })
        for key, attr in (("title", "title"), ("role", "role"), ("organisation", "organisation"),
                          ("entity", "speaker_entity")):
            entry[key] = entry[key] or q.attrs.get(attr)
        mention = q.attrs.get("speaker_mention")
        if mention and mention not in [[m["start"], m["end"]] for m in entry["mentions"]]:
            entry["mentions"].append({"start": mention[0], "end": mention[1],
                                      "text": doc.text[mention[0]:mention[1]]})
        entry["quotes"].append(q.id)
    return list(out.values())
