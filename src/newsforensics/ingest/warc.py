"""WARC crawls (``.warc``, ``.warc.gz``, ``.arc``): each archived HTML page is one item.

Read with warcio's streaming iterator, so a crawl of any size is never held in memory. Only
successful (HTTP 200) responses and ``resource`` records with an HTML or text payload become
items; the WARC date is when the page was crawled, not published, so it is not used as a date.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

ITEM_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


@dataclass(frozen=True, slots=True)
class WarcPage:
    locator: str  # "offset N" of the record in the (compressed) file
    url: str | None
    payload: bytes | None
    kind: str  # "html" | "text"
    problem: str | None = None


def read_warc(stream: IO[bytes], *, max_bytes: int) -> Iterator[WarcPage]:
    """The HTML/text pages of a WARC stream; unreadable records are reported and skipped."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    records = ArchiveIterator(stream, arc2warc=True)
    try:
        for record in records:
            offset = records.get_record_offset()
            page = _page(record, f"offset {offset}", max_bytes)
            if page is not None:
                yield page
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        yield WarcPage("end of file", None, None, "html", f"the WARC stream is damaged ({exc})")


def _page(record, locator: str, max_bytes: int) -> WarcPage | None:  # type: ignore[no-untyped-def]
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
        return WarcPage(locator, url, None, kind, f"page larger than {max_bytes // 2**20} MB")
    return WarcPage(locator, url, payload, kind)
