"""JSON records: one news item as ``{"text"|"html": …, "url", "title", "published", "outlet",
"language"}`` (the shape scrapers and news APIs emit), checked at the boundary so that a bad
record meets the user as one clear sentence."""

from __future__ import annotations

import json
from typing import Any

from ..errors import InputError

METADATA_KEYS = ("url", "title", "published", "outlet", "language")


def parse_record(text: str, *, source_name: str | None = None) -> dict[str, Any]:
    """The record's body (``body``, ``kind`` "html" | "text") and its metadata fields."""
    name = source_name or "the input"
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise InputError(f"{name} is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise InputError(f"{name} is JSON nested too deeply to be a news record") from None
    if not isinstance(data, dict):
        raise InputError(
            f"{name} is a JSON {type(data).__name__}, not a record: pass one object with a "
            '"text" or "html" field (use JSON Lines or a directory for many items)'
        )
    html, plain = data.get("html"), data.get("text")
    if isinstance(html, str) and html.strip():
        record: dict[str, Any] = {"body": html, "kind": "html"}
    elif isinstance(plain, str) and plain.strip():
        record = {"body": plain, "kind": "text"}
    else:
        raise InputError(f'{name} is a JSON record without a non-empty "text" or "html" string field')
    for key in METADATA_KEYS:
        value = data.get(key)  # strings only: a number or object here is not a usable value
        record[key] = (value.strip() or None) if isinstance(value, str) else None
    return record
