"""Named entities: spaCy's NER, corrected with a gazetteer and an organisation list, then
grouped into entities (coreference-light).

spaCy's small English model reads many Arabic and Ukrainian town names as people or
organisations and splits unfamiliar group names ("Tahrir al-Sham" as a PERSON). Three passes fix
what it can on evidence in the text:

1. known organisations (``data/entities.toml``) are matched first and win over overlapping NER
   spans;
2. capitalised name runs that the GeoNames gazetteer knows become GPE/LOC when the context says
   place ("in X", "the towns of X", "X province", "Syria's X", a list beside other places, or a
   specific multi-word name in a country the article is about), with guards against surnames,
   titled people, short or common words and names inside larger names ("Washington Post");
3. a non-person mention equal to the surname of a person named in the article becomes PERSON.

Mentions of one person or organisation then share a ``cluster`` and a ``canonical`` name (the
fullest mention, titles stripped into ``title``); a surname joins its full name only when one
person in the article has it.

Other languages are tagged by their own model (``models/ner.py``: natasha for Russian,
fr_core_news_md, small pipelines trained here for de/it/uk/ar/es), labels mapped onto the same
set; the organisation list, one sense per article and the surname pass apply to them too, while
the English place cues do not (a model LOC the gazetteer knows as a country or town is GPE).
"""

from __future__ import annotations

import bisect
import re
import tomllib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from ..document import Document
from ..models.gazetteer import Place, load_gazetteer, name_key
from ..models.ner import load_ner, ner_languages
from ..models.spacy_model import SpacyStage, parse, parse_many
from ..pipeline import register

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
NAME_LABELS = frozenset({"PERSON", "ORG"})
REGION_FEATURES = frozenset({"CONT", "RGN"})
MODEL_SOURCES = frozenset({"spacy", "natasha"})  # mentions straight from an NER model
# A romanised Arabic article written before a name: "al-Tanf", "el-Arish", "as-Sukhnah".
_ARTICLE_PREFIX = re.compile(r"(?<![\w-])(?:al|el|as|ash|ad|an|ar|at|az)-$", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_](?:[\w'’ʿ‘]*\w)?")
_POSSESSIVE = re.compile(r"['’]s$")
_COORDINATION = re.compile(r",|\s(?:and|or|&)\s")  # "Kharkiv and Izyum" read as one name
_LEADING_DETERMINER = re.compile(r"^(?:the|The|THE)\s+")
# Lower-case particles inside place names ("Ma'arrat an-Nu'man", "Deir ez-Zor", "Rostov-on-Don").
_CONNECTORS = frozenset(
    "al el ul as ash ar az an at ad ez es ed er en bin ibn abu de del la le du on sur am".split()
)


@dataclass(frozen=True)
class Lexicon:
    titles: tuple[str, ...]
    verb_tags: frozenset[str]
    name_like_labels: frozenset[str]
    place_cues: frozenset[str]
    place_nouns: frozenset[str]
    following_nouns: frozenset[str]
    person_following: frozenset[str]
    person_nouns: frozenset[str]
    person_possessed: frozenset[str]
    stop_names: frozenset[str]
    min_population_multiword: int
    min_population_single: int
    min_population_no_cue: int
    min_name_length: int
    org_names: dict[str, str]  # casefolded alias -> canonical name
    org_pattern_exact: re.Pattern[str] | None
    org_pattern_folded: re.Pattern[str] | None


def _alternation(names: list[str], flags: int = 0) -> re.Pattern[str] | None:
    if not names:
        return None
    body = "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", flags)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    raw = resources.files(__package__).joinpath("data/entities.toml").read_text("utf-8")
    data = tomllib.loads(raw)
    places = data["places"]
    org_names: dict[str, str] = {}
    for org in data["organisations"]:
        for alias in (org["name"], *org["aliases"]):
            org_names[alias.casefold()] = org["name"]
    aliases = list({a for org in data["organisations"] for a in (org["name"], *org["aliases"])})
    return Lexicon(
        titles=tuple(sorted(data["titles"]["words"], key=len, reverse=True)),
        verb_tags=frozenset(data["ner"]["verb_tags_never_in_names"]),
        name_like_labels=frozenset(data["ner"]["name_like_labels"]),
        place_cues=frozenset(places["cues"]),
        place_nouns=frozenset(places["place_nouns"]),
        following_nouns=frozenset(places["following_nouns"]),
        person_following=frozenset(places["person_following"]),
        person_nouns=frozenset(places["person_nouns"]),
        person_possessed=frozenset(places["person_possessed"]),
        stop_names=frozenset(places["stop_names"]),
        min_population_multiword=places["min_population_multiword"],
        min_population_single=places["min_population_single"],
        min_population_no_cue=places["min_population_no_cue"],
        min_name_length=places["min_name_length"],
        org_names=org_names,
        org_pattern_exact=_alternation([a for a in aliases if " " not in a]),
        org_pattern_folded=_alternation([a for a in aliases if " " in a], re.IGNORECASE),
    )


@dataclass
class Mention:
    start: int
    end: int
    label: str
    source: str  # "spacy" | "organisations" | "gazetteer" | "surname" | "person-context"
    canonical: str | None = None
    known_as: str | None = None  # the organisation list's name for it
    title: str | None = None
    cluster: str | None = None

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


# -- spaCy mentions, cleaned ----------------------------------------------------------------

def _clean_bounds(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim whitespace, a leading "the" and a possessive; drop spans that cross a line."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    piece = text[start:end]
    if "\n" in piece or not any(c.isalnum() for c in piece):
        return None
    determiner = _LEADING_DETERMINER.match(piece)
    if determiner and end - start > determiner.end():
        start += determiner.end()
    possessive = _POSSESSIVE.search(text, start, end)
    if possessive and possessive.start() > start:
        end = possessive.start()
    return (start, end) if start < end else None


def spacy_mentions(text: str, sp: SpacyDoc, lex: Lexicon) -> list[Mention]:
    """spaCy's entities, cleaned; names with a finite verb inside are misread title-case
    headlines ("… Officers Are Planning …"), not names."""
    found = []
    for ent in sp.ents:
        if ent.label_ in lex.name_like_labels and any(t.tag_ in lex.verb_tags for t in ent):
            continue
        bounds = _clean_bounds(text, ent.start_char, ent.end_char)
        if bounds:
            found.append(Mention(*bounds, ent.label_, "spacy"))
    return found


# -- organisations ----------------------------------------------------------------------------

def organisation_mentions(text: str, lex: Lexicon) -> list[Mention]:
    found: list[Mention] = []
    for pattern, folded in ((lex.org_pattern_folded, True), (lex.org_pattern_exact, False)):
        if pattern is None:
            continue
        for m in pattern.finditer(text):
            # case-insensitive matches need a capital ("White helmets"), not a common phrase
            if folded and not any(c.isupper() for c in m.group()):
                continue
            if any(f.overlaps(m.start(), m.end()) for f in found):
                continue
            found.append(Mention(m.start(), m.end(), "ORG", "organisations",
                                 known_as=lex.org_names[m.group().casefold()]))
    return found


# -- places from the gazetteer ----------------------------------------------------------------

def _name_runs(text: str) -> Iterator[list[tuple[int, int]]]:
    """Runs of capitalised words (with lower-case particles inside) on one line."""
    run: list[tuple[int, int]] = []
    for m in _WORD.finditer(text):
        start, end = m.start(), m.end()
        possessive = _POSSESSIVE.search(m.group())
        if possessive:
            end = start + possessive.start()
        word = text[start:end]
        joined = bool(run) and text[run[-1][1]:start] in (" ", "-") and not _POSSESSIVE.search(
            text[run[-1][0]:run[-1][1] + 2])
        capital = word[:1].isupper()
        if run and joined and (capital or word in _CONNECTORS):
            run.append((start, end))
        else:
            if run:
                yield run
            run = [(start, end)] if capital else []
        if possessive:  # "Syria's Idlib": the possessive ends the run
            if run:
                yield run
            run = []
    if run:
        yield run


def _windows(run: list[tuple[int, int]], text: str, longest: int = 5) -> Iterator[tuple[int, int, int]]:
    """Sub-runs that start and end with a capitalised word, longest first: (start, end, words)."""
    for size in range(min(longest, len(run)), 0, -1):
        for i in range(len(run) - size + 1):
            first, last = run[i], run[i + size - 1]
            if text[first[0]].isupper() and text[last[0]].isupper():
                yield first[0], last[1], size


@dataclass
class PlaceCandidate:
    start: int
    end: int
    words: int
    places: list[Place]

    @property
    def best(self) -> Place:
        return max(self.places, key=lambda p: (p.rank, p.population))


def _previous_words(text: str, start: int, n: int = 2) -> list[str]:
    return [w.lower() for w in _WORD.findall(text[max(0, start - 40):start])][-n:]


def _next_word(text: str, end: int) -> str:
    m = _WORD.search(text, end, min(len(text), end + 30))
    return m.group().lower() if m and "\n" not in text[end:m.start()] else ""


class PlaceEvidence:
    """Decides whether a gazetteer name in the text is a place, from its context."""

    def __init__(self, text: str, lex: Lexicon, candidates: list[PlaceCandidate],
                 mentions: list[Mention]):
        self.text, self.lex = text, lex
        self.mentions, self.candidates = mentions, candidates
        spans = {(c.start, c.end) for c in candidates}
        self.surnames = {  # of people whose names are not themselves gazetteer names
            text[m.start:m.end].split()[-1] for m in mentions
            if m.label == "PERSON" and len(text[m.start:m.end].split()) > 1
            and (m.start, m.end) not in spans
        }
        strong = [c.best.country for c in candidates
                  if c.best.rank >= 3 or c.best.population >= lex.min_population_no_cue]
        # specific multi-word names that agree on a country also say what the article is about
        specific = Counter(c.best.country for c in {name_key(text[c.start:c.end]): c
                                                     for c in candidates if c.words > 1}.values())
        self.context_countries = Counter(strong) + Counter(
            {country: n for country, n in specific.items() if n >= 2})

    def cue(self, c: PlaceCandidate) -> bool:
        before = _previous_words(self.text, c.start)
        gap = self.text[max(0, c.start - 3):c.start]
        if before and before[-1] in self.lex.place_cues and before[-1] != "of":
            return True
        if len(before) == 2 and before[-1] == "of" and before[0] in self.lex.place_nouns:
            return True
        if _next_word(self.text, c.end) in self.lex.following_nouns:
            return True
        if re.search(r"['’]s $", gap):  # "Syria's Idlib": a country's part
            owner = self.text[max(0, c.start - 40):c.start - 3].split()
            return bool(owner) and any(p.rank >= 2 for p in load_gazetteer().lookup(owner[-1]))
        return self.in_list(c)

    def in_list(self, c: PlaceCandidate) -> bool:
        """"X, Y and Z" beside another place-like name."""
        after = self.text[c.end:c.end + 6]
        before = self.text[max(0, c.start - 6):c.start]
        return bool(re.match(r"(?:,\s|\sand\s|\sor\s)", after) or re.search(r"(?:,\s|\sand\s)$", before)) \
            and self._neighbour_is_place(c)

    def _neighbour_is_place(self, c: PlaceCandidate) -> bool:
        window = (max(0, c.start - 40), min(len(self.text), c.end + 40))
        return any(m.label in PLACE_LABELS and m.overlaps(*window) and not m.overlaps(c.start, c.end)
                   for m in self.mentions) or any(
            o is not c and o.start < window[1] and window[0] < o.end and o.best.rank >= 1
            and o.words > 1 for o in self.others)

    others: list[PlaceCandidate] = []

    def is_place(self, c: PlaceCandidate, ent: Mention | None) -> bool:
        text, lex = self.text, self.lex
        name = text[c.start:c.end]
        key = name_key(name)
        best = c.best
        if key in lex.stop_names:
            return False
        if len(name) < lex.min_name_length and best.rank < 3 and not self.cue(c):
            return False  # short names need a cue: "the city of Gao", not "Gao said"
        if ent is not None and (ent.start < c.start or ent.end > c.end) \
                and ent.label in lex.name_like_labels \
                and not _COORDINATION.search(text, ent.start, ent.end):
            return False  # part of a larger name: "Washington Post", "Jordan Peterson"
        if name.split()[-1] in self.surnames and (ent is None or ent.label == "PERSON"):
            return False
        before = _previous_words(text, c.start, 1)
        if any(text[:c.start].rstrip().endswith(t) for t in lex.titles):
            return False
        if (_next_word(text, c.end) in lex.person_following or before and before[-1] in lex.person_nouns) \
                and (ent is None or ent.label == "PERSON"):
            return False  # "Hassan said", "the boy, Hassan": a person
        cue = self.cue(c)
        population = max(p.population for p in c.places)
        in_context = self.context_countries[best.country] > 0
        if best.rank >= 2:
            return cue or ent is not None and ent.label != "PERSON"
        if c.words > 1:
            return population >= lex.min_population_multiword or best.source == "supplement" \
                if (cue or in_context) else population >= lex.min_population_no_cue
        if not cue:
            return ent is not None and population >= lex.min_population_no_cue and bool(before)
        # a hand-written supplement entry is a reported place by construction ("shelled Sarmada")
        return (population >= lex.min_population_single or best.source == "supplement") \
            and (ent is not None or bool(before))


def place_candidates(text: str) -> list[PlaceCandidate]:
    """Gazetteer names in the text, longest first and without overlaps."""
    gazetteer = load_gazetteer()
    found: list[PlaceCandidate] = []
    for run in _name_runs(text):
        taken: list[tuple[int, int]] = []
        for start, end, words in _windows(run, text):
            if any(s < end and start < e for s, e in taken):
                continue
            article = _ARTICLE_PREFIX.search(text, max(0, start - 4), start)
            if article is not None and gazetteer.lookup(text[article.start():end]):
                start = article.start()  # "al-Tanf": the romanised article belongs to the name
            places = gazetteer.lookup(text[start:end])
            if not places and words > 1:
                places = gazetteer.lookup_loose(text[start:end])
            if places:
                taken.append((start, end))
                found.append(PlaceCandidate(start, end, words, places))
    return found


def place_mentions(text: str, lex: Lexicon, mentions: list[Mention]) -> list[Mention]:
    """Gazetteer places that spaCy missed or mislabelled."""
    candidates = place_candidates(text)
    evidence = PlaceEvidence(text, lex, candidates, mentions)
    found = []
    for c in candidates:
        ent = next((m for m in mentions if m.overlaps(c.start, c.end)), None)
        if ent is not None and (ent.label in PLACE_LABELS or ent.source == "organisations"):
            continue
        if evidence.is_place(c, ent):
            label = "LOC" if c.best.feature in REGION_FEATURES else "GPE"
            found.append(Mention(c.start, c.end, label, "gazetteer"))
    return found


# -- assembling and clustering ----------------------------------------------------------------

def _merge(preferred: list[Mention], rest: list[Mention]) -> list[Mention]:
    """``preferred`` (never overlapping each other) plus the mentions of ``rest`` that overlap
    none of them."""
    taken = sorted((m.start, m.end) for m in preferred)
    starts = [s for s, _ in taken]
    kept = list(preferred)
    for m in rest:
        i = bisect.bisect_left(starts, m.end)  # preferred spans starting before m ends
        if i == 0 or taken[i - 1][1] <= m.start:
            kept.append(m)
    return sorted(kept, key=lambda m: (m.start, m.end))


def preceding_title(text: str, start: int, lex: Lexicon) -> str | None:
    """Titles written just before a name ("Maj. Gen." before "Morrow")."""
    titles: list[str] = []
    end = start
    while True:
        before = text[max(0, end - 40):end]
        title = next((t for t in lex.titles if before.endswith(t + " ")
                      and (len(before) == len(t) + 1 or not before[-len(t) - 2].isalnum())), None)
        if title is None:
            return " ".join(reversed(titles)) or None
        titles.append(title)
        end -= len(title) + 1


def split_title(name: str, lex: Lexicon) -> tuple[str | None, str]:
    """("Maj. Gen.", "Anna Morrow") from "Maj. Gen. Anna Morrow"."""
    titles: list[str] = []
    rest = name
    while True:
        title = next((t for t in lex.titles if rest.startswith(t + " ")), None)
        if title is None:
            break
        titles.append(title)
        rest = rest[len(title) + 1:].lstrip()
    return (" ".join(titles) or None), rest


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def cluster_mentions(text: str, mentions: list[Mention], lex: Lexicon) -> None:
    """Give every mention a canonical name and a cluster id shared with its coreferents."""
    for m in mentions:
        title, bare = split_title(text[m.start:m.end], lex)
        if m.label == "PERSON":
            m.title = title or preceding_title(text, m.start, lex)
            m.canonical = m.canonical or bare
        else:
            m.canonical = m.canonical or text[m.start:m.end]
    people = [m for m in mentions if m.label == "PERSON"]
    by_surname: dict[str, set[str]] = defaultdict(set)
    for m in people:
        words = m.canonical.split()  # type: ignore[union-attr]
        if len(words) > 1:
            by_surname[words[-1]].add(m.canonical)  # type: ignore[arg-type]
    for m in people:
        words = m.canonical.split()  # type: ignore[union-attr]
        fuller = by_surname.get(words[-1], set()) if words else set()
        fuller = {f for f in fuller if f != m.canonical and f.endswith(m.canonical)}  # type: ignore[arg-type]
        if len(fuller) == 1:  # one person has this surname: the short mention is them
            m.canonical = fuller.pop()
    groups: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for m in mentions:
        kind = "PLACE" if m.label in PLACE_LABELS else m.label
        groups[(kind, name_key(m.known_as or m.canonical))].append(m)  # type: ignore[arg-type]
    for (kind, _), group in groups.items():
        canonical = max((g.canonical for g in group), key=lambda c: (len(c), c))  # type: ignore[arg-type]
        cluster = f"{kind.lower()}:{_slug(group[0].known_as or canonical)}"  # type: ignore[arg-type]
        for g in group:
            g.canonical, g.cluster = canonical, cluster


def surname_mentions(text: str, mentions: list[Mention]) -> None:
    """A lone surname mislabelled ORG/GPE becomes PERSON when one person in the text has it."""
    surnames = Counter(
        text[m.start:m.end].split()[-1] for m in mentions
        if m.label == "PERSON" and len(text[m.start:m.end].split()) > 1
    )
    for m in mentions:
        if m.label in NAME_LABELS | PLACE_LABELS and m.source in MODEL_SOURCES and m.label != "PERSON":
            name = text[m.start:m.end]
            if " " not in name and surnames.get(name) == 1:
                m.label, m.source = "PERSON", "surname"


def consistent_places(text: str, mentions: list[Mention]) -> None:
    """One sense per article: a name read as a place somewhere is a place everywhere, unless a
    person in the article bears it ("pressure on Kupiansk" after "fighting around Kupiansk")."""
    places = {name_key(text[m.start:m.end]): m.label for m in mentions if m.label in PLACE_LABELS}
    # Words of multi-word person names: a lone "Bamako" tagged PERSON is the mislabel itself.
    people = {w for m in mentions if m.label == "PERSON"
              for w in text[m.start:m.end].split() if " " in text[m.start:m.end].strip()}
    for m in mentions:
        name = text[m.start:m.end]
        if m.label in NAME_LABELS and m.source in MODEL_SOURCES and name not in people:
            label = places.get(name_key(name))
            if label:
                m.label, m.source = label, "gazetteer"


def people_in_context(text: str, mentions: list[Mention], lex: Lexicon) -> None:
    """A one-word name read as a town or an organisation is a person when the text treats it as
    one ("the boy Hassan", "Hassan said", "Assange's lawyers"); every mention of it follows,
    unless the gazetteer knows it as a country, region or capital or the text cues it as a place
    there ("the city of Gao" stays a place beside "Gao told reporters")."""
    people = set()
    for m in mentions:
        name = text[m.start:m.end]
        if m.label == "PERSON" or m.source == "organisations" or " " in name or name.isupper():
            continue
        before = _previous_words(text, m.start, 1)
        if before and before[-1] in lex.place_cues:
            continue  # "in Leeds, told the BBC": the place of an apposition, not the speaker
        after = text[m.end:m.end + 40]
        possessed = re.match(r"['’]s\s+(\w+)", after)
        speaks = re.match(r"\s+(\w+)", after)  # "Hassan said", not "Leeds, told"
        if (before and before[-1] in lex.person_nouns) \
                or (speaks and speaks.group(1).lower() in lex.person_following) \
                or (possessed and possessed.group(1).lower() in lex.person_possessed):
            people.add(name)
    if not people:
        return
    gazetteer = load_gazetteer()
    for m in mentions:
        name = text[m.start:m.end]
        if name in people and m.source in MODEL_SOURCES and m.label in NAME_LABELS | PLACE_LABELS \
                and m.label != "PERSON" and not any(p.rank >= 2 for p in gazetteer.lookup(name)):
            m.label, m.source = "PERSON", "person-context"


def _finish(text: str, mentions: list[Mention], lex: Lexicon) -> list[Mention]:
    people_in_context(text, mentions, lex)  # before one-sense places: "the boy Hassan" wins
    consistent_places(text, mentions)
    surname_mentions(text, mentions)
    cluster_mentions(text, mentions, lex)
    return mentions


def find_entities(text: str, sp: SpacyDoc) -> list[Mention]:
    """English: spaCy's entities corrected with the organisation list and the gazetteer."""
    lex = lexicon()
    organisations = organisation_mentions(text, lex)
    ner = _merge(organisations, spacy_mentions(text, sp, lex))
    places = place_mentions(text, lex, ner)
    return _finish(text, _merge(places, ner), lex)


def model_mentions(text: str, found: list[tuple[int, int, str]], source: str) -> list[Mention]:
    """Another language's model entities, cleaned; a LOC the gazetteer knows as a country or
    town (not a region) is a GPE, as in English."""
    gazetteer = load_gazetteer()
    mentions = []
    for start, end, label in found:
        bounds = _clean_bounds(text, start, end)
        if bounds is None:
            continue
        if label == "LOC" and any(p.feature not in REGION_FEATURES
                                  for p in gazetteer.lookup(text[bounds[0]:bounds[1]])):
            label = "GPE"
        mentions.append(Mention(*bounds, label, source))
    return mentions


def find_entities_with(text: str, found: list[tuple[int, int, str]], source: str) -> list[Mention]:
    """Other languages: a model's entities plus the organisation list."""
    lex = lexicon()
    return _finish(text, _merge(organisation_mentions(text, lex), model_mentions(text, found, source)), lex)


@register("entities")
class EntitiesStage(SpacyStage):
    """Adds the ``entities`` layer: English through the shared spaCy parse (corrected with the
    gazetteer and organisations), other languages through their own NER model."""

    version = "2"
    requires = ("text",)
    provides = ("entities",)
    languages = ("en", *ner_languages())

    def __call__(self, doc: Document) -> None:
        self.pipe([doc])

    def pipe(self, docs: list[Document]) -> None:
        by_language: dict[str, list[Document]] = defaultdict(list)
        for doc in docs:
            language = doc.meta.language
            by_language[language if language in ner_languages() else "en"].append(doc)
        english = by_language.pop("en", [])
        parse_many(english)
        for doc in english:
            self._add(doc, find_entities(doc.text, parse(doc)), self.model)
        for language, group in by_language.items():
            tagger = load_ner(language)
            for doc, found in zip(group, tagger([d.text for d in group]), strict=True):
                self._add(doc, find_entities_with(doc.text, found, tagger.source), tagger.model)

    def _add(self, doc: Document, mentions: list[Mention], model: str | None) -> None:
        doc.add("entities", [
            doc.span(m.start, m.end, m.label, stage=self.name, model=model,
                     canonical=m.canonical, cluster=m.cluster, title=m.title, source=m.source,
                     **({"known_as": m.known_as} if m.known_as else {}))
            for m in mentions
        ])
