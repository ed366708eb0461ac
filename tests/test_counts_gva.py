"""eval counts-gva: the reducer, the scorer on hand-made articles, and a smoke run on the dev part."""

from __future__ import annotations

import argparse
import json

import pytest

from pipeline.data import CountValue, Mention
from pipeline.errors import InputError
from pipeline.eval import counts_gva


def mention(category, value, superseded=False, background=False, sent=0, reason="test", part_of=None, adds_to=None,
            cue=None):
    v = CountValue(category, value, superseded=superseded, background=background, part_of=part_of, adds_to=adds_to,
                   cue=cue)
    return Mention(sent, sent + 1, "x", "COUNT", "counts.v1", v, reason, sent)


def figure(counts, category):
    return counts_gva.reduce_counts(counts, category)[0]


def test_reducer_takes_first_current_figure():
    counts = [mention("killed", 9, superseded=True), mention("killed", 40, background=True, sent=1),
              mention("killed", 2, sent=2), mention("killed", 5, sent=3), mention("injured", None, sent=3),
              mention("killed", 1, sent=4, part_of=2)]
    assert figure(counts, "killed") == 2
    assert counts_gva.reduce_counts(counts, "injured") == (0, [])


def test_others_add_to_the_sentence_before():
    # "Five people were wounded. ... found three men shot. Two other men went to hospital."
    counts = [mention("injured", 5, sent=0), mention("injured", 3, sent=1),
              mention("injured", 2, sent=2, adds_to="previous")]
    assert figure(counts, "injured") == 5
    # "A man was shot. Another man was shot. A third ..." chains
    counts = [mention("injured", 1, sent=0), mention("injured", 1, sent=1, adds_to="previous"),
              mention("injured", 1, sent=2, adds_to="previous")]
    value, used = counts_gva.reduce_counts(counts, "injured")
    assert value == 3 and len(used) == 3
    # "One man died and four others were hurt. X was pronounced dead. Four other men were injured."
    counts = [mention("killed", 1, sent=0), mention("injured", 4, sent=0), mention("killed", 1, sent=1),
              mention("injured", 4, sent=2, adds_to="previous")]
    assert figure(counts, "injured") == 4 and figure(counts, "killed") == 1


def test_adds_within_a_sentence_and_to_the_figure_so_far():
    counts = [mention("injured", 1, sent=0), mention("injured", 1, sent=0, adds_to="so_far")]
    assert figure(counts, "injured") == 2
    # the shooter's own death after his victim's, sentences apart
    counts = [mention("killed", 1, sent=0), mention("killed", 1, sent=1, superseded=True),
              mention("killed", 1, sent=4, adds_to="so_far")]
    assert figure(counts, "killed") == 2
    # a background sentence is no sentence before: "Two others" then has nothing to add to
    counts = [mention("injured", 3, sent=0, background=True), mention("injured", 2, sent=1, adds_to="previous")]
    assert figure(counts, "injured") == 2


def test_only_people_shot_count():
    # "A customer was shot after stabbing a worker": the archive counts the one shot
    counts = [mention("injured", 1, cue="shoot"), mention("injured", 1, adds_to="so_far", cue="stab")]
    assert figure(counts, "injured") == 1
    # an armed robbery with no gunfire: the victim's bruises are no gunshot injury
    counts = [mention("injured", 1, cue="injury")]
    robbery = "Two men with a handgun robbed a clerk on Elm Street. The clerk suffered minor injuries."
    assert counts_gva.incident_figure(robbery, counts, "injured") == (0, [])
    shooting = "A man fired two shots at a clerk on Elm Street. The clerk suffered minor injuries."
    assert counts_gva.incident_figure(shooting, counts, "injured")[0] == 1


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
    xs.append({"text": "A woman was shot in the leg on Main Street on Sunday. Another woman was also wounded, "
                       "and a 20-year-old man was shot in the arm.",
               "publish_date": "2018-03-03"})
    ys.append({"n_killed": 0, "n_injured": 3})
    out = tmp_path / "pred.jsonl"
    assert run(tmp_path, xs, ys, "--predictions", str(out)) == 0
    text = capsys.readouterr().out
    assert "pipeline (exact match)     1.000    1.000" in text
    assert "always 0                   0.667    0.333" in text
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["pred_killed"], r["pred_injured"]) for r in rows] == [(1, 2), (0, 0), (0, 3)]
    assert len(rows[2]["injured_from"]) == 3 and all(set(u) == {"text", "reason"} for u in rows[2]["injured_from"])


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
