"""Reports of a dossier: JSON, JSONL, Markdown, self-contained HTML and a terminal summary.

Every report renders the dossier's JSON form (``serialize.to_dict``), so a stored dossier and a
fresh analysis render identically and each view has an exact JSON twin.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..document import Document
from ..serialize import to_dict
from . import html, json, markdown, terminal

RENDERERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "json": json.render,
    "jsonl": json.render_line,
    "markdown": markdown.render,
    "html": html.render,
    "summary": terminal.render,
}
FORMATS = tuple(RENDERERS)
SUFFIX_FORMATS = {
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".md": "markdown",
    ".markdown": "markdown", ".html": "html", ".htm": "html", ".txt": "summary",
}
FORMAT_SUFFIX = {"json": ".json", "jsonl": ".jsonl", "markdown": ".md", "html": ".html", "summary": ".txt"}


def as_dossier(doc: Document | dict[str, Any], *, include_raw: bool = True) -> dict[str, Any]:
    return to_dict(doc, include_raw=include_raw) if isinstance(doc, Document) else doc


def format_for_path(path: str | Path) -> str | None:
    """The report format a file name asks for (``dossier.html`` → ``html``), if any."""
    return SUFFIX_FORMATS.get(Path(path).suffix.lower())


def render(doc: Document | dict[str, Any], fmt: str, *, include_raw: bool = True) -> str:
    """One dossier in one of ``FORMATS``."""
    if fmt not in RENDERERS:
        raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")
    return RENDERERS[fmt](as_dossier(doc, include_raw=include_raw))
