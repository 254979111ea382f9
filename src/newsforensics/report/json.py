"""JSON and JSONL renderings of dossiers: thin over ``serialize`` (the contract lives there)."""

from __future__ import annotations

import json
from typing import Any


def render(dossier: dict[str, Any]) -> str:
    """One dossier as indented JSON (what ``--format json`` prints)."""
    return json.dumps(dossier, ensure_ascii=False, indent=2) + "\n"


def render_line(dossier: dict[str, Any]) -> str:
    """One dossier as one JSONL line: compact, no newline inside."""
    return json.dumps(dossier, ensure_ascii=False, separators=(",", ":")) + "\n"
