"""The ``newsforensics`` command: parse arguments, call the library, render; nothing else.

Each module of this package adds its commands to the one ``app`` (see ``common``); they are
imported here, so a new command group is a new module. Commands import heavy libraries
lazily, inside the command, to keep ``--help`` fast.
"""

from __future__ import annotations

import importlib
import pkgutil

from .common import app

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "common":
        importlib.import_module(f"{__name__}.{_module.name}")


def main() -> None:
    """Console-script entry point."""
    app()


__all__ = ["app", "main"]
