"""Known disinformation narratives: the catalogue (format, built-in, users' own), the matcher
(meaning + multilingual keywords + places, calibrated) and the stance of a matching sentence."""

from .catalogue import Catalogue, Example, Narrative, load_catalogue
from .matcher import Match, NarrativeMatcher

__all__ = ["Catalogue", "Example", "Match", "Narrative", "NarrativeMatcher", "load_catalogue"]
