"""The shipped GeoNames gazetteer: place names (with alternate and transliterated spellings) to
coordinates, country and GeoNames id.

The data is derived at build time (``scripts/build_gazetteer.py``) into two small gzip TSV files
under ``data/gazetteer/``: ``places.tsv.gz`` (one place a row) and ``names.tsv.gz`` (sorted
lookup keys, each with the rows it names). Loading splits them into two lists and nothing more;
lookups bisect the sorted keys, so there is no index to build at run time.

Names are matched on normalised keys, so that the many romanisations of one Arabic, Ukrainian
or Russian name meet: ``name_key`` folds case, diacritics, ayn/hamza marks and apostrophes,
hyphens, Arabic article prefixes (al-/el-/ash-…, and ال in Arabic script), Arabic letter variants
(hamza seats, alif maqsura, ta marbuta, Persian kaf/yeh), Sheikh/Shaykh/Cheikh and ou/u; ``skeleton_key``
further drops the vowels inside words ("Maarrat Horma" = "Ma'arrat Hurmah"), a looser match
that callers only trust with supporting evidence.
"""

from __future__ import annotations

import bisect
import gzip
import re
import unicodedata
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

GAZETTEER_DIR = "data/gazetteer"
PLACES_FILE = "places.tsv.gz"
NAMES_FILE = "names.tsv.gz"
SKELETON_PREFIX = "~"  # skeleton keys share the names file, marked by this prefix
MODEL_ID = "geonames-cities500+supplement"

# Feature codes in the order a bare name most likely means them (country > region > town).
# Capitals rank with regions: "Washington" in the news is the capital far more often than the state.
FEATURE_RANK = {"CONT": 4, "PCLI": 3, "ADM1": 2, "PPLC": 2, "RGN": 2, "PPL": 1}

_MARKS = str.maketrans("", "", "ʿʾʻʼ'’‘`´\u02bd\u02be\u02bf")
_FOLD = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th",
                       "ð": "d", "ħ": "h", "ى": "ي", "ی": "ي", "ک": "ك", "ة": "ه", "ـ": "",
                       "ٱ": "ا"})
# The Arabic article as written (bare alif-lam, not the hamza-seated أل of "ألوفي"), before a
# word of three letters or more: الرقة = رقة.
_ARABIC_ARTICLE = re.compile(r"(?<!\w)ال(?=\w{3})")
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_.,/()]+")
# Arabic article prefixes, as romanised (with sun-letter assimilation and French spellings).
_ARTICLES = frozenset("al el ul il ar as ash at ath ad adh az an ez es ed er en esh ech".split())
_SHAYKH = re.compile(r"(?:sch|sh|ch)(?:ei|ai|ay|ey|e)kh|sheik(?!h)")
_DOUBLE = re.compile(r"(.)\1+")
_VOWELS_INSIDE = re.compile(r"(?<=\w)[aeiouy]+")


@lru_cache(maxsize=1 << 16)  # the same names recur across articles
def name_key(name: str) -> str:
    """The lookup key of a place name: spelling variants of one romanised name share it."""
    text = name
    if not text.isascii():
        text = _ARABIC_ARTICLE.sub("", text)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.translate(_MARKS).casefold().translate(_FOLD)
    tokens = _SEPARATORS.split(text)
    tokens = [t for t in tokens if t]
    tokens = [t for i, t in enumerate(tokens) if t not in _ARTICLES or i == len(tokens) - 1]
    folded = []
    for token in tokens:
        token = _SHAYKH.sub("shaykh", token).replace("sch", "sh").replace("ou", "u")
        token = _DOUBLE.sub(r"\1", token)
        if len(token) > 3 and token.endswith(("ah", "eh")):  # ta marbuta: Hurmah = Hurma
            token = token[:-1]
        folded.append(token)
    return " ".join(folded)


def skeleton_key(name: str) -> str:
    """A looser key without the vowels inside words: Horma = Hurmah, Maaret = Maarrat."""
    return _DOUBLE.sub(r"\1", _VOWELS_INSIDE.sub("", name_key(name)))


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry."""

    name: str
    lat: float
    lon: float
    country: str  # ISO 3166-1 alpha-2 ("" for continents)
    feature: str  # PCLI, ADM1, PPLC, PPL, CONT …
    population: int
    geonameid: int | None
    admin1: str
    source: str  # "geonames" | "supplement"

    @property
    def rank(self) -> int:
        return FEATURE_RANK.get(self.feature, 1)


def format_row(place: Place) -> str:
    """One ``places.tsv`` row (the build script writes it, ``Gazetteer`` reads it). Countries come
    first; a row without a GeoNames id is from the hand-written supplement."""
    return "\t".join((
        place.name, f"{place.lat:.4f}", f"{place.lon:.4f}", place.country, place.feature,
        str(place.population), "" if place.geonameid is None else str(place.geonameid),
        place.admin1,
    ))


def _parse_row(row: str) -> Place:
    name, lat, lon, country, feature, population, geonameid, admin1 = row.split("\t")
    return Place(name, float(lat), float(lon), country, feature, int(population),
                 int(geonameid) if geonameid else None, admin1,
                 "geonames" if geonameid else "supplement")


class Gazetteer:
    """Sorted name keys over place rows; built once per process by :func:`load_gazetteer`."""

    def __init__(self, place_rows: list[str], name_rows: list[str], country_names: dict[str, str]):
        self._rows = place_rows
        self._names = name_rows
        self._places: dict[int, Place] = {}
        self.country_names = country_names

    def _place(self, row: int) -> Place:
        place = self._places.get(row)
        if place is None:
            place = self._places[row] = _parse_row(self._rows[row])
        return place

    def _find(self, key: str) -> list[Place]:
        if not key:
            return []
        probe = key + "\t"
        i = bisect.bisect_left(self._names, probe)
        if i < len(self._names) and self._names[i].startswith(probe):
            return [self._place(int(r)) for r in self._names[i][len(probe):].split(",")]
        return []

    def lookup(self, name: str) -> list[Place]:
        """Places whose name or alternate name has the same normalised key."""
        return self._find(name_key(name))

    def lookup_loose(self, name: str) -> list[Place]:
        """Places matching only by consonant skeleton (weaker evidence; see module doc)."""
        return self._find(SKELETON_PREFIX + skeleton_key(name))

    def named_places(self, min_rank: int, min_population: int) -> Iterator[tuple[str, Place]]:
        """``(name key, place)`` for every exact name of the places of at least ``min_rank`` or
        ``min_population``: for indexes under other keys (the corpus cues' Arabic skeletons).
        Rows are filtered before they are parsed: most places are small."""
        kept = set()
        for number, row in enumerate(self._rows):
            fields = row.split("\t", 6)
            if FEATURE_RANK.get(fields[4], 1) >= min_rank or int(fields[5]) >= min_population:
                kept.add(number)
        for row in self._names:
            key, _, rows = row.partition("\t")
            if not key.startswith(SKELETON_PREFIX):
                for number in map(int, rows.split(",")):
                    if number in kept:
                        yield key, self._place(number)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The shipped gazetteer, read once per process (~0.1 s)."""
    folder = resources.files("newsforensics").joinpath(GAZETTEER_DIR)
    places = _read_lines(folder.joinpath(PLACES_FILE).read_bytes())
    names = _read_lines(folder.joinpath(NAMES_FILE).read_bytes())
    countries = {p.country: p.name for p in map(_parse_row, _country_rows(places))}
    return Gazetteer(places, names, countries)


def _read_lines(data: bytes) -> list[str]:
    lines = gzip.decompress(data).decode("utf-8").split("\n")
    return lines[:-1] if lines and not lines[-1] else lines


def _country_rows(rows: list[str]) -> Iterator[str]:
    return itertools.takewhile(lambda r: "\tPCLI\t" in r, rows)
