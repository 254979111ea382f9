"""Things located by a data file: a name, the module that registers it, imported on demand.

Stages (``data/pipelines.toml``), corpus index steps (``data/corpus_steps.toml``), views
(``data/views.toml``), document sections (``data/sections.toml``) and report sections
(``data/report_sections.toml``) are all found this way: whoever serialises a dossier needs no import of the
stages that provide its parts, so the import graph stays acyclic.
"""

from __future__ import annotations

import importlib
import tomllib
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from typing import Any


def class_registrar(registry: dict[str, Any], kind: str) -> Callable[[str], Callable[[type], type]]:
    """``@decorator(name)`` for classes of one kind (stages, corpus steps): sets the class's
    ``name`` and puts it in ``registry``; another class under a taken name is an error."""

    def register(name: str) -> Callable[[type], type]:
        def wrap(cls: type) -> type:
            if name in registry and registry[name] is not cls:
                raise ValueError(f"{kind} name {name!r} registered twice")
            cls.name = name  # type: ignore[attr-defined]
            registry[name] = cls
            return cls

        return wrap

    return register


@lru_cache(maxsize=None)
def located(data_file: str, table: str) -> dict[str, str]:
    """Name → providing module, in the file's order (``data_file`` under the package)."""
    text = resources.files("newsforensics").joinpath(data_file).read_text("utf-8")
    return dict(tomllib.loads(text)[table])


def ensure(data_file: str, table: str, name: str, registry: dict[str, Any]) -> None:
    """Import the module the table names for ``name`` unless ``registry`` has it already; a name
    the table does not list is left alone (it may be registered by the caller's own code)."""
    module = located(data_file, table).get(name)
    if module is not None and name not in registry:
        importlib.import_module(module)
        if name not in registry:
            raise LookupError(f"{data_file} names {name!r} in {module}, which does not register it")


def resolve(data_file: str, table: str, registry: dict[str, Any]) -> dict[str, Any]:
    """Every entry of the table from ``registry``, its providing module imported when needed."""
    out: dict[str, Any] = {}
    for name in located(data_file, table):
        ensure(data_file, table, name, registry)
        out[name] = registry[name]
    return out
