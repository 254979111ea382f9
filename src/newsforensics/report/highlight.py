"""Article text as escaped HTML with every layer's spans highlighted, overlaps included.

Spans of different layers overlap freely (a place inside a quote inside an own-voice
sentence), so the text is cut at every span boundary and each piece is wrapped once, carrying
the classes of all spans that cover it and a hover title listing them. Nothing from the article
is ever emitted unescaped: the text and every title go through ``html.escape``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from typing import Any

_NOT_CLASS_CHAR = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Mark:
    """A span to highlight: its layer, offsets and the JSON span it came from."""

    layer: str
    start: int
    end: int
    span: dict[str, Any]


def css_token(value: str) -> str:
    """A safe class-name fragment for a layer or label ("own-voice", "PERSON" → "person")."""
    return _NOT_CLASS_CHAR.sub("-", value.lower()).strip("-") or "x"


def pieces(length: int, marks: Iterable[Mark]) -> list[tuple[int, int, list[Mark]]]:
    """Cut ``[0, length)`` at every mark boundary; each piece lists the marks covering it."""
    valid = sorted(
        (m for m in marks if 0 <= m.start < m.end <= length), key=lambda m: (m.start, -m.end)
    )
    bounds = sorted({0, length, *(m.start for m in valid), *(m.end for m in valid)})
    out: list[tuple[int, int, list[Mark]]] = []
    active: list[Mark] = []
    next_mark = 0
    for start, end in zip(bounds, bounds[1:], strict=False):
        active = [m for m in active if m.end > start]
        while next_mark < len(valid) and valid[next_mark].start == start:
            active.append(valid[next_mark])
            next_mark += 1
        out.append((start, end, list(active)))
    return out


def highlight(text: str, marks: Iterable[Mark], describe: Callable[[Mark], str],
              attributes: Callable[[list[Mark]], dict[str, str]] | None = None) -> str:
    """Escaped HTML of ``text`` where each covered piece is a ``<span>`` with layer classes.

    A span's first piece is preceded by an empty anchor ``<a id="layer-id">`` so that tables
    can link to the evidence in the text. ``attributes`` adds more attributes to a piece from
    the marks covering it (the web page's ``data-refs``); their values are escaped here.
    """
    html: list[str] = []
    anchored: set[str] = set()
    for start, end, covering in pieces(len(text), marks):
        chunk = escape(text[start:end], quote=False)
        for mark in covering:
            anchor = f"{css_token(mark.layer)}-{css_token(str(mark.span.get('id', '')))}"
            if mark.start == start and anchor not in anchored:
                anchored.add(anchor)
                html.append(f'<a id="{anchor}"></a>')
        if not covering:
            html.append(chunk)
            continue
        classes = dict.fromkeys(
            cls for m in covering
            for cls in (f"l-{css_token(m.layer)}",
                        f"l-{css_token(m.layer)}--{css_token(str(m.span.get('label', '')))}")
        )
        title = "\n".join(describe(m) for m in covering)
        extra = "".join(f' {name}="{escape(value, quote=True)}"'
                        for name, value in (attributes(covering) if attributes else {}).items())
        html.append(
            f'<span class="{" ".join(classes)}" title="{escape(title, quote=True)}"{extra}>{chunk}</span>'
        )
    return "".join(html)
