"""SemEval-2020 Task 11 label files: read and write them, refusing malformed lines loudly.

SI lines are ``article_id<TAB>start<TAB>end``; TC and FLC lines are
``article_id<TAB>technique<TAB>start<TAB>end`` (a TC template has ``?`` as technique).
Offsets are character offsets into the article file as read, start inclusive, end exclusive.
A label source is one file or a folder of per-article files (articles without labels have none).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TextIO

from ..errors import InputError

TASKS = ("si", "tc", "flc")
TEMPLATE_TECHNIQUE = "?"
LABEL_SUFFIXES = frozenset((".labels", ".out", ".txt", ".tsv"))
MAX_LABEL_FILE_BYTES = 64 * 2**20  # a whole corpus' labels are a few MB; more is not a label file


@dataclass(frozen=True, slots=True)
class SpanLabel:
    """One labelled fragment of one article; ``technique`` is None for SI."""

    article_id: str
    start: int
    end: int
    technique: str | None = None

    def __len__(self) -> int:
        return self.end - self.start


@lru_cache(maxsize=1)
def technique_definitions() -> dict[str, str]:
    """The 14 technique names (scorer spelling) with their definitions, from the data file."""
    text = resources.files(__package__).joinpath("data/techniques.toml").read_text(encoding="utf-8")
    return {t["name"]: t["definition"] for t in tomllib.loads(text)["technique"]}


def technique_names() -> frozenset[str]:
    return frozenset(technique_definitions())


def techniques_by_span(labels: Iterable[SpanLabel]) -> dict[tuple[str, int, int], list[str]]:
    """``(article_id, start, end)`` → the techniques labelled there, in file order (PTC marks one
    fragment with several techniques by repeating it)."""
    grouped: dict[tuple[str, int, int], list[str]] = {}
    for label in labels:
        grouped.setdefault((label.article_id, label.start, label.end), []).append(label.technique or "")
    return grouped


def _check_task(task: str) -> None:
    if task not in TASKS:
        raise InputError(f"unknown task {task!r}; use one of {', '.join(TASKS)}")


def parse_line(line: str, task: str, where: str, allow_template: bool = False) -> SpanLabel:
    """One label line; ``where`` ("file:line") prefixes every error so the user can fix it."""
    fields = line.rstrip("\r\n").split("\t")
    expected = 3 if task == "si" else 4
    if len(fields) != expected:
        layout = "id<TAB>start<TAB>end" if task == "si" else "id<TAB>technique<TAB>start<TAB>end"
        raise InputError(f"{where}: expected {expected} tab-separated fields ({layout}) for task "
                         f"{task}, found {len(fields)}")
    article_id, technique = fields[0].strip(), None
    if not article_id:
        raise InputError(f"{where}: the article id is empty")
    if task != "si":
        technique = fields[1].strip()
        if not (technique in technique_names() or (allow_template and technique == TEMPLATE_TECHNIQUE)):
            raise InputError(f"{where}: {technique!r} is not one of the 14 SemEval-2020 technique "
                             f"names (e.g. Loaded_Language, Name_Calling,Labeling)")
    try:
        start, end = int(fields[-2]), int(fields[-1])
    except ValueError:
        raise InputError(f"{where}: start and end must be integers, found "
                         f"{fields[-2]!r} and {fields[-1]!r}") from None
    if start < 0 or end <= start:
        raise InputError(f"{where}: the span [{start}, {end}) is empty or negative "
                         f"(need 0 <= start < end)")
    return SpanLabel(article_id, start, end, technique)


def parse_lines(lines: Iterable[str], task: str, name: str,
                allow_template: bool = False) -> list[SpanLabel]:
    """Every non-blank line of one label stream."""
    _check_task(task)
    return [parse_line(line, task, f"{name}:{number}", allow_template)
            for number, line in enumerate(lines, 1) if line.strip()]


def _files(path: Path) -> Iterator[Path]:
    if path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in LABEL_SUFFIXES
                       and not any(part.startswith(".") for part in p.relative_to(path).parts))
        if not found:
            raise InputError(f"{path} holds no label files ({', '.join(sorted(LABEL_SUFFIXES))})")
        yield from found
    elif path.is_file():
        yield path
    else:
        raise InputError(f"{path} does not exist")


def read_labels(path: str | Path, task: str, allow_template: bool = False) -> list[SpanLabel]:
    """All labels of a file, or of every label file under a folder (sorted, hidden ones skipped)."""
    _check_task(task)
    labels: list[SpanLabel] = []
    for file in _files(Path(path)):
        if file.stat().st_size > MAX_LABEL_FILE_BYTES:
            raise InputError(f"{file} is larger than {MAX_LABEL_FILE_BYTES // 2**20} MB; "
                             f"it is not a label file")
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read {file} as UTF-8 text: {exc}") from None
        labels += parse_lines(text.splitlines(), task, str(file), allow_template)
    return labels


def format_label(label: SpanLabel, task: str) -> str:
    if task == "si":
        return f"{label.article_id}\t{label.start}\t{label.end}"
    return f"{label.article_id}\t{label.technique or TEMPLATE_TECHNIQUE}\t{label.start}\t{label.end}"


def write_labels(stream: TextIO, labels: Iterable[SpanLabel], task: str) -> None:
    """Write labels in the task's format, one per line, in the order given."""
    _check_task(task)
    stream.writelines(format_label(label, task) + "\n" for label in labels)
