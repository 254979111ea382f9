"""The corpus commands end to end: ingest → search → copies → stories → stats, and an ingest
killed with SIGKILL mid-run then re-run (nothing lost, nothing duplicated)."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsforensics.cli import app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
ARTICLES = {k: v for k, v in json.loads((FIXTURES / "articles.json").read_text("utf-8")).items()
            if not k.startswith("_")}


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    with (folder / "feed.jsonl").open("w", encoding="utf-8") as handle:
        for key, outlet, published in (("idlib", "southfront.org", "2019-03-05"),
                                       ("idlib", "copycat.net", "2019-03-06"),
                                       ("idlib_ru", "ria.ru", "2019-03-05"),
                                       ("election", "kyivpost.com", "2019-03-31")):
            article = ARTICLES[key]
            handle.write(json.dumps({**article, "outlet": outlet, "published": published}, ensure_ascii=False) + "\n")
        handle.write("{oops\n")
    with (folder / "export.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "domain", "url", "content", "title"])
        writer.writerow(["1", "elpais.com", "https://elpais.com/v", ARTICLES["valencia"]["text"],
                         ARTICLES["valencia"]["title"]])
    db = folder / "corpus.db"
    result = _run("ingest", str(folder / "feed.jsonl"), str(folder / "export.csv"), "--db", str(db),
                  "--preset", "fakenewscorpus", "--profile", "minimal", "--json")
    assert result.exit_code == 4, result.output  # partial: one bad record was skipped
    summary = json.loads(result.stdout)
    assert (summary["stored"], summary["bad"]) == (5, 1)
    assert summary["bad_records"][0]["locator"] == "line 5"
    return db


def test_search_with_filters_and_highlights(corpus_db: Path) -> None:
    result = _run("search", "chemical provocation", "--db", str(corpus_db), "--outlet", "southfront.org",
                  "--since", "2019-03-01", "--json")
    assert result.exit_code == 0
    page = json.loads(result.stdout)
    assert page["total"] == 1 and page["hits"][0]["outlet"] == "southfront.org"
    assert "⟦provocation⟧" in page["hits"][0]["snippet"]
    bad = _run("search", "x", "--db", str(corpus_db), "--since", "last week")
    assert bad.exit_code == 3 and "ISO date" in bad.output


def test_copies_as_csv_and_chains(corpus_db: Path) -> None:
    result = _run("copies", "--db", str(corpus_db), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["original_outlet"], r["copy_outlet"], r["kind"]) for r in rows] == [
        ("southfront.org", "copycat.net", "verbatim")]
    chains = json.loads(_run("copies", "--chains", "--db", str(corpus_db), "--json").stdout)
    assert chains[0]["first_publisher"] == 1


def test_stories_json_lists_items_by_time(corpus_db: Path) -> None:
    result = _run("stories", "--db", str(corpus_db), "--format", "json")
    found = json.loads(result.stdout)
    assert len(found) == 1
    story = found[0]
    assert [i["outlet"] for i in story["items"]] == ["southfront.org", "ria.ru", "copycat.net"]
    assert [i["role"] for i in story["items"]] == ["report", "report", "copy"]  # two on the first day
    assert story["languages"] == ["en", "ru"] and "en-ru" in story["support"]
    one = _run("stories", "--db", str(corpus_db), "--id", str(story["story_id"]), "--format", "csv")
    assert one.exit_code == 0 and "ria.ru" in one.stdout
    assert _run("stories", "--db", str(corpus_db), "--id", "999").exit_code == 2


def test_stats_to_parquet_csv_and_terminal(corpus_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "stats.csv"
    assert _run("stats", "--db", str(corpus_db), "--by", "outlet,month", "-o", str(out)).exit_code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {"outlet": "elpais.com", "month": "", "items": "1"} in rows
    pytest.importorskip("pyarrow")
    assert _run("stats", "--db", str(corpus_db), "--by", "place", "-o", str(tmp_path / "s.parquet")).exit_code == 0
    assert _run("stats", "--db", str(corpus_db), "--by", "colour").exit_code == 3


def test_cli_profiles_are_the_library_profiles() -> None:
    from newsforensics.cli import corpus as cli_corpus
    from newsforensics.corpus import analysis

    assert cli_corpus.PROFILE_NAMES == analysis.PROFILES
    assert cli_corpus.DEFAULT_PROFILE == analysis.DEFAULT_PROFILE


def test_missing_database_is_an_input_error(tmp_path: Path) -> None:
    result = _run("search", "x", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 3 and "does not exist" in result.output


def _varied_feed(path: Path, n: int) -> None:
    keys = list(ARTICLES)
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            article = ARTICLES[keys[i % len(keys)]]
            handle.write(json.dumps({"title": f"{article['title']} ({i})", "outlet": f"outlet{i % 7}.example",
                                     "published": f"2019-03-{1 + i % 28:02d}",
                                     "text": f"Update {i}: {article['text']}"}, ensure_ascii=False) + "\n")


@pytest.mark.slow
def test_ingest_killed_with_sigkill_resumes_without_loss_or_duplicates(console_script: str, tmp_path: Path) -> None:
    feed, db, total = tmp_path / "feed.jsonl", tmp_path / "c.db", 80
    _varied_feed(feed, total)
    command = [console_script, "ingest", str(feed), "--db", str(db), "--profile", "minimal", "--batch-size", "4"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    committed = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
        if db.exists():
            try:
                with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
                    committed = conn.execute("SELECT count(*) FROM items").fetchone()[0]
            except sqlite3.OperationalError:
                continue
            if committed >= 8:
                break
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert 0 < committed < total, "the run was not killed mid-way"
    finished = subprocess.run([*command, "--json"], capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    summary = json.loads(finished.stdout)
    assert summary["resumed"] >= committed and summary["resumed"] + summary["stored"] == total
    with sqlite3.connect(db) as conn:
        counts = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("items", "records", "story_items", "copy_signatures", "items_fts")]
        assert counts == [total] * 5
        assert conn.execute("SELECT count(DISTINCT content_hash) FROM items").fetchone()[0] == total


def test_reanalyse_adds_a_stage_then_finds_nothing_stale(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({**ARTICLES["idlib"], "outlet": "southfront.org"}, ensure_ascii=False) + "\n", "utf-8")
    db = tmp_path / "c.db"
    assert _run("ingest", str(feed), "--db", str(db), "--profile", "minimal").exit_code == 0
    first = _run("reanalyse", "--db", str(db), "--stage", "segment", "--json")
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["recomputed"] == 1
    assert json.loads(_run("reanalyse", "--db", str(db), "--stage", "segment", "--json").stdout)["stale"] == 0
    unknown = _run("reanalyse", "--db", str(db), "--stage", "nope")
    assert unknown.exit_code == 2 and "unknown stage" in unknown.output
    missing = _run("reanalyse", "--db", str(tmp_path / "none.db"), "--stage", "segment")
    assert missing.exit_code == 3 and "does not exist" in missing.output


@pytest.mark.parametrize("args", [("stories", "--id"), ("copies", "--item"), ("search", "--offset"),
                                  ("claims", "--item")])
def test_ids_beyond_sqlite_integers_are_usage_errors(corpus_db: Path, args: tuple[str, str]) -> None:
    result = _run(*args, str(2**64), "--db", str(corpus_db))
    assert result.exit_code == 2 and "9223372036854775807" in result.output


def test_a_full_disk_is_one_sentence_and_exit_5_and_keeps_what_was_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsforensics.corpus import store as store_module

    connect = store_module._connect

    def small_disk(path, *, read_only):  # type: ignore[no-untyped-def]
        conn = connect(path, read_only=read_only)
        if not read_only:  # SQLite answers SQLITE_FULL past this many pages, as on a full disk
            conn.execute("PRAGMA max_page_count = 120")
        return conn

    monkeypatch.setattr(store_module, "_connect", small_disk)
    feed, db = tmp_path / "feed.jsonl", tmp_path / "c.db"
    _varied_feed(feed, 200)
    result = _run("ingest", str(feed), "--db", str(db), "--profile", "minimal", "--batch-size", "4")
    assert result.exit_code == 5, result.output
    assert "disk is full" in result.output and "internal error" not in result.output
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT count(*) FROM items").fetchone()[0]
        assert stored > 0 and conn.execute("SELECT count(*) FROM records").fetchone()[0] == stored


def _index_snapshot(db: Path) -> tuple[set[str], set[frozenset[str]], set[tuple[str, str, str]]]:
    """Items, stories and copy pairs by content (ids depend on who wrote first)."""
    with sqlite3.connect(db) as conn:
        key = dict(conn.execute("SELECT item_id, content_hash FROM items"))
        stories: dict[int, set[str]] = {}
        for item_id, story_id in conn.execute("SELECT item_id, story_id FROM story_items"):
            stories.setdefault(story_id, set()).add(key[item_id])
        pairs = {(key[o], key[c], kind) for o, c, kind in conn.execute(
            "SELECT original_id, copy_id, kind FROM copy_pairs")}
    return set(key.values()), {frozenset(s) for s in stories.values()}, pairs


@pytest.mark.slow
def test_two_concurrent_ingests_into_one_db_equal_a_serial_run(console_script: str, tmp_path: Path) -> None:
    feed_a, feed_b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    _varied_feed(feed_a, 30)
    with feed_a.open(encoding="utf-8") as source, feed_b.open("w", encoding="utf-8") as copies:
        for line in source:  # the same reports republished elsewhere: copies and stories span both
            record = json.loads(line)
            copies.write(json.dumps({**record, "outlet": "mirror-" + record["outlet"]}, ensure_ascii=False) + "\n")

    def command(feed: Path, db: Path) -> list[str]:
        return [console_script, "ingest", str(feed), "--db", str(db), "--profile", "minimal", "--batch-size", "2"]

    together = tmp_path / "together.db"
    running = [subprocess.Popen(command(feed, together), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
               for feed in (feed_a, feed_b)]
    for process in running:
        assert process.wait(timeout=300) == 0, process.stderr.read() if process.stderr else ""
    serial = []
    for order in ((feed_a, feed_b), (feed_b, feed_a)):
        db = tmp_path / f"serial-{order[0].stem}.db"
        for feed in order:
            subprocess.run(command(feed, db), check=True, capture_output=True, timeout=300)
        serial.append(_index_snapshot(db))
    assert _index_snapshot(together) in serial
