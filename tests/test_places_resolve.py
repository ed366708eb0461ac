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


@pytest.mark.parametrize("text, contained", [
    ("A bomb went off near Paris in Texas on Friday.", True),
    ("A bomb went off near Paris in the Texas panhandle on Friday.", True),
    ("Storms hit Paris and Texas on Friday.", False),
])
def test_x_in_y_contains_x(gaz, text, contained):
    res = resolve_names(_resolver(gaz), text, "Paris", "Texas")
    assert res["Paris"].candidate.geonameid == 5
    assert ("'X, Y' pattern (or 'X in Y')" in res["Paris"].reason) == contained, res["Paris"].reason


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


# Homonyms of a country or first-level division and a town or division of their own (news-style sentences of
# our own on a small gazetteer).
HOMONYMS = [
    # geonameid, name, country, feature, population, lat, lon, admin1
    (101, "Jordan", "JO", "country", 10_000_000, 31.0, 36.0, None),
    (102, "Jordan", "US", "city", 6_000, 44.67, -93.63, "US.MN"),
    (103, "Lebanon", "LB", "country", 6_800_000, 33.83, 35.83, None),
    (104, "Lebanon", "US", "city", 25_000, 40.34, -76.41, "US.PA"),
    (105, "Texas", "US", "admin1", 29_000_000, 31.25, -99.25, "US.TX"),
    (106, "Texas", "US", "city", 1_000, 35.0, -80.0, "US.NC"),
    (107, "Taiwan", "TW", "country", 23_500_000, 24.0, 121.0, None),
    (108, "Taiwan", "TW", "admin1", 18_000_000, 23.5, 120.9, "TW.04"),
    (109, "Kaohsiung", "TW", "city", 1_500_000, 22.62, 120.31, "TW.04"),
]


def _tiny_gazetteer(rows, tmp_path_factory, name: str) -> Gazetteer:
    """A gazetteer of (geonameid, name, country, feature, population, lat, lon, admin1) rows."""
    from pipeline.gazetteer import build
    from helpers import write_gazetteer

    places = [build.Place(g, n, cc, f, p, lat, lon, a1) for g, n, cc, f, p, lat, lon, a1 in rows]
    return Gazetteer(write_gazetteer(places, tmp_path_factory.mktemp("gaz") / f"{name}.sqlite"))


@pytest.fixture(scope="module")
def homonyms(tmp_path_factory) -> Gazetteer:
    return _tiny_gazetteer(HOMONYMS, tmp_path_factory, "homonyms")


@pytest.mark.parametrize("text, name, geonameid", [
    ("The Jordan City Council voted on Monday to repave two streets downtown.", "Jordan", 102),
    ("Officers of the Lebanon Police Department arrested two men after a break-in on Friday.", "Lebanon", 104),
    ("Lebanon Mayor Ruth Danner said the festival would go ahead.", "Lebanon", 104),
    ("Students at Jordan High School raised $4,000 for the food shelf.", "Jordan", 102),
    ("Services will be held at 11 a.m. Friday at the chapel, 400 S. Walnut St., Lebanon.", "Lebanon", 104),
    # a state's or a country's own forces are no town's
    ("Texas police said the driver was not hurt.", "Texas", 105),
    ("Jordan police said the suspects were detained near the border.", "Jordan", 101),
    ("The Texas High School Coaches Association met in Austin on Monday.", "Texas", 105),
    ("Rescuers reached the Texas town of Kerrville before dawn.", "Texas", 105),
    # "city of X's ...", "the largest city of X": a city in X, not a town named X
    ("Shells hit the largest city of Jordan's north on Tuesday.", "Jordan", 101),
    ("Traders fled the second city of Lebanon after the clashes.", "Lebanon", 103),
    ("Officials said the town of Jordan had lost power.", "Jordan", 102),
])
def test_a_towns_own_institution_names_the_town_not_the_country(homonyms, text, name, geonameid):
    r = resolve_names(Resolver(homonyms, {}), text, name)[name]
    assert r.candidate.geonameid == geonameid, r.reason


def test_a_country_named_like_its_own_division_is_the_country(homonyms):
    text = "Bird flu was confirmed on two farms near Kaohsiung, Taiwan's agriculture council said on Tuesday."
    r = resolve_names(Resolver(homonyms, {}), text, "Kaohsiung", "Taiwan")["Taiwan"]
    assert r.candidate.geonameid == 107, r.reason
    province = "Bird flu was confirmed on two farms near Kaohsiung, in the province of Taiwan, officials said."
    r = resolve_names(Resolver(homonyms, {}), province, "Kaohsiung", "Taiwan")["Taiwan"]
    assert r.candidate.geonameid == 108, r.reason


@pytest.mark.parametrize("name, admin1", [
    ("B.C.", "CA.02"), ("Ont.", "CA.08"), ("N.L.", "CA.05"), ("P.E.I.", "CA.09"), ("Qld", "AU.04"),
    ("Kabardino-Balkaria", "RU.22"), ("North Ossetia", "RU.68"), ("Ingushetia", "RU.19"),
])
def test_real_gazetteer_knows_province_abbreviations_and_republics(name, admin1):
    path = PROJECT_ROOT / "models" / "gazetteer.sqlite"
    if not path.is_file():
        pytest.skip("models/gazetteer.sqlite not built (make gazetteer)")
    assert any(c.feature == "admin1" and c.admin1 == admin1 for c in Gazetteer(path).lookup(name))


def test_real_gazetteer_knows_western_sahara():
    path = PROJECT_ROOT / "models" / "gazetteer.sqlite"
    if not path.is_file():
        pytest.skip("models/gazetteer.sqlite not built (make gazetteer)")
    assert any(c.country_code == "EH" for c in Gazetteer(path).lookup("Western Sahara"))


CAPITAL = [
    # geonameid, name, country, feature, population, lat, lon, admin1, names
    (201, "Washington", "US", "city", 690_000, 38.9, -77.04, "US.DC", {"D.C."}),
    (202, "District of Columbia", "US", "admin1", 690_000, 38.91, -77.0, "US.DC", {"D.C."}),
    (203, "Washington", "US", "admin1", 7_600_000, 47.5, -120.5, "US.WA", set()),
    (204, "Washington", "US", "city", 4_000, 33.74, -82.74, "US.GA", set()),
    (205, "Grovetown", "US", "city", 13_000, 33.45, -82.2, "US.GA", set()),
    (206, "Augusta", "US", "city", 200_000, 33.47, -81.97, "US.GA", set()),
    (207, "United States", "US", "country", 327_000_000, 39.76, -98.5, None, set()),
]


@pytest.fixture(scope="module")
def capital(tmp_path_factory) -> Gazetteer:
    from pipeline.gazetteer import build
    from helpers import write_gazetteer

    places = [build.Place(g, n, cc, f, p, lat, lon, a1, None, names, g == 201)
              for g, n, cc, f, p, lat, lon, a1, names in CAPITAL]
    return Gazetteer(write_gazetteer(places, tmp_path_factory.mktemp("gaz") / "capital.sqlite"))


def test_x_comma_y_where_y_reads_as_a_town_still_contains_x(capital):
    """ "Washington, D.C.": D.C. itself resolves to the city of Washington (the seat rule), and still says which
    Washington the one before the comma is, in an article whose other towns all lie in Georgia."""
    text = ("A Grovetown woman called her mother in Washington, D.C., on Sunday, and police found the car near "
            "Augusta.")
    res = resolve_names(Resolver(capital, {}), text, "Grovetown", "Washington", "D.C.", "Augusta")
    assert res["Washington"].candidate.geonameid == 201, res["Washington"].reason
    assert "'X, Y' pattern" in res["Washington"].reason


# Same-named towns in a pound country and a dollar country (invented figures, real-looking points).
MONEY = [
    (301, "Mansfield", "GB", "city", 170_000, 53.14, -1.2, "GB.ENG"),
    (302, "Mansfield", "US", "city", 64_000, 32.56, -97.14, "US.TX"),
    (303, "Nottingham", "GB", "city", 300_000, 52.95, -1.15, "GB.ENG"),
    (304, "Georgia", "GE", "country", 3_700_000, 42.0, 43.5, None),
    (305, "Georgia", "US", "admin1", 10_700_000, 32.75, -83.5, "US.GA"),
]
MARKS = {"$": ["US", "CA", "AU", "NZ"], "£": ["GB"], "dollar": ["US", "CA", "AU", "NZ"], "neighbor": ["US"],
         "councillor": ["GB", "IE", "AU", "NZ", "CA"]}


@pytest.fixture(scope="module")
def money(tmp_path_factory) -> Gazetteer:
    return _tiny_gazetteer(MONEY, tmp_path_factory, "money")


@pytest.mark.parametrize("text, geonameid, voted", [
    # local news naming one place only: the money it counts says which country, or its spelling
    ("The Mansfield council agreed on Tuesday to spend $2.1 million on two fire trucks.", 302, True),
    ("Mansfield residents will pay 40 dollars more a year for trash pickup, the council said.", 302, True),
    ("The Mansfield council agreed on Tuesday to spend £2.1 million on two fire trucks.", 301, True),
    ("A Mansfield councillor asked for two more fire trucks on Tuesday.", 301, True),
    ("Mansfield firefighters saved a neighbor's dog on Tuesday.", 302, True),
    # no money: the bigger town; money named as foreign ("US$") is no home
    ("The Mansfield council agreed on Tuesday to buy two fire trucks.", 301, False),
    ("Mansfield exporters sold goods worth US$2 million last year.", 301, False),
])
def test_an_article_naming_one_place_only_is_where_its_marks_point(money, text, geonameid, voted):
    r = resolve_names(Resolver(money, {}, home_marks=MARKS), text, "Mansfield")["Mansfield"]
    assert r.candidate.geonameid == geonameid, r.reason
    assert ("whose marks" in r.reason) == voted, r.reason


def test_home_marks_choose_among_towns_only(money):
    """A country and a state of its name are no local news' towns: the marks leave them to the priors."""
    r = resolve_names(Resolver(money, {}, home_marks=MARKS), "Georgia will get $50 million in aid.", "Georgia")
    assert r["Georgia"].candidate.geonameid == 304, r["Georgia"].reason


def test_home_marks_are_no_vote_where_the_article_names_other_places(money):
    text = "The Mansfield council agreed to spend $2.1 million on a road to Nottingham."
    res = resolve_names(Resolver(money, {}, home_marks=MARKS), text, "Mansfield", "Nottingham")
    assert res["Mansfield"].candidate.geonameid == 301, res["Mansfield"].reason


def test_home_marks_name_countries():
    cfg = PlacesConfig(factory="places.v1")
    data = yaml.safe_load(cfg.home_marks.read_text(encoding="utf-8"))
    assert data["$"] and all(len(cc) == 2 and cc.isupper() for ccs in data.values() for cc in ccs)


STATE_TOWNS = [
    (401, "Kansas", "US", "admin1", 2_900_000, 38.5, -98.5, "US.KS"),
    (402, "Kansas", "US", "city", 800, 39.55, -87.93, "US.IL"),
    (403, "Charleston", "US", "city", 21_000, 39.49, -88.18, "US.IL"),
    (404, "Mattoon", "US", "city", 18_000, 39.48, -88.37, "US.IL"),
    (405, "Ohio", "US", "admin1", 11_700_000, 40.25, -82.75, "US.OH"),
    (406, "Iowa", "US", "admin1", 3_100_000, 42.0, -93.5, "US.IA"),
]


@pytest.fixture(scope="module")
def state_towns(tmp_path_factory) -> Gazetteer:
    return _tiny_gazetteer(STATE_TOWNS, tmp_path_factory, "state-towns")


def test_a_town_named_like_a_far_bigger_state_is_the_state_among_that_towns_neighbours(state_towns):
    text = "Wheat growers from Kansas met grain buyers in Charleston and Mattoon, trade groups in Ohio and Iowa said."
    names = ("Kansas", "Charleston", "Mattoon", "Ohio", "Iowa")
    r = resolve_names(Resolver(state_towns, {}), text, *names)["Kansas"]
    assert r.candidate.geonameid == 401, r.reason
    # without the rule the towns' one-state reading takes the village of the name
    r = resolve_names(Resolver(state_towns, {}, Weights(state_town=0.0)), text, *names)["Kansas"]
    assert r.candidate.geonameid == 402, r.reason
    # a town word still says the village
    village = ("Firefighters from the village of Kansas helped crews in Charleston and Mattoon, officials in Ohio "
               "and Iowa said.")
    assert resolve_names(Resolver(state_towns, {}), village, *names)["Kansas"].candidate.geonameid == 402


TOWN_DEMONYMS = [
    (501, "London", "GB", "city", 9_000_000, 51.51, -0.13, "GB.ENG"),
    (502, "London", "CA", "city", 420_000, 42.98, -81.23, "CA.08"),
    (503, "Ontario", "CA", "admin1", 14_000_000, 49.25, -84.5, "CA.08"),
    (504, "England", "GB", "admin1", 56_000_000, 52.5, -1.5, "GB.ENG"),
]


@pytest.fixture(scope="module")
def town_demonyms(tmp_path_factory) -> Gazetteer:
    return _tiny_gazetteer(TOWN_DEMONYMS, tmp_path_factory, "town-demonyms")


def test_a_towns_demonym_is_the_town_the_article_names(town_demonyms):
    resolver = Resolver(town_demonyms, {"Londoner": "London"})
    text = "Londoners packed the streets of London for the parade, the biggest in Ontario this year."
    res = resolve_names(resolver, text, "Londoners", "London", "Ontario")
    assert res["London"].candidate.geonameid == 502, res["London"].reason
    assert res["Londoners"].candidate.geonameid == 502, res["Londoners"].reason
    # without the town named, the demonym is its place as the demonym list says
    alone = resolve_names(resolver, "Londoners packed the streets for the parade, the biggest in Ontario.",
                          "Londoners", "Ontario")
    assert alone["Londoners"].candidate.geonameid == 501


def test_a_compass_part_of_a_known_town_takes_the_town_in_the_articles_country(gaz):
    text = "Two men were shot in North Dallas late on Friday, Texas police said."
    res = resolve_names(_resolver(gaz), text, "North Dallas", "Texas")
    assert res["North Dallas"].candidate.geonameid == 6, res["North Dallas"].reason
    assert "part of a town 'Dallas'" in res["North Dallas"].reason
    # nor a compass word alone, nor a town in a country no other name has
    alone = resolve_names(_resolver(gaz), "Storms hit South Farah overnight, Texas officials said.",
                          "South Farah", "Texas")
    assert alone["South Farah"].candidate is None


SWINGS = [
    (601, "Toronto", "CA", "city", 2_800_000, 43.70, -79.42, "CA.08"),
    (602, "Toronto", "US", "city", 4_900, 40.46, -80.60, "US.OH"),
    (603, "Ontario", "CA", "admin1", 14_000_000, 49.25, -84.5, "CA.08"),
    (604, "Ontario", "US", "city", 2_200, 43.22, -77.28, "US.NY"),
    (605, "New York", "US", "admin1", 19_000_000, 43.0, -75.5, "US.NY"),
]


@pytest.fixture(scope="module")
def swings(tmp_path_factory) -> Gazetteer:
    return _tiny_gazetteer(SWINGS, tmp_path_factory, "swings")


def test_the_reading_is_scored_as_it_stands(swings):
    """Names that would swing together between two countries settle on one consistent reading."""
    text = "Flights from New York to Toronto resumed on Monday, Ontario officials said."
    res = resolve_names(Resolver(swings, {}), text, "New York", "Toronto", "Ontario")
    assert res["Toronto"].candidate.geonameid == 601, res["Toronto"].reason
    assert res["Ontario"].candidate.geonameid == 603, res["Ontario"].reason


def test_a_name_without_an_entry_takes_the_articles_focus_town_as_a_stand_in(gaz):
    """A street or hamlet the gazetteer lacks lies, mostly, in the town the article is about: the town named
    most often, not the country (named more often here), stands in; its own ``candidate`` stays None."""
    text = ("Syria said shells hit Hasakah on Friday. In Hasakah, the Ghweran quarter burned; "
            "Syria blamed the militants, and Syria closed the road.")
    res = resolve_names(_resolver(gaz), text, "Syria", "Hasakah", "Hasakah", "Ghweran", "Syria", "Syria")
    ghweran = res["Ghweran"]
    assert ghweran.candidate is None and ghweran.stand_in.geonameid == 8 and ghweran.precision == "city"
    assert "not in the gazetteer" in ghweran.reason and "focus place" in ghweran.reason
    assert res["Hasakah"].stand_in is None
    off = resolve_names(_resolver(gaz, focus=False), text, "Syria", "Hasakah", "Hasakah", "Ghweran")
    assert off["Ghweran"].candidate is None and off["Ghweran"].stand_in is None


def test_no_stand_in_without_a_resolved_place(gaz):
    (r,) = resolve_names(_resolver(gaz), "Crowds gathered in Ghweran.", "Ghweran").values()
    assert r.candidate is None and r.stand_in is None and r.reason == "not in the gazetteer"
