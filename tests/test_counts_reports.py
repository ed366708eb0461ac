"""counts.v1 on short shooting reports written for the project (tests/fixtures/shooting-reports.jsonl):
each line's killed and injured figures as the GVA scorer reduces them. Lines marked ``known_miss``
are readings the stage is known to get wrong (strict xfail: fixing one makes the test say so)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.eval import counts_gva
from pipeline.stages.actors import ActorsStage
from pipeline.stages.counts import CountsStage

REPORTS = [json.loads(line) for line in
           (Path(__file__).parent / "fixtures" / "shooting-reports.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def figures(resources, make_doc):
    actors = ActorsStage(ActorsStage.Config(factory="actors.v1"), resources)
    stage = CountsStage(CountsStage.Config(factory="counts.v1"), resources)

    def _run(text: str) -> tuple[int, int]:
        doc = make_doc(text, published="2024-05-06")
        actors([doc])
        stage([doc])
        counts = doc.layers["counts"]
        return (counts_gva.incident_figure(text, counts, "killed")[0],
                counts_gva.incident_figure(text, counts, "injured")[0])

    return _run


@pytest.mark.parametrize("report", [
    pytest.param(r, id=r["text"][:60], marks=[pytest.mark.xfail(reason=r["known_miss"], strict=True)]
                 if "known_miss" in r else []) for r in REPORTS])
def test_report_figures(figures, report):
    assert figures(report["text"]) == (report["killed"], report["injured"])
