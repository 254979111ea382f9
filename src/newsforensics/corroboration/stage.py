"""The ``denials`` stage: denials and refutations in the article, and the claims they deny.

The finding is in :mod:`newsforensics.corroboration.denials`. Layer: ``denials`` (labels
denial | refutation; attributes: denier, cue, the denied proposition, target claim ids). View:
``claim_status``, each claim's status within the article, so a dossier analysed without a corpus
still shows what the article itself says is denied.
"""

from __future__ import annotations

from typing import Any

from ..corroboration.denials import claim_statuses, denial_spans, lexicon
from ..document import Document
from ..pipeline import BaseStage, register
from ..views import view


@register("denials")
class DenialsStage(BaseStage):
    """Adds ``denials`` from the sentences, quotes, voice and claims layers."""

    version = "1"
    requires = ("sentences", "quotes", "voice", "claims")
    provides = ("denials",)
    languages = tuple(lexicon().cues)  # the languages of data/denials.toml; others are said

    def __call__(self, doc: Document) -> None:
        if doc.text.strip():
            doc.add("denials", denial_spans(doc, self.name))


@view("claim_status")
def claim_status_view(doc: Document) -> list[dict[str, Any]]:
    return claim_statuses(doc) if "denials" in doc.layers else []
