"""Events stage: which sentences report an event, and of which ACLED sub-type.

Batch-first: the candidate sentences of every document in the batch go through
one classifier call. A cheap prefilter (any trigger of the ontology's lexicon,
or a count in the sentence) skips sentences that cannot be events, because the
encoder dominates the cost. ``classifier: minilm`` uses the trained head over
the frozen MiniLM encoder fused with a TF-IDF model (``make train``); ``classifier: tfidf`` uses
that TF-IDF model alone (no torch: several times faster, a few points of F1 lower);
``classifier: rules`` uses the ontology's trigger rules alone and is the configured
fallback. Non-event sentences get no mention.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Literal, Optional

from pydantic import Field

from ..config import PROJECT_ROOT, ConfigPath, StageConfig, Strict
from ..data import AnnotatedDoc, EventMentionValue, Mention
from ..registry import register
from .base import Stage

log = logging.getLogger(__name__)

NAME = "events.v1"


class TrainConfig(Strict):
    """How ``news-events train`` builds the classifier (part of the resolved config in its manifest)."""

    sentences: ConfigPath = Field(PROJECT_ROOT / "corpus" / "sentences", description="the project's labelled sentences")
    case_dev: bool = Field(True, description="add CASE 2021 dev (../shared/benchmarks) when present")
    plover: bool = Field(False, description="add PLOVER sentences (mapped labels) when present")
    C: float = Field(10.0, gt=0, description="inverse regularisation of the logistic-regression head")
    trigger_features: bool = True
    trigger_weight: float = Field(0.25, ge=0)
    title: bool = Field(False, description="prepend the article title to the sentence")
    tfidf_weight: float = Field(1.5, ge=0, description="weight of the fused TF-IDF model (0: MiniLM head alone)")
    tfidf_C: float = Field(10.0, gt=0, description="inverse regularisation of the TF-IDF model")
    max_tokens: int = Field(128, ge=8, le=512)
    quantize: bool = Field(True, description="int8 encoder (about 2.5x faster on CPU; the head is trained on it)")
    cv_folds: int = Field(5, ge=2, description="folds of the cross-validation reported in the manifest")


class EventsConfig(StageConfig):
    classifier: Literal["minilm", "tfidf", "rules"] = Field(
        "minilm", description="trained head over MiniLM fused with TF-IDF, the TF-IDF model alone, or trigger rules")
    ontology: ConfigPath = Field(PROJECT_ROOT / "configs" / "ontology.yaml")
    model: ConfigPath = Field(PROJECT_ROOT / "models" / "event-classifier")
    min_score: float = Field(0.6, ge=0, le=1, description="minimum probability that a sentence reports an event "
                                                        "(summed over the sub-types; the best sub-type labels it)")
    prefilter: bool = Field(True, description="skip sentences with no trigger word and no count")
    max_sentence_chars: int = Field(600, ge=20, description="longer sentences are truncated")
    threads: Optional[int] = Field(1, ge=1, description="torch threads per process (workers x threads <= cores)")
    train: TrainConfig = TrainConfig()


@register
class EventsStage(Stage):
    name = NAME
    requires = frozenset({"doc", "counts"})
    provides = frozenset({"event_mentions"})
    Config = EventsConfig

    def _ontology(self):
        from ..classifier.ontology import load_ontology

        path = Path(self.config.ontology)
        return self.resources.get(("ontology", str(path)), lambda: load_ontology(path))

    def _classifier(self):
        from ..classifier.model import load_classifier

        path = Path(self.config.model)
        ontology = self._ontology()  # outside the loader: Resources' lock is not re-entrant
        return self.resources.get(("event-classifier", str(path), str(self.config.ontology)),
                                  lambda: load_classifier(path, ontology, self.config.threads))

    def _tfidf(self):
        from ..classifier.model import load_tfidf

        path = Path(self.config.model)
        return self.resources.get(("event-tfidf", str(path)), lambda: load_tfidf(path))

    def warm_up(self) -> None:
        self._ontology()
        if self.config.classifier == "minilm":
            self._classifier()
        elif self.config.classifier == "tfidf":
            self._tfidf()

    def __call__(self, docs: list[AnnotatedDoc]) -> None:
        ontology = self._ontology()
        cfg = self.config
        todo: list[tuple[AnnotatedDoc, int, str]] = []  # (doc, sentence index, text)
        for doc in docs:
            doc.layers["event_mentions"] = []
            with_counts = {m.sent for m in doc.layer("counts")}
            for i, sent in enumerate(doc.sentences):
                text = sent.text[: cfg.max_sentence_chars]
                if cfg.prefilter and i not in with_counts and ontology.any_trigger(text) is None:
                    continue
                todo.append((doc, i, text))
        if not todo:
            return
        if cfg.classifier == "rules":
            for doc, i, text in todo:
                matches = ontology.matches(text)
                if matches:
                    best = matches[0]
                    self._emit(doc, i, best.event_type, best.sub_event_type, min(1.0, 0.5 + best.priority / 200),
                               best.trigger, best.reason)
            return
        texts = [t for _, _, t in todo]
        type_of = ontology.type_of
        if cfg.classifier == "tfidf":
            preds = self._tfidf().predict_events(texts, set(type_of))
        else:
            preds = self._classifier().predict_events(texts, [d.article.title for d, _, _ in todo])
        for (doc, i, text), pred in zip(todo, preds):
            if pred.event_score < cfg.min_score:
                continue
            rule = next((m for m in ontology.matches(text) if m.sub_event_type == pred.sub_type), None)
            trigger = rule.trigger if rule else ontology.any_trigger(text)
            agrees = f"; rule agrees ({rule.trigger!r})" if rule else ""
            self._emit(doc, i, type_of[pred.sub_type], pred.sub_type, pred.event_score, trigger,
                       f"{cfg.classifier}: event p={pred.event_score:.2f}, {pred.sub_type} "
                       f"p={pred.sub_type_score:.2f}{agrees}")

    @staticmethod
    def _emit(doc: AnnotatedDoc, i: int, etype: str, sub: str, score: float, trigger: Optional[str], reason: str) -> None:
        sent = doc.sentences[i]
        doc.layers["event_mentions"].append(Mention(
            start=sent.start, end=sent.end, text=sent.text, label="EVENT", stage=NAME,
            value=EventMentionValue(etype, sub, round(score, 4), trigger), reason=reason, sent=i,
        ))
