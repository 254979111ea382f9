"""Attribution: who said what in a news article, read off the shared spaCy parse.

The ``quotes`` stage (``attribution/stage.py``) runs these pieces in order:

- ``lexicon``      the reporting cues, speaker words and headline patterns (``data/attribution.toml``)
- ``quote_marks``  direct-quote boundaries from quotation marks, without a parse
- ``model``        the parsed ``Article`` the finders read and the ``Attribution`` they produce
- ``phrases``      noun phrases around a cue on the parse (subject, before, after, appositions)
- ``cues``         which tokens are reporting cues, and the speaker phrase each one names
- ``direct``       direct quotes framed by their cue and speaker
- ``reported``     reported speech ("X warned that", "according to X", "X as saying")
- ``headline``     headline attribution ("…: Russian MoD")
- ``speakers``     speaker phrases resolved to people and collectives across the article
"""
