"""One earlier fact-check, whatever format it was imported from."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class FactCheck:
    """A claim that someone already verified, with the verdict and where to read it.

    ``claim`` is the checked statement itself (ClaimReview ``claimReviewed``, a CheckThat
    ``vclaim``); ``title`` and ``text`` are the fact-check article's headline and body when the
    source gives them. Only ``id`` and ``claim`` are required: a plain claim list has nothing else.
    """

    id: str
    claim: str
    title: str = ""
    subtitle: str = ""
    text: str = ""
    verdict: str | None = None
    url: str | None = None
    claimant: str | None = None
    published: str | None = None
    publisher: str | None = None
    language: str | None = None
    source: str | None = None  # the file it was imported from
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
