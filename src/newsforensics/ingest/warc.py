"""WARC crawls (``.warc``, ``.warc.gz``, ``.arc``): each archived HTML page is one item.

Read as a stream, so a crawl of any size is never held in memory. Only successful (HTTP 200)
responses and ``resource`` records with an HTML or text payload become items; the WARC date is
when the page was crawled, not published, so it is not used as a date.

A damaged or truncated stretch of a crawl is reported once and skipped; one bad record never
costs the rest. A gzipped crawl is read one gzip member at a time: we inflate each member
ourselves (zlib checks its CRC and length) and hand warcio only that member's bytes, so garbage
can never make warcio read on into the next member, and after a damaged member reading resumes
at the next member start. An uncompressed crawl resumes at the next ``WARC/1.`` header, when
the file can be seeked.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass, replace
from typing import IO

ITEM_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_GZIP_MEMBER, _WARC_HEADER = b"\x1f\x8b\x08", b"WARC/1."
_SCAN_CHUNK = 1 << 20
_INFLATE_CHUNK = 1 << 16
_KEPT_BYTES = 16 << 20  # of a member, to re-read it after damage when the stream cannot seek
_BLANK = b" \t\r\n\x00"


@dataclass(frozen=True, slots=True)
class WarcPage:
    locator: str  # "offset N" of the record in the (compressed) file
    url: str | None
    payload: bytes | None
    kind: str  # "html" | "text"
    problem: str | None = None


def read_warc(stream: IO[bytes], *, max_bytes: int) -> Iterator[WarcPage]:
    """The HTML/text pages of a WARC stream; unreadable stretches are reported and skipped."""
    source = _Source(stream)
    if _gzipped(source):
        yield from _gzip_pages(source, max_bytes)
    elif _size(stream) is not None:  # peeking read ahead: go back
        stream.seek(source.position)
        yield from _plain_pages(stream, max_bytes)
    else:
        yield from _plain_pages(source, max_bytes)


def _gzipped(source: _Source) -> bool:
    """Whether the crawl is gzipped; when its start is damaged, whichever of a gzip member or a
    WARC header comes first tells."""
    head = source.peek(len(_WARC_HEADER))
    if head.startswith(_GZIP_MEMBER[:2]):
        return True
    if head.startswith((_WARC_HEADER, b"filedesc")):
        return False
    head = source.peek(_SCAN_CHUNK)
    member, header = head.find(_GZIP_MEMBER), head.find(_WARC_HEADER)
    return member >= 0 and (header < 0 or member < header)


# -- gzipped: one member at a time ---------------------------------------------------------------

def _gzip_pages(source: _Source, max_bytes: int) -> Iterator[WarcPage]:
    damaged: tuple[int, str] | None = None  # where the damaged stretch began, and why
    while True:
        source.skip(_BLANK)
        source.mark()
        start = source.position
        if not source.peek(1):
            break
        problem: str | None = "no gzip member starts here"
        reported = False
        if source.peek(len(_GZIP_MEMBER)) == _GZIP_MEMBER:
            report = _damage_report(*damaged, resumed_at=start) if damaged else None
            problem, reported = yield from _member_pages(source, start, max_bytes, report)
            if problem is None:
                damaged = None
                continue
        if damaged is None or reported:
            damaged = (start, problem)
        source.rewind(start + 1)
        if not source.find(_GZIP_MEMBER):
            break
    if damaged is not None:
        yield _damage_report(*damaged, resumed_at=None)


def _member_pages(source: _Source, start: int, max_bytes: int,
                  report: WarcPage | None) -> Generator[WarcPage, None, tuple[str | None, bool]]:
    """The pages of the gzip member at ``start``, after ``report`` (of the damage before it);
    returns why the member could not be read, if it could not, and whether the report went out.

    The last page is held until the whole member has inflated and passed its CRC check, so a
    damaged member (normally one record) passes on nothing. Earlier pages of a member that holds
    several records inflated from the bytes before any damage and are passed on at once, so
    memory stays bounded whatever the member holds."""
    member, pending = _Member(source), [report] if report else []
    records = _pages(member, max_bytes)
    try:
        for n in itertools.count():
            page = _at(next(records), start, n)
            if n:
                yield from pending
                pending = []
            pending.append(page)
    except StopIteration as stop:
        problem = stop.value[1]
    if problem is None:
        try:
            member.finish()
        except (EOFError, zlib.error) as exc:
            problem = str(exc)[:200]
    reported = report is not None and report not in pending
    if problem is None:
        yield from pending
    return problem, reported


def _at(page: WarcPage, start: int, n: int) -> WarcPage:
    """The locator of the ``n``th page read from the member at ``start`` (a member normally
    holds one record; some writers put several in one)."""
    return replace(page, locator=f"offset {start}" + (f" page {n + 1}" if n else ""))


def _damage_report(start: int, problem: str, resumed_at: int | None) -> WarcPage:
    return WarcPage(f"offset {start}", None, None, "html", f"damaged or truncated record ({problem})"
                    + (f"; reading resumed at offset {resumed_at}" if resumed_at is not None else ""))


class _Source:
    """The compressed file read forward, with bytes pushed back so a damaged member can be
    re-read from just after its start: from the member's bytes kept (up to 16 MiB), else by
    seeking when the stream can."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._pending, self._at = b"", 0  # bytes read ahead, and how many of them were used
        self._seekable = _size(stream) is not None
        self.position = stream.tell() if self._seekable else 0
        self.mark()

    def mark(self) -> None:
        """Keep the bytes read from here on (a member starts here)."""
        self._kept, self._kept_from = bytearray(), self.position

    def read(self, size: int) -> bytes:
        if self._at < len(self._pending):
            data = self._pending[self._at:self._at + size]
            self._at += len(data)
        else:
            data = self._stream.read(size)
        self.position += len(data)
        if self._kept_from >= 0:
            self._kept += data
            if len(self._kept) > _KEPT_BYTES:
                self._kept, self._kept_from = bytearray(), -1
        return data

    def tell(self) -> int:
        return self.position

    def peek(self, size: int) -> bytes:
        while len(self._pending) - self._at < size:
            chunk = self._stream.read(max(size - len(self._pending) + self._at, _INFLATE_CHUNK))
            if not chunk:
                break
            self._pending, self._at = self._pending[self._at:] + chunk, 0
        return self._pending[self._at:self._at + size]

    def unread(self, data: bytes) -> None:
        """Give back bytes read past the end of a member."""
        if self._at >= len(data) and self._pending[self._at - len(data):self._at] == data:
            self._at -= len(data)  # the usual case: they came from the bytes read ahead
        else:
            self._pending, self._at = data + self._pending[self._at:], 0
        self.position -= len(data)

    def skip(self, blank: bytes) -> None:
        while head := self.peek(_INFLATE_CHUNK):
            rest = head.lstrip(blank)
            self.read(len(head) - len(rest))
            if rest:
                return

    def rewind(self, position: int) -> None:
        """Read again from ``position`` in the member last marked (or on from here, if those
        bytes were neither kept nor can be sought)."""
        skip = position - self._kept_from
        if self._kept_from >= 0 and 0 <= skip <= len(self._kept):
            self.unread(bytes(self._kept[skip:]))
        elif self._seekable:
            self._pending, self._at = b"", 0
            self.position = self._stream.seek(position)
        self.mark()

    def find(self, marker: bytes) -> bool:
        """Move to the next ``marker``, reading in bounded chunks; False at the end."""
        while chunk := self.peek(_SCAN_CHUNK):
            found = chunk.find(marker)
            if found >= 0:
                self.read(found)
                return True
            if len(chunk) < len(marker):
                self.read(len(chunk))
                return False
            self.read(len(chunk) - len(marker) + 1)
        return False


class _Member:
    """One gzip member's inflated bytes, as a stream that ends where the member ends; what was
    read past its end goes back to the source for the next member."""

    def __init__(self, source: _Source) -> None:
        self._source = source
        self._inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._buffer = b""
        self._given = 0

    def read(self, size: int = -1) -> bytes:
        while (size < 0 or len(self._buffer) < size) and not self._inflate.eof:
            data = self._inflate.unconsumed_tail or self._source.read(_INFLATE_CHUNK)
            if not data:
                raise EOFError("the file ends inside a gzip member")
            self._buffer += self._inflate.decompress(data, _INFLATE_CHUNK)
            if self._inflate.eof:
                self._source.unread(self._inflate.unused_data)
        size = len(self._buffer) if size < 0 else size
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        self._given += len(data)
        return data

    def tell(self) -> int:
        return self._given

    def finish(self) -> None:
        """Inflate to the member's end, so its CRC is checked and the source is past it."""
        while self.read(_INFLATE_CHUNK):
            pass


# -- uncompressed: resume at the next record header ----------------------------------------------

def _plain_pages(stream: IO[bytes] | _Source, max_bytes: int) -> Iterator[WarcPage]:
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


def _pages(stream: IO[bytes] | _Source | _Member,
           max_bytes: int) -> Generator[WarcPage, None, tuple[int, str | None]]:
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
    """What starts a record in an uncompressed file: a WARC header (None for ARC)."""
    here = stream.tell()
    head = stream.read(len(_WARC_HEADER))
    stream.seek(here)
    return _WARC_HEADER if head == _WARC_HEADER else None


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
