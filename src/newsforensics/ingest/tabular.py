"""Tabular corpora: CSV/TSV rows and JSON Lines records mapped to news-item fields.

Research exports name their columns differently (FakeNewsCorpus calls the outlet ``domain`` and
the body ``content``; NELA-GT calls the outlet ``source``), so a :class:`ColumnMap` says which
column is which: a preset, explicit ``field=column`` pairs, or the aliases in
``data/corpus_formats.toml``. A row that cannot be read is reported with its line and skipped.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import IO, Any

from ..errors import InputError
from . import MAX_INPUT_BYTES

FIELDS = ("id", "url", "outlet", "language", "published", "title", "text", "html")
HINT_FIELDS = ("url", "outlet", "language", "published", "title")


@lru_cache(maxsize=1)
def _formats() -> dict[str, Any]:
    data = resources.files("newsforensics").joinpath("ingest/data/corpus_formats.toml").read_text("utf-8")
    return tomllib.loads(data)


def presets() -> tuple[str, ...]:
    return tuple(sorted(_formats()["presets"]))


@dataclass(frozen=True)
class ColumnMap:
    """Which column holds each field; fields unset, or whose column a file lacks, fall back to
    the aliases (so one preset serves an export's CSV and its JSON Lines)."""

    columns: tuple[tuple[str, str], ...] = ()

    @classmethod
    def build(cls, preset: str | None = None, pairs: Iterable[str] = ()) -> ColumnMap:
        """From a preset name and ``field=column`` strings (explicit pairs win)."""
        mapping: dict[str, str] = {}
        if preset:
            table = _formats()["presets"]
            if preset not in table:
                raise InputError(f"unknown preset {preset!r}; use one of {', '.join(presets())}")
            mapping.update(table[preset])
        for pair in pairs:
            field, sep, column = pair.partition("=")
            field, column = field.strip(), column.strip()
            if not sep or not column or field not in FIELDS:
                raise InputError(f"bad column mapping {pair!r}: use FIELD=COLUMN with FIELD one of "
                                 f"{', '.join(FIELDS)}")
            mapping[field] = column
        return cls(tuple(sorted(mapping.items())))

    def resolve(self, header: Iterable[str]) -> dict[str, str]:
        """The column of each field that this header has."""
        present = {h.strip().lower(): h for h in header if isinstance(h, str)}
        chosen: dict[str, str] = {}
        explicit = dict(self.columns)
        for field in FIELDS:
            if field in explicit and (column := present.get(explicit[field].lower())) is not None:
                chosen[field] = column
                continue
            for alias in _formats()["aliases"].get(field, []):
                if alias in present:
                    chosen[field] = present[alias]
                    break
        return chosen


@dataclass(frozen=True, slots=True)
class Row:
    """One tabular record: the body, its kind, the metadata hints and its locator."""

    locator: str
    body: str | None
    kind: str  # "html" | "text"
    hints: dict[str, str]
    record_id: str | None
    problem: str | None = None  # why the row cannot be an item


def _to_row(values: dict[str, Any], columns: dict[str, str], locator: str) -> Row:
    def get(field: str) -> str | None:
        column = columns.get(field)
        value = values.get(column) if column else None
        if isinstance(value, (int, float)) and not isinstance(value, bool) and field in ("id", "published"):
            value = str(value)
        return value.strip() or None if isinstance(value, str) else None

    hints = {f: v for f in HINT_FIELDS if (v := get(f)) is not None}
    html, text = get("html"), get("text")
    record_id = get("id")
    if html:
        return Row(locator, html, "html", hints, record_id)
    if text:
        return Row(locator, text, "text", hints, record_id)
    wanted = " or ".join(repr(columns[f]) for f in ("text", "html") if f in columns)
    problem = (f"empty {wanted} field" if wanted else
               "no text column (map one with --map text=COLUMN or choose a --preset)")
    return Row(locator, None, "text", hints, record_id, problem)


class LineTooLong(Exception):
    """A line longer than the limit was skipped (never held whole in memory)."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


class BoundedLines:
    """The lines of a text stream, none longer than ``limit`` characters: a longer line is read
    past in bounded chunks and signalled by :class:`LineTooLong`, after which iteration goes on.
    So a 1 GiB line in a small ``.jsonl.gz`` costs ``limit`` of memory, not a gigabyte."""

    def __init__(self, stream: IO[str], limit: int = MAX_INPUT_BYTES) -> None:
        self.stream, self.limit, self.number = stream, limit, 0

    def __iter__(self) -> BoundedLines:
        return self

    def __next__(self) -> str:
        line = self.stream.readline(self.limit + 1)
        if not line:
            raise StopIteration
        self.number += 1
        if len(line) > self.limit and line[-1] not in "\r\n":
            while (rest := self.stream.readline(1 << 20)) and rest[-1] not in "\r\n":
                pass
            raise LineTooLong(self.number)
        return line


def _too_long(exc: LineTooLong) -> Row:
    return Row(f"line {exc.number}", None, "text", {}, None,
               f"line longer than {MAX_INPUT_BYTES // 2**20} MB (the limit for one item); skipped")


def read_csv(stream: IO[str], columns: ColumnMap, *, delimiter: str = ",") -> Iterator[Row]:
    """Rows of a CSV/TSV file (fields may hold newlines); the locator is the starting line."""
    csv.field_size_limit(MAX_INPUT_BYTES)
    reader = csv.reader(BoundedLines(stream), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    except (csv.Error, LineTooLong) as exc:
        yield Row("line 1", None, "text", {}, None, f"unreadable header ({exc})")
        return
    mapped = columns.resolve(header)
    line = reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except LineTooLong as exc:
            yield _too_long(exc)
            line = exc.number + 1
            continue
        except csv.Error as exc:
            yield Row(f"line {line}", None, "text", {}, None, f"malformed CSV ({exc})")
            line = reader.line_num + 1
            continue
        locator = f"line {line}"
        line = reader.line_num + 1
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            yield Row(locator, None, "text", {}, None,
                      f"{len(values)} fields where the header has {len(header)}")
            continue
        yield _to_row(dict(zip(header, values)), mapped, locator)


def read_jsonl(stream: IO[str], columns: ColumnMap) -> Iterator[Row]:
    """Records of a JSON Lines file; the locator is the line number."""
    lines = BoundedLines(stream)
    while True:
        try:
            line = next(lines)
        except StopIteration:
            return
        except LineTooLong as exc:
            yield _too_long(exc)
            continue
        number = lines.number
        if not line.strip():
            continue
        locator = f"line {number}"
        try:
            value = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            yield Row(locator, None, "text", {}, None, f"not valid JSON ({reason})")
            continue
        if not isinstance(value, dict):
            yield Row(locator, None, "text", {}, None, f"a JSON {type(value).__name__}, not an object")
            continue
        yield _to_row(value, columns.resolve(value.keys()), locator)


def text_stream(binary: IO[bytes]) -> IO[str]:
    """UTF-8 text over a binary stream; undecodable bytes become U+FFFD instead of failing."""
    return io.TextIOWrapper(binary, encoding="utf-8-sig", errors="replace", newline="")
