"""Run shard tasks on a Dask cluster (``--engine dask [--scheduler tcp://HOST:8786]``).

The task function is the same as for the local engine (``shards.process_shard``);
each Dask worker builds the pipeline once (``worker.get_pipeline``) and keeps it.
Tasks are retried when they raise, and the scheduler reschedules a task whose
worker died mid-shard; shards are written by one atomic rename, so a rerun
shard cannot duplicate records. Without ``--scheduler`` a ``LocalCluster`` of
``workers`` processes is started. The output folder must be on a filesystem
every worker can write (the same machine, or a shared mount).
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Iterable, Iterator, Optional

from ..errors import MissingResourceError
from .worker import PipelineSpec

log = logging.getLogger(__name__)


class DaskEngine:
    def __init__(self, spec: PipelineSpec, workers: int = 2, scheduler: Optional[str] = None,
                 retries: int = 2) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise MissingResourceError(
                "--engine dask needs dask.distributed: pip install 'news-event-pipeline[dask]'"
            ) from None
        self.spec = spec
        self.retries = retries
        self._cluster = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            self._cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True,
                dashboard_address=None, silence_logs=logging.ERROR,
            )
            self.client = Client(self._cluster)
        self.workers = len(self.client.scheduler_info()["workers"]) or workers

    def warm_up(self) -> list[int]:
        """Load the pipeline on every worker now (``client.run`` reaches each once)."""
        from .worker import get_pipeline

        def load(spec: PipelineSpec) -> int:
            import os

            get_pipeline(spec)
            return os.getpid()

        return list(self.client.run(load, self.spec).values())

    def imap(self, fn: Callable[[PipelineSpec, Any], Any], tasks: Iterable[Any],
             ordered: bool = False, capture: bool = False) -> Iterator[tuple[int, Any]]:
        """Submit every task (they are small descriptions of shards) and yield
        ``(index, result)`` as they finish, or in task order when ``ordered``.
        With ``capture`` a task that still fails after its retries yields its
        exception instead of raising it."""
        from distributed import as_completed

        tasks = list(tasks)
        futures = [
            self.client.submit(fn, self.spec, task, retries=self.retries, pure=False)
            for task in tasks
        ]
        index = {f.key: i for i, f in enumerate(futures)}
        if ordered:
            for i, fut in enumerate(futures):
                yield i, _outcome(fut, capture)
            return
        for fut in as_completed(futures):
            yield index[fut.key], _outcome(fut, capture)

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> "DaskEngine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _outcome(fut: Any, capture: bool) -> Any:
    if capture and fut.status == "error":
        return fut.exception()
    return fut.result()
