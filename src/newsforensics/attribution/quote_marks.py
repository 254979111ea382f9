"""Direct-quote boundaries from quotation marks, without a parse.

News text mixes straight quotes, English typographic quotes (“ ”), German („ “, ‚ ‘) and French
or Swiss (« », ‹ ›) ones, and often breaks the rules (”…” or an unclosed quote that runs on into
the next paragraph). Single marks (‘ ’ ') are not quote marks on their own: they are apostrophes
("militants’") or scare quotes inside a quote (‘White helmets’); only the German low ‚ opens one,
which a ‘ then closes. A mark opens or closes
according to the characters around it, so a linear scan suffices (no backtracking).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

# Opening mark -> marks that may close it.
# A straight mark closes a typographic opening and the reverse (scraped text mixes them: “…," or
# "…”); quotation inside a quotation uses single marks in English, so nothing is closed early.
CLOSERS: dict[str, str] = {"“": "”“\"", "„": "“”", "«": "»", "»": "«", '"': '"”', "”": "”",
                           "‹": "›", "›": "‹", "‚": "‘"}
QUOTE_MARKS = frozenset("“”„«»\"‹›‚")
_ALWAYS_OPEN = "“„«‹‚"
_SPACED_CLOSERS = frozenset("»›")
_SINGLE_CLOSERS = frozenset("‘")  # close only the single quote ‚ opened, never alone
_OPEN_BEFORE = frozenset(" \t\n([{—–-/")
_SENTENCE_ENDS = frozenset(".!?")
_CLOSE_AFTER = frozenset(" \t\n.,;:!?)]}—–-/'’")
# A quote opened in one line and closed in a later one, with no mark re-opening the lines in
# between, is followed over at most this many line breaks.
MAX_RUN_ON_LINES = 3


@dataclass(frozen=True, slots=True)
class Quoted:
    """A stretch between quotation marks: ``start``/``end`` include the marks."""

    start: int
    end: int
    closed: bool

    @property
    def content(self) -> tuple[int, int]:
        return self.start + 1, self.end - 1 if self.closed else self.end


def _opens(text: str, i: int) -> bool:
    """A mark opens after a space or bracket, or glued to the end of the sentence before it
    when a capital follows (‘…," an official said."When NATO aircraft …’)."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before in _OPEN_BEFORE or before in _SENTENCE_ENDS and after.isupper()) and not after.isspace()


def _closes(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after in _CLOSE_AFTER or after in QUOTE_MARKS)


def _closes_spaced(text: str, i: int, ch: str) -> bool:
    """French typography spaces guillemets inside: « Nous partons », a-t-il dit."""
    after = text[i + 1] if i + 1 < len(text) else " "
    return ch in _SPACED_CLOSERS and (after in _CLOSE_AFTER or after in QUOTE_MARKS)


def _closed_later(text: str, paragraphs: Sequence[tuple[int, int]], closers: str) -> int | None:
    """Where a quote left open closes in the next paragraphs, when the first quotation mark
    there closes it (a paragraph opening with a mark, or a mark that opens, is a new quote)."""
    for start, end in paragraphs:
        for i in range(start, end):
            if text[i] in QUOTE_MARKS:
                closes = i > start and text[i] in closers and text[i] not in _ALWAYS_OPEN \
                    and _closes(text, i)
                return i if closes else None
    return None


def find_quoted(
    text: str, paragraphs: Sequence[tuple[int, int]], max_chars: int = 6000
) -> Iterator[Quoted]:
    """Quoted stretches in ``text``, paragraph by paragraph.

    A quote still open at a paragraph's end continues when it opened the paragraph or a
    sentence in it and the next paragraph opens with a quotation mark (the convention for
    multi-paragraph quotes) or when the first mark of the
    next lines closes it (text whose lines are sentences, not paragraphs); otherwise it ends
    with the paragraph, and is kept only when it opened the paragraph (a quoted paragraph whose closing
    mark was lost). Quotes longer than ``max_chars`` are dropped as unbalanced marks.
    """
    open_at: int | None = None
    closers = ""
    for n, (p_start, p_end) in enumerate(paragraphs):
        for i in range(p_start, p_end):
            ch = text[i]
            if ch not in QUOTE_MARKS and not (ch in _SINGLE_CLOSERS and ch in closers):
                continue
            if open_at is not None and i == p_start:
                continue  # the re-opening mark of a quote continued from the last paragraph
            if open_at is None:
                if ch in _ALWAYS_OPEN or (ch in CLOSERS and _opens(text, i)):
                    open_at, closers = i, CLOSERS[ch]
            elif ch in closers and (_closes(text, i) or _closes_spaced(text, i, ch)
                                    or not (_opens(text, i) or ch in _SINGLE_CLOSERS)):
                if i + 1 - open_at <= max_chars:
                    yield Quoted(open_at, i + 1, True)
                open_at = None
        if open_at is None:
            continue
        opened_paragraph = any(open_at == start for start, _ in paragraphs[: n + 1]) \
            or text[max(0, open_at - 3):open_at].rstrip()[-1:] in (":", ".", "!", "?")
        # a quoted passage opens a paragraph, or a sentence in one ("X wrote. “…", "X said: “…")
        next_para = paragraphs[n + 1] if n + 1 < len(paragraphs) else None
        if opened_paragraph and next_para and text[next_para[0]] in QUOTE_MARKS \
                and next_para[1] - open_at <= max_chars:
            continue
        closing = _closed_later(text, paragraphs[n + 1:n + 1 + MAX_RUN_ON_LINES], closers)
        if closing is not None and closing - open_at <= max_chars:
            continue  # a quote broken over lines without re-opening: "…: “One.\nTwo,” he said."
        if open_at == p_start and p_end - open_at <= max_chars:
            yield Quoted(open_at, p_end, False)
        open_at = None
