"""``news-events run``: bad input goes to the errors file, outputs are atomic and
identical whatever --workers, and sharded runs resume without duplicating."""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import pytest

from pipeline import runner
from pipeline.engines import shards
from pipeline.errors import InputError
from test_runner_stages import MODULE, article_text, write_config

pytestmark = pytest.mark.slow  # loads the spaCy model


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="news-events run")
    runner.add_arguments(parser)
    return runner.main(parser.parse_args([*argv, "--import", MODULE, "--progress", "off"]))


def write_jsonl(path: Path, rows: list) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write((row if isinstance(row, str) else json.dumps(row)) + "\n")


def good(i: int) -> dict:
    return {"id": f"a{i}", "text": article_text(i), "published": "2022-01-30"}


@pytest.fixture
def toy(tmp_path) -> Path:
    return write_config(tmp_path)


def test_bad_input_goes_to_the_errors_file_and_the_run_goes_on(tmp_path, toy):
    inp = tmp_path / "in.jsonl"
    write_jsonl(inp, [good(0), "{broken", {"id": "no-text"}, {"id": "bad-date", "text": "x", "published": "soon"},
                      {"id": "boom", "text": "FAIL-THIS-ARTICLE attack."}, good(1)])
    out = tmp_path / "out" / "events.jsonl"
    out.parent.mkdir()
    (out.parent / ".events.jsonl.0123abcd.tmp").write_text("left by a killed run")
    assert run(str(inp), "-o", str(out), "--config", str(toy)) == 1
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["event_id"] for r in records] == ["a0#1", "a0#2", "a1#1"]
    errors = [json.loads(line) for line in (tmp_path / "out" / "events.errors.jsonl").read_text().splitlines()]
    assert [e["origin"] for e in errors] == [f"{inp}:{n}" for n in (2, 3, 4, 5)]
    assert "malformed JSON" in errors[0]["reason"] and "missing field 'text'" in errors[1]["reason"]
    assert "not an ISO date" in errors[2]["reason"] and "toy stage asked to fail" in errors[3]["reason"]
    assert (tmp_path / "out" / "events.config.json").exists()
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_clean_run_exits_zero_and_bad_options_are_user_errors(tmp_path, toy):
    inp = tmp_path / "in.jsonl"
    write_jsonl(inp, [good(0)])
    assert run(str(inp), "-o", str(tmp_path / "o.jsonl"), "--config", str(toy)) == 0
    with pytest.raises(InputError, match="--published"):
        run(str(inp), "-o", str(tmp_path / "o.jsonl"), "--published", "30/01/2022")
    with pytest.raises(InputError, match="no such file"):
        run(str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "o.jsonl"), "--config", str(toy))
    with pytest.raises(InputError, match="OUTDIR"):
        run(str(inp), "-o", str(tmp_path / "o.jsonl"), "--engine", "dask")


def test_output_is_identical_for_one_and_two_workers(tmp_path, toy):
    write_jsonl(tmp_path / "in" / "a.jsonl", [good(i) for i in range(12)] + ["{bad"])
    write_jsonl(tmp_path / "in" / "b.jsonl", [good(i) for i in range(12, 20)])
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert run(str(tmp_path / "in"), "-o", str(one), "--config", str(toy)) == 1
    assert run(str(tmp_path / "in"), "-o", str(two), "--config", str(toy), "--workers", "2", "--chunk-size", "3") == 1
    assert one.read_bytes() == two.read_bytes() and one.read_bytes()
    assert (tmp_path / "one.errors.jsonl").read_bytes() == (tmp_path / "two.errors.jsonl").read_bytes()


def manifest(outdir: Path) -> list[dict]:
    return [json.loads(line) for line in (outdir / shards.MANIFEST).read_text().splitlines()]


def shard_files(outdir: Path) -> list[Path]:
    return [p for p in sorted(outdir.glob("*.jsonl")) if p.name != shards.MANIFEST]


def test_sharded_run_resumes_and_reprocesses_on_config_change(tmp_path, toy):
    inp = tmp_path / "in"
    write_jsonl(inp / "x.jsonl", [good(i) for i in range(5)] + ["{bad"])
    write_jsonl(inp / "sub" / "y.jsonl", [good(i) for i in range(5, 9)])
    out = tmp_path / "out"
    assert run(str(inp), "-o", f"{out}/", "--config", str(toy), "--workers", "2") == 1  # one bad line
    first = manifest(out)
    assert sorted(e["shard"] for e in first) == ["sub__y", "x"]
    assert (out / "_SUCCESS").exists() and (out / "config.json").exists()
    x = next(e for e in first if e["shard"] == "x")
    assert x["articles"] == 5 and x["errors"] == 1 and x["errors_file"] == "errors/x.errors.jsonl"
    assert x["config_hash"] and x["versions"]["pipeline"] and x["sha256"]
    (err,) = [json.loads(line) for line in (out / "errors" / "x.errors.jsonl").read_text().splitlines()]
    assert err["origin"].endswith("x.jsonl:6")
    before = {p.name: p.stat().st_mtime_ns for p in shard_files(out)}

    # A stale temp file (a worker killed earlier) is cleaned; finished shards are skipped.
    (out / ".x.jsonl.deadbeef.tmp").write_text("partial")
    time.sleep(0.01)
    assert run(str(inp), "-o", str(out), "--config", str(toy)) == 1  # the old errors still count
    assert len(manifest(out)) == 2
    assert {p.name: p.stat().st_mtime_ns for p in shard_files(out)} == before
    assert not list(out.glob(".*.tmp"))

    # A damaged output shard is redone; the others stay.
    (out / "sub__y.jsonl").write_text("truncated")
    assert run(str(inp), "-o", str(out), "--config", str(toy)) == 1
    assert [e["shard"] for e in manifest(out)[2:]] == ["sub__y"]
    assert (out / "sub__y.jsonl").read_text().startswith('{"event_id": "a6#1"')

    # A changed config hash does not skip.
    changed = toy.with_name("changed.yaml")
    changed.write_text(toy.read_text().replace("batch_size: 2", "batch_size: 3"))
    assert run(str(inp), "-o", str(out), "--config", str(changed)) == 1
    last = manifest(out)[3:]
    assert sorted(e["shard"] for e in last) == ["sub__y", "x"]
    assert last[0]["config_hash"] != first[0]["config_hash"]
    ids = [json.loads(line)["event_id"] for p in shard_files(out) for line in p.read_text().splitlines()]
    assert len(ids) == len(set(ids)) == 9  # a0..a8: 3 articles with two events, 3 with one; none duplicated


def test_outdir_lock_held_by_a_live_run_is_an_error(tmp_path, toy):
    inp = tmp_path / "in.jsonl"
    write_jsonl(inp, [good(0)])
    out = tmp_path / "out"
    out.mkdir()
    import socket

    (out / ".lock").write_text(f"{socket.gethostname()} {os.getppid()}\n")
    with pytest.raises(InputError, match="another run"):
        run(str(inp), "-o", str(out), "--config", str(toy))
    (out / ".lock").write_text(f"{socket.gethostname()} 999999999\n")  # no such process: taken over
    assert run(str(inp), "-o", str(out), "--config", str(toy)) == 0
    assert not (out / ".lock").exists()


def test_shard_names_must_not_collide(tmp_path, toy):
    write_jsonl(tmp_path / "a" / "x.jsonl", [good(0)])
    write_jsonl(tmp_path / "b" / "x.jsonl", [good(1)])
    with pytest.raises(InputError, match="would both write shard 'x'"):
        run(str(tmp_path / "a" / "x.jsonl"), str(tmp_path / "b" / "x.jsonl"), "-o", f"{tmp_path}/out/",
            "--config", str(toy))


def test_run_help_documents_both_modes():
    parser = argparse.ArgumentParser(description=runner.__doc__)
    runner.add_arguments(parser)
    text = parser.format_help()
    for option in ("--workers", "--engine", "--scheduler", "--csv-column", "--published", "OUTDIR/"):
        assert option in text


def test_progress_only_on_a_terminal_unless_forced_and_csv_columns(tmp_path, toy, capsys):
    import csv

    inp = tmp_path / "in.csv"
    with open(inp, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["doc", "body"])
        w.writerows([[f"c{i}", article_text(i)] for i in range(4)])
    parser = argparse.ArgumentParser()
    runner.add_arguments(parser)
    base = [str(inp), "-o", str(tmp_path / "o.jsonl"), "--config", str(toy), "--import", MODULE,
            "--csv-column", "id=doc", "--csv-column", "text=body"]
    assert runner.main(parser.parse_args(base)) == 0  # --progress auto; stderr is not a terminal here
    assert "art/s" not in capsys.readouterr().err
    ids = [json.loads(line)["article_id"] for line in (tmp_path / "o.jsonl").read_text().splitlines()]
    assert ids == ["c0", "c0", "c1", "c3", "c3"]
    assert runner.main(parser.parse_args(base + ["--progress", "on"])) == 0
    assert "art/s" in capsys.readouterr().err
    with pytest.raises(InputError, match="--csv-column"):
        runner.main(parser.parse_args(base + ["--csv-column", "body"]))
