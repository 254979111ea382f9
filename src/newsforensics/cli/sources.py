"""``newsforensics sources …``: which outlet an item or URL belongs to, and its profile."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from .common import EXIT_CODES, EXIT_OK, JsonFlag, UsageError, app, guarded

sources_app = typer.Typer(help="Source profiles: outlet identification and licensed ratings.",
                          no_args_is_help=True, rich_markup_mode=None)
app.add_typer(sources_app, name="sources")


def _section(value: str, db: Path | None) -> dict[str, Any]:
    from ..sources.domains import normalise_host
    from ..sources.identify import Identification, identify, profile_for

    path = Path(value)
    if path.is_file():
        from .. import api
        from ..sources.stage import store_index
        from .analysis import Source

        doc = api.extract(Source(value, path).read(), source_name=value)
        found = identify(doc, store_index(str(db)) if db else None)
        return {"input": value, **found.to_dict(profile_for(found))}
    host = normalise_host(value) if "://" in value or "/" not in value else None
    if host is None:
        raise UsageError(f"{value!r} is neither an existing file nor a URL or domain")
    found = Identification(host, "url", 1.0, None, [{"kind": "url", "text": value, "where": "argument"}])
    return {"input": value, **found.to_dict(profile_for(found))}


@sources_app.command(name="lookup", epilog=EXIT_CODES)
@guarded
def sources_lookup(
    values: Annotated[list[str], typer.Argument(metavar="URL|DOMAIN|FILE", help="URLs, domains, or news "
                                                "items (identified from their page fingerprint).")],
    db: Annotated[Path | None, typer.Option("--db", help="A corpus database whose learned fingerprints "
                                            "identify items without a URL.")] = None,
    json_flag: JsonFlag = False,
) -> int:
    """The outlet of each URL, domain or item, how it was identified, and its licensed profile."""
    sections = [_section(v, db) for v in values]
    if json_flag:
        typer.echo(json.dumps(sections if len(sections) > 1 else sections[0], indent=2, ensure_ascii=False))
        return EXIT_OK
    from ..sources.render import source_lines

    for n, section in enumerate(sections):
        typer.echo(("\n" if n else "") + f"{section['input']}\n" + "\n".join(source_lines(section)))
    return EXIT_OK
