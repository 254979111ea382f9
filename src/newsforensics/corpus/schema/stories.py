"""The story index: stories with their centroid and cues, and each item's story (corpus/stories.py)."""

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE IF NOT EXISTS stories (
        story_id  INTEGER PRIMARY KEY,
        first_day INTEGER, last_day INTEGER,   -- date ordinals, NULL when no item is dated
        n_items   INTEGER NOT NULL,
        embedded  INTEGER NOT NULL,
        centroid  BLOB,                        -- float32 × 512 (models.multilingual), unit length
        cues_json TEXT NOT NULL,               -- '{}' from version 2 on: see story_cues
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
    """
    -- The story index on disk (it was rebuilt in the writer's memory from cues_json): each
    -- story's cue weights, each cue's weight over the corpus and posting (the stories most
    -- recently appended to it, at most stories.POSTING_LIMIT), the weeks each story spans
    -- (-1: undated). A weight is the sum of the cue's weight (stories.CUE_WEIGHTS) over items.
    CREATE TABLE story_cues (
        story_id INTEGER NOT NULL,
        cue      TEXT NOT NULL,
        weight   REAL NOT NULL,                -- over the story's items with the cue
        PRIMARY KEY (story_id, cue)
    ) WITHOUT ROWID;
    INSERT INTO story_cues SELECT s.story_id, j.key, j.value FROM stories s, json_each(s.cues_json) j;
    CREATE TABLE story_postings (
        cue      TEXT NOT NULL,
        story_id INTEGER NOT NULL,
        seq      INTEGER NOT NULL,             -- append order, over all postings
        PRIMARY KEY (cue, story_id)
    ) WITHOUT ROWID;
    CREATE INDEX story_postings_seq ON story_postings(cue, seq);
    INSERT INTO story_postings SELECT cue, story_id, story_id FROM (SELECT cue, story_id,
        row_number() OVER (PARTITION BY cue ORDER BY story_id DESC) AS recent FROM story_cues) WHERE recent <= 256;
    CREATE TABLE story_cue_items (
        cue    TEXT PRIMARY KEY,
        weight REAL NOT NULL,                  -- over the store's items with the cue
        posted INTEGER NOT NULL                -- stories in its posting
    ) WITHOUT ROWID;
    INSERT INTO story_cue_items SELECT c.cue, sum(c.weight), (SELECT count(*) FROM story_postings p WHERE p.cue = c.cue)
        FROM story_cues c GROUP BY c.cue;
    CREATE TABLE story_weeks (
        week     INTEGER NOT NULL,             -- date ordinal // 7
        story_id INTEGER NOT NULL,
        PRIMARY KEY (week, story_id)
    ) WITHOUT ROWID;
    INSERT INTO story_weeks WITH RECURSIVE span(week, last, story_id) AS (
            SELECT first_day / 7, last_day / 7, story_id FROM stories WHERE first_day IS NOT NULL
            UNION ALL SELECT week + 1, last, story_id FROM span WHERE week < last)
        SELECT week, story_id FROM span UNION ALL SELECT -1, story_id FROM stories WHERE first_day IS NULL;
    UPDATE stories SET cues_json = '{}';
    """,
)
