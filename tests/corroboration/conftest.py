"""One real SQLite corpus of the multi-item fixtures, built once per module."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures.corroboration import build_corpus


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory, pipeline) -> Path:
    return build_corpus(tmp_path_factory.mktemp("corpus") / "corpus.db", pipeline)
