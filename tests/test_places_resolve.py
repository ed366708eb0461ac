"""Places: the resolver's context rules on the fixture gazetteer (one-state readings, counties containing
their towns, demonyms of divisions and regions, abbreviations, alternate names, capitals, lists), the
stage's demonym mentions, and the hand-kept language data (demonym targets, gazetteer extras)."""

from __future__ import annotations

import math

import pytest
import yaml

from pipeline.config import PROJECT_ROOT
from pipeline.gazetteer.resolve import Resolver, Weights
from pipeline.gazetteer.store import Gazetteer
from pipeline.stages.places import PlacesConfig, PlacesStage, _demonyms

from helpers import resolve_names
from test_gazetteer import build_fixture

CONFIGS = PROJECT_ROOT / "configs"


@pytest.fixture(scope="module")
def gaz(tmp_path_factory) -> Gazetteer:
    return Gazetteer(build_fixture(tmp_path_factory.mktemp("gaz") / "mini.sqlite"))


def _resolver(gaz, **weights) -> Resolver:
    demonyms = {"Ohioan": "US.OH", "European": "Europe", "South Ossetian": "South Ossetia", "Syrian": "SY"}
    return Resolver(gaz, demonyms, Weights(**weights))



LOCAL = "A Hagerstown man was hurt in a crash near New Castle on Friday and flown to a hospital in Columbus."


def test_towns_of_one_state_are_read_together(gaz):
    res = resolve_names(_resolver(gaz), LOCAL, "Hagerstown", "New Castle", "Columbus")
    assert {r.candidate.admin1 for r in res.values()} == {"US.IN"}
    assert "admin1 shared with 2/2" in res["Hagerstown"].reason
    # grown from the biggest homonyms alone, the picks never reach that reading
    alone = resolve_names(_resolver(gaz, foci=0), LOCAL, "Hagerstown", "New Castle", "Columbus")
    assert {r.candidate.admin1 for r in alone.values()} != {"US.IN"}


def test_the_county_that_contains_the_town(gaz):
    text = "Floodwaters closed roads in Alton on Friday, and Madison County officials said more rain was due."
    res = resolve_names(_resolver(gaz), text, "Alton", "Madison County")
    assert res["Madison County"].candidate.geonameid == 34 and res["Alton"].candidate.geonameid == 35
    assert "admin2 shared" in res["Alton"].reason
    without = resolve_names(_resolver(gaz, admin2=0.0), text, "Alton", "Madison County")
    assert without["Madison County"].candidate.geonameid == 33  # the bigger county's reading


@pytest.mark.parametrize("word, geonameid, precision", [
    ("Ohioans", 37, "admin1"), ("European", 38, "country"), ("South Ossetian", 39, "admin1"), ("Syrians", 7, "country"),
])
def test_demonyms_of_divisions_regions_and_continents(gaz, word, geonameid, precision):
    text = f"{word} were among the victims, officials said."
    (r,) = resolve_names(_resolver(gaz), text, word).values()
    assert r.candidate.geonameid == geonameid and r.precision == precision
    assert r.reason.startswith("demonym of ")


@pytest.mark.parametrize("written, geonameid", [("Mt. Pleasant", 40), ("Loudon Co.", 41)])
def test_abbreviated_names_are_written_out(gaz, written, geonameid):
    text = f"The storm knocked out power in {written} overnight."
    (r,) = resolve_names(_resolver(gaz), text, written).values()
    assert r.candidate.geonameid == geonameid


def test_an_alternate_name_of_a_town_is_shadowed_by_a_bigger_town_called_so(gaz):
    text = "Police in Maryville arrested two men."

    def beeville(resolver) -> float:
        (r,) = resolve_names(resolver, text, "Maryville").values()
        assert r.candidate.geonameid == 42
        return next(c["score"] for c in r.considered if c["geonameid"] == 43)

    assert beeville(_resolver(gaz)) == pytest.approx(beeville(_resolver(gaz, shadowed=0.0)) - 1.5)


@pytest.mark.parametrize("text, feature", [
    ("Washington warned Moscow on Monday against further moves.", "city"),
    ("Wildfires spread across Washington state on Monday.", "admin1"),
    ("Wildfires spread across the state of Washington on Monday.", "admin1"),
    ("Outbreaks were reported in Oregon, Utah and Washington on Monday.", "admin1"),
])
def test_the_capital_unless_a_division_word_or_a_list_of_states_says_otherwise(gaz, text, feature):
    names = ["Oregon", "Utah", "Washington"] if "Utah" in text else ["Washington"]
    res = resolve_names(_resolver(gaz), text, *names)
    assert res["Washington"].candidate.feature == feature
    if "Utah" in text:
        assert "listed with 2/2 names of its kind" in res["Washington"].reason
        plain = resolve_names(_resolver(gaz, sibling=0.0), text, *names)
        assert plain["Washington"].candidate.feature == "city"


def test_without_capitals_the_bigger_division_wins(gaz):
    resolver = Resolver(gaz, {}, Weights(), capitals=frozenset())
    (r,) = resolve_names(resolver, "Washington warned Moscow on Monday.", "Washington").values()
    assert r.candidate.feature == "admin1"
    # by default the resolver takes the gazetteer's own capitals
    (r,) = resolve_names(Resolver(gaz, {}, Weights()), "Washington warned Moscow on Monday.", "Washington").values()
    assert r.candidate.feature == "city"


def test_stage_reads_a_state_demonym_as_context(gaz, resources, make_doc):
    cfg = PlacesConfig(factory="places.v1", gazetteer=gaz.path, matcher_min_population=10_000)
    doc = make_doc("Ohioans lined up at polling stations on Tuesday.")
    PlacesStage(cfg, resources)([doc])
    (m,) = [m for m in doc.layers["places"] if m.text == "Ohioans"]
    assert m.label == "DEMONYM" and m.value.name == "Ohio" and m.value.precision == "admin1"
    assert "demonym of Ohio" in m.reason


def test_a_missing_name_takes_its_division_by_the_known_part(gaz):
    text = "Gunmen attacked a checkpoint in Hasakah Province on Sunday."
    (r,) = resolve_names(_resolver(gaz), text, "Hasakah Province").values()
    assert r.candidate.geonameid == 9 and r.precision == "admin1"  # the governorate, not its city
    assert "not in the gazetteer; division 'Hasakah'" in r.reason


def test_a_feature_named_after_a_town_needs_the_articles_country(gaz):
    text = "Divers searched the Alton River on Sunday, Illinois police said."
    res = resolve_names(_resolver(gaz), text, "Alton River", "Illinois")
    assert res["Alton River"].candidate.geonameid == 35  # the Illinois town
    assert "feature named after a place 'Alton'" in res["Alton River"].reason
    alone = resolve_names(_resolver(gaz), "Fishermen on the Farah River saw smoke, Texas officials said.",
                     "Farah River", "Texas")
    assert alone["Farah River"].candidate is None
    assert "which no other name's country has" in alone["Farah River"].reason


def test_a_generic_word_alone_is_no_known_part(gaz):
    (r,) = resolve_names(_resolver(gaz), "Storms hit Praia Island overnight.", "Praia Island").values()
    assert r.candidate is None  # only a country backs a feature named after a town; none here
    (r,) = resolve_names(_resolver(gaz), "Storms hit Most Township overnight.", "Most Township").values()
    assert r.candidate.geonameid == 18 and "township 'Most'" in r.reason


def test_commas_in_a_long_list_are_no_containment(gaz):
    pair = resolve_names(_resolver(gaz), "Storms hit Paris, Texas on Friday.", "Paris", "Texas")
    assert "'X, Y' pattern" in pair["Paris"].reason
    listed = resolve_names(_resolver(gaz), "Cases rose in Ohio, Utah, Paris, Texas and Oregon on Friday.",
                      "Ohio", "Utah", "Paris", "Texas", "Oregon")
    assert "'X, Y' pattern" not in listed["Paris"].reason


# --- the hand-kept data ----------------------------------------------------------------------


def test_demonym_targets_are_codes_or_hand_kept_names():
    """Every demonym names an ISO country code, an admin1 code or a place the build knows by name (a
    continent, or an entry of places-extra.yaml), so none stays unresolved for a typo."""
    extra = yaml.safe_load((CONFIGS / "places-extra.yaml").read_text(encoding="utf-8"))
    names = {p["name"] for p in extra["places"]} | {n for p in extra["places"] for n in p.get("names", [])}
    continents = {"Europe", "Africa", "Asia", "North America", "South America", "Oceania", "Antarctica"}
    cities = {"London", "Paris", "Moscow", "Berlin", "Chicago", "Boston", "Los Angeles"}
    demonyms = _demonyms(CONFIGS / "places-demonyms.yaml")
    words = [d for d in demonyms]
    assert len(words) == len(set(words))
    for word, target in demonyms.items():
        ok = ((len(target) == 2 and target.isupper()) or (target[:2].isupper() and target[2:3] == ".")
              or target in names or target in continents or target in cities)
        assert ok, f"{word!r} → {target!r}"


def test_extra_places_have_sane_points():
    extra = yaml.safe_load((CONFIGS / "places-extra.yaml").read_text(encoding="utf-8"))
    for p in extra["places"]:
        assert -90 <= p["latitude"] <= 90 and -180 <= p["longitude"] <= 180, p["name"]
        assert p["feature"] in ("region", "admin1", "admin2", "city", "point"), p["name"]
        assert not math.isnan(p["latitude"])


def test_real_gazetteer_knows_every_admin1_demonym():
    path = PROJECT_ROOT / "models" / "gazetteer.sqlite"
    if not path.is_file():
        pytest.skip("models/gazetteer.sqlite not built (make gazetteer)")
    gaz = Gazetteer(path)
    for word, target in _demonyms(CONFIGS / "places-demonyms.yaml").items():
        if "." in target:
            assert gaz.admin_name(target), f"{word!r} → {target!r}"


@pytest.mark.parametrize("name, feature, country", [
    ("EU", "region", None), ("Sumatra", "region", "ID"), ("Zaire", "country", "CD"), ("The Gambia", "country", "GM"),
    ("Nyanza Province", "region", "KE"), ("Soviet Union", "region", None),
])
def test_real_gazetteer_knows_regions_islands_and_former_names(name, feature, country):
    path = PROJECT_ROOT / "models" / "gazetteer.sqlite"
    if not path.is_file():
        pytest.skip("models/gazetteer.sqlite not built (make gazetteer)")
    assert any(c.feature == feature and c.country_code == country for c in Gazetteer(path).lookup(name))


def test_the_town_of_x_keeps_the_town_where_another_mention_says_region(gaz):
    text = "Gunmen attacked the town of Hasakah on Friday. Police patrolled the Hasakah region on Saturday."
    assert resolve_names(_resolver(gaz), text, "Hasakah", "Hasakah")["Hasakah"].candidate.feature == "city"
    region = "Gunmen attacked Hasakah on Friday. Police patrolled the Hasakah region on Saturday."
    assert resolve_names(_resolver(gaz), region, "Hasakah", "Hasakah")["Hasakah"].candidate.feature == "admin1"
