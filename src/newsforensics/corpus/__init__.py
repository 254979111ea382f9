"""Corpus forensics: the SQLite store, ingest at scale, copies, stories, statistics."""
