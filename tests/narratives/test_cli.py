"""``newsforensics narratives list/add/import`` through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newsforensics.cli import app


def _run(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_list_shows_the_builtin_catalogue_as_json() -> None:
    result = _run("narratives", "list", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["catalogues"][0].startswith("builtin@")
    ids = [n["id"] for n in data["narratives"]]
    assert "syria-staged-chemical-attacks" in ids and len(ids) == len(set(ids))


def test_add_then_list_then_import_replaces_by_id(isolated_dirs: Path, tmp_path: Path) -> None:
    result = _run("narratives", "add", "--id", "drones-from-the-sea", "--title", "Drones come from the sea",
                  "--summary", "Claims that the drones were launched from ships.",
                  "--example", "en:The drones were launched from ships: the coast is a cover story.",
                  "--example", "fr:Les drones ont été lancés depuis des navires.",
                  "--keyword", "topic:en:drone,uav", "--keyword", "frame:en:ship,vessel", "--place", "Odesa")
    assert result.exit_code == 0, result.output
    assert (isolated_dirs / "user.json").is_file()
    listed = json.loads(_run("narratives", "list", "--json", "--no-builtin").stdout)["narratives"]
    assert [(n["id"], n["catalogue"]) for n in listed] == [("drones-from-the-sea", "user@1")]
    assert listed[0]["keywords"] == {"topic": {"en": ["drone", "uav"]}, "frame": {"en": ["ship", "vessel"]}}
    other = tmp_path / "theirs.json"
    other.write_text(json.dumps({"format": "newsforensics-narratives", "format_version": 1, "name": "theirs",
                                 "narratives": [dict(listed[0], title="Drones from ships")]}), encoding="utf-8")
    assert _run("narratives", "import", str(other)).exit_code == 0
    listed = json.loads(_run("narratives", "list", "--json", "--no-builtin").stdout)["narratives"]
    assert [n["title"] for n in listed] == ["Drones from ships"]


def test_bad_arguments_and_files_exit_with_one_sentence(tmp_path: Path) -> None:
    result = _run("narratives", "add", "--id", "x-y", "--title", "T", "--summary", "S", "--example", "no-language")
    assert result.exit_code == 2 and "expected LANG:TEXT" in result.stderr
    result = _run("narratives", "add", "--id", "Bad Id", "--title", "T", "--summary", "S", "--example", "en:text")
    assert result.exit_code == 2 and "lower-case" in result.stderr
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    result = _run("narratives", "import", str(broken))
    assert result.exit_code == 3 and "not valid JSON" in result.stderr
    result = _run("narratives", "list", "--catalogue", str(tmp_path / "missing"))
    assert result.exit_code == 3 and "no such catalogue" in result.stderr
