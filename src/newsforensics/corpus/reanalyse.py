"""Recompute one stage on the stored items it is stale for, resumably (``newsforensics reanalyse``).

An item is stale for a stage when it has no ``ok`` (or language-``skipped``) run of that stage at the stage's current
version and model: the stage changed since the item was stored, or the item's profile never ran
it (``--stage quotes`` on a ``minimal`` corpus adds quotes). The ``item_stages`` table answers
that with one indexed query; an item stored before that table existed is judged by the stage
runs in its dossier, and its rows are recorded then. Each batch is rewritten — dossier, the
stage's spans, stage rows — in one transaction, so a run killed at any point loses nothing and
a rerun goes on with what is still stale. Index steps (copies, stories) are not rebuilt.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..document import Document
from ..pipeline import Pipeline, Stage, drop_output
from .store import Store

BATCH = 32
DONE = ("ok", "skipped")  # skipped: the stage does not cover the item's language — nothing to redo


@dataclass
class ReanalyseSummary:
    stage: str
    version: str
    model: str | None
    stale: int = 0       # items found stale
    recomputed: int = 0
    current: int = 0     # judged stale by the table, found current in their dossier (recorded)
    failed: int = 0      # the stage failed on the item (kept as a warning in its dossier)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "seconds": round(self.seconds, 3)}

    def line(self) -> str:
        return (f"{self.stage} {self.version} ({self.model or 'no model'}): {self.recomputed} item"
                f"{'s' * (self.recomputed != 1)} recomputed, {self.current} already current, "
                f"{self.failed} failed, in {self.seconds:.1f} s")


def stale_items(store: Store, stage: str, version: str, model: str | None) -> list[int]:
    """Items without a done run (:data:`DONE`) of ``stage`` at ``version`` and ``model``, in order."""
    rows = store.conn.execute(
        "SELECT i.item_id FROM items i LEFT JOIN item_stages s ON s.item_id = i.item_id AND s.stage = ?"
        " AND s.version = ? AND s.model IS ? AND s.status IN ('ok', 'skipped') WHERE s.item_id IS NULL ORDER BY i.item_id",
        (stage, version, model))
    return [r[0] for r in rows]


def _is_current(doc: Document, stage: str, version: str, model: str | None) -> bool:
    runs = [r for r in doc.stage_runs if r.name == stage]
    return bool(runs) and (runs[-1].version, runs[-1].model) == (version, model) and runs[-1].status in DONE


def _forget(doc: Document, stage: Stage) -> None:
    """Take the stage's earlier output, run and warnings out of the document before it runs again."""
    drop_output(stage, doc)
    doc.stage_runs = [r for r in doc.stage_runs if r.name != stage.name]
    doc.warnings = [w for w in doc.warnings if w.stage != stage.name]


def reanalyse(db: str | Path, stage: str, *, batch_size: int = BATCH,
              on_batch: Callable[[int], None] | None = None) -> ReanalyseSummary:
    """Recompute ``stage`` on every stored item it is stale for; see the module docstring."""
    pipeline = Pipeline([stage], batch_size=batch_size)
    runner = pipeline.stages[0]
    summary = ReanalyseSummary(stage, runner.version, runner.model)
    started = time.perf_counter()
    with Store(db) as store:
        ids = stale_items(store, stage, runner.version, runner.model)
        summary.stale = len(ids)
        for first in range(0, len(ids), batch_size):
            chunk = ids[first:first + batch_size]
            docs = {item_id: store.document(item_id) for item_id in chunk}
            todo = {i: d for i, d in docs.items()
                    if d is not None and not _is_current(d, stage, runner.version, runner.model)}
            for doc in todo.values():
                _forget(doc, runner)
            list(pipeline.pipe(todo.values()))
            with store.transaction():
                for item_id, doc in docs.items():
                    if doc is not None:
                        store.rewrite(item_id, doc, runner.provides if item_id in todo else ())
            summary.recomputed += len(todo)
            summary.current += sum(d is not None for d in docs.values()) - len(todo)
            summary.failed += sum(doc.stage_runs[-1].status == "failed" for doc in todo.values())
            if on_batch is not None:
                on_batch(len(chunk))
    summary.seconds = time.perf_counter() - started
    return summary
