"""Corpus readers: every format streams records; bad ones are reported with file, line, reason."""

from __future__ import annotations

import csv
import gzip
import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsforensics.errors import InputError
from newsforensics.ingest.corpus_readers import BadRecord, RawRecord, read_corpus
from newsforensics.ingest.tabular import ColumnMap, read_csv, read_jsonl

from .conftest import ARTICLES, record, write_jsonl


def _split(found: list[RawRecord | BadRecord]) -> tuple[list[RawRecord], list[BadRecord]]:
    return [r for r in found if isinstance(r, RawRecord)], [r for r in found if isinstance(r, BadRecord)]


def test_jsonl_records_with_metadata_and_bad_lines(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "feed.jsonl", [
        record("idlib", url="https://southfront.org/a", published="2019-03-05", outlet="southfront.org"),
        {"html": "<html><body><article><p>" + ARTICLES["valencia"]["text"] + "</p></article></body></html>"},
        {"title": "no body here"},
    ], extra_lines=("{not json", "[1, 2]", ""))
    good, bad = _split(list(read_corpus([path])))
    assert [g.kind for g in good] == ["text", "html"]
    assert good[0].hints == {"url": "https://southfront.org/a", "published": "2019-03-05",
                             "outlet": "southfront.org", "title": ARTICLES["idlib"]["title"]}
    assert good[0].where == f"{path}:line 1"
    assert [(b.locator, b.reason.split(" (")[0]) for b in bad] == [
        ("line 3", "no text column"), ("line 4", "not valid JSON"), ("line 5", "a JSON list, not an object")]


def test_csv_preset_and_explicit_mapping(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["", "id", "domain", "type", "url", "content", "scraped_at", "title"])
        writer.writerow(["0", "17", "rt.com", "bias", "https://rt.com/x", ARTICLES["idlib"]["text"] + "\nsecond line",
                         "2018-01-25 16:17:44", "A title"])
        writer.writerow(["1", "18", "rt.com", "bias", "https://rt.com/y", "", "2018-01-25", "Empty"])
        writer.writerow(["2", "19", "short row"])
    good, bad = _split(list(read_corpus([path], ColumnMap.build("fakenewscorpus"))))
    assert len(good) == 1 and good[0].hints["outlet"] == "rt.com" and "published" not in good[0].hints
    assert good[0].payload.endswith("second line")  # embedded newlines survive
    assert [b.locator for b in bad] == ["line 4", "line 5"]
    mapped = ColumnMap.build(pairs=["outlet=type", "published=scraped_at"])
    good, _ = _split(list(read_corpus([path], mapped)))
    assert good[0].hints["outlet"] == "bias" and good[0].hints["published"] == "2018-01-25 16:17:44"


def test_nela_preset_reads_the_publication_day(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "nela.jsonl", [{"id": "x1", "date": "2019-03-05", "source": "sputniknews",
                                                  "title": "T", "content": ARTICLES["idlib"]["text"],
                                                  "url": "https://sputniknews.com/a"}])
    good, _ = _split(list(read_corpus([path], ColumnMap.build("nela-gt"))))
    assert good[0].hints["published"] == "2019-03-05" and good[0].hints["outlet"] == "sputniknews"


def test_bad_mapping_and_preset_are_clear_errors() -> None:
    with pytest.raises(InputError, match="unknown preset"):
        ColumnMap.build("nope")
    with pytest.raises(InputError, match="FIELD=COLUMN"):
        ColumnMap.build(pairs=["body"])


def test_folder_gzip_zip_and_missing_paths(tmp_path: Path) -> None:
    folder = tmp_path / "crawl"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(ARTICLES["idlib"]["text"], encoding="utf-8")
    (folder / "sub" / "b.html").write_text("<p>" + ARTICLES["valencia"]["text"] + "</p>", encoding="utf-8")
    (folder / ".hidden.txt").write_text("secret", encoding="utf-8")
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")
    (folder / "notes.docx").write_bytes(b"PK")
    with gzip.open(folder / "feed.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write(json.dumps(record("election")) + "\n")
    with zipfile.ZipFile(tmp_path / "bundle.zip", "w") as archive:
        archive.writestr("x/one.txt", ARTICLES["election"]["text"])
        archive.writestr("x/rows.csv", "title,text\nT," + ARTICLES["valencia"]["title"] + "\n")
    (tmp_path / "broken.jsonl.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    found = list(read_corpus([folder, tmp_path / "bundle.zip", tmp_path / "broken.jsonl.gz", tmp_path / "nope.txt"]))
    good, bad = _split(found)
    assert [g.source.rpartition("/")[2] for g in good[:3]] == ["a.txt", "feed.jsonl.gz", "b.html"]
    assert [g.source.rpartition("bundle.zip")[2] for g in good[3:]] == ["!x/one.txt", "!x/rows.csv"]
    assert good[2].kind == "html"
    reasons = {Path(b.source).name: b.reason for b in bad}
    assert reasons["empty.txt"] == "empty file"
    assert "damaged" in reasons["broken.jsonl.gz"] and reasons["nope.txt"] == "does not exist"


def test_warc_pages_are_items(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, status, ctype, body in (
            ("https://southfront.org/idlib", "200 OK", "text/html; charset=utf-8",
             f"<html><head><title>Idlib</title></head><body><p>{ARTICLES['idlib']['text']}</p></body></html>"),
            ("https://southfront.org/logo.png", "200 OK", "image/png", "PNG"),
            ("https://southfront.org/gone", "404 Not Found", "text/html", "<p>not found</p>"),
        ):
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body.encode()),
                                                          http_headers=headers))
    good, bad = _split(list(read_corpus([path])))
    assert len(good) == 1 and not bad
    assert good[0].hints == {"url": "https://southfront.org/idlib"} and good[0].kind == "html"
    assert good[0].locator.startswith("offset ")
    assert ARTICLES["idlib"]["text"][:100].encode() in good[0].payload


def test_record_hash_depends_on_payload_and_hints() -> None:
    a = RawRecord("a.jsonl", "line 1", "text", "text", {"outlet": "x"})
    assert a.record_hash == RawRecord("b.jsonl", "line 9", "text", "text", {"outlet": "x"}).record_hash
    assert a.record_hash != RawRecord("a.jsonl", "line 1", "text", "text", {"outlet": "y"}).record_hash


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_jsonl_reader_never_raises(data: str) -> None:
    for row in read_jsonl(io.StringIO(data), ColumnMap()):
        assert row.problem or row.body


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.text(max_size=30), max_size=4), max_size=6))
def test_csv_reader_never_raises(rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["title", "text"])
    writer.writerows(rows)
    buffer.seek(0)
    for row in read_csv(buffer, ColumnMap()):
        assert row.problem or row.body
        assert row.locator.startswith("line ")
