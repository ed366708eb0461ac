"""Places: the gazetteer matcher's rules (cue words, joined names, datelines, names used again, false
places) and the resolver's guards, on the fixture gazetteer with small news-style sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.gazetteer.resolve import Resolution, Resolver, Toponym
from pipeline.gazetteer.store import Gazetteer
from pipeline.stages.places import PlacesConfig, PlacesStage

from helpers import places_by_text

from test_gazetteer import build_fixture


@pytest.fixture(scope="module")
def mini_path(tmp_path_factory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("gaz") / "mini.sqlite")


@pytest.fixture(scope="module")
def stage(mini_path, resources) -> PlacesStage:
    cfg = PlacesConfig(factory="places.v1", gazetteer=mini_path, matcher_min_population=10_000)
    return PlacesStage(cfg, resources)


@pytest.mark.parametrize("text, cue", [
    ("Insurgents raided the town of Macomia on Friday, residents said.", "town of"),
    ("Fighting was reported near Macomia late on Friday.", "near"),
    ("Troops were sent to Macomia district after the raid.", "district"),
    ("Macomia, a small town in the north, was raided on Friday.", ", a small town"),
    ("Armed men stormed the centre of Macomia and looted a bank.", "centre of"),
])
def test_cue_words_take_a_small_town(stage, make_doc, text, cue):
    ms = places_by_text(stage, make_doc, text)["Macomia"]
    assert ms[0].value.geonameid == 14  # population 2,300: far below the matcher's floor
    assert f"cue {cue!r}" in ms[0].reason or "spaCy" in ms[0].reason


def test_without_a_cue_a_small_town_is_not_matched(stage, make_doc):
    ms = places_by_text(stage, make_doc, "Officials from Macomia Holdings met investors on Friday.")
    assert "Macomia" not in ms


def test_the_longer_joined_name_wins(stage, make_doc):
    ms = places_by_text(stage, make_doc, "The insurgency began with attacks on police posts in Mocimboa da Praia in 2017.")
    assert ms["Mocimboa da Praia"][0].value.geonameid == 15
    assert "Praia" not in ms


def test_function_words_and_short_alternate_names_are_not_places(stage, make_doc):
    ms = places_by_text(stage, make_doc, "No casualties were reported. Most shops stayed shut on Monday.")
    assert "No" not in ms and "Most" not in ms


def test_parts_of_a_person_name_are_not_places(stage, make_doc):
    text = ("Police spokesman Abdullahi Hassan Farah said the car had been parked near the checkpoint. "
            "Farah said two suspects were arrested.")
    assert "Farah" not in places_by_text(stage, make_doc, text)


def test_a_name_before_its_containing_state(stage, make_doc):
    ms = places_by_text(stage, make_doc, "Jane Carter of Lanexa, Va., was arrested on Tuesday.")
    lanexa = ms["Lanexa"][0]
    assert lanexa.value.geonameid == 21 and lanexa.value.admin1 == "Virginia"


def test_dateline_after_the_headline(stage, make_doc):
    text = ("Two men charged after a string of overnight burglaries at local stores and offices. "
            "GROVETOWN -- Two men were charged on Monday with burglary, police said.")
    ms = places_by_text(stage, make_doc, text)["GROVETOWN"]
    assert ms[0].value.geonameid == 22 and "dateline" in ms[0].reason


def test_a_place_named_again_and_heading_an_institution(stage, make_doc):
    text = ("A man was arrested in the town of Grovetown on Monday. "
            "Grovetown Police said the man had been sought since March.")
    ms = places_by_text(stage, make_doc, text)["Grovetown"]
    assert len(ms) == 2 and all(m.value.geonameid == 22 for m in ms)
    assert any("again" in m.reason and "Grovetown Police" in m.reason for m in ms)


def test_bare_name_outside_the_articles_countries_is_dropped(mini_path):
    resolver = Resolver(Gazetteer(mini_path), {})
    text = "Shelling hit Kharkiv, officials in Ukraine said, and Most residents fled."
    found = []
    whys = [("Kharkiv", "spaCy GPE entity"), ("Ukraine", "spaCy GPE entity"), ("Most", "gazetteer name (city)")]
    for name, why in whys:
        i = text.index(name)
        found.append((Toponym(i, i + len(name), name), why))
    results = resolver.resolve(text, [t for t, _ in found])
    kept = PlacesStage._coherent(found, results)
    assert [t.text for t, _ in kept] == ["Kharkiv", "Ukraine"]
    alone = [found[2]]
    assert PlacesStage._coherent(alone, resolver.resolve(text, [alone[0][0]])) == alone  # no context: kept


def test_transliteration_never_beats_a_main_name(mini_path):
    resolver = Resolver(Gazetteer(mini_path), {})
    text = "A roadside bomb exploded near Daquq on Thursday."
    i = text.index("Daquq")
    (r,) = resolver.resolve(text, [Toponym(i, i + 5, "Daquq")])
    assert r.candidate.geonameid == 24  # Dāqūq itself, though Daqquq (same skeleton) is far bigger
    assert all(c["geonameid"] != 23 for c in r.considered)


def test_resolution_is_unchanged_by_the_order_of_context(mini_path):
    resolver = Resolver(Gazetteer(mini_path), {})
    text = "Storms hit Texas on Monday. In Paris, roofs were torn off; Dallas was spared."
    tops = []
    for name in ("Texas", "Paris", "Dallas"):
        i = text.index(name)
        tops.append(Toponym(i, i + len(name), name))
    forward = resolver.resolve(text, tops)
    backward = resolver.resolve(text, tops[::-1])[::-1]
    assert [r.candidate.geonameid for r in forward] == [r.candidate.geonameid for r in backward] == [3, 5, 6]
    assert all(isinstance(r, Resolution) for r in forward)
