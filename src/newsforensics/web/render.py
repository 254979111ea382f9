"""The dossier page's pieces, built from the dossier JSON like every report.

The highlighted text reuses the report's cutting of overlapping spans into pieces; each piece
also carries ``data-refs`` (``layer:id`` of every span covering it) so that the page script can
show the full spans on click. The map places the dossier's places on the vendored Natural
Earth basemap (``static/world.svg``, plate carrée) with plain arithmetic; nothing is fetched.
Everything from the article is escaped here or by the autoescaping templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..report import digest
from ..report.highlight import Mark, css_token, highlight
from ..report.html import layer_css, layer_infos

Dossier = dict[str, Any]
MAP_SCALE = 2  # basemap units per degree (see build_basemap.SCALE)
MAP_WIDTH, MAP_HEIGHT = 360 * MAP_SCALE, 180 * MAP_SCALE
MIN_MAP_SPAN_DEG = 24.0  # zoom no closer than this, so that one place still shows its region


def highlighted_text(dossier: Dossier) -> str:
    """The article as escaped HTML, each covered piece a focusable span with layer classes and
    ``data-refs`` naming every span that covers it."""
    layers = [info.name for info in layer_infos(dossier)]
    marks = [Mark(layer, s["start"], s["end"], s) for layer in layers for s in digest.spans(dossier, layer)]
    return highlight(
        dossier.get("text", ""), marks, lambda m: digest.describe(m.layer, m.span),
        lambda covering: {"data-refs": " ".join(f"{m.layer}:{m.span.get('id', '')}" for m in covering),
                          "tabindex": "0"},
    )


def stylesheet(dossier: Dossier) -> str:
    """Per-layer highlight rules of this dossier (toggled by CSS-only checkboxes)."""
    return layer_css(layer_infos(dossier))


def layer_toggles(dossier: Dossier) -> list[tuple[digest.LayerInfo, str, int]]:
    return [(info, css_token(info.name), len(digest.spans(dossier, info.name)))
            for info in layer_infos(dossier)]


@dataclass(frozen=True)
class MapPoint:
    name: str
    country: str
    x: float
    y: float
    mentions: int
    anchor: str


@dataclass(frozen=True)
class MapView:
    view_box: str
    points: list[MapPoint]
    radius: float


def project(lat: float, lon: float) -> tuple[float, float]:
    return (lon + 180.0) * MAP_SCALE, (90.0 - lat) * MAP_SCALE


def place_map(dossier: Dossier) -> MapView | None:
    """The places with coordinates, and a view box framing them; None when there are none."""
    rows: dict[Any, dict[str, Any]] = {}
    for span in digest.spans(dossier, "places"):
        lat, lon = span.get("lat"), span.get("lon")
        if not isinstance(lat, int | float) or not isinstance(lon, int | float):
            continue
        key = span.get("geonameid") or (round(lat, 3), round(lon, 3))
        row = rows.setdefault(key, {"span": span, "mentions": 0})
        row["mentions"] += 1
    if not rows:
        return None
    points = []
    for row in rows.values():
        span = row["span"]
        x, y = project(span["lat"], span["lon"])
        points.append(MapPoint(span.get("name") or span["text"],
                               span.get("country_name") or span.get("country") or "", x, y,
                               row["mentions"], f"places-{css_token(str(span.get('id', '')))}"))
    xs, ys = [p.x for p in points], [p.y for p in points]
    min_span = MIN_MAP_SPAN_DEG * MAP_SCALE
    width = max(max(xs) - min(xs), min_span) * 1.3
    height = max(max(ys) - min(ys), min_span * 0.6) * 1.3
    width, height = max(width, height * 1.6), max(height, width / 1.6)  # keep a landscape frame
    left = min(max((max(xs) + min(xs) - width) / 2, 0.0), max(MAP_WIDTH - width, 0.0))
    top = min(max((max(ys) + min(ys) - height) / 2, 0.0), max(MAP_HEIGHT - height, 0.0))
    width, height = min(width, MAP_WIDTH), min(height, MAP_HEIGHT)
    return MapView(f"{left:.1f} {top:.1f} {width:.1f} {height:.1f}", points, radius=width / 110)
