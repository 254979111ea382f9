"""Paragraphs and sentences.

Paragraphs come from the line structure the extractor leaves (one paragraph a line, or blocks
separated by blank lines with hard-wrapped lines inside). Sentences come from pysbd, run inside
each paragraph so that no sentence crosses a paragraph boundary; pysbd keeps abbreviations
such as "Maj. Gen." together and supports the main languages of news monitoring.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from ..document import Document
from ..pipeline import BaseStage, register

PYSBD_LANGUAGES = frozenset(
    "am ar bg da de el en es fa fr hi hy it ja kk mr my nl pl ru sk ur zh".split()
)
_BLOCK = re.compile(r"(?:[^\n]*\S[^\n]*(?:\n|$))+")  # runs of non-blank lines
_SENTENCE_END = re.compile(r"[.!?…:;\"'”’»)\]]\s*$")
# pysbd's cost grows faster than linearly with input length; longer paragraphs are cut into
# chunks at a sentence end (else at a space) so that huge inputs stay linear.
MAX_SEGMENTER_CHARS = 2000
_CHUNK_BREAK = re.compile(r"[.!?…]['\"”’»)\]]*\s+|\s+")


class _CompiledPatterns:
    """The ``re`` functions pysbd calls, each pattern compiled once.

    pysbd passes pattern strings to ``re.sub``/``re.findall``…; with one pattern per
    abbreviation and template (~600 on 45 news articles) they overflow Python's regex cache (512)
    and about 1,000 are compiled again every 45 articles. Same calls, same results: only the
    compiled patterns are kept (bounded: the abbreviation lists times the case variants met).
    """

    def __init__(self) -> None:
        self.compile = lru_cache(maxsize=8192)(re.compile)
        self.necessary: dict[tuple[str, int], re.Pattern[str]] = {}  # see _list_patterns_needs

    def __getattr__(self, name: str) -> Any:  # escape, IGNORECASE, …: the real module's
        return getattr(re, name)

    def sub(self, pattern: Any, repl: Any, string: str, count: int = 0, flags: int = 0) -> str:
        return self.compile(pattern, flags).sub(repl, string, count)

    def search(self, pattern: Any, string: str, flags: int = 0) -> re.Match[str] | None:
        return self.compile(pattern, flags).search(string)

    def match(self, pattern: Any, string: str, flags: int = 0) -> re.Match[str] | None:
        return self.compile(pattern, flags).match(string)

    def findall(self, pattern: Any, string: str, flags: int = 0) -> list[Any]:
        needed = self.necessary.get((pattern, flags))
        if needed is not None and not needed.search(string):
            return []  # the pattern cannot match: findall would find nothing
        return self.compile(pattern, flags).findall(string)

    def finditer(self, pattern: Any, string: str, flags: int = 0) -> Iterator[re.Match[str]]:
        return self.compile(pattern, flags).finditer(string)

    def split(self, pattern: Any, string: str, maxsplit: int = 0, flags: int = 0) -> list[Any]:
        return self.compile(pattern, flags).split(string, maxsplit)


_PYSBD_RE = _CompiledPatterns()
_WHITESPACE = re.compile(r"\s")
_LETTERS = re.compile(r"[a-z]+")


@lru_cache(maxsize=64)
def _abbreviation_patterns(abbreviations: tuple[str, ...]) -> list[tuple[str, bool, Any, Any]]:
    """Per abbreviation of a language: its stripped form, whether it is plain ASCII letters, and
    the two patterns pysbd's search builds from it (the first deliberately unescaped, as pysbd)."""
    return [(a, bool(_LETTERS.fullmatch(a)),
             re.compile(r"(?:^|\s|\r|\n){}".format(a), re.IGNORECASE),
             re.compile(r"(?<={" + str(re.escape(a)) + "} ).{1}"))
            for a in (abbr.strip() for abbr in abbreviations)]


def _search_for_abbreviations_in_string(self, text: str) -> str:  # type: ignore[no-untyped-def]
    """pysbd's ``AbbreviationReplacer.search_for_abbreviations_in_string``, same result, faster.

    The same loop over the language's abbreviations, with each one's patterns built once instead
    of on every line, and one more skip: in an ASCII line, an abbreviation of plain letters that
    no word starts with cannot match its first pattern (start or whitespace, then the
    abbreviation, case-insensitively), so pysbd's ``findall`` would find nothing. Periods that
    earlier abbreviations replace (with ``∯``) are neither letters nor whitespace, so the test
    on the line as it came stays right.
    """
    lowered = text.lower()
    spaced = _WHITESPACE.sub(" ", lowered) if text.isascii() else None
    for stripped, letters, first, following in _abbreviation_patterns(tuple(self.lang.Abbreviation.ABBREVIATIONS)):
        if stripped not in lowered:
            continue
        if letters and spaced is not None and not spaced.startswith(stripped) \
                and " " + stripped not in spaced:
            continue
        abbrev_match = first.findall(text)
        if not abbrev_match:
            continue
        char_array = following.findall(text)
        for ind, match in enumerate(abbrev_match):
            text = self.scan_for_replacements(text, match, ind, char_array)
    return text


def _apply_rules(self, *rules):  # type: ignore[no-untyped-def]
    """pysbd's ``Text.apply`` (each rule's ``re.sub`` in turn), each rule's pattern compiled once
    and kept on the rule: ~80 rules a paragraph, each call through ``re.sub`` paid a pattern
    lookup."""
    text = self
    for rule in rules:
        compiled = rule.__dict__.get("_compiled")
        if compiled is None:
            compiled = rule._compiled = _PYSBD_RE.compile(rule.pattern)
        text = compiled.sub(rule.replacement, text)
    return text


def _list_patterns_needs() -> dict[tuple[str, int], re.Pattern[str]]:
    """What a text must contain for pysbd's costliest list-item searches to find anything: every
    paragraph is searched for numbered and lettered lists (~0.3 ms a paragraph), and news
    paragraphs rarely hold one. Each branch of the numbered-list pattern is one or two digits
    followed by a period (``(?=\\.\\s)`` or ``(?=\\.\\))``); each branch of the two
    parenthesised-list patterns ends before a ``)`` (``(?=\\))``, ``(?=\\)\\s)``)."""
    from pysbd.lists_item_replacer import ListItemReplacer as Lists

    digit_period, paren = re.compile(r"\d\."), re.compile(r"\)")
    return {(Lists.NUMBERED_LIST_REGEX_1, 0): digit_period,
            (Lists.ALPHABETICAL_LIST_WITH_PARENS, 0): paren,
            (Lists.NUMBERED_LIST_PARENS_REGEX, 0): paren}


@lru_cache(maxsize=None)
def _segmenter(language: str):  # type: ignore[no-untyped-def]
    import pysbd

    from pysbd.abbreviation_replacer import AbbreviationReplacer
    from pysbd.utils import Text

    for name, module in list(sys.modules.items()):  # pysbd's modules, its languages included
        if name.startswith("pysbd") and getattr(module, "re", None) is re:
            module.re = _PYSBD_RE  # type: ignore[attr-defined]
    AbbreviationReplacer.search_for_abbreviations_in_string = _search_for_abbreviations_in_string
    Text.apply = _apply_rules
    _PYSBD_RE.necessary.update(_list_patterns_needs())
    return pysbd.Segmenter(language=language, clean=False)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def paragraph_bounds(text: str) -> Iterator[tuple[int, int]]:
    """Offsets of paragraphs: each line, unless a blank-line block is hard-wrapped prose."""
    for block in _BLOCK.finditer(text):
        lines = [m for m in re.finditer(r"[^\n]+", block.group())]
        wrapped = len(lines) > 1 and sum(
            1 for m in lines[:-1] if not _SENTENCE_END.search(m.group())
        ) > (len(lines) - 1) / 2
        parts = [(block.start(), block.end())] if wrapped else [
            (block.start() + m.start(), block.start() + m.end()) for m in lines
        ]
        for start, end in parts:
            start, end = _trimmed(text, start, end)
            if start < end:
                yield start, end


def _chunks(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """``[start, end)`` in pieces of at most MAX_SEGMENTER_CHARS, cut at the best break."""
    while end - start > MAX_SEGMENTER_CHARS:
        limit = start + MAX_SEGMENTER_CHARS
        breaks = list(_CHUNK_BREAK.finditer(text, start + MAX_SEGMENTER_CHARS // 2, limit))
        sentence_ends = [m for m in breaks if not m.group()[0].isspace()]
        best = (sentence_ends or breaks)[-1].end() if breaks else limit
        yield start, best
        start = best
    yield start, end


def sentence_bounds(text: str, start: int, end: int, language: str) -> Iterator[tuple[int, int]]:
    """Offsets of the sentences of ``text[start:end]``, located exactly in the text."""
    for chunk_start, chunk_end in _chunks(text, start, end):
        yield from _segment_chunk(text, chunk_start, chunk_end, language)


def pysbd_sentences(segmenter, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    """``segmenter.segment(text)`` (clean=False), without its per-sentence regexes.

    pysbd locates each sentence it found by compiling a pattern from the sentence itself: a
    fifth of its time, and the flood pushed its own rules out of Python's regex cache. This
    locates them as it does (the first occurrence, with the whitespace after it, that ends past
    the previous one; searches resume after a rejected one) with ``str.find``.
    """
    sentences = segmenter.processor(text).process()
    if not all(sentences):  # empty matches follow regex rules: leave those to pysbd
        segmenter.original_text = text
        return [span.sent for span in segmenter.sentences_with_char_spans(sentences)]
    located, prior_end = [], 0
    for sentence in sentences:
        found = text.find(sentence)
        while found >= 0:
            end = found + len(sentence)
            while end < len(text) and text[end].isspace():
                end += 1
            if end > prior_end:
                located.append(text[found:end])
                prior_end = end
                break
            found = text.find(sentence, end)
    return located


def _segment_chunk(text: str, start: int, end: int, language: str) -> Iterator[tuple[int, int]]:
    segmenter = _segmenter(language if language in PYSBD_LANGUAGES else "en")
    cursor = start
    for sentence in pysbd_sentences(segmenter, text[start:end]):
        piece = sentence.strip()
        if not piece:
            continue
        found = text.find(piece, cursor, end)
        if found < 0:  # pysbd altered the text; keep the rest as one sentence
            s, e = _trimmed(text, cursor, end)
            if s < e:
                yield s, e
            return
        yield found, found + len(piece)
        cursor = found + len(piece)


@register("segment")
class SegmentStage(BaseStage):
    """Adds the ``paragraphs`` and ``sentences`` layers."""

    version = "1"
    provides = ("paragraphs", "sentences")

    @property
    def model(self) -> str | None:
        return "pysbd-0.3.4"

    def __call__(self, doc: Document) -> None:
        language = doc.meta.language or "en"
        paragraphs = doc.add(
            "paragraphs",
            [doc.span(s, e, "paragraph", stage=self.name) for s, e in paragraph_bounds(doc.text)],
        )
        doc.add("sentences", [
            doc.span(s, e, "sentence", stage=self.name, model=self.model, paragraph=p.id)
            for p in paragraphs
            for s, e in sentence_bounds(doc.text, p.start, p.end, language)
        ])
