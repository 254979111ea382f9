"""``newsforensics factchecks …``: import earlier fact-checks, search them, CheckThat! runs."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
from .common import EXIT_CODES, EXIT_OK, JsonFlag, app, choices, guarded, progress_bar, say

factchecks_app = typer.Typer(help="Earlier fact-checks: import (ClaimReview, CSV, lists), search, "
                                  "CheckThat! retrieval runs.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(factchecks_app, name="factchecks")
Format = choices("FactCheckFormat", ["auto", "claimreview", "csv", "list", "checkthat"])
QUERY_BATCH = 64  # queries embedded together (batching is the fast path of the encoder)
DbOpt = Annotated[Path, typer.Option("--db", help="The corpus database the fact-checks live in.")]
CacheOpt = Annotated[Path | None, typer.Option("--cache", help="Embedding cache folder, shared by import "
                                               "and retrieve [default: the user cache; see docs/factchecks.md]")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Embed without the cache.")]


def _cache_dir(cache: Path | None, no_cache: bool) -> Path | None:
    from ..models.encoder import default_cache_dir

    return None if no_cache else cache or default_cache_dir()


@factchecks_app.command(name="import", epilog=EXIT_CODES)
@guarded
def import_(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="ClaimReview JSON-LD (object, "
                                                "list, @graph, JSON lines, HTML page), CSV, plain lists.")],
    db: DbOpt,
    fmt: Annotated[Format, typer.Option("--format", help="Input format (auto: from name and content).")]
    = Format("auto"),
    cache: CacheOpt = None,
    no_cache: NoCacheOpt = False,
    json_flag: JsonFlag = False,
) -> int:
    """Import fact-checks into the store (by id: a re-import updates, never duplicates)."""
    from ..factchecks.importers import read_factchecks
    from ..factchecks.store import import_factchecks

    totals: dict[str, dict[str, int]] = {}
    with progress_bar(len(files) > 1) as progress:
        task = progress.add_task("importing", total=len(files))
        for path in files:
            result = import_factchecks(db, read_factchecks(path, fmt.value),
                                       cache_dir=_cache_dir(cache, no_cache))
            totals[str(path)] = {"added": result.added, "updated": result.updated,
                                 "unchanged": result.unchanged}
            progress.advance(task)
    if json_flag:
        typer.echo(json.dumps({"db": str(db), "files": totals}, indent=2))
    added = sum(t["added"] for t in totals.values())
    updated = sum(t["updated"] for t in totals.values())
    unchanged = sum(t["unchanged"] for t in totals.values())
    say(f"imported {added + updated + unchanged} fact-checks from {len(files)} file(s) into {db}: "
        f"{added} new, {updated} updated, {unchanged} unchanged", "bold")
    return EXIT_OK


def _stored_index(db: Path):  # type: ignore[no-untyped-def]
    """The retrieval index over a database's fact-checks, or one sentence saying why there is none."""
    from ..factchecks.store import load_index

    if not db.is_file():
        raise InputError(f"{db} does not exist: import fact-checks first (newsforensics factchecks import)")
    index = load_index(db)
    if index is None:
        raise InputError(f"{db} holds no fact-checks: import some first (newsforensics factchecks import)")
    return index


@factchecks_app.command(name="search", epilog=EXIT_CODES)
@guarded
def search(
    claim: Annotated[str, typer.Argument(help="The claim to look up.")],
    db: DbOpt,
    k: Annotated[int, typer.Option("-k", min=1, max=100, help="Fact-checks to show.")] = 5,
    json_flag: JsonFlag = False,
) -> int:
    """The earlier fact-checks that best match a claim, with verdict, link and score."""
    hits = _stored_index(db).search([claim], k=k)[0]
    if json_flag:
        typer.echo(json.dumps({"claim": claim, "hits": [h.to_dict() for h in hits]}, indent=2,
                              ensure_ascii=False))
        return EXIT_OK
    for rank, hit in enumerate(hits, 1):
        fc = hit.factcheck
        typer.echo(f"{rank}. [{hit.score:.2f}] {fc.verdict or 'no verdict'} · {fc.claim}")
        details = " · ".join(p for p in (fc.publisher, fc.published, fc.url) if p)
        if details:
            typer.echo(f"   {details}")
    if not hits:
        say("no fact-check matched")
    return EXIT_OK


@factchecks_app.command(name="retrieve", epilog=EXIT_CODES)
@guarded
def retrieve(
    queries: Annotated[Path, typer.Option("--queries", help="Queries, 'id<TAB>text' lines (CheckThat layout).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The TREC run file to write.")],
    pool: Annotated[Path | None, typer.Option("--pool", help="A CheckThat vclaims pool (JSON lines, "
                                              ".gz, or the 2020 TSV).")] = None,
    db: Annotated[Path | None, typer.Option("--db", help="Search the store's fact-checks instead of a pool.")]
    = None,
    k: Annotated[int, typer.Option("-k", min=1, max=1000, help="Ranked fact-checks per query.")] = 5,
    tag: Annotated[str, typer.Option("--tag", help="The run tag (last column).")] = "newsforensics",
    cache: CacheOpt = None,
    no_cache: NoCacheOpt = False,
) -> int:
    """Rank a pool of fact-checks for each query; write a TREC run (qid Q0 docid rank score tag)."""
    from ..factchecks.checkthat import read_queries, read_vclaims, write_run
    from ..factchecks.index import FactCheckIndex
    from ..factchecks.vectors import pool_vectors
    from .common import UsageError

    if (pool is None) == (db is None):
        raise UsageError("give exactly one of --pool FILE and --db FILE")
    query_rows = read_queries(queries)
    if not query_rows:
        raise InputError(f"{queries} holds no queries")
    started = time.perf_counter()
    if pool is not None:
        records = list(read_vclaims(pool))
        if not records:
            raise InputError(f"{pool} holds no fact-checks")
        say(f"indexing {len(records)} fact-checks from {pool} (first run embeds them; later runs "
            f"read the cache)")
        vectors = pool_vectors(records, _cache_dir(cache, no_cache))
        index = FactCheckIndex(records, claim_vectors=vectors[0], title_vectors=vectors[1])
    else:
        index = _stored_index(db)
    indexed = time.perf_counter()
    rankings = []
    with progress_bar(True) as progress:
        task = progress.add_task("retrieving", total=len(query_rows))
        for first in range(0, len(query_rows), QUERY_BATCH):
            chunk = query_rows[first:first + QUERY_BATCH]
            for (qid, _), hits in zip(chunk, index.search([text for _, text in chunk], k=k), strict=True):
                rankings.append((qid, [(h.factcheck.id, h.score) for h in hits]))
            progress.advance(task, len(chunk))
    done = time.perf_counter()
    output.parent.mkdir(parents=True, exist_ok=True)
    with open(output, "w", encoding="utf-8") as handle:
        lines = write_run(handle, rankings, tag)
    say(f"wrote {lines} lines for {len(query_rows)} queries to {output} (index {indexed - started:.1f} s, "
        f"{(done - indexed) / len(query_rows) * 1000:.0f} ms/query)", "bold")
    return EXIT_OK


@factchecks_app.command(name="evaluate", epilog=EXIT_CODES)
@guarded
def evaluate(
    run: Annotated[Path, typer.Option("--run", help="A TREC run file.")],
    qrels: Annotated[Path, typer.Option("--qrels", help="The gold qrels (qid 0 docid 1).")],
    json_flag: JsonFlag = False,
) -> int:
    """Score a run as the CheckThat! organisers do: MAP@1/3/5/10 and MRR@5 over the qrels' queries."""
    from ..factchecks.checkthat import mean_average_precision, mean_reciprocal_rank, read_qrels, read_run

    gold, ranked = read_qrels(qrels), read_run(run)
    if not gold:
        raise InputError(f"{qrels} lists no relevant pairs")
    scores = {f"map@{k}": round(mean_average_precision(ranked, gold, k), 4) for k in (1, 3, 5, 10)}
    scores["mrr@5"] = round(mean_reciprocal_rank(ranked, gold, 5), 4)
    scores["queries"] = len(gold)
    scores["missing"] = sum(1 for q in gold if q not in ranked)
    if json_flag:
        typer.echo(json.dumps(scores, indent=2))
    else:
        typer.echo("  ".join(f"{k} {v}" for k, v in scores.items()))
    return EXIT_OK
