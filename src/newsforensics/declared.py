"""Things located by a data file: a name, the module that registers it, imported on demand.

Views (``data/views.toml``) and document sections (``data/sections.toml``) are found this way, as
stages are through ``data/pipelines.toml``: whoever serialises a dossier needs no import of the
stages that provide its parts, so the import graph stays acyclic.
"""

from __future__ import annotations

import importlib
import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=None)
def located(data_file: str, table: str) -> dict[str, str]:
    """Name → providing module, in the file's order (``data_file`` under the package)."""
    text = resources.files("newsforensics").joinpath(data_file).read_text("utf-8")
    return dict(tomllib.loads(text)[table])


def resolve(data_file: str, table: str, registry: dict[str, Any]) -> dict[str, Any]:
    """Every entry of the table from ``registry``, its providing module imported when needed."""
    out: dict[str, Any] = {}
    for name, module in located(data_file, table).items():
        if name not in registry:
            importlib.import_module(module)
        if name not in registry:
            raise LookupError(f"{data_file} names {name!r} in {module}, which does not register it")
        out[name] = registry[name]
    return out
