"""Claims against the rest of the corpus: who else reports them, who independently, who denies.

- ``denials``: the within-article denial/refutation detector (cues in ``data/denials.toml``,
  several languages, on top of the quotes stage's denial-semantics attributions)
- ``index``: the corpus step that stores each item's claims and denials with embeddings
- ``status``: per-claim status across the corpus (single-source / corroborated / denied),
  each with its evidence
"""
