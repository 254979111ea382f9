"""The dossier's JSON form: one versioned, schema'd serialisation of a Document.

Layers become top-level lists named after the layer (``quotes``, ``claims`` …); each span is a
flat object: its core fields, its raw-input offsets, its provenance, then its attributes.
Removed parts are split into ``boilerplate`` and ``captions``; the document's typed sections go
under ``extra`` (their earlier key). ``from_dict`` reverses it, so a stored dossier can be
reloaded into the same model. The schema is ``schema/dossier.schema.json`` with each declared
section's fragment filled in (:mod:`newsforensics.sections`).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from . import sections
from .document import SCHEMA_VERSION, Document, Metadata, OffsetMap, Removed, Span, StageRun, Warning_
from .version import __version__
from .views import all_views

SPAN_CORE = ("id", "start", "end", "text", "label", "score", "stage", "model")
SPAN_DERIVED = ("raw_start", "raw_end")
META_FIELDS = (
    "title", "url", "canonical_url", "outlet", "site_name", "author", "published",
    "published_source", "language", "language_score", "input_kind", "encoding",
)


def span_to_dict(doc: Document, span: Span) -> dict[str, Any]:
    out: dict[str, Any] = {k: getattr(span, k) for k in SPAN_CORE}
    raw = doc.raw_offsets(span)
    out["raw_start"], out["raw_end"] = raw if raw else (None, None)
    clash = set(span.attrs) & (set(SPAN_CORE) | set(SPAN_DERIVED))
    if clash:
        raise ValueError(f"span attributes {sorted(clash)} clash with core field names")
    out.update(span.attrs)
    return out


def span_from_dict(data: dict[str, Any]) -> Span:
    attrs = {k: v for k, v in data.items() if k not in SPAN_CORE and k not in SPAN_DERIVED}
    return Span(
        data["start"], data["end"], data["label"], data["text"], data["stage"],
        data.get("model"), data.get("score"), attrs, data.get("id", ""),
    )


def _removed_to_dict(r: Removed) -> dict[str, Any]:
    return {"raw_start": r.raw_start, "raw_end": r.raw_end, "text": r.text, "kind": r.kind,
            "reason": r.reason, **r.attrs}


def to_dict(doc: Document, *, include_raw: bool = True) -> dict[str, Any]:
    """The public JSON contract for one dossier."""
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "generator": f"newsforensics {__version__}",
        "source": doc.meta.source_name,
    }
    out.update({f: getattr(doc.meta, f) for f in META_FIELDS})
    out["text"] = doc.text
    out["boilerplate"] = [_removed_to_dict(r) for r in doc.removed if r.kind != "caption"]
    out["captions"] = [_removed_to_dict(r) for r in doc.removed if r.kind == "caption"]
    out["layers"] = list(doc.layers)
    for layer, spans in doc.layers.items():
        out[layer] = [span_to_dict(doc, s) for s in spans]
    for name, view in all_views().items():
        out[name] = view(doc)
    out["warnings"] = [{"code": w.code, "message": w.message, "stage": w.stage} for w in doc.warnings]
    out["stages"] = [
        {"name": r.name, "version": r.version, "model": r.model, "seconds": round(r.seconds, 5),
         "status": r.status, "detail": r.detail}
        for r in doc.stage_runs
    ]
    out["extra"] = dict(doc.sections)
    out["offset_map"] = [list(seg) for seg in doc.offset_map.segments]
    out["raw"] = doc.raw if include_raw else None
    return out


def from_dict(data: dict[str, Any]) -> Document:
    """Rebuild a Document from its JSON form (views are recomputed, not read)."""
    if str(data.get("schema_version", "")).split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        raise ValueError(f"unsupported dossier schema_version {data.get('schema_version')!r}")
    meta = Metadata(**{f: data.get(f) for f in META_FIELDS}, source_name=data.get("source"))
    doc = Document(
        data["text"], raw=data.get("raw") or data["text"], meta=meta,
        offset_map=OffsetMap(tuple(seg) for seg in data.get("offset_map", [])),
    )
    declared = sections.names()  # a key no declaration names (none was ever written) is not read
    doc.sections.update((k, v) for k, v in (data.get("extra") or {}).items() if k in declared)
    for item in data.get("boilerplate", []) + data.get("captions", []):
        core = {k: item[k] for k in ("raw_start", "raw_end", "text", "kind", "reason")}
        extra = {k: v for k, v in item.items() if k not in core}
        doc.removed.append(Removed(**core, attrs=extra))
    for layer in data.get("layers", []):
        doc.layers[layer] = [span_from_dict(s) for s in data.get(layer, [])]
    doc.warnings = [Warning_(w["code"], w["message"], w.get("stage")) for w in data.get("warnings", [])]
    doc.stage_runs = [
        StageRun(r["name"], r["version"], r.get("model"), r.get("seconds", 0.0), r.get("status", "ok"),
                 r.get("detail"))
        for r in data.get("stages", [])
    ]
    return doc


def dumps(doc: Document, *, include_raw: bool = True, indent: int | None = 2) -> str:
    return json.dumps(to_dict(doc, include_raw=include_raw), ensure_ascii=False, indent=indent)


def schema() -> dict[str, Any]:
    """The JSON Schema of the dossier: the file shipped in the package, with ``extra`` closed to
    the declared sections, each with its fragment."""
    text = resources.files("newsforensics").joinpath("schema/dossier.schema.json").read_text("utf-8")
    out = json.loads(text)
    out["properties"]["extra"]["properties"] = {n: s.schema for n, s in sections.all_sections().items()}
    return out
