"""The CheckThat! claim-retrieval layouts: vclaim pools, query TSVs, qrels, TREC runs, MAP@k.

Traps from the data README that shape these readers: query files hold tweets with unbalanced
quotes (read them with ``QUOTE_NONE``, never as CSV), query ids repeat across years (a reader
returns one split, callers never merge two), and the 2B pool is gzip JSON lines.
"""

from __future__ import annotations

import csv
import gzip
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO

from ..errors import InputError
from .records import FactCheck

# CheckThat vclaim fields → FactCheck fields (2A Snopes and 2B PolitiFact use different names).
_FIELDS = {"vclaim": "claim", "title": "title", "subtitle": "subtitle", "text": "text",
           "truth_label": "verdict", "speaker": "claimant", "date": "published"}
_URL_KEYS = ("page_url", "url")
POLITIFACT = "https://www.politifact.com"


def _open_text(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def read_vclaims(path: Path) -> Iterator[FactCheck]:
    """A CheckThat pool (JSON lines, optionally gzipped; or the 2020 ``vclaim_id/vclaim/title`` TSV)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such pool file")
    if path.name.endswith((".tsv", ".tsv.gz")):
        yield from _read_vclaims_tsv(path)
        return
    with _open_text(path) as handle:
        for line_no, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{line_no}: not a JSON line ({exc.msg})") from None
            if not isinstance(row, dict) or not row.get("vclaim_id") or not row.get("vclaim"):
                raise InputError(f"{path}:{line_no}: a vclaim needs 'vclaim_id' and 'vclaim'")
            yield vclaim_record(row, source=str(path))


def vclaim_record(row: Mapping[str, object], source: str | None = None) -> FactCheck:
    """One pool row as a FactCheck (PolitiFact's relative URLs made absolute)."""
    values = {ours: str(row[theirs]) for theirs, ours in _FIELDS.items() if row.get(theirs)}
    url = next((str(row[k]) for k in _URL_KEYS if row.get(k)), None)
    if url and url.startswith("/"):
        url = POLITIFACT + url
    return FactCheck(id=str(row["vclaim_id"]), url=url, source=source, **values)


def _read_vclaims_tsv(path: Path) -> Iterator[FactCheck]:
    with _open_text(path) as handle:
        for line_no, line in enumerate(handle, 1):
            parts = line.rstrip("\n").split("\t")
            if line_no == 1 and parts[0] == "vclaim_id" or not line.strip():
                continue
            if len(parts) < 2:
                raise InputError(f"{path}:{line_no}: expected 'vclaim_id<TAB>vclaim[<TAB>title]'")
            yield FactCheck(id=parts[0], claim=parts[1], title=parts[2] if len(parts) > 2 else "",
                            source=str(path))


def read_queries(path: Path) -> list[tuple[str, str]]:
    """``(query_id, text)`` pairs of one query file (``id<TAB>text``; a header line is skipped).

    A query listed twice with the same text (the 2B files list a sentence once per relevant
    fact-check) is kept once, so a run never ranks it twice; one id with two different texts is
    refused: it means files of different splits or years were merged.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such query file")
    out: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    with _open_text(path) as handle:
        for line_no, row in enumerate(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
            if not row or not "".join(row).strip():
                continue
            if len(row) < 2:
                raise InputError(f"{path}:{line_no}: expected 'query_id<TAB>text'")
            if line_no == 1 and row[0].lower() in {"iclaim_id", "tweet_id", "qid", "id"}:
                continue
            qid, text = row[0], "\t".join(row[1:])
            if qid in seen:
                if seen[qid] != text:
                    raise InputError(f"{path}:{line_no}: query id {qid!r} is listed before with another text "
                                     f"(query ids repeat across CheckThat years: do not merge their files)")
                continue
            seen[qid] = text
            out.append((qid, text))
    return out


def read_qrels(path: Path) -> dict[str, set[str]]:
    """Relevant vclaim ids per query from a qrels file (``qid 0 docid relevance``)."""
    qrels: dict[str, set[str]] = {}
    with _open_text(Path(path)) as handle:
        for line_no, line in enumerate(handle, 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 4:
                raise InputError(f"{path}:{line_no}: expected 'qid 0 docid relevance'")
            if int(parts[3]) > 0:
                qrels.setdefault(parts[0], set()).add(parts[2])
    return qrels


Ranking = Sequence[tuple[str, float]]


def write_run(handle: IO[str], rankings: Iterable[tuple[str, Ranking]], tag: str) -> int:
    """Write a TREC run (``qid Q0 docid rank score tag``, tab-separated); returns the lines written."""
    lines = 0
    for qid, ranking in rankings:
        for rank, (docid, score) in enumerate(ranking, 1):
            handle.write(f"{qid}\tQ0\t{docid}\t{rank}\t{score:.6f}\t{tag}\n")
            lines += 1
    return lines


def read_run(path: Path) -> dict[str, list[str]]:
    """Ranked doc ids per query from a TREC run (ties broken by the file's rank column)."""
    runs: dict[str, list[tuple[int, str]]] = {}
    with _open_text(Path(path)) as handle:
        for line_no, line in enumerate(handle, 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) < 5:
                raise InputError(f"{path}:{line_no}: expected 'qid Q0 docid rank score [tag]'")
            runs.setdefault(parts[0], []).append((int(parts[3]), parts[2]))
    return {qid: [d for _, d in sorted(ranked)] for qid, ranked in runs.items()}


def average_precision_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    """AP@k as the organisers' trectools computes it: hits' precision summed, over |relevant|."""
    hits, total = 0, 0.0
    for i, docid in enumerate(ranked[:k], 1):
        if docid in relevant:
            hits += 1
            total += hits / i
    return total / len(relevant) if relevant else 0.0


def mean_average_precision(runs: Mapping[str, Sequence[str]], qrels: Mapping[str, set[str]],
                           k: int = 5) -> float:
    """MAP@k over the queries of the qrels (a query missing from the run scores 0)."""
    if not qrels:
        return 0.0
    return sum(average_precision_at(runs.get(q, ()), rel, k) for q, rel in qrels.items()) / len(qrels)


def mean_reciprocal_rank(runs: Mapping[str, Sequence[str]], qrels: Mapping[str, set[str]], k: int = 5) -> float:
    """MRR@k: 1/rank of the first relevant hit within k, averaged over the qrels' queries."""
    if not qrels:
        return 0.0
    total = 0.0
    for qid, relevant in qrels.items():
        ranked = list(runs.get(qid, ()))[:k]
        total += next((1.0 / i for i, d in enumerate(ranked, 1) if d in relevant), 0.0)
    return total / len(qrels)
