"""Is a Name_Calling fragment only a name? Reporting "Julian Assange" or "Australian-born Assange
faces" names a person; it does not label one. Read from the shared spaCy parse (entities and
parts of speech); the lexicon is ``data/names.toml``."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Protocol

from .encoding import QUOTES

NAME_CALLING = "Name_Calling,Labeling"


class Token(Protocol):
    """What the rule reads of a parsed token (a spaCy ``Token`` has all three)."""

    lower_: str
    pos_: str
    ent_type_: str


@dataclass(frozen=True)
class NameLexicon:
    name_labels: frozenset[str]
    modifier_labels: frozenset[str]
    neutral_pos: frozenset[str]
    titles: frozenset[str]


@lru_cache(maxsize=1)
def name_lexicon() -> NameLexicon:
    text = resources.files(__package__).joinpath("data/names.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return NameLexicon(*(frozenset(data[key]) for key in
                         ("name_labels", "modifier_labels", "neutral_pos", "titles")))


def is_bare_name(text: str, tokens: Iterable[Token]) -> bool:
    """True when the fragment names someone and says nothing else of them: a name entity, with
    only modifiers (nationality, title, role), function words and verbs around it. Quoted text
    is a label, never a bare name."""
    if any(mark in text for mark in QUOTES if mark not in "'’") or text[:1] in "'‘":
        return False
    lexicon = name_lexicon()
    named = False
    for token in tokens:
        if token.ent_type_ in lexicon.name_labels:
            named = True
        elif not (token.ent_type_ in lexicon.modifier_labels or token.pos_ in lexicon.neutral_pos
                  or token.lower_.rstrip(".") in lexicon.titles):
            return False
    return named
