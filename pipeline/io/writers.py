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
    return json.dumps(error.to_dict(), ensure_ascii=False) + "\n"


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
