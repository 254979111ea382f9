"""The ``quotes`` stage: who said what, and in whose voice each sentence speaks.

The finding is done by the ``attribution`` package (quote marks, cues, reported speech,
headline attribution, speaker resolution; see its docstring for the layout); this module runs
it in order on one document and turns the result into layers. English is read on the spaCy
parse; the languages with a cue file (``attribution/data/languages``) without one
(``attribution.multilingual``).

Layers: ``quotes`` (labels direct | indirect | mixed) and ``voice`` (one span per sentence:
quoted | attributed | own-voice). View: ``speakers``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..attribution.cues import CueReader
from ..attribution.direct import DirectQuotes, inherit_adjacent
from ..attribution.headline import headline_attribution, headline_span
from ..attribution.lexicon import lexicon
from ..attribution import multilingual
from ..attribution.model import Article, Attribution
from ..attribution.phrases import trim
from ..attribution.quote_marks import find_quoted
from ..attribution.reported import ReportedSpeech, absorb_partial
from ..attribution.speakers import Resolver
from ..document import Document, Span
from ..models.spacy_model import SpacyStage, parse
from ..pipeline import register
from ..views import view

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc


def _sentence_spans(doc: Document, sp: SpacyDoc) -> list[Span]:
    """The segment stage's sentences; the parse's own when the stage did not run."""
    if doc.get("sentences"):
        return doc.get("sentences")
    spans = []
    for s in sp.sents:
        start, end = trim(doc.text, s.start_char, s.end_char, " \t\n")
        if start < end:
            spans.append(doc.span(start, end, "sentence", stage="quotes"))
    return spans


def _paragraph_bounds(doc: Document) -> list[tuple[int, int]]:
    if doc.get("paragraphs"):
        return [(p.start, p.end) for p in doc.get("paragraphs")]
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", doc.text)]


def find_attributions(doc: Document, article: Article) -> list[Attribution]:
    """Every attributed statement of the article, in text order, speakers resolved."""
    lex = lexicon()
    quoted = list(find_quoted(doc.text, _paragraph_bounds(doc), lex.limits["max_quote_chars"]))
    cues = CueReader(article.sp, lex)
    direct = DirectQuotes(article, cues, lex).find(quoted)
    reported = ReportedSpeech(article, cues, lex).find(quoted, direct)
    direct, reported = absorb_partial(doc.text, direct, reported)
    headline = headline_attribution(doc, article, lex)
    if headline is not None:  # the headline's statement replaces what was found inside it
        reported = [a for a in reported if not a.content[1] <= headline.extent[1]] + [headline]
        direct = [a for a in direct if a.extent[1] > headline.extent[1] + 1]
    inherit_adjacent(doc.text, direct, reported)
    attributions = sorted(direct + reported, key=lambda a: (a.cue or a.content)[0])
    resolver = Resolver(doc, article.sp, quoted=[(q.start, q.end) for q in quoted], headline=headline_span(doc))
    for att in attributions:
        if att.speaker is not None:
            att.resolved = resolver.resolve(*att.speaker)
    resolver.settle_forward(attributions)
    for att in attributions:
        if att.resolved is None and att.inherited_from is not None:
            att.resolved = att.inherited_from.resolved
    return attributions


@register("quotes")
class QuotesStage(SpacyStage):
    """Adds ``quotes`` (with resolved speakers) and ``voice`` (one span per sentence)."""

    version = "2"
    requires = ("sentences", "entities")
    provides = ("quotes", "voice")
    languages = ("en", *multilingual.languages())

    def __call__(self, doc: Document) -> None:
        if not doc.text.strip():
            return
        language = doc.language
        if language == "en":
            sp = parse(doc)
            article = Article(doc.text, sp, _sentence_spans(doc, sp))
            sentences = article.sentences
            attributions = find_attributions(doc, article)
        else:
            sentences = doc.get("sentences")
            attributions = multilingual.find_attributions(doc, language, sentences, _paragraph_bounds(doc))
        quotes = doc.add("quotes", [self._quote_span(doc, sentences, a) for a in attributions])
        by_extent = {(q.start, q.end, q.label): q for q in quotes}
        doc.add("voice", self._voices(doc, sentences, attributions, by_extent))

    def _model_for(self, doc: Document) -> str | None:
        return self.model if doc.language == "en" else multilingual.MODEL_ID

    def _quote_span(self, doc: Document, sentences: list[Span], att: Attribution) -> Span:
        speaker = att.resolved
        ids = [s.id for s in sentences if s.overlaps(*att.extent)]
        score = 0.5 if speaker is None else (att.cue_class.strength if att.cue_class else 0.8)
        if att.inherited_from is not None:
            score *= 0.8
        return doc.span(
            *att.extent, att.label, stage=self.name, model=self._model_for(doc), score=round(score, 3),
            speaker=speaker.name if speaker else None,
            speaker_mention=list(att.speaker) if att.speaker else None,
            speaker_entity=speaker.entity if speaker else None,
            title=speaker.title if speaker else None,
            role=speaker.role if speaker else None,
            organisation=speaker.organisation if speaker else None,
            cue=doc.text[att.cue[0]:att.cue[1]] if att.cue else None,
            cue_span=list(att.cue) if att.cue else None,
            semantics=att.cue_class.semantics if att.cue_class else None,
            content_span=list(att.content),
            sentence=ids[0] if len(ids) == 1 else ids,
            headline=att.headline,
            inherited=att.inherited_from is not None,
        )

    def _voices(self, doc: Document, sentences: list[Span], attributions: list[Attribution],
                quotes: dict[tuple[int, int, str], Span]) -> list[Span]:
        voices = []
        for sentence in sentences:
            label, quote = "own-voice", None
            for att in attributions:
                if att.label == "direct" and sentence.overlaps(*att.extent):
                    label, quote = "quoted", att
                    break
            if quote is None:
                quote = next((a for a in attributions if a.cue and sentence.start <= a.cue[0] < sentence.end
                              or a.headline and sentence.overlaps(*a.extent)), None)
                label = "attributed" if quote is not None else "own-voice"
            q_span = quotes.get((*quote.extent, quote.label)) if quote else None
            voices.append(doc.span(
                sentence.start, sentence.end, label, stage=self.name, model=self._model_for(doc),
                speaker=quote.resolved.name if quote and quote.resolved else None,
                quote=q_span.id if q_span else None, sentence=sentence.id or None,
            ))
        return voices


@view("speakers")
def speakers_view(doc: Document) -> list[dict[str, Any]]:
    """Each speaker once: name, title, role, organisation, where they are named, their quotes."""
    out: dict[str, dict[str, Any]] = {}
    for q in doc.get("quotes"):
        name = q.attrs.get("speaker")
        if not name:
            continue
        entry = out.setdefault(name, {
            "name": name, "title": None, "role": None, "organisation": None, "entity": None,
            "mentions": [], "quotes": [],
        })
        for key, attr in (("title", "title"), ("role", "role"), ("organisation", "organisation"),
                          ("entity", "speaker_entity")):
            entry[key] = entry[key] or q.attrs.get(attr)
        mention = q.attrs.get("speaker_mention")
        if mention and mention not in [[m["start"], m["end"]] for m in entry["mentions"]]:
            entry["mentions"].append({"start": mention[0], "end": mention[1],
                                      "text": doc.text[mention[0]:mention[1]]})
        entry["quotes"].append(q.id)
    return list(out.values())
