"""``newsforensics techniques …``: the SemEval-2020 Task 11 research interface."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from .common import EXIT_CODES, EXIT_OK, app, choices, guarded

# --- techniques ------------------------------------------------------------------------------

techniques_app = typer.Typer(help="Persuasion techniques (SemEval-2020 Task 11): scoring.",
                             no_args_is_help=True, rich_markup_mode=None)
app.add_typer(techniques_app, name="techniques")
TechniqueTask = choices("TechniqueTask", ["si", "tc", "flc"])


@techniques_app.command(name="evaluate", epilog=EXIT_CODES)
@guarded
def techniques_evaluate(
    task: Annotated[TechniqueTask, typer.Option("--task", help="si: spans; tc: technique of given "
                                                "spans; flc: spans with techniques.")],
    gold: Annotated[Path, typer.Option("--gold", help="Gold labels: a file or a folder of "
                                       "per-article label files.")],
    pred: Annotated[Path, typer.Option("--pred", help="Predictions, in the same format.")],
    merge_overlapping: Annotated[bool, typer.Option(
        "--merge-overlapping", help="Merge overlapping predicted spans (si, flc) instead of "
        "refusing them.")] = False,
    json_flag: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> int:
    """Score SemEval-2020 Task 11 predictions: P/R/F1, and per-technique F1 for tc and flc."""
    from ..techniques import evaluate, read_labels

    scores = evaluate(task.value, read_labels(gold, task.value), read_labels(pred, task.value),
                      merge_predictions=merge_overlapping)
    if json_flag:
        typer.echo(json.dumps(scores.to_dict(), indent=2))
        return EXIT_OK
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, header_style="bold", title=f"SemEval-2020 Task 11, {task.value}")
    for column in ("", "P", "R", "F1", "gold", "pred"):
        table.add_column(column, justify="left" if not column else "right")
    rows = [("micro" if scores.per_technique else "all", scores.overall),
            *scores.per_technique.items()]
    for name, s in rows:
        table.add_row(name, f"{s.precision:.4f}", f"{s.recall:.4f}", f"{s.f1:.4f}",
                      str(s.n_gold), str(s.n_pred))
    Console(highlight=False).print(table)
    return EXIT_OK


