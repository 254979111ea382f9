"""The shipped GeoNames gazetteer: place names (with alternate and transliterated spellings) to
coordinates, country and GeoNames id.

The data is derived at build time (``scripts/build_gazetteer.py``) into two small gzip TSV files
under ``data/gazetteer/``: ``places.tsv.gz`` (one place a row) and ``names.tsv.gz`` (sorted
lookup keys, each with the rows it names). Loading splits the keys into a list and finds the
place rows' line ends, and nothing more; lookups bisect the sorted keys, so there is no index to
build at run time.

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
import os
import re
import struct
import unicodedata
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import overload

import numpy as np

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

    def __init__(self, place_rows: Sequence[str], name_rows: Sequence[str], country_names: dict[str, str]):
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
    """The shipped gazetteer, read once per process (~0.1 s). The place rows are read by number,
    so they stay bytes until one is (``Lines``); the name keys are bisected at every lookup
    (~240 an article), so they are split into strings once."""
    folder = resources.files("newsforensics").joinpath(GAZETTEER_DIR)
    places = Lines(_unpacked(folder.joinpath(PLACES_FILE).read_bytes()))
    names = _split_lines(_unpacked(folder.joinpath(NAMES_FILE).read_bytes()).decode("utf-8"))
    countries = {p.country: p.name for p in map(_parse_row, _country_rows(places))}
    return Gazetteer(places, names, countries)


def _split_lines(text: str) -> list[str]:
    lines = text.split("\n")
    return lines[:-1] if lines and not lines[-1] else lines


def _unpacked(packed: bytes) -> bytes:
    """``gzip.decompress(packed)``, kept in the user cache after the first process unpacks it
    (~0.13 s of every start otherwise). The copy is named by the CRC-32 and size that close the
    gzip file, which are those of the unpacked data, so a rebuilt gazetteer never reads an old
    copy; an unreadable or unwritable cache only costs the speed-up."""
    from .encoder import default_cache_dir

    crc, size = struct.unpack("<II", packed[-8:])
    path = default_cache_dir() / "gazetteer" / f"{crc:08x}-{size}.tsv"
    try:
        data = path.read_bytes()
        if len(data) == size:
            return data
    except OSError:
        pass
    data = gzip.decompress(packed)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        partial.write_bytes(data)
        partial.replace(path)  # atomic: a killed process never leaves a truncated copy
    except OSError:
        pass
    return data


class Lines(Sequence[str]):
    """The lines of a UTF-8 text (``_split_lines``), each decoded when read: splitting the
    235,000 place rows into strings cost ~0.03 s of every process's start and ~20 MB, and a
    process reads a few hundred of them."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n"))
        if data and not data.endswith(b"\n"):
            ends = np.append(ends, len(data))
        self._ends = ends
        self._starts = np.concatenate([[0], ends[:-1] + 1]).astype(ends.dtype) if len(ends) else ends

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("line index out of range")
        return self._data[self._starts[index]:self._ends[index]].decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        """Every line, decoded at once (a pass over all of them)."""
        return iter(_split_lines(self._data.decode("utf-8")))


def _country_rows(rows: Sequence[str]) -> Iterator[str]:
    """The first rows, the countries (read one by one: the rest is never decoded)."""
    return itertools.takewhile(lambda r: "\tPCLI\t" in r, map(rows.__getitem__, range(len(rows))))
