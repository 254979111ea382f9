"""``newsforensics serve``: refuses unsafe or impossible configurations with one sentence."""

from __future__ import annotations

from typer.testing import CliRunner

from newsforensics.cli import app


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["serve", *args], catch_exceptions=False)


def test_a_short_token_beyond_loopback_is_a_usage_error():
    result = invoke("--host", "0.0.0.0", "--token", "short")
    assert result.exit_code == 2 and "16 characters" in result.output


def test_a_missing_corpus_is_a_usage_error(tmp_path):
    result = invoke("--db", str(tmp_path / "missing.db"))
    assert result.exit_code == 2 and "newsforensics ingest" in result.output


def test_unknown_stages_are_a_usage_error():
    result = invoke("--stages", "language,telepathy")
    assert result.exit_code == 2 and "telepathy" in result.output


def test_a_file_that_is_not_a_corpus_is_an_input_error(tmp_path):
    bogus = tmp_path / "notes.db"
    bogus.write_text("not a database, just notes\n" * 100)
    result = invoke("--db", str(bogus))
    assert result.exit_code == 3 and "not a newsforensics corpus" in result.output
