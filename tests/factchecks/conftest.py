"""Fact-check tests: a private embedding cache, and a small store built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFORENSICS_CACHE", str(tmp_path_factory.getbasetemp() / "nf-cache"))
    monkeypatch.delenv("NEWSFORENSICS_FACTCHECK_DB", raising=False)


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def factcheck_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus database holding the fixture fact-checks (ClaimReview graph, CSV and a list)."""
    from newsforensics.factchecks.importers import read_factchecks
    from newsforensics.factchecks.store import import_factchecks

    db = tmp_path_factory.mktemp("factchecks") / "corpus.db"
    for name in ("claimreview-graph.json", "claimreviews.csv", "claims.txt"):
        import_factchecks(db, read_factchecks(FIXTURES / name))
    return db
