"""Which (fragment, technique) pairs the dossier reports, and why the others are only candidates.

The tagger and classifier were trained on PTC: political news and opinion from partisan outlets.
Read on a gardening page or a spiritual newsletter, they flag emotive but neutral prose ("crazy
swirls of clouds"), and the rarer techniques are seldom right even on news. So a pair is reported
only when all of these hold, each a reason recorded on the candidate when it fails:

- ``below-operating-point``: the fragment's span probability reaches the calibrated threshold;
- ``not-public-affairs``: the text is about public affairs — the share of its words found in a
  public-affairs lexicon (``data/public_affairs.toml``: government, elections, war, law, ...)
  reaches ``public_affairs_min``, the 5th percentile of the PTC train articles, so 95% of the
  kind of text the model knows passes;
- ``unreliable-technique``: the technique was right (overlapped an annotated span of the same
  technique) in at least ``min_technique_precision`` of the held-out fragments reported with it;
- ``not-repeated``: a Repetition fragment's words occur more than once in the text (on PTC train
  78% of gold Repetition fragments recur verbatim; the others repeat by paraphrase);
- ``bare-name``: a Name_Calling fragment is more than a name (``names.py``);
- ``paragraph-disagrees``: the paragraph-level model (SemEval-2023, other features, other
  annotations) gives the fragment's paragraph some technique with at least
  ``paragraph_agreement`` probability: on the 38 held-out PTC articles, with a paragraph model
  refitted without them, this second opinion lifts the reported fragments' span precision from
  0.71 to 0.80 and keeps 70% of them (``benchmarks/technique_agreement.py``).

The thresholds are chosen on PTC train (``newsforensics techniques calibrate``) and stored in the
model card's ``calibration``; the lexicon, percentiles and the agreement threshold
(``data/inference.toml``) are data.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

from .names import NAME_CALLING, Token, is_bare_name

BELOW_OPERATING_POINT = "below-operating-point"
NOT_PUBLIC_AFFAIRS = "not-public-affairs"
UNRELIABLE_TECHNIQUE = "unreliable-technique"
NOT_REPEATED = "not-repeated"
BARE_NAME = "bare-name"
PARAGRAPH_DISAGREES = "paragraph-disagrees"
REPETITION = "Repetition"
WORD = re.compile(r"[^\W\d_]+")
EDGE = " \t\n.,:;!?\"'“”‘’«»()[]"


@lru_cache(maxsize=1)
def public_affairs_lexicon() -> frozenset[str]:
    text = resources.files(__package__).joinpath("data/public_affairs.toml").read_text(encoding="utf-8")
    return frozenset(w.lower() for w in tomllib.loads(text)["words"])


def public_affairs_share(text: str) -> float:
    """Percent of the text's words that are in the public-affairs lexicon."""
    words = WORD.findall(text.lower())
    if not words:
        return 0.0
    lexicon = public_affairs_lexicon()
    return 100 * sum(w in lexicon for w in words) / len(words)


def normalise(text: str) -> str:
    """Lower case, every run of blanks one space: how Repetition fragments are compared."""
    return " ".join(text.lower().split())


def recurs(normalised_text: str, fragment: str) -> bool:
    """Do the fragment's words (case, spacing and edge punctuation aside) occur more than once in
    the text? ``normalised_text`` is ``normalise(text)``, computed once per text by the caller."""
    words = normalise(fragment).strip(EDGE)
    first = normalised_text.find(words) if words else -1
    return first >= 0 and normalised_text.find(words, first + len(words)) >= 0


@dataclass(frozen=True)
class ReportingRules:
    """The calibrated thresholds a model card carries (neutral defaults for an older card)."""

    report_threshold: float = 0.0
    public_affairs_min: float = 0.0
    unreliable: frozenset[str] = frozenset()
    paragraph_agreement: float = 0.0

    @classmethod
    def from_calibration(cls, calibration: Mapping[str, Any],
                         paragraph_agreement: float = 0.0) -> ReportingRules:
        return cls(float(calibration.get("report_threshold", 0.0)),
                   float(calibration.get("public_affairs_min", 0.0)),
                   frozenset(calibration.get("unreliable_techniques", ())), paragraph_agreement)

    def article_reason(self, text: str) -> str | None:
        """The reason every fragment of this text is only a candidate, or None."""
        if self.public_affairs_min and public_affairs_share(text) < self.public_affairs_min:
            return NOT_PUBLIC_AFFAIRS
        return None

    def for_text(self, text: str, support: Callable[[int], float] | None = None) -> TextRules:
        """The rules applied to the fragments of one text (what depends on the whole text is
        computed once for all of them); ``support(offset)`` is the paragraph model's opinion of
        the paragraph at ``offset`` (``paragraphs.ParagraphScores.support``; None: not asked)."""
        return TextRules(self, text, support)


class TextRules:
    """The reporting rules over one text: the topic gate is read once, and the normalised text
    (for Repetition) once, when a Repetition fragment first needs it."""

    def __init__(self, rules: ReportingRules, text: str,
                 support: Callable[[int], float] | None = None) -> None:
        self.rules, self.text, self.support = rules, text, support

    @cached_property
    def off_topic(self) -> str | None:
        return self.rules.article_reason(self.text)

    @cached_property
    def normalised(self) -> str:
        return normalise(self.text)

    def reason(self, start: int, end: int, span_probability: float, technique: str,
               tokens: Callable[[], Iterable[Token] | None]) -> str | None:
        """Why this (fragment, technique) is not reported, or None; ``tokens`` gives the
        fragment's parsed tokens (called only for Name_Calling, as parsing costs)."""
        rules = self.rules
        if self.off_topic:
            return self.off_topic
        if span_probability < rules.report_threshold:
            return BELOW_OPERATING_POINT
        if technique in rules.unreliable:
            return UNRELIABLE_TECHNIQUE
        if technique == REPETITION and not recurs(self.normalised, self.text[start:end]):
            return NOT_REPEATED
        if technique == NAME_CALLING:
            parsed = tokens()
            if parsed is not None and is_bare_name(self.text[start:end], parsed):
                return BARE_NAME
        if (rules.paragraph_agreement and self.support is not None
                and self.support(start) < rules.paragraph_agreement):
            return PARAGRAPH_DISAGREES
        return None
