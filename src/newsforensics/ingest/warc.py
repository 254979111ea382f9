"""WARC crawls (``.warc``, ``.warc.gz``, ``.arc``): each archived HTML page is one item.

Read with warcio's streaming iterator, so a crawl of any size is never held in memory. Only
successful (HTTP 200) responses and ``resource`` records with an HTML or text payload become
items; the WARC date is when the page was crawled, not published, so it is not used as a date.
A damaged or truncated stretch of a crawl is reported and skipped: when the file can be seeked,
reading resumes at the next record header after it, so one bad record never costs the rest.
"""

from __future__ import annotations

import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass, replace
from typing import IO

ITEM_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_GZIP_MEMBER, _WARC_HEADER = b"\x1f\x8b\x08", b"WARC/1."
_SCAN_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class WarcPage:
    locator: str  # "offset N" of the record in the (compressed) file
    url: str | None
    payload: bytes | None
    kind: str  # "html" | "text"
    problem: str | None = None


def read_warc(stream: IO[bytes], *, max_bytes: int) -> Iterator[WarcPage]:
    """The HTML/text pages of a WARC stream; unreadable stretches are reported and skipped."""
    size = _size(stream)
    marker = _record_marker(stream) if size is not None else None
    while True:
        end, problem = yield from _pages(stream, max_bytes)
        if size is None:
            if problem:
                yield WarcPage(f"offset {end}", None, None, "html", f"damaged or truncated record ({problem})")
            return
        damaged = _unread(stream, end, size)
        if damaged is None:
            return
        resume = _next_record(stream, damaged + 1, marker) if marker else None
        reason = f"damaged or truncated record ({problem})" if problem else "truncated record"
        yield WarcPage(f"offset {damaged}", None, None, "html",
                       reason + (f"; reading resumed at offset {resume}" if resume is not None else ""))
        if resume is None:
            return
        stream.seek(resume)


def _pages(stream: IO[bytes], max_bytes: int) -> Generator[WarcPage, None, tuple[int, str | None]]:
    """Pages from the stream's position on; returns where the last whole record ended and, if
    reading stopped on an error, the error."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed
    from warcio.statusandheaders import StatusAndHeadersParserException

    records = ArchiveIterator(stream, arc2warc=True)
    end = records.offset
    try:
        for record in records:
            page = _page(record, max_bytes)
            # after the payload: warcio finds the offset by reading the record to its end
            offset = records.get_record_offset()
            end = offset + records.get_record_length()
            if page is not None:
                yield replace(page, locator=f"offset {offset}")
    except (ArchiveLoadFailed, StatusAndHeadersParserException, OSError, EOFError, ValueError,
            zlib.error) as exc:
        return end, str(exc)[:200]
    return end, None


def _page(record, max_bytes: int) -> WarcPage | None:  # type: ignore[no-untyped-def]
    if record.rec_type not in ("response", "resource"):
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    if record.rec_type == "response":
        if record.http_headers is None:
            return None
        status = record.http_headers.get_statuscode()
        if status != "200":
            return None
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    media = content_type.split(";")[0].strip().lower()
    if media not in ITEM_TYPES:
        return None
    payload = record.content_stream().read(max_bytes + 1)
    kind = "text" if media == "text/plain" else "html"
    if len(payload) > max_bytes:
        return WarcPage("", url, None, kind, f"page larger than {max_bytes // 2**20} MB")
    if getattr(record.raw_stream, "limit", 0) > 0:  # fewer bytes than the record's Content-Length
        return WarcPage("", url, None, kind, "truncated record (the file ends inside it)")
    return WarcPage("", url, payload, kind)


def _size(stream: IO[bytes]) -> int | None:
    """The stream's length when it can be seeked (resuming needs that), else None."""
    try:
        if not stream.seekable():
            return None
        here = stream.tell()
        size = stream.seek(0, 2)
        stream.seek(here)
        return size
    except (OSError, ValueError, AttributeError):
        return None


def _record_marker(stream: IO[bytes]) -> bytes | None:
    """What starts a record in this file: a gzip member, a WARC header (None for ARC)."""
    here = stream.tell()
    head = stream.read(len(_WARC_HEADER))
    stream.seek(here)
    if head.startswith(_GZIP_MEMBER[:2]):
        return _GZIP_MEMBER
    return _WARC_HEADER if head.startswith(_WARC_HEADER) else None


def _unread(stream: IO[bytes], end: int, size: int) -> int | None:
    """Where unread data starts after the last whole record (past the blank lines that
    separate records), or None if the file ends there."""
    stream.seek(end)
    head = stream.read(min(size - end, 64))
    rest = head.lstrip()
    return end + len(head) - len(rest) if rest else None


def _next_record(stream: IO[bytes], start: int, marker: bytes) -> int | None:
    """The offset of the next record marker at or after ``start``, read in bounded chunks."""
    stream.seek(start)
    position, tail = start, b""
    while chunk := stream.read(_SCAN_CHUNK):
        window = tail + chunk
        found = window.find(marker)
        if found >= 0:
            return position - len(tail) + found
        tail = window[-(len(marker) - 1):]
        position += len(chunk)
    return None
