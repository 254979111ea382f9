"""What every report shows, read once from the dossier JSON (the public contract).

Reports render the dossier dict rather than the Document so that a stored dossier renders the
same as a fresh one, and so that every HTML or Markdown view has an exact JSON twin. Layers are
read generically: a layer this module has no special reading for still gets counted, listed and
(in HTML) highlighted, with its spans described by their label, score and scalar attributes.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

Dossier = dict[str, Any]
SpanDict = dict[str, Any]

# Span fields that are not attributes (see serialize.SPAN_CORE/SPAN_DERIVED).
CORE_FIELDS = frozenset(
    ("id", "start", "end", "text", "label", "score", "stage", "model", "raw_start", "raw_end")
)


@dataclass(frozen=True)
class LayerInfo:
    name: str
    title: str
    legend: str
    labels: dict[str, str]
    css: str
    label_css: dict[str, str]
    known: bool


@lru_cache(maxsize=1)
def _layer_config() -> dict[str, Any]:
    path = resources.files("newsforensics.report").joinpath("templates/layers.toml")
    return tomllib.loads(path.read_text("utf-8"))


def structural_layers() -> frozenset[str]:
    return frozenset(_layer_config()["structural"])


def layer_info(name: str, position: int = 0) -> LayerInfo:
    """How to present a layer; ``position`` picks an unknown layer's colour."""
    config = _layer_config()
    entry = config["layers"].get(name)
    if entry is None:
        palette = config["generic_palette"]
        css = config["generic_css"].format(color=palette[position % len(palette)])
        return LayerInfo(name, name.replace("_", " ").capitalize(), f"spans of the {name} layer",
                         {}, css, {}, known=False)
    return LayerInfo(name, entry["title"], entry["legend"], dict(entry.get("labels", {})),
                     entry.get("css", ""), dict(entry.get("label_css", {})), known=True)


def ordered_layers(dossier: Dossier) -> list[str]:
    """The dossier's layers, known ones in display order first, then any others as listed."""
    present = [name for name in dossier.get("layers", []) if isinstance(dossier.get(name), list)]
    known = list(_layer_config()["layers"])
    return sorted(present, key=lambda n: (known.index(n) if n in known else len(known)))


def highlight_layers(dossier: Dossier) -> list[str]:
    return [n for n in ordered_layers(dossier) if n not in structural_layers()]


def spans(dossier: Dossier, layer: str) -> list[SpanDict]:
    value = dossier.get(layer)
    return value if isinstance(value, list) else []


def attrs_of(span: SpanDict) -> dict[str, Any]:
    return {k: v for k, v in span.items() if k not in CORE_FIELDS}


# --- one-line descriptions of spans (hover titles, table cells) ------------------------------


def _fmt_score(score: Any) -> str:
    return f"{score:.2f}" if isinstance(score, int | float) else ""


def _scalar_attrs(span: SpanDict, skip: Iterable[str] = ()) -> str:
    shown = [
        f"{k}: {v}" for k, v in attrs_of(span).items()
        if k not in set(skip) and v not in (None, "", [], {}) and isinstance(v, str | int | float | bool)
    ]
    return "; ".join(shown)


def attribution_text(span: SpanDict) -> str:
    """Who asserts a claim: the speaker, or the outlet itself."""
    attribution = span.get("attribution") or {}
    voice = attribution.get("voice")
    voice_text = f" ({voice.replace('-', ' ')})" if voice else ""
    if attribution.get("type") == "speaker" and attribution.get("speaker"):
        return f"{attribution['speaker']}{voice_text}"
    return f"the outlet{voice_text}"


def coordinates(span: SpanDict) -> str:
    lat, lon = span.get("lat"), span.get("lon")
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        return ""
    return f"{lat:.4f}, {lon:.4f}"


def date_value(span: SpanDict) -> str:
    """ISO value, or "start .. end" for a range (its end is ``end_value``: ``end`` is the offset)."""
    value = span.get("value") or ""
    return f"{value} .. {span['end_value']}" if span.get("end_value") else str(value)


def _describe_entity(s: SpanDict) -> str:
    canonical = s.get("canonical")
    return s["label"] + (f" · {canonical}" if canonical and canonical != s["text"] else "")


def _describe_place(s: SpanDict) -> str:
    country = s.get("country_name") or s.get("country") or ""
    parts = [s.get("name") or s["text"], country, coordinates(s),
             f"GeoNames {s['geonameid']}" if s.get("geonameid") else s.get("source") or ""]
    return " · ".join(p for p in parts if p)


def _describe_date(s: SpanDict) -> str:
    extra = [s.get("granularity") or "", "relative" if s.get("relative") else ""]
    return " · ".join(p for p in [f"{s['label']} {date_value(s)}", *extra] if p)


def _describe_quote(s: SpanDict) -> str:
    who = s.get("speaker") or "unknown speaker"
    role = ", ".join(p for p in (s.get("role"), s.get("organisation")) if p)
    cue = f" · cue: {s['cue']}" if s.get("cue") else ""
    return f"{s['label']} quote · {who}" + (f" ({role})" if role else "") + cue


def _describe_voice(s: SpanDict) -> str:
    return s["label"].replace("-", " ") + (f" · {s['speaker']}" if s.get("speaker") else "")


def _describe_claim(s: SpanDict) -> str:
    score = _fmt_score(s.get("checkworthiness", s.get("score")))
    return f"claim · by {attribution_text(s)}" + (f" · check-worthiness {score}" if score else "")


def _describe_technique(s: SpanDict) -> str:
    parts = [s["label"].replace("_", " "), _fmt_score(s.get("score")), s.get("definition") or ""]
    return " · ".join(p for p in parts if p)


def _describe_paragraph_technique(s: SpanDict) -> str:
    """Paragraph level: the technique is somewhere in the paragraph, not at these exact words."""
    return "paragraph-level (somewhere in this paragraph) · " + _describe_technique(s)


def _describe_generic(s: SpanDict) -> str:
    parts = [s["label"], _fmt_score(s.get("score")), _scalar_attrs(s)]
    return " · ".join(p for p in parts if p)


DESCRIBE: dict[str, Callable[[SpanDict], str]] = {
    "entities": _describe_entity,
    "places": _describe_place,
    "dates": _describe_date,
    "quotes": _describe_quote,
    "voice": _describe_voice,
    "claims": _describe_claim,
    "techniques": _describe_technique,
    "technique_paragraphs": _describe_paragraph_technique,
}


def describe(layer: str, span: SpanDict) -> str:
    """One line that answers "why is this highlighted?" for a span of any layer."""
    return f"{layer} {span.get('id', '')}: " + DESCRIBE.get(layer, _describe_generic)(span)


# --- aggregates the reports share ------------------------------------------------------------


def counts(dossier: Dossier) -> list[tuple[str, int]]:
    rows = [(name, len(spans(dossier, name))) for name in ordered_layers(dossier)]
    rows += [("boilerplate", len(dossier.get("boilerplate", []))),
             ("captions", len(dossier.get("captions", []))),
             ("warnings", len(dossier.get("warnings", [])))]
    return rows


def quotes_by_speaker(dossier: Dossier) -> list[tuple[str, list[SpanDict]]]:
    """Quotes grouped by resolved speaker, speakers in order of first appearance."""
    groups: dict[str, list[SpanDict]] = {}
    for quote in spans(dossier, "quotes"):
        groups.setdefault(quote.get("speaker") or "unresolved speaker", []).append(quote)
    return list(groups.items())


def speaker_roles(quotes: list[SpanDict]) -> str:
    roles = dict.fromkeys(
        ", ".join(p for p in (q.get("role"), q.get("organisation")) if p) for q in quotes
    )
    return "; ".join(r for r in roles if r)


def own_voice_claims(dossier: Dossier) -> list[SpanDict]:
    return [c for c in spans(dossier, "claims")
            if (c.get("attribution") or {}).get("type") == "outlet"]


def places(dossier: Dossier) -> list[dict[str, Any]]:
    """One row per distinct place (by gazetteer id or name), with its number of mentions."""
    rows: dict[Any, dict[str, Any]] = {}
    for span in spans(dossier, "places"):
        key = span.get("geonameid") or span.get("name") or span["text"]
        row = rows.setdefault(key, {
            "name": span.get("name") or span["text"], "mentions": 0, "forms": [],
            "country": span.get("country_name") or span.get("country") or "",
            "coordinates": coordinates(span), "feature": span.get("feature") or "",
            "geonameid": span.get("geonameid"), "id": span.get("id", ""),
        })
        row["mentions"] += 1
        if span["text"] not in row["forms"]:
            row["forms"].append(span["text"])
    return list(rows.values())


def timeline(dossier: Dossier) -> list[dict[str, Any]]:
    """The dated mentions of the dossier's ``timeline`` view (already in date order), shaped
    for the report tables; the publication event is shown in the metadata instead."""
    return [
        {"date": f"{row['date']} .. {row['end_date']}" if row.get("end_date") else row["date"],
         "text": row.get("text") or "", "id": row.get("date_id") or "",
         "granularity": row.get("granularity") or "", "relative": bool(row.get("relative")),
         "statement": row.get("sentence") or ""}
        for row in dossier.get("timeline") or [] if row.get("event") == "mention"
    ]


def entities(dossier: Dossier) -> list[dict[str, Any]]:
    """One row per entity (mentions sharing a cluster), fullest name first."""
    rows: dict[Any, dict[str, Any]] = {}
    for span in spans(dossier, "entities"):
        key = span.get("cluster") or (span["label"], span.get("canonical") or span["text"])
        row = rows.setdefault(key, {"name": span.get("canonical") or span["text"],
                                    "label": span["label"], "mentions": 0, "forms": []})
        row["mentions"] += 1
        if span["text"] not in row["forms"]:
            row["forms"].append(span["text"])
    return sorted(rows.values(), key=lambda r: (r["label"], -r["mentions"], r["name"]))


def other_layers(dossier: Dossier) -> list[str]:
    """Layers without a dedicated section: listed generically, span by span."""
    special = {"headline", "voice", "quotes", "claims", "places", "dates", "entities"}
    return [n for n in ordered_layers(dossier) if n not in special and n not in structural_layers()]


def removed(dossier: Dossier) -> list[dict[str, Any]]:
    return [*dossier.get("boilerplate", []), *dossier.get("captions", [])]


def metadata_rows(dossier: Dossier) -> list[tuple[str, str]]:
    published = dossier.get("published") or ""
    if published and dossier.get("published_source"):
        published += f" ({dossier['published_source']})"
    language = dossier.get("language") or ""
    if language and isinstance(dossier.get("language_score"), int | float):
        language += f" (p={dossier['language_score']:.2f})"
    rows = [
        ("Outlet", dossier.get("outlet") or dossier.get("site_name") or ""),
        ("Published", published),
        ("Author", dossier.get("author") or ""),
        ("Language", language),
        ("URL", dossier.get("canonical_url") or dossier.get("url") or ""),
        ("Source", dossier.get("source") or ""),
        ("Input", " · ".join(p for p in (dossier.get("input_kind"), dossier.get("encoding")) if p)),
        ("Words", str(len(dossier.get("text", "").split()))),
    ]
    return [(k, v) for k, v in rows if v]
