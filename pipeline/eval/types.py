"""Event sub-type classification on CASE 2021 task 2 (one label per snippet).

Scores the trained classifier (models/event-classifier: the MiniLM head fused
with its TF-IDF model), its two parts alone, the ontology's trigger rules and a
TF-IDF (word 1-2-gram) + logistic-regression baseline trained on the same data
as the classifier, in one table: weighted and macro F1 over CASE's 31 labels
(the 25 ACLED sub-types incl. OTHER, plus the 5 types outside ACLED), F1
restricted to the 25 ACLED sub-types, and F1 with the 5 non-ACLED labels
counted as "not an event". Also reports the prefilter's recall (ACLED-labelled
snippets containing a trigger word) and the classifier's throughput.
Run it on test.tsv only to report; tune on dev.tsv.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path
from typing import Any

from ..config import PROJECT_ROOT

log = logging.getLogger(__name__)
NOT_EVENT = "NOT_EVENT"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("tsv", type=Path, help="CASE 2021 task 2 TSV (id, EventSnippet, SubType)")
    parser.add_argument("--predictions", type=Path, help="write the classifier's predictions as JSONL {id, label}")
    parser.add_argument("--config", type=Path, default=None, help="pipeline config (events block; default configs/default.yaml)")
    parser.add_argument("--model", type=Path, default=None, help="classifier folder (default: the config's events.model)")
    parser.add_argument("--shared", type=Path, default=PROJECT_ROOT.parent / "shared",
                        help="shared folder, for the baseline's training data")
    parser.add_argument("--no-baseline", action="store_true", help="skip the TF-IDF baseline and the rules")


def scores(gold: list[str], pred: list[str], acled: list[str]) -> dict[str, float]:
    """F1 three ways: all CASE labels; only the 25 ACLED labels; non-ACLED collapsed to NOT_EVENT."""
    from sklearn.metrics import f1_score

    def collapse(labels: list[str]) -> list[str]:
        return [x if x in acled else NOT_EVENT for x in labels]

    g2, p2 = collapse(gold), collapse(pred)
    present = sorted(set(acled) & set(gold))
    return {
        "all_weighted": f1_score(gold, pred, average="weighted", zero_division=0),
        "all_macro": f1_score(gold, pred, average="macro", labels=sorted(set(gold)), zero_division=0),
        "acled_weighted": f1_score(gold, pred, average="weighted", labels=present, zero_division=0),
        "acled_macro": f1_score(gold, pred, average="macro", labels=present, zero_division=0),
        "collapsed_weighted": f1_score(g2, p2, average="weighted", zero_division=0),
        "collapsed_macro": f1_score(g2, p2, average="macro", labels=sorted(set(g2)), zero_division=0),
    }


def main(args: argparse.Namespace) -> int:
    from ..classifier.datasets import read_case
    from ..classifier.model import load_classifier
    from ..classifier.ontology import load_ontology
    from ..train import events_config

    cfg = events_config(args.config)
    ontology = load_ontology(Path(cfg.ontology))
    to_code = {label: code for code, label in ontology.datasets["case2021"].items()}
    acled = [code for code, label in ontology.datasets["case2021"].items() if ontology.is_event(label)]
    rows = read_case(args.tsv)
    ids, texts, gold = [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]

    def code(label: str) -> str:
        return to_code.get(label, NOT_EVENT)

    results: list[tuple[str, dict[str, float], str]] = []
    model_dir = args.model or Path(cfg.model)
    t0 = time.perf_counter()
    clf = load_classifier(model_dir, ontology, threads=cfg.threads)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    preds = clf.predict(texts)
    pred_s = time.perf_counter() - t0
    pred_codes = [code(p.label) for p in preds]
    fused = f" + tf-idf x{clf.spec.tfidf_weight:g}" if clf.tfidf is not None else ""
    results.append((f"minilm head{fused} ({model_dir.name})", scores(gold, pred_codes, acled),
                    f"{len(texts) / pred_s:.0f} snippets/s, {cfg.threads} thread(s); load {load_s:.1f}s"))

    if not args.no_baseline:
        if clf.tfidf is not None:  # the fused model's parts alone, to show what each brings
            head_labels = clf.head.predict(clf.features(texts))
            results.append(("  its minilm head alone", scores(gold, [code(p) for p in head_labels], acled), ""))
            tf_labels = [clf.tfidf.labels[i] for i in clf.tfidf.log_proba(texts).argmax(axis=1)]
            results.append(("  its tf-idf (word+char) alone", scores(gold, [code(p) for p in tf_labels], acled), ""))
        rule_codes = []
        for t in texts:
            m = ontology.matches(t)
            rule_codes.append(code(m[0].sub_event_type) if m else NOT_EVENT)
        results.append(("rules (ontology triggers)", scores(gold, rule_codes, acled), ""))
        results.append(_tfidf_baseline(cfg, args.shared, ontology, texts, gold, acled, code))

    is_event = [g in acled for g in gold]
    recall = sum(1 for t, e in zip(texts, is_event) if e and ontology.any_trigger(t)) / max(1, sum(is_event))
    print(f"{args.tsv}: {len(rows)} snippets ({sum(is_event)} with an ACLED label)")
    print(f"{'system':34s} {'all wF1':>8s} {'all mF1':>8s} {'ACLED wF1':>10s} {'ACLED mF1':>10s} "
          f"{'ev/non wF1':>10s} {'ev/non mF1':>10s}  notes")
    for name, s, note in results:
        print(f"{name:34s} {s['all_weighted']:8.3f} {s['all_macro']:8.3f} {s['acled_weighted']:10.3f} "
              f"{s['acled_macro']:10.3f} {s['collapsed_weighted']:10.3f} {s['collapsed_macro']:10.3f}  {note}")
    print("all: 31 CASE labels; ACLED: the 25 ACLED sub-types only; ev/non: the 5 non-ACLED labels = not an event")
    print(f"prefilter recall (ACLED snippets with a trigger word): {recall:.3f}")
    if args.predictions:
        args.predictions.parent.mkdir(parents=True, exist_ok=True)
        with args.predictions.open("w", encoding="utf-8") as fh:
            for i, p, c in zip(ids, preds, pred_codes):
                fh.write(json.dumps({"id": i, "label": c, "sub_event_type": p.label, "score": round(p.score, 4)}) + "\n")
        print(f"predictions -> {args.predictions}")
    return 0


def _tfidf_baseline(cfg: Any, shared: Path, ontology: Any, texts: list[str], gold: list[str], acled: list[str],
                    code: Any) -> tuple[str, dict[str, float], str]:
    """TF-IDF (word 1-2-grams) + logistic regression on exactly the classifier's training data."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from ..train import gather_inputs, load_examples

    examples = load_examples(gather_inputs(cfg, shared), ontology, Path(cfg.train.sentences))
    t0 = time.perf_counter()
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    Xtr = vec.fit_transform([e.text for e in examples])
    clf = LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000).fit(Xtr, [e.label for e in examples])
    pred = [code(p) for p in clf.predict(vec.transform(texts))]
    return ("tf-idf + logreg baseline", scores(gold, pred, acled),
            f"same {len(examples)} training examples; train {time.perf_counter() - t0:.1f}s")
