"""Span conventions: reshape a tagger's entity spans to the convention of a language's news gold set.

A tagger trained on other data (natasha for Russian) finds the names but draws their borders by
another convention. FactRuEval-2016, for one, counts a descriptor noun as part of an
organisation ("компании Microsoft", "правительство Китая" for natasha's "Microsoft" and LOC
"Китая") and tags "X ( Y )" as two mentions. It also leaves the closing quote out of a quoted
name ("партии « Путь Грузии"): a tokenisation artefact, not a border an analyst would draw, so a
quoted name keeps both its quotes here and scores as a miss against that set.
A convention is data (``data/ner/conventions/<lang>.toml``) learnt by
``scripts/learn_ner_convention.py`` from the gold set's train split only; it holds common nouns
(descriptors), word endings and a few label changes, never a list of the set's names.

Rules, in order, on each span of a text:
1. ``split_parenthetical``: "A ( B )" becomes A and B, both with the span's label;
2. ``descriptors``: when the word before the span (an opening quote may sit between) has the stem
   of a descriptor for the span's label, the span takes it in and gets the rule's label; an
   opening quote taken in brings its closing quote along ("партии «Единая Россия»");
3. ``relabel``: a span whose stemmed words match a key gets the key's label;
4. ``merges``: two spans with nothing but space between them whose labels are a key become one
   span with the key's label ("Госдумы" ORG + "России" LOC: "Госдумы России" ORG).
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

Entity = tuple[int, int, str]  # start, end (characters), the tagger's label

_PARENTHETICAL = re.compile(r"(.+?)\s*\(\s*(.+?)\s*\)")
_QUOTE_PAIRS = {"«": "»", "„": "“", "“": "”", '"': '"'}
_WORD_BEFORE = re.compile(r"([^\W\d_][\w-]*)(?:\s*[«\"„“])?\s*$")
LABELS = ("PER", "ORG", "LOC")
_REACH = 64  # characters before a span that can hold its descriptor


@dataclass(frozen=True)
class Convention:
    endings: tuple[str, ...] = ()  # longest first: a word's stem is the word less one of these
    split_parenthetical: bool = False
    descriptors: dict[tuple[str, str], str] = field(default_factory=dict)  # (stem, label) -> label
    relabel: dict[tuple[str, str], str] = field(default_factory=dict)  # (stemmed words, label) -> label
    merges: dict[tuple[str, str], str] = field(default_factory=dict)  # (label, next label) -> label

    def stem(self, word: str) -> str:
        word = word.lower()
        for ending in self.endings:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                return word[:-len(ending)]
        return word

    def key(self, text: str) -> str:
        return " ".join(self.stem(w) for w in text.split())

    def apply(self, text: str, spans: Iterable[Entity]) -> list[Entity]:
        out: list[Entity] = []
        for start, end, label in spans:
            parts = self._split(text, start, end) if self.split_parenthetical else [(start, end)]
            for a, b in parts:
                a, new_label = self._descriptor(text, a, label)
                b = _with_closing_quote(text, a, b)
                new_label = self.relabel.get((self.key(text[a:b]), new_label), new_label)
                out.append((a, b, new_label))
        return self._merge(text, sorted(set(out)))

    def _merge(self, text: str, spans: list[Entity]) -> list[Entity]:
        out: list[Entity] = []
        for span in spans:
            merged = out and not text[out[-1][1]:span[0]].strip() and self.merges.get((out[-1][2], span[2]))
            if merged:
                out[-1] = (out[-1][0], span[1], merged)
            else:
                out.append(span)
        return out

    @staticmethod
    def _split(text: str, start: int, end: int) -> list[tuple[int, int]]:
        m = _PARENTHETICAL.fullmatch(text, start, end)
        return [(m.start(1), m.end(1)), (m.start(2), m.end(2))] if m else [(start, end)]

    def _descriptor(self, text: str, start: int, label: str) -> tuple[int, str]:
        before = word_before(text, start)
        if before is None:
            return start, label
        target = self.descriptors.get((self.stem(before[1]), label))
        return (before[0], target) if target else (start, label)

    @staticmethod
    def load(path: Path | str) -> Convention:
        data = tomllib.loads(Path(path).read_text("utf-8"))

        def table(rows: list[list[str]]) -> dict[tuple[str, str], str]:
            return {(key, label): target for key, label, target in rows}
        return Convention(longest_first(data.get("endings", [])),
                          data.get("split_parenthetical", False),
                          table(data.get("descriptors", [])), table(data.get("relabel", [])),
                          table(data.get("merges", [])))


def longest_first(endings: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(endings, key=lambda e: (-len(e), e)))


def _with_closing_quote(text: str, start: int, end: int) -> int:
    """``end``, past the closing quote right after the span when the span opens a quote it does
    not close: a name is never shown with one quote of its pair."""
    inside = text[start:end]
    for opening, closing in _QUOTE_PAIRS.items():
        unclosed = inside.count(opening) > inside.count(closing) if opening != closing else inside.count(opening) % 2
        if unclosed:
            m = re.match(r"\s*" + re.escape(closing), text[end:end + 3])
            return end + m.end() if m else end
    return end


def word_before(text: str, start: int) -> tuple[int, str] | None:
    """The word right before ``start`` (an opening quote may sit between): its start and text.
    A capitalised word only when the rest is lower case ("Компания", not "ЕС")."""
    m = _WORD_BEFORE.search(text, max(0, start - _REACH), start)  # bounded: no scan from the text's start
    if not m or m.end() != start:
        return None
    word = m.group(1)
    return (m.start(1), word) if word[1:] == word[1:].lower() else None


def learn(texts: Sequence[str], gold: Sequence[set[Entity]], predicted: Sequence[set[Entity]],
          endings: Sequence[str], min_gain: int = 2, min_relabel: int = 3) -> Convention:
    """The convention that moves ``predicted`` towards ``gold`` (same texts): descriptors whose
    taking-in makes a gold span at least ``min_gain`` more times than it breaks one, and label
    changes of a span text seen ``min_relabel`` more times with another gold label."""
    base = Convention(longest_first(endings), True)
    extended: defaultdict[tuple[str, str], Counter] = defaultdict(Counter)
    relabelled: defaultdict[tuple[str, str], Counter] = defaultdict(Counter)
    for text, g, p in zip(texts, gold, predicted, strict=True):
        for start, end, label in base.apply(text, p):
            for kind in LABELS:
                relabelled[(base.key(text[start:end]), label)][kind] += (start, end, kind) in g
            before = word_before(text, start)
            if before is None:
                continue
            counts = extended[(base.stem(before[1]), label)]
            counts["keep"] += (start, end, label) in g
            for kind in LABELS:
                counts[kind] += (before[0], end, kind) in g

    def best(counts: Counter) -> str:
        return max(LABELS, key=lambda kind: counts[kind])
    descriptors = {k: best(c) for k, c in extended.items() if c[best(c)] - c["keep"] >= min_gain}
    relabel = {k: best(c) for k, c in relabelled.items()
               if best(c) != k[1] and c[best(c)] - c[k[1]] >= min_relabel}
    spans = Convention(base.endings, True, descriptors, relabel)
    adjacent: defaultdict[tuple[str, str], Counter] = defaultdict(Counter)
    for text, g, p in zip(texts, gold, predicted, strict=True):
        reshaped = spans.apply(text, p)
        for first, second in zip(reshaped, reshaped[1:]):
            if not text[first[1]:second[0]].strip():
                counts = adjacent[(first[2], second[2])]
                counts["keep"] += (first in g) + (second in g)
                for kind in LABELS:
                    counts[kind] += (first[0], second[1], kind) in g
    merges = {k: best(c) for k, c in adjacent.items() if c[best(c)] - c["keep"] >= min_gain}
    return Convention(base.endings, True, descriptors, relabel, merges)


def to_toml(convention: Convention, header: str) -> str:
    """The convention as a data file (``header`` lines become comments)."""
    def rows(table: dict[tuple[str, str], str]) -> str:
        return "\n".join(f'  ["{k}", "{label}", "{target}"],' for (k, label), target in sorted(table.items()))
    endings = ", ".join(f'"{e}"' for e in sorted(convention.endings, key=lambda e: (len(e), e)))
    comments = "\n".join(f"# {line}".rstrip() for line in header.splitlines())
    return (f"{comments}\n\nsplit_parenthetical = {str(convention.split_parenthetical).lower()}\n"
            f"endings = [{endings}]\n\n"
            f"# [stem of the word before the span, the tagger's label, the label of the longer span]\n"
            f"descriptors = [\n{rows(convention.descriptors)}\n]\n\n"
            f"# [stemmed words of the span, the tagger's label, the label to give it]\n"
            f"relabel = [\n{rows(convention.relabel)}\n]\n\n"
            f"# [a span's label, the label of the span right after it, the label of the two as one]\n"
            f"merges = [\n{rows(convention.merges)}\n]\n")
