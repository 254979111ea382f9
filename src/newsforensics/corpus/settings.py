"""The corpus settings (``corpus/data/corpus.toml``) and the names the corpus analysis and the
index steps share, in a module that imports nothing of the package: the steps read them without
importing the analysis, and the analysis without importing the steps."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

# Document.cache keys under which the analysis hands its results to the index steps.
EMBEDDING_KEY, SIGNATURE_KEY = "corpus-embedding", "corpus-minhash"


@lru_cache(maxsize=1)
def settings() -> dict[str, Any]:
    """The corpus settings file (``corpus/data/corpus.toml``)."""
    return tomllib.loads(resources.files("newsforensics").joinpath("corpus/data/corpus.toml").read_text("utf-8"))
