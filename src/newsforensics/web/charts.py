"""Server-side SVG charts for the statistics and story pages: no chart library, no script.

A heat map (labels × outlets or months, each cell shaded by its count and labelled with it)
reads well for the sparse, many-category tables that technique and narrative counts are; a bar
chart shows one series. The SVG is built here from numbers and escaped labels only, and drawn
with presentation attributes, which the strict CSP allows (no inline style).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

CELL_W, CELL_H, LABEL_W, HEADER_H = 46, 20, 190, 90
BAR_H, BAR_W = 18, 420
SHADE = ((239, 246, 255), (8, 81, 156))  # light to dark blue
MAX_CATEGORIES = 40  # keep a chart legible: the rest is listed in the JSON twin


def _shade(share: float) -> str:
    lo, hi = SHADE
    return "#" + "".join(f"{round(a + (b - a) * share):02x}" for a, b in zip(lo, hi, strict=True))


def _clip(label: Any, width: int = 28) -> str:
    text = "(none)" if label in (None, "") else str(label).replace("_", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def heatmap(rows: Iterable[dict[str, Any]], row_key: str, col_key: str, value_key: str = "items",
            *, title: str) -> str | None:
    """An SVG heat map of ``value_key`` by ``row_key`` × ``col_key``; None without data."""
    counts: dict[tuple[Any, Any], int] = {}
    row_totals: dict[Any, int] = {}
    cols: dict[Any, None] = {}
    for r in rows:
        if r.get(row_key) in (None, ""):
            continue
        key = (r[row_key], r.get(col_key))
        counts[key] = counts.get(key, 0) + int(r.get(value_key) or 0)
        row_totals[r[row_key]] = row_totals.get(r[row_key], 0) + int(r.get(value_key) or 0)
        cols[r.get(col_key)] = None
    if not counts:
        return None
    row_labels = sorted(row_totals, key=lambda k: (-row_totals[k], str(k)))[:MAX_CATEGORIES]
    col_labels = sorted(cols, key=lambda c: (c is None, str(c)))[:MAX_CATEGORIES]
    peak = max(counts.values()) or 1
    # the rotated column labels reach right of the last column by up to the header height
    width, height = LABEL_W + CELL_W * len(col_labels) + HEADER_H, HEADER_H + CELL_H * len(row_labels) + 10
    out = [f'<svg class="chart heatmap" viewBox="0 0 {width} {height}" width="{width}" role="img" '
           f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for j, col in enumerate(col_labels):
        x = LABEL_W + CELL_W * j + CELL_W / 2
        out.append(f'<text x="{x:.0f}" y="{HEADER_H - 6}" transform="rotate(-45 {x:.0f} {HEADER_H - 6})">'
                   f"{escape(_clip(col, 18))}</text>")
    for i, row in enumerate(row_labels):
        y = HEADER_H + CELL_H * i
        out.append(f'<text x="{LABEL_W - 6}" y="{y + CELL_H * 0.7:.0f}" text-anchor="end">{escape(_clip(row))}</text>')
        for j, col in enumerate(col_labels):
            n = counts.get((row, col), 0)
            share = n / peak
            x = LABEL_W + CELL_W * j
            out.append(f'<rect x="{x}" y="{y}" width="{CELL_W - 2}" height="{CELL_H - 2}" rx="2" '
                       f'fill="{_shade(share) if n else "#f6f7f9"}"><title>{escape(_clip(row, 80))} · '
                       f"{escape(_clip(col, 80))}: {n}</title></rect>")
            if n:
                colour = "#ffffff" if share > 0.55 else "#1d2125"
                out.append(f'<text x="{x + CELL_W / 2 - 1:.0f}" y="{y + CELL_H * 0.68:.0f}" '
                           f'text-anchor="middle" fill="{colour}">{n}</text>')
    out.append("</svg>")
    return "".join(out)


def bars(series: Sequence[tuple[Any, int]], *, title: str) -> str | None:
    """A horizontal SVG bar chart of (label, count); None without data."""
    series = [(label, n) for label, n in series if n][:MAX_CATEGORIES]
    if not series:
        return None
    peak = max(n for _, n in series)
    width, height = LABEL_W + BAR_W + 60, BAR_H * len(series) + 10
    out = [f'<svg class="chart bars" viewBox="0 0 {width} {height}" width="{width}" role="img" '
           f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for i, (label, n) in enumerate(series):
        y = BAR_H * i + 4
        length = max(2.0, BAR_W * n / peak)
        out.append(f'<text x="{LABEL_W - 6}" y="{y + BAR_H * 0.65:.0f}" text-anchor="end">{escape(_clip(label))}</text>'
                   f'<rect x="{LABEL_W}" y="{y}" width="{length:.1f}" height="{BAR_H - 4}" rx="2" fill="#2166ac">'
                   f"<title>{escape(_clip(label, 80))}: {n}</title></rect>"
                   f'<text x="{LABEL_W + length + 4:.1f}" y="{y + BAR_H * 0.65:.0f}">{n}</text>')
    out.append("</svg>")
    return "".join(out)


ROLE_COLOURS = {"claim": "#c92a2a", "report": "#2166ac", "copy": "#868e96", "denial": "#e8590c"}
LANE_H, PLOT_W = 30, 640


def story_timeline(items: Sequence[dict[str, Any]], copies: Sequence[dict[str, Any]]) -> str | None:
    """The items of a story by date (x) and outlet (one lane each), coloured by role, with a
    line from each original to its copy; undated items are left out (they are in the table)."""
    import datetime as dt

    dated = [m for m in items if m.get("published")]
    if not dated:
        return None
    days = {m["item_id"]: dt.date.fromisoformat(m["published"][:10]) for m in dated}
    first, last = min(days.values()), max(days.values())
    span = max((last - first).days, 1)
    lanes = list(dict.fromkeys(m.get("outlet") or "(unknown outlet)" for m in dated))
    width, height = LABEL_W + PLOT_W + 30, LANE_H * len(lanes) + 40
    where: dict[int, tuple[float, float]] = {}
    out = [f'<svg class="chart story-timeline" viewBox="0 0 {width} {height}" width="{width}" role="img" '
           'aria-label="Items of the story by date and outlet" xmlns="http://www.w3.org/2000/svg">']
    for i, lane in enumerate(lanes):
        y = LANE_H * i + LANE_H / 2
        out.append(f'<text x="{LABEL_W - 8}" y="{y + 4:.0f}" text-anchor="end">{escape(_clip(lane))}</text>'
                   f'<line class="axis" x1="{LABEL_W}" x2="{LABEL_W + PLOT_W}" y1="{y:.0f}" y2="{y:.0f}" '
                   'stroke="#dde1e6"/>')
    per_slot: dict[tuple[str, int], int] = {}
    for m in dated:
        lane = lanes.index(m.get("outlet") or "(unknown outlet)")
        offset = (days[m["item_id"]] - first).days
        nth = per_slot.get((str(lane), offset), 0)
        per_slot[(str(lane), offset)] = nth + 1
        x = LABEL_W + PLOT_W * offset / span + nth * 7
        y = LANE_H * lane + LANE_H / 2
        where[m["item_id"]] = (x, y)
    for pair in copies:
        a, b = where.get(pair["original_id"]), where.get(pair["copy_id"])
        if a and b:
            out.append(f'<line x1="{a[0]:.1f}" y1="{a[1]:.1f}" x2="{b[0]:.1f}" y2="{b[1]:.1f}" '
                       'stroke="#868e96" stroke-dasharray="3 2"/>')
    for m in dated:
        x, y = where[m["item_id"]]
        colour = ROLE_COLOURS.get(str(m.get("role")), "#5e3c99")
        label = f"{m['published']} · {m.get('outlet') or ''} · {m.get('role') or ''} · {m.get('title') or ''}"
        out.append(f'<a href="/items/{int(m["item_id"])}"><circle cx="{x:.1f}" cy="{y:.1f}" r="6" '
                   f'fill="{colour}" stroke="#fff"><title>{escape(_clip(label, 140))}</title></circle></a>')
    axis_y = LANE_H * len(lanes) + 16
    for day, anchor, x in ((first, "start", LABEL_W), (last, "end", LABEL_W + PLOT_W)):
        out.append(f'<text x="{x}" y="{axis_y}" text-anchor="{anchor}" class="muted">{day.isoformat()}</text>')
    out.append("</svg>")
    return "".join(out)
