"""Statistics over the store: counts by outlet, time, language and by span labels (techniques,
narratives, entities, places), as one plain SQL GROUP BY, exported to CSV or Parquet.

Item dimensions come from ``items``; a span dimension joins ``spans`` of one layer, so a row
counts both the items and the spans (mentions) behind it. Two span dimensions at once would
count pairs of spans, not items, so only one is allowed per table.
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
          limit: int | None = None, **filters: Any) -> Table:
    """Counts of items (and of spans, with a span dimension) per combination of ``by``.

    ``filters`` are those of :meth:`Store.search` (outlet, language, since, until, technique,
    narrative). Rows are ordered by the dimensions, missing values (no date, no outlet) last.
    """
    names = parse_by(by)
    where, params = _filters(**filters)
    span_dim = next((n for n in names if n in SPAN_DIMENSIONS), None)
    expressions = [ITEM_DIMENSIONS.get(n) or SPAN_DIMENSIONS[n][1] for n in names]
    selects = ", ".join(f"{e} AS {n}" for e, n in zip(expressions, names))
    # Missing values last; a dimension that is never missing is ordered plainly, so that SQLite
    # can walk an index in that order and stop at the limit (place: partial index, schema 3).
    order = ", ".join(n if n in NEVER_MISSING else f"{n} IS NULL, {n}" for n in names)
    if span_dim:
        # Layer names are written into the SQL (this module's constants, not input) so that
        # SQLite can use the partial indexes on place spans.
        layers = SPAN_DIMENSIONS[span_dim][0]
        layer = f"s.layer = {layers[0]!r}" if len(layers) == 1 else f"s.layer IN ({','.join(map(repr, layers))})"
        if names == (span_dim,) and not params:  # nothing of the item is needed: spans alone
            source, measures = f"spans s WHERE {layer}", "count(DISTINCT s.item_id) AS items"
        else:
            source = f"items i JOIN spans s ON s.item_id = i.item_id AND {layer} WHERE {where}"
            measures = "count(DISTINCT i.item_id) AS items"
        measures += ", count(*) AS spans"
    else:
        source, measures = f"items i WHERE {where}", "count(DISTINCT i.item_id) AS items"
    sql = f"SELECT {selects}, {measures} FROM {source} GROUP BY {', '.join(names)} ORDER BY {order}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    cursor = conn.execute(sql, params)
    return Table([d[0] for d in cursor.description], [tuple(r) for r in cursor])


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
