"""The narrative catalogue: a documented, versioned format, the built-in catalogue and users' own.

A catalogue file (TOML or JSON, same structure; see docs/narratives.md) has a header
(``format``, ``format_version``, ``name``, ``version``) and ``narratives``: each with an ``id``,
``title``, ``summary``, ``examples`` (claims in the words of a carrier, each with its language),
``keywords`` (groups of case-folded word prefixes per language), ``related`` ids, ``places``
and ``provenance``. Users extend the built-in one with files in their catalogue folder
(``$NEWSFORENSICS_NARRATIVES`` or ``$XDG_DATA_HOME/newsforensics/narratives``) or with
``--catalogue``; a user narrative with a built-in id replaces it.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import InputError

FORMAT = "newsforensics-narratives"
FORMAT_VERSION = 1
BUILTIN = "data/catalogue.toml"
USER_FILE = "user.json"  # where ``narratives add`` writes
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,80}$")
_LANG = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True, slots=True)
class Example:
    lang: str
    text: str


@dataclass(frozen=True)
class Narrative:
    """One known narrative: what it claims, how carriers word it, where it came from."""

    id: str
    title: str
    summary: str
    examples: tuple[Example, ...]
    keywords: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # group → lang → prefixes
    related: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    provenance: str = ""
    catalogue: str = ""  # the catalogue it was read from (name@version)

    @property
    def languages(self) -> list[str]:
        return sorted({e.lang for e in self.examples})

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["examples"] = [asdict(e) for e in self.examples]
        out["keywords"] = {g: {lang: list(words) for lang, words in langs.items()}
                           for g, langs in self.keywords.items()}
        out.pop("catalogue")
        return out


@dataclass(frozen=True)
class Catalogue:
    """Narratives by id, in the order the catalogues listed them (later catalogues override)."""

    narratives: dict[str, Narrative]
    sources: tuple[str, ...]  # name@version of each catalogue merged in

    def __len__(self) -> int:
        return len(self.narratives)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.narratives.values())

    def get(self, narrative_id: str) -> Narrative | None:
        return self.narratives.get(narrative_id)

    @property
    def version(self) -> str:
        return "+".join(self.sources)


def user_dir() -> Path:
    """Where user catalogues live (``$NEWSFORENSICS_NARRATIVES`` overrides)."""
    if os.environ.get("NEWSFORENSICS_NARRATIVES"):
        return Path(os.environ["NEWSFORENSICS_NARRATIVES"])
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "newsforensics" / "narratives"


def parse_catalogue(data: Mapping[str, Any], origin: str) -> tuple[str, list[Narrative]]:
    """Validate one catalogue's contents; every problem is reported with where it is."""
    if data.get("format") != FORMAT:
        raise InputError(f"{origin}: not a narrative catalogue (expected format = {FORMAT!r})")
    version = data.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise InputError(f"{origin}: catalogue format_version {version!r} is not supported "
                         f"(this newsforensics reads up to {FORMAT_VERSION})")
    label = f"{data.get('name') or Path(origin).stem}@{data.get('version') or '0'}"
    items = data.get("narratives", [])
    if not isinstance(items, list):
        raise InputError(f"{origin}: 'narratives' must be a list")
    narratives, seen = [], set()
    for i, item in enumerate(items):
        narrative = parse_narrative(item, f"{origin}: narrative {i + 1}", label)
        if narrative.id in seen:
            raise InputError(f"{origin}: narrative id {narrative.id!r} is listed twice")
        seen.add(narrative.id)
        narratives.append(narrative)
    return label, narratives


def parse_narrative(item: Any, where: str, catalogue: str = "") -> Narrative:
    if not isinstance(item, Mapping):
        raise InputError(f"{where}: must be a table/object")
    for key in ("id", "title", "summary"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise InputError(f"{where}: '{key}' is required (a non-empty string)")
    if not _ID.match(item["id"]):
        raise InputError(f"{where}: id {item['id']!r} must be lower-case letters, digits and hyphens")
    where = f"{where} ({item['id']})"
    examples = []
    for j, ex in enumerate(item.get("examples") or []):
        if not isinstance(ex, Mapping) or not isinstance(ex.get("text"), str) or not ex["text"].strip():
            raise InputError(f"{where}: example {j + 1} needs a 'text'")
        lang = str(ex.get("lang", "")).lower()
        if not _LANG.match(lang):
            raise InputError(f"{where}: example {j + 1} needs a 'lang' (an ISO 639 code such as 'en')")
        examples.append(Example(lang, " ".join(ex["text"].split())))
    if not examples:
        raise InputError(f"{where}: at least one example claim is required")
    keywords: dict[str, dict[str, tuple[str, ...]]] = {}
    if not isinstance(item.get("keywords") or {}, Mapping):
        raise InputError(f"{where}: 'keywords' must map groups to languages to lists of words")
    for group, langs in (item.get("keywords") or {}).items():
        if not isinstance(langs, Mapping):
            raise InputError(f"{where}: keywords.{group} must map languages to lists of words")
        keywords[group] = {str(lang).lower(): tuple(str(w).casefold() for w in words if str(w).strip())
                           for lang, words in langs.items() if isinstance(words, list)}
    return Narrative(
        id=item["id"], title=" ".join(item["title"].split()), summary=" ".join(item["summary"].split()),
        examples=tuple(examples), keywords=keywords, related=_strings(item, "related", where),
        places=_strings(item, "places", where), provenance=str(item.get("provenance") or ""),
        catalogue=catalogue,
    )


def _strings(item: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = item.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{where}: '{key}' must be a list of strings")
    return tuple(value)


def read_catalogue_file(path: Path) -> tuple[str, list[Narrative]]:
    """One catalogue file (``.toml`` or ``.json``)."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the catalogue ({exc})") from None
    try:
        data = json.loads(raw) if path.suffix.lower() == ".json" else tomllib.loads(raw)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: not valid {path.suffix.lstrip('.').upper() or 'TOML'} ({exc})") from None
    if not isinstance(data, Mapping):
        raise InputError(f"{path}: a catalogue must be an object")
    return parse_catalogue(data, str(path))


def builtin() -> tuple[str, list[Narrative]]:
    text = resources.files(__package__).joinpath(BUILTIN).read_text("utf-8")
    return parse_catalogue(tomllib.loads(text), f"newsforensics/narratives/{BUILTIN}")


def catalogue_files(paths: Iterable[Path]) -> list[Path]:
    """Catalogue files named directly or found (``*.toml``, ``*.json``) in named folders."""
    out: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in (".toml", ".json")))
        elif path.is_file():
            out.append(path)
        else:
            raise InputError(f"{path}: no such catalogue file or folder")
    return out


def load_catalogue(extra: Sequence[Path] = (), *, include_builtin: bool = True,
                   include_user: bool = True) -> Catalogue:
    """The built-in catalogue, then the user folder's files, then ``extra`` (later ids win)."""
    parts = [builtin()] if include_builtin else []
    paths = ([user_dir()] if include_user and user_dir().is_dir() else []) + list(extra)
    parts.extend(read_catalogue_file(p) for p in catalogue_files(paths))
    merged: dict[str, Narrative] = {}
    for _, narratives in parts:
        for narrative in narratives:
            merged.pop(narrative.id, None)
            merged[narrative.id] = narrative
    if not merged:
        raise InputError("the narrative catalogue is empty: add narratives or include the built-in one")
    return Catalogue(merged, tuple(label for label, _ in parts))


def write_user_narratives(narratives: Sequence[Narrative], path: Path | None = None) -> Path:
    """Add or replace narratives in the user catalogue file (JSON), atomically."""
    path = path or user_dir() / USER_FILE
    existing: list[Narrative] = read_catalogue_file(path)[1] if path.is_file() else []
    by_id = {n.id: n for n in existing}
    for narrative in narratives:
        by_id[narrative.id] = narrative
    data = {"format": FORMAT, "format_version": FORMAT_VERSION, "name": "user", "version": "1",
            "narratives": [n.to_dict() for n in by_id.values()]}
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    partial.replace(path)
    return path
