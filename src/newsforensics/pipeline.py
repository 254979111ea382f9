"""Stages, their registry, and the one Pipeline that composes them.

A stage is a small unit with a name, a version, the layers it needs and the layers it
provides; it reads a Document and adds annotations to it. Stages register by name (like
spaCy's factories) so that a pipeline is configured by a list of names plus options. The
Pipeline owns order, timing and error handling: a stage that fails on one document leaves a
warning and a ``failed`` StageRun in that dossier instead of breaking the batch.
"""

from __future__ import annotations

import logging
import os
import time
import tomllib
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from importlib import resources
from typing import Any, ClassVar, Protocol, runtime_checkable

from .declared import class_registrar, ensure
from .document import Document, StageRun

log = logging.getLogger(__name__)


@runtime_checkable
class Stage(Protocol):
    """What the Pipeline needs of a stage."""

    name: ClassVar[str]
    version: ClassVar[str]
    requires: ClassVar[tuple[str, ...]]
    provides: ClassVar[tuple[str, ...]]
    languages: ClassVar[tuple[str, ...] | None]

    @property
    def model(self) -> str | None: ...

    def __call__(self, doc: Document) -> None: ...

    def pipe(self, docs: list[Document]) -> None: ...


class BaseStage:
    """Convenience base: single-document ``__call__``; ``pipe`` loops unless overridden."""

    name: ClassVar[str] = ""
    version: ClassVar[str] = "1"
    requires: ClassVar[tuple[str, ...]] = ()
    provides: ClassVar[tuple[str, ...]] = ()
    # Languages the stage's models cover; None means any. Others are skipped with a warning.
    languages: ClassVar[tuple[str, ...] | None] = None
    # Document.cache keys that hold the stage's result for a later consumer (the corpus writer):
    # kept when the Pipeline clears the rest of the cache after a batch.
    keeps: ClassVar[tuple[str, ...]] = ()
    # The document sections the stage provides (declared with sections.declare): cleared when
    # it fails, like its layers.
    sections: ClassVar[tuple[str, ...]] = ()

    def __init__(self, **options: Any) -> None:
        if options:
            raise TypeError(f"stage {self.name!r} takes no options, got {sorted(options)}")

    @property
    def model(self) -> str | None:
        return None

    def __call__(self, doc: Document) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def pipe(self, docs: list[Document]) -> None:
        for doc in docs:
            self(doc)


StageFactory = Callable[..., Stage]
_REGISTRY: dict[str, StageFactory] = {}


# Class decorator: ``@register(name)`` makes a stage available to Pipeline configs by ``name``.
register = class_registrar(_REGISTRY, "stage")


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Any]:
    """``data/pipelines.toml``: the built-in stages' modules and the named profiles."""
    return tomllib.loads(resources.files("newsforensics").joinpath("data/pipelines.toml").read_text("utf-8"))


def _load(name: str) -> None:
    """Import the module that registers the built-in stage ``name`` (once; unknown names pass)."""
    ensure("data/pipelines.toml", "stages", name, _REGISTRY)


def registered() -> dict[str, StageFactory]:
    """Every stage: the built-in ones (their modules imported on demand) and any registered."""
    for name in catalogue()["stages"]:
        _load(name)
    return dict(_REGISTRY)


def profile(name: str) -> tuple[str, ...]:
    """The stages of a named profile of ``data/pipelines.toml``, in order; an entry that names
    another profile stands for its stages (``full`` is the ``article`` profile and more)."""
    profiles = catalogue()["profiles"]
    if name not in profiles:
        raise ValueError(f"unknown pipeline profile {name!r}; use one of {', '.join(profiles)}")
    stages: list[str] = []
    for entry in profiles[name]:
        if entry in catalogue()["stages"] and entry in profiles:
            raise ValueError(f"{entry!r} names both a stage and a profile in data/pipelines.toml")
        stages.extend(profile(entry) if entry in profiles else (entry,))
    return tuple(stages)


# The default single-article pipeline, in order (the "article" profile).
DEFAULT_STAGES: tuple[str, ...] = profile("article")


# What a stage failure does: "warn" (users) records it in the dossier — a warning and a failed
# StageRun — and goes on; "raise" (tests, CI: set by tests/conftest.py) lets it propagate, so an
# internal bug never hides as a dossier warning. The default comes from the environment.
ON_ERROR = ("warn", "raise")
ON_ERROR_ENV = "NEWSFORENSICS_ON_ERROR"

# Documents per batch: larger batches bought no speed on news-length items and held twice the
# memory (benchmarks/throughput.py: 32 → 1.2 GB peak RSS, 8 → 0.7 GB, both ~6 articles/s).
DEFAULT_BATCH_SIZE = 8


def drop_output(stage: Stage, doc: Document) -> None:
    """Remove what the stage added: its spans, not those an earlier stage put in the same layer
    (the corpus cues fill only the layers the article stages left empty), its sections and its
    cache entries."""
    for layer in stage.provides:
        kept = [s for s in doc.layers.get(layer, []) if s.stage != stage.name]
        if kept:
            doc.layers[layer] = kept
        else:
            doc.layers.pop(layer, None)
    for name in getattr(stage, "sections", ()):
        doc.sections.pop(name, None)
    for key in getattr(stage, "keeps", ()):
        doc.cache.pop(key, None)


class Pipeline:
    """Runs configured stages over documents, in order, with timing and error capture."""

    def __init__(
        self,
        stages: Iterable[str] | None = None,
        *,
        disable: Iterable[str] = (),
        options: dict[str, dict[str, Any]] | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        on_error: str | None = None,
    ) -> None:
        self.on_error = on_error or os.environ.get(ON_ERROR_ENV, "warn")
        if self.on_error not in ON_ERROR:
            raise ValueError(f"on_error must be one of {', '.join(ON_ERROR)}, not {self.on_error!r}")
        names = [n for n in (stages or DEFAULT_STAGES) if n not in set(disable)]
        for name in names:
            _load(name)
        unknown = [n for n in names if n not in _REGISTRY]
        if unknown:
            raise ValueError(
                f"unknown stage(s) {', '.join(unknown)}; available: {', '.join(sorted(registered()))}"
            )
        factories = _REGISTRY
        options = options or {}
        self.stages: list[Stage] = [factories[n](**options.get(n, {})) for n in names]
        self.batch_size = batch_size
        self._keeps = {key for stage in self.stages for key in getattr(stage, "keeps", ())}
        self._check_order()

    def _check_order(self) -> None:
        provided: set[str] = {"text"}
        for stage in self.stages:
            missing = [r for r in stage.requires if r not in provided]
            if missing:
                log.info("stage %s runs without %s (not provided earlier)", stage.name, missing)
            provided.update(stage.provides)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def __call__(self, doc: Document) -> Document:
        self._run_batch([doc])
        return doc

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Process documents in batches (the fast path), yielding them in input order."""
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= self.batch_size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    def _run_batch(self, batch: list[Document]) -> list[Document]:
        for stage in self.stages:
            batch_for_stage = [d for d in batch if self._covers(stage, d)]
            if not batch_for_stage:
                continue
            started = time.perf_counter()
            try:
                stage.pipe(batch_for_stage)
            except Exception:  # a batch failure: retry one by one to isolate the bad document
                if self.on_error == "raise":
                    raise
                log.debug("stage %s failed on a batch; retrying per document", stage.name)
                for doc in batch_for_stage:
                    self._run_one(stage, doc)
                continue
            per_doc = (time.perf_counter() - started) / len(batch_for_stage)
            for doc in batch_for_stage:
                doc.stage_runs.append(StageRun(stage.name, stage.version, stage.model, per_doc))
        for doc in batch:
            kept = {key: doc.cache[key] for key in self._keeps if key in doc.cache}
            doc.cache.clear()
            doc.cache.update(kept)
        return batch

    @staticmethod
    def _covers(stage: Stage, doc: Document) -> bool:
        """Whether the stage's models cover the document's language; if not, say so."""
        language = doc.meta.language
        if stage.languages is None or language is None or language in stage.languages:
            return True
        doc.warn(
            "language-not-covered",
            f"the {stage.name} stage covers {', '.join(stage.languages)} only; "
            f"this item is in {language!r}, so its {', '.join(stage.provides)} are missing",
            stage.name,
        )
        doc.stage_runs.append(
            StageRun(stage.name, stage.version, stage.model, 0.0, "skipped", f"language {language}")
        )
        return False

    def _run_one(self, stage: Stage, doc: Document) -> None:
        started = time.perf_counter()
        try:
            drop_output(stage, doc)  # what a failed batch attempt may have left
            stage(doc)
        except Exception as exc:
            drop_output(stage, doc)
            if self.on_error == "raise":
                raise
            # Recorded in the dossier (warning + failed StageRun); the traceback goes to debug
            # logs so that users see one clear sentence and developers can still get the cause.
            log.debug("stage %s failed on %s", stage.name, doc.meta.source_name or "document",
                      exc_info=True)
            doc.warn(
                "stage-failed",
                f"the {stage.name} stage failed ({type(exc).__name__}: {exc}); "
                f"its annotations are missing from this dossier",
                stage.name,
            )
            status, detail = "failed", f"{type(exc).__name__}: {exc}"
        else:
            status, detail = "ok", None
        doc.stage_runs.append(
            StageRun(stage.name, stage.version, stage.model, time.perf_counter() - started, status, detail)
        )
