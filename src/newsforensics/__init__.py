"""newsforensics: raw news items in, evidence-linked forensic dossiers out.

    from newsforensics import analyze
    dossier = analyze(raw_html_or_text, url=None, published=None)
    dossier.get("quotes")[0].attrs["speaker"]
"""

from __future__ import annotations

import os

# Nothing in this package may reach a model hub; fail fast instead of hanging on a lookup.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from .api import analyze, analyze_many, default_pipeline, extract  # noqa: E402
from .document import Document, Metadata, Removed, Span  # noqa: E402
from .errors import InputError, NewsforensicsError  # noqa: E402
from .pipeline import Pipeline, register  # noqa: E402
from .version import __version__  # noqa: E402

__all__ = [
    "Document", "InputError", "Metadata", "NewsforensicsError", "Pipeline", "Removed", "Span",
    "analyze", "analyze_many", "default_pipeline", "extract", "register", "__version__",
]
