"""Imported fact-checks and their claim/title vectors (``newsforensics factchecks import``;
factchecks/store.py)."""

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE IF NOT EXISTS factchecks (
        id          TEXT PRIMARY KEY,
        claim       TEXT NOT NULL,
        title       TEXT NOT NULL DEFAULT '',
        subtitle    TEXT NOT NULL DEFAULT '',
        text        TEXT NOT NULL DEFAULT '',
        verdict     TEXT,
        url         TEXT,
        claimant    TEXT,
        published   TEXT,
        publisher   TEXT,
        language    TEXT,
        source      TEXT,
        extra_json  TEXT NOT NULL DEFAULT '{}',
        imported_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS factcheck_vectors (
        id     TEXT PRIMARY KEY REFERENCES factchecks(id) ON DELETE CASCADE,
        model  TEXT NOT NULL,
        claim  BLOB NOT NULL,   -- float32 x EMBEDDING_DIM, unit length
        title  BLOB NOT NULL
    );
    """,
)
