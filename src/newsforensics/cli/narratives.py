"""``newsforensics narratives …``: list the catalogue, add and import user narratives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
from .common import EXIT_CODES, EXIT_OK, JsonFlag, UsageError, app, guarded, say

narratives_app = typer.Typer(help="Known disinformation narratives: the catalogue and your additions.",
                             no_args_is_help=True, rich_markup_mode=None)
app.add_typer(narratives_app, name="narratives")
CatalogueOpt = Annotated[list[Path] | None, typer.Option(
    "--catalogue", help="An extra catalogue file or folder (repeatable); read after the built-in and "
    "user catalogues.")]
TargetOpt = Annotated[Path | None, typer.Option(
    "--to", help="The user catalogue file to write [default: user.json in the user catalogue folder]")]


@narratives_app.command(name="list", epilog=EXIT_CODES)
@guarded
def list_(
    catalogue: CatalogueOpt = None,
    no_builtin: Annotated[bool, typer.Option("--no-builtin", help="Leave the built-in catalogue out.")] = False,
    json_flag: JsonFlag = False,
) -> int:
    """The narratives the matcher knows: id, title, example languages, where each came from."""
    from ..narratives.catalogue import load_catalogue, user_dir

    cat = load_catalogue(catalogue or [], include_builtin=not no_builtin)
    if json_flag:
        typer.echo(json.dumps({"catalogues": list(cat.sources), "user_dir": str(user_dir()),
                               "narratives": [dict(n.to_dict(), catalogue=n.catalogue) for n in cat]},
                              indent=2, ensure_ascii=False))
        return EXIT_OK
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, header_style="bold", title=f"{len(cat)} narratives ({cat.version})")
    table.add_column("id", no_wrap=True)
    table.add_column("title")
    table.add_column("examples")
    table.add_column("catalogue", no_wrap=True)
    for n in cat:
        table.add_row(n.id, n.title, f"{len(n.examples)} ({', '.join(n.languages)})", n.catalogue)
    Console(highlight=False).print(table)
    return EXIT_OK


def _pairs(values: list[str], what: str, parts: int) -> list[list[str]]:
    out = []
    for value in values:
        split = value.split(":", parts - 1)
        if len(split) != parts or not all(p.strip() for p in split):
            shape = {2: "LANG:TEXT", 3: "GROUP:LANG:WORDS"}[parts]
            raise UsageError(f"--{what} {value!r}: expected {shape}")
        out.append([p.strip() for p in split])
    return out


@narratives_app.command(name="add", epilog=EXIT_CODES)
@guarded
def add(
    narrative_id: Annotated[str, typer.Option("--id", help="lower-case-with-hyphens id.")],
    title: Annotated[str, typer.Option("--title", help="One line naming the narrative.")],
    summary: Annotated[str, typer.Option("--summary", help="What the narrative claims.")],
    example: Annotated[list[str], typer.Option("--example", metavar="LANG:TEXT",
                                               help="An example claim (repeatable), e.g. 'en:…'.")],
    keyword: Annotated[list[str] | None, typer.Option(
        "--keyword", metavar="GROUP:LANG:WORDS", help="Comma-separated word prefixes in a group "
        "('topic' or 'frame'), e.g. 'topic:en:biolab,laborator' (repeatable).")] = None,
    related: Annotated[list[str] | None, typer.Option("--related", help="A related narrative id.")] = None,
    place: Annotated[list[str] | None, typer.Option("--place", help="A place it is about (gazetteer name).")]
    = None,
    provenance: Annotated[str, typer.Option("--provenance", help="Who wrote it, from what.")] = "user",
    to: TargetOpt = None,
) -> int:
    """Add (or replace) one narrative in your user catalogue."""
    from ..narratives.catalogue import parse_narrative, write_user_narratives

    keywords: dict[str, dict[str, list[str]]] = {}
    for group, lang, words in _pairs(keyword or [], "keyword", 3):
        keywords.setdefault(group, {}).setdefault(lang, []).extend(w.strip() for w in words.split(",") if w.strip())
    item = {"id": narrative_id, "title": title, "summary": summary, "provenance": provenance,
            "examples": [{"lang": lang, "text": text} for lang, text in _pairs(example, "example", 2)],
            "keywords": keywords, "related": related or [], "places": place or []}
    try:
        narrative = parse_narrative(item, "--id " + narrative_id)
    except InputError as exc:
        raise UsageError(str(exc)) from None
    path = write_user_narratives([narrative], to)
    say(f"added {narrative.id} to {path}", "bold")
    return EXIT_OK


@narratives_app.command(name="import", epilog=EXIT_CODES)
@guarded
def import_(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Catalogue files (TOML or JSON, "
                                                "the documented format).")],
    to: TargetOpt = None,
) -> int:
    """Validate catalogue files and merge their narratives into your user catalogue."""
    from ..narratives.catalogue import read_catalogue_file, write_user_narratives

    narratives = [n for path in files for n in read_catalogue_file(path)[1]]
    path = write_user_narratives(narratives, to)
    say(f"imported {len(narratives)} narrative(s) from {len(files)} file(s) into {path}", "bold")
    return EXIT_OK
