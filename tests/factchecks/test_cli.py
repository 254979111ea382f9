"""``newsforensics factchecks`` end to end: import, search, retrieve a TREC run, evaluate it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newsforensics.cli import app


def _run(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_import_then_search(fixtures: Path, tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    result = _run("factchecks", "import", str(fixtures / "claimreview-graph.json"), str(fixtures / "claimreviews.csv"),
                  "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "4 new" in result.stderr
    result = _run("factchecks", "search", "Ukraine's army shot MH17 down with a fighter jet", "--db", str(db),
                  "--json", "-k", "2")
    assert result.exit_code == 0
    hits = json.loads(result.stdout)["hits"]
    assert hits[0]["url"] == "https://factcheck.example.org/mh17-jet" and hits[0]["verdict"] == "False"


def test_retrieve_writes_a_trec_run_and_evaluate_scores_it(tmp_path: Path) -> None:
    pool = tmp_path / "vclaims.jsonl"
    pool.write_text("\n".join(json.dumps(r) for r in [
        {"vclaim_id": "v1", "vclaim": "Drones were launched from the coast at night.", "title": "Coastal drones"},
        {"vclaim_id": "v2", "vclaim": "The president resigned on Friday.", "title": "Resignation"},
        {"vclaim_id": "v3", "vclaim": "Vaccines contain tracking microchips.", "title": "Microchips in vaccines"},
    ]) + "\n", encoding="utf-8")
    queries = tmp_path / "queries.tsv"
    queries.write_text('q1\tThey say "microchips" are in the vaccine!\nq2\tAt night, drones took off from the shore\n',
                       encoding="utf-8")
    run = tmp_path / "out" / "run.tsv"
    result = _run("factchecks", "retrieve", "--pool", str(pool), "--queries", str(queries), "-o", str(run),
                  "-k", "2", "--tag", "test", "--cache", str(tmp_path / "cache"))
    assert result.exit_code == 0, result.output
    lines = [line.split("\t") for line in run.read_text(encoding="utf-8").splitlines()]
    assert [ln[:4] for ln in lines[::2]] == [["q1", "Q0", "v3", "1"], ["q2", "Q0", "v1", "1"]]
    assert all(len(ln) == 6 and ln[5] == "test" for ln in lines)
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text("q1\t0\tv3\t1\nq2\t0\tv1\t1\n", encoding="utf-8")
    result = _run("factchecks", "evaluate", "--run", str(run), "--qrels", str(qrels), "--json")
    assert json.loads(result.stdout)["map@5"] == 1.0


def test_bad_inputs_exit_with_one_sentence(tmp_path: Path) -> None:
    empty = tmp_path / "empty.json"
    empty.write_text("{}", encoding="utf-8")
    result = _run("factchecks", "import", str(empty), "--db", str(tmp_path / "c.db"))
    assert result.exit_code == 3 and "no ClaimReview" in result.stderr
    result = _run("factchecks", "retrieve", "--queries", str(empty), "-o", str(tmp_path / "r.tsv"))
    assert result.exit_code == 2 and "exactly one of --pool" in result.stderr
    result = _run("factchecks", "search", "x", "--db", str(tmp_path / "missing.db"))
    assert result.exit_code == 3 and "does not exist" in result.stderr
