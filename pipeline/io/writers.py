"""Output writers: JSONL records (validated against the spec) and an errors file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

from ..data import EventRecord, RecordError
from ..schema import EventRecordOut


def record_line(record: EventRecord) -> str:
    """One validated, deterministic JSON line (keys in spec order, no pretty-printing)."""
    data = record.to_dict()
    EventRecordOut.model_validate(data)
    return json.dumps(data, ensure_ascii=False, separators=(", ", ": ")) + "\n"


def error_line(error: RecordError) -> str:
    """One error as JSON. A report must never kill the run: text that UTF-8 cannot hold
    (a lone surrogate from a file name or a field) is written \\u-escaped instead."""
    data = error.to_dict()
    line = json.dumps(data, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(data, ensure_ascii=True)
    return line + "\n"


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def errors_path_for(output: Path) -> Path:
    """``out/events.jsonl`` → ``out/events.errors.jsonl``."""
    name = output.name[: -len(".jsonl")] if output.name.endswith(".jsonl") else output.name
    return output.with_name(name + ".errors.jsonl")


def config_path_for(output: Path) -> Path:
    name = output.name[: -len(".jsonl")] if output.name.endswith(".jsonl") else output.name
    return output.with_name(name + ".config.json")


def write_lines(fh: IO[str], lines) -> int:
    n = 0
    for line in lines:
        fh.write(line)
        n += 1
    return n


TMP_SUFFIX = ".tmp"


class AtomicWriter:
    """Write a text file so that readers see either nothing or the whole file.

    Lines go to a hidden temp file in the same folder (``.NAME.<token>.tmp``);
    ``commit()`` flushes, fsyncs and renames it over NAME, then fsyncs the folder,
    so a crash at any point leaves at most a stale temp file, never half a NAME.
    The sha256 of what was written is kept for the manifest.
    """

    def __init__(self, path: Path) -> None:
        import hashlib
        import uuid

        self.path = path
        self.tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}{TMP_SUFFIX}")
        self._fh = open(self.tmp, "w", encoding="utf-8", newline="\n")
        self._hash = hashlib.sha256()
        self.lines = 0
        self.bytes = 0

    def write(self, line: str) -> None:
        data = line.encode("utf-8")
        self._hash.update(data)
        self._fh.write(line)
        self.lines += 1
        self.bytes += len(data)

    def flush(self) -> None:
        self._fh.flush()

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def commit(self) -> None:
        import os

        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        os.replace(self.tmp, self.path)
        fsync_dir(self.path.parent)

    def abort(self) -> None:
        self._fh.close()
        self.tmp.unlink(missing_ok=True)

    def __enter__(self) -> "AtomicWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None and not self._fh.closed:
            self.abort()


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX needs the directory fsynced)."""
    import os

    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def append_durable(path: Path, line: str) -> None:
    """Append one line and fsync: a manifest entry is on disk before we go on."""
    import os

    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line)
        fh.flush()
        os.fsync(fh.fileno())


def file_sha256(path: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
