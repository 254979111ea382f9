"""Language identification with py3langid (fast, reliable on short European/Arabic samples)."""

from __future__ import annotations

from ..document import Document
from ..models.langid import identifier
from ..pipeline import BaseStage, register

MIN_CONFIDENCE = 0.5
SAMPLE_CHARS = 5000  # the language of a news body is settled well before this


def identify(text: str) -> tuple[str, float]:
    """ISO 639-1 code and normalised probability of the text's language."""
    lang, prob = identifier().classify(text[:SAMPLE_CHARS])
    return lang, float(prob)


@register("language")
class LanguageStage(BaseStage):
    """Sets ``meta.language`` unless the input declared it; warns when unsure."""

    version = "1"
    provides = ("language",)

    @property
    def model(self) -> str | None:
        return "py3langid-0.4.0"

    def __call__(self, doc: Document) -> None:
        sample = doc.text if doc.text.strip() else (doc.meta.title or "")
        if not sample.strip():
            return
        lang, prob = identify(sample)
        if doc.meta.language:  # declared by the input: keep it, but flag a clear mismatch
            if lang != doc.meta.language and prob >= 0.95 and len(sample) > 200:
                doc.warn(
                    "language-mismatch",
                    f"the input declares language {doc.meta.language!r} but the text reads as "
                    f"{lang!r} (p={prob:.2f}); the declared language was used",
                    self.name,
                )
            return
        doc.meta.language, doc.meta.language_score = lang, round(prob, 4)
        if prob < MIN_CONFIDENCE:
            doc.warn(
                "language-uncertain",
                f"the language is uncertain (best guess {lang!r}, p={prob:.2f})",
                self.name,
            )
