"""Claims: check-worthy factual statements, each with who asserts it.

The unit is what is asserted, not the wrapper: a quote's content ("…,” X said -> the quoted
sentence), a reported statement's content clause ("X said that <claim>"), the content of an
attributed headline, or an own-voice sentence. Each gets its actors, actions, places, times and
numbers, a check-worthiness score from transparent features (weights in
``data/claims.toml``; the per-feature contributions are kept in ``features`` so that the
score explains itself), and its attribution: the speaker and quote, or the outlet itself.
English is read on the spaCy parse; the languages of ``[languages.*]`` in the data file without
one (actors from the entities layer, digit groups as numbers, finite verb endings as actions,
their own hedge, opinion and first-person words).
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..document import Document, Span
from ..models.spacy_model import SpacyStage, parse
from ..pipeline import register

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,\s]\d{3})*(?:[.,]\d+)?(?:\s?%)?")
ACTION_DEPS = frozenset({"ROOT", "ccomp", "conj", "advcl", "xcomp", "relcl", "pcomp"})


@dataclass(frozen=True)
class ClaimRules:
    bias: float
    min_score: float
    min_words: int
    weights: dict[str, float]
    vague_verbs: frozenset[str]
    hedges: frozenset[str]
    opinion: frozenset[str]
    first_person: frozenset[str]
    boilerplate: tuple[re.Pattern[str], ...]
    labels: dict[str, frozenset[str]]
    action: re.Pattern[str] | None  # finite verb forms, where there is no parse


@lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    return tomllib.loads(resources.files(__package__).joinpath("data/claims.toml").read_text("utf-8"))


def unparsed_languages() -> tuple[str, ...]:
    """Languages whose claims are read without a parse (``[languages.*]`` of the data file)."""
    return tuple(_raw()["languages"])


@lru_cache(maxsize=16)
def rules(language: str = "en") -> ClaimRules:
    raw = _raw()
    lex = raw["lexicon"] | raw["languages"].get(language, {})
    return ClaimRules(
        bias=float(raw["score"]["bias"]),
        min_score=float(raw["score"]["min_score"]),
        min_words=int(raw["score"]["min_words"]),
        weights={k: float(v) for k, v in raw["weights"].items()},
        vague_verbs=frozenset(lex["vague_verbs"]),
        hedges=frozenset(lex["hedges"]),
        opinion=frozenset(lex["opinion"]),
        first_person=frozenset(lex["first_person"]),
        boilerplate=tuple(re.compile(p) for p in lex["boilerplate"]),
        labels={k: frozenset(v) for k, v in raw["labels"].items()},
        action=re.compile(rf"(?<!\w){lex['action']}(?!\w)") if "action" in lex else None,
    )


@dataclass(frozen=True, slots=True)
class Unit:
    """A candidate claim: its offsets and who asserts it."""

    start: int
    end: int
    sentence: Span
    attribution: dict[str, Any]
    headline: bool


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    junk = " \t\n,;:\"“”„«»"
    while start < end and text[start] in junk:
        start += 1
    while end > start and text[end - 1] in junk:
        end -= 1
    return start, end


def claim_units(doc: Document) -> list[Unit]:
    """What each sentence asserts, read off the ``voice``, ``quotes`` and ``framing`` layers: a
    claim the item restates in order to refute it is not the outlet's own (voice ``refuted``)."""
    quotes = {q.id: q for q in doc.get("quotes")}
    framings = {(f.start, f.end): f for f in doc.get("framing")}
    units = []
    for voice in doc.get("voice") or doc.get("sentences"):
        sentence = doc.covering("sentences", voice.start, voice.end) or voice
        quote = quotes.get(voice.attrs.get("quote") or "")
        label = voice.label if voice.label != "sentence" else "own-voice"
        framing = framings.get((voice.start, voice.end))
        if framing is not None and framing.label == "refuted":
            label, quote = "refuted", None
        start, end = voice.start, voice.end
        if quote is not None:
            c_start, c_end = quote.attrs["content_span"]
            start, end = max(start, c_start), min(end, c_end)
            if start >= end:  # the sentence only frames a quote made elsewhere
                continue
        for dateline in doc.spans_in("dateline", start, end):  # "MOSCOW (Reuters) –" is no claim
            start = max(start, dateline.end)
        start, end = _trimmed(doc.text, start, end)
        if start >= end:
            continue
        speaker = quote.attrs.get("speaker") if quote is not None else None
        units.append(Unit(start, end, sentence, {
            "type": "speaker" if speaker else "refuted" if label == "refuted" else "outlet",
            "speaker": speaker,
            "quote": quote.id if quote is not None else None,
            "voice": label,
            "framing": framing.label if framing is not None else None,
        }, bool(quote is not None and quote.attrs.get("headline"))))
    return units


class Features:
    """The evidence in one span: entities, verbs, numbers, and stance markers."""

    def __init__(self, doc: Document, sp: SpacyDoc | None, unit: Unit, r: ClaimRules) -> None:
        start, end = unit.start, unit.end
        span = sp.char_span(start, end, alignment_mode="expand") if sp is not None else None
        tokens = list(span) if span is not None else []
        words = ([t.lower_ for t in tokens if not t.is_punct and not t.is_space] if sp is not None
                 else _WORD.findall(doc.text[start:end].lower()))
        self.words = words
        entities = doc.get("entities")
        if entities or sp is None:
            found = [(e.label, e.id, e.start, e.end) for e in entities if start <= e.start and e.end <= end]
        else:
            found = [(e.label_, e.text, e.start_char, e.end_char) for e in sp.ents
                     if start <= e.start_char and e.end_char <= end]
        self.actors = _unique(ref for label, ref, *_ in found if label in r.labels["actors"])
        self.numbers = _unique(doc.text[s:e] for label, _, s, e in found if label in r.labels["numbers"])
        if sp is None:  # no number entities without the English parse: digit groups
            self.numbers = _unique(m.group() for m in _NUMBER.finditer(doc.text, start, end))
        places = [p.id for p in doc.spans_in("places", start, end)]
        self.places = places or _unique(ref for label, ref, *_ in found if label in r.labels["places"])
        times = [d.id for d in doc.spans_in("dates", start, end)]
        self.times = times or _unique(ref for label, ref, *_ in found if label in r.labels["times"])
        if sp is not None:
            self.actions = _unique(
                t.text for t in tokens
                if t.pos_ == "VERB" and t.dep_ in ACTION_DEPS and t.lower_ not in r.vague_verbs
            )
        else:
            self.actions = _unique(w for w in words if r.action is not None
                                   and r.action.fullmatch(w) and w not in r.vague_verbs)
        self.question = doc.text[start:unit.sentence.end].rstrip().endswith("?")
        self.hedge = any(w in r.hedges for w in words)
        self.opinion = any(w in r.opinion for w in words)
        self.first_person = unit.attribution["voice"] == "own-voice" and any(
            w in r.first_person for w in words
        )
        self.boilerplate = any(p.search(doc.text[start:end]) for p in r.boilerplate)

    def contributions(self, unit: Unit, r: ClaimRules) -> dict[str, float]:
        present = {
            "actor": bool(self.actors), "several_actors": len(self.actors) > 1,
            "action": bool(self.actions), "number": bool(self.numbers), "time": bool(self.times),
            "place": bool(self.places), "attributed": unit.attribution["type"] == "speaker",
            "question": self.question, "hedge": self.hedge, "opinion": self.opinion,
            "first_person": self.first_person, "short": len(self.words) < r.min_words,
            "boilerplate": self.boilerplate,
        }
        return {name: r.weights[name] for name, on in present.items() if on}


def _unique(items: Any) -> list[Any]:
    return list(dict.fromkeys(items))


def checkworthiness(contributions: dict[str, float], r: ClaimRules) -> float:
    return 1.0 / (1.0 + math.exp(-(r.bias + sum(contributions.values()))))


UNPARSED_MODEL = "surface-features-1"  # the claims of languages read without a parse


@register("claims")
class ClaimsStage(SpacyStage):
    """Adds the ``claims`` layer from the sentences, the quotes and the voice of each."""

    version = "2"
    requires = ("sentences", "quotes", "voice", "framing", "entities", "places", "dates")
    provides = ("claims",)
    languages = ("en", *unparsed_languages())

    def __call__(self, doc: Document) -> None:
        if not doc.text.strip():
            return
        language = doc.language
        sp = parse(doc) if language == "en" else None
        r = rules(language)
        model = self.model if sp is not None else UNPARSED_MODEL
        claims = []
        for unit in claim_units(doc):
            features = Features(doc, sp, unit, r)
            contributions = features.contributions(unit, r)
            score = round(checkworthiness(contributions, r), 3)
            if score < r.min_score:
                continue
            claims.append(doc.span(
                unit.start, unit.end, "claim", stage=self.name, model=model, score=score,
                attribution=unit.attribution, actors=features.actors, actions=features.actions,
                places=features.places, times=features.times, numbers=features.numbers,
                checkworthiness=score, features=contributions, sentence=unit.sentence.id or None,
                headline=unit.headline,
            ))
        doc.add("claims", claims)
