"""A TF-IDF model (word 1-2-grams + character 2-5-grams, logistic regression) fused with the MiniLM head.

The mean-pooled embedding blurs the few words that decide between close
sub-types ("recaptured" vs "captured", "detained" vs "shot dead"); surface
n-grams keep them. The two models are combined late, by adding the TF-IDF
model's log-probabilities (times ``weight``) to the head's: on 5-fold CV of
CASE dev that beat the head alone and the concatenated features.
Saved as arrays (``tfidf.npz``) and vocabularies (``tfidf.json``), no pickle.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .head import LinearHead, fit_head

WORD = dict(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, lowercase=True)
CHAR = dict(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, lowercase=True)
CHAR_MIN_DF = 2  # character n-grams seen once are mostly noise and double the model's size


@dataclass
class TfidfModel:
    word_vocab: dict[str, int]
    char_vocab: dict[str, int]
    word_idf: np.ndarray
    char_idf: np.ndarray
    head: LinearHead  # over [word features | char features]

    def __post_init__(self) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self._word = TfidfVectorizer(vocabulary=self.word_vocab, **WORD)
        self._word.idf_ = self.word_idf
        self._char = TfidfVectorizer(vocabulary=self.char_vocab, **CHAR)
        self._char.idf_ = self.char_idf

    @property
    def labels(self) -> list[str]:
        return self.head.labels

    def transform(self, texts: list[str]):
        import scipy.sparse as sp

        return sp.hstack([self._word.transform(texts), self._char.transform(texts)]).tocsr()

    def log_proba(self, texts: list[str]) -> np.ndarray:
        return np.log(np.clip(self.head.predict_proba(self.transform(texts)), 1e-9, None))

    def predict_events(self, texts: list[str], event_labels: set[str]) -> list:
        """Event probability and best sub-type of each text (``classifier: tfidf``)."""
        from .model import event_predictions

        if not texts:
            return []
        return event_predictions(self.labels, self.head.predict_proba(self.transform(texts)), event_labels)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(folder / "tfidf.npz", coef=self.head.coef.astype(np.float32),
                            intercept=self.head.intercept.astype(np.float32),
                            word_idf=self.word_idf.astype(np.float64), char_idf=self.char_idf.astype(np.float64))
        (folder / "tfidf.json").write_text(json.dumps({"labels": self.labels, "word_vocab": self.word_vocab,
                                                       "char_vocab": self.char_vocab}, ensure_ascii=False,
                                                      sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> "TfidfModel":
        meta = json.loads((folder / "tfidf.json").read_text(encoding="utf-8"))
        with np.load(folder / "tfidf.npz", allow_pickle=False) as z:
            coef, intercept, word_idf, char_idf = z["coef"], z["intercept"], z["word_idf"], z["char_idf"]
        n_feat = len(meta["word_vocab"]) + len(meta["char_vocab"])
        if coef.shape != (len(meta["labels"]), n_feat):
            raise ValueError(f"{folder}: tfidf.npz has shape {coef.shape}, tfidf.json implies "
                             f"({len(meta['labels'])}, {n_feat}); retrain with `make train`")
        return cls(meta["word_vocab"], meta["char_vocab"], word_idf, char_idf,
                   LinearHead(meta["labels"], coef, intercept))


def fit_tfidf(texts: list[str], y: list[str], C: float = 10.0) -> TfidfModel:
    """Fit both vectorizers and a class-balanced logistic regression on their features (deterministic)."""
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer

    word = TfidfVectorizer(**WORD)
    char = TfidfVectorizer(min_df=CHAR_MIN_DF, **CHAR)
    X = sp.hstack([word.fit_transform(texts), char.fit_transform(texts)]).tocsr()
    head = fit_head(X, y, C=C)
    vocab = lambda v: {str(k): int(i) for k, i in sorted(v.vocabulary_.items(), key=lambda kv: kv[1])}
    return TfidfModel(vocab(word), vocab(char), np.asarray(word.idf_), np.asarray(char.idf_), head)


def fuse(head_proba: np.ndarray, tfidf_log_proba: np.ndarray, weight: float) -> np.ndarray:
    """Probabilities proportional to p_head * p_tfidf ** weight (both over the same label order)."""
    z = np.log(np.clip(head_proba, 1e-9, None)) + weight * tfidf_log_proba
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
