"""Property tests: the readers never raise on arbitrary input, and every offset they report
points at the same characters in the raw input."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsforensics.document import Document
from newsforensics.errors import InputError
from newsforensics.ingest.decode import decode_bytes, sniff_kind
from newsforensics.ingest.html import read_html
from newsforensics.ingest.text import read_text

# Lines that look like the real thing (boilerplate, captions, headlines, body) mixed with noise.
LINES = st.sampled_from([
    "0 $", "2,500 $", "Advertisement", "12 comments", "Read more: Port strike ends", "Lire aussi : La grève",
    "Share on Facebook", "We use cookies to improve your experience.", "A crowd in the square © / AFP",
    "Photo: Reuters", "Port Strike Ends After Nine Days", "He refused.", "The council voted on Monday.",
    "“We will appeal,” she said.", "اقرأ أيضا: الخبر", "Читайте также: новости", "", "   ", "\t",
])
TEXT = st.lists(st.one_of(LINES, st.text(max_size=80)), max_size=30).map("\n".join) | st.text(max_size=400)


def assert_maps_exactly(raw: str, doc: Document) -> None:
    for clean, raw_start, length in doc.offset_map.segments:
        assert doc.text[clean:clean + length] == raw[raw_start:raw_start + length]
    for offset, char in enumerate(doc.text):
        raw_offset = doc.offset_map.to_raw(offset)
        if raw_offset is not None:
            assert raw[raw_offset] == char
    for span in doc.get("headline"):
        assert doc.text[span.start:span.end] == span.text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_text_cleaner_never_raises_and_all_offsets_are_exact(raw: str) -> None:
    doc = read_text(raw)
    for r in doc.removed:
        assert raw[r.raw_start:r.raw_end] == r.text
    assert_maps_exactly(raw, doc)
    # every non-blank body line of the clean text is mapped back (nothing is invented)
    for offset, char in enumerate(doc.text):
        if not char.isspace():
            assert doc.offset_map.to_raw(offset) is not None


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_clean_text_plus_removed_parts_account_for_every_raw_line(raw: str) -> None:
    doc = read_text(raw)
    kept = {line.strip() for line in doc.text.split("\n") if line.strip()}
    cut = {r.text for r in doc.removed}
    for line in raw.split("\n"):
        piece = line.strip()
        if piece and piece not in cut:
            assert piece in kept or piece in doc.text


HTML_PIECES = st.sampled_from([
    "<html>", "<body>", "</body>", "<p>", "</p>", "<div class='related'>", "</div>", "<script>x=1</script>",
    "<h1>Title of the story</h1>", "&amp;", "&nbsp;", "<br>", "<!--", "-->", "\n", "  ",
    "The council voted on Monday to close the depot.", "Read more: other story", "<nav>Home News</nav>",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(HTML_PIECES, st.text(max_size=30)), max_size=40).map("".join))
def test_html_reader_never_raises_and_maps_exactly(raw: str) -> None:
    doc = read_html(raw)
    assert_maps_exactly(raw, doc)
    for r in doc.removed:
        if r.attrs.get("located") is not False and r.attrs.get("raw_form") != "escaped":
            assert raw[r.raw_start:r.raw_end] == r.text


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_decoder_returns_text_or_a_clear_input_error(data: bytes) -> None:
    try:
        text, encoding, _ = decode_bytes(data)
    except InputError as exc:
        assert str(exc)
        return
    assert isinstance(text, str) and encoding
    assert sniff_kind(text) in {"html", "text", "json"}
