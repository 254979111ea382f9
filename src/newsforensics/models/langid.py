"""py3langid's language identifier (pinned 0.4.0), loaded once per process.

py3langid ships its model LZMA-compressed: unpacking it cost 0.5 s of CPU in every process, a
sixth of a cold start. The first load keeps the unpacked arrays in the user cache
(``<cache>/py3langid/<version>-<size of the shipped file>.npz``, ~40 MB) and later processes
read those in a few milliseconds; the identifier built from them is the one py3langid builds.
An unreadable or unwritable cache only costs the speed-up.
"""

from __future__ import annotations

import zipfile
from array import array
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .encoder import default_cache_dir

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

# py3langid's load_model() result: (nb_ptc, nb_pc, nb_classes, tk_nextmove, tk_row, tk_output)
Model = tuple[np.ndarray, np.ndarray, list[str], array, array, list[int]]


@lru_cache(maxsize=1)
def identifier() -> LanguageIdentifier:
    """The identifier with normalised probabilities, as ``from_model_file(MODEL_FILE)`` builds it."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
    from py3langid.modelio import load_model

    shipped = MODEL_DIR / MODEL_FILE
    unpacked = (default_cache_dir() / "py3langid"
                / f"{version('py3langid')}-{shipped.stat().st_size}.npz")
    model = _read(unpacked)
    if model is None:
        model = load_model(shipped)
        _write(unpacked, model)
    ptc, pc, classes, nextmove, row, output = model
    return LanguageIdentifier(np.asarray(ptc), np.asarray(pc), classes, nextmove, output,
                              norm_probs=True, tk_row=row)


def _read(path: Path) -> Model | None:
    try:
        with np.load(path, allow_pickle=False) as saved:
            return (saved["ptc"], saved["pc"], saved["classes"].tolist(),
                    _as_array(saved["nextmove"]), _as_array(saved["row"]), saved["output"].tolist())
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None


def _write(path: Path, model: Model) -> None:
    ptc, pc, classes, nextmove, row, output = model
    arrays: dict[str, Any] = {
        "ptc": ptc, "pc": pc, "classes": np.array(classes),
        "nextmove": np.frombuffer(nextmove, dtype=nextmove.typecode),
        "row": np.frombuffer(row, dtype=row.typecode),
        "output": np.asarray(output, dtype=np.int32),
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.stem + ".partial.npz")
        np.savez(partial, **arrays)
        partial.replace(path)  # atomic: a killed process never leaves a truncated copy
    except OSError:
        pass


def _as_array(values: np.ndarray) -> array:
    """The stdlib array py3langid's DFA walk indexes (same type code as it makes)."""
    return array(values.dtype.char, values.tobytes())
