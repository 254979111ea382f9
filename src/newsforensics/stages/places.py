"""Places: geocode the GPE/LOC/FAC entities with the shipped GeoNames gazetteer.

A name usually fits several gazetteer entries (Damascus, Syria and Damascus, Maryland), so the
choice is made in two passes: first without context, to learn the article's geographic
context (the countries of its countries and unambiguous places); then every name again,
scoring each entry by its kind (country > region/capital > town), by its population and by
whether it lies in a country the article is about. Names the gazetteer lacks stay entities
without a place; an entity like "Idlib de-escalation zone" is geocoded on its leading name.
"""

from __future__ import annotations

import math
from collections import Counter

from ..document import Document, Span
from ..models.gazetteer import MODEL_ID, Gazetteer, Place, load_gazetteer
from ..pipeline import BaseStage, register

GEOCODED_LABELS = frozenset({"GPE", "LOC", "FAC"})
CONTEXT_BONUS = 2.5  # an entry in a country the article is about beats ~300x the population
RANK_BONUS = 1.5  # per feature rank step: a country beats a town of ~30x its population
CONFIDENT_MARGIN = 1.0  # a first-pass choice this far ahead of the next sets the context


def score(place: Place, context: Counter[str]) -> float:
    return (RANK_BONUS * place.rank + math.log10(place.population + 1)
            + (CONTEXT_BONUS if context[place.country] else 0.0))


def choose(places: list[Place], context: Counter[str]) -> tuple[Place, float]:
    """The likeliest entry and its lead over the runner-up."""
    ranked = sorted(places, key=lambda p: score(p, context), reverse=True)
    distinct = [p for p in ranked if (p.country, p.name) != (ranked[0].country, ranked[0].name)]
    lead = score(ranked[0], context) - score(distinct[0], context) if distinct else math.inf
    return ranked[0], lead


def lookup_span(gazetteer: Gazetteer, text: str, start: int, end: int) -> tuple[int, int, list[Place]]:
    """The entity's name, else its longest leading run of words, in the gazetteer."""
    words = text[start:end].split(" ")
    for n in range(len(words), 0, -1):
        stop = start + len(" ".join(words[:n]))
        places = gazetteer.lookup(text[start:stop])
        if not places and n > 1:  # multi-word names are specific enough for the loose key
            places = gazetteer.lookup_loose(text[start:stop])
        if places:
            return start, stop, places
    return start, end, []


@register("places")
class PlacesStage(BaseStage):
    """Adds the ``places`` layer: coordinates, country and GeoNames id of place entities."""

    version = "1"
    requires = ("entities",)
    provides = ("places",)

    @property
    def model(self) -> str | None:
        return MODEL_ID

    def __call__(self, doc: Document) -> None:
        gazetteer = load_gazetteer()
        found = []
        for entity in doc.get("entities"):
            if entity.label in GEOCODED_LABELS:
                start, end, places = lookup_span(gazetteer, doc.text, entity.start, entity.end)
                if places:
                    found.append((entity, start, end, places))
        votes: list[str | None] = []
        for _, _, _, places in found:
            best, lead = choose(places, Counter())
            votes.append(best.country if best.rank >= 3 or lead >= CONFIDENT_MARGIN else None)
        context = Counter(v for v in votes if v)
        spans = []
        for (entity, start, end, places), vote in zip(found, votes):
            others = context - Counter([vote]) if vote else context  # a name is not its own context
            best, lead = choose(places, others)
            spans.append(self._span(doc, entity, start, end, best, lead, gazetteer))
        doc.add("places", spans)

    def _span(self, doc: Document, entity: Span, start: int, end: int, place: Place,
              lead: float, gazetteer: Gazetteer) -> Span:
        return doc.span(
            start, end, "place", stage=self.name, model=self.model,
            score=round(1 / (1 + math.exp(-lead)), 3) if math.isfinite(lead) else 1.0,
            name=place.name, lat=place.lat, lon=place.lon, country=place.country or None,
            country_name=gazetteer.country_names.get(place.country), geonameid=place.geonameid,
            feature=place.feature, population=place.population, entity=entity.id,
            source=place.source,
        )
