"""Typed document sections: document-level results that are not spans.

The outlet's source profile, the narrative catalogue a match was made against, whether a
fact-check store was searched, the item's genre, an inferred publication date: each is a
*section* of the Document (``doc.sections[name]``), declared by the stage that provides it with
:func:`declare` — a name, the providing stage and a ``TypedDict`` (or plain type) from which the
section's JSON Schema fragment is derived, so the type checker, the dossier schema and the
documentation read one declaration. The Pipeline clears a stage's sections when the stage fails
(``BaseStage.sections``), so a failed stage never leaves a half-written section behind.

Which module declares which section is data (``data/sections.toml``), like the views: the
document and the serialiser need no import of the stages. The dossier JSON keeps the sections
under ``extra`` (the key earlier versions used), closed to undeclared names.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

from .declared import located, resolve

DATA_FILE = "data/sections.toml"
# Sections filled by the input readers rather than by a pipeline stage: no stage clears them.
INPUT = "input"


@dataclass(frozen=True, slots=True)
class Section:
    """One declared section: its name, who provides it, its type and its schema fragment."""

    name: str
    provider: str  # the stage's registered name, or INPUT
    type: Any
    description: str

    @property
    def schema(self) -> dict[str, Any]:
        return {**json_schema(self.type), "description": f"{self.description} (provided by: {self.provider})"}


SECTIONS: dict[str, Section] = {}


def declare(name: str, type_: Any, *, provider: str, description: str) -> Section:
    """Declare the section ``name`` (its module must be listed in data/sections.toml)."""
    section = Section(name, provider, type_, description)
    if SECTIONS.get(name, section) != section:
        raise ValueError(f"section {name!r} declared twice, differently")
    SECTIONS[name] = section
    return section


def names() -> frozenset[str]:
    """The declared section names, read from the data file alone (no stage imported)."""
    return frozenset(located(DATA_FILE, "sections"))


@lru_cache(maxsize=1)
def all_sections() -> dict[str, Section]:
    """Every section of data/sections.toml, in its order, its declaring module imported on demand."""
    return resolve(DATA_FILE, "sections", SECTIONS)


def check(name: str) -> None:
    if name not in names():
        raise KeyError(f"{name!r} is not a declared document section ({DATA_FILE}): declare it with "
                       f"sections.declare in the stage that provides it")


_SCALARS: dict[Any, str] = {str: "string", bool: "boolean", int: "integer", float: "number", type(None): "null"}


def json_schema(tp: Any) -> dict[str, Any]:
    """The JSON Schema of a section type: TypedDicts become closed objects (``NotRequired`` keys
    optional), ``X | None`` allows null, ``Literal`` an enum, ``list[X]`` an array, ``dict`` and
    ``Any`` any object or value."""
    if tp is Any:
        return {}
    if tp in _SCALARS:
        return {"type": _SCALARS[tp]}
    if is_typeddict(tp):
        # Read NotRequired from the hints: with postponed annotations, __required_keys__ is not
        # reliable before Python 3.12.
        hints = get_type_hints(tp, include_extras=True)
        optional = typing.NotRequired if tp.__total__ else typing.Required
        marked = [k for k, v in hints.items() if get_origin(v) is optional]
        required = [k for k in hints if (k in marked) != tp.__total__]
        return {"type": "object", "required": required,
                "properties": {k: json_schema(v) for k, v in hints.items()}, "additionalProperties": False}
    origin, args = get_origin(tp), get_args(tp)
    if origin is Literal:
        return {"enum": list(args)}
    if origin in (Union, types.UnionType):
        if all(a in _SCALARS for a in args):
            return {"type": [_SCALARS[a] for a in args]}
        return {"anyOf": [json_schema(a) for a in args]}
    if origin is list:
        return {"type": "array", "items": json_schema(args[0]) if args else {}}
    if tp is dict or origin is dict:
        return {"type": "object"}
    if origin in (typing.NotRequired, typing.Required):
        return json_schema(args[0])
    raise TypeError(f"no JSON Schema for section type {tp!r}")
