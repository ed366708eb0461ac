"""What runs inside a worker: the once-per-process pipeline and the chunk task.

Workers are separate processes (spawned, or Dask workers); each builds its
pipeline from a ``PipelineSpec`` the first time a task needs it and keeps it for
every later task, so spaCy and the models load once per worker.
"""

from __future__ import annotations

import importlib
import logging
import os
import resource
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional, Union

from ..data import Article, RecordError

if TYPE_CHECKING:
    from ..core import Pipeline

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PipelineSpec:
    """How to build the pipeline in a worker: config file, dotted overrides, and
    modules to import first (plugins that register extra stages)."""

    config: Optional[str] = None
    overrides: tuple[tuple[str, Any], ...] = ()
    imports: tuple[str, ...] = ()

    def load_config(self):
        from ..config import load_config
        from ..errors import InputError

        for module in self.imports:
            try:
                importlib.import_module(module)
            except ModuleNotFoundError as exc:
                if exc.name is None or not module.startswith(exc.name):
                    raise  # the plugin exists but one of its own imports is missing: a bug there
                raise InputError(f"--import {module}: no module named {exc.name!r} (is it on PYTHONPATH?)") from None
        return load_config(self.config, dict(self.overrides))

    def build(self) -> "Pipeline":
        from ..core import Pipeline

        return Pipeline(self.load_config())


_PIPELINES: dict[PipelineSpec, "Pipeline"] = {}
_LOCK = threading.Lock()


def get_pipeline(spec: PipelineSpec) -> "Pipeline":
    """This process's pipeline for ``spec``: built and warmed up on first use only."""
    with _LOCK:
        pipe = _PIPELINES.get(spec)
        if pipe is None:
            log.info("worker %d: loading the pipeline", os.getpid())
            pipe = spec.build()
            pipe.warm_up()
            _PIPELINES[spec] = pipe
        return pipe


def init_worker(spec: PipelineSpec, threads: int) -> None:
    """Process-pool initializer: load everything before the first task arrives and
    cap math-library threads so N workers do not oversubscribe the cores.

    A user error (missing model, bad config) is not raised here: an exception in
    an initializer breaks the whole pool (BrokenProcessPool, no message). The
    first task calls ``get_pipeline`` again, raises the same error, and it
    reaches the driver as itself (exit 2 with its message)."""
    from ..errors import PipelineError

    try:
        get_pipeline(spec)
    except PipelineError as exc:
        log.debug("worker %d: pipeline not built (%s); the first task reports it", os.getpid(), exc)
    limit_threads(threads)


def limit_threads(threads: int) -> None:
    from threadpoolctl import threadpool_limits

    threadpool_limits(threads)
    import sys

    if "torch" in sys.modules:  # only when a stage actually loaded it
        sys.modules["torch"].set_num_threads(threads)


def peak_rss_bytes() -> int:
    """Peak resident set size of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@dataclass
class ChunkResult:
    """Serialised output of one chunk of input items, in input order."""

    record_lines: list[str] = field(default_factory=list)
    error_lines: list[str] = field(default_factory=list)
    items: int = 0  # input items, articles and unreadable ones
    articles: int = 0
    failed: int = 0
    types: Counter = field(default_factory=Counter)
    timings: dict[str, float] = field(default_factory=dict)
    pid: int = 0
    peak_rss: int = 0
    cpu_s: float = 0.0  # CPU seconds this chunk took in its worker (all threads)


def process_chunk(spec: PipelineSpec, items: list[Union[Article, RecordError]]) -> ChunkResult:
    """Run the pipeline over a chunk; reader errors pass through in their place so
    the errors file is in input order whatever the number of workers."""
    from ..io.writers import error_line, record_line

    import time

    pipe = get_pipeline(spec)
    cpu0 = time.process_time()
    before = dict(pipe.timings)
    out = ChunkResult(items=len(items), pid=os.getpid())
    pending: list[Article] = []

    def flush() -> None:
        for result in pipe.run(pending):
            out.articles += 1
            if result.error:
                out.failed += 1
                out.error_lines.append(error_line(result.error))
            for record in result.records:
                out.record_lines.append(record_line(record))
                out.types[f"{record.event_type} / {record.sub_event_type}"] += 1
        pending.clear()

    for item in items:
        if isinstance(item, Article):
            pending.append(item)
        else:
            flush()
            out.failed += 1
            out.error_lines.append(error_line(item))
    flush()
    out.timings = timing_delta(before, pipe.timings)
    out.peak_rss = peak_rss_bytes()
    out.cpu_s = time.process_time() - cpu0
    return out


def timing_delta(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {k: v - before.get(k, 0.0) for k, v in after.items()}
