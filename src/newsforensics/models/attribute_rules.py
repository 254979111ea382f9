"""spaCy's attribute ruler, matched with numpy instead of the general Matcher: same matches.

en_core_web_sm's ``attribute_ruler`` maps fine-grained tags to parts of speech and morphology
with ~180 one- and two-token patterns (``{"TAG": "NN"}``, ``{"TAG": "PRP", "LOWER": "her"}``).
spaCy runs them through its general token Matcher, which tests every pattern at every token:
a sixth of the English parse (33 of 190 CPU-ms an article on PTC news). Patterns made only of
fixed-length token tests (an attribute equal to a value, or ``IN``/``NOT_IN`` a list) are
compiled here into comparisons over the doc's attribute array (a ``REGEX`` test is run once per
distinct string and remembered), and ``match`` returns exactly
the list spaCy's ``AttributeRuler.match`` returns (``(rule, match id, start, end)``, deduplicated,
sorted so later rules win); ``set_annotations`` stays spaCy's. A ruler with any other kind of
pattern (operators, extensions, other predicates) is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

# Token attributes the compiled tests read, by their Matcher names; booleans are lexeme flags.
_STRING_ATTRS = ("ORTH", "LOWER", "NORM", "TAG", "POS", "DEP", "ENT_TYPE", "SHAPE", "PREFIX",
                 "SUFFIX", "LEMMA")
_FLAG_ATTRS = ("IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE",
               "IS_PUNCT", "IS_SPACE", "IS_STOP", "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL")
_ALIASES = {"TEXT": "ORTH"}

# (column, "IN" or "NOT_IN", hashed values) or (column, "REGEX", pattern)
Test = tuple[int, str, Any]
Rule = tuple[int, int, list[list[list[Test]]]]  # (rule id, match id, patterns: tokens: tests)


def _token_tests(token: dict[str, Any], columns: dict[str, int], strings: Any) -> list[Test] | None:
    """One pattern token as set tests over attribute columns; None when it needs more than that."""
    tests: list[Test] = []
    for raw_name, value in token.items():
        name = _ALIASES.get(raw_name.upper(), raw_name.upper())
        if name not in _STRING_ATTRS and name not in _FLAG_ATTRS:
            return None
        if isinstance(value, dict):
            if len(value) != 1 or next(iter(value)) not in ("IN", "NOT_IN", "REGEX"):
                return None
            kind, values = next(iter(value.items()))
        else:
            kind, values = "IN", [value]
        if kind == "REGEX":
            if name in _FLAG_ATTRS or not isinstance(values, str):
                return None
            tests.append((columns.setdefault(name, len(columns)), kind, values))
            continue
        if name in _FLAG_ATTRS:
            if not all(isinstance(v, bool) for v in values):
                return None
            hashed = frozenset(int(v) for v in values)
        else:
            if not all(isinstance(v, str) for v in values):
                return None
            hashed = frozenset(strings.add(v) for v in values)
        tests.append((columns.setdefault(name, len(columns)), kind, hashed))
    return tests


def compile_rules(ruler: Any) -> tuple[list[str], list[Rule]] | None:
    """The ruler's patterns as column tests (the columns' attribute names first); None if some
    pattern needs the general Matcher."""
    strings = ruler.vocab.strings
    columns: dict[str, int] = {}
    rules: list[Rule] = []
    for rule_id, rule in enumerate(ruler.patterns):
        compiled = []
        for pattern in rule["patterns"]:
            tokens = [_token_tests(token, columns, strings) for token in pattern]
            if not tokens or any(t is None for t in tokens):
                return None
            compiled.append(tokens)
        rules.append((rule_id, strings[str(rule_id)], compiled))
    return list(columns), rules


class _Masks:
    """The tokens of one doc that pass each test (each test computed once per doc)."""

    def __init__(self, values: np.ndarray, strings: Any, searched: dict[tuple[str, int], bool]) -> None:
        self.values, self.strings, self.searched = values, strings, searched
        self.cache: dict[Test, np.ndarray] = {}

    def __call__(self, tests: list[Test]) -> np.ndarray:
        mask = np.ones(self.values.shape[0], dtype=bool)
        for test in tests:
            hit = self.cache.get(test)
            if hit is None:
                hit = self.cache[test] = self._test(*test)
            mask &= hit
        return mask

    def _test(self, column: int, kind: str, wanted: Any) -> np.ndarray:
        values = self.values[:, column]
        if kind == "REGEX":  # the Matcher's: re.search on the attribute's string
            distinct, inverse = np.unique(values, return_inverse=True)
            return np.array([self._search(wanted, int(h)) for h in distinct], dtype=bool)[inverse]
        hit = (values == next(iter(wanted))) if len(wanted) == 1 else \
            np.isin(values, np.fromiter(wanted, dtype=np.uint64, count=len(wanted)))
        return ~hit if kind == "NOT_IN" else hit

    def _search(self, pattern: str, value: int) -> bool:
        key = (pattern, value)
        found = self.searched.get(key)
        if found is None:
            found = self.searched[key] = re.search(pattern, self.strings[value]) is not None
        return found


def fast_match(ruler: Any) -> Callable[[Any], list[tuple[int, int, int, int]]] | None:
    """A drop-in for ``ruler.match`` (see the module doc), or None when the ruler needs more."""
    compiled = compile_rules(ruler)
    if compiled is None:
        return None
    names, rules = compiled
    searched: dict[tuple[str, int], bool] = {}  # (regex, string hash) → whether it matches

    def match(doc: Any) -> list[tuple[int, int, int, int]]:
        n = len(doc)
        if not n or not rules:
            return []
        if len(searched) > 1_000_000:  # bounded over a long run
            searched.clear()
        values = doc.to_array(names).reshape(n, len(names)).astype(np.uint64, copy=False)
        masks = _Masks(values, ruler.vocab.strings, searched)
        found: list[tuple[int, int, int, int]] = []
        for rule_id, match_id, patterns in rules:
            by_width: dict[int, np.ndarray] = {}  # start positions, one array per span width
            for tokens in patterns:
                width = len(tokens)
                if width > n:
                    continue
                starts = masks(tokens[0])[:n - width + 1]
                for offset in range(1, width):
                    if not starts.any():
                        break
                    starts &= masks(tokens[offset])[offset:n - width + 1 + offset]
                by_width[width] = by_width[width] | starts if width in by_width else starts
            spans = [(rule_id, match_id, s, s + width) for width, starts in by_width.items()
                     for s in np.flatnonzero(starts).tolist()]
            if len(by_width) > 1:
                spans.sort()
            found.extend(spans)
        return found

    return match


def install(nlp: Any, name: str = "attribute_ruler") -> bool:
    """Give the pipeline's attribute ruler the fast ``match``; False if it has none or needs
    the general Matcher."""
    if name not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe(name)
    match = fast_match(ruler)
    if match is None:
        return False
    ruler.match = match
    return True
