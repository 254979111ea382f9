"""The analyst's workbench: a local web UI and JSON API over the library and the corpus store
(``newsforensics serve``). See docs/web.md."""

from .app import create_app
from .settings import Limits, WebSettings

__all__ = ["Limits", "WebSettings", "create_app"]
