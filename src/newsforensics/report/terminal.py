"""The terminal summary: what an analyst reads first, laid out for 80 columns with rich.

Article-derived strings are passed to rich as ``Text`` objects (never as console markup), so
brackets in hostile text cannot restyle or hide output.
"""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from . import digest
from .sections import text_sections

MAX_ROWS = 12  # per section; the JSON and HTML reports have everything


def _shorten(value: Any, width: int = 160, style: str = "") -> Text:
    text = " ".join(str(value).split())
    return Text(text if len(text) <= width else text[: width - 1] + "…", style=style)


def _indented(*parts: str | Text | tuple[str, str]) -> Padding:
    return Padding(Text.assemble(*parts), (0, 0, 0, 2))


def _section(title: str, rows: list[RenderableType], hidden: int = 0) -> list[RenderableType]:
    if not rows:
        return []
    more = [Text(f"  … and {hidden} more", style="dim")] if hidden > 0 else []
    return [Text(""), Text(title, style="bold underline"), *rows, *more]


def _grid(*columns: dict[str, Any]) -> Table:
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1, 0, 0), expand=False)
    for column in columns:
        table.add_column(**column)
    return table


def _technique_rows(dossier: dict[str, Any]) -> tuple[list[RenderableType], int]:
    """Technique spans in the order the ``technique_stats`` view ranks them, and how many are cut."""
    spans = {s["id"]: s for s in dossier.get("techniques", [])}
    ranked = [spans[i] for i in (dossier.get("technique_stats") or {}).get("strongest", []) if i in spans]
    rows: list[RenderableType] = [
        _indented(f"{s['id']} ", (s["label"].replace("_", " "), "magenta"),
                  (f" {s['score']:.2f} " if s.get("score") is not None else " ", "dim"),
                  _shorten(s["text"], 120))
        for s in ranked[:MAX_ROWS]]
    return rows, len(spans) - len(rows)


def summary(dossier: dict[str, Any]) -> Group:
    """A rich renderable summarising one dossier."""
    parts: list[RenderableType] = [Text(dossier.get("title") or "(no headline found)", style="bold")]
    meta = _grid({"style": "dim", "no_wrap": True}, {"overflow": "fold"})
    for key, value in digest.metadata_rows(dossier):
        meta.add_row(key, Text(value))
    parts.append(meta)
    parts.append(Text("  ".join(f"{n} {c}" for n, c in digest.counts(dossier) if c), style="cyan"))

    warnings = dossier.get("warnings", [])
    parts += _section("Warnings", [_indented((w["code"], "yellow"), ": ", w["message"])
                                   for w in warnings])

    for title, lines in text_sections(dossier):
        parts += _section(title, [_indented(_shorten(line, 240)) for line in lines[:MAX_ROWS]],
                          len(lines) - MAX_ROWS)

    parts += _section("Persuasion techniques (strongest first; score = span × technique probability)",
                      *_technique_rows(dossier))
    paragraph_level = dossier.get("technique_paragraphs", [])
    parts += _section("Persuasion techniques, paragraph level (somewhere in the paragraph; "
                      "score = probability)",
                      [_indented(f"{s['id']} ", (s["label"].replace("_", " "), "magenta"),
                                 (f" {s['score']:.2f} ", "dim"), _shorten(s["text"], 100))
                       for s in paragraph_level[:MAX_ROWS]], len(paragraph_level) - MAX_ROWS)

    speakers = digest.quotes_by_speaker(dossier)
    rows: list[RenderableType] = []
    for speaker, quotes in speakers[:MAX_ROWS]:
        roles = digest.speaker_roles(quotes)
        rows.append(Text.assemble(_shorten(speaker, 60, "bold"),
                                  (f" — {' '.join(roles.split())}" if roles else "", "dim"),
                                  (f"  ({len(quotes)})", "dim")))
        rows += [_indented(f"{q['id']} ", _shorten(q["text"].strip("“”\"' "), 150)) for q in quotes[:3]]
    parts += _section("Quotes by speaker", rows, len(speakers) - MAX_ROWS)

    own = digest.own_voice_claims(dossier)
    parts += _section("Claims in the outlet's own voice",
                      [_indented(f"{c['id']} ", _shorten(c["text"])) for c in own[:MAX_ROWS]],
                      len(own) - MAX_ROWS)

    places = digest.places(dossier)
    table = _grid({"no_wrap": True}, {"style": "dim", "no_wrap": True}, {"no_wrap": True})
    for place in places[:MAX_ROWS]:
        table.add_row(Text(place["name"]), Text(place["country"]), place["coordinates"])
    parts += _section("Places", [table] if places else [], len(places) - MAX_ROWS)

    timeline = digest.timeline(dossier)
    table = _grid({"no_wrap": True, "style": "green"}, {"overflow": "fold"})
    for row in timeline[:MAX_ROWS]:
        table.add_row(row["date"], _shorten(row["statement"] or row["text"], 110))
    parts += _section("Timeline", [table] if timeline else [], len(timeline) - MAX_ROWS)

    removed = digest.removed(dossier)
    parts += _section("Removed from the text", [
        _indented((f"{r['kind']}: ", "dim"), _shorten(r["text"], 50), (f" — {r['reason']}", "dim"))
        for r in removed[:MAX_ROWS]
    ], len(removed) - MAX_ROWS)
    return Group(*parts)


def render(dossier: dict[str, Any], *, width: int = 80, color: bool = False) -> str:
    """The summary as a string (plain text unless ``color``)."""
    console = Console(width=width, record=True, color_system="standard" if color else None,
                      force_terminal=color, file=io.StringIO())
    console.print(summary(dossier))
    return "\n".join(line.rstrip() for line in console.export_text(styles=color).splitlines()) + "\n"

