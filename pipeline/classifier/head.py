"""A multinomial logistic-regression head over fixed features, stored as plain arrays.

The head is saved as ``head.npz`` (coefficients, intercepts, feature scaling)
plus ``labels.json`` rather than a pickle: small, reviewable, loadable without
executing code, and independent of the scikit-learn version.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass
class LinearHead:
    labels: list[str]
    coef: np.ndarray  # (n_classes, n_features)
    intercept: np.ndarray  # (n_classes,)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        z = X @ self.coef.T + self.intercept
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, X: np.ndarray) -> list[str]:
        return [self.labels[i] for i in self.predict_proba(X).argmax(axis=1)]

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(folder / "head.npz", coef=self.coef.astype(np.float32),
                            intercept=self.intercept.astype(np.float32))
        (folder / "labels.json").write_text(json.dumps(self.labels, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> "LinearHead":
        with np.load(folder / "head.npz", allow_pickle=False) as z:
            coef, intercept = z["coef"], z["intercept"]
        labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
        if coef.shape[0] != len(labels):
            raise ValueError(f"{folder}: head has {coef.shape[0]} classes but labels.json lists {len(labels)}")
        return cls(labels, coef, intercept)


def fit_head(X: np.ndarray, y: list[str], C: float = 10.0, class_weight: str | None = "balanced",
             max_iter: int = 2000) -> LinearHead:
    """Fit the head (lbfgs, deterministic for a given input)."""
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=C, class_weight=class_weight, max_iter=max_iter)
    clf.fit(X, y)
    coef, intercept = clf.coef_, clf.intercept_
    if len(clf.classes_) == 2:  # sklearn stores one row for binary problems
        coef = np.vstack([-coef[0], coef[0]]) / 2
        intercept = np.array([-intercept[0], intercept[0]]) / 2
    return LinearHead([str(c) for c in clf.classes_], coef, intercept)
