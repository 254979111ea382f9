"""The workbench application factory: one FastAPI app over the library and the corpus store.

``create_app`` wires the guard (host, token, origin, size limits, security headers), the JSON
error handlers, the API, the HTML views and the vendored static assets. Models load and warm
up once at startup, on the analysis worker, so the first analysis is as fast as the rest.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from ..version import __version__
from ..pipeline import Pipeline
from . import api, errors, fetch, views
from .security import Guard, RateLimiter
from .settings import WebSettings
from .workbench import Workbench

PACKAGE_DIR = Path(str(resources.files(__package__)))


def create_app(settings: WebSettings | None = None, *, pipeline: Pipeline | None = None) -> FastAPI:
    """A configured workbench app; ``pipeline`` lets tests and benchmarks share a built one."""
    settings = settings or WebSettings()
    bench = Workbench(settings, pipeline)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await bench.start()
        yield
        bench.close()

    app = FastAPI(
        title="newsforensics workbench",
        version=__version__,
        description="Analyse news items into evidence-linked dossiers and explore a corpus. "
                    "Dossiers follow the newsforensics dossier JSON schema (GET /api/schema).",
        lifespan=lifespan,
        docs_url=None,  # Swagger UI loads assets from a CDN: the OpenAPI document is enough
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.workbench = bench
    app.state.workbench_limiter = RateLimiter(settings.limits.analyse_per_minute, settings.limits.analyse_burst)
    app.state.fetcher = fetch.fetch
    templates = Jinja2Templates(directory=str(PACKAGE_DIR / "templates"))
    views.configure(templates)
    app.state.templates = templates
    errors.install(app)
    app.include_router(api.router)
    app.include_router(views.router)
    app.mount("/static", StaticFiles(directory=str(PACKAGE_DIR / "static")), name="static")
    app.add_middleware(Guard, allowed_hosts=settings.allowed_hosts, token=settings.token,
                       max_body_bytes=settings.limits.max_body_bytes)
    return app
