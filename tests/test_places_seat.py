"""Places: names with a lower-case Arabic article inside ("Jisr al-Shughur") and the seat rule's division
words ("a residential district of Marib city" is the city; "the Yemeni province of Marib" the division), a
small town named by its apposition ("Sugapa, the main town of Intan Jaya regency"), on a
small gazetteer of their own with news-style sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.gazetteer import build
from pipeline.gazetteer.resolve import Resolver, Toponym, _division_named
from pipeline.gazetteer.store import Gazetteer
from pipeline.stages.places import PlacesConfig, PlacesStage

from helpers import places_by_text, resolve_names, write_gazetteer

ROWS = [
    # geonameid, name, country, feature, population, lat, lon, admin1, names
    (1, "Syria", "SY", "country", 17_000_000, 35.0, 38.0, None, set()),
    (2, "Jisr ash Shughūr", "SY", "city", 39_000, 35.81, 36.32, "SY.12", set()),
    (3, "Idlib", "SY", "admin1", 440_000, 35.8, 36.6, "SY.12", set()),
    (4, "Yemen", "YE", "country", 28_000_000, 15.5, 47.5, None, set()),
    (5, "Ma'rib", "YE", "city", 16_800, 15.46, 45.33, "YE.14", {"Marib"}),
    (6, "Ma’rib", "YE", "admin1", 16_800, 15.5, 45.5, "YE.14", {"Marib"}),
    (7, "Indonesia", "ID", "country", 267_000_000, -5.0, 120.0, None, set()),
    (8, "Sugapa", "ID", "city", 0, -3.73, 137.03, "ID.PT", set()),
]


@pytest.fixture(scope="module")
def gaz_path(tmp_path_factory) -> Path:
    places = [build.Place(g, n, cc, f, p, lat, lon, a1, None, set(names))
              for g, n, cc, f, p, lat, lon, a1, names in ROWS]
    return write_gazetteer(places, tmp_path_factory.mktemp("gaz") / "seat.sqlite")


@pytest.fixture(scope="module")
def stage(gaz_path, resources) -> PlacesStage:
    return PlacesStage(PlacesConfig(factory="places.v1", gazetteer=gaz_path, matcher_min_population=50_000),
                       resources)


def _resolve(gaz_path: Path, text: str, name: str):
    return resolve_names(Resolver(Gazetteer(gaz_path), {}), text, name)[name]


@pytest.mark.parametrize("text", [
    "Russian warplanes struck the outskirts of Jisr al-Shughur in north-western Syria on Monday.",
    "Rescue workers said two shells hit a market near Jisr al-Shughur overnight, in Syria's north-west.",
])
def test_a_name_with_a_lower_case_article_is_one_name(stage, make_doc, text):
    by_text = {t: ms[0] for t, ms in places_by_text(stage, make_doc, text).items()}
    assert "Jisr al-Shughur" in by_text, sorted(by_text)
    assert by_text["Jisr al-Shughur"].value.geonameid == 2
    assert "Jisr" not in by_text


@pytest.mark.parametrize("text, name, feature", [
    ("A missile struck a residential district of Marib city on Saturday, killing four civilians.", "Marib", "city"),
    ("Officials in Marib said the missile killed four people.", "Marib", "city"),
    ("Fighting spread across Marib province on Sunday.", "Marib", "admin1"),
    ("Fighting spread across the Yemeni province of Marib on Sunday.", "Marib", "admin1"),
    ("Fighting spread across the province of Marib on Sunday.", "Marib", "admin1"),
])
def test_seat_rule_reads_division_words(gaz_path, text, name, feature):
    res = _resolve(gaz_path, text, name)
    assert res.candidate.feature == feature
    assert "seat rule" in res.reason


@pytest.mark.parametrize("before, named", [
    ("a residential district of ", False),
    ("an industrial district of ", False),
    ("the state of ", True),
    ("the Indian state of ", True),
    ("the north-western province of ", True),
])
def test_division_before_needs_the_division_itself(before, named):
    text = before + "Marib, officials said."
    assert _division_named(text, Toponym(len(before), len(before) + 5, "Marib")) is named


@pytest.mark.parametrize("text", [
    "Soldiers and rebels fought in and around Sugapa, the main town of Intan Jaya regency, on Tuesday.",
    "Rebels attacked the airstrip in Sugapa, the regency capital, on Tuesday.",
])
def test_an_apposition_naming_a_town_is_a_cue(stage, make_doc, text):
    by_text = {t: ms[0] for t, ms in places_by_text(stage, make_doc, text).items()}
    assert by_text["Sugapa"].value.geonameid == 8  # population 0: below every floor but a cue's
