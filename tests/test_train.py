"""The training workflow on a tiny data set: train → save → load → predict, and the up-to-date skip."""

from __future__ import annotations

import json
import logging

import pytest
import yaml

from pipeline.classifier.model import load_classifier
from pipeline.classifier.ontology import load_ontology
from pipeline.stages.events import EventsConfig
from pipeline.train import train_event_classifier

# Invented sentences, four per class: enough for a 2-fold cross-validation.
TINY = {
    "Air/drone strike": [
        "Warplanes bombed the rebel camp in the hills on Monday.",
        "A drone strike hit a pickup truck near the border crossing.",
        "Jets struck a weapons depot outside the city overnight.",
        "An air raid destroyed two houses in the village of Tarsi.",
    ],
    "Peaceful protest": [
        "Hundreds of nurses marched to the ministry to demand better pay.",
        "Students held a peaceful rally on the campus lawn.",
        "Farmers protested outside parliament against the new tax.",
        "Residents staged a sit-in against the closure of the clinic.",
    ],
    "not an event": [
        "The bank reported a rise in quarterly profits.",
        "The new railway line will open next spring.",
        "The minister will visit the northern provinces next week.",
        "Inflation slowed slightly in the last month.",
    ],
}


@pytest.fixture(scope="module")
def tiny_cfg(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sentences")
    (folder / "tiny.yaml").write_text(yaml.safe_dump(TINY), encoding="utf-8")
    return EventsConfig.model_validate({
        "factory": "events.v1",
        "train": {"sentences": str(folder), "case_dev": False, "plover": False, "cv_folds": 2},
    })


def test_train_save_load_predict(tiny_cfg, tmp_path, caplog):
    out = tmp_path / "event-classifier"
    manifest = train_event_classifier(tiny_cfg, out, shared=None)
    assert (out / "head.npz").is_file() and (out / "manifest.json").is_file()
    assert (out / "tfidf.npz").is_file() and (out / "tfidf.json").is_file()  # tfidf_weight defaults to > 0
    assert manifest["data"]["n"] == 12 and manifest["data"]["by_source"] == {"corpus": 12}
    assert set(manifest["metrics"]["cv_all"]) == {"weighted_f1", "macro_f1", "n"}
    assert "cv_case_dev" not in manifest["metrics"]
    assert manifest["versions"]["torch"] and manifest["encoder"]["weights_sha256"]
    on_disk = json.loads((out / "manifest.json").read_text())
    assert on_disk["fingerprint"] == manifest["fingerprint"]

    clf = load_classifier(out, load_ontology(), threads=1)
    preds = clf.predict(["Fighter jets bombed an ammunition store near the airport.",
                         "Teachers marched through the town centre demanding higher salaries."])
    assert [p.label for p in preds] == ["Air/drone strike", "Peaceful protest"]
    assert all(0 < p.score <= 1 for p in preds)

    # Unchanged inputs: skipped. A changed sentence file: retrained.
    with caplog.at_level(logging.INFO, logger="pipeline.train"):
        again = train_event_classifier(tiny_cfg, out, shared=None)
    assert again["status"] == "up to date"
    f = tiny_cfg.train.sentences / "tiny.yaml"
    original = f.read_text()
    try:
        data = yaml.safe_load(original)
        data["not an event"].append("The museum reopened after a long renovation.")
        f.write_text(yaml.safe_dump(data), encoding="utf-8")
        retrained = train_event_classifier(tiny_cfg, out, shared=None)
        assert retrained.get("status") is None and retrained["data"]["n"] == 13
    finally:
        f.write_text(original, encoding="utf-8")


def test_training_without_shared_says_so(tiny_cfg, tmp_path, caplog):
    cfg = tiny_cfg.model_copy(update={"train": tiny_cfg.train.model_copy(update={"case_dev": True})})
    with caplog.at_level(logging.WARNING, logger="pipeline.train"):
        manifest = train_event_classifier(cfg, tmp_path / "m", shared=tmp_path / "no-shared")
    assert "training without it" in caplog.text
    assert manifest["data"]["by_source"] == {"corpus": 12}


def test_fuse_multiplies_probabilities():
    import numpy as np

    from pipeline.classifier.tfidf import fuse

    head = np.array([[0.6, 0.4], [0.5, 0.5]])
    tfidf = np.log(np.array([[0.2, 0.8], [0.9, 0.1]]))
    p = fuse(head, tfidf, 1.0)
    assert np.allclose(p.sum(axis=1), 1.0)
    assert np.allclose(p[0], [0.12 / 0.44, 0.32 / 0.44])  # the TF-IDF model overturns the head
    assert p[1].argmax() == 0
    assert np.allclose(fuse(head, tfidf, 0.0), head)


def test_fused_model_without_its_tfidf_files_is_an_error(tiny_cfg, tmp_path):
    from pipeline.errors import MissingResourceError

    out = tmp_path / "m"
    train_event_classifier(tiny_cfg, out, shared=None)
    ontology = load_ontology()
    texts = ["Warplanes bombed the rebel camp in the hills on Monday."]
    before = load_classifier(out, ontology, threads=1).predict(texts)[0]
    assert load_classifier(out, ontology, threads=1).predict(texts)[0] == before  # reload: same answer
    (out / "tfidf.npz").unlink()
    with pytest.raises(MissingResourceError, match="tfidf.npz"):
        load_classifier(out, ontology, threads=1)


def test_fine_tuning_learns_the_tiny_set():
    """The comparison's fine-tuning path: a few epochs fit 12 sentences, and probabilities are well-formed."""
    from pipeline.classifier.finetune import FineTuneConfig, fine_tune

    texts = [t for sents in TINY.values() for t in sents]
    y = [label for label, sents in TINY.items() for _ in sents]
    model = fine_tune(texts, y, FineTuneConfig(epochs=8, batch_size=4, lr=1e-4, warmup=0.0))
    proba = model.predict_proba(texts)
    assert proba.shape == (12, 3) and abs(float(proba.sum(1).mean()) - 1.0) < 1e-5
    assert [model.labels[i] for i in proba.argmax(1)] == y


def test_compare_fine_tuning_needs_case_dev(tiny_cfg):
    from pipeline.errors import InputError
    from pipeline.train import compare_fine_tuning

    with pytest.raises(InputError, match="CASE 2021 dev"):
        compare_fine_tuning(tiny_cfg, shared=None)
