"""Places: names the matcher must keep whole or never take alone (an Arabic article, a hyphenated name, a
generic word opening a street's name), a spelling variant before a division word, a part named "X, part of Y",
and the country context those recognitions restore, on a small gazetteer of this file's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.gazetteer import build
from pipeline.stages.places import PlacesConfig, PlacesStage

from helpers import places_by_text

# (id, name, country, feature, population, lat, lon, admin1, alternate names); invented populations
_ROWS = [
    (1, "Yemen", "YE", "country", 28_000_000, 15.5, 47.5, None, []),
    (2, "Aden", "YE", "city", 1_000_000, 12.78, 45.04, "YE.02", []),
    (3, "Ḩays", "YE", "city", 0, 13.93, 43.49, "YE.08", ["Hays"]),
    (4, "Hays", "US", "city", 21_000, 38.88, -99.33, "US.KS", []),
    (5, "Al Ḩudaydah", "YE", "city", 730_000, 14.80, 42.95, "YE.08", ["Hodeida"]),
    (6, "Al Ḩudaydah", "YE", "admin1", 870_000, 14.9, 43.3, "YE.08", []),
    (7, "Al Khawkhah", "YE", "city", 0, 13.80, 43.25, "YE.08", []),
    (8, "Ål", "NO", "city", 2_300, 60.63, 8.56, "NO.04", []),
    (9, "Norway", "NO", "country", 5_300_000, 62.0, 10.0, None, []),
    (10, "France", "FR", "country", 67_000_000, 46.0, 2.0, None, []),
    (11, "Paris", "FR", "city", 2_100_000, 48.85, 2.35, "FR.11", []),
    (12, "Pláka", "GR", "city", 900, 36.75, 24.42, "GR.45", ["Placa"]),
    (13, "Bangladesh", "BD", "country", 160_000_000, 24.0, 90.0, None, []),
    (14, "Savar", "BD", "city", 290_000, 23.85, 90.26, "BD.81", []),
    (15, "Kasr", "EG", "city", 90_000, 30.0, 31.2, "EG.11", []),
    (16, "Kasr-Ghazal", "SD", "city", 3_000, 13.5, 25.0, "SD.55", []),
]


@pytest.fixture(scope="module")
def stage(tmp_path_factory, resources) -> PlacesStage:
    path: Path = tmp_path_factory.mktemp("gaz") / "names.sqlite"
    places = [build.Place(i, n, cc, f, pop, lat, lon, a1, None, set(alt))
              for i, n, cc, f, pop, lat, lon, a1, alt in _ROWS]
    admin = {p.admin1: p.name for p in places if p.feature == "admin1"}
    admin.update({p.country_code: p.name for p in places if p.feature == "country"})
    build.write(places, admin, path, {"schema": str(build.SCHEMA_VERSION)})
    return PlacesStage(PlacesConfig(factory="places.v1", gazetteer=path, matcher_min_population=10_000), resources)


def test_a_hyphenated_arabic_name_is_looked_up_whole(stage, make_doc):
    ms = places_by_text(stage, make_doc, "The wounded were taken to a hospital in the town of Al-Khawkhah on the coast.")
    assert "Al" not in ms
    assert ms["Al-Khawkhah"][0].value.geonameid == 7
    assert "cue 'town of'" in ms["Al-Khawkhah"][0].reason or "spaCy" in ms["Al-Khawkhah"][0].reason


@pytest.mark.parametrize("text", [
    "Fighting was reported near Al on Monday, residents said.",
    "Shelling hit the town of El on Friday, residents said.",
])
def test_an_arabic_article_alone_is_never_a_place(stage, make_doc, text):
    ms = places_by_text(stage, make_doc, text)
    assert "Al" not in ms and "El" not in ms


def test_a_part_of_a_hyphenated_name_is_a_place_only_when_the_whole_is_not(stage, make_doc):
    # the whole name wins over its big first word ...
    ms = places_by_text(stage, make_doc, "Militias shelled the village of Kasr-Ghazal on Monday.")
    assert "Kasr" not in ms and ms["Kasr-Ghazal"][0].value.geonameid == 16
    # ... and a name the gazetteer lacks as a whole still yields its known words
    ms = places_by_text(stage, make_doc, "Trucks waited for days on the Kasr-Zubeir road, drivers said.")
    assert "Kasr-Zubeir" not in ms
    assert ms["Kasr"][0].value.geonameid == 15


def test_a_generic_word_opening_a_longer_name_is_not_a_place(stage, make_doc):
    text = "In Paris, police charged groups of marchers near the Place de l'Opera on Thursday."
    ms = places_by_text(stage, make_doc, text)
    assert "Place" not in ms
    assert ms["Paris"][0].value.geonameid == 11


def test_a_spelling_variant_before_a_division_word_restores_the_country_context(stage, make_doc):
    text = ("ADEN, Yemen — Three children were killed on Monday when a landmine exploded outside the town of "
            "Hays in Hodeidah province, local officials said.")
    ms = places_by_text(stage, make_doc, text)
    hodeidah = ms["Hodeidah"][0]
    assert hodeidah.value.country_code == "YE" and "cue 'province'" in hodeidah.reason
    hays = ms["Hays"][0]
    assert hays.value.geonameid == 3, hays.reason  # not Hays, Kansas: bigger, but no other name lies in the US


def test_a_name_said_to_be_part_of_a_place_takes_that_place(stage, make_doc):
    text = ("Police fired on workers blocking a road in Ashulia, part of Savar, on Monday. "
            "A worker at a factory in Ashulia died in hospital.")
    ms = places_by_text(stage, make_doc, text)
    assert "Ashulia" in ms
    for m in ms["Ashulia"]:
        assert m.value is not None and m.value.geonameid == 14 and m.value.precision == "city"
        assert "a part of 'Savar'" in m.reason
