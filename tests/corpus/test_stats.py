"""Statistics: counts by item and span dimensions, filters, CSV and Parquet export."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from newsforensics.corpus.stats import ITEM_DIMENSIONS, SPAN_DIMENSIONS, export, parse_by, table
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


def _varied(store: Store) -> None:
    """Items over outlets, days (one undated, one without outlet) and languages whose places
    have names, countries or none, and whose entities and techniques repeat within an item."""
    cells = [("a.org", "2019-03-05", "en"), ("a.org", "2019-03-05", "en"), ("a.org", "2019-04-01", "en"),
             ("b.org", "2020-01-02", "fr"), ("b.org", None, "fr"), (None, "2019-03-05", None)]
    places = [("Idlib", {"name": "Idlib", "country": "SY"}), ("Kyiv", {"name": "Kyiv", "country": "UA"}),
              ("Somewhere", {}), ("Aleppo", {"name": "Aleppo", "country": "SY"})]
    for n, (outlet, published, language) in enumerate(cells):
        text = f"Item {n}: a savage attack. Idlib Kyiv Somewhere Aleppo. Jane Doe met Jane Doe and Acme."
        doc = make_doc(text, outlet=outlet, published=published, language=language,
                       techniques=(("savage", LOADED),) * (1 + n % 2))
        doc.add("places", [doc.span(text.index(w), text.index(w) + len(w), "LOC", stage="places", **attrs)
                           for w, attrs in places[n % 3: n % 3 + 2]])
        doc.add("entities", [doc.span(text.index(w), text.index(w) + len(w), "PERSON", stage="entities")
                             for w in ("Jane Doe", "Acme")[: 1 + n % 2]])
        store.add(doc)


DIMENSION_SETS = [(span,) for span in SPAN_DIMENSIONS] + [
    (item, span) for item in ITEM_DIMENSIONS for span in SPAN_DIMENSIONS] + [
    ("outlet", "country", "year"), ("language", "month", "place"),
    ("outlet", "month"), ("year",), ("language", "month"), ("outlet",), ("day",)]
FILTER_SETS = [{}, {"outlet": "a.org"}, {"since": "2019-03-06"}, {"until": "2019-12-31", "language": "en"},
               {"technique": LOADED}, {"since": "2019-04-01"}, {"since": "2019-03-01", "until": "2019-03-31"},
               {"until": "2019-12-31"}]


def test_rolled_up_statistics_equal_grouping_every_span(tmp_path: Path) -> None:
    from newsforensics.corpus import stats

    with Store(tmp_path / "c.db", steps=[]) as store:
        _varied(store)
        checked = 0
        for by in DIMENSION_SETS:
            for filters in FILTER_SETS:
                for limit in (None, 2):
                    rolled = table(store.conn, by, limit=limit, **filters)
                    spans = table(store.conn, by, limit=limit, roll_up=False, **filters)
                    assert rolled.columns == spans.columns and rolled.rows == spans.rows, (by, filters, limit)
                    checked += bool(spans.rows)
        assert checked > 100 and store.conn.execute("SELECT count(*) FROM span_stats").fetchone()[0] > 20
        picked = {by: stats._roll_up(store.conn, by, filters)[0] for by, filters in (
            (("country", "year"), {"since": "2019-03-01"}), (("outlet", "country"), {}),
            (("country",), {"since": "2019-03-02"}), (("place",), {"language": "en"}))}
        assert list(picked.values()) == ["span_stats_months", "span_stats_outlets", "span_stats", "span_stats"]
        assert stats._roll_up(store.conn, ("place",), {"technique": LOADED}) is None
        assert stats._item_months(store.conn, ("outlet", "month"), {"since": "2019-03-01"})
        assert stats._item_months(store.conn, ("outlet", "month"), {"since": "2019-03-02"}) is None
        for by in ("outlet,month", "country,year"):  # a bad date is an error, never an ignored filter
            with pytest.raises(InputError, match="not an ISO date"):
                table(store.conn, by, since="March")
        country_year = table(store.conn, "country,year").to_dicts()
        assert {"country": "SY", "year": "2019", "items": 3, "spans": 3} in country_year


def test_the_roll_up_follows_reanalysis_and_a_migration_fills_it(tmp_path: Path) -> None:
    from newsforensics.corpus import schema, stats

    with Store(tmp_path / "c.db", steps=[]) as store:
        _varied(store)
        conn = store.conn
        doc = store.document(2)
        doc.layers["places"] = doc.layers["places"][:1]
        with store.transaction():
            store.rewrite(2, doc, ("places",))
        cells = "SELECT * FROM span_stats ORDER BY dimension, value, published, outlet, language"
        months = "SELECT * FROM span_stats_months ORDER BY dimension, value, month"
        outlets = "SELECT * FROM span_stats_outlets ORDER BY dimension, value, outlet"
        items = "SELECT * FROM item_stats_months ORDER BY month, outlet, language"
        kept = {q: [tuple(r) for r in conn.execute(q)] for q in (cells, months, outlets, items)}
        stats.rebuild(conn)
        assert {q: [tuple(r) for r in conn.execute(q)] for q in kept} == kept
        # the migration's own SQL (a frozen copy of the dimensions) fills the same cells
        assert len(kept[months]) < len(kept[cells]) and len(kept[outlets]) < len(kept[cells])
        conn.executescript("DROP TABLE span_stats; DROP TABLE span_stats_months; DROP TABLE span_stats_outlets;"
                           "DROP TABLE item_stats_months;")
        conn.executescript("".join(schema.migrations(schema.STORE)[3:6]))
        assert {q: [tuple(r) for r in conn.execute(q)] for q in kept} == kept
