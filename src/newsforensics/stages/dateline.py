"""The ``dateline`` stage: "MOSCOW, March 29 (Reuters) –" before a wire story's first sentence.

A dateline says where and when the story was filed and which agency filed it. It is not part of
any claim (the claims stage starts claims after it) and not a quote's content; its place is
geocoded and its agency credited. Patterns in ``data/dateline.toml``.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

from ..document import Document, Span
from ..models.gazetteer import load_gazetteer
from ..pipeline import BaseStage, register


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    raw = tomllib.loads(resources.files(__package__).joinpath("data/dateline.toml").read_text("utf-8"))
    return {**raw, "compiled": [re.compile(p) for p in raw["patterns"]]}


def _place(name: str) -> dict[str, Any] | None:
    places = load_gazetteer().lookup(name.strip(" ."))
    if not places:
        return None
    best = max(places, key=lambda p: (p.rank, p.population))
    return {"name": best.name, "country": best.country or None, "lat": best.lat, "lon": best.lon,
            "geonameid": best.geonameid, "population": best.population, "rank": best.rank}


def find_dateline(doc: Document) -> Span | None:
    """The dateline opening one of the first body paragraphs, if any."""
    rules = _rules()
    title = (doc.meta.title or "").strip()
    paragraphs = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", doc.text)]
    if paragraphs and title and paragraphs[0][1].strip() == title:
        paragraphs = paragraphs[1:]
    for offset, line in paragraphs[:rules["paragraphs"]]:
        for pattern in rules["compiled"]:
            m = pattern.match(line)
            if m is None:
                continue
            groups = m.groupdict()
            place = _place(groups["place"]) if groups.get("place") else None
            plain = not groups.get("agency") and not groups.get("date") and not groups["place"].isupper()
            if plain and (place is None or place["population"] < rules["min_population"] and place["rank"] < 2):
                continue
            if groups.get("place") and groups["place"].isupper() and place is None and not groups.get("agency"):
                continue  # "BREAKING: ..." is not a place
            return doc.span(offset, offset + m.end(), "dateline", stage="dateline",
                            place=groups.get("place"), geocoded=place, date=groups.get("date"),
                            agency=groups.get("agency"))
    return None


@register("dateline")
class DatelineStage(BaseStage):
    """Adds the ``dateline`` layer (at most one span)."""

    version = "1"
    requires = ("text",)
    provides = ("dateline",)

    def __call__(self, doc: Document) -> None:
        found = find_dateline(doc) if doc.text.strip() else None
        doc.add("dateline", [found] if found is not None else [])
