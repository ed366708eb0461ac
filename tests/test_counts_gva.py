"""eval counts-gva: the reducer, the scorer on hand-made articles, and a smoke run on the dev part."""

from __future__ import annotations

import argparse
import json

import pytest

from pipeline.data import CountValue, Mention
from pipeline.errors import InputError
from pipeline.eval import counts_gva


def mention(category, value, superseded=False, background=False, start=0):
    v = CountValue(category, value, superseded=superseded, background=background)
    return Mention(start, start + 1, "x", "COUNT", "counts.v1", v, "test")


def test_reducer_takes_first_current_figure():
    counts = [mention("killed", 9, superseded=True), mention("killed", 40, background=True),
              mention("killed", 2), mention("killed", 5), mention("injured", None)]
    assert counts_gva.reduce_counts(counts, "killed")[0] == 2
    assert counts_gva.reduce_counts(counts, "injured") == (0, None)


def run(tmp_path, xs, ys, *extra):
    (tmp_path / "x.json").write_text(json.dumps(xs))
    (tmp_path / "y.json").write_text(json.dumps(ys))
    parser = argparse.ArgumentParser()
    counts_gva.add_arguments(parser)
    return counts_gva.main(parser.parse_args([str(tmp_path / "x.json"), str(tmp_path / "y.json"), *extra]))


def test_scores_hand_made_articles(tmp_path, capsys):
    xs = [{"text": "A man was shot and killed on Elm Street on Friday night. Two other men were wounded.",
           "publish_date": "2018-03-03"},
          {"text": "Police arrested a 45-year-old man after a fight at a bar. No one was injured. Call 555-301-4477.",
           "publish_date": "2018-03-03"}]
    ys = [{"n_killed": 1, "n_injured": 2}, {"n_killed": 0, "n_injured": 0}]
    out = tmp_path / "pred.jsonl"
    assert run(tmp_path, xs, ys, "--predictions", str(out)) == 0
    text = capsys.readouterr().out
    assert "pipeline (exact match)     1.000    1.000" in text
    assert "always 0                   0.500    0.500" in text
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["pred_killed"], r["pred_injured"]) for r in rows] == [(1, 2), (0, 0)]


def test_mismatched_files_are_a_user_error(tmp_path):
    with pytest.raises(InputError, match="labels"):
        run(tmp_path, [{"text": "x"}], [])


def test_dev_smoke(shared_dir, capsys):
    base = shared_dir / "benchmarks" / "counts-gva"
    parser = argparse.ArgumentParser()
    counts_gva.add_arguments(parser)
    args = parser.parse_args([str(base / "X_dev.json"), str(base / "y_dev.json"), "--limit", "40"])
    assert counts_gva.main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    killed, injured = map(float, next(l for l in lines if l.startswith("pipeline")).split()[-2:])
    zero_killed, zero_injured = map(float, next(l for l in lines if l.startswith("always 0")).split()[-2:])
    # on these 40 articles always-0 scores 0.800 / 0.525 and counts.v1 0.925 / 0.725
    assert killed >= zero_killed + 0.1 and injured >= zero_injured + 0.15
