"""Whether a sentence carries a narrative, attributes it to someone, or reports its denial.

A sentence such as "Moscow denied the reports" or "fact-checkers called the claim baseless"
mentions a narrative without carrying it, and must not count as carrying it. The ``framing``
stage's reading comes first: a sentence a debunk restates in order to refute it is denied by the
item itself. Then three kinds of evidence: the ``denials`` stage's spans (denials and refutations, with the denier), debunk cues
in the sentence (``data/stance.toml``, several languages), and the quotes stage's reading of
who speaks (an attributed statement whose cue is a denial verb is a denial; an attributed one
is someone else's claim, which the outlet reports).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..document import Document, Span

CARRIED, ATTRIBUTED, DENIED = "carried", "attributed", "denied"


@dataclass(frozen=True, slots=True)
class Stance:
    label: str              # carried | attributed | denied
    cue: str | None         # the denial words, or the attribution cue
    speaker: str | None     # who is quoted, for attributed and denied statements


@dataclass(frozen=True)
class StanceRules:
    denial: re.Pattern[str]
    denial_semantics: frozenset[str]


@lru_cache(maxsize=1)
def rules() -> StanceRules:
    raw = tomllib.loads(resources.files(__package__).joinpath("data/stance.toml").read_text("utf-8"))
    patterns = [p for patterns in raw["denial"].values() for p in patterns]
    return StanceRules(re.compile("|".join(f"(?:{p})" for p in patterns)),
                       frozenset(raw["attribution"]["denial_semantics"]))


def denial_cue(text: str) -> str | None:
    """The first denial/debunk cue in a text, if any."""
    found = rules().denial.search(text.casefold())
    return found.group() if found else None


def sentence_stance(doc: Document, sentence: Span) -> Stance:
    """The stance of one sentence of ``doc`` (reads the ``voice`` and ``quotes`` layers when present)."""
    voice = doc.covering("voice", sentence.start, sentence.end)
    quote = None
    if voice is not None and voice.attrs.get("quote"):
        quote = next((q for q in doc.get("quotes") if q.id == voice.attrs["quote"]), None)
    speaker = voice.attrs.get("speaker") if voice is not None else None
    framing = doc.covering("framing", sentence.start, sentence.end)
    if framing is not None and framing.label == "refuted":  # a debunk restating the claim it refutes
        return Stance(DENIED, "refuted by the item (debunk)", None)
    denial = next((d for d in doc.get("denials") if d.overlaps(sentence.start, sentence.end)), None)
    if denial is not None:
        return Stance(DENIED, denial.attrs.get("cue") or denial.text, denial.attrs.get("denier") or speaker)
    cue = denial_cue(sentence.text)
    if cue is not None:
        return Stance(DENIED, cue, speaker)
    if quote is not None and quote.attrs.get("semantics") in rules().denial_semantics:
        return Stance(DENIED, quote.attrs.get("cue"), speaker)
    if voice is not None and voice.label in ("quoted", "attributed"):
        return Stance(ATTRIBUTED, quote.attrs.get("cue") if quote is not None else None, speaker)
    if framing is not None and framing.label == "reported":  # "Selon Sputnik, …": another outlet's
        return Stance(ATTRIBUTED, framing.attrs.get("cue"), framing.attrs.get("by"))
    if doc.sections.get("genre", {}).get("label") == "debunk":
        # a fact-check's own sentences about a narrative argue against it; none carries it
        return Stance(DENIED, "the item is a debunk", None)
    return Stance(CARRIED, None, None)
