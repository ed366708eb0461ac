"""`news-events eval dates`: the TimeML loader, the TempEval-3 style scorer and the command."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pipeline.cli import main
from pipeline.eval.timeml import Timex, find_files, parse, score, strip

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>made_up_1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2021-06-11" functionInDocument="CREATION_TIME">June 11, 2021</TIMEX3></DCT>
<TITLE>Not scored</TITLE>
<TEXT>
Villagers <EVENT eid="e1">said</EVENT> <TIMEX3 tid="t1" type="DATE" value="2021-06-10">yesterday</TIMEX3> that \
the &quot;road&quot; &amp; bridge <EVENT eid="e2">closed</EVENT> <TIMEX3 tid="t2" type="DURATION" value="P3D">three days</TIMEX3> \
ago, and it will reopen <TIMEX3 tid="t3" type="DATE" value="2021-06">this month</TIMEX3>.
</TEXT>
</TimeML>
"""


def test_loader_strips_tags_unescapes_and_keeps_offsets(tmp_path):
    path = tmp_path / "made_up_1.tml"
    path.write_text(TML, encoding="utf-8")
    doc = parse(path)
    assert doc.dct == dt.date(2021, 6, 11)
    assert "<" not in doc.text and '"road" & bridge' in doc.text and "Not scored" not in doc.text
    assert [(t.text, t.type, t.value) for t in doc.timexes] == [
        ("yesterday", "DATE", "2021-06-10"), ("three days", "DURATION", "P3D"), ("this month", "DATE", "2021-06")]
    for t in doc.timexes:
        assert doc.text[t.start:t.end] == t.text


def test_strip_offsets_after_entities():
    text, timexes = strip('a &amp; b <TIMEX3 type="DATE" value="2020">2020</TIMEX3>')
    assert text == "a & b 2020" and (timexes[0].start, timexes[0].end) == (6, 10)


def test_scorer_relaxed_one_to_one_and_values():
    gold = [Timex(0, 9, "yesterday", "DATE", "2021-06-10"), Timex(20, 30, "three days", "DURATION", "P3D"),
            Timex(40, 50, "this month", "DATE", "2021-06")]
    system = [Timex(0, 9, "yesterday", "DATE", "2021-06-10"), Timex(20, 34, "three days ago", "DATE", "2021-06-08"),
              Timex(60, 65, "x", "DATE", "2020")]
    c, pairs = score(gold, system)
    t = c.table()
    assert (c.span_match, c.value_match) == (2, 1)
    assert t["span_p"] == pytest.approx(2 / 3) and t["span_r"] == pytest.approx(2 / 3)
    assert t["value_f1"] == pytest.approx(1 / 3)
    assert t["date_value_acc"] == pytest.approx(1 / 2)  # 2 gold DATEs, one right
    assert t["type_acc"] == pytest.approx(1 / 2)
    assert pairs[2] == (gold[2], None)


def test_find_files_accepts_folders_and_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.tml").write_text(TML, encoding="utf-8")
    (tmp_path / "y.tml").write_text(TML, encoding="utf-8")
    files = find_files([tmp_path / "a", tmp_path / "y.tml"])
    assert [f.name for f in files] == ["x.tml", "y.tml"]


def test_command_prints_table_and_writes_predictions(tmp_path, capsys):
    path = tmp_path / "made_up_1.tml"
    path.write_text(TML, encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    assert main(["eval", "dates", str(path), "--predictions", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "dates.v1" in printed and "val F1" in printed and "ms per 400 words" in printed
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert all(set(r) == {"doc", "start", "end", "text", "type", "value"} for r in rows)
    by_text = {r["text"]: r for r in rows}
    assert by_text["yesterday"]["value"] == "2021-06-10"
    assert by_text["three days ago"]["value"] == "2021-06-08"
    assert by_text["this month"]["value"] == "2021-06"
    doc = parse(path)
    assert all(doc.text[r["start"]:r["end"]] == r["text"] for r in rows)


def test_command_with_baseline_prints_both_rows(tmp_path, capsys):
    path = tmp_path / "made_up_1.tml"
    path.write_text(TML, encoding="utf-8")
    assert main(["eval", "dates", str(path), "--baseline"]) == 0
    printed = capsys.readouterr().out
    assert "dates.v1" in printed and "dateparser search_dates" in printed


def test_missing_path_is_a_user_error(tmp_path, capsys):
    assert main(["eval", "dates", str(tmp_path / "absent")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_dev_files_score_well(shared_dir):
    """A few TBAQ (dev) documents: the stage beats the plain dateparser baseline on value F1."""
    from pipeline.eval.dates import build_stage, run_baseline, run_stage, total

    folder = shared_dir / "benchmarks" / "dates" / "TBAQ-cleaned" / "TimeBank"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    docs = [parse(p) for p in sorted(folder.glob("*.tml"))[:8]]
    stage, nlp = build_stage(None)
    system, _, _ = run_stage(docs, stage, nlp)
    ours = total(docs, system).table()
    base = total(docs, run_baseline(docs)).table()
    assert ours["span_f1"] > 0.8 and ours["value_f1"] > 0.6
    assert ours["value_f1"] > base["value_f1"] + 0.2
