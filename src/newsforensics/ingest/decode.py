"""Placeholder: being written (issue 2)."""

from __future__ import annotations


def decode_bytes(data: bytes, *, source_name: str | None = None) -> tuple[str, str, list[tuple[str, str]]]:
    return data.decode("utf-8", errors="replace"), "utf-8", []


def sniff_kind(text: str) -> str:
    head = text.lstrip()[:1000].lower()
    if head.startswith("{"):
        return "json"
    if "<html" in head or "<!doctype" in head or "<body" in head:
        return "html"
    return "text"
