"""Placeholder: being written (issue 2)."""

from __future__ import annotations

import json
from typing import Any


def parse_record(text: str, *, source_name: str | None = None) -> dict[str, Any]:
    data = json.loads(text)
    kind = "html" if data.get("html") else "text"
    data["body"] = data.get("html") or data.get("text") or ""
    data["kind"] = kind
    return data
