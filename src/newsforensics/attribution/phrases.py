"""Noun phrases around a reporting cue, read off the spaCy parse.

The parse's subject of a reporting verb is the best speaker candidate, but news syntax often
defeats it ("Maj. Gen. X as saying", "<clause>, head of X, Maj. Gen. Y, revealed", "said John
Smith"), so these helpers also walk the tokens next to a cue. Every walk is linear in the
sentence length.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Token

TIME_ENTITIES = frozenset({"DATE", "TIME"})
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
NOMINAL_POS = frozenset({"PROPN", "NOUN", "PRON", "DET", "ADJ", "NUM"})
NOMINAL_WORDS = frozenset({"'s", "’s", ".", "-", "&", "of", "and", "for", "in", "at", "'", "’"})
APPOSITION_DEPS = frozenset({"appos", "nsubj", "nsubjpass", "conj", "npadvmod", "ROOT"})
DASHES = frozenset({"-", "–", "—"})
RELATIVE_PRONOUNS = frozenset({"who", "whose", "which"})
SKIPPABLE_POS = frozenset({"ADV", "AUX", "PART"})
EDGE_JUNK = " \t\n,;:—–-\"“”„«»"


def trim(text: str, start: int, end: int, junk: str = EDGE_JUNK) -> tuple[int, int]:
    """Offsets without leading/trailing punctuation and space (and a final full stop)."""
    while start < end and text[start] in junk:
        start += 1
    while end > start and text[end - 1] in junk + ".":
        end -= 1
    return start, end


def bounds(tokens: Iterable[Token]) -> tuple[int, int] | None:
    """Character offsets covering some tokens, or None when there are none."""
    toks = list(tokens)
    if not toks:
        return None
    return min(t.idx for t in toks), max(t.idx + len(t) for t in toks)


def subject_phrase(subject: Token, lo: int, hi: int) -> tuple[int, int] | None:
    """The subject's subtree inside token range [lo, hi), without relative clauses."""
    cut = {
        t.i for child in subject.children if child.dep_ in {"relcl", "acl", "advcl"} or is_time_modifier(child)
        for t in child.subtree
    }
    dashes = [t.i for t in subject.subtree if t.i < subject.i and t.text in DASHES and t.whitespace_]
    if dashes:  # "Geneva - The WHO chief said": the dateline is not part of the speaker
        lo = max(lo, dashes[-1] + 1)
    return bounds(
        t for t in subject.subtree
        if lo <= t.i < hi and t.i not in cut and (not t.is_punct or t.text == ".")
    )


def is_time_modifier(tok: Token) -> bool:
    """ "on Wednesday" in "The agency chief on Wednesday said": when, not who."""
    return tok.dep_ in {"prep", "npadvmod"} and any(t.ent_type_ in TIME_ENTITIES for t in tok.subtree)


def is_nominal(tok: Token) -> bool:
    return tok.pos_ in NOMINAL_POS or tok.lower_ in NOMINAL_WORDS or tok.dep_ == "compound"


def nominal_before(sp: SpacyDoc, cue: int, lo: int) -> tuple[int, int] | None:
    """The noun phrase just before a cue ("Maj. Gen. Morrow [as saying]"), or, when the
    cue follows a comma, the appositions set off by commas before it
    ("<clause>, head of X, Maj. Gen. Y, revealed")."""
    i = cue - 1
    while i >= lo and sp[i].pos_ in SKIPPABLE_POS and sp[i].lower_ not in {"'s", "’s"}:
        i -= 1
    if i >= lo and sp[i].text == ",":
        relative = relative_clause_before(sp, i, lo)
        return appositions_before(sp, relative - 1 if relative is not None else i, lo)
    end = i
    if i >= lo and sp[i].text == ")":  # "The World Health Organization (WHO) said"
        opening = next((k for k in range(i - 1, max(lo, i - 8) - 1, -1) if sp[k].text == "("), None)
        if opening is not None:
            i = opening - 1
    while i >= lo and is_nominal(sp[i]):
        i -= 1
    return (sp[i + 1].idx, sp[end].idx + len(sp[end])) if i < end else None


def relative_clause_before(sp: SpacyDoc, comma: int, lo: int) -> int | None:
    """Where a relative clause set off by commas and ending at ``comma`` starts ("Strang, [who
    was a guest on Fox & Friends on Sunday], said"): its speaker is the phrase before it."""
    for k in range(comma - 1, lo, -1):
        if sp[k].text in RELATIVE_PRONOUNS and sp[k - 1].text == ",":
            return k
    return None


def appositions_before(sp: SpacyDoc, comma: int, lo: int) -> tuple[int, int] | None:
    """Comma-separated noun phrases ending at ``comma``, back to the clause they follow: a
    segment that is the argument of another verb ("stage [a provocation]") ends the walk."""
    first: int | None = None
    boundary = comma
    while boundary > lo:
        i = boundary - 1
        while i >= lo and sp[i].text != "," and is_nominal(sp[i]):
            i -= 1
        segment = sp[i + 1:boundary]
        if not len(segment) or is_verb_argument(segment.root):
            break
        first = i + 1
        if i < lo or sp[i].text != ",":
            break
        boundary = i
    if first is None:
        return None
    return sp[first].idx, sp[comma - 1].idx + len(sp[comma - 1])


def is_verb_argument(root: Token) -> bool:
    return root.dep_ not in APPOSITION_DEPS and root.head.pos_ in {"VERB", "AUX"}


def nominal_after(sp: SpacyDoc, cue: int, hi: int) -> tuple[int, int] | None:
    """The noun phrase just after a cue ("according to [X]", "said [John Smith]")."""
    i = cue + 1
    while i < hi and (is_nominal(sp[i]) or sp[i].pos_ == "ADP" and sp[i].lower_ != "that"):
        i += 1
    if i == cue + 1:
        return None
    last = i - 1
    while last > cue and sp[last].pos_ == "ADP":
        last -= 1
    return (sp[cue + 1].idx, sp[last].idx + len(sp[last])) if last > cue else None


def has_finite_verb(tokens: Iterable[Token]) -> bool:
    return any(t.tag_ in FINITE_TAGS for t in tokens)
