"""Place names found in running text without a parse, in any language of ``data/places.toml``.

No parser covers Russian, Ukrainian, Arabic, German or Italian here, and the names we need are in
their inflected and cliticised forms: "в Идлибе", "Идлибу", "بإدلب", "d'Alep", "Syriens". The
gazetteer knows the citation forms in every script (GeoNames' alternate names, CLDR country
names), so the text is read as runs of candidate words (capitalised, in cased scripts), each run
tried longest first as written, lemmatised (simplemma), without a glued clitic or elided article,
and with an inflectional ending replaced, until one variant is a gazetteer key. A match on a
single word must name a country, a region, a capital, a hand-written place or a town above the
population floor; that, the stop lists and the capitals keep common words out.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .gazetteer import Gazetteer, Place

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
AREA_FEATURES = frozenset({"PCLI", "CONT", "ADM1", "RGN"})
_ELISION = re.compile(r"['’]")
_JOINER = re.compile(r"[ \-‐‑]")  # what may stand between two words of one name


@dataclass(frozen=True)
class Rules:
    """One language's entry of ``data/places.toml``."""

    language: str
    cased: bool
    prefixes: tuple[str, ...]
    endings: tuple[tuple[str, str], ...]
    connectors: frozenset[str]
    stop: frozenset[str]
    max_words: int
    min_population: int
    min_population_multi: int
    min_letters: int


@lru_cache(maxsize=1)
def _data() -> dict:  # type: ignore[type-arg]
    return tomllib.loads(resources.files(__package__).joinpath("data/places.toml").read_text("utf-8"))


def matched_languages() -> tuple[str, ...]:
    """Languages whose text the places stage matches against the gazetteer."""
    return tuple(k for k in _data() if k != "limits")


@lru_cache(maxsize=16)
def rules(language: str) -> Rules | None:
    data = _data()
    entry = data.get(language)
    if entry is None or language == "limits":
        return None
    limits = data["limits"]
    return Rules(
        language, bool(entry["cased"]),
        tuple(sorted(entry["prefixes"], key=len, reverse=True)),
        tuple(sorted(((e, r) for e, r in entry["endings"]), key=lambda p: len(p[0]), reverse=True)),
        frozenset(entry["connectors"]), frozenset(entry["stop"]),
        int(limits["max_words"]), int(limits["min_population"]),
        int(limits["min_population_multi"]), int(limits["min_letters"]),
    )


@dataclass(frozen=True, slots=True)
class Match:
    """A run of text naming gazetteer places (``start``/``end`` cover the name as written)."""

    start: int
    end: int
    places: list[Place]
    form: str  # the variant the gazetteer knew


def _lemma(word: str, language: str) -> str:
    import simplemma

    return simplemma.lemmatize(word, lang=language)


def word_forms(word: str, r: Rules, last: bool) -> Iterator[str]:
    """The forms one word of a name may have in the gazetteer, likeliest first. Only the last
    word of a name is stripped of inflections and only the first of clitics (``last`` and the
    caller's position say which)."""
    yield word
    lemma = _lemma(word, r.language)
    if lemma != word:
        yield lemma[:1].upper() + lemma[1:] if r.cased else lemma
    if not last:
        return
    for ending, replacement in r.endings:
        if word.endswith(ending) and len(word) - len(ending) >= r.min_letters:
            yield word[: len(word) - len(ending)] + replacement


def _without_prefix(word: str, r: Rules) -> Iterator[str]:
    for prefix in r.prefixes:
        if word.startswith(prefix) and len(word) - len(prefix) >= r.min_letters:
            rest = word[len(prefix):]
            if not r.cased or rest[:1].isupper():
                yield rest


def _is_name_word(word: str, r: Rules) -> bool:
    return not r.cased or word[:1].isupper() or any(
        word.startswith(p) and word[len(p):len(p) + 1].isupper() for p in r.prefixes)


def _variants(words: list[str], r: Rules) -> Iterator[str]:
    firsts = [words[0], *_without_prefix(words[0], r)]
    if len(words) == 1:
        for first in firsts:
            yield from word_forms(first, r, last=True)
        return
    middle = words[1:-1]
    for first in firsts:
        heads = [first] if r.connectors.intersection([first.lower()]) else list(word_forms(first, r, False))
        for head, tail in itertools.product(heads, word_forms(words[-1], r, last=True)):
            yield " ".join([head, *middle, tail])


def _acceptable(places: list[Place], n_words: int, r: Rules) -> list[Place]:
    """Places a run of ``n_words`` may name. In a caseless script any word is a candidate, so
    a single word must name a country or region or clear the floor (a capital of 624 people,
    Alofi, is "وفي", "and in")."""
    floor = r.min_population if n_words == 1 else r.min_population_multi
    always = AREA_FEATURES if n_words == 1 and not r.cased else None
    return [p for p in places
            if (p.feature in always if always is not None else p.rank >= 2)
            or p.source == "supplement" or p.population >= floor]


def find_place_names(text: str, language: str, gazetteer: Gazetteer,
                     start: int = 0, end: int | None = None) -> list[Match]:
    """Non-overlapping gazetteer names in ``text[start:end]``, longest first at each position."""
    r = rules(language)
    if r is None:
        return []
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, start, len(text) if end is None else end)]
    found: list[Match] = []
    i = 0
    while i < len(words):
        match = _match_at(text, words, i, r, gazetteer)
        if match is None:
            i += 1
            continue
        found.append(match[0])
        i += match[1]
    return found


def _match_at(text: str, words: list[tuple[int, int]], i: int, r: Rules,
              gazetteer: Gazetteer) -> tuple[Match, int] | None:
    first = text[words[i][0]:words[i][1]]
    if first in r.stop or not _is_name_word(first, r):
        return None
    run = 1  # how many words could belong to one name from here
    while run < r.max_words and i + run < len(words):
        prev_end, (nxt_start, nxt_end) = words[i + run - 1][1], words[i + run]
        word = text[nxt_start:nxt_end]
        if not _JOINER.fullmatch(text[prev_end:nxt_start]) or not (
                _is_name_word(word, r) or word.lower() in r.connectors):
            break
        run += 1
    for n in range(run, 0, -1):
        start, end = words[i][0], words[i + n - 1][1]
        last = text[words[i + n - 1][0]:end]
        if n > 1 and last.lower() in r.connectors:
            continue
        names = [text[s:e] for s, e in words[i:i + n]]
        if sum(len(w) for w in names) < r.min_letters or (n == 1 and names[0] in r.stop):
            continue
        found: dict[tuple[str, float, float], Place] = {}  # every variant's places: "Хаму" is Hamm as written, Hama as "Хама"
        first_form = ""
        for form in _variants(names, r):
            if form in r.stop:
                continue
            places = _acceptable(gazetteer.lookup(form), n, r)
            if n == 1 and _common_word(text, start, names[0], r):
                places = [p for p in places if p.rank >= 2]
            for place in places:
                found.setdefault((place.name, place.lat, place.lon), place)
            first_form = first_form or (form if places else "")
        if found:
            return Match(start, end, list(found.values()), first_form), n
    return None


def _common_word(text: str, start: int, word: str, r: Rules) -> bool:
    """Whether a capitalised word may be a common word: it opens a sentence and the lemmatiser
    knows its lower-case form ("Колонна", "L'attaque"). Such a word names only a country,
    region or capital."""
    import simplemma

    before = text[:start].rstrip(" \t\"'«„“(—–-")
    if not r.cased or (before and before[-1] not in ".!?\n:"):
        return False
    bare = _ELISION.split(word)[-1]
    return simplemma.is_known(bare.lower(), lang=r.language)
