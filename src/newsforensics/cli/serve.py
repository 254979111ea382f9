"""``newsforensics serve``: the analyst's workbench (local web UI and JSON API)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated

import typer

from .common import EXIT_CODES, EXIT_OK, UsageError, app, guarded, say

TOKEN_ENV = "NEWSFORENSICS_TOKEN"


@app.command(epilog=EXIT_CODES)
@guarded
def serve(
    db: Annotated[Path | None, typer.Option("--db", help="A corpus database to search and browse "
                                            "(newsforensics ingest builds one).")] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on. Anything but loopback "
                                      "requires an access token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    token: Annotated[str | None, typer.Option("--token", envvar=TOKEN_ENV, show_envvar=True,
                                              help="Access token every request must carry "
                                              "(generated when binding beyond loopback without one).")] = None,
    allow_fetch: Annotated[bool, typer.Option("--allow-fetch", help="Let the analyse page fetch "
                                              "public http(s) URLs (off by default).")] = False,
    stages: Annotated[str | None, typer.Option("--stages", metavar="STAGE,...", help="The analysis "
                                               "stages, in order (default: the default pipeline; "
                                               "see `newsforensics stages`).")] = None,
) -> int:
    """Start the workbench: analyse items in the browser, read dossiers, search a corpus."""
    import uvicorn

    from ..web import WebSettings, create_app
    from ..web.server import uvicorn_options
    from ..web.settings import is_loopback

    if db is not None and not db.is_file():
        raise UsageError(f"--db {db} does not exist; build a corpus with 'newsforensics ingest … --db {db}'")
    if token is None and not is_loopback(host):
        token = secrets.token_urlsafe(24)
    pipeline = None
    if stages:
        from ..pipeline import Pipeline

        try:
            pipeline = Pipeline([n.strip() for n in stages.split(",") if n.strip()])
        except ValueError as exc:
            raise UsageError(f"--stages: {exc}") from None
    settings = WebSettings(host=host, port=port, db=db, token=token, allow_fetch=allow_fetch)
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{port}/" + (f"?token={token}" if token else "")
    say(f"newsforensics workbench: loading models, then serving {url}"
        + (f" (corpus {db})" if db else "") + (" · URL fetching on" if allow_fetch else ""))
    if token and not os.environ.get(TOKEN_ENV):
        say("every request needs the token: open the URL above, or send 'Authorization: Bearer TOKEN'")
    uvicorn.run(create_app(settings, pipeline=pipeline), host=host, port=port, **uvicorn_options())
    return EXIT_OK
