"""Reporting cues on the parse, and the speaker each one names.

Three cue shapes occur in news: a reporting verb from the lexicon ("said", "warned",
"blasted"), "X as saying" (agency style), and a prepositional cue ("according to X"). The
speaker of a verb is its nominal subject; where the parse gives none, the noun phrase just
before or after the verb. Shared by the direct-quote and the reported-speech finders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lexicon import CueClass, Lexicon
from .phrases import TIME_ENTITIES, nominal_after, nominal_before, subject_phrase

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Token

SUBJECT_DEPS = frozenset({"nsubj"})  # passive subjects are told, not telling
SPEAKER_POS = frozenset({"PROPN", "NOUN", "PRON"})
CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "parataxis"})
RELATIVE_TAGS = frozenset({"WP", "WDT"})
OBJECT_DEPS = frozenset({"dobj", "dative", "iobj", "oprd"})  # "called the march peaceful"
# A participle used as an adjective reports nothing: "pledged delegates", "the reported figures",
# "$7 billion announced on Wednesday" (amod, or acl with no comma between the noun and it).


def is_acronym(tok: Token) -> bool:
    return len(tok.text) > 1 and tok.text.isupper()


class CueReader:
    """Recognises cues at a token of one parse and finds their speakers."""

    def __init__(self, sp: SpacyDoc, lex: Lexicon) -> None:
        self.sp, self.lex = sp, lex

    def verb_class(self, tok: Token) -> CueClass | None:
        """The cue class of a reporting verb, None for anything that is not one."""
        if not tok.tag_.startswith("VB") or tok.dep_ == "amod" or tok.dep_ == "acl" and tok.tag_ != "VBG" \
                and not (self._comma_between(tok.head, tok) and tok.tag_ != "VBN"):
            # "…, Maj. Gen. X, revealed …" is a cue even when the parse hangs it off the name;
            # "an alert saying that …" is one too (its speaker is the alert's issuer); "the
            # settlement, confirmed in court documents" is a participle, not a cue
            return None
        if self._object_relative(tok) or self._scare_quoted(tok) or any(
                c.dep_ == "prt" and (tok.lower_, c.lower_) in self.lex.phrasal_non_cues for c in tok.children):
            return None
        found = self.lex.verb_class.get(tok.lower_)
        if found is None and tok.lower_ in self.lex.noun_cue_verbs and self._attitude(tok) is not None:
            return self.lex.noun_cue_class
        return found

    def _attitude(self, tok: Token) -> Token | None:
        """The attitude noun a verb of expressing takes ("voiced [alarm] that …")."""
        return next((c for c in tok.children if c.dep_ == "dobj" and c.lower_ in self.lex.noun_cue_nouns),
                    None)

    def content_clause(self, tok: Token, lo: int, hi: int) -> Token | None:
        """The clause a cue reports: its own ("warned [that …]"), or, for a noun cue, the
        clause on its attitude noun ("voiced alarm [that …]")."""
        clause = next((c for c in tok.children if c.dep_ in CLAUSE_DEPS and lo <= c.i < hi), None)
        noun = self._attitude(tok) if clause is None and tok.lower_ not in self.lex.verb_class else None
        if noun is not None:
            clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp") and lo <= c.i < hi
                           and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
        return clause

    def _comma_between(self, head: Token, tok: Token) -> bool:
        return any(t.text == "," for t in self.sp[min(head.i, tok.i) + 1:max(head.i, tok.i)])

    def _scare_quoted(self, tok: Token) -> bool:
        """ "officials are “finding” ballots": a word in quotation marks of its own is
        mentioned, not used as a cue."""
        return 0 < tok.i < len(self.sp) - 1 and self.sp[tok.i - 1].is_quote and self.sp[tok.i + 1].is_quote

    def _object_relative(self, tok: Token) -> bool:
        """ "the things the minister says about Jews", "the judgments God warned about": a cue
        in a relative clause whose gap is its object describes what was said and reports no
        statement. One whose relative pronoun is the subject ("Benedict, who lamented …") or
        that has a content clause still reports one, and so does a cue set off by a comma
        (the parse hangs "…, the WHO said." off the last noun as a relative clause)."""
        if tok.dep_ != "relcl" or tok.head.i > tok.i or self._comma_between(tok.head, tok.left_edge):
            return False
        children = list(tok.children)
        return not any(c.dep_ in CLAUSE_DEPS or c.dep_ in SUBJECT_DEPS and c.tag_ in RELATIVE_TAGS
                       or c.tag_ == "WRB" for c in children)  # "2 Timothy 4, where Paul says, “…”"

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
        if len(toks) == 1 and toks[0].lower_ in self.lex.non_speakers and not is_acronym(toks[0]):
            return False  # "it", "who" — but "WHO" is the World Health Organization
        if toks[0].pos_ == "ADP" or toks[-1].pos_ == "CCONJ":
            return False  # a fragment: "of a false flag operation", "in a statement", "troops and"
        if all(t.ent_type_ in TIME_ENTITIES or t.is_punct or t.pos_ in {"ADP", "DET"} for t in toks):
            return False  # "today", "on Tuesday": a time, not a speaker
        return any(t.pos_ in SPEAKER_POS and not (t.pos_ == "PRON" and t.lower_ in self.lex.non_speakers
                                                  and not is_acronym(t))
                   or t.ent_type_ for t in toks)  # "It's hard [to know]" names no one, "WHO estimates" does

    def speaker_of_verb(self, cue: Token, lo: int, hi: int) -> tuple[int, int] | None:
        """The speaker of a reporting verb in token range [lo, hi): its subject, else the
        phrase before or after it."""
        if any(child.dep_ == "nsubjpass" for child in cue.children):
            return None  # "the land had been promised": the subject is not the speaker
        # nearest the cue first: "Brady Campaign co-president Kris Brown said" parses as three subjects
        for child in sorted(cue.children, key=lambda c: abs(cue.i - c.i)):
            if child.dep_ in SUBJECT_DEPS and lo <= child.i < hi:
                if cue.dep_ == "relcl" and not is_acronym(child) and (child.lower_ in {"who", "that"} or (
                        child.lower_ == "which" and cue.head.lower_ in self.lex.documents)):
                    # "an alert, which states": the document (its issuer, see speakers.py)
                    child = cue.head
                span = subject_phrase(child, lo, hi)
                if self.is_speaker(span) or child.lower_ in self.lex.organisation_pronouns:
                    return span  # "which it said": "it" is resolved to an organisation
        governing = self._governing_verb(cue)
        if governing is not None and lo <= governing.i < hi:
            # "X said …, but warned …", "X issued an alert saying …": the governing verb's subject
            head_subject = next((c for c in governing.children
                                 if c.dep_ in SUBJECT_DEPS and lo <= c.i < hi), None)
            span = subject_phrase(head_subject, lo, hi) if head_subject is not None else \
                nominal_before(self.sp, governing.i, lo)  # a subject the parse hung elsewhere
            if self.is_speaker(span):
                return span
        after = nominal_after(self.sp, cue.i, hi)
        if after is not None and self._inverted_aside(cue, after) and self.is_speaker(after):
            return after  # "…, explained the Italian professor, …": the speaker follows its cue
        before = nominal_before(self.sp, cue.i, lo)
        if self.is_speaker(before):
            return before
        clause = next((c for c in cue.children if c.dep_ in CLAUSE_DEPS and c.i > cue.i), None)
        if after is not None and clause is not None and clause.left_edge.idx <= after[0]:
            return None  # "warned the next outbreak would be worse": the content's subject
        if after is not None and any(c.dep_ in OBJECT_DEPS and c.idx >= after[0] for c in cue.children
                                     if c.idx < after[1]):
            return None  # "denying his affair", "told NBC": the object, not the speaker
        return after if self.is_speaker(after) else None

    def _inverted_aside(self, cue: Token, after: tuple[int, int]) -> bool:
        """A subjectless cue set off by commas with a noun phrase after it, up to a comma
        (", explained the Italian professor and theologian, …")."""
        end = self.sp.char_span(*after, alignment_mode="expand")
        return cue.i > 0 and self.sp[cue.i - 1].text == "," and end is not None and end.end < len(self.sp) \
            and self.sp[end.end].text == "," and self.sp[cue.i + 1].pos_ == "DET"

    def _governing_verb(self, cue: Token) -> Token | None:
        """The verb whose subject a subjectless cue shares: the verb it is conjoined
        to, or the verb governing the noun a participle hangs off ("issued an alert saying")."""
        if cue.dep_ == "conj" and cue.head.i < cue.i and cue.head.pos_ in ("VERB", "AUX"):
            return cue.head  # "Davis called him …, and later said …": any verb it is conjoined to
        if cue.dep_ == "xcomp" and cue.head.pos_ in ("VERB", "AUX") and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in cue.children):
            return cue.head  # "X appeared to warn …", "went on to say …" (not "opposed denying …")
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
