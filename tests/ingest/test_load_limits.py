"""Whole-item loading: empty, binary and very large inputs fail fast with a clear error."""

from __future__ import annotations

import time

import pytest

from newsforensics.errors import InputError
from newsforensics.ingest import load

PARAGRAPH = "The minister said on Tuesday that the café would reopen — “soon”, he added. "


def test_empty_and_blank_inputs_are_refused() -> None:
    for data in (b"", b"   \n\n\t", "", "\ufeff\n"):
        with pytest.raises(InputError, match="empty"):
            load(data, source_name="blank.txt")


def test_binary_upload_is_refused() -> None:
    with pytest.raises(InputError, match="PDF"):
        load(b"%PDF-1.4\n" + bytes(range(256)) * 10, source_name="scan.pdf")


@pytest.mark.parametrize("kind", ["text", "html"])
def test_50_mb_input_is_refused_quickly(kind: str) -> None:
    if kind == "html":
        data = ("<html><body>" + f"<p>{PARAGRAPH}</p>\n" * 640_000).encode()[: 50 * 2**20]
    else:
        data = ("Headline\n\n" + f"{PARAGRAPH}\nAdvertisement\n" * 600_000).encode()[: 50 * 2**20]
    data = data.decode("utf-8", "ignore").encode()
    started = time.process_time()
    with pytest.raises(InputError, match="one news item may have at most"):
        load(data, source_name=f"huge.{kind}")
    assert time.process_time() - started < 5


def test_a_large_but_acceptable_text_is_linear_not_quadratic() -> None:
    lines = [PARAGRAPH * 2, "Advertisement", "He refused.", "12 comments"]

    def seconds(repeats: int) -> float:
        raw = "Long Read Headline\n\n" + "\n".join(lines * repeats)
        started = time.process_time()
        load(raw, kind="text")
        return time.process_time() - started

    small, large = seconds(2_000), seconds(16_000)
    assert large < 8 * small * 2.5  # 8x the input must not cost ~64x the time
