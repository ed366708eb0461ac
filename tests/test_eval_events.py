"""`eval events`: matching and scores on small hand-made gold/pred records, and the articles path."""

from __future__ import annotations

import argparse
import json
import textwrap
from pathlib import Path
from typing import ClassVar

import pytest

from pipeline.config import StageConfig
from pipeline.data import DateValue, EventMentionValue, Mention, PlaceValue
from pipeline.eval import events as ev
from pipeline.registry import factories, register
from pipeline.stages.base import Stage


def rec(aid="a", etype="Battles", sub="Armed clash", start="2023-05-08", end=None, cc="NG", lat=11.85, lon=13.16,
        name="Maiduguri", fatalities=None, actors=(), counts=(), confidence=0.8):
    return {
        "article_id": aid, "event_type": etype, "sub_event_type": sub,
        "date": {"start": start, "end": end or start},
        "location": {"name": name, "country_code": cc, "latitude": lat, "longitude": lon},
        "actors": [{"name": n, "role": "actor1"} for n in actors],
        "counts": [{"category": c, "value": v, "who": None} for c, v in counts],
        "fatalities": fatalities, "confidence": confidence,
    }


def write_jsonl(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_detection_needs_date_within_a_day_and_same_country():
    g = rec()
    assert ev.detectable(g, rec(start="2023-05-09"))
    assert not ev.detectable(g, rec(start="2023-05-10"))
    assert not ev.detectable(g, rec(cc="NE"))
    assert not ev.detectable(g, {**rec(), "location": None})


def test_matching_is_one_to_one_and_prefers_the_same_type():
    gold = [rec(sub="Armed clash"), rec(etype="Violence against civilians", sub="Attack")]
    pred = [rec(etype="Violence against civilians", sub="Attack")]
    assert ev.match(gold, pred) == [(1, 0)]
    assert len(ev.match([rec()], [rec(), rec()])) == 1


def test_scores_fields_strict_and_calibration():
    gold = [
        rec("a", fatalities=10, actors=["Boko Haram", "Military Forces of Nigeria"], counts=[("killed", 10)]),
        rec("a", etype="Protests", sub="Peaceful protest", start="2023-05-01", name="Kano", lat=12.0, lon=8.52),
        rec("b", fatalities=None),
    ]
    pred = [
        # right in every field
        rec("a", fatalities=10, actors=["Boko Haram"], counts=[("killed", 10), ("injured", 3)], confidence=0.9),
        # detected (a day off) but the wrong date span and location
        rec("a", etype="Protests", sub="Peaceful protest", start="2023-05-02", name="Abuja", lat=9.06, lon=7.5),
        # spurious: another country
        rec("b", cc="NE", confidence=0.3),
    ]
    s = ev.score(gold, pred).as_dict()
    assert (s["gold_events"], s["predicted_events"], s["matched"]) == (3, 3, 2)
    assert s["detection"]["f1"] == pytest.approx(2 / 3)
    f = s["fields_on_matched"]
    assert f["type"] == 1.0 and f["date_exact"] == 0.5 and f["location_within_km"] == 0.5
    assert f["actor_f1"] == pytest.approx(2 * 1.0 * 0.5 / 1.5)  # 1 of 1 predicted, 1 of 2 gold
    assert f["count_f1"] == pytest.approx(2 * 0.5 * 1.0 / 1.5)  # 1 of 2 predicted, 1 of 1 gold
    assert s["strict"]["f1"] == pytest.approx(1 / 3)
    assert s["fatalities_right_over_gold"] == pytest.approx(2 / 3)
    cal = s["calibration"]
    assert sum(b["n"] for b in cal["bins"]) == 3
    assert cal["brier"] == pytest.approx(((0.9 - 1) ** 2 + (0.8 - 1) ** 2 + 0.3 ** 2) / 3)


def test_location_within_km_and_fatalities_null_equal():
    c = ev.check_fields(rec(fatalities=None), rec(lat=11.9, lon=13.2, fatalities=None), 25.0)
    assert c.location and c.fatalities
    c = ev.check_fields(rec(fatalities=3), rec(lat=12.0, lon=8.52, fatalities=None), 25.0)
    assert not c.location and not c.fatalities and not c.strict


def parse(argv):
    p = argparse.ArgumentParser()
    ev.add_arguments(p)
    return p.parse_args(argv)


def test_main_on_record_files_and_folders(tmp_path, capsys):
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    write_jsonl(gold_dir / "a.jsonl", [rec("a", fatalities=4)])
    write_jsonl(gold_dir / "b.jsonl", [rec("b")])
    pred = write_jsonl(tmp_path / "pred.jsonl", [rec("a", fatalities=4), rec("c")])
    out = tmp_path / "scores.json"
    assert ev.main(parse([str(gold_dir), str(pred), "--json", str(out), "--show-errors"])) == 0
    text = capsys.readouterr().out
    assert "event detection" in text and "missed" in text and "spurious" in text
    s = json.loads(out.read_text())
    assert s["detection"]["precision"] == 0.5 and s["detection"]["recall"] == 0.5


def test_bad_record_line_names_file_and_line(tmp_path):
    from pipeline.errors import InputError

    bad = tmp_path / "g.jsonl"
    bad.write_text('{"article_id": "a", "event_type": "Battles"}\n{"text": "x"}\n')
    with pytest.raises(InputError, match=r"g\.jsonl:2"):
        ev.read_records(bad)


# --- PRED as articles: run through a pipeline -------------------------------------------


class _OracleConfig(StageConfig):
    pass


if "test-oracle.v1" not in factories():

    @register
    class _Oracle(Stage):
        """Test stand-in for the upstream stages: tags 'Gunmen' sentences, 'Monday' and 'Maiduguri'."""

        name: ClassVar[str] = "test-oracle.v1"
        provides = frozenset({"dates", "places", "actors", "counts", "event_mentions"})
        Config = _OracleConfig

        def __call__(self, docs):
            for doc in docs:
                for layer in self.provides:
                    doc.layers[layer] = []
                text = doc.article.text
                for i, s in enumerate(doc.sentences):
                    if "Gunmen" in s.text:
                        doc.layers["event_mentions"].append(Mention(
                            s.start, s.end, s.text, "EVENT", self.name,
                            EventMentionValue("Violence against civilians", "Attack", 0.9, "attacked"), "oracle", i))
                for word, layer, value in (
                    ("Monday", "dates", DateValue("2023-05-08", "2023-05-08", "day")),
                    ("Maiduguri", "places", PlaceValue("Maiduguri", 2331447, 11.85, 13.16, "NG", "Borno", "city")),
                ):
                    at = text.find(word)
                    if at >= 0:
                        doc.layers[layer].append(Mention(at, at + len(word), word, "X", self.name, value, "oracle",
                                                         doc.sent_of(at)))


def test_pred_articles_are_run_through_the_pipeline(tmp_path, capsys):
    config = tmp_path / "config.yaml"
    config.write_text(textwrap.dedent("""
        stages:
          oracle: {factory: test-oracle.v1}
          assembly: {factory: assembly.v1}
    """))
    articles = write_jsonl(tmp_path / "articles.jsonl", [
        {"id": "a", "published": "2023-05-10", "text": "Gunmen attacked a market in Maiduguri on Monday."},
        {"id": "b", "published": "2023-05-10", "text": "The weather was fine in Maiduguri on Monday."},
    ])
    gold = write_jsonl(tmp_path / "gold.jsonl", [rec("a", etype="Violence against civilians", sub="Attack")])
    out = tmp_path / "pred.jsonl"
    assert ev.holds_articles(articles) and not ev.holds_articles(gold)
    code = ev.main(parse([str(gold), str(articles), "--config", str(config), "--output", str(out),
                          "--json", str(tmp_path / "s.json")]))
    assert code == 0
    s = json.loads((tmp_path / "s.json").read_text())
    assert s["articles"] == 2 and s["detection"]["f1"] == 1.0 and s["strict"]["f1"] == 1.0
    (line,) = out.read_text().splitlines()
    assert json.loads(line)["event_id"] == "a#1"


def test_confidence_features_are_read_back_and_fit():
    def with_reason(score, date, ok_rate_hint):
        r = rec(confidence=0.5)
        r["reasons"] = [f"confidence: logistic(score={score:.2f}, own date={date}, own place=True, actors=False, "
                        f"sentences={ok_rate_hint})"]
        return r

    assert ev.confidence_features(with_reason(0.8, True, 3)) == [0.8, 1.0, 1.0, 0.0, 2.0]
    assert ev.confidence_features(rec()) is None
    # detection depends on having a date: the fit must give own_date a positive weight
    pairs = [([0.5 + 0.01 * i, float(i % 2), 1.0, 0.0, 0.0], bool(i % 2) or i % 6 == 0) for i in range(40)]
    fit = ev.fit_confidence(pairs)
    assert fit["weights"]["own_date"] > 0 and fit["n"] == 40
    assert 0 <= fit["cross_validated"]["brier"] <= 1


def test_admin_and_country_gold_are_matched_at_their_level():
    province = {**rec(), "location": {"name": "Borno", "country_code": "NG", "latitude": 11.5, "longitude": 13.0,
                                      "precision": "admin1"}}
    near = {**rec(), "location": {"name": "Borno State", "country_code": "NG", "latitude": 11.9,
                                  "longitude": 13.4, "precision": "admin1"}}
    city = {**rec(), "location": {**rec()["location"], "precision": "city"}}
    assert ev.check_fields(province, near, 25.0).location  # ~62 km apart: centroids differ
    assert not ev.check_fields(province, city, 25.0).location  # a town is not the province
    country = {**rec(), "location": {"name": "Nigeria", "country_code": "NG", "latitude": 9.0, "longitude": 8.0,
                                     "precision": "country"}}
    assert ev.check_fields(country, {**country, "location": {**country["location"], "latitude": 10.0}}, 25.0).location
    assert not ev.check_fields(country, city, 25.0).location
