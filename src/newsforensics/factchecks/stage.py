"""The ``factchecks`` stage: earlier fact-checks of each check-worthy claim, with verdict and link.

It searches the fact-checks imported into a store (``newsforensics factchecks import``): the
database given as the ``db`` option, else ``$NEWSFORENSICS_FACTCHECK_DB``. Without one, or with
one that holds no fact-checks, it searches nothing and says so in the dossier
(the section ``factchecks``, under ``extra`` in the JSON: ``searched: false`` and the reason) rather than warning on every item.
Each match is a span over the claim in the ``factchecks`` layer (label: the verdict), with the
fact-check's claim, link, publisher, date, the re-ranker's probability and its features.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NotRequired, TypedDict

from ..document import Document
from ..factchecks.index import FactCheckIndex, clean_query, settings
from ..models import encoder, multilingual
from ..pipeline import BaseStage, register
from ..sections import declare

DB_ENV = "NEWSFORENSICS_FACTCHECK_DB"


class FactCheckSearch(TypedDict):
    """Whether a fact-check store was searched: if not, why; if so, its size and the claims asked."""

    searched: bool
    reason: NotRequired[str]
    pool: NotRequired[int]
    claims: NotRequired[int]


SECTION = declare("factchecks", FactCheckSearch, provider="factchecks", description=(
    "Whether earlier fact-checks were searched for the item's claims: searched false with the "
    "reason, or true with the store's pool size and the number of claims (docs/factchecks.md)")).name


@register("factchecks")
class FactChecksStage(BaseStage):
    """Retrieves earlier fact-checks for the ``claims`` layer from a configured store."""

    version = "1"
    requires = ("claims",)
    provides = ("factchecks",)
    sections = (SECTION,)

    def __init__(self, db: str | Path | None = None, index: FactCheckIndex | None = None) -> None:
        configured = db or os.environ.get(DB_ENV)
        self._db = Path(configured) if configured else None
        self._index = index
        self._loaded = index is not None
        output = settings()["output"]
        self.per_claim = int(output["per_claim"])
        self.min_probability = float(output["min_probability"])

    @property
    def index(self) -> FactCheckIndex | None:
        if not self._loaded:
            self._index = None
            if self._db is not None and self._db.is_file():
                # Only with a store: the store's module brings the corpus store's (~50 ms to import)
                from ..factchecks.store import load_index

                self._index = load_index(self._db)
            self._loaded = True
        return self._index

    @property
    def model(self) -> str | None:
        return (f"hybrid bm25+{encoder.MODEL_ID} (English claims) / {multilingual.MODEL_ID} (other languages), "
                "logistic re-ranker") if self.index is not None else None

    def __call__(self, doc: Document) -> None:
        self.pipe([doc])

    def _unavailable(self) -> str:
        if self._db is None:
            return f"no fact-check store configured (set the db option or ${DB_ENV})"
        if not self._db.is_file():
            return f"fact-check store {self._db} does not exist"
        return f"{self._db} holds no fact-checks (newsforensics factchecks import … --db {self._db})"

    def pipe(self, docs: list[Document]) -> None:
        index = self.index
        if index is None:
            reason = self._unavailable()
            for doc in docs:
                doc.layers.setdefault("factchecks", [])
                doc.sections[SECTION] = {"searched": False, "reason": reason}
            return
        claims = [(doc, c) for doc in docs for c in doc.get("claims")]
        hits = index.search([clean_query(c.text) for _, c in claims], k=self.per_claim,
                            languages=[doc.meta.language for doc, _ in claims]) if claims else []
        found: dict[int, list[Any]] = {id(doc): [] for doc in docs}
        for (doc, claim), claim_hits in zip(claims, hits, strict=True):
            for hit in claim_hits:
                if hit.score < self.min_probability:
                    continue
                fc = hit.factcheck
                found[id(doc)].append(doc.span(
                    claim.start, claim.end, fc.verdict or "fact-check", stage=self.name, model=self.model,
                    score=round(hit.score, 3), claim=claim.id, factcheck=fc.id, factcheck_claim=fc.claim,
                    factcheck_title=fc.title or None, verdict=fc.verdict, url=fc.url,
                    publisher=fc.publisher, published=fc.published, claimant=fc.claimant,
                    evidence={k: round(v, 3) for k, v in hit.features.items()},
                ))
        for doc in docs:
            doc.add("factchecks", found[id(doc)])
            doc.sections[SECTION] = {"searched": True, "pool": len(index), "claims": len(doc.get("claims"))}
