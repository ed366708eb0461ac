"""The common stage interface (stanza's REQUIRES/PROVIDES, spaCy's versioned names).

A stage reads layers of ``AnnotatedDoc`` it ``requires`` and adds the layers it
``provides``. It is called on a batch of documents (batch-first, so a stage can
vectorise: one classifier call for all sentences of the batch). The layer
``doc`` (the spaCy parse, sentences, entities) is always available.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from ..config import StageConfig
from ..data import AnnotatedDoc
from ..resources import Resources

BASE_LAYERS = frozenset({"doc"})
# Capital letters in a regular-expression class, accented ones included: datelines are written in capitals
# ("CÚCUTA, Colombia —", "DOUALA —"), and [A-Z] alone misses them.
CAPS = "A-ZÀ-ÖØ-Þ"


class Stage(ABC):
    name: ClassVar[str]  # versioned registry name, e.g. "dates.v1"
    requires: ClassVar[frozenset[str]] = BASE_LAYERS
    provides: ClassVar[frozenset[str]]
    Config: ClassVar[type[StageConfig]] = StageConfig

    def __init__(self, config: StageConfig, resources: Resources) -> None:
        self.config = config
        self.resources = resources

    @abstractmethod
    def __call__(self, docs: list[AnnotatedDoc]) -> None:
        """Add this stage's layers to every document of the batch, in place."""

    def warm_up(self) -> None:
        """Load what the stage needs now (workers call this once before a run)."""
