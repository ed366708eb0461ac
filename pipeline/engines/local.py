"""Run tasks in this process (1 worker) or on a local pool of spawned processes.

Results come back either in task order (for a single output file, so output is
byte-identical whatever ``--workers``) or as they finish (shards). At most
``window`` tasks are in flight, so memory stays bounded however long the input.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, Callable, Iterable, Iterator, Optional

from .worker import PipelineSpec, init_worker

log = logging.getLogger(__name__)

_BARRIER: Any = None


def _init(spec: PipelineSpec, threads: int, barrier: Any) -> None:
    global _BARRIER
    _BARRIER = barrier
    init_worker(spec, threads)


def _ready(spec: PipelineSpec, _task: None) -> int:
    """Warm-up task: blocks until every worker holds one, so each worker gets exactly one."""
    from .worker import get_pipeline

    try:
        get_pipeline(spec)  # raises the error the initializer kept back
    finally:
        _BARRIER.wait(timeout=600)
    return os.getpid()


def _outcome(fut: Future, capture: bool) -> Any:
    if capture and fut.exception() is not None:
        return fut.exception()
    return fut.result()


class LocalEngine:
    def __init__(self, spec: PipelineSpec, workers: int = 1, pool: Optional[bool] = None,
                 threads: Optional[int] = None) -> None:
        """``pool=None`` runs 1 worker in this process and more on a process pool;
        ``threads`` caps math-library threads per pool worker (default: cores / workers)."""
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.spec = spec
        self.workers = workers
        self.window = 2 * workers
        self._executor: Optional[ProcessPoolExecutor] = None
        if pool if pool is not None else workers > 1:
            ctx = multiprocessing.get_context("spawn")  # no forked locks or threads from the parent
            threads = threads or max(1, (os.cpu_count() or 1) // workers)
            self._executor = ProcessPoolExecutor(
                max_workers=workers, mp_context=ctx, initializer=_init,
                initargs=(spec, threads, ctx.Barrier(workers)),
            )

    def warm_up(self) -> list[int]:
        """Start every worker and load its models now; returns the worker pids."""
        if self._executor is None:
            from .worker import get_pipeline

            get_pipeline(self.spec)
            return [os.getpid()]
        futures = [self._executor.submit(_ready, self.spec, None) for _ in range(self.workers)]
        return [f.result() for f in futures]

    def imap(self, fn: Callable[[PipelineSpec, Any], Any], tasks: Iterable[Any],
             ordered: bool = True, capture: bool = False) -> Iterator[tuple[int, Any]]:
        """Yield ``(task index, fn(spec, task))``. A task's exception is raised here,
        or with ``capture`` yielded in place of its result (the caller reports it)."""
        if self._executor is None:
            for i, task in enumerate(tasks):
                if not capture:
                    yield i, fn(self.spec, task)
                    continue
                try:
                    result = fn(self.spec, task)
                except Exception as exc:  # reported by the caller with the task's name
                    result = exc
                yield i, result
            return
        pending: deque[tuple[int, Future]] = deque()
        todo = iter(enumerate(tasks))
        exhausted = False
        while True:
            while not exhausted and len(pending) < self.window:
                try:
                    i, task = next(todo)
                except StopIteration:
                    exhausted = True
                    break
                pending.append((i, self._executor.submit(fn, self.spec, task)))
            if not pending:
                return
            if ordered:
                i, fut = pending.popleft()
                yield i, _outcome(fut, capture)
            else:
                done, _ = wait([f for _, f in pending], return_when=FIRST_COMPLETED)
                for item in [p for p in pending if p[1] in done]:
                    pending.remove(item)
                    yield item[0], _outcome(item[1], capture)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def __enter__(self) -> "LocalEngine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
