"""CLI tests run in-process through typer's CliRunner (the pipeline loads once per session);
a few go through the installed console script in a subprocess."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsforensics.cli import app

CLI_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cli"


@pytest.fixture
def cli(pipeline):  # the session pipeline: models are loaded once for all CLI tests
    runner = CliRunner()

    def invoke(*args: str, stdin: bytes | None = None):
        return runner.invoke(app, list(args), input=stdin, catch_exceptions=False)

    return invoke


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return CLI_FIXTURES


@pytest.fixture(scope="session")
def console_script() -> str:
    script = Path(sys.executable).parent / "newsforensics"
    found = str(script) if script.exists() else shutil.which("newsforensics")
    if not found:
        pytest.skip("the newsforensics console script is not installed")
    return found
