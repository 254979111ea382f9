"""Bytes to text: encodings, BOMs, broken UTF-8, mojibake, binary refusal; kind sniffing."""

from __future__ import annotations

import codecs

import pytest

from newsforensics.errors import InputError
from newsforensics.ingest.decode import decode_bytes, sniff_kind

FRENCH = "Le maire a déclaré : « Nous reconstruirons l’école », après l’incendie de février."


def codes(warnings: list[tuple[str, str]]) -> list[str]:
    return [code for code, _ in warnings]


def test_utf8_is_read_as_is_without_warnings() -> None:
    assert decode_bytes(FRENCH.encode("utf-8")) == (FRENCH, "utf-8", [])


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_byte_order_marks_pick_the_encoding_and_are_dropped(encoding: str) -> None:
    data = FRENCH.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    text, _, warnings = decode_bytes(data)
    assert text == FRENCH and warnings == []


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_legacy_western_code_pages_decode_correctly(encoding: str) -> None:
    sample = "Naïve café owners in Genève said the crème brûlée tax was unfair."
    text, detected, warnings = decode_bytes(sample.encode(encoding))
    assert text == sample
    assert detected == "cp1252" and warnings == []


def test_meta_charset_declares_a_cyrillic_page() -> None:
    page = '<html><head><meta charset="windows-1251"></head><body><p>Мэр города заявил о ремонте моста.</p></body></html>'
    text, detected, _ = decode_bytes(page.encode("cp1251"))
    assert text == page and detected == "cp1251"


def test_invalid_utf8_is_replaced_with_a_warning() -> None:
    data = "Le maire a déclaré".encode() + b"\xff\xfe" + " la fin des travaux à Genève.".encode()
    text, detected, warnings = decode_bytes(data, source_name="broken.txt")
    assert detected == "utf-8" and "\ufffd" in text and text.endswith("à Genève.")
    assert codes(warnings) == ["invalid-utf8"]
    assert "broken.txt" in warnings[0][1]


def test_mojibake_is_repaired_with_a_warning() -> None:
    garbled = FRENCH.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    text, _, warnings = decode_bytes(garbled)
    assert text == FRENCH
    assert codes(warnings) == ["mojibake-repaired"]


@pytest.mark.parametrize("data, what", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
    (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip"),
])
def test_known_binary_formats_are_refused_by_name(data: bytes, what: str) -> None:
    with pytest.raises(InputError, match=what):
        decode_bytes(data, source_name="upload.bin")


def test_nul_bytes_and_control_characters_are_refused() -> None:
    with pytest.raises(InputError, match="NUL bytes"):
        decode_bytes(b"\x00\x01\x02\x03header\x00\x00" * 50)
    with pytest.raises(InputError, match="control characters"):
        decode_bytes(bytes(range(1, 9)) * 100)


@pytest.mark.parametrize("text, kind", [
    ('{"text": "Body", "url": "https://example.org/a"}', "json"),
    ('\ufeff  \n {"html": "<p>x</p>"}', "json"),
    ("<!DOCTYPE html><html><body><p>Hi</p></body></html>", "html"),
    ("\n\n   <html lang='fr'><p>Salut</p></html>", "html"),
    ("<div class='story'><p>Fragment of a page</p></div>", "html"),
    ("Headline\n\nThe council met on Monday. It voted 5 to 4.", "text"),
    ("Prices rose 5% <in some regions> last year.", "text"),
])
def test_sniff_kind(text: str, kind: str) -> None:
    assert sniff_kind(text) == kind
