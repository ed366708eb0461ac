"""Sharded, resumable runs: one output shard per input file, in an output folder.

Layout of OUTDIR::

    NAME.jsonl               records of input shard NAME (atomic: temp + fsync + rename)
    errors/NAME.errors.jsonl articles of NAME that failed (file, line/offset, reason)
    manifest.jsonl           one line per finished shard: counts, sha256, run hash, versions
    config.json              the resolved config of the last run
    _SUCCESS                 written when every shard of the run is finished

A shard counts as finished when the manifest's latest line for it carries the
current run hash and the same input size/mtime, and its output still has the
recorded sha256; a rerun skips those and redoes the rest. A shard is written by
exactly one rename, so a worker killed mid-shard leaves only a stale temp file
(removed at the start and end of every run) and a rescheduled shard can never
duplicate records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import platform
import socket
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

from ..errors import InputError
from ..io.readers import ReadOptions, SUFFIXES, expand_inputs
from .worker import PipelineSpec, get_pipeline, peak_rss_bytes, timing_delta

log = logging.getLogger(__name__)

MANIFEST = "manifest.jsonl"
SUCCESS = "_SUCCESS"
ERRORS_DIR = "errors"
LOCK = ".lock"


@dataclass(frozen=True)
class ShardTask:
    """One input file and where its outputs go; small and picklable."""

    name: str
    input: str
    outdir: str
    default_published: Optional[dt.date] = None
    options: ReadOptions = ReadOptions()

    @property
    def output(self) -> Path:
        return Path(self.outdir) / f"{self.name}.jsonl"

    @property
    def errors(self) -> Path:
        return Path(self.outdir) / ERRORS_DIR / f"{self.name}.errors.jsonl"


@dataclass
class ShardResult:
    name: str
    input: str
    articles: int
    records: int
    errors: int
    sha256: str
    errors_sha256: Optional[str]
    types: Counter = field(default_factory=Counter)
    timings: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    pid: int = 0
    host: str = ""
    peak_rss: int = 0


def shard_name(path: Path, root: Optional[Path]) -> str:
    """``root/a/b.jsonl.gz`` → ``a__b``: readable and unique within one run."""
    rel = path.relative_to(root) if root is not None else Path(path.name)
    text = rel.as_posix()
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    return text.replace("/", "__")


def plan_shards(
    inputs: Iterable[str | Path],
    outdir: Path,
    default_published: Optional[dt.date] = None,
    options: Optional[ReadOptions] = None,
) -> list[ShardTask]:
    """Input files (folders expanded, sorted) → shard tasks; names must not collide."""
    tasks: list[ShardTask] = []
    seen: dict[str, Path] = {}
    for raw in inputs:
        root = Path(raw) if Path(raw).is_dir() else None
        for path in expand_inputs([raw]):
            name = shard_name(path, root)
            if name in seen:
                raise InputError(
                    f"{path} and {seen[name]} would both write shard {name!r}; rename one or pass their common folder"
                )
            seen[name] = path
            tasks.append(ShardTask(name, str(path.resolve()), str(outdir.resolve()), default_published,
                                   options or ReadOptions()))
    return tasks


def process_shard(spec: PipelineSpec, task: ShardTask) -> ShardResult:
    """Run one input file into its output shard (called in a worker; retry-safe)."""
    from ..core import drop_duplicate_ids
    from ..data import Article
    from ..io.readers import read_file
    from ..io.writers import AtomicWriter, error_line, record_line

    t0 = time.perf_counter()
    pipe = get_pipeline(spec)
    before = dict(pipe.timings)
    task.errors.parent.mkdir(parents=True, exist_ok=True)
    articles = records = failed = 0
    types: Counter = Counter()
    with AtomicWriter(task.output) as out, AtomicWriter(task.errors) as err:

        def passed_on():
            nonlocal failed
            for item in drop_duplicate_ids(read_file(Path(task.input), task.default_published, task.options)):
                if isinstance(item, Article):
                    yield item
                else:
                    failed += 1
                    err.write(error_line(item))

        for result in pipe.run(passed_on()):
            articles += 1
            if result.error:
                failed += 1
                err.write(error_line(result.error))
            for record in result.records:
                records += 1
                out.write(record_line(record))
                types[f"{record.event_type} / {record.sub_event_type}"] += 1
        if err.lines:
            err.commit()
            errors_sha = err.sha256
        else:
            err.abort()
            task.errors.unlink(missing_ok=True)  # left by an earlier run of this shard
            errors_sha = None
        out.commit()
    return ShardResult(
        name=task.name, input=task.input, articles=articles, records=records, errors=failed,
        sha256=out.sha256, errors_sha256=errors_sha, types=types,
        timings=timing_delta(before, pipe.timings), seconds=time.perf_counter() - t0,
        pid=os.getpid(), host=socket.gethostname(), peak_rss=peak_rss_bytes(),
    )


# --- the driver's side: run hash, manifest, resume, lock, clean-up -----------


def run_hash(spec: PipelineSpec, default_published: Optional[dt.date], options: ReadOptions) -> str:
    """Everything that can change a shard's output: resolved config and read options."""
    config = spec.load_config()
    blob = json.dumps(
        {"config": config.resolved(), "published": str(default_published), "read": asdict(options)},
        sort_keys=True, default=str,
    ).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def versions(spec: PipelineSpec) -> dict[str, Optional[str]]:
    from .. import __version__

    import spacy

    from importlib.metadata import PackageNotFoundError, version

    config = spec.load_config()
    try:
        model_version: Optional[str] = version(config.spacy.model.replace("_", "-"))
    except PackageNotFoundError:  # a model loaded from a folder has no distribution
        model_version = None
    return {"pipeline": __version__, "spacy": spacy.__version__, "spacy_model": config.spacy.model,
            "spacy_model_version": model_version, "python": platform.python_version()}


def input_identity(path: str) -> dict[str, int]:
    st = os.stat(path)
    return {"input_size": st.st_size, "input_mtime_ns": st.st_mtime_ns}


def manifest_entry(result: ShardResult, task: ShardTask, hash_: str, vers: dict) -> dict[str, Any]:
    outdir = Path(task.outdir)
    return {
        "shard": result.name,
        "input": result.input,
        **input_identity(task.input),
        "output": task.output.relative_to(outdir).as_posix(),
        "errors_file": task.errors.relative_to(outdir).as_posix() if result.errors_sha256 else None,
        "articles": result.articles,
        "records": result.records,
        "errors": result.errors,
        "types": dict(sorted(result.types.items())),
        "sha256": result.sha256,
        "errors_sha256": result.errors_sha256,
        "config_hash": hash_,
        "versions": vers,
    }


def read_manifest(outdir: Path) -> dict[str, dict[str, Any]]:
    """Latest manifest line per shard. A torn last line (crash while appending) is ignored."""
    path = outdir / MANIFEST
    latest: dict[str, dict[str, Any]] = {}
    if not path.exists():
        return latest
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                log.warning("%s:%d: unreadable manifest line ignored (its shard will be redone)", path, lineno)
                continue
            latest[entry["shard"]] = entry
    return latest


def is_finished(task: ShardTask, entry: Optional[dict[str, Any]], hash_: str) -> bool:
    from ..io.writers import file_sha256

    if entry is None or entry.get("config_hash") != hash_ or entry.get("input") != task.input:
        return False
    if {k: entry.get(k) for k in ("input_size", "input_mtime_ns")} != input_identity(task.input):
        return False
    if not task.output.exists() or file_sha256(task.output) != entry.get("sha256"):
        return False
    return entry.get("errors_sha256") is None or (
        task.errors.exists() and file_sha256(task.errors) == entry["errors_sha256"]
    )


def clean_stale_temp(outdir: Path) -> int:
    """Remove temp files left by killed workers or crashed runs."""
    from ..io.writers import TMP_SUFFIX

    n = 0
    for folder in (outdir, outdir / ERRORS_DIR):
        if folder.is_dir():
            for path in folder.glob(f".*{TMP_SUFFIX}"):
                path.unlink(missing_ok=True)
                n += 1
    if n:
        log.info("%s: removed %d stale temp files", outdir, n)
    return n


class OutdirLock:
    """One run per output folder at a time: ``OUTDIR/.lock`` holds host and pid.

    A lock left by a dead process on this host is taken over; any other lock is
    an error that says which run holds it.
    """

    def __init__(self, outdir: Path) -> None:
        self.path = outdir / LOCK
        self.held = False

    def __enter__(self) -> "OutdirLock":
        me = f"{socket.gethostname()} {os.getpid()}"
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self.path.read_text(encoding="utf-8").strip()
                host, _, pid = holder.partition(" ")
                if host == socket.gethostname() and pid.isdigit() and not _alive(int(pid)):
                    log.warning("%s: taking over the lock of dead process %s", self.path, pid)
                    self.path.unlink(missing_ok=True)
                    continue
                raise InputError(
                    f"{self.path}: another run ({holder}) is writing this folder; "
                    "wait for it, or delete the lock file if that run is gone"
                ) from None
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(me + "\n")
            self.held = True
            return self
        raise InputError(f"{self.path}: cannot take the lock")

    def __exit__(self, *exc) -> None:
        if self.held:
            self.path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
