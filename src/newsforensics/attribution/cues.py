"""Reporting cues on the parse, and the speaker each one names.

Three cue shapes occur in news: a reporting verb from the lexicon ("said", "warned",
"blasted"), "X as saying" (agency style), and a prepositional cue ("according to X"). The
speaker of a verb is its nominal subject; where the parse gives none, the noun phrase just
before or after the verb. Shared by the direct-quote and the reported-speech finders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lexicon import CueClass, Lexicon
from .phrases import nominal_after, nominal_before, subject_phrase

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Token

SUBJECT_DEPS = frozenset({"nsubj"})  # passive subjects are told, not telling
SPEAKER_POS = frozenset({"PROPN", "NOUN", "PRON"})
TIME_ENTITIES = frozenset({"DATE", "TIME"})
# A participle used as an adjective reports nothing: "pledged delegates", "the reported figures",
# "$7 billion announced on Wednesday" (amod, or acl with no comma between the noun and it).


class CueReader:
    """Recognises cues at a token of one parse and finds their speakers."""

    def __init__(self, sp: SpacyDoc, lex: Lexicon) -> None:
        self.sp, self.lex = sp, lex

    def verb_class(self, tok: Token) -> CueClass | None:
        """The cue class of a reporting verb, None for anything that is not one."""
        if not tok.tag_.startswith("VB") or tok.dep_ == "amod" or tok.dep_ == "acl" and tok.tag_ != "VBG" \
                and not any(t.text == "," for t in self.sp[min(tok.head.i, tok.i) + 1:tok.i]):
            # "…, Maj. Gen. X, revealed …" is a cue even when the parse hangs it off the name;
            # "an alert saying that …" is one too (its speaker is the alert's issuer)
            return None
        return self.lex.verb_class.get(tok.lower_)

    def is_as_saying(self, tok: Token) -> bool:
        """Whether ``tok`` opens "as saying" / "as quoted" (the speaker precedes it)."""
        nxt = tok.nbor(1) if tok.i + 1 < len(self.sp) else None
        return tok.lower_ == self.lex.as_lead and nxt is not None and nxt.lower_ in self.lex.as_verbs

    def prepositional(self, tok: Token) -> tuple[int, CueClass] | None:
        """A multi-word cue starting at ``tok`` ("according to"): its end token and class."""
        for words, cls in self.lex.prepositional_by_first.get(tok.lower_, ()):
            end = tok.i + len(words)
            if end <= len(self.sp) and all(
                self.sp[tok.i + k].lower_ == w for k, w in enumerate(words[1:], 1)
            ):
                return end, cls
        return None

    def is_speaker(self, span: tuple[int, int] | None) -> bool:
        """Whether a phrase can name a speaker: it has a noun, a pronoun or an entity and is
        not an impersonal pronoun ("it is said")."""
        if span is None:
            return False
        toks = [t for t in self.sp.char_span(*span, alignment_mode="expand") or ()]
        if not toks:
            return False
        if len(toks) == 1 and toks[0].lower_ in self.lex.non_speakers:
            return False
        if toks[0].pos_ == "ADP" or toks[-1].pos_ == "CCONJ":
            return False  # a fragment: "of a false flag operation", "in a statement", "troops and"
        if all(t.ent_type_ in TIME_ENTITIES or t.is_punct or t.pos_ in {"ADP", "DET"} for t in toks):
            return False  # "today", "on Tuesday": a time, not a speaker
        return any(t.pos_ in SPEAKER_POS or t.ent_type_ for t in toks)

    def speaker_of_verb(self, cue: Token, lo: int, hi: int) -> tuple[int, int] | None:
        """The speaker of a reporting verb in token range [lo, hi): its subject, else the
        phrase before or after it."""
        if any(child.dep_ == "nsubjpass" for child in cue.children):
            return None  # "the land had been promised": the subject is not the speaker
        for child in cue.children:
            if child.dep_ in SUBJECT_DEPS and lo <= child.i < hi:
                if child.lower_ in {"who", "that"} and cue.dep_ == "relcl":
                    child = cue.head
                span = subject_phrase(child, lo, hi)
                if self.is_speaker(span):
                    return span
        governing = self._governing_verb(cue)
        if governing is not None and lo <= governing.i < hi:
            # "X said …, but warned …", "X issued an alert saying …": the governing verb's subject
            head_subject = next((c for c in governing.children if c.dep_ in SUBJECT_DEPS), None)
            if head_subject is not None and lo <= head_subject.i < hi:
                span = subject_phrase(head_subject, lo, hi)
                if self.is_speaker(span):
                    return span
        before = nominal_before(self.sp, cue.i, lo)
        if self.is_speaker(before):
            return before
        after = nominal_after(self.sp, cue.i, hi)
        return after if self.is_speaker(after) else None

    def _governing_verb(self, cue: Token) -> Token | None:
        """The verb whose subject a subjectless cue shares: the reporting verb it is conjoined
        to, or the verb governing the noun a participle hangs off ("issued an alert saying")."""
        if cue.dep_ == "conj" and cue.head.i < cue.i and self.verb_class(cue.head) is not None:
            return cue.head
        if cue.dep_ in ("acl", "advcl") and cue.tag_ == "VBG":
            head = cue.head if cue.dep_ == "advcl" else cue.head.head
            return head if head.pos_ in ("VERB", "AUX") and head.i != cue.i else None
        return None

    def speaker_as_saying(self, tok: Token, lo: int) -> tuple[int, int] | None:
        """The speaker of "X as saying": the noun phrase before "as"."""
        speaker = nominal_before(self.sp, tok.i, lo)
        return speaker if self.is_speaker(speaker) else None

    def as_saying_bounds(self, tok: Token) -> tuple[int, int]:
        """Character offsets of the two-word cue "as saying" starting at ``tok``."""
        verb = tok.nbor(1)
        return tok.idx, verb.idx + len(verb)
