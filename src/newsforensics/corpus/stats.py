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
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from .queries import _filters

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
    ``roll_up=False`` groups the spans themselves even where ``span_stats`` could answer (the
    reference the roll-up is checked against).
    """
    names = parse_by(by)
    where, params = _filters(**filters)
    span_dim = next((n for n in names if n in SPAN_DIMENSIONS), None)
    expressions = [ITEM_DIMENSIONS.get(n) or SPAN_DIMENSIONS[n][1] for n in names]
    # Missing values last; a dimension that is never missing is ordered plainly, so that SQLite
    # can walk an index in that order and stop at the limit (place: partial index, schema 3).
    order = ", ".join(n if n in NEVER_MISSING else f"{n} IS NULL, {n}" for n in names)
    if span_dim and roll_up and _rolled_up(conn, filters):
        # The cells of span_stats are aliased ``i``: they have the items' columns the item
        # dimensions and filters name (published, outlet, language).
        expressions[names.index(span_dim)] = "i.value"
        source = f"span_stats i WHERE i.dimension = '{span_dim}' AND {where}"
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


def _rolled_up(conn: sqlite3.Connection, filters: dict[str, Any]) -> bool:
    """Whether ``span_stats`` answers a span dimension under these filters (and the file has it:
    a connection to a file of schema 3 or earlier groups the spans)."""
    if any(value for name, value in filters.items() if name not in ROLLED_UP_FILTERS):
        return False
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'span_stats'").fetchone() is not None


def _span_values(where: str) -> str:
    """``dimension, value, item_id`` of every span of every span dimension matching ``where``."""
    return " UNION ALL ".join(
        f"SELECT '{name}' AS dimension, {value} AS value, s.item_id AS item_id FROM spans s "
        f"WHERE {_layer_condition(layers)} AND {where}" for name, (layers, value) in SPAN_DIMENSIONS.items())


def count_item(conn: sqlite3.Connection, item_id: int, sign: int = 1) -> None:
    """Add an item's spans to ``span_stats`` (``sign`` 1, after its spans are written) or take
    them out (-1, before they change); inside the writer's transaction."""
    cell = conn.execute("SELECT published, outlet, language FROM items WHERE item_id = ?", (item_id,)).fetchone()
    counted = conn.execute(f"SELECT dimension, value, count(*) FROM ({_span_values('s.item_id = :item')}) "
                           "GROUP BY dimension, value", {"item": item_id}).fetchall()
    for dimension, value, spans in counted:
        key = (dimension, value, *cell)
        updated = conn.execute(
            "UPDATE span_stats SET items = items + ?, spans = spans + ? WHERE dimension = ? AND value IS ? "
            "AND published IS ? AND outlet IS ? AND language IS ?", (sign, sign * spans, *key)).rowcount
        if not updated and sign > 0:
            conn.execute("INSERT INTO span_stats VALUES (?, ?, ?, ?, ?, 1, ?)", (*key, spans))
        elif sign < 0:
            conn.execute("DELETE FROM span_stats WHERE dimension = ? AND value IS ? AND published IS ? "
                         "AND outlet IS ? AND language IS ? AND items <= 0", key)


def rebuild(conn: sqlite3.Connection) -> None:
    """Recount ``span_stats`` from every span (after rows were written around the writer)."""
    conn.execute("DELETE FROM span_stats")
    conn.execute(
        "INSERT INTO span_stats SELECT v.dimension, v.value, i.published, i.outlet, i.language, "
        f"count(DISTINCT i.item_id), count(*) FROM ({_span_values('1')}) v JOIN items i ON i.item_id = v.item_id "
        "GROUP BY v.dimension, v.value, i.published, i.outlet, i.language")


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
