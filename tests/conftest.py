"""Shared test fixtures: the optional ../shared research data and one pipeline per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs a fixed set of examples (reproducible verdicts); local runs explore new ones each time.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# A stage that fails in a test is a bug to see, not a dossier warning (pipeline.ON_ERROR).
os.environ.setdefault("NEWSFORENSICS_ON_ERROR", "raise")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the repo; tests that need it skip cleanly on a fresh clone."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present (research data is not part of the repo)")
    return SHARED


@pytest.fixture(scope="session")
def example_text(shared_dir: Path) -> str:
    path = shared_dir / "examples" / "southfront-idlib.txt"
    if not path.is_file():
        pytest.skip(f"{path} is not present")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def pipeline():
    from newsforensics import default_pipeline

    return default_pipeline()
