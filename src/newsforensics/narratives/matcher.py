"""Match sentences to known narratives: meaning, keywords and places, one calibrated score.

Three kinds of evidence, because the shipped encoder (all-MiniLM-L6-v2) reads English well and
other languages poorly: the cosine between the sentence and the narrative's closest example
claim (any language; its weight is calibrated separately for English and other sentences), the
narrative's keyword groups in any language ("topic": what it is about, "frame": what it claims
about it), and the places the sentence names (from the places stage, via the gazetteer). A
logistic model (``data/matcher.json``, fit by ``calibrate``) turns them into a probability.
Whether the sentence *carries* the narrative or reports its denial is ``stance``'s business.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..factchecks.rerank import LogisticModel
from ..models import encoder
from .catalogue import Catalogue, Example, Narrative

FEATURES: tuple[str, ...] = ("cos_encoder_lang", "cos_other_lang", "topic", "frame",
                             "topic_and_frame", "place")
MODEL_FILE = "data/matcher.json"
RECALIBRATE = "python -m newsforensics.narratives.calibrate"
# A place cue: a GeoNames id, or a country code (any place in that country).
PlaceRef = tuple[int | None, str]


@lru_cache(maxsize=1)
def settings() -> dict[str, Any]:
    return tomllib.loads(resources.files(__package__).joinpath("data/matcher.toml").read_text("utf-8"))


@lru_cache(maxsize=1)
def shipped_model() -> LogisticModel:
    data = json.loads(resources.files(__package__).joinpath(MODEL_FILE).read_text("utf-8"))
    return LogisticModel.from_dict(data, FEATURES, RECALIBRATE)


@dataclass(slots=True)
class Match:
    """One sentence matching one narrative, with the evidence."""

    narrative: Narrative
    probability: float
    example: Example           # the closest example claim
    cosine: float
    cues: dict[str, list[str]]  # keyword group → the words found; "places" → place names
    contributions: dict[str, float] = field(default_factory=dict)


def _keyword_pattern(words: Sequence[tuple[str, str]]) -> re.Pattern[str] | None:
    """Word-prefix matcher over (lang, keyword) pairs; Arabic keywords may follow a clitic (و، ال).

    The word-start test is factored out of the alternation, so the engine tries the keywords
    only where a word starts (one test a character, not one per keyword).
    """
    prefixes: list[str] = []
    anywhere: list[str] = []
    for lang, word in sorted(set(words), key=lambda w: -len(w[1])):
        body = r"\s+".join(re.escape(part) for part in word.split())
        (anywhere if lang == "ar" else prefixes).append(body)
    parts = ([rf"(?<!\w)(?:{'|'.join(prefixes)})"] if prefixes else []) + anywhere
    return re.compile("|".join(parts)) if parts else None


class NarrativeMatcher:
    """A catalogue compiled for matching: example vectors, keyword patterns, place references."""

    def __init__(self, catalogue: Catalogue, *, cache_dir: Path | None = None,
                 model: LogisticModel | None = None) -> None:
        self.catalogue = catalogue
        self.narratives = list(catalogue)
        self.model = model or shipped_model()
        config = settings()["match"]
        self.min_probability = float(config["min_probability"])
        self.per_sentence = int(config["per_sentence"])
        self.min_chars = int(config["min_chars"])
        self.encoder_languages = frozenset(config["encoder_languages"])
        self.examples = [(i, ex) for i, n in enumerate(self.narratives) for ex in n.examples]
        self._owner = np.array([i for i, _ in self.examples])
        self._example_vectors = encoder.encode_cached([ex.text for _, ex in self.examples],
                                                      cache_dir or encoder.default_cache_dir())
        self._groups = [{group: _keyword_pattern([(lang, w) for lang, words in langs.items() for w in words])
                         for group, langs in n.keywords.items()} for n in self.narratives]
        self._places = [_place_refs(n.places) for n in self.narratives]
        self.prefilter = bool(config["prefilter"])
        self._any_keyword = _keyword_pattern([(lang, w) for n in self.narratives for langs in n.keywords.values()
                                              for lang, words in langs.items() for w in words])

    def _worth_comparing(self, sentence: str, places: set[PlaceRef]) -> bool:
        """Long enough, and (with the prefilter) naming some narrative's keyword or place."""
        if len(sentence.strip()) < self.min_chars:
            return False
        if not self.prefilter:
            return True
        if self._any_keyword is not None and self._any_keyword.search(sentence.casefold()):
            return True
        return any(_shared_places(places, refs) for refs in self._places)

    def features(self, sentences: Sequence[str], languages: Sequence[str | None],
                 places: Sequence[set[PlaceRef]], vectors: np.ndarray | None = None
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[list[dict[str, list[str]]]]]:
        """Per sentence and narrative: the feature matrix, the best example, its cosine, the cues."""
        n_sent, n_narr = len(sentences), len(self.narratives)
        matrix = np.zeros((n_sent, n_narr, len(FEATURES)))
        best = np.zeros((n_sent, n_narr), dtype=np.int64)
        cosine = np.zeros((n_sent, n_narr))
        cues: list[list[dict[str, list[str]]]] = [[{} for _ in range(n_narr)] for _ in range(n_sent)]
        if not n_sent or not n_narr:
            return matrix, best, cosine, cues
        if vectors is None:
            vectors = encoder.encode(list(sentences))
        sims = vectors @ self._example_vectors.T  # sentences x examples
        for j in range(n_narr):
            columns = np.flatnonzero(self._owner == j)
            pick = sims[:, columns].argmax(axis=1)
            best[:, j] = columns[pick]
            cosine[:, j] = sims[np.arange(n_sent), columns[pick]]
        in_encoder = np.array([lang in self.encoder_languages for lang in languages])
        matrix[:, :, 0] = np.where(in_encoder[:, None], cosine, 0.0)
        matrix[:, :, 1] = np.where(in_encoder[:, None], 0.0, cosine)
        for s, text in enumerate(sentences):
            folded = text.casefold()
            for j in range(n_narr):
                found = {group: sorted({m.group() for m in pattern.finditer(folded)})
                         for group, pattern in self._groups[j].items() if pattern is not None}
                found = {g: words for g, words in found.items() if words}
                shared = _shared_places(places[s], self._places[j])
                if shared:
                    found["places"] = shared
                cues[s][j] = found
                matrix[s, j, 2] = float("topic" in found)
                matrix[s, j, 3] = float("frame" in found)
                matrix[s, j, 4] = matrix[s, j, 2] * matrix[s, j, 3]
                matrix[s, j, 5] = float(bool(shared))
        return matrix, best, cosine, cues

    def match(self, sentences: Sequence[str], languages: Sequence[str | None],
              places: Sequence[set[PlaceRef]] | None = None) -> list[list[Match]]:
        """The narratives each sentence matches (best first; empty when none reaches the threshold)."""
        places = places if places is not None else [set() for _ in sentences]
        keep = [i for i, s in enumerate(sentences) if self._worth_comparing(s, places[i])]
        out: list[list[Match]] = [[] for _ in sentences]
        if not keep:
            return out
        matrix, best, cosine, cues = self.features([sentences[i] for i in keep],
                                                   [languages[i] for i in keep], [places[i] for i in keep])
        probability = self.model.predict(matrix.reshape(-1, len(FEATURES))).reshape(matrix.shape[:2])
        for row, s in enumerate(keep):
            order = np.argsort(-probability[row], kind="stable")[:self.per_sentence]
            out[s] = [Match(self.narratives[j], float(probability[row, j]), self.examples[best[row, j]][1],
                            float(cosine[row, j]), cues[row][j], self.model.contributions(matrix[row, j]))
                      for j in order if probability[row, j] >= self.min_probability]
        return out


@lru_cache(maxsize=256)
def _lookup_place(name: str) -> tuple[str, int | str] | None:
    """A catalogue place as ``("country", code)`` or ``("place", geonameid)``; None if unknown."""
    from ..models.gazetteer import load_gazetteer

    candidates = [p for p in load_gazetteer().lookup(name) if p.feature == "PCLI" or p.geonameid]
    if not candidates:
        return None
    place = max(candidates, key=lambda p: (p.rank, p.population))
    return ("country", place.country) if place.feature == "PCLI" else ("place", place.geonameid)


def _place_refs(names: Sequence[str]) -> dict[tuple[str, int | str], str]:
    refs = {}
    for name in names:
        ref = _lookup_place(name)
        if ref is not None:
            refs[ref] = name
    return refs


def _shared_places(sentence: set[PlaceRef], narrative: dict[tuple[str, int | str], str]) -> list[str]:
    """Narrative places the sentence names: the same GeoNames id, or any place in a named country."""
    if not sentence or not narrative:
        return []
    ids = {geonameid for geonameid, _ in sentence if geonameid}
    countries = {country for _, country in sentence if country}
    return sorted(name for (kind, value), name in narrative.items()
                  if (value in ids if kind == "place" else value in countries))
