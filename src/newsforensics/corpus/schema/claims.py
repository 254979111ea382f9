"""The claim index: every stored claim and denial with its cues and embedding
(corroboration/index.py)."""

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE IF NOT EXISTS claim_reports (
        item_id    INTEGER NOT NULL REFERENCES items(item_id) ON DELETE CASCADE,
        claim_id   TEXT NOT NULL,
        text       TEXT NOT NULL,
        speaker    TEXT,              -- resolved speaker; NULL for the outlet's own voice
        score      REAL,              -- check-worthiness
        cues_json  TEXT NOT NULL,     -- {"places": [geonameid …], "numbers": ["200" …], "credits": [agency domain …]}
        embedding  BLOB NOT NULL,     -- float16 × 512 (models.multilingual), unit length
        PRIMARY KEY (item_id, claim_id)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS claim_denials (
        item_id     INTEGER NOT NULL REFERENCES items(item_id) ON DELETE CASCADE,
        denial_id   TEXT NOT NULL,
        n           INTEGER NOT NULL,  -- one row per denied proposition of the denial
        kind        TEXT NOT NULL,     -- denial | refutation
        denier      TEXT,
        cue         TEXT,
        sentence    TEXT NOT NULL,
        proposition TEXT NOT NULL,
        cues_json   TEXT NOT NULL,
        embedding   BLOB NOT NULL,
        PRIMARY KEY (item_id, denial_id, n)
    ) WITHOUT ROWID;
    """,
)
