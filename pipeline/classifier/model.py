"""The trained event classifier: encoder + feature spec + linear head, saved under ``models/<name>/``.

Files: ``head.npz`` and ``labels.json`` (the head), ``features.json`` (how the
input vector is built), ``manifest.json`` (written by ``pipeline.train``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from ..errors import MissingResourceError
from .encoder import Encoder
from .features import FeatureSpec, build_matrix, encoder_text
from .head import LinearHead
from .ontology import Ontology


@dataclass
class Prediction:
    label: str
    score: float


class EventClassifier:
    def __init__(self, head: LinearHead, spec: FeatureSpec, ontology: Ontology, encoder: Encoder) -> None:
        unknown = set(head.labels) - set(ontology.classes)
        if unknown:
            raise MissingResourceError(f"classifier labels not in the ontology {ontology.source}: {sorted(unknown)}; "
                                       "retrain with `make train`")
        self.head, self.spec, self.ontology, self.encoder = head, spec, ontology, encoder

    def features(self, texts: list[str], titles: Optional[list[Optional[str]]] = None) -> np.ndarray:
        titles = titles or [None] * len(texts)
        emb = self.encoder.encode([encoder_text(t, self.spec, ti) for t, ti in zip(texts, titles)])
        return build_matrix(emb, texts, self.ontology, self.spec)

    def predict(self, texts: list[str], titles: Optional[list[Optional[str]]] = None) -> list[Prediction]:
        if not texts:
            return []
        proba = self.head.predict_proba(self.features(texts, titles))
        best = proba.argmax(axis=1)
        return [Prediction(self.head.labels[i], float(proba[r, i])) for r, i in enumerate(best)]

    def save(self, folder: Path) -> None:
        self.head.save(folder)
        (folder / "features.json").write_text(json.dumps(self.spec.to_dict(), indent=1) + "\n", encoding="utf-8")


def load_classifier(folder: Path, ontology: Ontology, threads: Optional[int] = None) -> EventClassifier:
    """Load a trained classifier; a missing model is an actionable error, never a silent fallback."""
    if not (folder / "head.npz").is_file():
        raise MissingResourceError(
            f"{folder}: no trained event classifier (head.npz); run `make train` "
            "or set stages.events.classifier: rules in the config"
        )
    spec = FeatureSpec(**json.loads((folder / "features.json").read_text(encoding="utf-8")))
    head = LinearHead.load(folder)
    return EventClassifier(head, spec, ontology, Encoder(max_tokens=spec.max_tokens, threads=threads))
