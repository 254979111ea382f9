"""The JSON API: analyse, dossiers and their downloads, corpus search and items.

Every HTML page has its twin here (``/dossiers/{key}`` ↔ ``/api/dossiers/{key}``, ``/search`` ↔
``/api/search`` …). Dossiers are exactly the library's JSON (``serialize.to_dict``,
schema in ``/api/schema``); errors are ``{"error": {status, code, message}}``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from .. import report
from ..serialize import schema
from . import corpus_views
from .errors import ERROR_RESPONSES, ApiError, not_found
from .inputs import AnalyzeRequest, FetchRequest, Hints, check_rate, form_hints, item_source
from .security import REPORT_CSP
from .workbench import Dossier, Workbench

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)  # type: ignore[arg-type]
DownloadFormat = Literal["json", "markdown", "html"]
MEDIA_TYPES = {"json": "application/json", "markdown": "text/markdown; charset=utf-8",
               "html": "text/html; charset=utf-8"}


class Analysis(BaseModel):
    """One analysed item: its key (the dossier's address), links, and the dossier JSON."""

    id: str
    links: dict[str, str]
    dossier: dict[str, Any]


async def workbench(request: Request) -> Workbench:
    # async: a plain function dependency would cost a hop to the threadpool on every request
    return request.app.state.workbench


WorkbenchDep = Annotated[Workbench, Depends(workbench)]


def links(key: str) -> dict[str, str]:
    return {"self": f"/api/dossiers/{key}", "page": f"/dossiers/{key}",
            **{fmt: f"/api/dossiers/{key}/download?format={fmt}" for fmt in MEDIA_TYPES}}


async def run_analysis(request: Request, hints: Hints, *, text: str | None = None,
                       upload: bytes | None = None, upload_name: str | None = None,
                       fetch_url: str | None = None) -> tuple[str, Dossier]:
    """The one path of every analysis, form or API: pick the input, analyse, cache."""
    raw, source_name, fetched_url = await item_source(request, text=text, upload=upload,
                                                      upload_name=upload_name, fetch_url=fetch_url)
    library_hints = hints.library_hints(source_name)
    if fetched_url and not library_hints.get("url"):
        library_hints["url"] = fetched_url
    return await request.app.state.workbench.analyse(raw, library_hints)


@router.post("/analyze", status_code=201, response_model=Analysis, dependencies=[Depends(check_rate)],
             summary="Analyse one item given as its text (plain text, HTML or a JSON record)")
async def analyze(request: Request, body: AnalyzeRequest) -> Analysis:
    key, dossier = await run_analysis(request, Hints(**body.model_dump(exclude={"text"})), text=body.text)
    return Analysis(id=key, links=links(key), dossier=dossier)


@router.post("/analyze/fetch", status_code=201, response_model=Analysis, dependencies=[Depends(check_rate)],
             summary="Fetch one item from a public URL and analyse it (needs serve --allow-fetch)")
async def analyze_fetched(request: Request, body: FetchRequest) -> Analysis:
    hints = Hints(**body.model_dump(exclude={"fetch_url"}))
    key, dossier = await run_analysis(request, hints, fetch_url=body.fetch_url)
    return Analysis(id=key, links=links(key), dossier=dossier)


@router.post("/analyze/upload", status_code=201, response_model=Analysis,
             dependencies=[Depends(check_rate)], summary="Analyse one uploaded file")
async def analyze_upload(
    request: Request,
    file: Annotated[UploadFile, File(description="The item: .html, .txt or a .json record")],
    hints: Annotated[Hints, Depends(form_hints)],
) -> Analysis:
    key, dossier = await run_analysis(request, hints, upload=await file.read(), upload_name=file.filename)
    return Analysis(id=key, links=links(key), dossier=dossier)


def cached_dossier(bench: Workbench, key: str) -> Dossier:
    dossier = bench.cache.get(key)
    if dossier is None:
        raise ApiError(404, "not-found", f"no analysis {key!r} on this server (analyses are kept in "
                       "memory while the server runs; analyse the item again)")
    return dossier


DOSSIER_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"description": "The dossier JSON (schema: GET /api/schema)",
          "content": {"application/json": {"schema": {"type": "object"}}}}}


@router.get("/dossiers/{key}", summary="The dossier of an analysis", response_class=JSONResponse,
            responses=DOSSIER_RESPONSE)
def dossier(bench: WorkbenchDep, key: str) -> JSONResponse:
    # A JSONResponse, not a dict: FastAPI would walk the whole dossier through jsonable_encoder,
    # which costs more than the read itself on the hot path of corpus browsing.
    return JSONResponse(cached_dossier(bench, key))


def download(dossier: Dossier, fmt: str, name: str) -> Response:
    """A dossier as a file: JSON, Markdown or the self-contained HTML report."""
    body = report.render(dossier, fmt)
    headers = {"content-disposition": f'attachment; filename="{name}{report.FORMAT_SUFFIX[fmt]}"'}
    if fmt == "html":
        headers["content-security-policy"] = REPORT_CSP
    return Response(body, media_type=MEDIA_TYPES[fmt], headers=headers)


@router.get("/dossiers/{key}/download", summary="The dossier of an analysis as a file",
            response_class=Response, responses={200: {"content": {t: {} for t in MEDIA_TYPES.values()}}})
def dossier_download(bench: WorkbenchDep, key: str, format: DownloadFormat = "json") -> Response:
    return download(cached_dossier(bench, key), format, f"dossier-{key}")


@router.get("/schema", summary="The JSON Schema of a dossier")
def dossier_schema() -> dict[str, Any]:
    return schema()


@router.get("/health", summary="Liveness, the pipeline's stages and whether a corpus is open")
async def health(bench: WorkbenchDep) -> dict[str, Any]:  # on the event loop: no thread to wait for
    return {"status": "ok", "stages": bench.stage_names, "corpus": str(bench.corpus.path) if bench.corpus else None,
            "fetch": bench.settings.allow_fetch}


# --- the corpus ---------------------------------------------------------------------------------


def stored_dossier(bench: Workbench, item_id: int) -> Dossier:
    found = corpus_views.store(bench).item(item_id)
    if found is None:
        raise not_found(f"item {item_id}")
    return found


@router.get("/items/{item_id}", summary="The dossier of a stored item", response_class=Response,
            responses=DOSSIER_RESPONSE)
async def item(bench: WorkbenchDep, item_id: corpus_views.ItemId) -> Response:
    # The stored JSON as it is (no parse, no re-serialisation) and on the event loop: one
    # indexed SQLite read of well under a millisecond costs less than a hop to the threadpool.
    corpus_views.store(bench)
    body = bench.corpus.dossier_json(item_id) if bench.corpus else None
    if body is None:
        raise not_found(f"item {item_id}")
    return Response(body, media_type="application/json")


@router.get("/items/{item_id}/download", summary="The dossier of a stored item as a file",
            response_class=Response, responses={200: {"content": {t: {} for t in MEDIA_TYPES.values()}}})
def item_download(bench: WorkbenchDep, item_id: corpus_views.ItemId, format: DownloadFormat = "json") -> Response:
    return download(stored_dossier(bench, item_id), format, f"item-{item_id}")


@router.get("/search", summary="Full-text search of the corpus, with filters and pagination")
def search(bench: WorkbenchDep, filters: Annotated[corpus_views.SearchQuery, Query()]) -> JSONResponse:
    return JSONResponse(corpus_views.search(bench, filters).to_dict())


@router.get("/outlets", summary="Outlets in the corpus and their item counts")
def outlets(bench: WorkbenchDep) -> list[dict[str, Any]]:
    return [{"outlet": name, "items": n} for name, n in corpus_views.store(bench).outlets()]


@router.get("/stories", summary="Stories (items about one event across outlets), largest first")
def stories(bench: WorkbenchDep, query: Annotated[corpus_views.StoriesQuery, Query()]) -> list[dict[str, Any]]:
    return corpus_views.stories(bench, query)


@router.get("/stories/{story_id}", summary="One story: a page of its items by time, copies among them, denials")
async def story(bench: WorkbenchDep, story_id: corpus_views.StoryId,
                page: Annotated[int, Query(ge=1, le=corpus_views.MAX_PAGE)] = 1) -> Response:
    # Bytes, not a dict (jsonable_encoder would walk every item and copy pair again), encoded
    # once per version of the store; a page already built is answered on the event loop, and
    # only building one (its queries) takes a thread.
    body = corpus_views.cached_story_json(bench, story_id, page)
    if body is None:
        body = await run_in_threadpool(corpus_views.story_json, bench, story_id, page)
    return Response(body, media_type="application/json")


@router.get("/copies", summary="Copy pairs (original → copy), strongest first; of one item if given")
def copies(bench: WorkbenchDep, item_id: Annotated[int | None, Query(ge=0, le=corpus_views.MAX_ID)] = None,
           page: Annotated[int, Query(ge=1, le=corpus_views.MAX_PAGE)] = 1) -> list[dict[str, Any]]:
    return corpus_views.copies(bench, item_id, page)


@router.get("/stats", summary="Item counts by technique and narrative against outlet and month")
def stats(bench: WorkbenchDep, query: Annotated[corpus_views.StatsQuery, Query()]) -> dict[str, list[dict[str, Any]]]:
    return corpus_views.stats(bench, query)
