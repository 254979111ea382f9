"""Earlier fact-checks: import (ClaimReview JSON-LD/CSV, plain lists, CheckThat pools) into the
store, hybrid retrieval (BM25 + embeddings) with a logistic re-ranker, and the CheckThat! research
interface (TREC runs, MAP@k)."""

from .importers import read_factchecks
from .index import FactCheckIndex, Hit
from .records import FactCheck

__all__ = ["FactCheck", "FactCheckIndex", "Hit", "read_factchecks"]
