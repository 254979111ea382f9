"""Report sections an analysis package adds beyond the shared digest (layers, quotes, claims …).

A section is a titled list of plain-text lines read off the dossier's JSON form; a line that
starts with a space details the line before it. Which module provides which section, and their
order, is data (``data/report_sections.toml``), found the way stages, views and document sections
are (:mod:`newsforensics.declared`): the terminal, Markdown and HTML reports show the same sections
and import none of the analyses.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from ..declared import resolve

Dossier = dict[str, Any]
SectionLines = Callable[[Dossier], list[str]]

_SECTIONS: dict[str, tuple[str, SectionLines]] = {}


def report_section(name: str, title: str) -> Callable[[SectionLines], SectionLines]:
    """Register ``fn`` (dossier → lines) as the report section ``name``, shown under ``title``."""

    def wrap(fn: SectionLines) -> SectionLines:
        _SECTIONS[name] = (title, fn)
        return fn

    return wrap


@lru_cache(maxsize=1)
def _declared() -> tuple[tuple[str, SectionLines], ...]:
    return tuple(resolve("data/report_sections.toml", "report_sections", _SECTIONS).values())


def text_sections(dossier: Dossier) -> list[tuple[str, list[str]]]:
    """Every declared section as (title, lines), in the data file's order; empty ones left out."""
    out = [(title, fn(dossier)) for title, fn in _declared()]
    return [(title, lines) for title, lines in out if lines]
