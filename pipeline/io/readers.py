"""Input readers: stream articles from files without loading a dump into memory.

Every reader yields, in file order, either an ``Article`` or a ``RecordError``
(file, line and reason) for an item it could not read, so one bad line never
stops a run and nothing good is lost.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
import zlib
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Union

from ..data import Article, RecordError
from ..errors import InputError

log = logging.getLogger(__name__)

Item = Union[Article, RecordError]
SUFFIXES = (".jsonl", ".jsonl.gz", ".txt")


def parse_published(value: Any) -> Optional[dt.date]:
    """ISO date or datetime → date; raises ``ValueError`` with a readable reason."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"'published' must be an ISO date string, got {type(value).__name__}")
    text = value.strip()
    try:
        return dt.date.fromisoformat(text[:10]) if len(text) >= 10 else dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'published' is not an ISO date (YYYY-MM-DD): {value!r}") from None


def article_from_record(obj: Any, origin: str, default_published: Optional[dt.date] = None) -> Article:
    """Validate one decoded input record; ``ValueError`` says what is wrong."""
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    text = obj.get("text")
    if text is None:
        raise ValueError("missing field 'text'")
    if not isinstance(text, str):
        raise ValueError(f"field 'text' must be a string, got {type(text).__name__}")
    if not text.strip():
        raise ValueError("field 'text' is empty")
    published = parse_published(obj.get("published")) or default_published
    art_id = obj.get("id")
    if art_id is not None and not isinstance(art_id, (str, int)):
        raise ValueError(f"field 'id' must be a string, got {type(art_id).__name__}")
    optional = {}
    for key in ("title", "source", "url", "language"):
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"field {key!r} must be a string, got {type(value).__name__}")
        optional[key] = value
    return Article(
        id=str(art_id) if art_id is not None else Article.content_id(text),
        text=text,
        published=published,
        origin=origin,
        **optional,
    )


def read_jsonl(path: Path, default_published: Optional[dt.date] = None) -> Iterator[Item]:
    opener = gzip.open if path.name.endswith(".gz") else open
    lineno = 0
    try:
        with opener(path, "rb") as fh:
            for lineno, raw in enumerate(fh, 1):
                origin = f"{path}:{lineno}"
                if not raw.strip():
                    continue
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    yield RecordError(origin, f"line is not valid UTF-8 (byte {exc.start})")
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield RecordError(origin, f"malformed JSON: {exc.msg} at column {exc.colno}")
                    continue
                try:
                    yield article_from_record(obj, origin, default_published)
                except ValueError as exc:
                    art_id = obj.get("id") if isinstance(obj, dict) else None
                    yield RecordError(origin, str(exc), str(art_id) if art_id is not None else None)
    except (EOFError, OSError, zlib.error) as exc:
        # A truncated or corrupt .gz: everything before the damage was yielded.
        yield RecordError(f"{path}:{lineno + 1}", f"cannot read past line {lineno}: {exc}")


def read_txt(path: Path, default_published: Optional[dt.date] = None) -> Iterator[Item]:
    """One article per ``.txt`` file; ``NAME.meta.json`` beside it may give id/title/published/url."""
    origin = str(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        yield RecordError(origin, f"file is not valid UTF-8 (byte offset {exc.start})")
        return
    meta: dict[str, Any] = {"id": path.stem}
    sidecar = path.with_name(path.stem + ".meta.json")
    if sidecar.exists():
        try:
            extra = json.loads(sidecar.read_text(encoding="utf-8"))
            if not isinstance(extra, dict):
                raise ValueError("expected a JSON object")
            meta.update(extra)
        except (ValueError, UnicodeDecodeError) as exc:
            yield RecordError(str(sidecar), f"unreadable sidecar: {exc}", path.stem)
            return
    meta["text"] = text
    try:
        yield article_from_record(meta, origin, default_published)
    except ValueError as exc:
        yield RecordError(origin, str(exc), str(meta.get("id")))


def expand_inputs(inputs: Iterable[Union[str, Path]]) -> list[Path]:
    """Files and folders → a sorted list of readable input files (folders recursed)."""
    files: list[Path] = []
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.name.endswith(SUFFIXES))
            if not found:
                raise InputError(f"{path}: folder holds no {', '.join(SUFFIXES)} files")
            files.extend(found)
        elif path.is_file():
            if not path.name.endswith(SUFFIXES):
                raise InputError(f"{path}: unsupported input type (expected {', '.join(SUFFIXES)})")
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return files


def read_file(path: Path, default_published: Optional[dt.date] = None) -> Iterator[Item]:
    if path.name.endswith(".txt"):
        return read_txt(path, default_published)
    return read_jsonl(path, default_published)


def read_inputs(inputs: Iterable[Union[str, Path]], default_published: Optional[dt.date] = None) -> Iterator[Item]:
    for path in expand_inputs(inputs):
        yield from read_file(path, default_published)
