"""The gazetteer's loading: lines decoded on demand, the unpacked copy in the user cache."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from newsforensics.models import gazetteer


@pytest.mark.parametrize("data", [b"", b"a", b"a\n", b"a\nb", b"a\n\nb\n", b"\n", "Київ\té\nإدلب".encode()])
def test_lines_read_as_split_lines(data: bytes) -> None:
    expected = data.decode("utf-8").split("\n")
    expected = expected[:-1] if expected and not expected[-1] else expected
    lines = gazetteer.Lines(data)
    assert len(lines) == len(expected)
    assert [lines[i] for i in range(len(lines))] == list(lines) == expected
    assert lines[-1:] == expected[-1:]
    with pytest.raises(IndexError):
        lines[len(expected)]


def test_the_unpacked_copy_is_cached_and_named_by_its_content(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NEWSFORENSICS_CACHE", str(tmp_path))
    first, second = b"Paris\tFR\n" * 50, b"Lyon\tFR\n" * 50
    assert gazetteer._unpacked(gzip.compress(first)) == first
    (copy,) = (tmp_path / "gazetteer").iterdir()
    assert copy.read_bytes() == first
    copy.write_bytes(b"x" * len(first))  # a later process reads the copy, not the package
    assert gazetteer._unpacked(gzip.compress(first)) == b"x" * len(first)
    assert gazetteer._unpacked(gzip.compress(second)) == second  # other content, another copy
    assert len(list((tmp_path / "gazetteer").iterdir())) == 2


def test_the_shipped_gazetteer_finds_places_and_countries() -> None:
    places = gazetteer.load_gazetteer()
    assert places.country_names["FR"] == "France"
    assert any(p.country == "SY" for p in places.lookup("Idlib"))
