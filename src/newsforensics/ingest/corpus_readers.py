"""Corpus readers: many news items out of folders, JSON Lines, CSV/TSV, WARC, gzip and zip.

Every reader streams: it yields one :class:`RawRecord` (bytes or text that
:func:`newsforensics.ingest.load` reads, with metadata hints) or one :class:`BadRecord`
(file, line or offset, reason) at a time, so a corpus of any size is never held in memory.
The format is chosen by the file name; ``.gz`` and ``.zip`` are opened and their contents
read by their own names.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from . import MAX_INPUT_BYTES
from .tabular import ColumnMap, Row, read_csv, read_jsonl, text_stream
from .warc import read_warc

SINGLE_ITEM_SUFFIXES = {".html": "html", ".htm": "html", ".txt": "text", ".md": "text", ".json": "json"}
TABLE_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".tsv")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
MAX_NESTING = 8  # archives inside archives: deeper is a zip bomb or a mistake, not a corpus


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One item as read: its payload for ``load`` and what the container said about it."""

    source: str    # the file (``archive.zip!member`` inside archives)
    locator: str   # "line 12", "offset 3480", "" for a whole file
    payload: bytes | str
    kind: str      # load() kind: "auto" | "html" | "text" | "json"
    hints: dict[str, str] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return f"{self.source}:{self.locator}" if self.locator else self.source

    @property
    def record_hash(self) -> str:
        """Identity of the raw record (payload and hints), so a resumed ingest can skip it."""
        digest = hashlib.sha1(usedforsecurity=False)
        payload = self.payload.encode("utf-8", "surrogatepass") if isinstance(self.payload, str) else self.payload
        digest.update(payload)
        for key in sorted(self.hints):
            digest.update(f"\x1f{key}={self.hints[key]}".encode("utf-8", "surrogatepass"))
        return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class BadRecord:
    """A record that could not be read: reported, skipped, and counted in the summary."""

    source: str
    locator: str
    reason: str

    @property
    def where(self) -> str:
        return f"{self.source}:{self.locator}" if self.locator else self.source


def _suffix(name: str) -> str:
    lower = name.lower()
    for compound in (".warc.gz", ".arc.gz"):
        if lower.endswith(compound):
            return compound
    return os.path.splitext(lower)[1]


def is_corpus_file(name: str) -> bool:
    """Whether a file name is one the corpus readers take (hidden files are not)."""
    base = os.path.basename(name)
    if base.startswith("."):
        return False
    suffix = _suffix(base)
    if suffix == ".gz":
        return is_corpus_file(base[:-3])
    return suffix in SINGLE_ITEM_SUFFIXES or suffix in TABLE_SUFFIXES or suffix in WARC_SUFFIXES \
        or suffix == ".zip"


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if is_corpus_file(name):
                yield Path(root) / name


def read_corpus(paths: Iterable[str | Path], columns: ColumnMap | None = None) -> Iterator[RawRecord | BadRecord]:
    """Every record of every input path, in order (folders walked sorted)."""
    columns = columns or ColumnMap()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for file in _walk(path):
                yield from _read_file(file, columns)
        elif path.is_file():
            yield from _read_file(path, columns)
        else:
            yield BadRecord(shown_name(path), "", "does not exist")


def shown_name(path: str | Path) -> str:
    """A file name as text that can be stored and printed: bytes of a name that is not UTF-8
    (which Python keeps as lone surrogates) become U+FFFD."""
    return os.fsencode(path).decode("utf-8", "replace")


def _read_file(path: Path, columns: ColumnMap) -> Iterator[RawRecord | BadRecord]:
    name = shown_name(path)
    if not is_corpus_file(path.name):
        yield BadRecord(name, "", f"unknown corpus format {path.suffix or '(no suffix)'!r}")
        return
    try:
        with path.open("rb") as stream:
            yield from _read_stream(stream, name, path.name, columns)
    except OSError as exc:
        yield BadRecord(name, "", f"cannot read it ({exc.strerror or exc})")


def _read_stream(stream: IO[bytes], source: str, name: str, columns: ColumnMap,
                 depth: int = 0) -> Iterator[RawRecord | BadRecord]:
    """Dispatch one stream by its file name; ``depth`` counts the archives around it."""
    suffix = _suffix(name)
    if depth > MAX_NESTING:
        yield BadRecord(source, "", f"archives nested more than {MAX_NESTING} deep; unpack it first")
        return
    try:
        if suffix in WARC_SUFFIXES:  # read_warc inflates gzip members itself, one at a time
            for page in read_warc(stream, max_bytes=MAX_INPUT_BYTES):
                if page.problem or page.payload is None:
                    yield BadRecord(source, page.locator, page.problem or "empty page")
                else:
                    hints = {"url": page.url} if page.url else {}
                    yield RawRecord(source, page.locator, page.payload, page.kind, hints)
        elif suffix == ".gz":
            with gzip.open(stream) as inner:
                yield from _read_stream(inner, source, name[:-3], columns, depth + 1)  # type: ignore[arg-type]
        elif suffix == ".zip":
            yield from _read_zip(stream, source, columns, depth + 1)
        elif suffix in (".jsonl", ".ndjson"):
            yield from _rows(read_jsonl(text_stream(stream), columns), source)
        elif suffix in (".csv", ".tsv"):
            rows = read_csv(text_stream(stream), columns, delimiter="\t" if suffix == ".tsv" else ",")
            yield from _rows(rows, source)
        else:
            data = stream.read(MAX_INPUT_BYTES + 1)
            if len(data) > MAX_INPUT_BYTES:
                yield BadRecord(source, "", f"larger than {MAX_INPUT_BYTES // 2**20} MB for one item")
            elif not data.strip():
                yield BadRecord(source, "", "empty file")
            else:
                yield RawRecord(source, "", data, SINGLE_ITEM_SUFFIXES[suffix])
    except (OSError, EOFError, zipfile.BadZipFile, gzip.BadGzipFile) as exc:
        yield BadRecord(source, "", f"damaged or truncated archive ({exc})")


def _read_zip(stream: IO[bytes], source: str, columns: ColumnMap, depth: int) -> Iterator[RawRecord | BadRecord]:
    with zipfile.ZipFile(stream) as archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            if info.is_dir() or not is_corpus_file(info.filename) or info.filename.startswith("__MACOSX/"):
                continue
            member = f"{source}!{info.filename}"
            with archive.open(info) as inner:
                yield from _read_stream(inner, member, info.filename, columns, depth)


def _rows(rows: Iterator[Row], source: str) -> Iterator[RawRecord | BadRecord]:
    for row in rows:
        if row.problem or row.body is None:
            yield BadRecord(source, row.locator, row.problem or "no body")
        elif len(row.body) > MAX_INPUT_BYTES:
            yield BadRecord(source, row.locator, f"body larger than {MAX_INPUT_BYTES // 2**20} MB")
        else:
            yield RawRecord(source, row.locator, row.body, row.kind, row.hints)
