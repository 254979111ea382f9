"""Match sentences to known narratives: meaning, keywords and places, one calibrated score.

Three kinds of evidence: the cosine between the sentence and the narrative's closest example
claim under the multilingual encoder (``models.multilingual``; its weight is calibrated
separately for languages the encoder was trained on and for others) and, for English sentences,
under the English MiniLM against the English examples (it reads English paraphrases better:
docs/narratives.md); the narrative's keyword
groups in any language ("topic": what it is about, "frame": what it claims about it), and the
places the sentence names (from the places stage, via the gazetteer). A logistic model
(``data/matcher.json``, fit by ``training/narratives.py``) turns them into a probability.

Encoding is the matcher's whole cost, so the cheap evidence comes first and gates it: a
sentence is encoded only if its keywords and places could lift some narrative over the
threshold at a cosine the encoder realistically reaches (``reachable_cosine``).
Whether the sentence *carries* the narrative or reports its denial is ``stance``'s business.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..factchecks.rerank import LogisticModel
from ..models import encoder, multilingual
from .catalogue import Catalogue, Example, Narrative

FEATURES: tuple[str, ...] = ("cos_encoder_lang", "cos_other_lang", "cos_english", "topic", "frame",
                             "topic_and_frame", "place")
COSINES = (0, 1, 2)  # the columns computed from vectors; the rest are cheap cues
TOPIC, FRAME, BOTH, PLACE = 3, 4, 5, 6
MODEL_FILE = "data/matcher.json"
RECALIBRATE = "python -m newsforensics.training.narratives"
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


def _pairs(keywords: dict[str, Sequence[str]]) -> list[tuple[str, str]]:
    """A keyword group's ``{lang: words}`` as (lang, keyword) pairs."""
    return [(lang, word) for lang, words in keywords.items() for word in words]


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


_WHITESPACE_RUN = " "  # the trie's edge for ``\\s+`` (keywords hold no whitespace of their own)
_ENDS = ""             # the trie's key for the labels of the keywords that end at a node


def _tree_pattern(node: dict[str, Any]) -> str:
    """A ``KeywordGroups`` tree as a pattern that matches where some keyword does (it stops at
    the first keyword that ends: whether one does, not which)."""
    if _ENDS in node:
        return ""
    branches = [(r"\s+" if unit == _WHITESPACE_RUN else re.escape(unit)) + _tree_pattern(child)
                for unit, child in node.items()]
    return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"


class KeywordGroups:
    """Which keyword groups have a keyword in a text: every group's ``_keyword_pattern`` asked
    ``search`` at once, in one pass over the text.

    The keywords are one character tree, each keyword's end labelled with its groups; a walk
    starts where some keyword matches (at a word start; anywhere for Arabic keywords, which may
    follow a clitic) and follows the text's characters, a whitespace run standing for ``\\s+``,
    collecting the labels of every keyword that ends on the way. It finds
    a group exactly when the group's pattern would (same word-start and whitespace rules as
    ``re``: ``\\w`` is ``isalnum`` or ``_``, ``\\s`` is ``isspace``). The cues of the 45 PTC dev
    articles cost 74 CPU-ms so (248 searching each group's pattern in turn: 17 narratives, two
    groups each), and only the groups met are compiled.
    """

    def __init__(self, keywords: Sequence[tuple[str, str, Any]]) -> None:
        self._word_start: dict[str, Any] = {}
        self._anywhere: dict[str, Any] = {}
        for lang, word, label in keywords:
            node = self._anywhere if lang == "ar" else self._word_start
            for k, part in enumerate(word.split()):
                for unit in ([_WHITESPACE_RUN] if k else []) + list(part):
                    node = node.setdefault(unit, {})
            node.setdefault(_ENDS, set()).add(label)
        # Where a walk is worth starting: where some keyword matches, found by ``re`` (the tree
        # as one pattern in a lookahead, so that every such position is found, overlaps too).
        self._starts = [(tree, re.compile(rf"{lookbehind}(?={_tree_pattern(tree)})"))
                        for tree, lookbehind in ((self._word_start, r"(?<!\w)"), (self._anywhere, ""))
                        if tree]

    def labels(self, text: str) -> set[Any]:
        """The labels of the groups with some keyword in ``text`` (case-folded by the caller)."""
        found: set[Any] = set()
        for tree, starts in self._starts:
            for start in starts.finditer(text):
                self._walk(tree, text, start.start(), found)
        return found

    @staticmethod
    def _walk(node: dict[str, Any], text: str, i: int, found: set[Any]) -> None:
        n = len(text)
        while True:
            ends = node.get(_ENDS)
            if ends:
                found |= ends
            if i >= n:
                return
            ch = text[i]
            if ch.isspace():
                node = node.get(_WHITESPACE_RUN)
                while i < n and text[i].isspace():
                    i += 1
            else:
                node = node.get(ch)
                i += 1
            if node is None:
                return


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
        cache = cache_dir or encoder.default_cache_dir()
        self._example_vectors = encoder.encode_cached([ex.text for _, ex in self.examples], cache, multilingual)
        # English sentences are also compared with the English examples under the English MiniLM,
        # which reads English paraphrases better than the multilingual encoder (benchmarks/narratives.py).
        english = [k for k, (_, ex) in enumerate(self.examples) if ex.lang == "en"]
        self._english_rows = np.array(english, dtype=np.int64)
        self._english_vectors = encoder.encode_cached([self.examples[k][1].text for k in english], cache)
        # Which groups have a keyword in a sentence, all at once; a group's own pattern (compiled
        # when first needed) then says which keywords.
        self._keyword_groups = KeywordGroups([(lang, word, (j, group)) for j, n in enumerate(self.narratives)
                                              for group, langs in n.keywords.items()
                                              for lang, word in _pairs(langs)])
        self._group_patterns: dict[tuple[int, str], re.Pattern[str] | None] = {}
        self._places = [_place_refs(n.places) for n in self.narratives]
        self.gate = bool(config["gate"])
        self.reachable_cosine = float(config["reachable_cosine"])
        self.counts: Counter[str] = Counter()  # sentences seen and encoded (the gate's effect)

    def cues(self, sentences: Sequence[str], languages: Sequence[str | None],
             places: Sequence[set[PlaceRef]]) -> tuple[np.ndarray, list[list[dict[str, list[str]]]]]:
        """The cheap part of the features (keywords, places; cosine columns left at 0) and the cues."""
        n_sent, n_narr = len(sentences), len(self.narratives)
        matrix = np.zeros((n_sent, n_narr, len(FEATURES)))
        cues: list[list[dict[str, list[str]]]] = [[{} for _ in range(n_narr)] for _ in range(n_sent)]
        for s, text in enumerate(sentences):
            folded = text.casefold()
            groups = self._keyword_groups.labels(folded)
            if not groups and not places[s]:
                continue  # no narrative's keyword and no place: every cue feature is 0
            for j in range(n_narr):
                found = {group: sorted({m.group() for m in self._group_pattern(j, group).finditer(folded)})
                         for group in self.narratives[j].keywords if (j, group) in groups}
                found = {g: words for g, words in found.items() if words}
                shared = _shared_places(places[s], self._places[j])
                if shared:
                    found["places"] = shared
                cues[s][j] = found
                if found:  # the row is all zeros otherwise
                    matrix[s, j, TOPIC] = float("topic" in found)
                    matrix[s, j, FRAME] = float("frame" in found)
                    matrix[s, j, BOTH] = matrix[s, j, TOPIC] * matrix[s, j, FRAME]
                    matrix[s, j, PLACE] = float(bool(shared))
        return matrix, cues

    def _group_pattern(self, j: int, group: str) -> re.Pattern[str]:
        """Narrative ``j``'s keyword pattern of ``group`` (asked only when the group has a keyword)."""
        if (j, group) not in self._group_patterns:
            self._group_patterns[j, group] = _keyword_pattern(_pairs(self.narratives[j].keywords[group]))
        return self._group_patterns[j, group]

    def add_cosines(self, matrix: np.ndarray, languages: Sequence[str | None], vectors: np.ndarray,
                    english: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Fill the cosine columns of ``matrix``: multilingual ``vectors`` against every example, and
        for English sentences their MiniLM vectors (``english``, one row per English sentence, in
        order; encoded here when not given) against the English examples. Returns the best
        example of each (sentence, narrative) under the multilingual encoder and its cosine."""
        n_sent, n_narr = matrix.shape[:2]
        if not n_sent or not n_narr:
            return np.zeros((n_sent, n_narr), dtype=np.int64), np.zeros((n_sent, n_narr))
        best, cosine = self.closest_examples(vectors)
        in_encoder = self._in_encoder(languages)
        english_rows = np.array([lang == "en" for lang in languages], dtype=bool)
        matrix[:, :, 0] = np.where((in_encoder & ~english_rows)[:, None], cosine, 0.0)
        matrix[:, :, 1] = np.where(in_encoder[:, None], 0.0, cosine)
        rows = np.flatnonzero(english_rows)
        if len(rows) and len(self._english_rows):
            if english is None:
                raise ValueError("English sentences need their MiniLM vectors")
            english_sims = english @ self._english_vectors.T
            owner = self._owner[self._english_rows]
            for j in np.unique(owner):
                matrix[rows, j, 2] = english_sims[:, owner == j].max(axis=1)
        return best, cosine

    def closest_examples(self, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per sentence (multilingual ``vectors``) and narrative: the closest example and its cosine."""
        n_sent, n_narr = len(vectors), len(self.narratives)
        best = np.zeros((n_sent, n_narr), dtype=np.int64)
        cosine = np.zeros((n_sent, n_narr))
        sims = vectors @ self._example_vectors.T  # sentences x examples
        for j in range(n_narr):
            columns = np.flatnonzero(self._owner == j)
            pick = sims[:, columns].argmax(axis=1)
            best[:, j] = columns[pick]
            cosine[:, j] = sims[np.arange(n_sent), columns[pick]]
        return best, cosine

    def _english_only(self, languages: Sequence[str | None]) -> np.ndarray:
        """Sentences whose probability reads the English MiniLM cosine and no multilingual one."""
        return self._in_encoder(languages) & np.array([lang == "en" for lang in languages], dtype=bool)

    def _in_encoder(self, languages: Sequence[str | None]) -> np.ndarray:
        """Sentences in a language the encoder was trained on; an unknown language counts as one."""
        return np.array([lang is None or lang in self.encoder_languages for lang in languages], dtype=bool)

    def features(self, sentences: Sequence[str], languages: Sequence[str | None],
                 places: Sequence[set[PlaceRef]], vectors: np.ndarray | None = None
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[list[dict[str, list[str]]]]]:
        """Per sentence and narrative: the feature matrix, the best example, its cosine, the cues."""
        matrix, cues = self.cues(sentences, languages, places)
        if vectors is None:
            vectors = multilingual.encode(list(sentences))
        best, cosine = self.add_cosines(matrix, languages, vectors, self.english_vectors(sentences, languages))
        return matrix, best, cosine, cues

    @staticmethod
    def english_vectors(sentences: Sequence[str], languages: Sequence[str | None]) -> np.ndarray:
        """MiniLM vectors of the English sentences, in order (what ``add_cosines`` takes)."""
        return encoder.encode([s for s, lang in zip(sentences, languages, strict=True) if lang == "en"])

    def needed_cosine(self, matrix: np.ndarray, languages: Sequence[str | None]) -> np.ndarray:
        """Per sentence: the lowest cosine at which some narrative would reach ``min_probability``,
        given the cheap features of ``matrix`` (cosine columns at 0). The log-odds are linear in
        the cosines (all assumed equal), so this is one division per (sentence, narrative)."""
        if not len(matrix):
            return np.zeros(0)
        model = self.model
        base = ((matrix - model.mean) / model.scale) @ model.coef + model.intercept  # sentences x narratives
        weight = model.coef / model.scale
        in_encoder = self._in_encoder(languages)
        english = np.array([lang == "en" for lang in languages])
        slope = np.where(english, weight[2], np.where(in_encoder, weight[0], weight[1]))[:, None]
        target = np.log(self.min_probability / (1.0 - self.min_probability))
        with np.errstate(divide="ignore", invalid="ignore"):
            needed = np.where(slope > 0, (target - base) / slope, np.where(base >= target, -np.inf, np.inf))
        return needed.min(axis=1)

    def reachable(self, matrix: np.ndarray, languages: Sequence[str | None]) -> np.ndarray:
        """Per sentence: can some narrative reach ``min_probability`` at a cosine of at most
        ``reachable_cosine``? A sentence that cannot is never encoded."""
        return self.needed_cosine(matrix, languages) <= self.reachable_cosine

    def match(self, sentences: Sequence[str], languages: Sequence[str | None],
              places: Sequence[set[PlaceRef]] | None = None) -> list[list[Match]]:
        """The narratives each sentence matches (best first; empty when none reaches the threshold)."""
        places = places if places is not None else [set() for _ in sentences]
        out: list[list[Match]] = [[] for _ in sentences]
        keep = [i for i, s in enumerate(sentences) if len(s.strip()) >= self.min_chars]
        matrix, cues = self.cues([sentences[i] for i in keep], [languages[i] for i in keep],
                                 [places[i] for i in keep])
        if self.gate:
            passed = np.flatnonzero(self.reachable(matrix, [languages[i] for i in keep]))
            keep, matrix, cues = [keep[r] for r in passed], matrix[passed], [cues[r] for r in passed]
        self.counts["sentences"] += len(sentences)
        self.counts["encoded"] += len(keep)
        if not keep:
            return out
        kept = [sentences[i] for i in keep]
        kept_languages = [languages[i] for i in keep]
        # An English sentence's probability reads only its MiniLM cosine; its multilingual vector
        # only names the closest example of a narrative it matches. So it is encoded (and the
        # encoder loaded) only once it matches: most articles never load the encoder at all.
        vectors = np.zeros((len(kept), multilingual.EMBEDDING_DIM), dtype=np.float32)
        scored = np.flatnonzero(~self._english_only(kept_languages))
        if len(scored):
            vectors[scored] = multilingual.encode([kept[r] for r in scored])
        best, cosine = self.add_cosines(matrix, kept_languages, vectors, self.english_vectors(kept, kept_languages))
        probability = self.model.predict(matrix.reshape(-1, len(FEATURES))).reshape(matrix.shape[:2])
        named = np.flatnonzero(self._english_only(kept_languages) & (probability >= self.min_probability).any(axis=1))
        if len(named):
            vectors[named] = multilingual.encode([kept[r] for r in named])
            best[named], cosine[named] = self.closest_examples(vectors[named])
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
