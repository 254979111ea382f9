"""The ``sources`` stage: which outlet published the item, how we know, and its profile.

Identification and profiles live in :mod:`newsforensics.sources`; this stage runs them on one
document and writes the document section ``source_profile`` (a typed section, kept under
``extra`` in the JSON, which reloads it): outlet, method, confidence, evidence, agency credits, and the licensed profile
with provenance, or "unknown". Given a corpus store (option ``store``), the fingerprint index
learned from its items is used for items without a URL.
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, NotRequired, TypedDict

from ..document import Document
from ..errors import ConfigError
from ..pipeline import BaseStage, register
from ..sections import declare
from ..sources.fingerprint import FingerprintIndex
from ..sources.identify import identify, profile_for



class Credit(TypedDict):
    agency: str
    domain: str | None
    text: str
    where: str


class OutletProfile(TypedDict):
    """What licensed datasets say about the outlet (docs/sources.md), with provenance."""

    domain: str | None
    matched: str | None
    status: Literal["known", "unknown"]
    ratings: list[dict[str, Any]]
    state_affiliated: dict[str, Any] | None


class SourceProfile(TypedDict):
    outlet: str | None
    host: str | None
    name: str | None
    method: Literal["url", "canonical-url", "given", "fingerprint", "unknown"]
    confidence: float
    evidence: list[dict[str, Any]]
    alternatives: list[dict[str, Any]]
    credits: list[Credit]
    profile: NotRequired[OutletProfile]


SECTION = declare("source_profile", SourceProfile, provider="sources", description=(
    "Which outlet published the item, how it was identified (method, confidence, evidence, "
    "alternatives, agency credits) and its licensed profile (docs/sources.md)")).name


@lru_cache(maxsize=4)
def store_index(path: str) -> FingerprintIndex:
    from ..sources.step import load_index

    if not Path(path).is_file():
        raise ConfigError(f"the sources stage's store {path} does not exist")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return load_index(conn)
    finally:
        conn.close()


@register("sources")
class SourcesStage(BaseStage):
    """Adds the ``source_profile`` section (see the module docstring)."""

    version = "1"
    requires = ()
    provides = ()
    sections = (SECTION,)

    def __init__(self, store: str | None = None, **options: Any) -> None:
        super().__init__(**options)
        self.index = store_index(str(store)) if store else FingerprintIndex()

    def __call__(self, doc: Document) -> None:
        found = identify(doc, self.index)
        doc.sections[SECTION] = found.to_dict(profile_for(found))
        if found.outlet and not doc.meta.outlet:
            doc.meta.outlet = found.outlet
        if found.outlet and found.method == "fingerprint":
            doc.warn("outlet-from-fingerprint",
                     f"the item has no URL; its outlet {found.outlet} was identified from its page "
                     f"fingerprint (confidence {found.confidence:.2f})", self.name)
