"""Which outlet published an item, how we know, and what licensed datasets say about it.

The order is the order of trust: the item's URL (or canonical URL), an outlet given as a
domain by the caller, then the page's fingerprint (seeded self-mentions and site names, and
the furniture a learned index has seen on the outlet's other items). A fingerprint answer is
given only with enough evidence and a clear lead over the alternatives; otherwise the outlet
is "unknown" and the evidence that was found is still shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ..document import Document
from .aliases import canonical_outlet, outlet_alias
from .config import settings
from .domains import normalise_host
from .fingerprint import Credit, Feature, FingerprintIndex, extract_features
from .profiles import Profile, lookup_profile

_MAX_ALTERNATIVES = 3
_MAX_EVIDENCE = 8


@dataclass(slots=True)
class Identification:
    outlet: str | None          # the outlet's canonical domain, when identified
    method: str                 # "url" | "canonical-url" | "given" | "fingerprint" | "unknown"
    confidence: float
    name: str | None = None     # the name the item gives itself (site name), if any
    evidence: list[dict[str, Any]] = field(default_factory=list)
    alternatives: list[dict[str, Any]] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    host: str | None = None     # the host the item came from, when it differs from the outlet

    def to_dict(self, profile: Profile | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "outlet": self.outlet, "host": self.host, "name": self.name, "method": self.method,
            "confidence": round(self.confidence, 3), "evidence": self.evidence,
            "alternatives": self.alternatives,
            "credits": [{"agency": c.agency, "domain": c.domain, "text": c.text, "where": c.where}
                        for c in self.credits],
        }
        if profile is not None:
            out["profile"] = profile.to_dict()
        return out


def _from_address(doc: Document) -> Identification | None:
    for method, value in (("url", doc.meta.url), ("canonical-url", doc.meta.canonical_url),
                          ("given", doc.meta.outlet)):
        host = normalise_host(value) if value and (method != "given" or "." in value) else None
        if host is not None:
            evidence = [{"kind": method, "text": value, "where": "item metadata"}]
            alias = outlet_alias(host)
            if alias is not None and alias.id != host:
                evidence.append({"kind": "alias", "text": f"{host} is {alias.name} ({alias.id})",
                                 "where": f"outlet_aliases.toml: {alias.source}"})
            return Identification(canonical_outlet(host), method, 1.0,
                                  doc.meta.site_name or (alias.name if alias else None), evidence,
                                  host=host if alias is not None and alias.id != host else None)
    return None


@dataclass(frozen=True, slots=True)
class Clues:
    """What identification reads of one document: its fingerprint, its agency credits, the
    answer of its address (URL, canonical URL, outlet given as a domain) and the name it gives
    itself. Gathered where the analysis runs; the corpus writer decides with its learned index."""

    features: list[Feature]
    credits: list[Credit]
    address: Identification | None
    name: str | None


def clues(doc: Document) -> Clues:
    features, credits = extract_features(doc)
    meta = doc.meta
    name = meta.site_name or (meta.outlet if meta.outlet and "." not in meta.outlet else None)
    return Clues(features, credits, _from_address(doc), name)


def identify(doc: Document, index: FingerprintIndex | None = None) -> Identification:
    """The outlet of one item (see the module docstring for the order)."""
    return decide(clues(doc), index)


def decide(found: Clues, index: FingerprintIndex | None = None) -> Identification:
    """The outlet from gathered clues: the address first, else the index's fingerprint ranking."""
    credits = list(found.credits)
    if found.address is not None:
        return replace(found.address, credits=credits)
    name = found.name
    scores, evidence = (index or FingerprintIndex()).rank(found.features)
    decision = settings().decision
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    total = sum(scores.values()) + decision["prior_mass"]
    alternatives = [{"outlet": o, "score": round(s, 3), "share": round(s / total, 3)}
                    for o, s in ranked[:_MAX_ALTERNATIVES + 1]]
    if ranked:
        best, score = ranked[0]
        share = score / total
        if score >= decision["min_score"] and share >= decision["min_share"]:
            top = sorted(evidence[best], key=lambda e: -e["weight"])[:_MAX_EVIDENCE]
            return Identification(canonical_outlet(best), "fingerprint", share, name, top, alternatives[1:],
                                  credits)
    shown = [e for outlet, _ in ranked[:_MAX_ALTERNATIVES] for e in evidence[outlet]][:_MAX_EVIDENCE]
    return Identification(None, "unknown", 0.0, name, shown, alternatives, credits)


def profile_for(found: Identification) -> Profile:
    """The profile of an identified outlet (its own host's ratings first); an empty, unknown
    one otherwise."""
    return lookup_profile(found.host or found.outlet)
