"""The sources package's data files, loaded once: thresholds and weights (``data/sources.toml``)
and the seeded outlet names (``data/outlets.toml``)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Outlet:
    domain: str
    names: tuple[str, ...]
    agency: bool
    furniture: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    shared_hosts: frozenset[str]
    weights: dict[str, float]
    fingerprint: dict[str, int]
    decision: dict[str, float]
    name_suffixes: tuple[str, ...]


@lru_cache(maxsize=1)
def settings() -> Settings:
    raw = tomllib.loads(resources.files(__package__).joinpath("data/sources.toml").read_text("utf-8"))
    fp = dict(raw["fingerprint"])
    weights = {k: float(v) for k, v in fp.pop("weights").items()}
    return Settings(frozenset(raw["domains"]["shared_hosts"]), weights,
                    {k: int(v) for k, v in fp.items()}, {k: float(v) for k, v in raw["decision"].items()},
                    tuple(raw["names"]["strip_suffixes"]))


@lru_cache(maxsize=1)
def seeded_outlets() -> tuple[Outlet, ...]:
    raw = tomllib.loads(resources.files(__package__).joinpath("data/outlets.toml").read_text("utf-8"))
    return tuple(Outlet(o["domain"], tuple(o["names"]), bool(o.get("agency", False)),
                        tuple(o.get("furniture", ()))) for o in raw["outlet"])


