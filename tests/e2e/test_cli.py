"""The real CLI end to end: formats, batches with bad files, exit codes, stdin, reports."""

from __future__ import annotations

import json
import os
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from newsforensics.pipeline import DEFAULT_STAGES
from newsforensics.serialize import schema

BINARY = bytes(range(256)) * 8 + b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(512)


@pytest.fixture(scope="module")
def validate():
    return jsonschema.Draft202012Validator(schema()).validate


@pytest.fixture
def batch_dir(tmp_path: Path, fixtures_dir: Path) -> Path:
    folder = tmp_path / "items"
    (folder / "nested").mkdir(parents=True)
    (folder / "a-strike.txt").write_bytes((fixtures_dir / "harbour-strike.txt").read_bytes())
    (folder / "nested" / "b-ferry.html").write_bytes((fixtures_dir / "ferry-notice.html").read_bytes())
    (folder / "c-record.json").write_bytes((fixtures_dir / "record.json").read_bytes())
    (folder / "d-empty.txt").write_bytes(b"")
    (folder / "e-photo.html").write_bytes(BINARY)
    (folder / ".hidden.txt").write_text("a hidden draft that must be skipped")
    (folder / "notes.csv").write_text("not,an,item")
    return folder


def test_analyze_text_fixture_as_json_is_valid_against_the_schema(cli, fixtures_dir, validate) -> None:
    result = cli("analyze", str(fixtures_dir / "harbour-strike.txt"), "--format", "json")
    assert result.exit_code == 0, result.output
    dossier = json.loads(result.stdout)
    validate(dossier)
    assert dossier["source"].endswith("harbour-strike.txt")
    assert dossier["language"] == "en"
    assert "Rotterdam" in dossier["text"]
    assert [s["name"] for s in dossier["stages"]] == list(DEFAULT_STAGES)


def test_json_alias_overrides_and_no_raw(cli, fixtures_dir) -> None:
    result = cli("analyze", str(fixtures_dir / "harbour-strike.txt"), "--json", "--no-raw",
                 "--published", "2023-10-03", "--outlet", "Lowland Wire", "--url", "https://w.example/a")
    assert result.exit_code == 0, result.output
    dossier = json.loads(result.stdout)
    assert dossier["raw"] is None
    assert (dossier["published"], dossier["published_source"]) == ("2023-10-03", "input")
    assert dossier["outlet"] == "Lowland Wire" and dossier["url"] == "https://w.example/a"


def test_folder_with_bad_files_exits_4_and_keeps_the_good_ones(cli, batch_dir, tmp_path, validate) -> None:
    out = tmp_path / "dossiers.jsonl"
    result = cli("analyze", str(batch_dir), "-o", str(out))
    assert result.exit_code == 4, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [Path(r["source"]).name for r in records] == ["a-strike.txt", "c-record.json", "b-ferry.html"]
    for record in records:
        validate(record)
    assert "d-empty.txt" in result.stderr and "e-photo.html" in result.stderr
    assert "analysed 3 items, 2 failed" in result.stderr
    assert "Traceback" not in result.output


def test_empty_file_exits_3_with_one_clear_sentence(cli, tmp_path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = cli("analyze", str(empty))
    assert result.exit_code == 3
    assert result.stdout == ""
    assert "empty" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_folder_where_nothing_can_be_read_exits_3(cli, tmp_path) -> None:
    (tmp_path / "only.txt").write_bytes(b"   \n")
    result = cli("analyze", str(tmp_path), "--format", "jsonl")
    assert result.exit_code == 3
    assert "analysed 0 items, 1 failed" in result.stderr


def test_usage_errors_exit_2(cli, fixtures_dir) -> None:
    item = str(fixtures_dir / "harbour-strike.txt")
    for args in (["analyze", item, "--format", "pdf"], ["analyze", item, "--disable", "nosuchstage"],
                 ["analyze", item, "--published", "last Tuesday"], ["analyze"], ["frobnicate"]):
        result = cli(*args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output


def test_missing_file_exits_3(cli, tmp_path) -> None:
    result = cli("analyze", str(tmp_path / "nope.txt"))
    assert result.exit_code == 3 and "does not exist" in result.stderr


def test_stdin(cli, fixtures_dir) -> None:
    raw = (fixtures_dir / "harbour-strike.txt").read_bytes()
    result = cli("analyze", "-", "--format", "jsonl", stdin=raw)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["source"] == "-"


def test_disable_stages(cli, fixtures_dir) -> None:
    result = cli("analyze", str(fixtures_dir / "harbour-strike.txt"), "--json", "--disable", "quotes,claims")
    assert result.exit_code == 0, result.output
    dossier = json.loads(result.stdout)
    assert {"quotes", "claims"}.isdisjoint(s["name"] for s in dossier["stages"])
    assert {"quotes", "claims"}.isdisjoint(dossier["layers"])


def test_all_candidates_keeps_the_fragments_below_the_operating_point(cli, fixtures_dir) -> None:
    args = ("analyze", str(fixtures_dir / "harbour-strike.txt"), "--json",
            "--disable", "narratives,factchecks")
    shipped, everything = (json.loads(cli(*args, *extra).stdout) for extra in ((), ("--all-candidates",)))
    assert "technique_candidates" not in shipped["layers"]
    assert "technique_candidates" in everything["layers"]
    assert everything["techniques"] == shipped["techniques"]
    assert all(s["attrs"]["candidate"] and s["attrs"]["not_reported"]
               for s in everything["technique_candidates"])


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_html_report_of_a_hostile_item_renders_no_markup_from_it(cli, fixtures_dir, tmp_path) -> None:
    out = tmp_path / "dossier.html"
    result = cli("report", str(fixtures_dir / "hostile.txt"), "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text()
    parser = _Tags()
    parser.feed(html)
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert not {"script", "img", "b", "iframe"} & {tag for tag, _ in parser.tags}
    assert not [name for _, attrs in parser.tags for name in attrs if name.startswith("on")]
    assert not [v for _, attrs in parser.tags for v in attrs.values() if v and v.startswith("javascript:")]
    assert "&lt;script&gt;" in html and "onerror=alert(document.cookie)" in html  # shown as text


def test_markdown_report_and_report_of_a_stored_dossier(cli, fixtures_dir, tmp_path) -> None:
    md = tmp_path / "report.md"
    result = cli("report", str(fixtures_dir / "ferry-notice.html"), "-o", str(md))
    assert result.exit_code == 0, result.output
    text = md.read_text()
    assert text.startswith("# ") and "## Summary" in text and "## Provenance" in text
    stored = tmp_path / "dossier.json"
    cli("analyze", str(fixtures_dir / "record.json"), "-o", str(stored))
    result = cli("report", str(stored), "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert "New bridge over the Drava opens to traffic" in result.stdout


def test_analyze_folder_to_html_reports_needs_an_output_folder(cli, batch_dir, tmp_path) -> None:
    result = cli("analyze", str(batch_dir), "--format", "html")
    assert result.exit_code == 2 and "-o DIR" in result.stderr
    out = tmp_path / "reports"
    result = cli("analyze", str(batch_dir), "--format", "html", "-o", str(out))
    assert result.exit_code == 4
    assert sorted(p.name for p in out.iterdir()) == ["0001-a-strike.html", "0002-c-record.html",
                                                     "0003-b-ferry.html"]


def test_extract_folder_writes_records_naming_their_inputs(cli, batch_dir) -> None:
    result = cli("extract", str(batch_dir), "--format", "jsonl")
    assert result.exit_code == 4
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert {Path(r["source"]).name for r in records} == {"a-strike.txt", "b-ferry.html", "c-record.json"}
    assert all(r["stages"] == [] for r in records)
    assert "extracted 3 items, 2 failed" in result.stderr


def test_extract_text_and_summary(cli, fixtures_dir) -> None:
    item = str(fixtures_dir / "harbour-strike.txt")
    text = cli("extract", item, "--format", "text")
    assert text.exit_code == 0 and "Dock workers extend strike" in text.stdout
    summary = cli("extract", item)
    assert summary.exit_code == 0 and "Words" in summary.stdout


def test_sample(cli, validate) -> None:
    result = cli("analyze", "--sample", "--format", "json")
    assert result.exit_code == 0, result.output
    dossier = json.loads(result.stdout)
    validate(dossier)
    assert dossier["source"].startswith("sample:")
    assert "Gao" in dossier["text"]
    summary = cli("analyze", "--sample")
    assert summary.exit_code == 0 and "Quotes by speaker" in summary.stdout


def test_stages_schema_and_version(cli) -> None:
    listing = cli("stages", "--json")
    assert listing.exit_code == 0
    assert [s["name"] for s in json.loads(listing.stdout)][: len(DEFAULT_STAGES)] == list(DEFAULT_STAGES)
    assert "segment" in cli("stages").stdout
    assert json.loads(cli("schema").stdout) == schema()
    version = cli("--version")
    assert version.exit_code == 0 and version.stdout.startswith("newsforensics ")
    assert "Exit codes" in cli("--help").stdout and "Exit codes" in cli("analyze", "--help").stdout


def _run(script: str, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "COLUMNS": "80"}
    return subprocess.run([script, *args], input=stdin, capture_output=True, timeout=120, env=env)


def test_console_script_pipes_jsonl_from_stdin(console_script, fixtures_dir) -> None:
    done = _run(console_script, "analyze", "-", "--format", "jsonl",
                stdin=(fixtures_dir / "ferry-notice.html").read_bytes())
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout)["input_kind"] == "html"
    assert done.stderr == b""  # stdout carries the data; nothing else is said on success


def test_console_script_input_error_has_no_traceback(console_script, tmp_path) -> None:
    binary = tmp_path / "photo.txt"
    binary.write_bytes(BINARY)
    done = _run(console_script, "analyze", str(binary))
    assert done.returncode == 3, done.stderr.decode()
    assert b"Traceback" not in done.stderr
    assert done.stderr.decode().startswith("newsforensics: error: ")


def test_internal_error_is_one_sentence_and_exit_1_unless_debug(cli, fixtures_dir, monkeypatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr("newsforensics.api.extract", broken)
    item = str(fixtures_dir / "harbour-strike.txt")
    result = cli("analyze", item)
    assert result.exit_code == 1
    assert "internal error (RuntimeError: simulated bug)" in result.stderr
    assert "--debug" in result.stderr and "Traceback" not in result.stderr
    with pytest.raises(RuntimeError, match="simulated bug"):
        cli("--debug", "analyze", item)
