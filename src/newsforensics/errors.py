"""Errors that reach users: one clear sentence each, and the CLI exit code they map to."""

from __future__ import annotations


class NewsforensicsError(Exception):
    """Base class; ``exit_code`` is what the CLI returns for it."""

    exit_code = 1


class InputError(NewsforensicsError):
    """The input cannot be read as a news item (empty, binary, unreadable, malformed)."""

    exit_code = 3


class ConfigError(NewsforensicsError):
    """A pipeline or command option is wrong."""

    exit_code = 2
