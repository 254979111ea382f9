"""Headline attribution: "Officers plan provocation in Idlib: Russian MoD".

Headlines drop the reporting verb, so the parse cannot find the cue; instead the headline line
is matched against the lexicon's headline patterns (source after a colon or a dash, "says X",
"X says ..."). A candidate source must look like a name or a role: short, no verb, no pronoun.
"""

from __future__ import annotations

from ..document import Document
from .lexicon import Lexicon
from .model import Article, Attribution
from .phrases import trim

QUOTE_OPENERS = "\"“„«"


def headline_span(doc: Document) -> tuple[int, int] | None:
    """The headline in the text: the extractor's ``headline`` layer, else ``meta.title`` when
    the text opens with it."""
    layer = doc.get("headline")
    if layer:
        return layer[0].start, layer[0].end
    title = (doc.meta.title or "").strip()
    if title and doc.text.startswith(title) and doc.text[len(title):len(title) + 1] in {"\n", ""}:
        return 0, len(title)
    return None


def headline_attribution(doc: Document, article: Article, lex: Lexicon) -> Attribution | None:
    """The statement the headline attributes to a source, when a pattern matches."""
    span = headline_span(doc)
    if span is None:
        return None
    text = article.text
    start, end = span
    line = text[start:end]
    for _name, pattern in lex.headline_patterns:
        m = pattern.match(line)
        if m is None:
            continue
        has_cue = "cue" in m.groupdict()
        s_start, s_end = trim(text, start + m.start("source"), start + m.end("source"))
        source = article.sp.char_span(s_start, s_end, alignment_mode="expand")
        if (
            source is None
            or not (text[s_start:s_end][:1].isupper() or has_cue)
            or len(source) > lex.limits["headline_source_words"]
            or any(t.tag_.startswith("VB") or t.pos_ == "PRON" for t in source)
        ):
            continue
        c_start, c_end = trim(text, start + m.start("content"), start + m.end("content"))
        cue = (start + m.start("cue"), start + m.end("cue")) if has_cue else None
        label = "direct" if line[m.start("content")] in QUOTE_OPENERS else "indirect"
        return Attribution(label, (c_start, c_end), cue, lex.say, (s_start, s_end),
                           (c_start, c_end), headline=True)
    return None
