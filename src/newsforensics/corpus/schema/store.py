"""The store's own tables: items, their dossiers, spans, full-text search, raw records seen,
each item's stage runs and the index steps' algorithm versions."""

# Migration i brings the file from user_version i to i + 1 (see the package docstring).
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE items (
        item_id          INTEGER PRIMARY KEY,
        content_hash     TEXT NOT NULL UNIQUE,
        url              TEXT,
        outlet           TEXT,
        language         TEXT,
        published        TEXT,          -- ISO date YYYY-MM-DD, NULL when unknown
        published_source TEXT,
        title            TEXT,
        source           TEXT,          -- file and record locator it was read from
        profile          TEXT,          -- the analysis profile that produced the dossier
        chars            INTEGER NOT NULL,
        ingested_at      TEXT NOT NULL,
        dossier          BLOB NOT NULL  -- empty from schema version 3 on: see the table dossiers
    );
    CREATE INDEX items_outlet ON items(outlet, published);
    CREATE INDEX items_published ON items(published);
    CREATE INDEX items_language ON items(language);
    CREATE TABLE spans (
        item_id    INTEGER NOT NULL REFERENCES items(item_id) ON DELETE CASCADE,
        layer      TEXT NOT NULL,
        span_id    TEXT NOT NULL,
        start      INTEGER NOT NULL,
        "end"      INTEGER NOT NULL,
        label      TEXT NOT NULL,
        score      REAL,
        stage      TEXT,
        text       TEXT NOT NULL,
        attrs_json TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (item_id, layer, span_id)
    ) WITHOUT ROWID;
    CREATE INDEX spans_layer_label ON spans(layer, label, item_id);
    CREATE VIRTUAL TABLE items_fts USING fts5(
        title, text, tokenize = 'unicode61 remove_diacritics 2'
    );
    -- Raw records already ingested (hash of the record's bytes and hints), so a resumed
    -- ingest skips them before any analysis.
    CREATE TABLE records (
        record_hash TEXT PRIMARY KEY,
        item_id     INTEGER,
        source      TEXT
    ) WITHOUT ROWID;
    """,
    """
    -- Each item's stage runs (name, version, model, status), written with the item: what a
    -- changed stage must recompute is a query (newsforensics reanalyse --stage X).
    CREATE TABLE item_stages (
        item_id INTEGER NOT NULL REFERENCES items(item_id) ON DELETE CASCADE,
        stage   TEXT NOT NULL,
        version TEXT NOT NULL,
        model   TEXT,
        status  TEXT NOT NULL,
        PRIMARY KEY (item_id, stage)
    ) WITHOUT ROWID;
    CREATE INDEX item_stages_stage ON item_stages(stage, version, item_id);
    -- The version of each index step that built the step's tables.
    CREATE TABLE step_versions (
        step    TEXT PRIMARY KEY,
        version TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    """
    -- Dossiers apart from the item rows: an item row is ~200 bytes instead of ~15 kB, so the
    -- joins, filters and scans of every read path touch a few pages, not the whole file.
    CREATE TABLE dossiers (
        item_id INTEGER PRIMARY KEY REFERENCES items(item_id) ON DELETE CASCADE,
        dossier BLOB NOT NULL           -- zlib(JSON of serialize.to_dict)
    );
    INSERT INTO dossiers SELECT item_id, dossier FROM items;
    UPDATE items SET dossier = x'';     -- the column stays (older SQLite cannot drop it), empty
    -- The newest-first listing, and place statistics without reading every span's JSON.
    CREATE INDEX items_newest ON items(published IS NULL, published DESC, item_id DESC);
    CREATE INDEX spans_place_name ON spans(layer, COALESCE(json_extract(attrs_json, '$.name'), text), item_id)
        WHERE layer = 'places';
    CREATE INDEX spans_place_country ON spans(layer, json_extract(attrs_json, '$.country'), item_id)
        WHERE layer = 'places';
    """,
    """
    -- Span statistics rolled up per item dimensions (corpus/stats.py): one row per span
    -- dimension, value and cell of items (publication day, outlet, language) with the items of
    -- the cell that have such a span and their spans. The writer keeps it up to date per item;
    -- statistics crossing a span dimension with item dimensions group these rows, not every span.
    CREATE TABLE span_stats (
        dimension TEXT NOT NULL,          -- technique | narrative | entity | place | country
        value,                            -- untyped: exactly what the span expression gives
        published TEXT, outlet TEXT, language TEXT,
        items     INTEGER NOT NULL,
        spans     INTEGER NOT NULL
    );
    CREATE INDEX span_stats_cell ON span_stats(dimension, value, published, outlet, language, items, spans);
    INSERT INTO span_stats
        SELECT v.dimension, v.value, i.published, i.outlet, i.language, count(DISTINCT i.item_id), count(*)
        FROM (SELECT 'technique' AS dimension, s.label AS value, s.item_id FROM spans s WHERE s.layer = 'techniques'
              UNION ALL SELECT 'narrative', s.label, s.item_id FROM spans s WHERE s.layer = 'narratives'
              UNION ALL SELECT 'entity', s.text, s.item_id FROM spans s WHERE s.layer IN ('entities', 'names')
              UNION ALL SELECT 'place', COALESCE(json_extract(s.attrs_json, '$.name'), s.text), s.item_id
                        FROM spans s WHERE s.layer = 'places'
              UNION ALL SELECT 'country', json_extract(s.attrs_json, '$.country'), s.item_id
                        FROM spans s WHERE s.layer = 'places') v
        JOIN items i ON i.item_id = v.item_id
        GROUP BY v.dimension, v.value, i.published, i.outlet, i.language;
    """,
    """
    -- The span statistics of each month, all outlets and languages together, and of each outlet,
    -- all dates and languages together (corpus/stats.py): a span dimension by year, month or
    -- outlet reads a few rows per value.
    CREATE TABLE span_stats_months (
        dimension TEXT NOT NULL,
        value,
        month     TEXT,                   -- YYYY-MM, NULL for undated items
        items     INTEGER NOT NULL,
        spans     INTEGER NOT NULL
    );
    CREATE INDEX span_stats_months_cell ON span_stats_months(dimension, value, month, items, spans);
    INSERT INTO span_stats_months SELECT dimension, value, substr(published, 1, 7), sum(items), sum(spans)
        FROM span_stats GROUP BY dimension, value, substr(published, 1, 7);
    CREATE TABLE span_stats_outlets (
        dimension TEXT NOT NULL,
        value,
        outlet    TEXT,
        items     INTEGER NOT NULL,
        spans     INTEGER NOT NULL
    );
    CREATE INDEX span_stats_outlets_cell ON span_stats_outlets(dimension, value, outlet, items, spans);
    INSERT INTO span_stats_outlets SELECT dimension, value, outlet, sum(items), sum(spans)
        FROM span_stats GROUP BY dimension, value, outlet;
    """,
    """
    -- Items per month, outlet and language (corpus/stats.py): item dimensions by month read
    -- a few rows per outlet instead of every item.
    CREATE TABLE item_stats_months (
        month    TEXT,                    -- YYYY-MM, NULL for undated items
        outlet   TEXT,
        language TEXT,
        items    INTEGER NOT NULL
    );
    CREATE INDEX item_stats_months_cell ON item_stats_months(month, outlet, language, items);
    INSERT INTO item_stats_months SELECT substr(published, 1, 7), outlet, language, count(*)
        FROM items GROUP BY substr(published, 1, 7), outlet, language;
    """,
)
