"""Readers for earlier fact-checks: ClaimReview JSON-LD, ClaimReview CSV, plain claim lists.

ClaimReview (schema.org) reaches users in many shapes: one object, a list, a ``@graph``, nested
in a ``WebPage`` (``mainEntity``), embedded in a fact-check's HTML page as
``<script type="application/ld+json">``, JSON lines, or Google's Fact Check Tools export
(``claims[].claimReview[]``). All are read by walking the JSON for ClaimReview nodes. CSV
headers are matched loosely (``claimReviewed``, ``claim_reviewed`` and ``Claim reviewed`` are
one column). A plain list is one claim a line, or ``id<TAB>claim`` lines.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import InputError
from .checkthat import read_vclaims
from .records import FactCheck

MAX_FILE_BYTES = 512 * 1024 * 1024
FORMATS = ("auto", "claimreview", "csv", "list", "checkthat")
_LD_SCRIPT = re.compile(
    r"<script[^>]*type\s*=\s*[\"']application/ld\+json[\"'][^>]*>(.*?)</script>", re.I | re.S)

# CSV column names (folded: lower case, letters and digits only) → FactCheck fields.
CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "claimid", "factcheckid", "vclaimid"),
    "claim": ("claimreviewed", "claim", "claimtext", "text", "vclaim", "statement"),
    "title": ("title", "headline", "reviewtitle", "name"),
    "verdict": ("reviewratingalternatename", "alternatename", "textualrating", "rating", "verdict",
                "truthlabel", "label"),
    "url": ("url", "reviewurl", "claimreviewurl", "link", "pageurl"),
    "claimant": ("claimant", "itemreviewedauthorname", "claimauthor", "speaker", "author"),
    "published": ("datepublished", "reviewdate", "date", "published"),
    "publisher": ("publisher", "publishername", "authorname", "factchecker", "site"),
    "language": ("inlanguage", "language", "languagecode", "lang"),
}


def stable_id(*parts: str | None) -> str:
    """An id for a fact-check that has none: the same claim and link always get the same one."""
    digest = hashlib.sha1("\x00".join(p or "" for p in parts).encode("utf-8")).hexdigest()
    return f"fc-{digest[:16]}"


def read_factchecks(path: Path, fmt: str = "auto") -> Iterator[FactCheck]:
    """Every fact-check in ``path``; ``fmt`` is one of ``FORMATS`` (``auto`` sniffs the file)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InputError(f"{path}: larger than {MAX_FILE_BYTES >> 20} MiB; split it")
    if fmt not in FORMATS:
        raise InputError(f"unknown fact-check format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "auto":
        fmt = sniff(path)
    if fmt == "checkthat":
        yield from read_vclaims(path)
        return
    text = _read_text(path)
    source = str(path)
    if fmt == "claimreview":
        yield from claimreviews_from_text(text, source)
    elif fmt == "csv":
        yield from claimreviews_from_csv(text, source)
    else:
        yield from plain_list(text, source)


def sniff(path: Path) -> str:
    """The format of a file from its name and first bytes."""
    name = path.name.lower()
    if name.endswith((".jsonl.gz", ".json.gz")) or name.endswith(".tsv.gz"):
        return "checkthat"
    with open(path, "rb") as handle:
        head = handle.read(4096).decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if name.endswith((".csv",)):
        return "csv"
    if head.startswith(("{", "[")):
        return "checkthat" if '"vclaim_id"' in head and '"vclaim"' in head else "claimreview"
    if name.endswith((".html", ".htm")) or head[:1] == "<":
        return "claimreview"
    return "list"


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: binary data, not a fact-check file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text; convert it to UTF-8 first") from None


# --- ClaimReview JSON-LD ------------------------------------------------------------------------


def claimreviews_from_text(text: str, source: str | None = None) -> Iterator[FactCheck]:
    """ClaimReviews in a JSON document, JSON lines, or the JSON-LD scripts of an HTML page."""
    stripped = text.lstrip()
    if stripped.startswith("<"):
        blocks = [html.unescape(b) if "&quot;" in b else b for b in _LD_SCRIPT.findall(text)]
        if not blocks:
            raise InputError(f"{source or 'input'}: an HTML page without JSON-LD scripts")
    else:
        blocks = [text]
    found = 0
    for block in blocks:
        for node in _json_values(block, source):
            for review in _claimreview_nodes(node):
                record = claimreview_record(review, source)
                if record is not None:
                    found += 1
                    yield record
    if not found:
        raise InputError(f"{source or 'input'}: no ClaimReview with a claimReviewed text found")


def _json_values(block: str, source: str | None) -> Iterator[Any]:
    try:
        yield json.loads(block)
        return
    except json.JSONDecodeError as whole_error:
        lines = [ln for ln in block.splitlines() if ln.strip()]
        if len(lines) < 2:
            raise InputError(f"{source or 'input'}: not valid JSON ({whole_error.msg}, "
                             f"line {whole_error.lineno})") from None
    for line_no, line in enumerate(lines, 1):  # JSON lines
        try:
            yield json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{source or 'input'}: line {line_no} is not JSON ({exc.msg})") from None


def _types(node: Mapping[str, Any]) -> set[str]:
    value = node.get("@type", ())
    values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return {str(v).rsplit("/", 1)[-1] for v in values}


def _claimreview_nodes(node: Any, depth: int = 0) -> Iterator[Mapping[str, Any]]:
    """Every ClaimReview object inside a JSON value (and Fact Check Tools claims, converted)."""
    if depth > 32:
        return
    if isinstance(node, list):
        for item in node:
            yield from _claimreview_nodes(item, depth + 1)
        return
    if not isinstance(node, dict):
        return
    if "ClaimReview" in _types(node):
        yield node
        return
    if isinstance(node.get("claimReview"), list) and "text" in node:  # Fact Check Tools API
        for review in node["claimReview"]:
            if isinstance(review, dict):
                yield _from_factcheck_tools(node, review)
        return
    for value in node.values():
        if isinstance(value, (dict, list)):
            yield from _claimreview_nodes(value, depth + 1)


def _from_factcheck_tools(claim: Mapping[str, Any], review: Mapping[str, Any]) -> dict[str, Any]:
    return {"@type": "ClaimReview", "claimReviewed": claim.get("text"), "url": review.get("url"),
            "name": review.get("title"), "datePublished": review.get("reviewDate"),
            "reviewRating": {"alternateName": review.get("textualRating")},
            "author": review.get("publisher"), "inLanguage": review.get("languageCode"),
            "itemReviewed": {"author": {"name": claim.get("claimant")},
                             "datePublished": claim.get("claimDate")}}


def _name(value: Any) -> str | None:
    """A person/organisation's name from a string, an object or a list of them."""
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value) if n]
        return ", ".join(names) or None
    if isinstance(value, dict):
        return _text(value.get("name")) or _text(value.get("url"))
    return _text(value)


def _text(value: Any) -> str | None:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = " ".join(str(value).split())
        return text or None
    return None


def claimreview_record(review: Mapping[str, Any], source: str | None = None) -> FactCheck | None:
    """One ClaimReview as a FactCheck; None when it names no reviewed claim."""
    claim = _text(review.get("claimReviewed"))
    item = review.get("itemReviewed") if isinstance(review.get("itemReviewed"), dict) else {}
    claim = claim or _text(item.get("name")) or _text(item.get("text"))
    if not claim:
        return None
    rating = review.get("reviewRating") if isinstance(review.get("reviewRating"), dict) else {}
    verdict = _text(rating.get("alternateName")) or _text(rating.get("name"))
    if verdict is None and rating.get("ratingValue") is not None:
        best, worst = rating.get("bestRating"), rating.get("worstRating")
        scale = f" (scale {worst}–{best})" if best is not None and worst is not None else ""
        verdict = f"{rating['ratingValue']}{scale}"
    url = _text(review.get("url")) or _text(review.get("@id"))
    language = review.get("inLanguage")
    return FactCheck(
        id=_text(review.get("identifier")) or stable_id(claim, url),
        claim=claim, title=_text(review.get("name")) or _text(review.get("headline")) or "",
        verdict=verdict, url=url, claimant=_name(item.get("author")),
        published=_text(review.get("datePublished")), publisher=_name(review.get("author"))
        or _name(review.get("publisher")), language=_name(language), source=source,
        extra={k: v for k, v in (("claim_date", _text(item.get("datePublished"))),) if v},
    )


# --- ClaimReview CSV ----------------------------------------------------------------------------


def _fold(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def claimreviews_from_csv(text: str, source: str | None = None) -> Iterator[FactCheck]:
    """Fact-checks from a CSV with a header (comma, semicolon or tab separated)."""
    # Only the delimiter is sniffed: the Sniffer's quote-character guess takes a claim's
    # apostrophes for quoting ("'" alone in a cell), while every exporter quotes with '"'.
    try:
        delimiter = csv.Sniffer().sniff(text[:8192], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise InputError(f"{source or 'input'}: an empty CSV file")
    folded = [_fold(h) for h in header]
    column: dict[str, int] = {}
    for field, names in CSV_COLUMNS.items():
        for name in names:
            if name in folded and folded.index(name) not in column.values():
                column[field] = folded.index(name)
                break
    if "claim" not in column:
        raise InputError(f"{source or 'input'}: no claim column in the CSV header (expected one of "
                         f"{', '.join(CSV_COLUMNS['claim'])})")
    for row in reader:
        values = {f: " ".join(row[i].split()) for f, i in column.items() if i < len(row) and row[i].strip()}
        if not values.get("claim"):
            continue
        claim = values.pop("claim")
        record_id = values.pop("id", None) or stable_id(claim, values.get("url"))
        yield FactCheck(id=record_id, claim=claim, source=source, **values)


# --- plain lists --------------------------------------------------------------------------------


def plain_list(text: str, source: str | None = None) -> Iterator[FactCheck]:
    """One claim a line, or ``id<TAB>claim[<TAB>verdict[<TAB>url]]``; ``#`` lines are comments."""
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) == 1:
            claim = " ".join(parts[0].split())
            yield FactCheck(id=stable_id(claim), claim=claim, source=source)
            continue
        record_id, claim, *rest = parts
        if not claim:
            continue
        yield FactCheck(id=record_id or stable_id(claim), claim=claim, source=source,
                        verdict=rest[0] if rest and rest[0] else None,
                        url=rest[1] if len(rest) > 1 and rest[1] else None)
