"""Statistics over the store: counts by outlet, time, language and by span labels (techniques,
narratives, entities, places), as one plain SQL GROUP BY, exported to CSV or Parquet.

Item dimensions come from ``items``; a span dimension joins ``spans`` of one layer, so a row
counts both the items and the spans (mentions) behind it. Two span dimensions at once would
count pairs of spans, not items, so only one is allowed per table.

A span dimension read with item dimensions and item filters (outlet, language, since, until)
is answered from ``span_stats`` (schema 4): per span value and cell of items — publication day,
outlet, language — the cell's items with such a span and their spans, kept by the writer per
item (:func:`count_item`). Each item lies in exactly one cell, so summing the cells of a group
gives the same distinct item counts as grouping every span, from far fewer rows. Technique and
narrative filters select items by their spans, which the cells do not know: those tables group
the spans themselves.
"""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from .queries import _filters, iso_date

ITEM_DIMENSIONS = {
    "outlet": "i.outlet",
    "language": "i.language",
    "year": "substr(i.published, 1, 4)",
    "month": "substr(i.published, 1, 7)",
    "day": "i.published",
}
# dimension → (layer, value expression); entities read the full pipeline's layer, names the light one
SPAN_DIMENSIONS = {
    "technique": (("techniques",), "s.label"),
    "narrative": (("narratives",), "s.label"),
    "entity": (("entities", "names"), "s.text"),
    "place": (("places",), "COALESCE(json_extract(s.attrs_json, '$.name'), s.text)"),
    "country": (("places",), "json_extract(s.attrs_json, '$.country')"),
}
DIMENSIONS = (*ITEM_DIMENSIONS, *SPAN_DIMENSIONS)
NEVER_MISSING = frozenset({"technique", "narrative", "entity", "place"})  # label / text are NOT NULL


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[Any, ...]] = field(default_factory=list)

    def to_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows]


def parse_by(value: str | Sequence[str]) -> tuple[str, ...]:
    """``"outlet,month"`` or a sequence as checked dimension names."""
    names = tuple(n.strip() for n in (value.split(",") if isinstance(value, str) else value) if n.strip())
    unknown = [n for n in names if n not in DIMENSIONS]
    if not names or unknown:
        raise InputError(f"unknown statistics dimension {', '.join(unknown) or '(none)'}; "
                         f"use one or more of {', '.join(DIMENSIONS)}")
    if sum(n in SPAN_DIMENSIONS for n in names) > 1:
        raise InputError("use at most one of " + ", ".join(SPAN_DIMENSIONS) + " per table")
    return names


def table(conn: sqlite3.Connection, by: str | Sequence[str] = ("outlet", "month"), *,
          limit: int | None = None, roll_up: bool = True, **filters: Any) -> Table:
    """Counts of items (and of spans, with a span dimension) per combination of ``by``.

    ``filters`` are those of :meth:`Store.search` (outlet, language, since, until, technique,
    narrative). Rows are ordered by the dimensions, missing values (no date, no outlet) last.
    ``roll_up=False`` groups the items and spans themselves even where a roll-up could answer
    (the reference the roll-ups are checked against).
    """
    names = parse_by(by)
    where, params = _filters(**filters)
    span_dim = next((n for n in names if n in SPAN_DIMENSIONS), None)
    expressions = [ITEM_DIMENSIONS.get(n) or SPAN_DIMENSIONS[n][1] for n in names]
    # Missing values last; a dimension that is never missing is ordered plainly, so that SQLite
    # can walk an index in that order and stop at the limit (place: partial index, schema 3).
    order = ", ".join(n if n in NEVER_MISSING else f"{n} IS NULL, {n}" for n in names)
    rolled = _roll_up(conn, names, filters) if span_dim and roll_up else None
    if rolled:
        # The cells are aliased ``i``: they have the items' columns the dimensions and filters name.
        cells, columns, where, params = rolled
        expressions = [columns.get(n, "i.value") for n in names]
        source = f"{cells} i WHERE i.dimension = '{span_dim}' AND {where}"
        measures = "sum(i.items) AS items, sum(i.spans) AS spans"
    elif span_dim:
        # Layer names are written into the SQL (this module's constants, not input) so that
        # SQLite can use the partial indexes on place spans.
        layer = _layer_condition(SPAN_DIMENSIONS[span_dim][0])
        if names == (span_dim,) and not params:  # nothing of the item is needed: spans alone
            source, measures = f"spans s WHERE {layer}", "count(DISTINCT s.item_id) AS items"
        else:
            source = f"items i JOIN spans s ON s.item_id = i.item_id AND {layer} WHERE {where}"
            measures = "count(DISTINCT i.item_id) AS items"
        measures += ", count(*) AS spans"
    elif roll_up and (by_month := _item_months(conn, names, filters)):
        columns, where, params = by_month
        expressions = [columns[n] for n in names]
        source, measures = f"item_stats_months i WHERE {where}", "sum(i.items) AS items"
    else:
        source, measures = f"items i WHERE {where}", "count(DISTINCT i.item_id) AS items"
    selects = ", ".join(f"{e} AS {n}" for e, n in zip(expressions, names))
    sql = f"SELECT {selects}, {measures} FROM {source} GROUP BY {', '.join(names)} ORDER BY {order}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    cursor = conn.execute(sql, params)
    return Table([d[0] for d in cursor.description], [tuple(r) for r in cursor])


def _layer_condition(layers: tuple[str, ...]) -> str:
    return f"s.layer = {layers[0]!r}" if len(layers) == 1 else f"s.layer IN ({','.join(map(repr, layers))})"


ROLLED_UP_FILTERS = frozenset({"outlet", "language", "since", "until"})  # the cells' own columns
# Coarser roll-ups, all outlets or all dates together, have a few rows per value: their columns
# for the item dimensions they answer (span_stats answers every item dimension).
MONTH_COLUMNS = {"year": "substr(i.month, 1, 4)", "month": "i.month"}
OUTLET_COLUMNS = {"outlet": "i.outlet"}


def _roll_up(conn: sqlite3.Connection, names: tuple[str, ...],
             filters: dict[str, Any]) -> tuple[str, dict[str, str], str, list[Any]] | None:
    """The coarsest roll-up that answers these dimensions and filters — its table, its columns
    for the item dimensions, condition and parameters — or None: group the spans (a technique or
    narrative filter, or a file of store schema 3 or earlier, without the roll-ups)."""
    given = {name: value for name, value in filters.items() if value}
    if set(given) - ROLLED_UP_FILTERS:
        return None
    has = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE name LIKE 'span_stats%'")}
    months = _whole_months(given)
    dims = set(names) - set(SPAN_DIMENSIONS)
    if dims <= set(MONTH_COLUMNS) and set(given) <= {"since", "until"} and months and "span_stats_months" in has:
        return ("span_stats_months", MONTH_COLUMNS, *months)
    if dims <= set(OUTLET_COLUMNS) and set(given) <= {"outlet"} and "span_stats_outlets" in has:
        return ("span_stats_outlets", OUTLET_COLUMNS, *_filters(outlet=given.get("outlet")))
    if "span_stats" in has:
        return ("span_stats", ITEM_DIMENSIONS, *_filters(**filters))
    return None


def _whole_months(given: dict[str, Any]) -> tuple[str, list[str]] | None:
    """The condition on ``i.month`` equal to the since/until filters when they bound whole
    months (since the 1st, until the last day), else None."""
    since, until = (iso_date(str(given[k])) if k in given else None for k in ("since", "until"))
    if (since is None) == ("since" in given) or (until is None) == ("until" in given):
        return None  # absent (fine) would read as given; not an ISO date: the items' query says so
    if not ((since or "-01").endswith("-01") and (until is None or _last_of_month(until))):
        return None
    clauses = [f"i.month {op} ?" for op, day in ((">=", since), ("<=", until)) if day]
    return " AND ".join(["1", *clauses]), [d[:7] for d in (since, until) if d]


# item_stats_months: items per month, outlet and language (no span dimension)
ITEM_MONTH_COLUMNS = {"outlet": "i.outlet", "language": "i.language", **MONTH_COLUMNS}


def _item_months(conn: sqlite3.Connection, names: tuple[str, ...],
                 filters: dict[str, Any]) -> tuple[dict[str, str], str, list[Any]] | None:
    """Item dimensions read from ``item_stats_months`` when it answers them and the filters."""
    given = {name: value for name, value in filters.items() if value}
    months = _whole_months(given)
    if not set(names) <= set(ITEM_MONTH_COLUMNS) or set(given) - ROLLED_UP_FILTERS or months is None:
        return None
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'item_stats_months'").fetchone() is None:
        return None
    where, params = _filters(outlet=given.get("outlet"), language=given.get("language"))
    return ITEM_MONTH_COLUMNS, f"{where} AND {months[0]}", [*params, *months[1]]


def _last_of_month(day: str) -> bool:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=1)).day == 1


def _span_values(where: str) -> str:
    """``dimension, value, item_id`` of every span of every span dimension matching ``where``."""
    return " UNION ALL ".join(
        f"SELECT '{name}' AS dimension, {value} AS value, s.item_id AS item_id FROM spans s "
        f"WHERE {_layer_condition(layers)} AND {where}" for name, (layers, value) in SPAN_DIMENSIONS.items())


# Each roll-up: its table and the columns of its cell after dimension and value.
ROLL_UPS = (("span_stats", ("published", "outlet", "language")), ("span_stats_months", ("month",)),
            ("span_stats_outlets", ("outlet",)))


def count_item(conn: sqlite3.Connection, item_id: int, sign: int = 1, *, new: bool = False) -> None:
    """Add an item's spans to the roll-ups (``sign`` 1, after its spans are written) or take
    them out (-1, before they change), and a ``new`` item to ``item_stats_months`` (an item's
    metadata never changes); inside the writer's transaction."""
    published, outlet, language = conn.execute(
        "SELECT published, outlet, language FROM items WHERE item_id = ?", (item_id,)).fetchone()
    if new:
        cell = (published and published[:7], outlet, language)
        if not conn.execute("UPDATE item_stats_months SET items = items + 1 WHERE month IS ? AND outlet IS ? "
                            "AND language IS ?", cell).rowcount:
            conn.execute("INSERT INTO item_stats_months VALUES (?, ?, ?, 1)", cell)
    cells = {"span_stats": (published, outlet, language), "span_stats_months": (published and published[:7],),
             "span_stats_outlets": (outlet,)}
    counted = conn.execute(f"SELECT dimension, value, count(*) FROM ({_span_values('s.item_id = :item')}) "
                           "GROUP BY dimension, value", {"item": item_id}).fetchall()
    for cells_table, columns in ROLL_UPS:
        key_sql = " AND ".join(f"{c} IS ?" for c in ("value", *columns))
        for dimension, value, spans in counted:
            key = (dimension, value, *cells[cells_table])
            updated = conn.execute(f"UPDATE {cells_table} SET items = items + ?, spans = spans + ? "
                                   f"WHERE dimension = ? AND {key_sql}", (sign, sign * spans, *key)).rowcount
            if not updated and sign > 0:
                conn.execute(f"INSERT INTO {cells_table} VALUES ({_marks(key)}, 1, ?)", (*key, spans))
            elif sign < 0:
                conn.execute(f"DELETE FROM {cells_table} WHERE dimension = ? AND {key_sql} AND items <= 0", key)


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


def rebuild(conn: sqlite3.Connection) -> None:
    """Recount the roll-ups from every span (after rows were written around the writer)."""
    conn.execute("DELETE FROM span_stats")
    conn.execute(
        "INSERT INTO span_stats SELECT v.dimension, v.value, i.published, i.outlet, i.language, "
        f"count(DISTINCT i.item_id), count(*) FROM ({_span_values('1')}) v JOIN items i ON i.item_id = v.item_id "
        "GROUP BY v.dimension, v.value, i.published, i.outlet, i.language")
    conn.execute("DELETE FROM item_stats_months")
    conn.execute(ITEMS_BY_MONTH)
    # Each item lies in one cell of span_stats, so a coarser cell sums those it covers.
    for cells_table, (column,) in ROLL_UPS[1:]:
        value = "substr(published, 1, 7)" if column == "month" else column
        conn.execute(f"DELETE FROM {cells_table}")
        conn.execute(f"INSERT INTO {cells_table} SELECT dimension, value, {value}, sum(items), sum(spans) "
                     f"FROM span_stats GROUP BY dimension, value, {value}")


def export(result: Table, path: Path) -> None:
    """Write a table as CSV, or as Parquet when the path ends in .parquet (needs pyarrow)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".parquet":
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise InputError("Parquet export needs pyarrow: pip install 'newsforensics[parquet]' "
                             "(or write .csv)") from None
        columns = {c: [row[i] for row in result.rows] for i, c in enumerate(result.columns)}
        pq.write_table(pa.table(columns), path)
        return
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(result.columns)
        writer.writerows(result.rows)


ITEMS_BY_MONTH = ("INSERT INTO item_stats_months SELECT substr(published, 1, 7), outlet, language, count(*) "
                  "FROM items GROUP BY substr(published, 1, 7), outlet, language")
