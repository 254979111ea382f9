"""Who says what in languages without a parse: quote marks, dialogue dashes and reporting cues.

The English finders read a spaCy parse; no parser covers Russian, Ukrainian, Arabic, French,
German, Spanish or Italian here, so these languages are read from the surface: quoted stretches
(« » „ “ ” ‚ ‘ ‹ › and the dash that opens a line of dialogue), reporting cues from
``data/languages/<code>.toml`` (verbs such as заявил, a déclaré, sagte, dijo, ha detto, قال;
prepositions such as по словам, selon, laut, según, secondo, وفقا لـ; German "zufolge" after its
source) and the speaker each cue governs: the person or organisation of the entities layer
nearest the cue on the side the language puts it (after the verb when the verb follows the quote
or its content, «…», — заявил Лавров, "…, заявил X", or in Arabic's verb-first order), a person
in apposition further on ("…, el general X") or named first and then described ("X, président
de …, a déclaré"), else a capitalised name there. A name after an addressee marker ("Trump à
Zemmour :") is not the speaker. A pronoun, or a verb that names no one ("وأضاف «…»", "según
dijo"), is the last person who spoke or a person named since, outside quotes; organisations and
places the entities layer named are not "he". Inflected mentions of one person ("Конашенков",
"Конашенкова") are one speaker.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..document import Document, Span
from .lexicon import CueClass, Lexicon, lexicon
from .model import Attribution
from .quote_marks import QUOTE_MARKS, find_quoted
from ..models.place_names import rules
from .speakers import Speaker

LANGUAGE_DIR = "data/languages"
MODEL_ID = "surface-cues-1"  # what the quotes of these languages say produced them
ACTOR_LABELS = frozenset({"PERSON", "PER", "ORG", "GPE", "NORP"})
PERSON_LABELS = frozenset({"PERSON", "PER"})
PLACE_LABELS = frozenset({"GPE"})
NON_SPEAKER_LABELS = frozenset({"LOC", "FAC"})  # "Россия заявила"; after a cue only as its next word
SPEAKER_WINDOW_WORDS = 10  # how far from its cue a speaker may be named
APPOSITION_WINDOW_WORDS = 18  # a person named after a long title: "dijo el comandante …, el general X"
MAX_LEADING_WORDS = 6  # lower-case words ("нам видатний наш поет") allowed before a name
INTRODUCING_ENDS = (":", ",", "\n")
_WORD = re.compile(r"[^\W_][\w'’\-]*")
_DIALOGUE = re.compile(r"[—–]\s")  # the dash that opens a line of dialogue, or closes its quote
_CLOSING_DASH = re.compile(r"[,.!?…]?\s[—–]\s")
_DASH_AFTER = re.compile(r"[\s,.!?…]*([—–-])\s")  # "», — сказал он", "!“ – so der Minister"
_PAREN_AFTER = re.compile(r"[\s,.]*\(\s*")  # "«…» (Pr Luc Montagnier, prix Nobel)"
_CONTENT_BEFORE = (",", "»", "“", "”", '"', "—", "–")  # "…, заявил X": the content came first


@dataclass(frozen=True)
class LanguageCues:
    """One language's data file, compiled."""

    language: str
    verbs: re.Pattern[str]
    prepositional: re.Pattern[str]
    postpositional: re.Pattern[str] | None
    classes: dict[str, CueClass]
    complementisers: frozenset[str]
    pronouns: frozenset[str]
    possessives: frozenset[str]
    speaker_after_verb: bool
    speaker_ends: frozenset[str]
    titles: frozenset[str]
    cased: bool
    name_connectors: frozenset[str]
    plural_pronouns: frozenset[str]
    addressee_markers: frozenset[str]
    descriptors: frozenset[str]
    of_words: frozenset[str]


def _alternation(groups: dict[str, list[str]]) -> str:
    """One pattern of named groups (``c0``, ``c1`` …) so that a match says its class."""
    return "|".join(f"(?P<c{i}>{'|'.join(ps)})" for i, ps in enumerate(groups.values()) if ps)


@lru_cache(maxsize=1)
def languages() -> tuple[str, ...]:
    """The languages that have a cue file."""
    folder = resources.files(__package__).joinpath(LANGUAGE_DIR)
    return tuple(sorted(f.name[:-5] for f in folder.iterdir() if f.name.endswith(".toml")))


@lru_cache(maxsize=16)
def cues_for(language: str) -> LanguageCues | None:
    if language not in languages():
        return None
    raw = tomllib.loads(resources.files(__package__).joinpath(
        f"{LANGUAGE_DIR}/{language}.toml").read_text("utf-8"))
    lex = lexicon()
    by_name = {cls.name: cls for cls in lex.verb_class.values()}
    verb_groups = {name: patterns for name, patterns in raw["classes"].items() if patterns}
    prep_groups: dict[str, list[str]] = {}
    for pattern, name in raw["prepositional"].items():
        prep_groups.setdefault(name, []).append(pattern)
    post_groups: dict[str, list[str]] = {}
    for pattern, name in raw.get("postpositional", {}).items():
        post_groups.setdefault(name, []).append(pattern)

    def compiled(groups: dict[str, list[str]]) -> re.Pattern[str]:
        return re.compile(rf"(?<!\w)(?:{_alternation(groups)})(?!\w)", re.IGNORECASE)

    classes = {}
    for kind, groups in (("v", verb_groups), ("p", prep_groups), ("q", post_groups)):
        for i, name in enumerate(groups):
            classes[f"{kind}{i}"] = by_name[name]
    return LanguageCues(
        language, compiled(verb_groups), compiled(prep_groups),
        compiled(post_groups) if post_groups else None, classes,
        frozenset(raw["complementisers"]), frozenset(raw.get("pronouns", ())),
        frozenset(raw.get("possessives", ())),
        bool(raw["speaker_after_verb"]), frozenset(raw.get("speaker_ends", ())),
        frozenset(raw.get("titles", ())), bool(raw.get("cased", True)),
        frozenset(raw.get("name_connectors", ())),
        frozenset(raw.get("plural_pronouns", ())), frozenset(raw.get("addressee_markers", ())),
        frozenset(raw.get("descriptors", ())), frozenset(raw.get("of_words", ())),
    )


@dataclass(frozen=True, slots=True)
class Cue:
    start: int
    end: int
    cls: CueClass
    kind: str  # verb | prep | post | dash | colon


def find_cues(text: str, cues: LanguageCues, lo: int, hi: int) -> list[Cue]:
    """Reporting cues in ``text[lo:hi]``, in text order."""
    found = []
    for kind, prefix, pattern in (("verb", "v", cues.verbs), ("prep", "p", cues.prepositional),
                                  ("post", "q", cues.postpositional)):
        if pattern is None:
            continue
        for m in pattern.finditer(text, lo, hi):
            group = m.lastgroup or ""
            found.append(Cue(m.start(), m.end(), cues.classes[prefix + group[1:]], kind))
    return sorted(found, key=lambda c: c.start)


# ------------------------------------------------------------------------------------------
# Speakers


@dataclass(frozen=True, slots=True)
class Named:
    """A speaker phrase found near a cue: its offsets, name and kind."""

    start: int
    end: int
    name: str
    kind: str  # person | group | pronoun
    entity: str | None = None


class SpeakerFinder:
    """Speaker phrases next to cues, from the entities layer, else capitalised names."""

    def __init__(self, doc: Document, cues: LanguageCues) -> None:
        self.text, self.cues = doc.text, cues
        self.actors = [e for e in doc.get("entities") if e.label in ACTOR_LABELS]
        # names the entities layer calls places are no speakers read off the text ("… en Idlib")
        self.places = [(e.start, e.end) for e in doc.get("entities") if e.label in NON_SPEAKER_LABELS]
        self.gpe = [(e.start, e.end) for e in self.actors if e.label in PLACE_LABELS]
        self.unverified_places = [e for e in doc.get("entities") if e.label == "LOC"]
        self.persons = [e for e in self.actors if e.label in PERSON_LABELS]
        place_rules = rules(cues.language)  # its capitalised non-names (sentence openers, months)
        self.stop = place_rules.stop if place_rules is not None else frozenset()

    def _entity(self, e: Span) -> Named:
        kind = "person" if e.label in PERSON_LABELS else "group"
        return Named(e.start, e.end, e.attrs.get("canonical") or e.text, kind, e.id)

    def after(self, pos: int, hi: int) -> Named | None:
        """The speaker named right after ``pos`` (before ``hi``): the first person among the
        actors in the window, else the first actor, else a name read off the text."""
        limit = self._window_end(pos, hi, SPEAKER_WINDOW_WORDS)
        wide = self._window_end(pos, hi, APPOSITION_WINDOW_WORDS)
        described = self._descriptor(pos, limit)
        if described is not None:
            return described
        first_word = _WORD.search(self.text, pos, hi)
        near = [e for e in self.actors if pos <= e.start and e.end <= wide  # a place speaks only
                and (e.label not in PLACE_LABELS or (first_word and e.start == first_word.start()))
                and not self._addressed(e.start)]  # as the next word: "заявила Москва"
        # past the usual window, only a person in apposition: "…, el general Gabi Ashkenazi"
        person = next((e for e in near if e.label in PERSON_LABELS and (e.end <= limit or _apposition(
            self.text[pos:e.start]))), None)
        near = [e for e in near if e.end <= limit]
        if person is not None or near:
            return self._entity(person or near[0])
        # a name the entities layer guessed as a place (LOC, unknown to the gazetteer), named
        # right after the cue: "dijo Laudrup"
        guessed = next((e for e in self.unverified_places if first_word and e.start == first_word.start()), None)
        if guessed is not None:
            return Named(guessed.start, guessed.end, guessed.text, "group", guessed.id)
        return self._text_after(pos, limit)

    def before(self, lo: int, pos: int) -> Named | None:
        """The speaker named right before ``pos``: the nearest person, else actor, else name."""
        limit = self._window_start(lo, pos)
        near = [e for e in self.actors if limit <= e.start and e.end <= pos and not self._addressed(e.start)]
        # a name after "of" is whose someone is, not who speaks: "X, del Básquet Inca, dijo"
        person = next((e for e in reversed(near) if e.label in PERSON_LABELS and not self._owner(e.start)), None)
        if person is None:  # the clause's subject, named first and then described: "X, président de …, a déclaré"
            opening = _WORD.search(self.text, lo, pos)
            person = next((e for e in self.persons if opening and e.start == opening.start() and e.end < limit
                           and self.text[e.end:e.end + 2].lstrip()[:1] in (",", "،")), None)
        if person is not None or near:
            return self._entity(person or near[-1])
        return self._text_before(limit, pos)

    def adjacent(self, lo: int, pos: int) -> Named | None:
        """The name that ends right at ``pos`` ("Ucraina, Zelensky:"): a person or organisation
        of the entities layer, else a capitalised name read off the text."""
        words = list(_WORD.finditer(self.text, lo, pos))
        if not words or self.text[words[-1].end():pos].strip():
            return None
        entity = next((e for e in [*self.actors, *self.unverified_places]
                       if e.end == words[-1].end() and e.label not in PLACE_LABELS), None)
        if entity is not None:
            return None if self._addressed(entity.start) else self._entity(entity)
        named = self._text_before(words[-1].start(), pos)
        return named if named is not None and named.kind != "pronoun" and named.end == words[-1].end() else None

    def _descriptor(self, pos: int, limit: int) -> Named | None:
        """A noun that describes someone already named, as the subject after a cue: "…»,
        a déclaré le soutien de Marine Le Pen" (the supporter, not Le Pen), "…», — подловил ГУР
        военный эксперт", "Как отметил журналист, …". It ends its clause, or so does the
        organisation or place right after it ("— подчеркнул дипломат ЕС."), or its "of"
        complement is the only person named; no person comes between the cue and it. It
        stands for the last person who spoke, or one named since, like a pronoun."""
        words = list(_WORD.finditer(self.text, pos, limit))
        for i, word in enumerate(words):
            if word.group().lower() not in self.cues.descriptors:
                continue
            if any(pos <= e.start < word.start() for e in self.persons):
                return None
            end = next((e.end for e in [*self.actors, *self.unverified_places] if e.label not in PERSON_LABELS
                        and not self.text[word.end():e.start].strip() and e.start > word.start()), word.end())
            if self.text[end:end + 1] in (",", ".", ";", ":", "!", "?", "") or end >= limit:
                return Named(word.start(), word.end(), word.group(), "pronoun")
            complement = words[i + 1] if i + 1 < len(words) else None
            if complement is None or complement.group().lower() not in self.cues.of_words:
                return None
            owners = [e for e in self.persons if complement.end() <= e.start < limit]
            if len(owners) == 1 and not self.text[complement.end():owners[0].start].strip():
                return Named(word.start(), word.end(), word.group(), "pronoun")
            return None
        return None

    def _owner(self, start: int) -> bool:
        """Whether the name at ``start`` follows an "of" word ("del", "de"): a possessor."""
        before = self.text[max(0, start - 12):start].split()
        return bool(before) and before[-1].lower() in self.cues.of_words

    def _addressed(self, start: int) -> bool:
        """Whether the name at ``start`` follows a word that marks whom words are addressed to
        ("Trump à Zemmour :", "aseguró a Efe"), so it is not the speaker."""
        before = self.text[max(0, start - 24):start].split()
        return bool(before) and before[-1].lower() in self.cues.addressee_markers

    def _window_end(self, pos: int, hi: int, size: int) -> int:
        words = list(_WORD.finditer(self.text, pos, hi))[:size]
        stop = next((w.start() for w in words if w.group().lower() in self.cues.complementisers), None)
        end = words[-1].end() if words else pos
        return min(end, stop) if stop is not None else end

    def _window_start(self, lo: int, pos: int) -> int:
        words = list(_WORD.finditer(self.text, lo, pos))[-SPEAKER_WINDOW_WORDS:]
        return words[0].start() if words else pos

    def _text_after(self, pos: int, limit: int) -> Named | None:
        words = list(_WORD.finditer(self.text, pos, limit))
        if not self.cues.cased:
            run = []
            for w in words[:SPEAKER_WINDOW_WORDS - 2]:
                if w.group() in self.cues.speaker_ends:
                    break
                run.append(w)
            return Named(run[0].start(), run[-1].end(), self.text[run[0].start():run[-1].end()],
                         "group") if run else None
        runs: list[Named] = []
        i = 0
        while i < len(words):
            word = words[i].group()
            if word.lower() in self.cues.pronouns and i == 0:
                return Named(words[i].start(), words[i].end(), word, "pronoun")
            if word[:1].isupper() and word not in self.stop:
                run = self._run(words, i)
                if not self._is_place(run) and not self._addressed(run.start):
                    runs.append(run)
                i = next(k for k in range(i, len(words)) if words[k].end() >= run.end) + 1
                continue
            if not runs and word.lower() not in self.cues.titles and i >= MAX_LEADING_WORDS:
                return None
            i += 1
        return _likeliest_name(runs, self.text, limit)

    def _text_before(self, limit: int, pos: int) -> Named | None:
        if not self.cues.cased:
            return None
        words = list(_WORD.finditer(self.text, limit, pos))
        if words and words[-1].group().lower() in self.cues.pronouns:
            w = words[-1]
            return Named(w.start(), w.end(), w.group(), "pronoun")
        i, stop = len(words) - 1, len(words) - 4
        while i > max(-1, stop):
            word = words[i].group()
            if word[:1].isupper() and word.lower() not in self.cues.titles and word not in self.stop \
                    and not self._is_place(Named(words[i].start(), words[i].end(), word, "group")):
                first = i
                while first > 0 and words[first - 1].group()[:1].isupper() and \
                        self.text[words[first - 1].end():words[first].start()].strip() == "":
                    first -= 1
                if not self._addressed(words[first].start()):
                    return self._run(words, first)
                i, stop = first - 2, first - 5  # past the addressee and its marker
                continue
            i -= 1
        return None

    def _is_place(self, named: Named) -> bool:
        """Whether the entities layer reads a name found in the text as a place."""
        return any(s < named.end and named.start < e for s, e in self.places + self.gpe)

    def _run(self, words: list[re.Match[str]], i: int) -> Named:
        """The capitalised words from ``words[i]`` on, as one name."""
        j = i
        while j + 1 < len(words) and self.text[words[j].end():words[j + 1].start()].strip() == "":
            nxt = words[j + 1].group()
            if nxt[:1].isupper():
                j += 1
            elif nxt in self.cues.name_connectors and j + 2 < len(words) \
                    and words[j + 2].group()[:1].isupper():
                j += 2
            else:
                break
        while i < j and words[i].group().lower() in self.cues.titles:
            i += 1
        start, end = words[i].start(), words[j].end()
        name = self.text[start:end]
        kind = "person" if 1 < j - i + 1 <= 3 else "group"
        return Named(start, end, name, kind)


def _apposition(between: str) -> bool:
    """Whether a name after ``between`` stands in apposition: a comma, no quoted words."""
    return ("," in between or "،" in between) and not any(m in between for m in QUOTE_MARKS)


def _likeliest_name(runs: list[Named], text: str, limit: int) -> Named | None:
    """Of the capitalised runs after a cue, the name: a run of two words or more that ends the
    clause ("…, Mojib Latif."), else the first such run, else the first run (titles and
    institutions come first in appositions: "der Klimawissenschaftler am Geomar, Mojib Latif")."""
    multi = [r for r in runs if " " in r.name]
    ending = [r for r in multi if r.end >= limit or text[r.end:r.end + 1] in ",.;:!?)"]
    return (ending or multi or runs or [None])[0]


def same_name(a: str, b: str) -> bool:
    """Whether two words are one name in two cases: they share all but the last two letters of
    the shorter ("Конашенков", "Конашенкова"; "Лавров", "Лаврову")."""
    a, b = a.casefold(), b.casefold()
    shared = len(os.path.commonprefix([a, b]))
    return min(len(a), len(b)) >= 3 and shared >= max(3, min(len(a), len(b)) - 2)


class Speakers:
    """Speakers of one article: an inflected or shortened mention joins the person it names; a
    pronoun is the last person who spoke, or a person named since (outside quotes)."""

    def __init__(self, persons: list[Span] | None = None, plural: frozenset[str] = frozenset()) -> None:
        self.known: list[Speaker] = []
        self.persons = persons or []
        self.plural = plural

    def _pronoun(self, named: Named) -> Speaker | None:
        plural = bool(self.plural.intersection(named.name.lower().split()))
        # a singular pronoun is no organisation or place the entities layer named
        pool = self.known if plural else [s for s in self.known if s.kind == "person" or s.entity is None]
        last = pool[-1] if pool else None
        seen = max(end for _, end in last.mentions) if last is not None and last.mentions else -1
        since = next((e for e in reversed(self.persons) if seen <= e.start and e.end <= named.start), None)
        if since is None or plural:
            return last
        return self.resolve(Named(since.start, since.end, since.attrs.get("canonical") or since.text,
                                  "person", since.id))

    def resolve(self, named: Named) -> Speaker | None:
        if named.kind == "pronoun":
            return self._pronoun(named)
        last = named.name.split()[-1]
        for speaker in reversed(self.known):
            if any(same_name(w, last) for w in speaker.name.split()):
                if len(named.name) > len(speaker.name) and named.kind == "person":
                    speaker.name = named.name
                speaker.mentions.append((named.start, named.end))
                self.known.remove(speaker)
                self.known.append(speaker)
                return speaker
        speaker = Speaker(named.name, named.kind, entity=named.entity,
                          mentions=[(named.start, named.end)])
        self.known.append(speaker)
        return speaker


# ------------------------------------------------------------------------------------------
# Statements


@dataclass(frozen=True, slots=True)
class Quote:
    """A quoted stretch: what the quotes span covers and its content."""

    extent: tuple[int, int]
    content: tuple[int, int]


def quoted_stretches(text: str, paragraphs: list[tuple[int, int]], lex: Lexicon) -> list[Quote]:
    """Stretches between quote marks, and lines of dialogue opened by a dash ("— Мы готовы, —
    сказал он."): the dash line's content ends at the dash that closes it or at the line end."""
    quotes = [Quote((q.start, q.end), q.content)
              for q in find_quoted(text, paragraphs, lex.limits["max_quote_chars"])]
    for start, end in paragraphs:
        if not _DIALOGUE.match(text, start) or any(start <= q.extent[0] < end for q in quotes):
            continue
        closing = _CLOSING_DASH.search(text, start + 2, end)
        c_end = closing.start() + (1 if text[closing.start()] in ",.!?…" else 0) if closing else end
        quotes.append(Quote((start, c_end), (start + 2, c_end)))
    return sorted(quotes, key=lambda q: q.extent)


class Finder:
    """Direct quotes and attributed sentences of one document in one language."""

    def __init__(self, doc: Document, sentences: list[Span], cues: LanguageCues) -> None:
        self.doc, self.text, self.sentences, self.cues = doc, doc.text, sentences, cues
        self.lex = lexicon()
        self.finder = SpeakerFinder(doc, cues)

    def find(self, paragraphs: list[tuple[int, int]]) -> list[Attribution]:
        quotes = [q for q in quoted_stretches(self.text, paragraphs, self.lex)
                  if len(self.text[q.content[0]:q.content[1]].split()) >= self.lex.limits["min_quote_words"]
                  and not self._is_name(q)]
        unquoted = [e for e in self.finder.persons
                    if not any(q.extent[0] <= e.start < q.extent[1] for q in quotes)]
        self.speakers = Speakers(unquoted, self.cues.plural_pronouns)
        found: list[tuple[Attribution, Named | None]] = []
        for n, q in enumerate(quotes):
            found.append(self._direct(q, quotes[n - 1].extent[1] if n else 0,
                                      quotes[n + 1].extent[0] if n + 1 < len(quotes) else len(self.text)))
        quoted = [q.extent for q in quotes] + [a.cue for a, _ in found if a.cue is not None]
        for sentence in self.sentences:
            if any(s < sentence.end and sentence.start < e for s, e in quoted):
                continue
            reported = self._reported(sentence)
            if reported is not None:
                found.append(reported)
        found.sort(key=lambda f: f[0].extent[0])
        _share_sentence_frames(found, self._sentence_at)
        # a person named in what someone reports ("…, как отметил журналист, администрация
        # Байдена …") is no more the next "he" than one named inside quote marks
        reported = [a.content for a, _ in found if a.label == "indirect"]
        self.speakers.persons = [e for e in unquoted if not any(s <= e.start < t for s, t in reported)]
        previous: Attribution | None = None
        for att, named in found:
            if named is not None:
                att.resolved = self.speakers.resolve(named)
            if att.resolved is None and att.label == "direct" and previous is not None and \
                    self.text[previous.extent[1]:att.extent[0]].count("\n") <= 2:
                att.inherited_from, att.resolved = previous, previous.resolved
            if att.resolved is not None:
                previous = att
        return [att for att, _ in found]

    def _is_name(self, q: Quote) -> bool:
        """A quoted stretch that the entities layer reads as one name («Грузинская мечта –
        демократическая Грузия», « La République en marche ») is a name, not a quote."""
        s, e = q.content
        return any(x.start <= s and e <= x.end for x in self.finder.actors)

    # -- direct quotes ----------------------------------------------------------------------

    def _sentence_at(self, offset: int) -> Span | None:
        return next((s for s in self.sentences if s.start <= offset < s.end), None)

    def _direct(self, q: Quote, prev_end: int, next_start: int) -> tuple[Attribution, Named | None]:
        first, last = self._sentence_at(q.extent[0]), self._sentence_at(max(q.extent[0], q.extent[1] - 1))
        embedded = first is not None and q.extent[0] != first.start and not \
            self.text[:q.extent[0]].rstrip(" \t").endswith(INTRODUCING_ENDS)
        att = Attribution("mixed" if embedded else "direct", q.content, None, None, None, q.extent)
        for lo, hi, side in self._frames(q, first, last, prev_end, next_start):
            framed = self._framed(lo, hi, side)
            if framed is not None:
                cue, named = framed
                att.cue, att.cue_class = (cue.start, cue.end), cue.cls
                att.speaker = (named.start, named.end)
                return att, named
        return att, None

    def _frames(self, q: Quote, first: Span | None, last: Span | None, prev_end: int,
                next_start: int) -> Iterator[tuple[int, int, str]]:
        """Where a quote's cue and speaker may be, nearest first: the rest of its sentence after
        it, its sentence before it, a sentence ending in a colon before it, a short sentence
        right after it."""
        if last is not None:
            yield q.extent[1], min(last.end, next_start), "after"
        if first is not None:
            yield max(first.start, prev_end), q.extent[0], "before"
        index = self.sentences.index(first) if first is not None else -1
        if index > 0 and self.text[:self.sentences[index - 1].end].rstrip().endswith(":"):
            before = self.sentences[index - 1]
            yield max(before.start, prev_end), min(before.end, q.extent[0]), "before"
        after = self.sentences.index(last) + 1 if last is not None else len(self.sentences)
        if after < len(self.sentences) and not self.text[q.extent[1]:last.end].strip(" .,;!?…\"'»”"):
            nxt = self.sentences[after]
            if len(self.text[nxt.start:nxt.end].split()) <= self.lex.limits["max_frame_tokens"] \
                    or _DASH_AFTER.match(self.text, nxt.start):
                yield nxt.start, min(nxt.end, next_start), "next"

    def _framed(self, lo: int, hi: int, side: str) -> tuple[Cue, Named] | None:
        """The cue nearest the quote in ``[lo, hi)`` that names a speaker, and the speaker;
        failing a lexicon cue, the dash of dialogue after a quote ("…», — зупинив її Чеслав",
        any verb) or a name and colon before it ("Lamorgese: “…”")."""
        found = find_cues(self.text, self.cues, lo, hi)
        if side == "before":
            found.reverse()
        for cue in found:
            named = self._speaker_of(cue, lo, hi, side)
            if named is not None:
                return cue, named
        say = self.lex.say
        dash = _DASH_AFTER.match(self.text, lo, hi) if side != "before" else None
        if dash is not None and say is not None:
            named = self.finder.after(dash.end(), hi)
            if named is not None:
                return Cue(dash.start(1), dash.end(1), say, "dash"), named
        paren = _PAREN_AFTER.match(self.text, lo, hi) if side == "after" else None
        if paren is not None and say is not None:  # the source in brackets after the quote
            close = self.text.find(")", paren.end(), hi)
            named = self.finder.after(paren.end(), close if close >= 0 else hi)
            if named is not None and named.kind != "pronoun":
                return Cue(paren.start(), paren.end(), say, "paren"), named
        colon = self.text.rfind(":", lo, hi)
        if side == "before" and colon >= 0 and not self.text[colon + 1:hi].strip() and say is not None:
            # "Zelensky: «…»", "X a été clair :", "wie X es formulierte:"
            named = self.finder.adjacent(lo, colon) or self.finder.before(lo, colon)
            if named is not None and named.kind != "pronoun":
                return Cue(colon, colon + 1, say, "colon"), named
        return None

    def _speaker_of(self, cue: Cue, lo: int, hi: int, side: str) -> Named | None:
        if cue.kind == "prep":
            words = _WORD.findall(self.text[cue.start:cue.end].lower())
            gap = len(self.text[cue.end:hi]) - len(self.text[cue.end:hi].lstrip())
            verb = self.cues.verbs.match(self.text, cue.end + gap, hi)
            named = self.finder.after(verb.end(), hi) if verb is not None else None
            if named is not None and named.entity is not None:  # "según explicó el portavoz, X"
                return named
            if self.cues.possessives.intersection(words) or verb is not None:
                # "по его словам", "según dijo": the last speaker
                return Named(cue.start, cue.end, self.text[cue.start:cue.end], "pronoun")
            return self.finder.after(cue.end, hi)
        if cue.kind == "post":
            return self.finder.before(lo, cue.start)
        # "…, заявил X", "«…», a déclaré X": the content came first, a named speaker follows
        # (a comma also closes an apposition: "X, directivo de …, aseguró", so no text guess)
        if self.text[lo:cue.start].rstrip().endswith(_CONTENT_BEFORE) and not self.cues.speaker_after_verb:
            named = self.finder.after(cue.end, hi)
            if named is not None and named.entity is not None:
                return named
        inverted = self.cues.speaker_after_verb or side == "after"
        order = ("after", "before") if inverted else ("before", "after")
        for where in order:
            named = self.finder.after(cue.end, hi) if where == "after" else self.finder.before(lo, cue.start)
            if named is not None:
                return named
        if side == "before" and not self.text[cue.end:hi].strip(" :,\n"):
            # the verb opens the quote and names no one ("وأضاف «…»", "Añadió: «…»"): its
            # subject is the one who spoke last
            return Named(cue.start, cue.end, self.text[cue.start:cue.end], "pronoun")
        return None

    # -- reported speech --------------------------------------------------------------------

    def _reported(self, sentence: Span) -> tuple[Attribution, Named | None] | None:
        """An attributed sentence: a cue with a speaker, and the content it attributes."""
        lo, hi = sentence.start, sentence.end
        for cue in find_cues(self.text, self.cues, lo, hi):
            named = self._speaker_of(cue, lo, hi, "before")
            if named is None:
                continue
            content = self._content(cue, named, lo, hi)
            if content is None:
                continue
            att = Attribution("indirect", content, (cue.start, cue.end), cue.cls,
                              (named.start, named.end), (lo, hi))
            return att, named
        return None

    def _content(self, cue: Cue, named: Named, lo: int, hi: int) -> tuple[int, int] | None:
        """What a cue attributes: the clause after its complementiser or colon; else the part
        of the sentence the cue and its speaker do not take."""
        frame_end = max(cue.end, named.end)
        words = list(_WORD.finditer(self.text, frame_end, hi))[:4]
        opener = next((w for w in words if w.group().lower() in self.cues.complementisers), None)
        colon = self.text.find(":", frame_end, hi)
        if opener is not None:
            start = opener.end()
        elif 0 <= colon < (words[1].start() if len(words) > 1 else hi):
            start = colon + 1
        elif cue.cls.needs_clause:
            return None
        else:
            frame_start = min(cue.start, named.start)
            head, tail = (lo, frame_start), (frame_end, hi)
            start, end = max(head, tail, key=lambda r: len(self.text[r[0]:r[1]].split()))
            return _trim(self.text, start, end)
        return _trim(self.text, start, hi)


def _share_sentence_frames(found: list[tuple[Attribution, Named | None]], sentence_at) -> None:  # type: ignore[no-untyped-def]
    """A quote without a frame of its own takes the cue and speaker of the next quote in its
    sentence: «…» и «…», — признал Боррель (the cue follows the last of them)."""
    for i, (att, named) in enumerate(found):
        if named is not None or att.label == "indirect":
            continue
        here = sentence_at(att.extent[0])
        for later, later_named in found[i + 1:]:
            if here is None or sentence_at(later.extent[0]) is not here:
                break
            if later_named is not None:
                att.cue, att.cue_class, att.speaker = later.cue, later.cue_class, later.speaker
                found[i] = (att, later_named)
                break


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    junk = " \t\n,;:—–-\"“”„«»"
    while start < end and text[start] in junk:
        start += 1
    while end > start and text[end - 1] in junk + ".":
        end -= 1
    return (start, end) if len(text[start:end].split()) >= 3 else None


def find_attributions(doc: Document, language: str, sentences: list[Span],
                      paragraphs: list[tuple[int, int]]) -> list[Attribution]:
    """Every attributed statement of a document in a language with a cue file."""
    cues = cues_for(language)
    if cues is None:
        return []
    return Finder(doc, sentences, cues).find(paragraphs)
