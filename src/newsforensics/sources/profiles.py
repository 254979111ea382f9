"""Source profiles: what licensed open datasets say about a domain, each value with provenance.

The table (``data/profiles.tsv.gz``) is built by ``scripts/build_source_profiles.py``; the
datasets, their licences and what each value means are in ``data/datasets.toml``. Nothing is
inferred or imputed here: a domain no dataset lists gets an empty, "unknown" profile, and a
state affiliation is only reported where a dataset labels the source so.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .aliases import outlet_alias
from .domains import lookup_keys

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
PROFILE_FILE = Path(str(resources.files(__package__).joinpath("data/profiles.tsv.gz")))


@dataclass(frozen=True, slots=True)
class Dataset:
    key: str
    column: str
    name: str
    measure: str
    citation: str
    url: str
    licence: str
    kind: str  # "score" | "label" | "labels"
    labels: dict[str, str] = field(default_factory=dict)
    low: float | None = None
    high: float | None = None
    state_label: str | None = None

    def provenance(self) -> dict[str, str]:
        return {"dataset": self.name, "citation": self.citation, "url": self.url, "licence": self.licence}


@dataclass(frozen=True, slots=True)
class Rating:
    """One dataset's value for the domain, as the dataset gives it."""

    dataset: Dataset
    value: str

    def to_dict(self) -> dict[str, Any]:
        d = self.dataset
        out: dict[str, Any] = {"dataset": d.key, "measure": d.measure}
        if d.kind == "score":
            out.update(value=float(self.value), scale=[d.low, d.high])
        elif d.kind == "label":
            out.update(value=self.value, label=d.labels.get(self.value, self.value))
        else:
            out.update(value=self.value.split(","))
        out["provenance"] = d.provenance()
        return out


@dataclass(frozen=True, slots=True)
class Profile:
    """The profile of one domain; ``matched`` is the key the table held (host or registrable)."""

    domain: str | None
    matched: str | None
    ratings: tuple[Rating, ...]
    listed_state: dict[str, Any] | None = None  # from the compiled state-media list (aliases)

    @property
    def known(self) -> bool:
        return bool(self.ratings)

    @property
    def state_affiliation(self) -> Rating | None:
        """The rating that labels the source state-affiliated, if a dataset does."""
        for r in self.ratings:
            if r.dataset.state_label and r.dataset.state_label in r.value.split(","):
                return r
        return None

    def to_dict(self) -> dict[str, Any]:
        state = self.state_affiliation
        return {
            "domain": self.domain,
            "matched": self.matched,
            "status": "known" if self.known or self.listed_state else "unknown",
            "ratings": [r.to_dict() for r in self.ratings],
            "state_affiliated": (
                {"value": True, "provenance": state.dataset.provenance()} if state else self.listed_state
            ),
        }


@lru_cache(maxsize=1)
def datasets() -> dict[str, Dataset]:
    raw = tomllib.loads(resources.files(__package__).joinpath("data/datasets.toml").read_text("utf-8"))
    out = {}
    for key, d in raw["dataset"].items():
        out[key] = Dataset(
            key=key, column=d["column"], name=d["name"], measure=d["measure"], citation=d["citation"],
            url=d["url"], licence=d["licence"], kind=d["kind"], labels=dict(d.get("labels", {})),
            low=d.get("low"), high=d.get("high"), state_label=d.get("state_label"),
        )
    return out


def columns() -> list[str]:
    """The table's value columns, in datasets.toml order."""
    return [d.column for d in datasets().values()]


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, ...]]:
    if not PROFILE_FILE.is_file():
        return {}
    with gzip.open(PROFILE_FILE, "rt", encoding="utf-8", newline="") as f:
        reader = csv.reader(io.StringIO(f.read()), delimiter="\t")
        header = next(reader)
        if header[1:] != columns():
            raise RuntimeError(f"{PROFILE_FILE} has columns {header[1:]}, datasets.toml {columns()}; "
                               f"rebuild it with scripts/build_source_profiles.py")
        return {row[0]: tuple(row[1:]) for row in reader}


def name_key(name: str) -> str:
    """A publication name or domain label folded for comparison: "Canada Free Press" and
    "canadafreepress" agree."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    # Hyphens are kept: "bbc-news.us" must not pass for "BBC News".
    return "".join(ch for ch in folded if ch.isalnum() or ch == "-")


@lru_cache(maxsize=1)
def _domains_by_label() -> dict[str, tuple[str, ...]]:
    """Rated domains by their folded name label ("canadafreepress" → canadafreepress.com);
    country second levels count as suffix ("bbc.co.uk" → "bbc")."""
    found: dict[str, list[str]] = {}
    for domain in _table():
        labels = domain.split(".")
        if len(labels) == 2 or (len(labels) == 3 and len(labels[1]) <= 3 and len(labels[2]) == 2):
            found.setdefault(name_key(labels[0]), []).append(domain)
    return {k: tuple(v) for k, v in found.items() if len(k) >= 3}


def domain_for_name(name: str) -> str | None:
    """The one rated domain a publication name spells ("Canada Free Press" → canadafreepress.com,
    "Newsmax Media" → newsmax.com), or None when none or several do. The most literal spelling
    that matches anything decides, so "CBS News" is never cut down to some "cbs" domain when
    "cbsnews" exists."""
    from .config import settings

    key = name_key(_YEAR.sub("", name))
    variants = [key, key.removeprefix("the")]
    variants += [v.removesuffix(suffix) for v in list(variants) for suffix in settings().name_suffixes]
    for variant in dict.fromkeys(v for v in variants if len(v) >= 3):
        domains = _domains_by_label().get(variant, ())
        if domains:  # the most literal spelling decides; several domains: ambiguous, no answer
            return domains[0] if len(domains) == 1 else None
    return None


def lookup_profile(url_or_domain: str | None) -> Profile:
    """The profile of a URL's or domain's outlet: host first, then its registrable domain, then
    the outlet's other domains (an edition, mirror or rebrand shares its outlet's ratings)."""
    keys = lookup_keys(url_or_domain)
    alias = outlet_alias(keys[0]) if keys else None
    if alias is not None:
        keys += [d for d in (alias.id, *alias.domains) if d not in keys]
    state = alias.state_affiliation() if alias is not None else None
    table = _table()
    by_column = list(datasets().values())
    for key in keys:
        values = table.get(key)
        if values is not None:
            ratings = tuple(Rating(d, v) for d, v in zip(by_column, values, strict=True) if v)
            return Profile(keys[0], key, ratings, state)
    return Profile(keys[0] if keys else None, None, (), state)
