"""The attribution lexicon: reporting cues, speaker words and headline patterns, as data.

Everything language-specific that the finders and the speaker resolver match against lives in
``data/attribution.toml``; this module only loads it once and indexes it for token lookups
(verb forms -> cue class, multi-word cues -> cue class, role noun -> role groups). It imports
nothing else from the package, so every attribution module can depend on it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

DATA_FILE = "data/attribution.toml"


@dataclass(frozen=True)
class CueClass:
    """A family of reporting cues: what they say about the source's commitment."""

    name: str
    semantics: str
    strength: float
    needs_clause: bool


@dataclass(frozen=True)
class Lexicon:
    """The data file, indexed for token lookups."""

    verb_class: dict[str, CueClass]
    # "writing up", "called off": a cue verb with a particle that makes it another verb (form, particle)
    phrasal_non_cues: frozenset[tuple[str, str]]
    # "voiced alarm that": verb forms, the attitude nouns they take, and the class they report in
    noun_cue_verbs: frozenset[str]
    noun_cue_nouns: frozenset[str]
    noun_cue_class: CueClass
    # Multi-word cues ("according to") by first word, in data-file order: a token is tried only
    # against the cues its own word can open (every cue at every token cost half the stage).
    prepositional_by_first: dict[str, tuple[tuple[tuple[str, ...], CueClass], ...]]
    as_lead: str
    as_verbs: frozenset[str]
    non_speakers: frozenset[str]
    person_pronouns: frozenset[str]
    group_pronouns: frozenset[str]
    organisation_pronouns: frozenset[str]  # "it said": the last organisation named
    deictic: frozenset[str]  # the writer's and the reader's pronouns
    pronoun_gender: dict[str, str]        # "she" → "f"
    gender_markers: dict[str, str]        # "Ms." / "spokeswoman" → "f"
    first_name_gender: dict[str, str]     # "Catherine" → "f"
    person_descriptions: frozenset[str]   # "candidate": "the candidate" is the last person named
    organisation_descriptions: frozenset[str]  # "alliance": "the alliance" is the last organisation
    documents: frozenset[str]             # "statement": speaks for whoever issued it
    section_labels: frozenset[str]        # "Summary:" before a quote labels a section, not a speaker
    speech_events: frozenset[str]         # "X spoke to reporters." before a quote: X's words follow
    issuer_links: frozenset[str]          # "a statement from X"
    role_groups: dict[str, frozenset[str]]
    titles: frozenset[str]
    honorifics: frozenset[str]
    organisation_name_ends: frozenset[str]  # "Associated Press": an organisation's name
    organisation_links: frozenset[str]
    headline_patterns: tuple[tuple[str, re.Pattern[str]], ...]
    limits: dict[str, int]

    def is_title(self, word: str) -> bool:
        return word in self.titles

    @property
    def say(self) -> CueClass | None:
        """The plain "say" class, for cues whose verb is implied ("X as saying", headlines)."""
        return self.verb_class.get("say")


def inflections(base: str) -> set[str]:
    """Regular English verb forms; irregular ones come from the data file."""
    if base.endswith("e"):
        return {base, base + "s", base + "d", base[:-1] + "ing"}
    if base.endswith("y") and base[-2:-1] not in set("aeiou"):
        return {base, base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    if base.endswith(("s", "sh", "ch", "x", "z")):
        return {base, base + "es", base + "ed", base + "ing"}
    return {base, base + "s", base + "ed", base + "ing"}


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lexicon, read from the package data once per process."""
    raw = tomllib.loads(resources.files(__package__).joinpath(DATA_FILE).read_text("utf-8"))
    classes = {
        name: CueClass(name, c["semantics"], float(c["strength"]), bool(c["needs_clause"]))
        for name, c in raw["classes"].items()
    }
    def forms(base: str) -> set[str]:
        return inflections(base) | set(raw["irregular"].get(base, []))

    verb_class: dict[str, CueClass] = {}
    for name, spec in raw["classes"].items():
        for base in spec["verbs"]:
            for form in forms(base):
                verb_class.setdefault(form, classes[name])
    role_groups: dict[str, set[str]] = {}
    for group, nouns in raw["roles"].items():
        for noun in nouns:
            role_groups.setdefault(noun, set()).add(group)
    prepositional = {tuple(k.split()): classes[v] for k, v in raw["prepositional"].items()}
    by_first: dict[str, list[tuple[tuple[str, ...], CueClass]]] = {}
    for words, cls in prepositional.items():
        by_first.setdefault(words[0], []).append((words, cls))
    return Lexicon(
        verb_class=verb_class,
        phrasal_non_cues=frozenset((form, particle) for phrase in raw["phrasal_non_cues"]["verbs"]
                                   for form in forms(phrase.split()[0]) for particle in phrase.split()[1:]),
        noun_cue_verbs=frozenset(f for base in raw["noun_cues"]["verbs"] for f in forms(base)),
        noun_cue_nouns=frozenset(raw["noun_cues"]["nouns"]),
        noun_cue_class=classes[raw["noun_cues"]["class"]],
        prepositional_by_first={w: tuple(cues) for w, cues in by_first.items()},
        as_lead=raw["as_saying"]["lead"],
        as_verbs=frozenset(raw["as_saying"]["verbs"]),
        non_speakers=frozenset(raw["pronouns"]["non_speakers"]),
        person_pronouns=frozenset(raw["pronouns"]["person"]),
        group_pronouns=frozenset(raw["pronouns"]["group"]),
        organisation_pronouns=frozenset(raw["pronouns"]["organisation"]),
        deictic=frozenset(raw["pronouns"]["deictic"]),
        pronoun_gender={w: g for g, key in (("f", "feminine"), ("m", "masculine")) for w in raw["pronouns"][key]},
        gender_markers={w: g for g, key in (("f", "feminine_markers"), ("m", "masculine_markers"))
                        for w in raw["pronouns"][key]},
        first_name_gender={w: g for g, key in (("f", "feminine_names"), ("m", "masculine_names"))
                           for w in raw["pronouns"][key]},
        person_descriptions=frozenset(raw["descriptions"]["person"]),
        organisation_descriptions=frozenset(raw["descriptions"]["organisation"]),
        documents=frozenset(raw["descriptions"]["documents"]),
        section_labels=frozenset(raw["descriptions"]["section_labels"]),
        speech_events=frozenset(f for base in raw["speech_events"]["verbs"] for f in forms(base)),
        issuer_links=frozenset(raw["descriptions"]["issuer_links"]),
        role_groups={k: frozenset(v) for k, v in role_groups.items()},
        titles=frozenset(raw["names"]["titles"]),
        honorifics=frozenset(raw["names"]["honorifics"]),
        organisation_name_ends=frozenset(raw["names"]["organisation_name_ends"]),
        organisation_links=frozenset(raw["names"]["organisation_links"]),
        headline_patterns=tuple((h["name"], re.compile(h["pattern"])) for h in raw["headline"]),
        limits=raw["limits"],
    )
