"""Corpus commands: ingest, search, copies, stories, stats (all read or write one --db file)."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from .common import (EXIT_CODES, EXIT_INPUT, EXIT_OK, EXIT_PARTIAL, MAX_INT, JsonFlag, OutOpt, UsageError,
                     app, choices, guarded, say, stderr)

DbOpt = Annotated[Path, typer.Option("--db", help="The corpus database (SQLite file).")]
LimitOpt = Annotated[int, typer.Option("--limit", min=0, max=MAX_INT, help="At most this many results.")]
OffsetOpt = Annotated[int, typer.Option("--offset", min=0, max=MAX_INT, help="Skip this many results (paging).")]
OutletFilter = Annotated[str | None, typer.Option("--outlet", help="Only this outlet (e.g. southfront.org).")]
LanguageFilter = Annotated[str | None, typer.Option("--language", help="Only this language (ISO 639-1).")]
SinceOpt = Annotated[str | None, typer.Option("--since", help="Published on or after (YYYY-MM-DD).")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Published on or before (YYYY-MM-DD).")]
ListFormat = choices("ListFormat", ["table", "json", "jsonl", "csv"])
FormatOpt = Annotated[ListFormat | None, typer.Option("--format", "-f", help="Output format [default: table].")]
# corpus.analysis.PROFILES and DEFAULT_PROFILE, spelled out so that --help stays fast (tested)
PROFILE_NAMES, DEFAULT_PROFILE = ("minimal", "light", "full"), "full"
Profile = choices("Profile", PROFILE_NAMES)
Engine = choices("Engine", ["local", "dask"])


def _fmt(fmt: Any, json_flag: bool, default: str = "table") -> str:
    if json_flag:
        if fmt is not None and fmt.value != "json":
            raise UsageError("--json and --format disagree; give one of them")
        return "json"
    return fmt.value if fmt is not None else default


def _open(db: Path):  # type: ignore[no-untyped-def]
    from ..corpus.store import Store

    return Store(db, read_only=True)


def _emit(rows: list[dict[str, Any]], fmt: str, output: Path | None, columns: list[str],
          payload: Any = None) -> None:
    """Rows as a terminal table, JSON (``payload`` if given), JSON Lines or CSV."""
    stream = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        if fmt == "json":
            json.dump(rows if payload is None else payload, stream, ensure_ascii=False, indent=2, default=str)
            stream.write("\n")
        elif fmt == "jsonl":
            for row in rows:
                stream.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        elif fmt == "csv":
            writer = csv.writer(stream)
            writer.writerow(columns)
            writer.writerows([[_cell(row.get(c)) for c in columns] for row in rows])
        else:
            from rich.console import Console
            from rich.table import Table

            table = Table(*columns, show_lines=False)
            for row in rows:
                table.add_row(*(_cell(row.get(c)) for c in columns))
            Console(file=stream, highlight=False, width=None if output is None else 160).print(table)
    finally:
        if output:
            stream.close()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@app.command(epilog=EXIT_CODES)
@guarded
def ingest(
    paths: Annotated[list[str], typer.Argument(
        metavar="PATH...", help="Folders (.html/.txt/.json), .jsonl, .csv/.tsv, .warc(.gz), .gz, .zip.")],
    db: DbOpt,
    preset: Annotated[str | None, typer.Option(
        "--preset", help="Column layout of a research export: fakenewscorpus, nela-gt.")] = None,
    mapping: Annotated[list[str] | None, typer.Option(
        "--map", metavar="FIELD=COLUMN",
        help="Which CSV/JSONL column holds a field (id, url, outlet, language, published, title, text, "
             "html); repeatable.")] = None,
    profile: Annotated[Profile, typer.Option(
        "--profile", help="Analysis per item: full (the whole dossier, as analyze makes it), "
                          "minimal (cues only: a fast first pass), light (+ embedding for stories).")] = Profile(DEFAULT_PROFILE),
    engine: Annotated[Engine, typer.Option("--engine", help="Analyse here or on Dask.")] = Engine("local"),
    workers: Annotated[int, typer.Option("--workers", min=1, help="Dask LocalCluster workers.")] = 2,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="A Dask scheduler address (tcp://host:8786); implies --engine dask.")] = None,
    batch_size: Annotated[int | None, typer.Option("--batch-size", min=1, help="Items per task.")] = None,
    json_flag: Annotated[bool, typer.Option("--json", help="Print the summary as JSON on stdout.")] = False,
) -> int:
    """Read a corpus into the database: idempotent, resumable, bad records reported and skipped."""
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                               TimeRemainingColumn)

    from ..corpus.engine import estimate_records, ingest as run_ingest
    from ..ingest.tabular import ColumnMap

    columns = ColumnMap.build(preset, mapping or [])
    console = stderr()
    total = estimate_records(paths) if console.is_terminal else None
    progress = Progress(TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[rate]} items/s"), TimeElapsedColumn(), TimeRemainingColumn(),
                        console=console, transient=True, disable=not console.is_terminal)
    with progress:
        task = progress.add_task("ingest", total=total, rate="–")

        def advance(n: int) -> None:
            progress.advance(task, n)
            speed = progress.tasks[0].speed
            progress.update(task, rate=f"{speed:.1f}" if speed else "–")

        def bad(record: Any) -> None:
            say(f"skipped {record.where}: {record.reason}", "yellow")

        summary = run_ingest(paths, db, columns=columns, profile=profile.value, engine=engine.value,
                             workers=workers, scheduler=scheduler, batch_size=batch_size,
                             on_item=advance, on_bad=bad, on_wait=lambda message: say(message, "yellow"))
    if json_flag:
        typer.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    say(summary.line(), "bold" if not summary.bad else "yellow")
    if summary.bad and not (summary.stored or summary.duplicates or summary.resumed):
        return EXIT_INPUT
    return EXIT_PARTIAL if summary.bad else EXIT_OK


@app.command(epilog=EXIT_CODES)
@guarded
def reanalyse(
    db: DbOpt,
    stage: Annotated[str, typer.Option("--stage", help="The stage to recompute (see `newsforensics stages`).")],
    json_flag: Annotated[bool, typer.Option("--json", help="Print the summary as JSON on stdout.")] = False,
) -> int:
    """Recompute one stage on the stored items it is stale for (changed version or model, or never
    run): resumable, one transaction per batch."""
    from ..corpus.reanalyse import reanalyse as run_reanalyse
    from ..errors import InputError
    from ..pipeline import registered

    if stage not in registered():
        raise UsageError(f"unknown stage {stage!r}; see `newsforensics stages`")
    if not db.is_file():
        raise InputError(f"{db} does not exist: ingest something first (newsforensics ingest … --db {db})")
    summary = run_reanalyse(db, stage)
    if json_flag:
        typer.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    say(summary.line(), "bold" if not summary.failed else "yellow")
    return EXIT_PARTIAL if summary.failed else EXIT_OK


@app.command(epilog=EXIT_CODES)
@guarded
def search(
    query: Annotated[str | None, typer.Argument(help="Words, \"phrases\", AND/OR/NOT, prefix*.")] = None,
    db: DbOpt = Path("corpus.db"),
    outlet: OutletFilter = None,
    language: LanguageFilter = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    technique: Annotated[str | None, typer.Option("--technique", help="Items with this technique label.")] = None,
    narrative: Annotated[str | None, typer.Option("--narrative", help="Items with this narrative label.")] = None,
    limit: LimitOpt = 20,
    offset: OffsetOpt = 0,
    fmt: FormatOpt = None,
    json_flag: JsonFlag = False,
    output: OutOpt = None,
) -> int:
    """Full-text search of the corpus, with filters; matches are marked ⟦like this⟧."""
    with _open(db) as store:
        page = store.search(query, outlet=outlet, language=language, since=since, until=until,
                            technique=technique, narrative=narrative, limit=limit, offset=offset)
    data = page.to_dict()
    _emit(data["hits"], _fmt(fmt, json_flag), output,
          ["item_id", "published", "outlet", "language", "title", "snippet"], payload=data)
    say(f"{page.total} item{'s' * (page.total != 1)} match; showing {len(page.hits)} from {offset + 1}"
        if page.hits else f"{page.total} items match")
    return EXIT_OK


@app.command(epilog=EXIT_CODES)
@guarded
def copies(
    db: DbOpt = Path("corpus.db"),
    chains: Annotated[bool, typer.Option("--chains", help="Copy chains by time instead of pairs.")] = False,
    outlet: OutletFilter = None,
    item: Annotated[int | None, typer.Option("--item", min=0, max=MAX_INT,
                                                          help="Only pairs with this item.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="verbatim or rewritten.")] = None,
    limit: LimitOpt = 100,
    offset: OffsetOpt = 0,
    fmt: FormatOpt = None,
    json_flag: JsonFlag = False,
    output: OutOpt = None,
) -> int:
    """Republication: copy pairs (original → copy, share of shared text) or chains by time."""
    with _open(db) as store:
        if chains:
            found = [c.to_dict() for c in store.chains(outlet=outlet, limit=limit, offset=offset)]
            rows = [{"chain_id": c["chain_id"], "items": len(c["items"]), "first_publisher": c["first_publisher"],
                     "order": " → ".join(f"#{i['item_id']} {i['outlet'] or '?'} {i['published'] or 'undated'}"
                                         for i in c["items"]), "note": c["note"]} for c in found]
            _emit(rows, _fmt(fmt, json_flag), output, ["chain_id", "items", "first_publisher", "order", "note"],
                  payload=found)
        else:
            rows = store.copies(item_id=item, outlet=outlet, kind=kind, limit=limit, offset=offset)
            _emit(rows, _fmt(fmt, json_flag), output,
                  ["original_id", "original_outlet", "original_published", "copy_id", "copy_outlet",
                   "copy_published", "share", "kind", "direction"])
    return EXIT_OK


@app.command(epilog=EXIT_CODES)
@guarded
def stories(
    db: DbOpt = Path("corpus.db"),
    story_id: Annotated[int | None, typer.Option("--id", min=0, max=MAX_INT,
                                                               help="One story, with its items by time.")] = None,
    min_items: Annotated[int, typer.Option("--min-items", min=1, max=MAX_INT, help="Hide smaller stories.")] = 2,
    outlet: OutletFilter = None,
    language: LanguageFilter = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    limit: LimitOpt = 50,
    offset: OffsetOpt = 0,
    fmt: FormatOpt = None,
    json_flag: JsonFlag = False,
    output: OutOpt = None,
) -> int:
    """Stories across outlets and languages, each with its items by time (outlet, language, role)."""
    fmt_name = _fmt(fmt, json_flag)
    with _open(db) as store:
        if story_id is not None:
            found = store.story(story_id)
            if found is None:
                raise UsageError(f"no story {story_id} in {db}")
            _emit(found["items"], fmt_name, output,
                  ["item_id", "published", "outlet", "language", "role", "how", "title"], payload=found)
            return EXIT_OK
        listed = store.stories(min_items=min_items, outlet=outlet, language=language, since=since,
                               until=until, limit=limit, offset=offset)
        if fmt_name == "json":
            listed = [store.story(s["story_id"]) for s in listed]
    _emit(listed, fmt_name, output, ["story_id", "n_items", "n_outlets", "languages", "first_published",
                                     "last_published", "title"])
    return EXIT_OK


@app.command(epilog=EXIT_CODES)
@guarded
def stats(
    db: DbOpt = Path("corpus.db"),
    by: Annotated[str, typer.Option(
        "--by", help="Dimensions: outlet, language, year, month, day, technique, narrative, entity, "
                     "place, country (one of the last five).")] = "outlet,month",
    outlet: OutletFilter = None,
    language: LanguageFilter = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, max=MAX_INT,
                                                                   help="At most this many rows.")] = None,
    fmt: FormatOpt = None,
    json_flag: JsonFlag = False,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Write here: .csv, or .parquet (needs the parquet extra).")] = None,
) -> int:
    """Counts of items (and spans) by outlet, time, technique, narrative, entity or place."""
    from ..corpus.stats import export, table

    with _open(db) as store:
        result = table(store.conn, by, outlet=outlet, language=language, since=since, until=until, limit=limit)
    if output is not None and output.suffix.lower() in (".parquet", ".csv") and fmt is None and not json_flag:
        export(result, output)
        say(f"wrote {len(result.rows)} rows to {output}")
        return EXIT_OK
    _emit(result.to_dicts(), _fmt(fmt, json_flag), output, result.columns)
    return EXIT_OK
