"""Single-item commands: analyze, extract, report, stages, schema."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from .. import api, report
from ..document import Document
from ..errors import InputError
from ..ingest import KINDS, MAX_INPUT_BYTES
from ..pipeline import DEFAULT_STAGES, Pipeline, registered
from ..serialize import SCHEMA_VERSION, schema, to_dict
from .common import (EXIT_CODES, EXIT_INPUT, EXIT_OK, EXIT_PARTIAL, JsonFlag, OutOpt, UsageError, app,
                     choices, fail, guarded, progress_bar, say)

INPUT_SUFFIXES = frozenset((".html", ".htm", ".txt", ".json", ".md"))
SAMPLE_FILE = "data/sample/meridian-gao-drones.txt"


# --- inputs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One input item: a file, stdin ("-") or the bundled sample."""

    name: str
    path: Path | None = None

    def read(self) -> bytes:
        if self.path is None:
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            try:
                if self.path.stat().st_size > MAX_INPUT_BYTES:  # refuse before reading it
                    raise InputError(
                        f"{self.name} is {self.path.stat().st_size / 2**20:.0f} MB; the limit for "
                        f"one item is {MAX_INPUT_BYTES // 2**20} MB (split it, or pass one article)"
                    )
                data = self.path.read_bytes()
            except OSError as exc:
                raise InputError(f"cannot read {self.name}: {exc.strerror or exc}") from None
        return data


def _sample() -> Source:
    path = Path(str(resources.files("newsforensics").joinpath(SAMPLE_FILE)))
    return Source(f"sample:{path.name}", path)


def _walk(folder: Path) -> Iterator[Path]:
    """Analysable files under a folder, sorted, skipping hidden files and folders."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in INPUT_SUFFIXES:
                yield Path(root) / name


def _sources(paths: list[str], sample: bool) -> tuple[list[Source], bool]:
    """The items to read, and whether this is a batch (a folder or several inputs)."""
    if sample:
        if paths:
            raise UsageError("give either --sample or input paths, not both")
        return [_sample()], False
    if not paths:
        raise UsageError("no input: give a FILE, a DIR, - for stdin, or --sample")
    sources: list[Source] = []
    batch = len(paths) > 1
    for raw in paths:
        path = Path(raw)
        if raw == "-":
            sources.append(Source("-"))
        elif path.is_dir():
            batch = True
            found = [Source(str(p), p) for p in _walk(path)]
            if not found:
                raise InputError(f"{raw} holds no {'/'.join(sorted(INPUT_SUFFIXES))} files to analyse")
            sources += found
        elif path.exists():
            sources.append(Source(raw, path))
        else:
            raise InputError(f"{raw} does not exist")
    return sources, batch


@dataclass
class Overrides:
    kind: str = "auto"
    url: str | None = None
    published: str | None = None
    title: str | None = None
    outlet: str | None = None
    language: str | None = None

    def __post_init__(self) -> None:
        if self.published:
            try:
                dt.datetime.fromisoformat(self.published)
            except ValueError:
                raise UsageError(
                    f"--published {self.published!r} is not an ISO date (use YYYY-MM-DD)"
                ) from None

    def hints(self, source: Source) -> dict[str, Any]:
        """The keyword arguments of ``api.extract``/``api.analyze`` for one input."""
        return {**asdict(self), "source_name": source.name}


@dataclass
class Tally:
    """What a batch did, for the closing line and the exit code."""

    batch: bool = False
    ok: int = 0
    warnings: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)

    def skip(self, source: Source, message: str) -> None:
        """Report a bad input; in a batch it is skipped and the rest goes on."""
        self.failed.append((source.name, message))
        if not self.batch:
            fail(message, EXIT_INPUT)
        say(f"skipped {message if source.name in message else f'{source.name}: {message}'}", "yellow")

    def done(self, doc: Document) -> None:
        self.ok += 1
        self.warnings += len(doc.warnings)

    def exit_code(self) -> int:
        if not self.failed:
            return EXIT_OK
        return EXIT_PARTIAL if self.ok else EXIT_INPUT

    def line(self, verb: str) -> str:
        seconds = time.perf_counter() - self.started
        return (f"{verb} {self.ok} item{'s' * (self.ok != 1)}, {len(self.failed)} failed, "
                f"{self.warnings} warning{'s' * (self.warnings != 1)} in {seconds:.1f} s")


def _extracted(sources: list[Source], over: Overrides, tally: Tally,
               advance: Callable[[], None]) -> Iterator[Document]:
    """Read and extract each source; a bad one is reported and skipped, never fatal."""
    for source in sources:
        try:
            yield api.extract(source.read(), **over.hints(source))
        except InputError as exc:
            tally.skip(source, str(exc))
            advance()


# --- output ----------------------------------------------------------------------------------


class Output:
    """Where rendered dossiers go: stdout, one file, or one file per item in a folder."""

    def __init__(self, target: Path | None, fmt: str, batch: bool, include_raw: bool) -> None:
        self.fmt, self.batch, self.include_raw = fmt, batch, include_raw
        self.per_item_dir = batch and fmt in ("markdown", "html")
        if self.per_item_dir and target is None:
            raise UsageError(f"{fmt} reports of several items need -o DIR (one file per item)")
        self.target = target
        self._stream: TextIO | None = None
        self._count = 0

    def __enter__(self) -> Output:
        if self.per_item_dir:
            assert self.target is not None
            self.target.mkdir(parents=True, exist_ok=True)
        if self.batch and self.fmt == "json":
            self._write("[\n")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.batch and self.fmt == "json":
            self._write("\n]\n")
        if self._stream is not None:
            self._stream.close()

    def _write(self, text: str) -> None:
        """Write to the target, opened on first use so a failed single item leaves no file."""
        if self.target is not None and self._stream is None:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            self._stream = self.target.open("w", encoding="utf-8")
        (self._stream or sys.stdout).write(text)

    def write(self, doc: Document) -> None:
        dossier = to_dict(doc, include_raw=self.include_raw)
        if self.fmt == "summary" and self.target is None:
            from rich.console import Console

            from ..report.terminal import summary

            if self._count:
                print()
            Console(highlight=False).print(summary(dossier))
        elif self.per_item_dir:
            assert self.target is not None
            stem = Path(doc.meta.source_name or f"item-{self._count + 1}").stem
            path = self.target / f"{self._count + 1:04d}-{stem}{report.FORMAT_SUFFIX[self.fmt]}"
            path.write_text(report.render(dossier, self.fmt), encoding="utf-8")
        else:
            text = report.render(dossier, self.fmt).rstrip("\n")
            if self.batch and self.fmt == "json":
                self._write(",\n" * bool(self._count) + text)
            else:
                self._write(text + "\n" + ("\n" if self.fmt == "summary" and self.batch else ""))
        self._count += 1


def _format(fmt: str | None, json_flag: bool, output: Path | None, batch: bool, default: str) -> str:
    if json_flag:
        if fmt and fmt != "json":
            raise UsageError("--json and --format disagree; give one of them")
        return "json"
    if fmt:
        return fmt
    from_suffix = report.format_for_path(output) if output else None
    return from_suffix or ("jsonl" if batch else default)


def _pipeline(disable: str | None, all_candidates: bool = False) -> Pipeline:
    names = [n.strip() for n in (disable or "").split(",") if n.strip()]
    if not names:
        return api.default_pipeline(all_candidates)
    unknown = sorted(set(names) - set(registered()))
    if unknown:
        raise UsageError(f"--disable names unknown stage(s) {', '.join(unknown)}; "
                         f"see `newsforensics stages`")
    options = {"techniques": {"all_candidates": True}} if all_candidates else None
    return Pipeline(disable=names, options=options)


# --- commands --------------------------------------------------------------------------------


Kind = choices("Kind", KINDS)
AUTO = Kind("auto")
AnalyzeFormat = choices("AnalyzeFormat", ["summary", "json", "jsonl", "markdown", "html"])
ExtractFormat = choices("ExtractFormat", ["summary", "json", "jsonl", "text"])
ReportFormat = choices("ReportFormat", ["html", "markdown", "json", "summary"])

PathsArg = Annotated[list[str] | None, typer.Argument(
    metavar="FILE|DIR|-", help="Files, folders (walked for .html/.htm/.txt/.json/.md) or - for stdin.",
    show_default=False)]
KindOpt = Annotated[Kind, typer.Option("--kind", help="Input kind.")]
UrlOpt = Annotated[str | None, typer.Option("--url", help="The item's URL.")]
PublishedOpt = Annotated[str | None, typer.Option("--published", help="Publication date, ISO (YYYY-MM-DD).")]
TitleOpt = Annotated[str | None, typer.Option("--title", help="The headline, if the input lacks it.")]
OutletOpt = Annotated[str | None, typer.Option("--outlet", help="The publisher.")]
LanguageOpt = Annotated[str | None, typer.Option("--language", help="ISO 639-1 code; skips detection.")]
FORMAT_HELP = "Output format [default: from -o's suffix, else summary for one item, jsonl for several]"


@app.command(epilog=EXIT_CODES)
@guarded
def analyze(
    paths: PathsArg = None,
    fmt: Annotated[AnalyzeFormat | None, typer.Option(
        "--format", "-f", help=FORMAT_HELP, show_default=False)] = None,
    json_flag: JsonFlag = False,
    output: OutOpt = None,
    url: UrlOpt = None,
    published: PublishedOpt = None,
    title: TitleOpt = None,
    outlet: OutletOpt = None,
    language: LanguageOpt = None,
    kind: KindOpt = AUTO,
    disable: Annotated[str | None, typer.Option("--disable", metavar="STAGE,...",
                                                help="Stages to leave out.")] = None,
    no_raw: Annotated[bool, typer.Option("--no-raw", help="Leave the raw input out of JSON.")] = False,
    sample: Annotated[bool, typer.Option("--sample", help="Analyse the bundled sample article.")] = False,
    all_candidates: Annotated[bool, typer.Option(
        "--all-candidates", help="Also keep technique fragments below the operating point (layer "
        "technique_candidates, each with why it was not reported).")] = False,
) -> int:
    """Analyse news items into dossiers (a folder or several files: batched, JSONL by default)."""
    sources, batch = _sources(paths or [], sample)
    over = Overrides(kind.value, url, published, title, outlet, language)
    fmt = _format(fmt and fmt.value, json_flag, output, batch, "summary")
    pipeline = _pipeline(disable, all_candidates)
    tally = Tally(batch)
    with progress_bar(batch) as progress, Output(output, fmt, batch, not no_raw) as out:
        task = progress.add_task("analysing", total=len(sources))
        advance = lambda: progress.advance(task)  # noqa: E731
        for doc in pipeline.pipe(_extracted(sources, over, tally, advance)):
            out.write(doc)
            tally.done(doc)
            advance()
    return _finish(tally, "analysed")


def _finish(tally: Tally, verb: str) -> int:
    if tally.batch:
        say(tally.line(verb), "bold" if not tally.failed else "yellow")
    return tally.exit_code()


@app.command(epilog=EXIT_CODES)
@guarded
def extract(
    paths: PathsArg = None,
    fmt: Annotated[ExtractFormat | None, typer.Option(
        "--format", "-f", help=FORMAT_HELP, show_default=False)] = None,
    json_flag: JsonFlag = False,
    output: OutOpt = None,
    url: UrlOpt = None,
    published: PublishedOpt = None,
    title: TitleOpt = None,
    outlet: OutletOpt = None,
    language: LanguageOpt = None,
    kind: KindOpt = AUTO,
    no_raw: Annotated[bool, typer.Option("--no-raw", help="Leave the raw input out of JSON.")] = False,
) -> int:
    """Extraction only: clean body, metadata, and what was removed (each record names its input)."""
    sources, batch = _sources(paths or [], False)
    over = Overrides(kind.value, url, published, title, outlet, language)
    fmt = _format(fmt and fmt.value, json_flag, output, batch, "summary")
    tally = Tally(batch)
    with progress_bar(batch) as progress:
        task = progress.add_task("extracting", total=len(sources))
        docs = _extracted(sources, over, tally, lambda: progress.advance(task))
        if fmt == "text":
            _write_texts(docs, output, tally, lambda: progress.advance(task))
        else:
            with Output(output, fmt, batch, not no_raw) as out:
                for doc in docs:
                    out.write(doc)
                    tally.done(doc)
                    progress.advance(task)
    return _finish(tally, "extracted")


def _write_texts(docs: Iterator[Document], output: Path | None, tally: Tally,
                 advance: Callable[[], None]) -> None:
    """Clean texts, separated by a form feed line when there are several."""
    stream = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        for doc in docs:
            stream.write(("\f\n" if tally.ok else "") + doc.text.rstrip("\n") + "\n")
            tally.done(doc)
            advance()
    finally:
        if output:
            stream.close()


@app.command(name="report", epilog=EXIT_CODES)
@guarded
def report_(
    path: Annotated[str, typer.Argument(metavar="FILE|-", help="A news item, or a dossier JSON "
                                        "written by `analyze --format json`.")],
    output: OutOpt = None,
    fmt: Annotated[ReportFormat | None, typer.Option(
        "--format", "-f", help="Report format [default: from -o's suffix, else html]",
        show_default=False)] = None,
    url: UrlOpt = None,
    published: PublishedOpt = None,
    title: TitleOpt = None,
    outlet: OutletOpt = None,
    language: LanguageOpt = None,
    kind: KindOpt = AUTO,
) -> int:
    """Write a report (self-contained HTML, Markdown) of one item or of a stored dossier."""
    (source,), _ = _sources([path], False)
    fmt = (fmt and fmt.value) or (report.format_for_path(output) if output else None) or "html"
    if fmt not in ("html", "markdown", "json", "summary"):
        raise UsageError(f"cannot tell the report format from {output}; use --format html|markdown")
    data = source.read()
    dossier = _stored_dossier(data)
    if dossier is None:
        over = Overrides(kind.value, url, published, title, outlet, language)
        doc = api.analyze(data, **over.hints(source))
        dossier = to_dict(doc, include_raw=False)
    text = report.render(dossier, fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        say(f"wrote {output}")
    return EXIT_OK


def _stored_dossier(data: bytes) -> dict[str, Any] | None:
    """The dossier, if the input is one already (JSON with our schema_version), else None."""
    if not data.lstrip().startswith(b"{"):
        return None
    try:
        value = json.loads(data)
    except ValueError:
        return None
    if not isinstance(value, dict) or "schema_version" not in value or "layers" not in value:
        return None
    major = str(value["schema_version"]).split(".")[0]
    if major != SCHEMA_VERSION.split(".")[0]:
        raise InputError(f"the dossier has schema_version {value['schema_version']!r}; this "
                         f"version reads {SCHEMA_VERSION.split('.')[0]}.x")
    return value


@app.command(epilog=EXIT_CODES)
@guarded
def stages(json_flag: JsonFlag = False) -> int:
    """List the registered stages with their versions and models."""
    factories = registered()
    order = [*DEFAULT_STAGES, *sorted(set(factories) - set(DEFAULT_STAGES))]
    rows = []
    for name in (n for n in order if n in factories):
        stage = factories[name]()
        rows.append({"name": name, "version": stage.version, "model": stage.model,
                     "default": name in DEFAULT_STAGES, "requires": list(stage.requires),
                     "provides": list(stage.provides),
                     "sections": list(getattr(stage, "sections", ())),
                     "languages": list(stage.languages) if stage.languages else None})
    if json_flag:
        typer.echo(json.dumps(rows, indent=2))
        return EXIT_OK
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, header_style="bold")
    for column in ("stage", "version", "model", "provides", "languages", "default"):
        table.add_column(column)
    for r in rows:
        table.add_row(r["name"], r["version"], r["model"] or "", ", ".join(r["provides"]),
                      ", ".join(r["languages"] or ["any"]), "yes" if r["default"] else "")
    Console(highlight=False).print(table)
    return EXIT_OK


@app.command(name="schema", epilog=EXIT_CODES)
@guarded
def schema_() -> int:
    """Print the dossier's JSON Schema (draft 2020-12)."""
    typer.echo(json.dumps(schema(), indent=2, ensure_ascii=False))
    return EXIT_OK


