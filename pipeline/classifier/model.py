"""The trained event classifier: encoder + feature spec + linear head, saved under ``models/<name>/``.

Files: ``head.npz`` and ``labels.json`` (the head), ``features.json`` (how the
input vector is built), ``tfidf.npz``/``tfidf.json`` (the fused TF-IDF model,
when ``tfidf_weight`` > 0), ``manifest.json`` (written by ``pipeline.train``).
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
from .tfidf import TfidfModel, fuse


@dataclass
class Prediction:
    label: str
    score: float


@dataclass
class EventPrediction:
    """The pipeline's reading of one sentence: how likely it reports an event at all (the summed
    probability of the 25 sub-types), and which sub-type if it does."""

    sub_type: str
    sub_type_score: float
    event_score: float


def event_predictions(labels: list[str], proba: np.ndarray, event_labels: set[str]) -> list[EventPrediction]:
    """Event vs not first, then the sub-type: related sub-types ("Other", "Change to group/activity")
    split an event sentence's probability, so the top label alone can fall under a threshold that
    the sentence's event probability clears."""
    cols = [i for i, lab in enumerate(labels) if lab in event_labels]
    if not cols:
        return [EventPrediction(labels[0], 0.0, 0.0) for _ in range(len(proba))]
    sub = proba[:, cols]
    best = sub.argmax(axis=1)
    return [EventPrediction(labels[cols[b]], float(sub[r, b]), float(sub[r].sum())) for r, b in enumerate(best)]


class EventClassifier:
    def __init__(self, head: LinearHead, spec: FeatureSpec, ontology: Ontology, encoder: Encoder,
                 tfidf: Optional[TfidfModel] = None) -> None:
        unknown = set(head.labels) - set(ontology.classes)
        if unknown:
            raise MissingResourceError(f"classifier labels not in the ontology {ontology.source}: {sorted(unknown)}; "
                                       "retrain with `make train`")
        if (spec.tfidf_weight > 0) != (tfidf is not None):
            raise MissingResourceError(f"classifier: tfidf_weight={spec.tfidf_weight} but the TF-IDF model is "
                                       f"{'missing' if tfidf is None else 'given'}; retrain with `make train`")
        if tfidf is not None and tfidf.labels != head.labels:
            raise MissingResourceError("classifier: the TF-IDF model and the head have different labels; "
                                       "retrain with `make train`")
        self.head, self.spec, self.ontology, self.encoder, self.tfidf = head, spec, ontology, encoder, tfidf

    def features(self, texts: list[str], titles: Optional[list[Optional[str]]] = None) -> np.ndarray:
        titles = titles or [None] * len(texts)
        emb = self.encoder.encode([encoder_text(t, self.spec, ti) for t, ti in zip(texts, titles)])
        return build_matrix(emb, texts, self.ontology, self.spec)

    def predict_proba(self, texts: list[str], titles: Optional[list[Optional[str]]] = None) -> np.ndarray:
        """Probabilities over ``self.head.labels`` (the head fused with the TF-IDF model when it has one)."""
        proba = self.head.predict_proba(self.features(texts, titles))
        if self.tfidf is not None:
            proba = fuse(proba, self.tfidf.log_proba(texts), self.spec.tfidf_weight)
        return proba

    def predict(self, texts: list[str], titles: Optional[list[Optional[str]]] = None) -> list[Prediction]:
        """The most probable of all labels (the CASE evaluation's reading)."""
        if not texts:
            return []
        proba = self.predict_proba(texts, titles)
        return [Prediction(self.head.labels[i], float(proba[r, i])) for r, i in enumerate(proba.argmax(axis=1))]

    def predict_events(self, texts: list[str], titles: Optional[list[Optional[str]]] = None) -> list[EventPrediction]:
        """Event or not, then the sub-type (the pipeline's reading)."""
        if not texts:
            return []
        return event_predictions(self.head.labels, self.predict_proba(texts, titles), set(self.ontology.type_of))

    def save(self, folder: Path) -> None:
        self.head.save(folder)
        if self.tfidf is not None:
            self.tfidf.save(folder)
        else:  # a stale TF-IDF model from an earlier training must not survive next to this head
            for name in ("tfidf.npz", "tfidf.json"):
                (folder / name).unlink(missing_ok=True)
        (folder / "features.json").write_text(json.dumps(self.spec.to_dict(), indent=1) + "\n", encoding="utf-8")


def load_tfidf(folder: Path) -> TfidfModel:
    """The fused model's TF-IDF part alone (``classifier: tfidf``): no encoder, no torch."""
    if not (folder / "tfidf.npz").is_file():
        raise MissingResourceError(f"{folder}: no TF-IDF event model (tfidf.npz); run `make train` "
                                   "(with train.tfidf_weight > 0) or set stages.events.classifier: rules")
    return TfidfModel.load(folder)


def load_classifier(folder: Path, ontology: Ontology, threads: Optional[int] = None) -> EventClassifier:
    """Load a trained classifier; a missing model is an actionable error, never a silent fallback."""
    if not (folder / "head.npz").is_file():
        raise MissingResourceError(
            f"{folder}: no trained event classifier (head.npz); run `make train` "
            "or set stages.events.classifier: rules in the config"
        )
    spec = FeatureSpec(**json.loads((folder / "features.json").read_text(encoding="utf-8")))
    head = LinearHead.load(folder)
    tfidf = None
    if spec.tfidf_weight > 0:
        if not (folder / "tfidf.npz").is_file():
            raise MissingResourceError(f"{folder}: features.json fuses a TF-IDF model but tfidf.npz is missing; "
                                       "run `make train`")
        tfidf = TfidfModel.load(folder)
    encoder = Encoder(max_tokens=spec.max_tokens, threads=threads, quantize=spec.quantize)
    return EventClassifier(head, spec, ontology, encoder, tfidf)
