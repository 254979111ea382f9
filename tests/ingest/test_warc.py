"""The WARC reader against damage anywhere in a crawl: whatever bytes are garbled inside one
record, every other record's page is read back whole, and no damaged text is passed on.

Record ids are random (as real crawlers write them), so the compressed bytes, and so what the
garbage meets, differ on every example: with warcio reading the gzip members itself, about one
damaged crawl in 25 silently lost the record after the damage.
"""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsforensics.ingest.warc import read_warc


def _crawl(bodies: list[bytes], ids: list[str], *, gz: bool) -> tuple[bytes, list[int]]:
    """A WARC of one HTML response per body, and where each record starts (and the end)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    starts = []
    for n, (body, record_id) in enumerate(zip(bodies, ids, strict=True)):
        starts.append(buffer.tell())
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            f"https://southfront.org/{n}", "response", payload=io.BytesIO(body), http_headers=headers,
            warc_headers_dict={"WARC-Record-ID": f"<urn:uuid:{record_id}>"}))
    return buffer.getvalue(), [*starts, buffer.tell()]


class _Pipe(io.RawIOBase):
    """A stream that only reads forward (stdin, a socket)."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        chunk = self._data.read(min(len(buffer), 4096))
        buffer[: len(chunk)] = chunk
        return len(chunk)


_BODY = st.builds(lambda n, words: f"<html><body><p>Report {n}: {words}</p></body></html>".encode(),
                  st.integers(0, 10**6), st.text("abcdefgh ", min_size=0, max_size=300))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies=st.lists(_BODY, min_size=3, max_size=6, unique=True),
       ids=st.lists(st.uuids().map(str), min_size=6, max_size=6),
       damaged=st.integers(0, 5), where=st.floats(0, 1), cut=st.integers(1, 60),
       garbage=st.binary(min_size=0, max_size=80), seekable=st.booleans())
def test_damage_in_one_gzip_member_costs_no_other_record(bodies: list[bytes], ids: list[str], damaged: int,
                                                         where: float, cut: int, garbage: bytes,
                                                         seekable: bool) -> None:
    data, starts = _crawl(bodies, ids[: len(bodies)], gz=True)
    damaged %= len(bodies)
    start, end = starts[damaged], starts[damaged + 1]
    at = start + int(where * (end - start - 1))
    broken = data[:at] + garbage + data[min(at + cut, end):]
    stream = io.BytesIO(broken) if seekable else io.BufferedReader(_Pipe(broken))
    pages = list(read_warc(stream, max_bytes=1 << 20))
    read = [page.payload for page in pages if page.payload is not None]
    assert all(payload in bodies for payload in read)  # nothing garbled is passed on
    assert [body for n, body in enumerate(bodies) if n != damaged and body not in read] == []
    assert sum(page.problem is not None for page in pages) <= 1


def test_a_whole_crawl_reads_the_same_through_a_pipe() -> None:
    bodies = [f"<p>Report {n}</p>".encode() for n in range(5)]
    data, starts = _crawl(bodies, [f"00000000-0000-4000-8000-{n:012d}" for n in range(5)], gz=True)
    for stream in (io.BytesIO(data), io.BufferedReader(_Pipe(data))):
        pages = list(read_warc(stream, max_bytes=1 << 20))
        assert [page.payload for page in pages] == bodies
        assert [page.locator for page in pages] == [f"offset {start}" for start in starts[:-1]]


def test_a_crawl_gzipped_whole_reads_every_record() -> None:
    """Some tools gzip a whole crawl as one member (warcio refuses to iterate such a file, and
    resuming after its error once raised on a negative seek)."""
    import gzip

    bodies = [f"<p>Report {n}</p>".encode() for n in range(3)]
    data, _ = _crawl(bodies, [f"00000000-0000-4000-8000-{n:012d}" for n in range(3)], gz=False)
    pages = list(read_warc(io.BytesIO(gzip.compress(data)), max_bytes=1 << 20))
    assert [page.payload for page in pages] == bodies
    assert [page.locator for page in pages] == ["offset 0", "offset 0 page 2", "offset 0 page 3"]
