"""Classifier input: the text given to the encoder and the extra features appended to its embedding.

CASE snippets and pipeline sentences differ in length and context; the feature
spec is stored with the model so training and prediction build the same vector.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Optional

import numpy as np

from .ontology import Ontology


@dataclass(frozen=True)
class FeatureSpec:
    max_tokens: int = 128
    trigger_features: bool = True  # one 0/1 per sub-type trigger lexicon and per helper lexicon
    trigger_weight: float = 0.5  # scale of those features next to the unit-length embedding
    title: bool = False  # prepend the article title to the sentence
    tfidf_weight: float = 0.0  # weight of the fused TF-IDF model's log-probabilities (0: head alone)
    quantize: bool = False  # int8 encoder (the head was trained on int8 embeddings)

    def to_dict(self) -> dict:
        return asdict(self)


def encoder_text(sentence: str, spec: FeatureSpec, title: Optional[str] = None) -> str:
    if spec.title and title:
        return f"{title.strip()} | {sentence}"
    return sentence


def extra_features(texts: list[str], ontology: Ontology, spec: FeatureSpec) -> np.ndarray:
    if not spec.trigger_features:
        return np.zeros((len(texts), 0), dtype=np.float32)
    return np.asarray([ontology.trigger_vector(t) for t in texts], dtype=np.float32) * spec.trigger_weight


def build_matrix(embeddings: np.ndarray, texts: list[str], ontology: Ontology, spec: FeatureSpec) -> np.ndarray:
    return np.hstack([embeddings, extra_features(texts, ontology, spec)]).astype(np.float32)
