"""Places: geocode the GPE/LOC/FAC entities with the shipped GeoNames gazetteer.

A name usually fits several gazetteer entries (Damascus, Syria and Damascus, Maryland), so the
choice is made in two passes: first without context, to learn the article's geographic
context (the countries of its countries and unambiguous places); then every name again,
scoring each entry by its kind (country > region/capital > town), by its population and by
whether it lies in a country the article is about. Names the gazetteer lacks stay entities
without a place; an entity like "Idlib de-escalation zone" is geocoded on its leading name.

In the languages of ``models/data/places.toml`` the text itself is also matched against the gazetteer
(``models.place_names``: inflected and cliticised forms in every script), so places are found where no
entities stage covers the language; names inside a person entity are left out.
A document whose language neither the entities nor the matcher covers is skipped by the pipeline
with a warning, and one that is covered but yields no place says why.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from ..document import Document, Span
from ..models.gazetteer import MODEL_ID, Gazetteer, Place, load_gazetteer
from ..pipeline import BaseStage, register
from ..models.place_names import Match, find_place_names, matched_languages

GEOCODED_LABELS = frozenset({"GPE", "LOC", "FAC"})
NON_PLACE_LABELS = frozenset({"PERSON", "PER"})


def _inside_a_name(match: Match, start: int, end: int) -> bool:
    """Whether a text match is a word of a person's name ("Paris Hilton"). Not when it is the
    whole entity or a name of several words (NER models trained here read "Ідлібі" and "Khan
    Cheikhoun" as people), nor a country; inside an organisation's name a place still is one
    ("Минобороны России")."""
    whole = (match.start, match.end) == (start, end)
    return (start <= match.start and match.end <= end and not whole and " " not in match.form
            and not any(p.feature == "PCLI" for p in match.places))
CONTEXT_BONUS = 2.5  # an entry in a country the article is about beats ~300x the population
RANK_BONUS = 1.5  # per feature rank step: a country beats a town of ~30x its population
CONFIDENT_MARGIN = 1.0  # a first-pass choice this far ahead of the next sets the context
# A run of capitalised words in a caption (no parse there): "Aleppo", "Khan Shaykhun".
CAPITALISED = re.compile(r"(?<![\w-])[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}")


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


def _entities_ran(doc: Document) -> bool:
    return any(run.name == "entities" and run.status == "ok" for run in doc.stage_runs)


@register("places")
class PlacesStage(BaseStage):
    """Adds the ``places`` layer: coordinates, country and GeoNames id of place entities."""

    version = "2"
    requires = ("entities",)
    provides = ("places",)
    languages = matched_languages()

    @property
    def model(self) -> str | None:
        return MODEL_ID

    def __call__(self, doc: Document) -> None:
        gazetteer = load_gazetteer()
        found: list[tuple[Span | None, int, int, list[Place]]] = []
        entities = doc.get("entities")
        for entity in entities:
            if entity.label in GEOCODED_LABELS:
                start, end, places = lookup_span(gazetteer, doc.text, entity.start, entity.end)
                if places:
                    found.append((entity, start, end, places))
        language = doc.language
        if language != "en" or not _entities_ran(doc):
            found = self._with_text_matches(doc, language, gazetteer, found)
        if not found:
            self._say_why(doc, language, entities)
            return
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
        self._caption_places(doc, gazetteer, context)

    def _caption_places(self, doc: Document, gazetteer: Gazetteer, context: Counter[str]) -> None:
        """The places a photo caption names, kept on the caption (evidence about the image,
        not about the article): capitalised names the gazetteer knows, a town only when it lies
        in a country the article is about or is a region or larger."""
        for record in doc.removed:
            if record.kind != "caption":
                continue
            found = []
            for m in CAPITALISED.finditer(record.text):
                places = gazetteer.lookup(m.group())
                if not places:
                    continue
                best, _ = choose(places, context)
                if best.rank >= 3 or context[best.country]:
                    found.append({"name": best.name, "text": m.group(), "country": best.country or None,
                                  "lat": best.lat, "lon": best.lon, "geonameid": best.geonameid})
            record.attrs["places"] = found

    @staticmethod
    def _with_text_matches(doc: Document, language: str, gazetteer: Gazetteer,
                           found: list[tuple[Span | None, int, int, list[Place]]],
                           ) -> list[tuple[Span | None, int, int, list[Place]]]:
        """``found`` plus the gazetteer names in the text that no entity already covers and
        that are not a single word of a person's name."""
        taken = [(s, e) for _, s, e, _ in found]
        persons = [(x.start, x.end) for x in doc.get("entities") if x.label in NON_PLACE_LABELS]
        extra = [(None, m.start, m.end, m.places)
                 for m in find_place_names(doc.text, language, gazetteer)
                 if not any(s < m.end and m.start < e for s, e in taken)
                 and not any(_inside_a_name(m, s, e) for s, e in persons)]
        return sorted(found + extra, key=lambda f: f[1])

    @staticmethod
    def _say_why(doc: Document, language: str, entities: list[Span]) -> None:
        named = [doc.text[e.start:e.end] for e in entities if e.label in GEOCODED_LABELS]
        if named:
            why = (f"{len(named)} place name(s) the entities stage found are not in the gazetteer "
                   f"({', '.join(sorted(set(named))[:5])})")
        else:
            why = f"no name in this {language!r} text is a gazetteer place"
        doc.warn("no-places", f"the places stage found no place: {why}", "places")

    def _span(self, doc: Document, entity: Span | None, start: int, end: int, place: Place,
              lead: float, gazetteer: Gazetteer) -> Span:
        return doc.span(
            start, end, "place", stage=self.name, model=self.model,
            score=round(1 / (1 + math.exp(-lead)), 3) if math.isfinite(lead) else 1.0,
            name=place.name, lat=place.lat, lon=place.lon, country=place.country or None,
            country_name=gazetteer.country_names.get(place.country), geonameid=place.geonameid,
            feature=place.feature, population=place.population,
            entity=entity.id if entity is not None else None,
            source=place.source, matched="entity" if entity is not None else "text",
        )
