"""Execution engines for batch runs: the same task functions run in-process, on a
local process pool (``--workers N``) or on a Dask cluster (``--engine dask``).

A task never receives a built pipeline (models do not pickle cheaply): it
receives a small, hashable ``PipelineSpec`` and builds the pipeline from it once
per worker process (``worker.get_pipeline``).
"""
