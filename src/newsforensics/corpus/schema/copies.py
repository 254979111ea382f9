"""The republication index: each item's MinHash signature, the copy pairs and chains, and the
LSH bands on disk (corpus/republication.py)."""

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE IF NOT EXISTS copy_signatures (
        item_id   INTEGER PRIMARY KEY REFERENCES items(item_id) ON DELETE CASCADE,
        shingles  INTEGER NOT NULL,
        signature BLOB NOT NULL
    );
    CREATE TABLE IF NOT EXISTS copy_pairs (
        original_id INTEGER NOT NULL REFERENCES items(item_id) ON DELETE CASCADE,
        copy_id     INTEGER NOT NULL REFERENCES items(item_id) ON DELETE CASCADE,
        share       REAL NOT NULL,     -- of the shorter text, found in the other
        jaccard     REAL NOT NULL,
        kind        TEXT NOT NULL,     -- verbatim | rewritten
        direction   TEXT NOT NULL,     -- dated | same-day | undated (original_id is then the earlier stored)
        PRIMARY KEY (original_id, copy_id)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS copy_pairs_copy ON copy_pairs(copy_id);
    CREATE INDEX IF NOT EXISTS copy_pairs_share ON copy_pairs(share DESC, original_id, copy_id);  -- strongest first
    CREATE TABLE IF NOT EXISTS copy_chains (
        item_id  INTEGER PRIMARY KEY REFERENCES items(item_id) ON DELETE CASCADE,
        chain_id INTEGER NOT NULL      -- the smallest item_id of the chain
    );
    CREATE INDEX IF NOT EXISTS copy_chains_chain ON copy_chains(chain_id);
    -- The LSH index on disk: one 64-bit key per band of each signature; items sharing a key in any
    -- band are candidates (lsh_bands: the banding datasketch's MinHashLSH chooses for the threshold).
    CREATE TABLE IF NOT EXISTS copy_bands (
        band    INTEGER NOT NULL,
        key     INTEGER NOT NULL,
        item_id INTEGER NOT NULL REFERENCES items(item_id) ON DELETE CASCADE,
        PRIMARY KEY (band, key, item_id)
    ) WITHOUT ROWID;
    """,
)
