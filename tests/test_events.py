"""Events stage: the ontology, the trigger rules, and the stage with both classifiers."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.classifier.ontology import load_ontology
from pipeline.config import PROJECT_ROOT
from pipeline.errors import MissingResourceError
from pipeline.stages.events import EventsConfig, EventsStage

from helpers import SPEC_LABELS


@pytest.fixture(scope="module")
def ontology():
    return load_ontology()


def test_ontology_has_the_spec_labels(ontology):
    got: dict[str, list[str]] = {}
    for sub, etype in ontology.type_of.items():
        got.setdefault(etype, []).append(sub)
    assert got == SPEC_LABELS
    assert ontology.not_event in ontology.non_event_classes
    # CASE codes map to 25 ACLED sub-types and 5 non-event classes
    case = ontology.datasets["case2021"]
    assert sorted({v for v in case.values() if ontology.is_event(v)}) == sorted(ontology.sub_types)
    assert sum(1 for v in case.values() if not ontology.is_event(v)) == 5


@pytest.mark.parametrize("text,expected", [
    ("A roadside bomb struck a police truck on the road to Kelmar, killing two officers.", "Remote explosive/landmine/IED"),
    ("Police fired tear gas at hundreds of protesters outside the governor's office.", "Protest with intervention"),
    ("Security forces opened fire on demonstrators, killing four, witnesses said.", "Excessive force against protesters"),
    ("A suicide bomber blew himself up near a bus station in the town of Dovra.", "Suicide bomb"),
    ("Soldiers clashed with rebels near the river crossing for most of the day.", "Armed clash"),
    ("Gunmen kidnapped a trader and his son on the highway outside Nasso.", "Abduction/forced disappearance"),
    ("Engineers defused a bomb found under a bridge near the market.", "Disrupted weapons use"),
])
def test_rules_pick_the_specific_sub_type(ontology, text, expected):
    matches = ontology.matches(text)
    assert matches and matches[0].sub_event_type == expected, [m.reason for m in matches]
    assert matches[0].reason.startswith(f"rule:{expected}")


def test_rules_ignore_non_events(ontology):
    assert ontology.matches("The central bank left its main interest rate unchanged on Thursday.") == []
    assert ontology.any_trigger("Exports of coffee grew by a tenth in the first quarter.") is None


def test_bad_ontology_is_a_config_error(tmp_path):
    from pipeline.errors import ConfigError

    bad = tmp_path / "o.yaml"
    bad.write_text("not_event: not an event\nnon_event_classes: [not an event]\ntypes:\n  Battles:\n    Armed clash:\n      triggers: ['(']\n")
    with pytest.raises(ConfigError, match="bad regular expression"):
        load_ontology(bad)


TEXT = ("The finance minister presented the annual budget on Monday. "
        "Warplanes bombed a market in the town of Kessa on Sunday, killing nine people. "
        "Hundreds of students marched peacefully through the capital to demand lower fees.")


def _stage(resources, **kw):
    cfg = EventsConfig.model_validate({"factory": "events.v1", **kw})
    return EventsStage(cfg, resources)


def test_stage_rules_one_mention_per_event_sentence(make_doc, resources):
    doc = make_doc(TEXT, published="2023-03-06")
    doc.layers["counts"] = []
    _stage(resources, classifier="rules")([doc])
    ms = doc.layers["event_mentions"]
    assert [m.value.sub_event_type for m in ms] == ["Air/drone strike", "Peaceful protest"]
    for m in ms:
        sent = doc.sentences[m.sent]
        assert (m.start, m.end, m.text) == (sent.start, sent.end, sent.text)
        assert m.label == "EVENT" and m.stage == "events.v1" and m.reason.startswith("rule:")
        assert 0 < m.value.score <= 1 and m.value.trigger
    assert ms[0].value.event_type == "Explosions/Remote violence"


def test_stage_minilm_types_sentences(make_doc, resources):
    docs = [make_doc(TEXT, published="2023-03-06"),
            make_doc("Rebels seized control of the town of Ilvo after the garrison fled. "
                     "The weather was mild.", id="b")]
    for d in docs:
        d.layers["counts"] = []
    _stage(resources, classifier="minilm")(docs)
    subs = [[m.value.sub_event_type for m in d.layers["event_mentions"]] for d in docs]
    assert subs[0] == ["Air/drone strike", "Peaceful protest"]
    assert subs[1] == ["Non-state actor overtakes territory"]
    m = docs[0].layers["event_mentions"][0]
    assert m.reason.startswith("minilm: event p=") and "Air/drone strike p=" in m.reason and m.sent == 1


def test_stage_tfidf_types_sentences(make_doc, resources):
    doc = make_doc(TEXT, published="2023-03-06")
    doc.layers["counts"] = []
    _stage(resources, classifier="tfidf")([doc])
    subs = [m.value.sub_event_type for m in doc.layers["event_mentions"]]
    assert subs == ["Air/drone strike", "Peaceful protest"]
    assert doc.layers["event_mentions"][0].reason.startswith("tfidf: event p=")


def test_stage_tfidf_never_imports_torch():
    """The point of ``classifier: tfidf``: no encoder, no torch, in a fresh process."""
    import subprocess
    import sys

    code = ("import sys; from pipeline.resources import Resources; "
            "from pipeline.stages.events import EventsConfig, EventsStage; "
            "s = EventsStage(EventsConfig.model_validate({'factory': 'events.v1', 'classifier': 'tfidf'}), Resources()); "
            "s.warm_up(); p = s._tfidf().predict_events(['Warplanes bombed a market on Sunday.'], {'Air/drone strike'}); "
            "print(p[0].sub_type, 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[-1] == "False" and out[0] == "Air/drone"


def test_missing_tfidf_model_is_an_actionable_error(make_doc, resources, tmp_path):
    doc = make_doc("Warplanes bombed the airport on Sunday.")
    doc.layers["counts"] = []
    with pytest.raises(MissingResourceError, match="tfidf.npz"):
        _stage(resources, classifier="tfidf", model=str(tmp_path / "none"))([doc])


def test_prefilter_skips_sentences_without_triggers_or_counts(make_doc, resources):
    doc = make_doc("Nothing happened in the quiet village today. The harvest was good.")
    doc.layers["counts"] = []
    stage = _stage(resources, classifier="minilm")
    stage([doc])
    assert doc.layers["event_mentions"] == []


def test_missing_model_is_an_actionable_error(make_doc, resources, tmp_path):
    doc = make_doc("Warplanes bombed the airport on Sunday.")
    doc.layers["counts"] = []
    stage = _stage(resources, classifier="minilm", model=str(tmp_path / "none"))
    with pytest.raises(MissingResourceError, match="make train"):
        stage([doc])


def test_committed_model_is_small_and_has_a_manifest():
    folder = PROJECT_ROOT / "models" / "event-classifier"
    total = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    assert total < 25 * 2**20
    import json

    manifest = json.loads((folder / "manifest.json").read_text())
    assert {"inputs", "config", "metrics", "versions", "fingerprint"} <= set(manifest)


def test_int8_embedding_of_a_sentence_does_not_depend_on_its_batch():
    """Dynamic quantization scales a batch's activations together; the encoder keeps sentences apart,
    so a record never changes with how a run is chunked across workers."""
    import numpy as np

    from pipeline.classifier.encoder import Encoder

    enc = Encoder(max_tokens=64, threads=1, quantize=True)
    a = "Warplanes bombed a market in the town of Kessa on Sunday, killing nine people."
    others = ["Hundreds of students marched through the capital.",
              "A very long sentence " + "about nothing in particular " * 8 + "ends here."]
    alone = enc.encode([a])[0]
    together = enc.encode(others + [a])[2]
    assert np.array_equal(alone, together)


def test_traced_encoder_gives_the_eager_models_embeddings():
    """The TorchScript trace is a speed-up only: the head was trained on the eager model's output,
    so every length (including one cut at max_tokens) must give the same bits."""
    import numpy as np
    import torch

    from pipeline.classifier.encoder import Encoder

    texts = ["Clashes.",
             "Police arrested 14 people after the rally in Dhaka turned violent on Friday evening.",
             "Residents said the shelling " + "went on through the night and " * 20 + "stopped at dawn."]
    traced = Encoder(max_tokens=48, threads=1, quantize=True, trace=True)
    eager = Encoder(max_tokens=48, threads=1, quantize=True, trace=False)
    assert isinstance(traced._forward, torch.jit.ScriptModule)  # not the eager fallback
    assert np.array_equal(traced.encode(texts), eager.encode(texts))


def test_event_probability_is_summed_over_the_sub_types():
    import numpy as np

    from pipeline.classifier.model import event_predictions

    labels = ["Other", "Change to group/activity", "not an event"]
    proba = np.array([[0.35, 0.33, 0.32], [0.2, 0.1, 0.7]])
    first, second = event_predictions(labels, proba, {"Other", "Change to group/activity"})
    assert (first.sub_type, round(first.sub_type_score, 2), round(first.event_score, 2)) == ("Other", 0.35, 0.68)
    assert round(second.event_score, 2) == 0.3
