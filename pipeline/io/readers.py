"""Input readers: stream articles from files without loading a dump into memory.

One interface for every format: ``read_file(path, default_published, options)``
picks the reader by suffix (``.jsonl``/``.jsonl.gz``, ``.txt`` with an optional
``NAME.meta.json`` sidecar, ``.csv``/``.csv.gz``, ``.warc``/``.warc.gz``).
Every reader yields, in file order, either an ``Article`` or a ``RecordError``
(file, line or byte offset, and reason) for an item it could not read, so one
bad line never stops a run and nothing good is lost. ``warcio`` and
``trafilatura`` are imported only when a WARC file is read.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import logging
import zlib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Union

from ..data import Article, RecordError
from ..errors import InputError

log = logging.getLogger(__name__)

Item = Union[Article, RecordError]
SUFFIXES = (".jsonl", ".jsonl.gz", ".txt", ".csv", ".csv.gz", ".warc", ".warc.gz")
# Large articles in CSV cells: the csv module's default 128 KiB field limit is too small.
CSV_FIELD_LIMIT = 2**31 - 1


@dataclass(frozen=True)
class CsvColumns:
    """Which CSV column holds each article field (the header names them)."""

    text: str = "text"
    id: str = "id"
    title: str = "title"
    published: str = "published"
    source: str = "source"
    url: str = "url"
    language: str = "language"

    @classmethod
    def parse(cls, specs: Iterable[str]) -> "CsvColumns":
        """``["text=body", "published=date"]`` → columns; ``ValueError`` names a bad spec."""
        known = {f.name for f in fields(cls)}
        mapping: dict[str, str] = {}
        for spec in specs:
            key, sep, column = spec.partition("=")
            if not sep or not column:
                raise ValueError(f"{spec!r}: expected FIELD=COLUMN, e.g. text=body")
            if key not in known:
                raise ValueError(f"{spec!r}: unknown field {key!r} (fields: {', '.join(sorted(known))})")
            mapping[key] = column
        return cls(**mapping)


@dataclass(frozen=True)
class ReadOptions:
    """Format options that are not in the files themselves (CSV column names, delimiter)."""

    csv_columns: CsvColumns = field(default_factory=CsvColumns)
    csv_delimiter: str = ","


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
    if isinstance(art_id, str):
        _check_unicode("id", art_id)
    optional = {}
    for key in ("title", "source", "url", "language"):
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"field {key!r} must be a string, got {type(value).__name__}")
        if value is not None:
            _check_unicode(key, value)
        optional[key] = value
    return Article(
        id=str(art_id) if art_id is not None else Article.content_id(text),
        text=text,
        published=published,
        origin=origin,
        **optional,
    )


def _check_unicode(key: str, value: str) -> None:
    """JSON's \\ud800 escapes decode to lone surrogates, which no UTF-8 output can hold."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"field {key!r} is not valid Unicode: unpaired surrogate "
                         f"U+{ord(value[exc.start]):04X} at character {exc.start}") from None


def _printable_id(value: Any) -> Optional[str]:
    """An id for an error report: lone surrogates escaped so the report can be written."""
    if value is None:
        return None
    return str(value).encode("utf-8", "backslashreplace").decode("utf-8")


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
                    yield RecordError(origin, str(exc), _printable_id(art_id))
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
        yield RecordError(origin, str(exc), _printable_id(meta.get("id")))


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


def read_csv(
    path: Path, default_published: Optional[dt.date] = None, options: Optional[ReadOptions] = None
) -> Iterator[Item]:
    """One article per row; the header names the columns (``ReadOptions.csv_columns``)."""
    options = options or ReadOptions()
    cols = options.csv_columns
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)
    raw = gzip.open(path, "rb") if path.name.endswith(".gz") else open(path, "rb")
    line = 1
    with raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter=options.csv_delimiter)
        try:
            header = next(reader, None)
        except (csv.Error, UnicodeDecodeError, EOFError, OSError, zlib.error) as exc:
            yield RecordError(f"{path}:1", f"cannot read the CSV header: {exc}")
            return
        if header is None:
            yield RecordError(f"{path}:1", "empty CSV file (no header row)")
            return
        index = {name: i for i, name in enumerate(header)}
        if cols.text not in index:
            yield RecordError(
                f"{path}:1",
                f"no column {cols.text!r} for the article text in the header "
                f"({', '.join(header)}); name it with --csv-column text=COLUMN",
            )
            return
        wanted = {f.name: index.get(getattr(cols, f.name)) for f in fields(cols)}
        while True:
            line = reader.line_num + 1  # the row's first physical line
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield RecordError(f"{path}:{line}", f"malformed CSV row: {exc}")
                continue
            except (UnicodeDecodeError, EOFError, OSError, zlib.error) as exc:
                yield RecordError(f"{path}:{line}", f"cannot read past line {line - 1}: {exc}")
                return
            if not row:
                continue
            if len(row) != len(header):
                yield RecordError(f"{path}:{line}", f"row has {len(row)} cells, the header has {len(header)}")
                continue
            obj = {key: row[i] if i is not None and row[i] != "" else None for key, i in wanted.items()}
            try:
                yield article_from_record(obj, f"{path}:{line}", default_published)
            except ValueError as exc:
                yield RecordError(f"{path}:{line}", str(exc), _printable_id(obj.get("id")))


def read_warc(
    path: Path, default_published: Optional[dt.date] = None, options: Optional[ReadOptions] = None
) -> Iterator[Item]:
    """HTML responses of a WARC file → articles (main text and metadata by trafilatura).

    ``published`` comes from the page's own metadata (not the crawl date, which
    only bounds it), else ``default_published``. Origins are ``file@byte-offset``.
    Records that are not HTML pages (requests, images, scripts) are skipped.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    offset = 0
    skipped = 0
    with open(path, "rb") as fh:
        records = ArchiveIterator(fh)
        try:
            for record in records:
                if record.rec_type not in ("response", "resource"):
                    continue
                content_type = (
                    record.http_headers.get_header("Content-Type", "")
                    if record.http_headers is not None
                    else record.rec_headers.get_header("Content-Type", "")
                ) or ""
                if "html" not in content_type.lower():
                    skipped += 1
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                record_id = record.rec_headers.get_header("WARC-Record-ID") or ""
                html = record.content_stream().read()
                offset = records.get_record_offset()  # only after the payload is read: it reads to the end
                yield _article_from_html(html, url, record_id, f"{path}@{offset}", default_published)
        except (ArchiveLoadFailed, EOFError, OSError, zlib.error) as exc:
            yield RecordError(f"{path}@{offset}", f"cannot read past byte {offset}: {exc}")
    if skipped:
        log.debug("%s: skipped %d non-HTML records", path, skipped)


def _article_from_html(
    html: bytes, url: Optional[str], record_id: str, origin: str, default_published: Optional[dt.date]
) -> Item:
    import trafilatura

    art_id = "warc-" + record_id.strip("<>").removeprefix("urn:uuid:") if record_id else None
    if not html.strip():
        return RecordError(origin, "empty HTML payload", art_id)
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        # Dates from the page's metadata only: a date guessed from the body text would
        # silently become the reference date for every relative date of the article.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None or not (doc.text or "").strip():
        return RecordError(origin, "no article text found in the HTML page", art_id)
    obj = {"id": art_id, "text": doc.text, "title": doc.title, "url": url,
           "source": doc.sitename, "language": doc.language}
    try:
        article = article_from_record({k: v for k, v in obj.items() if v}, origin, default_published)
    except ValueError as exc:
        return RecordError(origin, str(exc), art_id)
    if doc.date:
        try:
            published = parse_published(doc.date)
        except ValueError as exc:
            return RecordError(origin, f"page metadata date: {exc}", art_id)
        article = replace(article, published=published)
    return article


Reader = Callable[[Path, Optional[dt.date], Optional[ReadOptions]], Iterator[Item]]


def _reader_for(path: Path) -> Reader:
    name = path.name
    if name.endswith(".txt"):
        return lambda p, pub, _opts: read_txt(p, pub)
    if name.endswith((".jsonl", ".jsonl.gz")):
        return lambda p, pub, _opts: read_jsonl(p, pub)
    if name.endswith((".csv", ".csv.gz")):
        return read_csv
    if name.endswith((".warc", ".warc.gz")):
        return read_warc
    raise InputError(f"{path}: unsupported input type (expected {', '.join(SUFFIXES)})")


def read_file(
    path: Path, default_published: Optional[dt.date] = None, options: Optional[ReadOptions] = None
) -> Iterator[Item]:
    """Stream one input file of any supported format (see the module docstring)."""
    return _reader_for(Path(path))(Path(path), default_published, options)


def read_inputs(
    inputs: Iterable[Union[str, Path]],
    default_published: Optional[dt.date] = None,
    options: Optional[ReadOptions] = None,
) -> Iterator[Item]:
    for path in expand_inputs(inputs):
        yield from read_file(path, default_published, options)


def count_articles(path: Path) -> Optional[int]:
    """A cheap article count for progress ETAs (newlines; no parsing), or None
    for formats that cannot be counted without parsing (CSV, WARC)."""
    name = path.name
    if name.endswith(".txt"):
        return 1
    if not name.endswith((".jsonl", ".jsonl.gz")):
        return None
    opener = gzip.open if name.endswith(".gz") else open
    n = 0
    last = b"\n"
    try:
        with opener(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                n += block.count(b"\n")
                last = block[-1:]
    except (EOFError, OSError, zlib.error):
        return None  # the reader reports the damage with file and line
    return n + (last != b"\n")
