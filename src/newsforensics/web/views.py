"""The HTML pages. Each reads the same library calls as its JSON twin in ``api`` and renders a
template; nothing here analyses or queries anything itself."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from ..report import digest
from ..report.highlight import css_token
from ..report.sections import text_sections
from . import charts, corpus_views, render
from .api import WorkbenchDep, cached_dossier, run_analysis, stored_dossier
from .inputs import Hints, check_rate, form_hints
from .workbench import Dossier

router = APIRouter(include_in_schema=False)


def configure(templates: Jinja2Templates) -> None:
    env = templates.env
    # Starlette autoescapes by file extension only, and ours end in .j2: escape everything.
    env.autoescape = True
    env.trim_blocks = env.lstrip_blocks = True
    env.filters["describe"] = digest.describe
    env.filters["attribution"] = digest.attribution_text
    env.globals["token"] = css_token


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    bench = request.app.state.workbench
    return request.app.state.templates.TemplateResponse(
        request, template, {"has_corpus": bench.corpus is not None, **context}, status_code=status_code)


@router.get("/", response_class=HTMLResponse)
def analyse_page(request: Request, bench: WorkbenchDep) -> HTMLResponse:
    return page(request, "analyse.html.j2", recent=bench.cache.recent(), allow_fetch=bench.settings.allow_fetch,
                stages=bench.stage_names)


@router.post("/analyze", dependencies=[Depends(check_rate)])
async def analyse_form(
    request: Request,
    hints: Annotated[Hints, Depends(form_hints)],
    text: Annotated[str | None, Form()] = None,
    file: Annotated[UploadFile | None, File()] = None,
    fetch_url: Annotated[str | None, Form(max_length=2000)] = None,
) -> Response:
    upload = await file.read() if file is not None and file.filename else None
    key, _ = await run_analysis(request, hints, text=text, upload=upload,
                                upload_name=file.filename if file else None, fetch_url=fetch_url)
    return RedirectResponse(f"/dossiers/{key}", status_code=303)


def dossier_page(request: Request, dossier: Dossier, base: str, json_url: str) -> HTMLResponse:
    return page(
        request, "dossier.html.j2", d=dossier, base=base, json_url=json_url,
        text_html=render.highlighted_text(dossier), layers=render.layer_toggles(dossier),
        metadata=digest.metadata_rows(dossier), counts=digest.counts(dossier),
        quotes_by_speaker=digest.quotes_by_speaker(dossier), speaker_roles=digest.speaker_roles,
        claims=digest.spans(dossier, "claims"), places=digest.places(dossier),
        place_map=render.place_map(dossier), timeline=digest.timeline(dossier),
        entities=digest.entities(dossier),
        others=[(digest.layer_info(n), digest.spans(dossier, n)) for n in digest.other_layers(dossier)],
        removed=digest.removed(dossier), text_sections=text_sections(dossier),
    )


def layer_stylesheet(dossier: Dossier) -> Response:
    return Response(render.stylesheet(dossier), media_type="text/css",
                    headers={"cache-control": "private, max-age=3600"})


@router.get("/dossiers/{key}", response_class=HTMLResponse)
def dossier_view(request: Request, bench: WorkbenchDep, key: str) -> HTMLResponse:
    return dossier_page(request, cached_dossier(bench, key), f"/dossiers/{key}", f"/api/dossiers/{key}")


@router.get("/dossiers/{key}/layers.css")
def dossier_css(bench: WorkbenchDep, key: str) -> Response:
    return layer_stylesheet(cached_dossier(bench, key))


@router.get("/items/{item_id}", response_class=HTMLResponse)
def item_view(request: Request, bench: WorkbenchDep, item_id: corpus_views.ItemId) -> HTMLResponse:
    return dossier_page(request, stored_dossier(bench, item_id), f"/items/{item_id}", f"/api/items/{item_id}")


@router.get("/items/{item_id}/layers.css")
def item_css(bench: WorkbenchDep, item_id: corpus_views.ItemId) -> Response:
    return layer_stylesheet(stored_dossier(bench, item_id))


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, bench: WorkbenchDep,
                query: Annotated[corpus_views.SearchQuery, Query()]) -> HTMLResponse:
    store = corpus_views.store(bench)
    results = corpus_views.search(bench, query)
    pages = max(1, -(-results.total // results.limit)) if results.limit else 1
    from ..corpus.queries import split_marked

    return page(request, "search.html.j2", query=query, results=results, pages=pages,
                outlets=store.outlets(), split_marked=split_marked)


@router.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request, bench: WorkbenchDep,
                 query: Annotated[corpus_views.StoriesQuery, Query()]) -> HTMLResponse:
    found = corpus_views.stories(bench, query)
    return page(request, "stories.html.j2", query=query, stories=found,
                more=len(found) == bench.settings.limits.search_page_size)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, bench: WorkbenchDep, story_id: corpus_views.StoryId,
               page_number: Annotated[int, Query(alias="page", ge=1, le=corpus_views.MAX_PAGE)] = 1) -> HTMLResponse:
    found = corpus_views.story(bench, story_id, page_number)
    return page(request, "story.html.j2", s=found, roles=charts.ROLE_COLOURS,
                timeline_svg=Markup(charts.story_timeline(found["items"], found["copies"]) or ""))


STATS_TITLES = {"technique": "Techniques", "narrative": "Narratives", "outlet": "outlet", "month": "month"}


@router.get("/stats", response_class=HTMLResponse)
def stats_page(request: Request, bench: WorkbenchDep,
               query: Annotated[corpus_views.StatsQuery, Query()]) -> HTMLResponse:
    tables = corpus_views.stats(bench, query)
    heatmaps = []
    for label in corpus_views.STATS_LABELS:
        for against in corpus_views.STATS_AGAINST:
            title = f"{STATS_TITLES[label]} by {STATS_TITLES[against]} (items)"
            svg = charts.heatmap(tables[f"{label}_by_{against}"], label, against, title=title)
            heatmaps.append((title, Markup(svg) if svg else None))
    by_month = charts.bars([(r["month"] or "undated", r["items"]) for r in tables["items_by_month"]],
                           title="Items by month")
    by_outlet = charts.bars(sorted(((r["outlet"] or "unknown", r["items"]) for r in tables["items_by_outlet"]),
                                   key=lambda r: -r[1]), title="Items by outlet")
    return page(request, "stats.html.j2", query=query, heatmaps=heatmaps,
                by_month=Markup(by_month or ""), by_outlet=Markup(by_outlet or ""),
                outlets=corpus_views.store(bench).outlets())
