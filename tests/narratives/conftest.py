"""Narrative tests: a private embedding cache and an empty user catalogue folder."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path,
                  monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NEWSFORENSICS_CACHE", str(tmp_path_factory.getbasetemp() / "nf-cache"))
    user = tmp_path / "user-narratives"
    monkeypatch.setenv("NEWSFORENSICS_NARRATIVES", str(user))
    return user


@pytest.fixture(scope="session")
def matcher():
    from newsforensics.narratives.catalogue import load_catalogue
    from newsforensics.narratives.matcher import NarrativeMatcher

    return NarrativeMatcher(load_catalogue(include_user=False))
