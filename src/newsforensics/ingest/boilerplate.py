"""Line-level boilerplate rules, shared by the plain-text cleaner and the HTML post-cleaner.

Flattened page dumps and extracted HTML bodies carry the same debris (donation widgets,
"Read more" links, share buttons, cookie notices, photo credits), so one rule set, kept as
data in ``data/boilerplate.toml``, classifies lines for both. All patterns of all rules are
each rule only looks at lines up to its ``max_chars`` (long body paragraphs stay out of reach
of loose patterns, and regex work on huge inputs stays bounded) and, for rules with costly
unanchored patterns, only at lines containing one of its ``requires`` keywords.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from ..errors import InputError


@dataclass(frozen=True, slots=True)
class Verdict:
    """Why a line is not article body."""

    rule: str
    kind: str  # "boilerplate" | "caption"
    reason: str
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    kind: str
    reason: str
    max_chars: int
    requires: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]

    def applies_to(self, line: str, folded: str) -> bool:
        return len(line) <= self.max_chars and (
            not self.requires or any(keyword in folded for keyword in self.requires)
        )


class Rules:
    """The compiled rule set and the limits that go with it."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.limits: dict[str, int] = dict(config.get("limits", {}))
        self._rules = tuple(
            _Rule(r["name"], r["kind"], r["reason"], int(r["max_chars"]), tuple(r.get("requires", ())),
                  tuple(re.compile(p, re.IGNORECASE) for p in r["patterns"]))
            for r in config.get("rule", [])
        )
        self._max_chars = max((r.max_chars for r in self._rules), default=0)

    def classify(self, line: str) -> Verdict | None:
        """The first rule (in file order) a line falls under, or None when it may be body."""
        line = line.strip()
        if not line or len(line) > self._max_chars:
            return None
        folded = line.casefold()
        for rule in self._rules:
            if not rule.applies_to(line, folded):
                continue
            for pattern in rule.patterns:
                match = pattern.search(line)
                if match:
                    attrs: dict[str, Any] = {"rule": rule.name}
                    credit = (match.groupdict().get("credit") or "").strip(" /.,:-")
                    if credit:
                        attrs["credit"] = credit
                    return Verdict(rule.name, rule.kind, rule.reason, attrs)
        return None


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The packaged rule set (loaded once)."""
    data = resources.files("newsforensics.ingest").joinpath("data/boilerplate.toml").read_text("utf-8")
    return Rules(tomllib.loads(data))


def check_size(text: str, limit_name: str, what: str) -> None:
    """Refuse an item too large to be one article, in one clear sentence."""
    limit = rules().limits.get(limit_name)
    if limit and len(text) > limit:
        raise InputError(
            f"the item is {len(text):,} characters of {what}; one news item may have at most "
            f"{limit:,} (split it into articles)"
        )


def comparable(line: str) -> str:
    """A line folded for duplicate detection: case, accents' forms, spacing, edge punctuation."""
    folded = unicodedata.normalize("NFKC", line).casefold()
    return " ".join(folded.split()).strip(" .:;,!?-–—|\"'“”‘’«»")


def is_title_like(line: str, limits: dict[str, int]) -> bool:
    """A short line that reads like a headline rather than a body sentence."""
    stripped = line.strip()
    words = len(stripped.split())
    return (
        limits.get("headline_min_words", 2) <= words <= limits.get("headline_max_words", 30)
        and len(stripped) <= limits.get("headline_max_chars", 250)
        and not stripped.endswith((".", ",", ";", ":"))
        and any(ch.isalpha() for ch in stripped)
    )
