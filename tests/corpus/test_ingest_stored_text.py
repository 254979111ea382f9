"""Every corpus reader, end to end through ingest: the stored item holds the article's text
(counting records is not enough: a reader that yields empty pages would pass a count)."""

from __future__ import annotations

import csv
import gzip
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from newsforensics.corpus.engine import ingest
from newsforensics.corpus.store import Store

from .conftest import ARTICLES

TEXT = ARTICLES["idlib"]["text"]
HTML = f"<html><head><title>Idlib</title></head><body><article><p>{TEXT}</p></article></body></html>"


def _warc(path: Path, *, gz: bool, bodies: tuple[str, ...] = (HTML,)) -> list[int]:
    """Write a WARC of one response per body; the offset where each record starts. Record ids
    and dates are fixed so the (compressed) bytes, and so where the damage tests cut, are the same
    on every run."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    starts = []
    for n, body in enumerate(bodies):
        starts.append(buffer.tell())
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"https://southfront.org/{n}", "response",
                                                      payload=io.BytesIO(body.encode()), http_headers=headers,
                                                      warc_headers_dict={
                                                          "WARC-Record-ID": f"<urn:uuid:00000000-0000-4000-8000-{n:012d}>",
                                                          "WARC-Date": "2019-03-29T12:00:00Z"}))
    path.write_bytes(buffer.getvalue())
    return starts


def _csv(path: Path, delimiter: str = ",") -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(["title", "text"])
        writer.writerow(["Idlib", TEXT])


def _zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("crawl/a.html", HTML)


WRITERS: dict[str, Callable[[Path], object]] = {
    "item.txt": lambda p: p.write_text(TEXT, encoding="utf-8"),
    "item.html": lambda p: p.write_text(HTML, encoding="utf-8"),
    "item.json": lambda p: p.write_text(json.dumps({"text": TEXT}), encoding="utf-8"),
    "feed.jsonl": lambda p: p.write_text(json.dumps({"text": TEXT}) + "\n", encoding="utf-8"),
    "feed.jsonl.gz": lambda p: p.write_bytes(gzip.compress((json.dumps({"html": HTML}) + "\n").encode())),
    "rows.csv": _csv,
    "rows.tsv": lambda p: _csv(p, "\t"),
    "bundle.zip": _zip,
    "crawl.warc": lambda p: _warc(p, gz=False),
    "crawl.warc.gz": lambda p: _warc(p, gz=True),
}


def _stored_texts(db: Path) -> list[str]:
    with Store(db, read_only=True) as store:
        return [store.item(i["item_id"])["text"] for i in store.items()]


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_each_reader_stores_the_article_text(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    WRITERS[name](path)
    summary = ingest([path], tmp_path / "c.db", profile="minimal")
    assert (summary.stored, summary.bad) == (1, 0), summary.bad_records
    [text] = _stored_texts(tmp_path / "c.db")
    assert TEXT[:200] in text


@pytest.mark.parametrize("gz", [True, False])
def test_truncated_and_corrupt_warcs_keep_their_readable_records(tmp_path: Path, gz: bool) -> None:
    bodies = tuple(HTML.replace("Idlib", f"Idlib {n}", 1).replace(TEXT[:40], f"Report {n}: " + TEXT[:40])
                   for n in range(4))
    starts = _warc(tmp_path / "whole.warc", gz=gz, bodies=bodies)
    data = (tmp_path / "whole.warc").read_bytes()
    suffix = ".warc.gz" if gz else ".warc"
    truncated, corrupt = tmp_path / f"truncated{suffix}", tmp_path / f"corrupt{suffix}"
    truncated.write_bytes(data[: (starts[2] + starts[3]) // 2])  # cut inside the third record
    damage = starts[2]  # garbage over the start of the third record
    corrupt.write_bytes(data[:damage] + b"\x00garbage\xff" * 10 + data[damage + 40:])
    for path, kept in ((truncated, ("Report 0", "Report 1")), (corrupt, ("Report 0", "Report 1", "Report 3"))):
        db = tmp_path / f"{path.name}.db"
        summary = ingest([path], db, profile="minimal")
        texts = _stored_texts(db)
        assert sorted(k for k in kept if any(k in t for t in texts)) == list(kept), path.name
        assert summary.bad == 1 and summary.bad_records[0]["locator"].startswith("offset ")
