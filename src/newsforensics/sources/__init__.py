"""What the source is: the outlet behind an item (from its URL, or from the page's own
fingerprint when the URL is missing) and its reliability profile from licensed open datasets.

- ``domains``: host and registrable-domain normalisation (courlan's bundled suffix list, offline)
- ``profiles``: the shipped profile table and its provenance; "unknown" is a valid answer
- ``fingerprint``: page-furniture features (boilerplate lines, bylines, credits, site names,
  self-mentions) and the index that learns which outlet they belong to
- ``identify``: the one decision: URL first, then declared names, then the fingerprint
"""

from .profiles import Profile, lookup_profile

__all__ = ["Profile", "lookup_profile"]
