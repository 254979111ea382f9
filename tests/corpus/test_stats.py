"""Statistics: counts by item and span dimensions, filters, CSV and Parquet export."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from newsforensics.corpus.stats import export, parse_by, table
from newsforensics.corpus.store import Store
from newsforensics.errors import InputError

from .conftest import make_doc

LOADED = "Loaded_Language"


def _store(path: Path) -> Store:
    store = Store(path, steps=[])
    store.add(make_doc("A brutal and savage attack.", outlet="a.org", published="2019-03-05",
                       techniques=(("brutal", LOADED), ("savage", LOADED))))
    store.add(make_doc("Another savage raid.", outlet="a.org", published="2019-04-01",
                       techniques=(("savage", LOADED),)))
    store.add(make_doc("Calm report.", outlet="b.org", published=None))
    return store


def test_items_by_outlet_and_month_with_missing_dates_last(tmp_path: Path) -> None:
    with _store(tmp_path / "c.db") as store:
        result = table(store.conn, "outlet,month")
    assert result.columns == ["outlet", "month", "items"]
    assert result.rows == [("a.org", "2019-03", 1), ("a.org", "2019-04", 1), ("b.org", None, 1)]


def test_span_dimension_counts_items_and_spans(tmp_path: Path) -> None:
    with _store(tmp_path / "c.db") as store:
        result = table(store.conn, ("outlet", "technique"))
        assert result.to_dicts() == [{"outlet": "a.org", "technique": LOADED, "items": 2, "spans": 3}]
        assert table(store.conn, "technique", since="2019-03-10").rows == [(LOADED, 1, 1)]


def test_bad_dimensions_are_clear_errors() -> None:
    with pytest.raises(InputError, match="unknown statistics dimension"):
        parse_by("outlet,colour")
    with pytest.raises(InputError, match="at most one"):
        parse_by("technique,place")


def test_export_csv_and_parquet(tmp_path: Path) -> None:
    with _store(tmp_path / "c.db") as store:
        result = table(store.conn, "outlet")
    export(result, tmp_path / "out" / "s.csv")
    rows = list(csv.reader((tmp_path / "out" / "s.csv").open(encoding="utf-8")))
    assert rows == [["outlet", "items"], ["a.org", "2"], ["b.org", "1"]]
    pq = pytest.importorskip("pyarrow.parquet")
    export(result, tmp_path / "s.parquet")
    assert pq.read_table(tmp_path / "s.parquet").to_pydict() == {"outlet": ["a.org", "b.org"], "items": [2, 1]}
