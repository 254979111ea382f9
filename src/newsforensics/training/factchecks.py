"""Train the fact-check re-ranker on the CheckThat! 2021 Task 2A and 2B English TRAIN splits.

    python -m newsforensics.training.factchecks --data ../shared/data/checkthat-claim-retrieval

Dev and test queries are never read here (benchmarks/factchecks.py scores dev). Both tasks'
candidates train one model: the ``has_text`` and ``bm25_text_*`` features let it weigh article
bodies where a pool has them (PolitiFact) and ignore them where it has none (Snopes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from ..models import encoder
from ..factchecks.checkthat import read_qrels, read_queries, read_vclaims
from ..factchecks.index import FactCheckIndex, clean_query
from ..factchecks.rerank import MODEL_FILE, fit
from ..factchecks.vectors import pool_vectors


@dataclass(frozen=True)
class Task:
    """One CheckThat task: its pool and its query folder, relative to the data folder."""

    name: str
    pool: str
    folder: str


TASKS = (
    Task("2021-2A-en", "vclaims/snopes_vclaims.jsonl", "task2a-en"),
    Task("2021-2B-en", "vclaims/politifact_vclaims.jsonl.gz", "task2b-en"),
)


def load_index(data: Path, task: Task, cache_dir: Path | None) -> FactCheckIndex:
    pool = list(read_vclaims(data / task.pool))
    claim_vectors, title_vectors = pool_vectors(pool, cache_dir)
    return FactCheckIndex(pool, claim_vectors=claim_vectors, title_vectors=title_vectors)


def split_queries(data: Path, task: Task, split: str) -> tuple[list[tuple[str, str]], dict[str, set[str]]]:
    """The queries of one split (``train`` or ``dev``) and their qrels; ids from that split only."""
    qrels = read_qrels(data / task.folder / f"{split}_qrels.tsv")
    queries = [(qid, clean_query(text)) for qid, text in read_queries(data / task.folder / "train_dev_queries.tsv")
               if qid in qrels]
    return queries, qrels


def training_pairs(index: FactCheckIndex, queries: list[tuple[str, str]], qrels: dict[str, set[str]],
                   cache_dir: Path | None) -> tuple[np.ndarray, np.ndarray, int]:
    """Features and labels of every retrieved candidate; also how many gold items were retrieved."""
    vectors = encoder.encode_cached([text for _, text in queries], cache_dir)
    blocks, labels, found = [], [], 0
    for (qid, text), vector in zip(queries, vectors, strict=True):
        rows, matrix, _ = index.features(text, vector)
        gold = np.array([index.pool[i].id in qrels[qid] for i in rows])
        found += int(gold.sum())
        blocks.append(matrix)
        labels.append(gold)
    return np.vstack(blocks), np.concatenate(labels), found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="the checkthat-claim-retrieval folder")
    parser.add_argument("--cache", type=Path, default=encoder.default_cache_dir(),
                        help="embedding cache folder (default: %(default)s)")
    parser.add_argument("--tasks", default=",".join(t.name for t in TASKS),
                        help="comma-separated task names (default: %(default)s)")
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("-o", "--output", type=Path,
                        default=Path(str(resources.files("newsforensics.factchecks").joinpath(MODEL_FILE))))
    args = parser.parse_args(argv)
    blocks, labels, stats = [], [], {}
    for task in (t for t in TASKS if t.name in args.tasks.split(",")):
        index = load_index(args.data, task, args.cache)
        queries, qrels = split_queries(args.data, task, "train")
        matrix, gold, found = training_pairs(index, queries, qrels, args.cache)
        total = sum(len(v) for v in qrels.values())
        stats[task.name] = {"queries": len(queries), "pairs": int(len(gold)), "gold_retrieved": found,
                            "gold_total": total}
        print(f"{task.name}: {len(queries)} train queries, {len(gold)} candidate pairs, "
              f"{found}/{total} gold pairs among the candidates")
        blocks.append(matrix)
        labels.append(gold)
    card = {"trained_on": f"CLEF CheckThat! {' and '.join(stats)} train splits (qrels "
                          "train_qrels.tsv); dev and test never seen",
            "trained": dt.date.today().isoformat(), "encoder": encoder.MODEL_ID, "l2": args.l2,
            "splits": stats}
    model = fit(np.vstack(blocks), np.concatenate(labels), l2=args.l2, card=card)
    args.output.write_text(json.dumps(model.to_dict(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
