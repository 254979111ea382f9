"""``newsforensics techniques predict`` then ``evaluate``, end to end on a self-written article."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsforensics.cli import app
from newsforensics.techniques import read_labels

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "techniques"


@pytest.fixture
def run():
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(map(str, args)), catch_exceptions=False)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES, tmp_path / "data")
    gold = read_labels(tmp_path / "data" / "gold-flc-tc.labels", "tc")
    (tmp_path / "data" / "template.out").write_text(
        "".join(f"{g.article_id}\t?\t{g.start}\t{g.end}\n" for g in gold), encoding="utf-8")
    (tmp_path / "data" / "gold-si.labels").write_text(
        "".join(f"{g.article_id}\t{g.start}\t{g.end}\n" for g in gold), encoding="utf-8")
    return tmp_path / "data"


def test_tc_fills_the_template_line_for_line_and_scores(run, workspace: Path) -> None:
    pred = workspace / "out" / "tc.labels"
    result = run("techniques", "predict", workspace / "articles", "--task", "tc",
                 "--template", workspace / "template.out", "-o", pred)
    assert result.exit_code == 0, result.output
    template = read_labels(workspace / "template.out", "tc", allow_template=True)
    filled = read_labels(pred, "tc")
    assert [(f.article_id, f.start, f.end) for f in filled] == [
        (t.article_id, t.start, t.end) for t in template]
    scored = run("techniques", "evaluate", "--task", "tc", "--gold",
                 workspace / "gold-flc-tc.labels", "--pred", pred, "--json")
    assert scored.exit_code == 0
    assert json.loads(scored.output)["n_pred"] == len(template)


@pytest.mark.parametrize("task", ["si", "flc"])
def test_si_and_flc_offsets_point_into_the_files_as_read(run, workspace: Path, task: str) -> None:
    pred = workspace / f"{task}.labels"
    result = run("techniques", "predict", workspace / "articles", "--task", task, "-o", pred)
    assert result.exit_code == 0, result.output
    texts = {p.stem.removeprefix("article"): p.read_text(encoding="utf-8")
             for p in (workspace / "articles").glob("*.txt")}
    predictions = read_labels(pred, task)
    assert predictions and all(p.end <= len(texts[p.article_id]) for p in predictions)
    assert all(texts[p.article_id][p.start:p.end].strip() for p in predictions)
    gold = workspace / ("gold-si.labels" if task == "si" else "gold-flc-tc.labels")
    scored = run("techniques", "evaluate", "--task", task, "--gold", gold, "--pred", pred, "--json")
    assert scored.exit_code == 0 and 0 <= json.loads(scored.output)["f1"] <= 1


def test_a_template_is_required_for_tc_only(run, workspace: Path) -> None:
    result = run("techniques", "predict", workspace / "articles", "--task", "tc", "-o",
                 workspace / "x")
    assert result.exit_code == 2 and "--template" in result.output
    result = run("techniques", "predict", workspace / "nowhere", "--task", "si", "-o", workspace / "x")
    assert result.exit_code == 3 and "not a folder" in result.output
