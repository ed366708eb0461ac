"""Process articles into event records.

Inputs are .jsonl, .jsonl.gz, .txt (NAME.meta.json sidecar for id/title/
published/url), .csv/.csv.gz (--csv-column names the columns) or .warc/.warc.gz
files, or folders of them. Everything is streamed: a dump is never loaded whole.

Two output modes:

  -o OUT.jsonl   one file of records (JSONL, one event per line, in input order);
                 failed articles go to OUT.errors.jsonl (file, line or offset,
                 reason); the resolved config to OUT.config.json.
  -o OUTDIR/     (an existing folder, or a name ending in /) a sharded, resumable
                 run: one OUTDIR/NAME.jsonl per input file, written via temp file
                 + fsync + atomic rename; OUTDIR/errors/NAME.errors.jsonl;
                 OUTDIR/manifest.jsonl (a line per finished shard: counts, sha256,
                 config hash, versions); OUTDIR/_SUCCESS at the end. A rerun
                 skips finished shards unless the config (or --published, or the
                 CSV options) changed. --engine dask runs shards on a Dask cluster.

--workers N uses N processes (models load once per worker); the output is
byte-identical whatever N. The progress bar (stderr, articles/s and ETA) is shown
only on a terminal unless --progress on. Exit status: 0 all articles processed,
1 some articles (or shards) failed, 2 bad option, input path or config.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import logging
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

log = logging.getLogger(__name__)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="input files or folders")
    p.add_argument("-o", "--output", required=True,
                   help="output JSONL file, or a folder (existing, or ending in /) for a sharded run")
    p.add_argument("--config", type=Path, default=None, help="pipeline config (default: configs/default.yaml)")
    p.add_argument("--published", default=None,
                   help="publication date (YYYY-MM-DD) for articles that carry none")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="worker processes (default 1: in this process)")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local processes, or a Dask cluster (needs -o OUTDIR/ and the [dask] extra)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="Dask scheduler, e.g. tcp://HOST:8786 (default: a LocalCluster of --workers processes)")
    p.add_argument("--chunk-size", type=int, default=None, metavar="N",
                   help="articles per task sent to a worker in single-file mode (default: 64 with "
                        "--workers > 1, else the spaCy batch size, so records reach the file as they are made)")
    p.add_argument("--csv-column", action="append", default=[], metavar="FIELD=COLUMN",
                   help="CSV column holding an article field, e.g. text=body (repeatable; "
                        "fields: id text title published source url language; default: same names)")
    p.add_argument("--csv-delimiter", default=",", help="CSV delimiter (default ,)")
    p.add_argument("--progress", choices=("auto", "on", "off"), default="auto",
                   help="progress bar on stderr (auto: only on a terminal)")
    p.add_argument("--import", dest="imports", action="append", default=[], metavar="MODULE",
                   help="import MODULE first, here and in every worker (a plugin registering extra stages)")


def main(args: argparse.Namespace) -> int:
    from .cli import EXIT_OK, EXIT_PARTIAL
    from .engines.worker import PipelineSpec
    from .errors import InputError
    from .io.readers import CsvColumns, ReadOptions, parse_published

    try:
        default_published = parse_published(args.published)
    except ValueError as exc:
        raise InputError(f"--published: {exc}") from None
    try:
        options = ReadOptions(CsvColumns.parse(args.csv_column), args.csv_delimiter)
    except ValueError as exc:
        raise InputError(f"--csv-column {exc}") from None
    if len(args.csv_delimiter) != 1:
        raise InputError(f"--csv-delimiter must be one character, got {args.csv_delimiter!r}")
    if args.workers < 1:
        raise InputError(f"--workers must be at least 1, got {args.workers}")
    if args.chunk_size is not None and args.chunk_size < 1:
        raise InputError(f"--chunk-size must be at least 1, got {args.chunk_size}")
    spec = PipelineSpec(config=str(args.config.resolve()) if args.config else None, imports=tuple(args.imports))
    show = args.progress == "on" or (args.progress == "auto" and sys.stderr.isatty())
    output = Path(args.output)
    sharded = args.output.endswith(("/", "\\")) or output.is_dir()
    if sharded:
        ok = run_sharded(spec, args.inputs, output, default_published, options, workers=args.workers,
                         engine=args.engine, scheduler=args.scheduler, show_progress=show)
    else:
        if args.engine != "local" or args.scheduler:
            raise InputError("--engine dask writes shards: give -o a folder (OUTDIR/)")
        ok = run_single(spec, args.inputs, output, default_published, options, workers=args.workers,
                        chunk_size=args.chunk_size, show_progress=show)
    return EXIT_OK if ok else EXIT_PARTIAL


# --- progress ---------------------------------------------------------------


class Progress:
    """tqdm on stderr (articles/s, ETA when the total is known), or nothing."""

    def __init__(self, show: bool, total: Optional[int]) -> None:
        self._bar = None
        if show:
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="art", file=sys.stderr, dynamic_ncols=True, smoothing=0.1)

    def update(self, n: int) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def estimate_total(paths: Iterable[Path]) -> Optional[int]:
    from .io.readers import count_articles

    total = 0
    for path in paths:
        n = count_articles(path)
        if n is None:
            return None
        total += n
    return total


# --- one output file ----------------------------------------------------------


def chunked(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def run_single(spec, inputs: list[str], output: Path, default_published: Optional[dt.date], options,
               workers: int = 1, chunk_size: Optional[int] = None, show_progress: bool = False) -> bool:
    """Write every record to ``output`` in input order; True when nothing failed."""
    from .cli import summary
    from .core import drop_duplicate_ids
    from .engines.local import LocalEngine
    from .engines.worker import process_chunk
    from .io.readers import expand_inputs, read_inputs
    from .io.writers import TMP_SUFFIX, AtomicWriter, config_path_for, errors_path_for, write_json

    paths = expand_inputs(inputs)  # bad paths fail before any model loads
    config = spec.load_config()
    if chunk_size is None:
        chunk_size = 64 if workers > 1 else config.spacy.batch_size
    output.parent.mkdir(parents=True, exist_ok=True)
    write_json(config_path_for(output), config.resolved())
    errors_path = errors_path_for(output)
    for target in (output, errors_path):  # temp files of a run that was killed
        for stale in target.parent.glob(f".{target.name}.*{TMP_SUFFIX}"):
            log.info("removing stale temp file %s", stale)
            stale.unlink()
    n_articles = n_errors = 0
    types: Counter = Counter()
    progress = Progress(show_progress, estimate_total(paths) if show_progress else None)
    with LocalEngine(spec, workers) as engine, AtomicWriter(output) as out, AtomicWriter(errors_path) as err:
        chunks = chunked(drop_duplicate_ids(read_inputs(paths, default_published, options)), chunk_size)
        for _, result in engine.imap(process_chunk, chunks, ordered=True):
            for line in result.record_lines:
                out.write(line)
            for line in result.error_lines:
                err.write(line)
            out.flush()  # the temp file shows how far the run got
            n_articles += result.articles
            n_errors += result.failed
            types.update(result.types)
            progress.update(result.items)
        progress.close()
        err.commit()
        out.commit()
    sys.stderr.write(summary(n_articles, types, n_errors, output) + "\n")
    if n_errors:
        sys.stderr.write(f"{n_errors} articles failed: see {errors_path}\n")
    return n_errors == 0


# --- sharded, resumable output folder -------------------------------------------


def run_sharded(spec, inputs: list[str], outdir: Path, default_published: Optional[dt.date], options,
                workers: int = 1, engine: str = "local", scheduler: Optional[str] = None,
                show_progress: bool = False) -> bool:
    """One output shard per input file; True when every shard and article succeeded."""
    import json

    from .cli import summary
    from .engines import shards
    from .errors import PipelineError
    from .io.writers import AtomicWriter, append_durable

    tasks = shards.plan_shards(inputs, outdir, default_published, options)
    outdir.mkdir(parents=True, exist_ok=True)
    with shards.OutdirLock(outdir):
        shards.clean_stale_temp(outdir)
        (outdir / shards.SUCCESS).unlink(missing_ok=True)
        config = spec.load_config()
        with AtomicWriter(outdir / "config.json") as fh:
            fh.write(json.dumps(config.resolved(), indent=2, sort_keys=True, ensure_ascii=False) + "\n")
            fh.commit()
        hash_ = shards.run_hash(spec, default_published, options)
        vers = shards.versions(spec)
        manifest = shards.read_manifest(outdir)
        todo = [t for t in tasks if not shards.is_finished(t, manifest.get(t.name), hash_)]
        skipped = len(tasks) - len(todo)
        if skipped:
            log.info("%s: %d of %d shards already finished with this config: skipped", outdir, skipped, len(tasks))
        n_articles = n_records = n_errors = 0
        types: Counter = Counter()
        failed_shards: list[str] = []
        for task in tasks:  # finished earlier: their counts belong to this output too
            if task not in todo:
                entry = manifest[task.name]
                n_articles += entry["articles"]
                n_records += entry["records"]
                n_errors += entry["errors"]
                types.update(entry.get("types", {}))
        processed = 0
        progress = Progress(show_progress, estimate_total(Path(t.input) for t in todo) if show_progress else None)
        start = time.perf_counter()
        if todo:
            with _engine(spec, engine, workers, scheduler, len(todo)) as runner:
                for i, result in runner.imap(shards.process_shard, todo, ordered=False, capture=True):
                    task = todo[i]
                    if isinstance(result, PipelineError):
                        raise result  # bad config or missing model: every shard would fail alike
                    if isinstance(result, BaseException):
                        log.error("shard %s (%s) failed: %s: %s", task.name, task.input,
                                  type(result).__name__, result)
                        failed_shards.append(task.name)
                        continue
                    append_durable(outdir / shards.MANIFEST,
                                   json.dumps(shards.manifest_entry(result, task, hash_, vers)) + "\n")
                    processed += result.articles
                    n_articles += result.articles
                    n_records += result.records
                    n_errors += result.errors
                    types.update(result.types)
                    progress.update(result.articles)
        progress.close()
        shards.clean_stale_temp(outdir)  # left by workers killed during this run
        if not failed_shards:
            (outdir / shards.SUCCESS).write_text("", encoding="utf-8")
    elapsed = time.perf_counter() - start
    sys.stderr.write(summary(n_articles, types, n_errors, outdir) + "\n")
    sys.stderr.write(f"{len(todo) - len(failed_shards)} shards written, {skipped} skipped (finished earlier), "
                     f"{len(failed_shards)} failed; {processed / elapsed if elapsed else 0:.1f} articles/s\n")
    if n_errors:
        sys.stderr.write(f"{n_errors} articles failed: see {outdir / shards.ERRORS_DIR}\n")
    if failed_shards:
        sys.stderr.write(f"shards failed (rerun to retry): {', '.join(sorted(failed_shards))}\n")
    return not n_errors and not failed_shards


def _engine(spec, engine: str, workers: int, scheduler: Optional[str], n_tasks: int):
    if engine == "dask":
        from .engines.dask_engine import DaskEngine

        return DaskEngine(spec, workers=workers, scheduler=scheduler)
    from .engines.local import LocalEngine

    return LocalEngine(spec, max(1, min(workers, n_tasks)))
