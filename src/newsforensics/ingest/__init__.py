"""Readers: turn one raw news item (bytes or str: HTML, plain text or a JSON record) into a
Document whose ``text`` is the clean article body.

``load`` sniffs the kind, decodes bytes (encoding detection, mojibake repair), then hands the
item to the reader for that kind. Removed boilerplate and captions travel with the Document as
``Removed`` records so the analyst can see what was cut. Explicit arguments (url, published,
title, outlet, language) win over anything read from the item.
"""

from __future__ import annotations

from typing import Any

from ..document import Document
from ..errors import InputError
from .decode import decode_bytes, replace_surrogates, sniff_kind
from .html import read_html
from .records import parse_record
from .text import read_text

MAX_INPUT_BYTES = 50 * 1024 * 1024
KINDS = ("auto", "html", "text", "json")


def load(
    source: bytes | str,
    *,
    kind: str = "auto",
    url: str | None = None,
    published: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    language: str | None = None,
    source_name: str | None = None,
) -> Document:
    """Read one news item into a Document (clean text, metadata, removed parts, warnings)."""
    if kind not in KINDS:
        raise InputError(f"unknown input kind {kind!r}; use one of {', '.join(KINDS)}")
    source_name = _valid_unicode(source_name, [])
    size = len(source)
    if size > MAX_INPUT_BYTES:
        raise InputError(
            f"{source_name or 'input'} is {size / 2**20:.0f} MB; the limit for one item is "
            f"{MAX_INPUT_BYTES // 2**20} MB (split it, or pass a single article)"
        )
    warnings: list[tuple[str, str]] = []
    encoding = None
    if isinstance(source, bytes):  # decoded text holds no surrogates: only a str can
        source, encoding, warnings = decode_bytes(source, source_name=source_name)
    else:
        source = _valid_unicode(source, warnings)
    source = source.removeprefix("\ufeff")  # a byte-order mark read as text is not content
    if not source.strip():
        raise InputError(f"{source_name or 'input'} is empty: there is no text to analyse")
    if kind == "auto":
        kind = sniff_kind(source)

    overrides: dict[str, Any] = {
        k: _valid_unicode(v, warnings) for k, v in
        {"url": url, "published": published, "title": title, "outlet": outlet, "language": language}.items()
    }
    if kind == "json":
        record = {k: _valid_unicode(v, warnings) for k, v in parse_record(source, source_name=source_name).items()}
        body = record.pop("body")
        body_kind = record.pop("kind")
        overrides = {k: v if v is not None else record.get(k) for k, v in overrides.items()}
        doc = read_html(body) if body_kind == "html" else read_text(body)
        doc.meta.input_kind = "record"
    elif kind == "html":
        doc = read_html(source)
    else:
        doc = read_text(source)

    meta = doc.meta
    for key, value in overrides.items():
        if value:
            setattr(meta, key, value)
            if key == "published":
                meta.published_source = "input"
    meta.source_name = source_name
    meta.encoding = encoding or meta.encoding
    for code, message in dict.fromkeys(warnings):
        doc.warn(code, message, "extract")
    if not doc.text.strip():
        doc.warn(
            "no-body",
            "no article body was found in the input; the dossier has metadata only",
            "extract",
        )
    return doc


def _valid_unicode(value: Any, warnings: list[tuple[str, str]]) -> Any:
    """A string with its lone surrogates replaced (and a warning), so that it can be stored and
    written as UTF-8; other values as they are."""
    if not isinstance(value, str):
        return value
    value, replaced = replace_surrogates(value)
    if replaced:
        warnings.append(("invalid-unicode", "the input held lone UTF-16 surrogates (invalid Unicode, "
                         "e.g. a JSON \\ud800 escape); they were replaced with U+FFFD"))
    return value
