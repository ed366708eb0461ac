"""news-event-pipeline: news articles in, ACLED-style event records out.

Library use::

    import pipeline
    p = pipeline.load()                      # configs/default.yaml
    records = p.extract(text, published="2022-01-30")
    for result in p.run(articles): ...       # streams ArticleResult

Nothing heavy is imported or loaded here: models load on first use.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "load", "Pipeline", "Article", "EventRecord"]


def __getattr__(name: str):
    # Lazy re-exports keep ``import pipeline`` free of spaCy/pydantic imports.
    if name in ("load", "Pipeline"):
        from . import core

        return getattr(core, name)
    if name in ("Article", "EventRecord"):
        from . import data

        return getattr(data, name)
    raise AttributeError(name)
