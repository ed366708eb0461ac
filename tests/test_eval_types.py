"""eval types: the three F1 views and a run on a slice of CASE dev (skips without ../shared)."""

from __future__ import annotations

import argparse
import csv
import json

import pytest

from pipeline.eval import types


def test_scores_collapse_non_acled_labels():
    acled = ["AIR_STRIKE", "ARREST"]
    gold = ["AIR_STRIKE", "ARREST", "DIPLO", "NATURAL_DISASTER"]
    pred = ["AIR_STRIKE", "ARREST", "NATURAL_DISASTER", "DIPLO"]
    s = types.scores(gold, pred, acled)
    assert s["all_weighted"] == pytest.approx(0.5)  # the two non-ACLED labels are swapped
    assert s["acled_weighted"] == pytest.approx(1.0)
    assert s["collapsed_weighted"] == pytest.approx(1.0)  # both are "not an event"
    pred[0] = "ARREST"
    assert types.scores(gold, pred, acled)["acled_macro"] < 1.0


def test_eval_types_on_case_dev_slice(shared_dir, tmp_path, capsys):
    src = shared_dir / "benchmarks" / "events" / "case2021-task2" / "dev.tsv"
    with src.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))[:40]
    tsv = tmp_path / "slice.tsv"
    with tsv.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["id", "EventSnippet", "SubType"], delimiter="\t")
        w.writeheader()
        w.writerows(rows)
    parser = argparse.ArgumentParser()
    types.add_arguments(parser)
    out = tmp_path / "pred.jsonl"
    assert types.main(parser.parse_args([str(tsv), "--predictions", str(out), "--no-baseline"])) == 0
    printed = capsys.readouterr().out
    assert "minilm head" in printed and "prefilter recall" in printed
    preds = [json.loads(line) for line in out.read_text().splitlines()]
    assert [p["id"] for p in preds] == [r["id"] for r in rows]
    assert all(set(p) >= {"id", "label"} for p in preds)
