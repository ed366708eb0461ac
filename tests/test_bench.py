"""``news-events bench`` on a tiny corpus and the toy stage: every figure is produced."""

from __future__ import annotations

import argparse
import json

import pytest

from pipeline import bench
from pipeline.data import Article
from pipeline.errors import InputError
from test_runner_stages import MODULE, article_text, write_config

pytestmark = pytest.mark.slow


def test_make_corpus_repeats_articles_with_unique_ids(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps({"id": f"s{i}", "text": article_text(i)}) + "\n" for i in range(3)) + "{bad\n")
    corpus = bench.make_corpus([str(path)], 10)
    assert len(corpus) == 12 and all(isinstance(a, Article) for a in corpus)
    assert len({a.id for a in corpus}) == 12 and corpus[3].text == corpus[0].text
    with pytest.raises(InputError, match="no readable articles"):
        bench.make_corpus([str(_empty(tmp_path))], 10)


def _empty(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("{bad\n")
    return path


def test_bench_prints_one_table_and_writes_figures(tmp_path, capsys):
    src = tmp_path / "src.jsonl"
    src.write_text("".join(json.dumps({"id": f"s{i}", "text": article_text(i) * 3}) + "\n" for i in range(6)))
    parser = argparse.ArgumentParser()
    bench.add_arguments(parser)
    args = parser.parse_args(["--input", str(src), "--articles", "24", "--workers", "2", "--lengths", "1,2",
                              "--config", str(write_config(tmp_path, batch_size=4)), "--import", MODULE,
                              "--out", str(tmp_path / "bench")])
    assert bench.main(args) == 0
    table = capsys.readouterr().out
    for row in ("bare spaCy", "full pipeline, 1 worker", "full pipeline, 2 workers", "peak RSS",
                "time in `spacy`", "time in `toy_events.v1`", "length ×2"):
        assert row in table
    figures = json.loads((tmp_path / "bench" / "bench.json").read_text())
    assert figures["articles"] == 24 and figures["words"] > 0
    assert len(figures["peak_rss_n"]) == 2 and all(x > 50 * 2**20 for x in figures["peak_rss_n"])
    assert set(figures["stages_s"]) == {"spacy", "toy_events.v1"}
    assert [row["k"] for row in figures["scaling"]] == [1, 2]
