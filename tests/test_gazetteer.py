"""The gazetteer: name normalization, the SQLite builder (fixture rows, a GeoNames dump, extras) and lookup."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from pathlib import Path

import pytest
import yaml

from pipeline.errors import ConfigError, MissingResourceError
from pipeline.gazetteer import build
from pipeline.gazetteer.normalize import compact, keys, norm, skeleton
from pipeline.gazetteer.store import Gazetteer

from helpers import write_gazetteer

FIXTURES = Path(__file__).parent / "fixtures"


def build_fixture(out: Path) -> Path:
    """tests/fixtures/gazetteer-mini.yaml → a SQLite gazetteer at ``out``."""
    rows = yaml.safe_load((FIXTURES / "gazetteer-mini.yaml").read_text(encoding="utf-8"))
    places = [build.Place(r["geonameid"], r["name"], r["country_code"], r["feature"], r["population"],
                          r["latitude"], r["longitude"], r.get("admin1"), r.get("admin2"), set(r.get("names", [])),
                          r.get("capital", False))
              for r in rows]
    return write_gazetteer(places, out)


@pytest.fixture(scope="module")
def mini(tmp_path_factory) -> Gazetteer:
    return Gazetteer(build_fixture(tmp_path_factory.mktemp("gaz") / "mini.sqlite"))


@pytest.mark.parametrize("variant", ["Hasaka", "Hasakah", "Hassakeh", "Al-Hasakah", "al-Hasaka", "Al Ḩasakah"])
def test_transliteration_variants_share_a_skeleton(variant):
    assert skeleton(variant) == "hasaka"


@pytest.mark.parametrize("a, b", [("Kyaukphyu", "Kyaukpyu"), ("Khost", "Kost"), ("Qamishli", "Kamishli")])
def test_aspirates_and_q_share_a_skeleton(a, b):
    assert skeleton(a) == skeleton(b)


def test_norm_folds_case_diacritics_and_hyphens():
    assert norm("Al-Ḩasakah") == "al hasakah"
    assert norm("Côte d’Ivoire") == "cote divoire"
    assert ("netherlands", 0) in keys("The Netherlands")
    assert norm("St. Louis") == "st louis"
    assert keys("") == [] and keys("--") == []


def test_skeleton_keeps_distinct_names_apart():
    assert skeleton("Mosul") != skeleton("Basra")
    assert skeleton("Paris") == "paris"


def test_compact_key_joins_one_word_and_two():
    assert compact("Petion-Ville") == compact("Pétion Ville") == norm("Pétionville") == "petionville"
    assert ("petionville", 2) in keys("Petion-Ville")
    assert compact("U.K.") == "" and compact("St. Louis") == "stlouis"  # initials are not joined
    assert compact("Mosul") == "" and all(k != "" for k, _ in keys("Port-au-Prince"))


def test_lookup_is_space_and_hyphen_insensitive_at_tier_2(tmp_path):
    places = [build.Place(3719028, "Pétionville", "HT", "city", 280_000, 18.51, -72.29),
              build.Place(2, "Green Lane", "US", "city", 1_000, 40.34, -75.47),
              build.Place(3, "Uk", "RU", "city", 4_000, 55.06, 98.82)]
    out = tmp_path / "g.sqlite"
    build.write(places, {}, out, {"schema": "1"})
    g = Gazetteer(out)
    assert [(c.geonameid, c.tier) for c in g.lookup("Petion-Ville")] == [(3719028, 2)]
    assert [(c.geonameid, c.tier) for c in g.lookup("Greenlane")] == [(2, 2)]  # the indexed side joins too
    assert [c.tier for c in g.lookup("Pétionville")] == [0]
    assert g.lookup("U.K.") == ()  # initials never meet a one-word name


def test_lookup_tiers_and_order(mini):
    exact = mini.lookup("Paris")
    assert [c.geonameid for c in exact] == [4, 5]  # most populous first
    assert all(c.tier == 0 for c in exact)
    assert {c.geonameid: c.tier for c in mini.lookup("Al-Hasakah")}[8] == 0  # the primary name, re-spelt
    by_alt = {c.geonameid: c.tier for c in mini.lookup("Hasakah")}
    assert by_alt[8] == 1
    by_skeleton = {c.geonameid: c.tier for c in mini.lookup("Hassakeh")}
    assert by_skeleton == {8: 2, 9: 2}
    assert mini.lookup("Atlantis") == ()


def test_lookup_drops_a_leading_article(mini):
    """News writes "the Ukraine", "The Gambia": the name is indexed without the article, so the query drops it."""
    assert [(c.geonameid, c.tier) for c in mini.lookup("the Ukraine")] == [(25, 0)]
    assert mini.lookup("the") == ()


def test_country_admin_names_and_ids(mini):
    assert mini.country("SY").geonameid == 7
    assert mini.country("ZZ") is None
    assert mini.admin_name("US.TX") == "Texas"
    assert mini.by_id(6).name == "Dallas"


def test_capitals_are_read_from_the_file(mini):
    assert mini.capitals == {("US", "washington")}


def test_a_gazetteer_without_a_capitals_table_must_be_rebuilt(tmp_path):
    out = tmp_path / "old.sqlite"
    build.write([build.Place(7, "Syria", "SY", "country", 1, 35.0, 38.0)], {}, out, {"schema": "1"})
    with sqlite3.connect(out) as con:
        con.execute("DROP TABLE capitals")
    with pytest.raises(MissingResourceError, match="older version.*make gazetteer"):
        Gazetteer(out)


def test_missing_gazetteer_is_a_resource_error(tmp_path):
    with pytest.raises(MissingResourceError, match="make gazetteer"):
        Gazetteer(tmp_path / "absent.sqlite")


def _zip(path: Path, member: str, lines: list[str]) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(member, "\n".join(lines) + "\n")


def test_build_from_a_geonames_dump(tmp_path):
    row = lambda *f: "\t".join(map(str, f))  # noqa: E731  (the 19 GeoNames columns)
    _zip(tmp_path / "cities500.zip", "cities500.txt", [
        row(99072, "Mosul", "Mosul", "Al Mawsil,Mossul,OSM", 36.335, 43.11889, "P", "PPLA", "IQ", "", "15", "", "",
            "", 1683000, "", 223, "Asia/Baghdad", "2020-01-01"),
        row(92877, "Nīnawá", "Ninawa", "Nineveh", 36.25, 42.5, "A", "ADM1", "IQ", "", "15", "", "", "", 3270000,
            "", 300, "Asia/Baghdad", "2020-01-01"),
        row(99237, "Iraq", "Iraq", "", 33.0, 44.0, "A", "PCLI", "IQ", "", "00", "", "", "", 38000000, "", 1,
            "Asia/Baghdad", "2020-01-01"),
        row(98182, "Baghdad", "Baghdad", "", 33.34, 44.40, "P", "PPLC", "IQ", "", "07", "", "", "", 7216000, "", 41,
            "Asia/Baghdad", "2020-01-01"),
        row(1, "Some Hill", "Some Hill", "", 36.0, 43.0, "T", "HLL", "IQ", "", "15", "", "", "", 0, "", 1, "", ""),
    ])
    _zip(tmp_path / "alternateNamesV2.zip", "alternateNamesV2.txt", [
        "\t".join(["1", "99072", "en", "Al-Mawsil", "", "", "", "", "", ""]),
        "\t".join(["2", "99072", "link", "https://en.wikipedia.org/wiki/Mosul", "", "", "", "", "", ""]),
    ])
    places, admin = build.from_geonames(tmp_path)
    assert {p.geonameid: p.feature for p in places} == {99072: "city", 98182: "city", 92877: "admin1",
                                                         99237: "country"}
    assert admin["IQ.15"] == "Nīnawá"
    out = tmp_path / "g.sqlite"
    build.write(places, admin, out, {"schema": "1"})
    g = Gazetteer(out)
    assert g.lookup("Al-Mawsil")[0].geonameid == 99072
    assert g.lookup("Nineveh")[0].feature == "admin1"
    assert g.lookup("OSM") == ()  # airport-style codes are not names
    assert g.capitals == {("IQ", "baghdad")}  # the dump's PPLC row
    assert not any(c.name.startswith("http") for c in g.lookup("https://en.wikipedia.org/wiki/Mosul"))


def test_geonames_dir_without_dump_is_an_error(tmp_path):
    with pytest.raises(Exception, match="allCountries.zip"):
        build.from_geonames(tmp_path)


def test_extras_add_places_and_aliases(tmp_path):
    places = [build.Place(7, "Syria", "SY", "country", 1, 35.0, 38.0)]
    extra = tmp_path / "extra.yaml"
    extra.write_text(yaml.safe_dump({
        "places": [{"name": "Rojava", "country": "SY", "feature": "region", "latitude": 36.6, "longitude": 40.6,
                    "names": ["North and East Syria"]}],
        "aliases": [{"country": "SY", "names": ["Syrian Arab Republic"]}]}), encoding="utf-8")
    assert build.apply_extra(places, {}, extra) == 1
    rojava = places[-1]
    assert rojava.geonameid < 0 and rojava.feature == "region"
    assert "Syrian Arab Republic" in places[0].names
    out = tmp_path / "g.sqlite"
    build.write(places, {"SY": "Syria"}, out, {"schema": "1"})
    hit = Gazetteer(out).lookup("North and East Syria")[0]
    assert hit.name == "Rojava" and hit.public_id is None


def test_extras_errors_name_the_entry(tmp_path):
    extra = tmp_path / "extra.yaml"
    extra.write_text("places:\n  - {name: Nowhere, country: XX}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"places\[0\].*feature"):
        build.apply_extra([], {}, extra)
    extra.write_text("aliases:\n  - {country: XX, names: [Nowhere]}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"aliases\[0\]"):
        build.apply_extra([], {}, extra)


def test_project_extras_and_points_are_valid():
    from pipeline.config import PROJECT_ROOT

    points = build._points(build.COUNTRY_POINTS)
    assert points["US"] == (39.76, -98.5) and points["NO"] == (62.0, 10.0)  # "NO" is not YAML false
    data = yaml.safe_load((PROJECT_ROOT / "configs" / "places-extra.yaml").read_text(encoding="utf-8"))
    assert {"Kurdistan Region", "Rojava"} <= {p["name"] for p in data["places"]}


@pytest.mark.parametrize("a, b", [("Jisr al-Shughur", "Jisr ash Shughūr"), ("Deir ez-Zor", "Deir al-Zor"),
                                  ("Ras el Ain", "Ras al-Ain"), ("Jisr esh-Shughur", "Jisr al Shughur")])
def test_an_article_inside_a_name_meets_its_spoken_form(a, b):
    assert skeleton(a) == skeleton(b)


def test_an_inner_article_is_folded_only_before_its_own_letter():
    assert skeleton("Dar es Salaam") == "dar al salam"  # "es" before s: the article
    assert skeleton("Bandar-e Anzali") == "bandar e anzali" and skeleton("Mazar-e Sharif") == "mazar e sharif"
    assert skeleton("Port-au-Prince") == "port au princa"


def test_divisions_are_indexed_without_their_generic_word(tmp_path):
    places = [build.Place(1, "Provincia de Pataz", "PE", "admin2", 80_000, -7.8, -77.6, "PE.13"),
              build.Place(2, "Departamento de La Paz", "BO", "admin1", 2_700_000, -15.5, -68.5, "BO.04"),
              build.Place(3, "Comuna Aninoasa", "RO", "admin2", 5_000, 44.9, 25.4, "RO.15"),
              build.Place(4, "Provincia de Pataz", "PE", "city", 1_000, -7.8, -77.6, "PE.13")]
    assert build.add_bare_division_names(places) == 3
    assert "Pataz" in places[0].names and "La Paz" in places[1].names and not places[3].names
    out = tmp_path / "g.sqlite"
    build.write(places, {}, out, {"schema": "1"})
    (hit, *_) = Gazetteer(out).lookup("Pataz")
    assert hit.geonameid == 1 and hit.tier == 1
