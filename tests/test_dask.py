"""The Dask engine on a LocalCluster of 2 workers, including a worker killed mid-shard."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.engines import shards
from pipeline.engines.worker import PipelineSpec
from pipeline.io.readers import ReadOptions
from pipeline.runner import run_sharded
from test_runner_stages import MODULE, article_text, write_config

pytest.importorskip("distributed", reason="the [dask] extra is not installed")
pytestmark = pytest.mark.slow


def write_inputs(folder: Path, n_shards: int = 4, per_shard: int = 6, kill_in: int = 1) -> Path:
    inp = folder / "in"
    inp.mkdir()
    for s in range(n_shards):
        with open(inp / f"part{s}.jsonl", "w", encoding="utf-8") as fh:
            for j in range(per_shard):
                i = s * per_shard + j
                text = article_text(i)
                if s == kill_in and j == per_shard // 2:
                    text += " KILL-THIS-WORKER"
                fh.write(json.dumps({"id": f"a{i}", "text": text, "published": "2022-01-30"}) + "\n")
    return inp


def test_dask_run_survives_a_killed_worker_and_matches_a_local_run(tmp_path):
    flag = tmp_path / "killed.flag"
    config = write_config(tmp_path, kill_flag=flag, batch_size=2)
    spec = PipelineSpec(config=str(config), imports=(MODULE,))
    inp = write_inputs(tmp_path)

    out = tmp_path / "dask"
    assert run_sharded(spec, [str(inp)], out, None, ReadOptions(), workers=2, engine="dask")
    assert flag.exists(), "the toy stage should have killed one worker mid-shard"

    entries = [json.loads(line) for line in (out / shards.MANIFEST).read_text().splitlines()]
    assert sorted(e["shard"] for e in entries) == ["part0", "part1", "part2", "part3"]
    assert (out / shards.SUCCESS).exists()
    assert not list(out.rglob("*.tmp")), "stale temp files must be cleaned up"
    ids = [json.loads(line)["event_id"] for p in sorted(out.glob("part*.jsonl")) for line in p.read_text().splitlines()]
    assert len(ids) == len(set(ids)) == sum(e["records"] for e in entries)

    local = tmp_path / "local"
    assert run_sharded(spec, [str(inp)], local, None, ReadOptions(), workers=1)
    for shard in sorted(local.glob("part*.jsonl")):
        assert (out / shard.name).read_bytes() == shard.read_bytes()
