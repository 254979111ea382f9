"""Built-in analysis stages; importing this package registers them with the pipeline."""

from . import claims, dates, entities, language, places, quotes, segment  # noqa: F401
