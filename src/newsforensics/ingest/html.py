"""HTML pages: trafilatura for the body, htmldate for the date, plus our own post-cleaning.

The page is parsed once (lxml, via trafilatura's tolerant loader) and that tree feeds every
step: trafilatura in precision mode, with a fallback order for pages where it finds little
(trafilatura's full cascade, then recall mode; see ``data/html.toml``),
light metadata (meta tags, JSON-LD, ``<title>``, canonical link, ``<html lang>``) and htmldate
with ``extensive_search=False`` and original-date preference (the extensive search picks photo
captions' dates). Extracted lines then go through the same boilerplate rules as the plain-text
cleaner, so "Read more: …", share prompts and link lists after a "Related" heading are cut by
one mechanism. Kept paragraphs are located verbatim in the raw HTML for the offset map; the
page's text blocks that were not kept are listed (bounded) as removed parts with a reason.
"""

from __future__ import annotations

import bisect
import html as html_lib
import logging
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from lxml.etree import XPath

from ..document import Document, Metadata, OffsetMap, Removed
from ..sections import INPUT, declare
from . import boilerplate
from .align import locate

log = logging.getLogger(__name__)

STAGE = "extract"
_WORDS = re.compile(r"[^\W_]+")  # class/id words: "related-articles" -> related, articles
_MAX_REASON_DEPTH = 8
_BODY_TAG = re.compile(r"<body\b", re.IGNORECASE)
# Text nodes long enough to list, outside scripts and styles (selected in C by libxml2).
_TEXT_NODES = XPath(
    ".//text()[string-length(normalize-space(.)) >= $min_chars]"
    "[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template"
    " or ancestor::svg)]"
)


@dataclass(frozen=True, slots=True)
class _BlockReason:
    reason: str
    tags: frozenset[str]
    tokens: frozenset[str]


@lru_cache(maxsize=1)
def _settings() -> dict[str, Any]:
    text = resources.files("newsforensics.ingest").joinpath("data/html.toml").read_text("utf-8")
    settings = tomllib.loads(text)
    settings["block_reasons"] = tuple(
        _BlockReason(r["reason"], frozenset(r["tags"]), frozenset(r["tokens"]))
        for r in settings.pop("block_reason")
    )
    return settings


EXTRACTION = declare("extraction", str, provider=INPUT, description=(
    "Which trafilatura fallback found the body of an HTML page, when the first pass did not")).name
HTML_LANG = declare("html_lang", str, provider=INPUT, description=(
    "The language the HTML page declares (<html lang>), as written")).name


def read_html(html: str) -> Document:
    """Extract the article from an HTML page into a Document (see the module docstring)."""
    from trafilatura.utils import load_html

    boilerplate.check_size(html, "max_html_chars", "HTML")
    tree = load_html(html) if html.strip() else None
    if tree is None:
        doc = Document("", raw=html, meta=Metadata(input_kind="html"), offset_map=OffsetMap())
        doc.warn("unparsable-html", "the HTML could not be parsed; no body was extracted", STAGE)
        return doc
    meta = _metadata(tree)
    lang = (tree.get("lang") or tree.get("xml:lang") or "").strip()
    lines, attempt = _body_lines(tree)
    title = meta.title or ""
    kept, removed_lines = _post_clean(lines, title)
    if not kept and (lost := _text_the_parser_lost(html, tree)):
        doc = _as_text(lost, html, meta)
        if lang:
            doc.sections[HTML_LANG] = lang
        return doc
    clean, segments, headline_span = _assemble(html, title, kept)
    doc = Document(clean, raw=html, meta=meta, offset_map=OffsetMap(segments))
    if lang:
        doc.sections[HTML_LANG] = lang
    if headline_span:
        doc.add("headline", [doc.span(*headline_span, "headline", stage=STAGE)])
    if attempt:
        doc.sections[EXTRACTION] = f"trafilatura {attempt}"
    body_start = _body_start(html)
    doc.removed.extend(_locate(html, body_start, *line) for line in removed_lines)
    listed = {r.raw_start for r in doc.removed if r.raw_end > r.raw_start}
    doc.removed.extend(_unkept_blocks(html, tree, doc, listed))
    doc.removed.sort(key=lambda r: r.raw_start)
    if not kept:
        # Same wording as load()'s check, so that the two never report it twice.
        doc.warn("no-body", "no article body was found in the input; the dossier has metadata only", STAGE)
    _add_date(tree, doc)
    if tree.find(".//body") is None:
        doc.warn("no-html-body", "the HTML has no <body> element; extraction may be incomplete", STAGE)
    return doc


def _text_the_parser_lost(html: str, tree: Any) -> str | None:
    """The page's text, read without a tree, when lxml's tree holds under half of it: libxml2
    drops everything nested deeper than 255 elements, an easy way to hide an article."""
    from html.parser import HTMLParser

    class Collector(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            self.skip += tag in ("script", "style", "head", "template")
            if tag in _BLOCK_TAGS:
                self.parts.append("\n")

        def handle_endtag(self, tag: str) -> None:
            self.skip -= tag in ("script", "style", "head", "template") and self.skip > 0
            if tag in _BLOCK_TAGS:
                self.parts.append("\n")

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.parts.append(data)

    collector = Collector()
    collector.feed(html)
    collector.close()
    text = re.sub(r"[ \t]*\n\s*\n?\s*", "\n\n", "".join(collector.parts)).strip()
    body = tree.find(".//body")
    parsed = len(" ".join((body if body is not None else tree).itertext()).strip())
    return text if len(text) > 2 * max(parsed, 100) else None


_BLOCK_TAGS = frozenset(("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section",
                         "blockquote", "tr", "main", "header", "footer"))


def _as_text(text: str, html: str, meta: Metadata) -> Document:
    """The fallback body: the page's text cleaned as plain text, with the page's metadata."""
    from .text import read_text

    doc = read_text(text)
    meta.input_kind = "html"
    doc.meta, doc.raw, doc.offset_map = meta, html, OffsetMap()
    doc.warn("html-too-deep", "the HTML is nested too deeply for the HTML parser (over 255 levels); "
             "the body was read from the page's text without its markup", STAGE)
    return doc


# --- metadata -------------------------------------------------------------------------------

def _metadata(tree: Any) -> Metadata:
    """Title, author, site name and URLs from meta tags and JSON-LD (trafilatura's readers),
    skipping trafilatura's costly in-page author search (meta/JSON-LD bylines suffice)."""
    from courlan import extract_domain
    from trafilatura import metadata as tm

    found = tm.examine_meta(tree)
    try:
        found = tm.extract_meta_json(tree, found)
    except Exception:  # malformed JSON-LD: keep what the meta tags gave
        log.debug("JSON-LD metadata unreadable", exc_info=True)
    title = found.title or tm.extract_title(tree)
    canonical = next(iter(tree.xpath('//link[@rel="canonical"]/@href')), None)
    url = found.url or tm.extract_url(tree) or canonical
    site_name = (found.sitename or tm.extract_sitename(tree) or "").lstrip("@") or None
    domain = extract_domain(url, fast=True) if url else None
    meta = Metadata(
        title=_one_line(title), url=url, canonical_url=canonical, site_name=site_name,
        outlet=site_name or domain, author=_one_line(found.author), input_kind="html",
    )
    return meta


def _one_line(value: str | None) -> str | None:
    return " ".join(value.split()) or None if value else None


def _add_date(tree: Any, doc: Document) -> None:
    """Publication date by htmldate: no extensive search (it picks captions' dates)."""
    from htmldate import find_date

    try:
        found = find_date(tree, extensive_search=False, original_date=True, url=doc.meta.url,
                          max_date=date.today().isoformat())
    except Exception as exc:  # htmldate on hostile markup: degrade, never crash
        log.debug("htmldate failed", exc_info=True)
        doc.warn("no-date", f"the publication date could not be read ({type(exc).__name__})", STAGE)
        return
    if found:
        doc.meta.published, doc.meta.published_source = found, "html-meta"


# --- body -----------------------------------------------------------------------------------

def _body_lines(tree: Any) -> tuple[list[str], str]:
    """The body from the first extraction attempt that finds enough text (see html.toml)."""
    from trafilatura import bare_extraction

    settings = _settings()
    best, best_name = "", ""
    for attempt in settings["attempt"]:
        options = {**settings["trafilatura"], **{k: v for k, v in attempt.items() if k != "name"}}
        body = _extract_text(bare_extraction, tree, options)
        if len(body) > len(best):
            best, best_name = body, attempt["name"]
        if len(best) >= settings["fallback"]["min_body_chars"]:
            break
    return [line.strip() for line in best.split("\n") if line.strip()], best_name


def _extract_text(extract: Any, tree: Any, options: dict[str, Any]) -> str:
    try:
        result = extract(tree, with_metadata=False, **options)
    except Exception:  # trafilatura on hostile markup: an empty body, reported by load()
        log.debug("trafilatura failed", exc_info=True)
        return ""
    return (result.text or "") if result is not None else ""


def _post_clean(lines: list[str], title: str) -> tuple[list[str], list[tuple[str, str, str, dict]]]:
    """Drop boilerplate lines (shared rules), a repeated headline at the top, and the short
    link titles listed under a "Related"-type heading."""
    rules = boilerplate.rules()
    max_words = _settings()["related_tail"]["max_words"]
    title_key = boilerplate.comparable(title) if title else None
    kept: list[str] = []
    removed: list[tuple[str, str, str, dict]] = []
    under_related = False
    for line in lines:
        if not kept and title_key and boilerplate.comparable(line) == title_key:
            removed.append((line, "duplicate-title", "duplicate of the headline", {"rule": "duplicate-title"}))
            continue
        verdict = rules.classify(line)
        if verdict is not None:
            removed.append((line, verdict.kind, verdict.reason, dict(verdict.attrs)))
            under_related = verdict.rule == "related"
            continue
        if under_related and _link_title(line, max_words):
            removed.append((line, "boilerplate", "related-content link (listed under a related heading)",
                            {"rule": "related"}))
            continue
        under_related = False
        kept.append(line)
    return kept, removed


def _link_title(line: str, max_words: int) -> bool:
    """A list item or headline-like short line, as in a list of related links."""
    stripped = line.lstrip("-•*·–— ").strip()
    return 0 < len(stripped.split()) <= max_words and not stripped.endswith((".", ":", ";", ","))


def _assemble(raw: str, title: str, lines: list[str]) -> tuple[
        str, list[tuple[int, int, int]], tuple[int, int] | None]:
    """Headline, blank line, one paragraph a line; each part mapped to raw where found."""
    window = boilerplate.rules().limits.get("html_locate_window", 524_288)
    parts: list[str] = []
    segments: list[tuple[int, int, int]] = []
    body_start = _body_start(raw)
    length, cursor = 0, body_start
    headline_span = None
    if title:
        # The headline is usually printed in the body (<h1>); else take <title>/og:title.
        located = locate(raw, title, 0, body_start, window) or locate(raw, title, 0, 0, body_start)
        if located:
            segments.extend(located[0])
        parts.append(title)
        length = len(title)
        headline_span = (0, length)
        if lines:
            parts.append("\n\n")
            length += 2
    for i, line in enumerate(lines):
        if i:
            parts.append("\n")
            length += 1
        located = locate(raw, line, length, cursor, window)
        if located:
            segments.extend(located[0])
            cursor = located[1]
        parts.append(line)
        length += len(line)
    return "".join(parts), segments, headline_span


def _body_start(raw: str) -> int:
    match = _BODY_TAG.search(raw, 0, 4_000_000)
    return match.start() if match else 0


def _locate(raw: str, body_start: int, text: str, kind: str, reason: str, attrs: dict[str, Any]) -> Removed:
    """A removed line with its raw offsets, looked for in the body first (the headline's
    duplicate is the <h1>, not <title>): verbatim, else its HTML-escaped form, else none (a
    zero-length record at 0, flagged ``located: false``)."""
    for form, extra in ((text, {}), (html_lib.escape(text, quote=False), {"raw_form": "escaped"})):
        found = raw.find(form, body_start)
        if found < 0:
            found = raw.find(form)
        if found >= 0:
            return Removed(found, found + len(form), text, kind, reason, {**attrs, **extra})
    return Removed(0, 0, text, kind, reason, {**attrs, "located": False})


# --- what the page had besides the article -------------------------------------------------

def _unkept_blocks(raw: str, tree: Any, doc: Document, listed: set[int]) -> list[Removed]:
    """The page's text nodes that did not make it into the clean text, with why (bounded).

    Nodes are located verbatim in the raw HTML in document order (a forward cursor and a
    bounded window keep this linear); a node inside a stretch the offset map covers is kept
    text; ``listed`` holds raw starts already reported by the post-cleaner. Nodes that
    entities split are skipped rather than guessed."""
    limits = boilerplate.rules().limits
    min_chars = limits.get("html_removed_min_chars", 20)
    max_chars = limits.get("html_removed_max_chars", 300)
    max_blocks = limits.get("html_removed_max_blocks", 60)
    window = limits.get("html_locate_window", 524_288)
    body = tree.find(".//body")
    if body is None:
        return []
    kept = _RawCoverage(doc.offset_map.segments)
    folded_clean: str | None = None
    comparisons, max_comparisons = 0, 4 * max_blocks
    memo: dict[Any, tuple[str, str] | None] = {}
    out: list[Removed] = []
    cursor = 0
    for node in _TEXT_NODES(body, min_chars=min_chars):
        text = node.strip()
        found = raw.find(text, cursor, cursor + window)
        if found < 0:
            continue
        cursor = found + len(text)
        if kept.covers(found) or found in listed:
            continue
        element = node.getparent()
        if node.is_tail:  # a tail belongs to the element's parent block
            element = element.getparent() if element.getparent() is not None else element
        if doc.text and comparisons < max_comparisons:
            # Kept paragraphs the offset map could not place: compare text (rare, bounded).
            comparisons += 1
            folded_clean = folded_clean if folded_clean is not None else " ".join(doc.text.split())
            if " ".join(text.split()) in folded_clean:
                continue
        shown = text[:max_chars]
        attrs: dict[str, Any] = {"rule": "html-block", "tag": element.tag}
        if len(shown) < len(text):
            attrs["truncated"] = True
        out.append(Removed(found, found + len(shown), shown, *_block_reason(element, text, memo), attrs))
        if len(out) >= max_blocks:
            break
    return out


class _RawCoverage:
    """Which raw offsets the clean text was mapped from (sorted intervals, bisect)."""

    def __init__(self, segments: list[tuple[int, int, int]]) -> None:
        spans = sorted((raw, raw + length) for _, raw, length in segments)
        self._starts = [s for s, _ in spans]
        self._ends = [e for _, e in spans]

    def covers(self, offset: int) -> bool:
        i = bisect.bisect_right(self._starts, offset) - 1
        return i >= 0 and offset < self._ends[i]


def _block_reason(element: Any, text: str, memo: dict[Any, tuple[str, str] | None]) -> tuple[str, str]:
    """(kind, reason) for a page block left out: the boilerplate rules on its text first,
    then the tag, class and id of the block and its ancestors (memoised per page)."""
    verdict = boilerplate.rules().classify(text)
    if verdict is not None:
        return verdict.kind, verdict.reason
    return _markup_reason(element, memo, _MAX_REASON_DEPTH) or ("boilerplate", "outside the main text")


def _markup_reason(element: Any, memo: dict[Any, tuple[str, str] | None], depth: int) -> tuple[str, str] | None:
    if element is None or depth == 0:
        return None
    if element in memo:
        return memo[element]
    reason = None
    if isinstance(element.tag, str):
        names = set(_WORDS.findall(f"{element.get('class', '')} {element.get('id', '')}".lower()))
        rule = next((r for r in _settings()["block_reasons"] if element.tag in r.tags or names & r.tokens), None)
        if rule is not None:
            reason = ("caption" if rule.reason == "photo caption" else "boilerplate"), rule.reason
    if reason is None:
        reason = _markup_reason(element.getparent(), memo, depth - 1)
    memo[element] = reason
    return reason
