"""A page's own fingerprint: what an outlet prints on every page, and the index that learns it.

Without a URL, an item still carries its publisher's furniture: widget and boilerplate lines that
extraction cut (kept as ``Removed`` records with their text), the site name and byline in the
metadata, copyright lines and footers at the edges of the text, and self-mentions of the
outlet's name. Each becomes a ``Feature``. Seeded names (``data/outlets.toml``) map straight to a
domain; everything else is looked up in a ``FingerprintIndex`` learned from items whose outlet is
known (from their URL), so an outlet's recurring furniture identifies its other items. Agency
names in datelines and photo credits are collected as credits, not as the publisher.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..document import Document
from .config import Outlet, seeded_outlets, settings
from .profiles import domain_for_name

_DIGITS = re.compile(r"\d(?:[\d,.\u202f\u00a0]*\d)?")
_DASHES = re.compile(r"[‐-―−]")
_COPYRIGHT = re.compile(r"©|\(c\)|\bcopyright\b|\ball rights reserved\b|\btous droits réservés\b|"
                        r"\balle rechte vorbehalten\b|\bвсе права защищены\b", re.IGNORECASE)
# The holder in a copyright line: "© 2018 Canada Free Press. All rights reserved".
_HOLDER = re.compile(r"(?:©|\(c\)|copyright)\s*(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?)?\s*[,:]?\s*"
                     r"(?P<holder>[^\W\d][^.|,©;]{1,60}?)\s*(?:[.|,;]|\ball rights\b|$)", re.IGNORECASE)
_BYLINE_PARTS = re.compile(r"\s*(?:[,;|/&]|\band\b|\bund\b|\bet\b)\s*", re.IGNORECASE)
_DATELINE_WINDOW = 160  # agency datelines ("KYIV (Reuters) -") sit at the start of the body
# A "caption" that states rights or a year is the page's copyright footer, not a photo credit.
_FOOTER = re.compile(r"rights reserved|droits réservés|rechte vorbehalten|права защищены|\b(?:19|20)\d\d\b",
                     re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Feature:
    """One piece of page furniture. ``key`` is what the index counts; ``domain`` is set when a
    seeded name already says which outlet it is."""

    kind: str   # "site" | "author" | "line" | "furniture" | "self-mention" | "mention-at-edge"
    key: str
    text: str
    where: str
    domain: str | None = None

    def evidence(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "where": self.where}


@dataclass(frozen=True, slots=True)
class Credit:
    """Content credited to a news agency (dateline, photo credit): not the publisher."""

    agency: str
    domain: str
    text: str
    where: str


@lru_cache(maxsize=1)
def _name_pattern() -> tuple[re.Pattern[str], dict[str, Outlet]]:
    """One alternation of every seeded name, longest first, as whole words."""
    by_name = {name: o for o in seeded_outlets() for name in o.names}
    names = sorted(by_name, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")
    return pattern, by_name


def normalise_line(line: str) -> str:
    """A furniture line folded so that its other printings compare equal (case, digits such as
    dates and counters, spacing, edge punctuation)."""
    folded = unicodedata.normalize("NFKC", line).casefold()
    folded = _DASHES.sub("-", _DIGITS.sub("0", " ".join(folded.split())))
    return folded.strip(" .:;,!?-–—|\"'“”‘’«»()[]")


def named_outlets(text: str) -> Iterator[tuple[str, Outlet]]:
    """Seeded outlet names in a text, with the outlet each names."""
    pattern, by_name = _name_pattern()
    for m in pattern.finditer(text):
        yield m.group(0), by_name[m.group(0)]


def _edge_paragraphs(doc: Document) -> list[str]:
    s = settings().fingerprint
    body = [p for p in doc.text.split("\n") if p.strip()]
    if doc.meta.title and body and body[0].strip() == doc.meta.title.strip():
        body = body[1:]
    head, tail = body[:s["edge_paragraphs_head"]], body[s["edge_paragraphs_head"]:][-s["edge_paragraphs_tail"]:]
    return [p.strip() for p in head + tail if len(p.strip()) <= s["edge_max_chars"]]


@lru_cache(maxsize=1)
def _seeded_furniture() -> dict[str, str]:
    """Seeded furniture lines (folded) → the outlet that prints them."""
    return {normalise_line(line): o.domain for o in seeded_outlets() for line in o.furniture}


def _line_feature(text: str, where: str) -> Feature | None:
    s = settings().fingerprint
    key = normalise_line(text)
    if not s["min_line_chars"] <= len(key) <= s["max_line_chars"]:
        return None
    seeded = _seeded_furniture().get(key)
    if seeded is not None:
        return Feature("furniture", f"name:{seeded}", text.strip(), f"{where}, seeded furniture of {seeded}",
                       seeded)
    return Feature("line", f"line:{key}", text.strip(), where)


def _spelled_domain(name: str, where: str, kind: str) -> Iterator[Feature]:
    """A rated domain the declared name spells ("Canada Free Press" → canadafreepress.com)."""
    domain = domain_for_name(name)
    if domain is not None:
        yield Feature(kind, f"name:{domain}", name.strip(), f"{where}, spelling the rated domain {domain}",
                      domain)


def _copyright_holder(text: str) -> str | None:
    m = _HOLDER.search(text)
    return m.group("holder").strip() if m else None


def _mentions(text: str, where: str, kind: str, credits: list[Credit] | None) -> Iterator[Feature]:
    """Self-mentions of seeded outlets. An agency named outside a copyright line is a credit
    (collected when ``credits`` is given: furniture lines), not the publisher; in a copyright
    line it is the publisher ("© 2024 Reuters")."""
    copyright_line = bool(_COPYRIGHT.search(text))
    named = list(named_outlets(text))
    holder = _copyright_holder(text) if copyright_line and not named else None
    if holder:
        yield from _spelled_domain(holder, where, "self-mention")
    for name, outlet in named:
        if outlet.agency and not copyright_line:
            if credits is not None:
                credits.append(Credit(name, outlet.domain, text.strip(), where))
            continue
        yield Feature("self-mention" if copyright_line or kind == "self-mention" else kind,
                      f"name:{outlet.domain}", text.strip(), where, outlet.domain)


def extract_features(doc: Document) -> tuple[list[Feature], list[Credit]]:
    """The fingerprint of one document: its furniture features and its agency credits."""
    features: list[Feature] = []
    credits: list[Credit] = []
    meta = doc.meta
    if meta.site_name:
        features.append(Feature("site", f"site:{normalise_line(meta.site_name)}", meta.site_name,
                                "site name (page metadata)"))
        site_mentions = list(_mentions(meta.site_name, "site name (page metadata)", "self-mention", credits))
        features += site_mentions or _spelled_domain(meta.site_name, "site name (page metadata)", "site")
    if meta.author:
        # A byline may list several people and a tagline: each part is its own feature.
        for part in _BYLINE_PARTS.split(meta.author):
            if part.strip():
                features.append(Feature("author", f"author:{normalise_line(part)}", part.strip(),
                                        "byline (page metadata)"))
        features += _mentions(meta.author, "byline (page metadata)", "self-mention", credits)
    for removed in doc.removed:
        if removed.kind == "caption" and not _FOOTER.search(removed.text):
            credit = removed.attrs.get("credit") or removed.text
            credits += [Credit(n, o.domain, removed.text, "photo credit") for n, o in named_outlets(credit)
                        if o.agency]
            continue
        where = f"removed {removed.kind} line ({removed.attrs.get('rule', removed.reason)})"
        line = _line_feature(removed.text, where)
        if line is not None:
            features.append(line)
        features += _mentions(removed.text, where, "self-mention", credits)
    for paragraph in _edge_paragraphs(doc):
        line = _line_feature(paragraph, "short paragraph at the edge of the text")
        if line is not None:
            features.append(line)
        features += _mentions(paragraph, "short paragraph at the edge of the text", "mention-at-edge",
                              None)
    credits += _dateline_credits(doc)
    return _unique(features), _unique(credits)


def _dateline_credits(doc: Document) -> list[Credit]:
    """Agencies credited in the body's opening dateline: "KYIV (Reuters) -", "AFP -"."""
    body = doc.text[len(doc.meta.title or ""):].lstrip()
    window = body[:_DATELINE_WINDOW].split("\n", 1)[0]
    found = []
    for name, outlet in named_outlets(window):
        dateline = rf"^[^\W\d][^.!?]{{0,40}}?\(\s*{re.escape(name)}\s*\)\s*[-–—]|^{re.escape(name)}\s*[-–—]"
        if outlet.agency and re.search(dateline, window):
            found.append(Credit(name, outlet.domain, window.strip(), "dateline"))
    return found


def _unique(items: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(items))


class FingerprintIndex:
    """Which outlets' items carried each feature: learned counts, scored as shares.

    Counts are per item (a feature counts once per item), so a line every page of an outlet
    prints weighs the same as the outlet's share of the items that printed it.
    """

    def __init__(self) -> None:
        self.counts: dict[str, Counter[str]] = {}
        self.items = 0

    def add(self, features: Iterable[Feature], outlet: str) -> None:
        self.items += 1
        for key in {f.key for f in features if f.domain is None}:
            self.counts.setdefault(key, Counter())[outlet] += 1

    def remove(self, features: Iterable[Feature], outlet: str) -> None:
        """Undo ``add`` (leave-one-out evaluation, re-labelling an item)."""
        self.items -= 1
        for key in {f.key for f in features if f.domain is None}:
            counter = self.counts.get(key)
            if counter is None or counter[outlet] <= 0:
                raise ValueError(f"feature {key!r} of {outlet} was never added")
            counter[outlet] -= 1
            if counter[outlet] == 0:
                del counter[outlet]
            if not counter:
                del self.counts[key]

    def rank(self, features: Iterable[Feature]) -> tuple[dict[str, float], dict[str, list[dict[str, Any]]]]:
        """Evidence per outlet: the weighted score, and the features that gave it."""
        weights = settings().weights
        scores: Counter[str] = Counter()
        evidence: dict[str, list[dict[str, Any]]] = {}
        for f in features:
            if f.domain is not None:
                shares = {f.domain: 1.0}
                support = None
            else:
                counter = self.counts.get(f.key)
                if not counter:
                    continue
                total = sum(counter.values())
                shares = {o: n / total for o, n in counter.items()}
                support = total
            for outlet, share in shares.items():
                gain = weights[f.kind] * share
                scores[outlet] += gain
                item = {**f.evidence(), "weight": round(gain, 3)}
                if support is not None:
                    item["indexed_items"] = support
                    item["items_of_outlet"] = self.counts[f.key][outlet]
                evidence.setdefault(outlet, []).append(item)
        return dict(scores), evidence
