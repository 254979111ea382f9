"""The corpus side of source identification: the learned fingerprint index in the store.

``SourceStep`` is a corpus index step (``corpus/steps.py``): every stored item whose outlet is
known from its URL teaches the index its furniture; every item is identified (URL first, the
index for the rest) and its outlet recorded in ``item_sources``, so corpus queries such as
corroboration know who published what even for items that came without a URL.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter

from ..corpus.steps import StoredItem, corpus_step
from ..document import Document
from .fingerprint import FingerprintIndex
from .identify import Clues, clues, decide

_ITEMS_KEY = "\x00items"  # the row that counts the items the index learned from


def load_index(conn: sqlite3.Connection) -> FingerprintIndex:
    """The learned index as stored (empty when the store has no source tables yet)."""
    index = FingerprintIndex()
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'source_fingerprints'").fetchone()
    if not exists:
        return index
    for feature, outlet, items in conn.execute("SELECT feature, outlet, items FROM source_fingerprints"):
        if feature == _ITEMS_KEY:
            index.items = int(items)
        else:
            index.counts.setdefault(feature, Counter())[outlet] = int(items)
    return index


@corpus_step("sources")
class SourceStep:
    """Learns outlet fingerprints and records each item's outlet (see the module docstring)."""

    version = "1"

    def __init__(self) -> None:
        self.index = FingerprintIndex()

    def load(self, conn: sqlite3.Connection) -> None:
        self.index = load_index(conn)

    def prepare(self, doc: Document) -> Clues:
        return clues(doc)

    def add(self, conn: sqlite3.Connection, item: StoredItem) -> None:
        gathered: Clues = item.prepared[self.name]
        found = decide(gathered, self.index)
        if found.method in ("url", "canonical-url", "given") and found.outlet:
            self.index.add(gathered.features, found.outlet)
            keys = {f.key for f in gathered.features if f.domain is None}
            conn.executemany(
                "INSERT INTO source_fingerprints VALUES (?, ?, 1) ON CONFLICT(feature, outlet) "
                "DO UPDATE SET items = items + 1", [(k, found.outlet) for k in keys])
            conn.execute("INSERT INTO source_fingerprints VALUES (?, '', 1) ON CONFLICT(feature, outlet) "
                         "DO UPDATE SET items = items + 1", (_ITEMS_KEY,))
        conn.execute("INSERT OR REPLACE INTO item_sources VALUES (?, ?, ?, ?, ?)",
                     (item.item_id, found.outlet, found.method, found.confidence,
                      json.dumps(found.evidence, ensure_ascii=False)))
