"""The learned outlet fingerprints and each item's identified outlet (sources/step.py)."""

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE IF NOT EXISTS source_fingerprints (
        feature TEXT NOT NULL,
        outlet  TEXT NOT NULL,
        items   INTEGER NOT NULL,
        PRIMARY KEY (feature, outlet)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS item_sources (
        item_id    INTEGER PRIMARY KEY REFERENCES items(item_id) ON DELETE CASCADE,
        outlet     TEXT,
        method     TEXT NOT NULL,
        confidence REAL NOT NULL,
        evidence   TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX IF NOT EXISTS item_sources_outlet ON item_sources(outlet);
    """,
)
