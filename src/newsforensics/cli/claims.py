"""``newsforensics claims --db …``: each claim across the corpus, with its status and evidence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from .common import EXIT_CODES, EXIT_OK, MAX_INT, JsonFlag, UsageError, app, choices, guarded

Status = choices("Status", ["single-source", "corroborated", "denied"])


@app.command(name="claims", epilog=EXIT_CODES)
@guarded
def claims_(
    db: Annotated[Path, typer.Option("--db", help="The corpus database (see `newsforensics ingest`).")],
    status: Annotated[Status | None, typer.Option("--status", help="Only claims with this status.")] = None,
    item: Annotated[int | None, typer.Option("--item", min=0, max=MAX_INT,
                                                          help="Only claims one stored item makes.")] = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Only claims this outlet reports.")] = None,
    min_reports: Annotated[int, typer.Option("--min-reports", min=1, max=MAX_INT,
                                             help="Only claims reported by at least this many items.")] = 1,
    limit: Annotated[int, typer.Option("--limit", min=0, max=MAX_INT,
                                                 help="At most this many claims (0: all).")] = 50,
    json_flag: JsonFlag = False,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="With --item: write the item's report (.html, .md or .json, by "
        "suffix) with each claim's corpus status.")] = None,
) -> int:
    """Claims across the corpus: who reports each, how many independently, who denies it."""
    from ..corpus.store import Store
    from ..corroboration.index import has_index
    from ..corroboration.status import query
    from .common import say

    if output is not None and item is None:
        raise UsageError("-o writes one item's report: give --item ID as well")
    with Store(db, read_only=True) as store:
        if not has_index(store.conn):
            raise UsageError(f"{db} has no claim index; ingest items with the claims and denials "
                             f"stages (the default analysis) to build it")
        if output is not None:
            return _write_item_report(store, item, output)  # type: ignore[arg-type]
        groups = query(store.conn, status=status.value if status else None, item_id=item,
                       outlet=outlet, min_reports=min_reports)
        indexed = store.conn.execute("SELECT count(*) FROM claim_reports").fetchone()[0]
    if not indexed:
        say(f"{db} holds no indexed claims: claims come from the full analysis "
            f"(newsforensics ingest … --db {db} --profile full)", "yellow")
    total = len(groups)
    shown = groups[:limit] if limit else groups
    if json_flag:
        typer.echo(json.dumps({"total": total, "claims": [g.to_dict() for g in shown]},
                              indent=2, ensure_ascii=False))
        return EXIT_OK
    from rich.console import Console
    from rich.text import Text

    from ..corroboration.render import STATUS_STYLE, group_lines

    console = Console(highlight=False, soft_wrap=True)
    for g in shown:
        first, *rest = group_lines(g.to_dict())
        console.print(Text(first, style=STATUS_STYLE.get(g.status, "")))
        console.print(Text("\n".join(rest)))
    say(f"{total} claim{'s' * (total != 1)}" + (f", {len(shown)} shown (--limit)" if len(shown) < total else ""))
    return EXIT_OK



def _write_item_report(store: Any, item_id: int, output: Path) -> int:
    from .. import report
    from ..corroboration.status import attach_corpus_status
    from ..errors import InputError
    from .common import say

    dossier = store.item(item_id)
    if dossier is None:
        raise InputError(f"{store.path} has no item {item_id}")
    fmt = report.format_for_path(output)
    if fmt not in ("html", "markdown", "json"):
        raise UsageError(f"cannot tell the report format from {output}; use .html, .md or .json")
    dossier.pop("item_id", None)
    text = report.render(attach_corpus_status(dossier, store.conn, item_id), fmt)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    say(f"wrote {output}")
    return EXIT_OK
