"""One outlet behind many domains, and its state affiliation (``data/outlet_aliases.toml``).

A language edition on a sub-domain (``deutsch.rt.com``), a mirror set up after a block
(``rtde.tech``) or a rebrand (``sputnikglobe.com``) is the same outlet: profiles, fingerprints
and the corpus must count it once. A host resolves through itself and its parent domains, so
every sub-domain of a listed domain is covered without being listed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any


@dataclass(frozen=True, slots=True)
class OutletAlias:
    id: str                       # the canonical domain (the one rating datasets use)
    name: str
    domains: tuple[str, ...]
    note: str | None
    source: str
    state: dict[str, str] | None  # country, kind, owner, source

    def state_affiliation(self) -> dict[str, Any] | None:
        """The state affiliation with the list's provenance, or None when none is compiled."""
        if self.state is None:
            return None
        meta = _data()["meta"]
        return {"value": True, **self.state, "provenance": {
            "dataset": "outlet_aliases.toml (state media compiled from Wikipedia / Wikidata)",
            "citation": "; ".join(meta["sources"]), "licence": meta["licence"],
            "compiled": meta["compiled"],
        }}


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return tomllib.loads(resources.files(__package__).joinpath("data/outlet_aliases.toml").read_text("utf-8"))


@lru_cache(maxsize=1)
def _by_domain() -> dict[str, OutletAlias]:
    out: dict[str, OutletAlias] = {}
    for o in _data()["outlet"]:
        alias = OutletAlias(o["id"], o["name"], tuple(o["domains"]), o.get("note"), o["source"], o.get("state"))
        for domain in alias.domains:
            if domain in out:
                raise ValueError(f"outlet_aliases.toml lists {domain} under {out[domain].name} and {alias.name}")
            out[domain] = alias
    return out


def alias_names() -> list[str]:
    """The names of the listed outlets ("RT", "Sputnik", "TASS")."""
    return [o["name"] for o in _data()["outlet"]]


def outlet_alias(host: str | None) -> OutletAlias | None:
    """The outlet a normalised host belongs to: the host or its nearest listed parent domain."""
    if not host:
        return None
    labels = host.lower().split(".")
    table = _by_domain()
    for i in range(len(labels) - 1):
        alias = table.get(".".join(labels[i:]))
        if alias is not None:
            return alias
    return None


def canonical_outlet(host: str | None) -> str | None:
    """The canonical domain of a host's outlet (the host itself when no alias is listed)."""
    alias = outlet_alias(host)
    return alias.id if alias is not None else host
