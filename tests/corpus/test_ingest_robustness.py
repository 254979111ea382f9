"""Ingest under hostile input: invalid Unicode, odd file names, concurrent writers, huge
records and deep archives never abort a run or lose the good items around them."""

from __future__ import annotations

import gzip
import io
import json
import os
import tracemalloc
import zipfile
from pathlib import Path

from newsforensics.corpus.engine import ingest
from newsforensics.corpus.store import Store
from newsforensics.ingest.corpus_readers import BadRecord, RawRecord, read_corpus

BAD_RECORD = '{"text": "bridge \\ud800 reopen", "title": "T \\udc80"}'


def _good_lines(n: int) -> list[str]:
    return [json.dumps({"text": f"Item {i}: the bridge over the river Sava in town {i} was closed for "
                                f"repairs on Monday, officials in district {i} said."}) for i in range(n)]


def test_a_lone_surrogate_costs_nothing_and_reruns_resume(tmp_path: Path) -> None:
    lines = _good_lines(50)
    lines.insert(25, BAD_RECORD)
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = ingest([feed], tmp_path / "c.db", profile="minimal", batch_size=8)
    assert (first.stored, first.bad) == (51, 0)
    with Store(tmp_path / "c.db", read_only=True) as store:
        bad = next(i for i in store.items() if i["title"] == "T \ufffd")
        assert store.item(bad["item_id"])["text"].startswith("bridge \ufffd reopen")
    again = ingest([feed], tmp_path / "c.db", profile="minimal")
    assert (again.stored, again.resumed) == (0, 51)


def test_a_file_name_that_is_not_utf8_is_stored(tmp_path: Path) -> None:
    folder = tmp_path / "crawl"
    folder.mkdir()
    (Path(os.fsdecode(os.fsencode(folder) + b"/bad\xffname.txt"))).write_text(
        "The mayor said the bridge reopens on Monday after repairs.", encoding="utf-8")
    summary = ingest([folder], tmp_path / "c.db", profile="minimal")
    assert summary.stored == 1
    with Store(tmp_path / "c.db", read_only=True) as store:
        assert next(store.items())["source"].endswith("bad\ufffdname.txt")


def test_archives_nested_400_deep_are_one_bad_record_not_a_crash(tmp_path: Path) -> None:
    inner, name = b"The mayor said the bridge over the Sava reopens on Monday after repairs.", "a.txt"
    for depth in range(400):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(name, inner)
        inner, name = buffer.getvalue(), f"level{depth}.zip"
    outer = tmp_path / "bomb.zip"
    with zipfile.ZipFile(outer, "w") as archive:
        archive.writestr("deep.zip", inner)
        archive.writestr("good.txt", "Officials said the second bridge stays closed until June for repairs.")
    summary = ingest([outer], tmp_path / "c.db", profile="minimal")
    assert (summary.stored, summary.bad) == (1, 1)
    assert "nested more than" in summary.bad_records[0]["reason"]


def _gzip_with_120_mib(path: Path, head: bytes, tail: bytes) -> Path:
    with gzip.open(path, "wb", compresslevel=1) as handle:
        handle.write(head)
        for _ in range(120):
            handle.write(b"a" * 2**20)
        handle.write(tail)
    return path


def _read_traced(path: Path) -> tuple[list[RawRecord | BadRecord], int]:
    """Every record of ``path`` and the peak of memory allocated while reading them."""
    tracemalloc.start()
    try:
        found = list(read_corpus([path]))
        return found, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_huge_line_is_refused_with_its_number_without_holding_it(tmp_path: Path) -> None:
    """A 120 MiB JSON line in a small .jsonl.gz: reported by line, never held whole in memory."""
    good = _good_lines(4)
    feed = _gzip_with_120_mib(tmp_path / "feed.jsonl.gz", ("\n".join(good[:2]) + '\n{"text": "').encode(),
                              ('"}\n' + "\n".join(good[2:]) + "\n").encode())
    found, peak = _read_traced(feed)
    bad = [r for r in found if isinstance(r, BadRecord)]
    assert [b.locator for b in bad] == ["line 3"] and "longer than 50 MB" in bad[0].reason
    assert len(found) == 5 and peak < 110 * 2**20  # the line is 120 MiB; the limit 50 MB


def test_a_huge_csv_field_is_refused_without_holding_it(tmp_path: Path) -> None:
    table = _gzip_with_120_mib(tmp_path / "rows.csv.gz", b'title,text\nA,"Officials said the bridge reopens."\nB,"',
                               b'"\nC,"The mayor said repairs end in June."\n')
    found, peak = _read_traced(table)
    assert [r.payload for r in found if isinstance(r, RawRecord)] == [
        "Officials said the bridge reopens.", "The mayor said repairs end in June."]
    assert [b.locator for b in found if isinstance(b, BadRecord)] == ["line 3"]
    assert peak < 110 * 2**20
