"""Bytes to text: refuse binary files, find the encoding, repair mojibake; sniff the kind.

Order of evidence for the encoding: a byte-order mark, then strict UTF-8 (most of the web),
then the page's own ``<meta charset>``, then charset-normalizer's guess. Text that is UTF-8
with a few broken bytes is decoded with replacement characters (and a warning) rather than
re-guessed as a legacy code page, which would garble every non-ASCII character. ftfy then
repairs mojibake (UTF-8 read as cp1252 somewhere upstream: "Syriaâ€™s"), again with a warning,
because the analyst should know the text was altered.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from ..errors import InputError

# Magic numbers of file types people drop into a news pipeline by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive (decompress it first)"),
    (b"BZh", "a bzip2 archive (decompress it first)"),
    (b"\xfd7zXZ\x00", "an xz archive (decompress it first)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-style Office document"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 audio file"),
    (b"\x00\x00\x00\x18ftyp", "an MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "an MP4 video"),
    (b"RIFF", "a RIFF media file (WAV/AVI/WebP)"),
    (b"WARC/", "a WARC archive (pass the records' HTML, not the archive)"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{1,40})""", re.IGNORECASE
)
_SNIFF_BYTES = 64 * 1024
# Share of control characters (other than tab, newline, CR, form feed) beyond which a
# decoded "text" is really binary data.
_MAX_CONTROL_RATIO = 0.05

# A lead byte of a UTF-8 sequence (as cp1252/latin-1 shows it) followed by a continuation
# byte (likewise): "â€™", "Ã©", "Ð¿". Real text almost never has these pairs.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00df\u00e2-\u00ef]"
    "[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_WEB_DEFAULT = "cp1252"
_TIE = 0.01
_HTML_FRAGMENT = re.compile(r"<(?:div|article|section|p|main|meta|title|h[1-6]|!--)[\s>]")

Warnings = list[tuple[str, str]]
# Lone UTF-16 surrogates: a JSON escape such as "\ud800", or a file name that was not UTF-8.
# No UTF-8 encoder accepts them, so one left in a text would abort every write downstream.
_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_surrogates(text: str) -> tuple[str, int]:
    """``text`` with every lone surrogate replaced by U+FFFD, and how many there were."""
    try:
        text.encode("utf-8")  # the fast check, in C
    except UnicodeEncodeError:
        return _SURROGATE.subn("\ufffd", text)
    return text, 0


def decode_bytes(data: bytes, *, source_name: str | None = None) -> tuple[str, str, Warnings]:
    """Decode one item's bytes: (text, encoding name, warnings as (code, message))."""
    name = source_name or "the input"
    _refuse_known_binary(data, name)
    warnings: Warnings = []
    text, encoding = _decode(data, name, warnings)
    _refuse_control_heavy(text, name)
    text = _repair_mojibake(text, warnings)
    return text, encoding, warnings


def _refuse_known_binary(data: bytes, name: str) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{name} looks like {what}, not a news item; pass HTML, plain text or a JSON record")


def _decode(data: bytes, name: str, warnings: Warnings) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.removesuffix("-sig")
            except UnicodeDecodeError:
                warnings.append(("invalid-encoding", (f"{name} starts with a {encoding} byte-order mark "
                                 "but is not valid in that encoding; bad bytes were replaced")))
                return data.decode(encoding, errors="replace"), encoding.removesuffix("-sig")
    if b"\x00" in data[:_SNIFF_BYTES]:
        return _decode_wide_or_refuse(data, name)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    decoded = _strict(data, _declared_charset(data))
    if decoded:
        return decoded
    guessed = None if _mostly_utf8(data) else _guess(data)
    if guessed is None or (guessed != _WEB_DEFAULT and _stray_bytes(data)):
        warnings.append(("invalid-utf8", (f"{name} is UTF-8 (or ASCII) with invalid byte sequences; "
                         "they were replaced with U+FFFD")))
        return data.decode("utf-8", errors="replace"), "utf-8"
    decoded = _strict(data, guessed)
    if decoded:
        return decoded
    warnings.append(("unknown-encoding", (f"the encoding of {name} could not be determined; "
                     "it was read as UTF-8 with undecodable bytes replaced")))
    return data.decode("utf-8", errors="replace"), "utf-8"


def _decode_wide_or_refuse(data: bytes, name: str) -> tuple[str, str]:
    """NUL bytes without a BOM: UTF-16/32 text, or binary data."""
    guessed = _guess(data)
    if guessed and guessed.replace("_", "-").startswith(("utf-16", "utf-32")):
        try:
            return data.decode(guessed), guessed.replace("_", "-")
        except UnicodeDecodeError:
            pass
    raise InputError(f"{name} contains NUL bytes: it looks like a binary file, not a news item")


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:_SNIFF_BYTES])
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None


def _mostly_utf8(data: bytes) -> bool:
    """More valid multi-byte UTF-8 sequences than broken ones: damaged UTF-8. (Legacy code
    pages read as UTF-8 break at nearly every non-ASCII byte and almost never form a valid
    sequence by accident.)"""
    decoded = data.decode("utf-8", errors="replace")
    broken = decoded.count("\ufffd")
    multibyte = len(decoded) - len(decoded.encode("ascii", "ignore")) - broken
    return multibyte > 0 and multibyte >= broken


def _stray_bytes(data: bytes) -> bool:
    """ASCII text with a few non-ASCII bytes (under 1 %): too little evidence for any legacy code
    page (charset-normalizer then picks cp932 or cp1258 as readily as any), so the bytes are
    treated as damage in UTF-8 rather than as letters of a guessed alphabet."""
    sample = data[:_SNIFF_BYTES]
    non_ascii = len(sample) - len(sample.decode("ascii", "ignore"))
    return non_ascii * 100 < len(sample)


def _guess(data: bytes) -> str | None:
    """charset-normalizer's guess; among equally plausible code pages, windows-1252 (the web's
    reading of "latin-1" and its default for legacy Western pages): short samples leave
    cp1250/cp1252/cp1257 tied, and the tie must not turn "naïve" into "naďve"."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data[:_SNIFF_BYTES]))
    if not matches:
        return None
    least_chaos = min(m.chaos for m in matches)
    plausible = [m for m in matches if m.chaos <= least_chaos + _TIE]
    most_coherent = max(m.coherence for m in plausible)
    tied = [m for m in plausible if m.coherence >= most_coherent - _TIE]
    if any(m.encoding == _WEB_DEFAULT or _WEB_DEFAULT in m.could_be_from_charset for m in tied):
        return _WEB_DEFAULT
    return tied[0].encoding


def _refuse_control_heavy(text: str, name: str) -> None:
    sample = text[:_SNIFF_BYTES]
    if not sample:
        return
    controls = sum(
        1 for ch in sample if ch not in "\t\n\r\f" and unicodedata.category(ch) == "Cc"
    )
    if controls / len(sample) > _MAX_CONTROL_RATIO:
        raise InputError(f"{name} is mostly control characters: it looks like a binary file, not a news item")


def _repair_mojibake(text: str, warnings: Warnings) -> str:
    """ftfy's encoding repair, run only where the telltale byte pairs of UTF-8 read as a
    Western code page appear (ftfy's own badness test costs seconds on large inputs)."""
    if text.isascii() or not _MOJIBAKE_HINT.search(text):
        return text
    import ftfy

    repaired = ftfy.fix_encoding(text)
    if repaired != text:
        warnings.append(("mojibake-repaired", ("the text had mojibake (text decoded with the wrong "
                         "encoding upstream, e.g. 'â€™' for '’'); it was repaired with ftfy")))
    return repaired


def sniff_kind(text: str) -> str:
    """"json" (a JSON object), "html" (markup) or "text", from the start of the item."""
    head = text[:4096].lstrip("\ufeff \t\r\n")
    if head.startswith("{"):
        return "json"
    lowered = head[:2048].lower()
    if any(tag in lowered for tag in ("<!doctype html", "<html", "<head", "<body")):
        return "html"
    if _HTML_FRAGMENT.match(lowered):
        return "html"
    return "text"


def _strict(data: bytes, encoding: str | None) -> tuple[str, str] | None:
    """``data`` decoded with ``encoding`` when that is known and fits every byte."""
    if not encoding:
        return None
    try:
        return data.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError):
        return None
