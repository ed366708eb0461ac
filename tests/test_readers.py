"""Readers: every format streams articles and reports bad items with place and reason."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
from pathlib import Path

import pytest

from pipeline.data import Article, RecordError
from pipeline.errors import InputError
from pipeline.io.readers import CsvColumns, ReadOptions, count_articles, expand_inputs, read_file, read_inputs

PUB = dt.date(2022, 1, 30)


def split(items):
    items = list(items)
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, RecordError)]


def test_jsonl_gz_bad_lines_and_truncation(tmp_path):
    path = tmp_path / "a.jsonl.gz"
    lines = [json.dumps({"id": "x1", "text": "One.", "published": "2022-01-02T10:00:00Z"}), "{not json",
             json.dumps({"id": "x2"}), json.dumps({"id": "x3", "text": "Three.", "published": "30/01/2022"}),
             json.dumps({"text": "Four."})]
    data = gzip.compress(("\n".join(lines) + "\n").encode())
    path.write_bytes(data)
    arts, errs = split(read_file(path))
    assert [a.id for a in arts] == ["x1", Article.content_id("Four.")]
    assert arts[0].published == dt.date(2022, 1, 2) and arts[0].origin == f"{path}:1"
    assert [(e.origin, e.article_id) for e in errs] == [(f"{path}:2", None), (f"{path}:3", "x2"), (f"{path}:4", "x3")]
    assert "malformed JSON" in errs[0].reason and "missing field 'text'" in errs[1].reason
    assert "not an ISO date" in errs[2].reason
    assert count_articles(path) == 5

    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(data[: len(data) - 12])
    arts, errs = split(read_file(cut))
    assert errs[-1].reason.startswith("cannot read past line")


def test_txt_folder_with_sidecar(tmp_path):
    (tmp_path / "a.txt").write_text("Text of a.", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(json.dumps({"title": "A", "published": "2021-05-06", "url": "u"}))
    (tmp_path / "b.txt").write_text("Text of b.", encoding="utf-8")
    arts, errs = split(read_inputs([tmp_path], default_published=PUB))
    assert not errs
    assert [(a.id, a.title, a.published, a.url) for a in arts] == [
        ("a", "A", dt.date(2021, 5, 6), "u"), ("b", None, PUB, None)]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def test_csv_configurable_columns_large_fields_and_bad_rows(tmp_path):
    path = tmp_path / "dump.csv"
    big = "word " * 60_000  # 300,000 characters: over the csv module's default field limit
    write_csv(path, ["doc_id", "body", "date", "headline"], [
        ["d1", "First line.\nSecond line of the same article.", "2022-01-30", "H1"],
        ["d2", big, "", ""],
        ["d3", "", "2022-01-30", "H3"],
        ["d4", "Text.", "yesterday", "H4"],
        ["d5", "Short row"],
    ])
    opts = ReadOptions(CsvColumns.parse(["id=doc_id", "text=body", "published=date", "title=headline"]))
    arts, errs = split(read_file(path, PUB, opts))
    assert [a.id for a in arts] == ["d1", "d2"]
    assert arts[0].title == "H1" and arts[0].text.startswith("First line.\nSecond")
    assert arts[1].published == PUB and arts[1].title is None and len(arts[1].text) == len(big)
    # origins give the row's first physical line (row d1 spans lines 2-3)
    assert [a.origin for a in arts] == [f"{path}:2", f"{path}:4"]
    assert [(e.origin, e.article_id) for e in errs] == [(f"{path}:5", "d3"), (f"{path}:6", "d4"), (f"{path}:7", None)]
    assert "missing field 'text'" in errs[0].reason and "not an ISO date" in errs[1].reason
    assert "2 cells, the header has 4" in errs[2].reason


def test_csv_without_text_column_names_the_option(tmp_path):
    path = tmp_path / "x.csv"
    write_csv(path, ["id", "body"], [["1", "Text."]])
    (err,) = read_file(path)
    assert isinstance(err, RecordError) and "--csv-column text=COLUMN" in err.reason and "body" in err.reason


def test_csv_column_spec_errors():
    with pytest.raises(ValueError, match="FIELD=COLUMN"):
        CsvColumns.parse(["text"])
    with pytest.raises(ValueError, match="unknown field 'body'"):
        CsvColumns.parse(["body=text"])


def test_warc_html_pages_become_articles(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = ("<html><head><title>Clashes reported</title>"
            "<meta property='article:published_time' content='2022-01-21T08:00:00Z'></head><body>"
            "<nav>Home | World | Sport</nav><article><h1>Clashes reported</h1>"
            + "<p>Fighting broke out between two armed groups near the river crossing on Friday morning.</p>" * 3
            + "<p>Officials said the roads to the town were closed until further notice.</p></article>"
            "<footer>Copyright</footer></body></html>")
    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)

        def response(url: str, body: bytes, ctype: str) -> None:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))

        response("http://news.example/a", page.encode(), "text/html; charset=utf-8")
        response("http://news.example/logo.png", b"\x89PNG....", "image/png")
        response("http://news.example/empty", b"<html><body></body></html>", "text/html")
    arts, errs = split(read_file(path, PUB))
    (art,) = arts
    assert art.url == "http://news.example/a" and art.title == "Clashes reported"
    assert art.published == dt.date(2022, 1, 21)  # from the page, not the default
    assert "near the river crossing" in art.text and "Home | World" not in art.text
    assert art.id.startswith("warc-") and art.origin.startswith(f"{path}@")
    (err,) = errs
    assert "no article text" in err.reason and err.origin.startswith(f"{path}@")
    assert int(err.origin.rsplit("@", 1)[1]) > int(art.origin.rsplit("@", 1)[1])
    assert count_articles(path) is None


def test_expand_inputs_rejects_unknown_and_missing(tmp_path):
    (tmp_path / "notes.md").write_text("x")
    with pytest.raises(InputError, match="unsupported input type"):
        expand_inputs([tmp_path / "notes.md"])
    with pytest.raises(InputError, match="no such file"):
        expand_inputs([tmp_path / "nope.jsonl"])
    with pytest.raises(InputError, match="holds no"):
        expand_inputs([tmp_path])


def test_lone_surrogates_in_fields_are_reported_and_the_report_is_writable(tmp_path):
    from pipeline.io.writers import error_line

    path = tmp_path / "s.jsonl"
    path.write_bytes(b'{"id": "x\\udc80", "text": "Fine text."}\n{"id": "y", "title": "\\ud800", "text": "T."}\n')
    arts, errs = split(read_file(path))
    assert not arts
    assert "field 'id' is not valid Unicode: unpaired surrogate U+DC80 at character 1" in errs[0].reason
    assert errs[0].article_id == "x\\udc80" and "field 'title'" in errs[1].reason
    for err in errs:
        error_line(err).encode("utf-8")
    from pipeline.data import RecordError as RE

    assert "\\udc80" in error_line(RE(origin="bad\udc80name.jsonl:1", reason="r"))
