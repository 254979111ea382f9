"""Language-independent cues of an item: places (gazetteer ids), names, numbers and dates.

The corpus ingest cannot afford the spaCy pipeline on every item (~6 items/s), yet stories need
to meet across languages where the English MiniLM embedding does not. These cues are cheap
(regular expressions and the shipped gazetteer over the headline and lead) and comparable
across languages: a GeoNames id is the same in Arabic and English, and 1,200 is 1.200. Cyrillic
names are romanised, Arabic ones reduced to consonants, so that they meet the Latin-script
gazetteer and names written in other scripts. They are added as ordinary layers (``places``,
``names``, ``numbers``, ``dates``) unless a stage of the full pipeline already provided them.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ..document import Document, Span
from ..models.gazetteer import load_gazetteer, skeleton_key
from ..pipeline import BaseStage, register
from ..stages.dates import lexicon
from ..stages.entities import place_candidates
from .settings import settings

STAGE = "corpus-cues"
MODEL = "gazetteer+patterns-1"


@lru_cache(maxsize=1)
def _romanisation() -> tuple[dict[int, str], dict[int, str]]:
    data = tomllib.loads(resources.files("newsforensics").joinpath(
        "corpus/data/transliteration.toml").read_text("utf-8"))
    cyrillic = {ord(k): v for k, v in data["cyrillic"].items()}
    cyrillic.update({ord(k.upper()): v.capitalize() for k, v in data["cyrillic"].items() if k.upper() != k})
    return cyrillic, {ord(k): v for k, v in data["arabic"].items()}


@dataclass(frozen=True, slots=True)
class Romanised:
    """A romanised text and, for each of its characters, the offset in the original."""

    text: str
    origin: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.origin[start], self.origin[end - 1] + 1


def romanise_cyrillic(text: str) -> Romanised:
    """Cyrillic letters romanised, everything else kept, with offsets back to ``text``."""
    table = _romanisation()[0]
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        piece = table.get(ord(ch), ch)
        if len(piece) > 1 and ch.isupper():
            piece = piece[0] + piece[1:].lower()
        out.append(piece)
        origin.extend([i] * len(piece))
    return Romanised("".join(out), origin)


def name_cue_key(name: str) -> str:
    """The key two spellings of one name share across scripts: its consonant skeleton
    (Sergei Lavrov = Sergey Lavrov = Сергей Лавров)."""
    return skeleton_key(romanise_cyrillic(name).text if _CYRILLIC.search(name) else name)


def strip_titles(words: list[str]) -> list[str]:
    """A name without the ranks and offices before it ("Major General Viktor Kupchishin")."""
    titles = _name_titles()
    while words and all(part.lower() in titles for part in words[0].split("-")):
        words = words[1:]
    return words


@lru_cache(maxsize=1)
def _name_titles() -> frozenset[str]:
    return frozenset(t.lower() for t in settings()["cues"]["name_titles"])


def arabic_skeleton(word: str) -> str:
    """The consonant skeleton of an Arabic word, without the article (الرقة → rq)."""
    for prefix in ("وال", "بال", "لل", "ال", "و", "ب"):
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix):]
            break
    return skeleton_key("".join(_romanisation()[1].get(ord(c), "") for c in word))


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ARABIC_WORD = re.compile(r"[\u0621-\u064a]{3,}")
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:([,.\u00a0\u202f ])\d{3})+|\d+)(?:([.,])(\d+))?(?![\w])")


@register(STAGE)
class CuesStage(BaseStage):
    """The cue layers (places, names, numbers, dates) of the headline and lead, for the layers no
    earlier stage of the pipeline provided: all four in the corpus's first pass, names and
    numbers beside the whole article pipeline."""

    version = "1"
    provides = ("places", "names", "numbers", "dates")

    @property
    def model(self) -> str | None:
        return MODEL

    def __call__(self, doc: Document) -> None:
        annotate(doc)


def annotate(doc: Document) -> None:
    """Add the cue layers the document does not have yet."""
    cfg = settings()["cues"]
    lead = doc.text[:cfg["lead_chars"]]
    limit = cfg["max_per_layer"]
    if "places" not in doc.layers:
        doc.add("places", list(_places(doc, lead, cfg))[:limit])
    if "names" not in doc.layers and "entities" not in doc.layers:
        doc.add("names", list(_names(doc, lead, [(s.start, s.end) for s in doc.get("places")]))[:limit])
    if "numbers" not in doc.layers:
        doc.add("numbers", list(_numbers(doc, lead, cfg["min_number"]))[:limit])
    if "dates" not in doc.layers:
        doc.add("dates", list(_dates(doc, lead))[:limit])


def _place_span(doc: Document, start: int, end: int, place: Any) -> Span:
    return doc.span(start, end, "place", stage=STAGE, model=MODEL, name=place.name,
                    country=place.country or None, geonameid=place.geonameid, feature=place.feature,
                    lat=place.lat, lon=place.lon)


def _places(doc: Document, lead: str, cfg: dict[str, Any]) -> Iterator[Span]:
    """Gazetteer places named in the lead. Countries, regions, large cities and multi-word names
    are trusted; a bare single-word town only when a trusted place is in its country (Saraqib
    beside Idlib, not "Arnold" or "Alliance" alone); a single word also seen in lower case
    never."""
    lower_words = set(re.findall(r"\b[a-zа-яё]\w*", lead)) | _calendar_words(doc.meta.language or "en")
    trusted, weak = [], []
    for candidate in place_candidates(lead):
        best = candidate.best
        word = lead[candidate.start:candidate.end]
        if candidate.words == 1 and (word.lower() in lower_words or len(word) < 4 and best.rank < 3):
            continue  # "An", "Mobile", "Of": a word of the language, not the place
        if candidate.words > 1 or best.rank >= 2 or best.population >= cfg["trusted_place_population"]:
            trusted.append(candidate)
        elif best.population >= cfg["min_place_population"] and not word.isupper():
            weak.append(candidate)
    countries = {c.best.country for c in trusted}
    for candidate in sorted(trusted + [c for c in weak if c.best.country in countries], key=lambda c: c.start):
        yield _place_span(doc, candidate.start, candidate.end, candidate.best)
    if _CYRILLIC.search(lead):
        yield from _cyrillic_places(doc, lead, cfg)
    if _ARABIC.search(lead):
        yield from _arabic_places(doc, lead)


_CYRILLIC_WORD = re.compile(r"[А-ЯЁЄІЇҐ][а-яёєіїґ'’-]{2,}")
# Case endings of Russian/Ukrainian nouns, romanised, longest first ("v Idlibe" = Idlib).
_CASE_ENDINGS = ("ami", "yakh", "akh", "om", "oy", "ey", "ye", "e", "a", "u", "y", "i", "ya", "yu")


def _cyrillic_places(doc: Document, lead: str, cfg: dict[str, Any]) -> Iterator[Span]:
    gazetteer = load_gazetteer()
    for m in _CYRILLIC_WORD.finditer(lead):
        romanised = romanise_cyrillic(m.group()).text
        forms = [romanised] + [romanised[:-len(e)] for e in _CASE_ENDINGS
                               if romanised.endswith(e) and len(romanised) - len(e) >= 3]
        for form in forms:
            places = [p for p in gazetteer.lookup(form)
                      if p.rank >= 2 or p.population >= cfg["min_place_population"]]
            if places:
                yield _place_span(doc, m.start(), m.end(), max(places, key=lambda p: (p.rank, p.population)))
                break


_ARABIC = re.compile(r"[\u0621-\u064a]")
ARABIC_MIN_POPULATION = 100_000
_INNER_VOWELS = re.compile(r"(?<=\w)[aeiouy]+")
_DOUBLE_LETTER = re.compile(r"(.)\1+")  # consonant skeletons collide: only sizeable places are trusted


@lru_cache(maxsize=1)
def _skeleton_index() -> dict[str, Any]:
    """Consonant skeleton → the largest place of that skeleton, built once on the first Arabic item."""
    index: dict[str, Any] = {}
    for key, place in load_gazetteer().named_places(2, ARABIC_MIN_POPULATION):
        skeleton = _DOUBLE_LETTER.sub(r"\1", _INNER_VOWELS.sub("", key))  # skeleton_key of a name key
        known = index.get(skeleton)
        if known is None or (place.rank, place.population) > (known.rank, known.population):
            index[skeleton] = place
    return index


def _arabic_places(doc: Document, lead: str) -> Iterator[Span]:
    index = _skeleton_index()
    for m in _ARABIC_WORD.finditer(lead):
        skeleton = arabic_skeleton(m.group())
        place = index.get(skeleton) if len(skeleton) >= 3 else None
        if place is not None:
            yield _place_span(doc, m.start(), m.end(), place)


@lru_cache(maxsize=16)
def _calendar_words(language: str) -> frozenset[str]:
    """Month and weekday names ("March", "Mai"): capitalised, but never places in a lead."""
    lex = lexicon(language) or lexicon("en")
    assert lex is not None
    return frozenset(lex.month_of) | frozenset(lex.weekday_of)


_CAP = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŹŻŽА-ЯЁЄІЇҐ"
_CAPITALISED = rf"[{_CAP}][\w'’-]*"
_PARTICLES = "of|de|du|da|der|den|von|van|al|bin|ibn|la|le"
# Two to four capitalised words, possibly joined by a name particle ("Bank of England").
_NAME_RUN = re.compile(rf"(?<![\w'’-]){_CAPITALISED}(?:\s+(?:(?:{_PARTICLES})\s+)?{_CAPITALISED}){{1,5}}")
_COMMON_OPENERS = frozenset("the a an in on at this that but and as for when after before".split())


def _names(doc: Document, lead: str, taken: list[tuple[int, int]]) -> Iterator[Span]:
    """Multi-word capitalised names (people, organisations), keyed across scripts."""
    for m in _NAME_RUN.finditer(lead):
        words = strip_titles(m.group().split())
        if words and words[0].lower() in _COMMON_OPENERS:
            words = words[1:]
        if not 2 <= len(words) <= 4 or words[-1].lower() in _PARTICLES.split("|"):
            continue
        start = lead.index(words[0], m.start())
        end = lead.index(words[-1], start) + len(words[-1])
        if any(s < end and start < e for s, e in taken):
            continue
        yield doc.span(start, end, "name", stage=STAGE, model=MODEL, key=name_cue_key(lead[start:end]))


def number_value(match: re.Match[str]) -> str:
    """The value of a written number: thousands separators dropped, decimal comma as a point."""
    whole, grouping, decimal_mark, fraction = match.group(1), match.group(2), match.group(3), match.group(4)
    if grouping:
        whole = re.sub(r"[,.\u00a0\u202f ]", "", whole)
    return f"{int(whole)}.{fraction}" if decimal_mark and fraction else str(int(whole))


def _numbers(doc: Document, lead: str, minimum: int) -> Iterator[Span]:
    for m in _NUMBER.finditer(lead):
        value = number_value(m)
        if float(value) < minimum or 1900 <= float(value) <= 2100 and "." not in value:
            continue  # small counts and years say little about which event this is
        yield doc.span(m.start(), m.end(), "number", stage=STAGE, model=MODEL, value=value)


def _dates(doc: Document, lead: str) -> Iterator[Span]:
    """Days named in the lead ("5 March 2019", "March 5", "5 марта", "2019-03-05") as ISO
    values; a day without a year takes the publication year, or is left out without one."""
    pattern = _date_pattern(doc.meta.language or "en")
    if pattern is None:
        return
    regex, months = pattern
    capitalised_months = (doc.meta.language or "en") in CAPITALISED_MONTHS
    published = doc.meta.published or ""
    default_year = int(published[:4]) if published[:4].isdigit() else None
    for m in regex.finditer(lead):
        groups = m.groupdict()
        if groups["iso"]:
            year, month, day = int(groups["iso_y"]), int(groups["iso_m"]), int(groups["iso_d"])
        else:
            name = groups["m1"] or groups["m2"]
            if capitalised_months and not name[0].isupper():
                continue  # "12 may be": the verb, not the month
            month = months[name.lower().rstrip(".")]
            day = int(groups["d1"] or groups["d2"])
            year_text = groups["y1"] or groups["y2"]
            year = int(year_text) if year_text else default_year
        if year is None:
            continue
        try:
            value = dt.date(year, month, day).isoformat()
        except ValueError:
            continue
        yield doc.span(m.start(), m.end(), "date", stage=STAGE, model=MODEL, value=value, granularity="day")


CAPITALISED_MONTHS = frozenset({"en", "de"})


@lru_cache(maxsize=16)
def _date_pattern(language: str) -> tuple[re.Pattern[str], dict[str, int]] | None:
    """Day-month(-year) expressions in both orders, from the dates stage's month names."""
    lex = lexicon(language)
    if lex is None:
        return None
    months = {name.rstrip("."): number + 1 for name, number in lex.month_of.items()}  # 0-based there
    names = "|".join(sorted((re.escape(n) for n in months), key=len, reverse=True))
    regex = re.compile(
        r"(?P<iso>(?P<iso_y>(?:19|20)\d\d)-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>0[1-9]|[12]\d|3[01]))\b"
        rf"|\b(?P<d1>[0-3]?\d)\.?\s+(?:de\s+)?(?P<m1>{names})\.?(?:\s+(?:de\s+)?(?P<y1>(?:19|20)\d\d))?"
        rf"|\b(?P<m2>{names})\.?\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<y2>(?:19|20)\d\d))?",
        re.IGNORECASE)
    return regex, months
