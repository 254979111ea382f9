"""What every command shares: the app, exit codes, errors at the boundary, progress, options.

Errors meet the user here as one sentence on stderr with a documented exit code (see
``EXIT_CODES`` and docs/cli.md); ``--debug`` shows the traceback instead. stdout carries only
the requested output, so ``--format json`` and ``jsonl`` can be piped; progress and the
closing one-line summary go to stderr.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import click
import typer

from ..version import __version__
from ..errors import NewsforensicsError
from ..serialize import SCHEMA_VERSION

EXIT_OK, EXIT_INTERNAL, EXIT_USAGE, EXIT_INPUT, EXIT_PARTIAL, EXIT_NO_SPACE = 0, 1, 2, 3, 4, 5
# The largest integer SQLite stores: a bigger id or offset is a usage error, not a crash.
MAX_INT = 2**63 - 1
EXIT_CODES = """\b
Exit codes:
  0  ok
  1  internal error (a bug: rerun with --debug and report it)
  2  usage error (unknown option, stage or format)
  3  input error (nothing could be read: empty, binary, too large, missing)
  4  partial: some inputs of a batch failed (each is reported), the rest was written
  5  no space: the disk (or the database) is full; what was written is kept, free space and rerun"""

app = typer.Typer(
    name="newsforensics",
    help="Turn raw news items into evidence-linked forensic dossiers, offline.",
    epilog=EXIT_CODES,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
_stderr_console = None


class UsageError(NewsforensicsError):
    exit_code = EXIT_USAGE


@dataclass
class State:
    debug: bool = False


STATE = State()


# --- errors at the boundary ------------------------------------------------------------------


def stderr():  # type: ignore[no-untyped-def]
    from rich.console import Console

    global _stderr_console
    if _stderr_console is None:
        _stderr_console = Console(stderr=True, highlight=False, soft_wrap=True)
    return _stderr_console


def say(message: str, style: str = "") -> None:
    from rich.text import Text

    stderr().print(Text(message, style=style))


def fail(message: str, code: int) -> NoReturn:
    say(f"newsforensics: error: {message}", "red")
    raise typer.Exit(code)


def guarded(command: Callable[..., int | None]) -> Callable[..., None]:
    """Turn library errors into one sentence and an exit code; bugs into exit 1."""
    import functools

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            code = command(*args, **kwargs) or EXIT_OK
        except (typer.Exit, click.exceptions.ClickException):
            raise
        except NewsforensicsError as exc:
            if STATE.debug:
                raise
            fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            raise typer.Exit(130) from None
        except (OSError, sqlite3.OperationalError) as exc:
            if STATE.debug or not _no_space(exc):
                raise
            fail("the disk is full (or the database reached its size limit): everything written "
                 "before is kept; free some space and rerun the same command", EXIT_NO_SPACE)
        except Exception as exc:  # an internal bug: one sentence, traceback with --debug
            if STATE.debug:
                raise
            fail(f"internal error ({type(exc).__name__}: {exc}); rerun with --debug for the "
                  f"traceback and please report it", EXIT_INTERNAL)
        raise typer.Exit(code)

    return run


def _no_space(exc: BaseException) -> bool:
    """A write refused for want of space: ENOSPC/EDQUOT, or SQLite's SQLITE_FULL."""
    if isinstance(exc, sqlite3.OperationalError):
        return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "disk is full" in str(exc)
    return getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT)


# --- progress and options ----------------------------------------------------------------


def progress_bar(batch: bool):  # type: ignore[no-untyped-def]
    """A progress bar on stderr for batches, shown only when stderr is a terminal."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeRemainingColumn(), console=stderr(), transient=True,
                    disable=not (batch and stderr().is_terminal))


def choices(name: str, values: tuple[str, ...] | list[str]) -> type[Enum]:
    """A str Enum for typer's choice options."""
    return Enum(name, {v: v for v in values}, type=str)  # type: ignore[return-value]


OutOpt = Annotated[Path | None, typer.Option("-o", "--output", help="Write here instead of stdout "
                                             "(a folder for html/markdown of several items).")]
JsonFlag = Annotated[bool, typer.Option("--json", help="Alias of --format json.")]


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", is_eager=True, help="Print the version.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks and debug logs.")] = False,
) -> None:
    STATE.debug = debug
    if debug:
        logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
    if version:
        typer.echo(f"newsforensics {__version__} (dossier schema {SCHEMA_VERSION})")
        raise typer.Exit()


