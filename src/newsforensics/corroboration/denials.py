"""Denials and refutations inside one article, and which of its claims they deny.

Two sources of evidence, merged per sentence: quotes whose reporting verb has denial semantics
(the attribution lexicon: "denied that …", "rejected the claims"), and the multilingual cue
patterns of ``data/denials.toml`` (nouns and phrases the quotes stage does not see:
"called the reports false", "dismissed … as fabrication", "a démenti", "опроверг").

Each denial says who denies (the quote's resolved speaker, the sentence's voice, else the
short subject before the cue, else the nearest named actor before it, else the outlet), the cue, and what is denied: the
proposition when the denial states it ("denied that any soldiers were in Syria"), or, for a
denial that only points at claims made elsewhere ("rejected the claims"), the article's earlier
claims by others that it most plausibly refers to.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from ..document import Document, Span

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
_NAME = re.compile(r"(?:(?<=\s)|^)((?:[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ][\w'’.-]*\s+){0,3}[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ][\w'’-]+)")
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
PERSON_PRONOUNS = frozenset({"he", "she", "il", "elle", "er", "sie", "lui", "lei", "él", "ella", "он", "она", "він", "вона"})


@dataclass(frozen=True)
class Cue:
    kind: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Lexicon:
    cues: dict[str, tuple[Cue, ...]]
    negations: dict[str, frozenset[str]]
    reference: re.Pattern[str]
    negation_window: int
    max_targets: int
    max_subject_words: int
    auxiliaries: dict[str, frozenset[str]]
    # Verb-first languages (Arabic): who denies follows the cue, up to one of these words.
    subject_follows: dict[str, frozenset[str]]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    raw = tomllib.loads(resources.files(__package__).joinpath("data/denials.toml").read_text("utf-8"))
    cues, negations = {}, {}
    for lang in raw["language"]:
        cues[lang["code"]] = tuple(Cue(c["kind"], re.compile(p, re.IGNORECASE))
                                   for c in lang["cue"] for p in c["patterns"])
        negations[lang["code"]] = frozenset(lang["negations"])
    limits = raw["limits"]
    return Lexicon(cues, negations, re.compile(raw["reference"]["pattern"], re.IGNORECASE),
                   int(limits["negation_window"]), int(limits["max_targets"]),
                   int(limits["max_subject_words"]),
                   {lang["code"]: frozenset(lang.get("auxiliaries", ())) for lang in raw["language"]},
                   {lang["code"]: frozenset(lang["subject_ends"]) for lang in raw["language"]
                    if lang.get("subject_follows")})


@dataclass(slots=True)
class Denial:
    """One denial or refutation found in a sentence."""

    sentence: Span
    kind: str                       # "denial" | "refutation"
    cue: tuple[int, int]
    denier: str | None
    denier_source: str              # "quote" | "voice" | "subject" | "actor" | "outlet" | "subject-of-article"
    quote: str | None = None
    content: tuple[int, int] | None = None   # the denied proposition, when stated
    targets: list[str] = field(default_factory=list)  # ids of the article's claims it denies


def _negated(text: str, cue_start: int, negations: frozenset[str], window: int) -> bool:
    """A negation just before the cue ("did not deny", "there's no denying", "n'a pas démenti")."""
    before = [w.lower() for w in _WORD.findall(text[:cue_start].replace("\u2019", "'"))][-window:]
    return any(w in negations or w.endswith("n't") for w in before)


def _language(doc: Document) -> str:
    lang = doc.language
    return lang if lang in lexicon().cues else "en"


def _nearest_actor(doc: Document, sentence: Span, cue_start: int) -> str | None:
    """The last named actor before the cue: from the entities layer when it ran (a capitalised
    sentence opening such as "However" is no actor), else the last capitalised name that does
    not open the sentence."""
    if "entities" in doc.layers:
        actors = [e for e in doc.spans_in("entities", sentence.start, cue_start) if e.label in ACTOR_LABELS]
        return (actors[-1].attrs.get("name") or actors[-1].text) if actors else None
    names = [m for m in _NAME.finditer(doc.text[sentence.start:cue_start]) if m.start(1) > 0]
    return names[-1].group(1).strip() if names else None


def _lexical(doc: Document, sentence: Span, lex: Lexicon, lang: str) -> list[tuple[str, int, int]]:
    found = []
    text = doc.text[sentence.start:sentence.end]
    for cue in lex.cues[lang]:
        for m in cue.pattern.finditer(text):
            if not _negated(text, m.start(), lex.negations[lang], lex.negation_window):
                found.append((cue.kind, sentence.start + m.start(), sentence.start + m.end()))
    return sorted(found, key=lambda f: (f[0] != "denial", f[1]))


def find_denials(doc: Document) -> list[Denial]:
    """Every sentence that denies or refutes something, with its denier and what it denies."""
    lex = lexicon()
    lang = _language(doc)
    quotes = doc.get("quotes")
    voices = {v.start: v for v in doc.get("voice")}
    denials: list[Denial] = []
    for sentence in doc.get("sentences"):
        in_sentence = [q for q in quotes if q.overlaps(sentence.start, sentence.end)]
        by_semantics = [q for q in in_sentence if q.attrs.get("semantics") == "denial"
                        and not _negated_cue(doc, sentence, q, lex, lang)]
        lexical = _lexical(doc, sentence, lex, lang)
        if not by_semantics and not lexical:
            continue
        if by_semantics:
            quote = by_semantics[0]
            kind, cue = "denial", tuple(quote.attrs.get("cue_span") or (quote.start, quote.end))
        else:
            kind, start, end = lexical[0]
            cue = (start, end)
            quote = next((q for q in in_sentence if q.overlaps(start, end) or _cue_of(q, start, end)), None)
        denier, source = _denier(doc, sentence, quote, voices.get(sentence.start), cue[0], lex, lang,
                                 named=kind == "denial")
        content = None
        if quote is not None and (quote.attrs.get("semantics") == "denial" or _cue_of(quote, *cue)):
            c_start, c_end = quote.attrs["content_span"]
            if not lex.reference.match(doc.text[c_start:c_end].strip()):
                content = (c_start, c_end)
            elif _pronoun_speaker(doc, quote):
                # "He has always denied the allegations": the accused denies, not the official
                # quoted last; the accused is the person the article is about
                denier, source = _principal_person(doc) or denier, "subject-of-article"
        denials.append(Denial(sentence, kind, cue, denier, source, quote.id if quote else None, content))
    _link_targets(doc, denials, lex)
    return denials


def _pronoun_speaker(doc: Document, quote: Span) -> bool:
    mention = quote.attrs.get("speaker_mention")
    return bool(mention) and doc.text[mention[0]:mention[1]].strip().lower() in PERSON_PRONOUNS


def _principal_person(doc: Document) -> str | None:
    """The person the article is about: the one its title names, else the one named most."""
    people: dict[str, int] = {}
    for e in doc.get("entities"):
        if e.label == "PERSON":
            name = str(e.attrs.get("canonical") or e.text)
            people[name] = people.get(name, 0) + 1
    title = doc.meta.title or ""
    in_title = [p for p in people if p.split()[-1] in title]
    ranked = sorted(in_title or people, key=lambda p: -people[p])
    return ranked[0] if ranked else None


def _negated_cue(doc: Document, sentence: Span, quote: Span, lex: Lexicon, lang: str) -> bool:
    cue = quote.attrs.get("cue_span")
    if not cue or not sentence.start <= cue[0] <= sentence.end:
        return False
    return _negated(doc.text[sentence.start:cue[0]], cue[0] - sentence.start, lex.negations[lang],
                    lex.negation_window)


def _cue_of(quote: Span, start: int, end: int) -> bool:
    """Whether [start, end) is the quote's own reporting verb ("Belgium denies …")."""
    cue = quote.attrs.get("cue_span")
    return bool(cue) and cue[0] < end and start < cue[1]


def _subject(doc: Document, sentence: Span, cue_start: int, lex: Lexicon, lang: str) -> str | None:
    """A short sentence opening before the cue, less its auxiliaries, is who denies
    ("Le ministère belge de la Défense a démenti …")."""
    if lang in lex.subject_follows:
        return _subject_after(doc, sentence, cue_start, lex.subject_follows[lang], lex)
    words = doc.text[sentence.start:cue_start].split()
    while words and words[-1].lower() in lex.auxiliaries.get(lang, frozenset()):
        words.pop()
    if 0 < len(words) <= lex.max_subject_words and words[0][:1].isupper():
        return " ".join(words).strip(" ,;:\"'“”«»")
    return None


def _subject_after(doc: Document, sentence: Span, cue_start: int, ends: frozenset[str],
                   lex: Lexicon) -> str | None:
    """In a verb-first sentence ("ونفت وزارة الدفاع …"), the words after the cue up to the
    denied object, a complementiser or a punctuation mark."""
    after = doc.text[cue_start:sentence.end].split()[1:]
    words: list[str] = []
    for word in after[:lex.max_subject_words]:
        bare = word.strip(".,;:!?،؛\"'“”«»")
        if bare in ends or not bare:
            break
        words.append(bare)
        if bare != word:
            break
    return " ".join(words) or None


def _denier(doc: Document, sentence: Span, quote: Span | None, voice: Span | None,
            cue_start: int, lex: Lexicon, lang: str, *, named: bool) -> tuple[str | None, str]:
    """Who denies. Only a denial (``named``) looks for its subject in the sentence: what opens
    a refutation ("The claim that … is false") is the refuted claim, not who refutes it."""
    if quote is not None and quote.attrs.get("speaker"):
        return quote.attrs["speaker"], "quote"
    if voice is not None and voice.attrs.get("speaker"):
        return voice.attrs["speaker"], "voice"
    if named:
        # Entities, when they ran, name the actor; a sentence opening stands in where they found
        # none (a model that misses "El ministerio belga").
        actor = _nearest_actor(doc, sentence, cue_start)
        if actor and "entities" in doc.layers:
            return actor, "actor"
        subject = _subject(doc, sentence, cue_start, lex, lang)
        if subject:
            return subject, "subject"
        if actor:
            return actor, "actor"
    return doc.meta.outlet, "outlet"


def _link_targets(doc: Document, denials: list[Denial], lex: Lexicon) -> None:
    """Which claims each denial denies: those inside its stated proposition; for a denial that
    only points at "the claims", the nearest earlier claims made by someone else."""
    claims = doc.get("claims")
    denial_sentences = {(d.sentence.start, d.sentence.end) for d in denials}
    for d in denials:
        if d.content is not None:
            d.targets = [c.id for c in claims if c.overlaps(*d.content)]
            continue
        earlier = [c for c in claims if c.end <= d.sentence.start
                   and not any(s <= c.start < e for s, e in denial_sentences)
                   and (c.attrs.get("attribution") or {}).get("speaker") != d.denier]
        d.targets = [c.id for c in earlier[-lex.max_targets:]]


def denial_spans(doc: Document, stage: str) -> list[Span]:
    """The ``denials`` layer: one span per denying sentence, its evidence in the attributes."""
    spans = []
    for d in find_denials(doc):
        spans.append(doc.span(
            d.sentence.start, d.sentence.end, d.kind, stage=stage, score=0.9 if d.quote else 0.7,
            denier=d.denier, denier_source=d.denier_source, cue=doc.text[d.cue[0]:d.cue[1]],
            cue_span=list(d.cue), quote=d.quote,
            content=doc.text[d.content[0]:d.content[1]] if d.content else None,
            content_span=list(d.content) if d.content else None, targets=d.targets,
            sentence=d.sentence.id or None,
        ))
    return spans


def claim_statuses(doc: Document) -> list[dict[str, Any]]:
    """Each claim's status within this article alone: denied here (by whom, with which
    sentence), itself a denial, or not contested here. A corpus adds the cross-item status."""
    denials = doc.get("denials")
    out = []
    for claim in doc.get("claims"):
        by = [d for d in denials if claim.id in d.attrs.get("targets", [])]
        is_denial = any(d.overlaps(claim.start, claim.end) and claim.id not in d.attrs.get("targets", [])
                        for d in denials)
        status = "denied" if by else ("is-denial" if is_denial else "uncontested-in-article")
        out.append({
            "claim": claim.id, "text": claim.text, "status": status,
            "denied_by": [{"denier": d.attrs.get("denier"), "denial": d.id, "kind": d.label,
                           "cue": d.attrs.get("cue"), "published": doc.meta.published} for d in by],
        })
    return out
