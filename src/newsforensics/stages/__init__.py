"""Built-in analysis stages; importing this package registers them with the pipeline."""

from . import claims, dateline, dates, denials, entities, factchecks, framing, language, narratives, places, quotes, segment, sources, techniques  # noqa: F401
