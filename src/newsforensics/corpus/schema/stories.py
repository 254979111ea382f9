"""The story index: stories with their centroid and cues, and each item's story (corpus/stories.py)."""

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE IF NOT EXISTS stories (
        story_id  INTEGER PRIMARY KEY,
        first_day INTEGER, last_day INTEGER,   -- date ordinals, NULL when no item is dated
        n_items   INTEGER NOT NULL,
        embedded  INTEGER NOT NULL,
        centroid  BLOB,                        -- float32 × 512 (models.multilingual), unit length
        cues_json TEXT NOT NULL,               -- cue → count over the story's items
        languages TEXT NOT NULL                -- JSON list
    );
    CREATE TABLE IF NOT EXISTS story_items (
        item_id  INTEGER PRIMARY KEY REFERENCES items(item_id) ON DELETE CASCADE,
        story_id INTEGER NOT NULL,
        score    REAL,                         -- the score it joined with (NULL: it started the story)
        how      TEXT NOT NULL                 -- seed | copy | embedding+cues | cues
    );
    CREATE INDEX IF NOT EXISTS story_items_story ON story_items(story_id);
    CREATE INDEX IF NOT EXISTS stories_size ON stories(n_items DESC, story_id);  -- the list, largest first
    """,
)
