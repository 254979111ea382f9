"""The corpus index of claims and denials: what each stored item asserts and what it denies.

``ClaimStep`` is a corpus index step (``corpus/steps.py``). For each new item it stores the
claims the item makes as reports (not those it only states in order to deny them), each with
its speaker, numbers, GeoNames place ids, the agencies the item credits and a multilingual embedding (``models.multilingual``: a claim and
its denial in another language meet in one space), and the propositions each of
its denials denies (the stated content, or the claims the denial points at), embedded the same
way. ``corroboration.status`` reads these tables at query time.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..corpus.steps import StoredItem, corpus_step
from ..document import Document, Span
from ..models import multilingual

_NUMBER = re.compile(r"\d[\d,.]*")


def has_index(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'claim_reports'").fetchone() is not None


def normalise_number(text: str) -> str:
    """"2,000" and "2000" compare equal; a trailing full stop is punctuation, not a decimal."""
    return text.rstrip(".,").replace(",", "")


def span_cues(doc: Document, start: int, end: int) -> dict[str, list[Any]]:
    """Language-independent cues inside [start, end): GeoNames ids and numbers."""
    places = sorted({p.attrs["geonameid"] for p in doc.spans_in("places", start, end)
                     if p.attrs.get("geonameid") is not None})
    numbers = sorted({normalise_number(m.group(0)) for m in _NUMBER.finditer(doc.text[start:end])})
    return {"places": places, "numbers": [n for n in numbers if n]}


@dataclass(frozen=True, slots=True)
class DeniedProposition:
    denial: Span
    n: int
    text: str
    cues: dict[str, list[Any]]


def reported_claims(doc: Document) -> list[Span]:
    """The claims an item makes as reports: not those inside its own denials (the denied
    content, or a denial sentence itself) nor those a denial in it targets."""
    denials = doc.get("denials")
    targeted = {t for d in denials for t in d.attrs.get("targets", [])}
    return [c for c in doc.get("claims")
            if c.id not in targeted and not any(d.overlaps(c.start, c.end) for d in denials)]


def denied_propositions(doc: Document) -> list[DeniedProposition]:
    """What each denial denies, as text: its stated content, else its target claims, else the
    denial sentence itself (a non-English item, or one without claims)."""
    claims = {c.id: c for c in doc.get("claims")}
    out = []
    for d in doc.get("denials"):
        spans: list[tuple[int, int]] = []
        if d.attrs.get("content_span"):
            spans.append(tuple(d.attrs["content_span"]))
        spans += [(claims[t].start, claims[t].end) for t in d.attrs.get("targets", []) if t in claims]
        if not spans:
            spans.append((d.start, d.end))
        for n, (start, end) in enumerate(dict.fromkeys(spans)):
            out.append(DeniedProposition(d, n, doc.text[start:end], span_cues(doc, start, end)))
    return out


def item_credits(doc: Document) -> list[str]:
    """The news agencies whose story the item runs (a dateline credit, per the sources stage):
    their reports are one origin. A photo credit is not: two reports may share a photo."""
    section = doc.sections.get("source_profile") or {}
    return sorted({c["domain"] for c in section.get("credits", [])
                   if c.get("domain") and c.get("where") == "dateline"})


def pack(vectors: np.ndarray) -> list[bytes]:
    return [v.astype(np.float16).tobytes() for v in vectors]


def unpack(blobs: list[bytes]) -> np.ndarray:
    if not blobs:
        return np.zeros((0, multilingual.EMBEDDING_DIM), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype=np.float16).reshape(len(blobs), -1).astype(np.float32)


@corpus_step("claims")
class ClaimStep:
    """Stores each new item's reported claims and denied propositions (see the module docstring)."""

    version = "2"

    def load(self, conn: sqlite3.Connection) -> None:
        """Nothing to rebuild: matching happens at query time, over the tables."""

    def prepare(self, doc: Document) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """The claim and denial rows (less the item id), embedded here: where the analysis ran."""
        claims = reported_claims(doc)
        denied = denied_propositions(doc)
        if not claims and not denied:
            return [], []
        vectors = multilingual.encode([c.text for c in claims] + [p.text for p in denied])
        credits = item_credits(doc)
        claim_vectors, denial_vectors = vectors[:len(claims)], vectors[len(claims):]
        reports = [(c.id, c.text, (c.attrs.get("attribution") or {}).get("speaker"),
                    c.attrs.get("checkworthiness", c.score),
                    json.dumps({**span_cues(doc, c.start, c.end), "credits": credits}), blob)
                   for c, blob in zip(claims, pack(claim_vectors), strict=True)]
        denials = [(p.denial.id, p.n, p.denial.label, p.denial.attrs.get("denier"), p.denial.attrs.get("cue"),
                    p.denial.text, p.text, json.dumps(p.cues), blob)
                   for p, blob in zip(denied, pack(denial_vectors), strict=True)]
        return reports, denials

    def add(self, conn: sqlite3.Connection, item: StoredItem) -> None:
        reports, denials = item.prepared[self.name]
        conn.executemany("INSERT OR REPLACE INTO claim_reports VALUES (?, ?, ?, ?, ?, ?, ?)",
                         [(item.item_id, *row) for row in reports])
        conn.executemany("INSERT OR REPLACE INTO claim_denials VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         [(item.item_id, *row) for row in denials])
