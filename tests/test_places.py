"""Places: resolution by context on the fixture gazetteer, the stage's recognition, the seed article
(real gazetteer) and the benchmark readers/scorer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.config import PROJECT_ROOT
from pipeline.data import PlaceValue
from pipeline.gazetteer.resolve import Resolver, Toponym
from pipeline.gazetteer.store import Gazetteer
from pipeline.stages.places import PlacesConfig, PlacesStage

from test_gazetteer import build_fixture

GAZETTEER = PROJECT_ROOT / "models" / "gazetteer.sqlite"


@pytest.fixture(scope="module")
def mini_path(tmp_path_factory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("gaz") / "mini.sqlite")


@pytest.fixture(scope="module")
def resolver(mini_path) -> Resolver:
    return Resolver(Gazetteer(mini_path), {"Syrian": "SY", "American": "US"})


def _tops(text: str, *names: str) -> list[Toponym]:
    out, pos = [], 0
    for n in names:
        i = text.index(n, pos)
        out.append(Toponym(i, i + len(n), n))
        pos = i + len(n)
    return out


def _resolve(resolver, text, *names):
    return resolver.resolve(text, _tops(text, *names))


def test_population_decides_without_context(resolver):
    (r,) = _resolve(resolver, "They met in Paris.", "Paris")
    assert r.candidate.geonameid == 4 and r.precision == "city"
    assert len(r.considered) == 2 and r.considered[0]["geonameid"] == 4


def test_country_context_overrides_population(resolver):
    text = "Storms hit Texas on Monday. In Paris, roofs were torn off; Dallas was spared."
    res = {r.toponym.text: r for r in _resolve(resolver, text, "Texas", "Paris", "Dallas")}
    assert res["Paris"].candidate.geonameid == 5
    assert "country US" in res["Paris"].reason


def test_city_comma_province_pattern(resolver):
    (paris, texas) = _resolve(resolver, "A storm struck Paris, Texas.", "Paris", "Texas")
    assert paris.candidate.geonameid == 5 and "pattern" in paris.reason
    assert texas.candidate.feature == "admin1" and texas.precision == "admin1"


def test_demonym_resolves_to_country_and_is_context(resolver):
    text = "Syrian forces entered Hasakah."
    tops = [Toponym(0, 6, "Syrian", "DEMONYM"), *_tops(text, "Hasakah")]
    dem, city = resolver.resolve(text, tops)
    assert dem.candidate.geonameid == 7 and dem.precision == "country" and "demonym" in dem.reason
    assert city.candidate.geonameid == 8  # the city, not the governorate of the same name (seat rule)


def test_division_word_picks_the_division(resolver):
    (r,) = _resolve(resolver, "Fighting spread across Hasakah province.", "Hasakah")
    assert r.candidate.feature == "admin1"


def test_unknown_name_stays_unresolved_with_reason(resolver):
    (r,) = _resolve(resolver, "Nothing happened in Atlantis.", "Atlantis")
    assert r.candidate is None and r.reason == "not in the gazetteer"


def test_resolution_is_one_sense_per_article(resolver):
    text = "Paris, Texas. Later in Paris the mayor spoke."
    rs = _resolve(resolver, text, "Paris", "Texas", "Paris")
    assert rs[0].candidate.geonameid == rs[2].candidate.geonameid == 5


# --- the stage on the fixture gazetteer ------------------------------------------------


@pytest.fixture(scope="module")
def stage(mini_path, resources) -> PlacesStage:
    cfg = PlacesConfig(factory="places.v1", gazetteer=mini_path, matcher_min_population=10_000)
    return PlacesStage(cfg, resources)


def test_stage_mentions_values_and_reasons(stage, make_doc):
    doc = make_doc("American officials said the storm hit Dallas on Monday.")
    stage([doc])
    ms = doc.layers["places"]
    by_text = {m.text: m for m in ms}
    assert by_text["American"].label == "DEMONYM" and by_text["American"].value.country_code == "US"
    dallas = by_text["Dallas"]
    assert isinstance(dallas.value, PlaceValue) and dallas.value.geonameid == 6
    assert dallas.value.admin1 == "Texas" and dallas.stage == "places.v1" and dallas.reason
    assert dallas.sent == 0 and doc.article.text[dallas.start:dallas.end] == "Dallas"


def test_matcher_finds_all_caps_dateline_and_skips_stopwords(stage, make_doc):
    doc = make_doc("DALLAS, Texas — Police said on Monday that May was calm.")
    stage([doc])
    texts = [m.text for m in doc.layers["places"]]
    assert "DALLAS" in texts
    assert "May" not in texts and "Police" not in texts
    dallas = next(m for m in doc.layers["places"] if m.text == "DALLAS")
    assert dallas.value.geonameid == 6


def test_neighbourhood_not_in_gazetteer_takes_its_city(stage, make_doc):
    doc = make_doc("Gunmen attacked the Zorbat neighbourhood of Springfield on Friday.")
    stage([doc])
    part = next(m for m in doc.layers["places"] if m.text == "Zorbat")
    assert part.value.geonameid == 11 and part.value.precision == "city"
    assert "part of 'Springfield'" in part.reason


@pytest.mark.parametrize("text", [
    "Shells hit the Zorbat neighbourhood of the besieged city of Springfield on Friday.",
    # a demonym between the part and its city is no container
    "Shells hit the Zorbat neighbourhood of the besieged American city of Springfield on Friday.",
])
def test_a_neighbourhood_of_the_city_of_x_takes_x(stage, make_doc, text):
    doc = make_doc(text)
    stage([doc])
    part = next(m for m in doc.layers["places"] if m.text == "Zorbat")
    assert part.value.geonameid == 11 and not part.value.stand_in and "part of 'Springfield'" in part.reason


def test_the_demonym_capital_is_the_national_capital_and_holds_its_parts(stage, make_doc):
    doc = make_doc("A car bomb exploded in the American capital's Zorbat district on Tuesday.")
    stage([doc])
    by_text = {m.text: m for m in doc.layers["places"]}
    capital = by_text["American capital"]
    assert capital.label == "GPE" and capital.value.geonameid == 45 and capital.value.precision == "city"
    assert by_text["Zorbat"].value.geonameid == 45 and "part of 'American capital'" in by_text["Zorbat"].reason
    # not "the American capital of jazz", nor a demonym without "the"
    doc = make_doc("New Orleans is the American capital of jazz. American capital flowed in.")
    stage([doc])
    assert all(m.label == "DEMONYM" for m in doc.layers["places"] if m.text.startswith("American"))


def test_a_place_named_with_its_state_keeps_its_own_entry_inside_it(stage, make_doc):
    doc = make_doc("Gunmen attacked a convoy in Texas's Dallas district on Friday.")
    stage([doc])
    dallas = next(m for m in doc.layers["places"] if m.text == "Dallas")
    assert dallas.value.geonameid == 6 and "lies in 'Texas'" in dallas.reason


def test_a_countrys_region_named_once_is_that_part_wherever_it_recurs(stage, make_doc):
    doc = make_doc("Fighting broke out in Syria's Zorbat region on Sunday. Families fled the Zorbat valley.")
    stage([doc])
    zorbat = [m for m in doc.layers["places"] if m.text == "Zorbat"]
    assert len(zorbat) == 2 and all(m.value is not None and m.value.name == "Syria" for m in zorbat)
    assert "as where it is named so" in zorbat[1].reason


def test_unresolved_entities_are_kept(stage, make_doc):
    doc = make_doc("The delegation travelled from Wakanda to Dallas.")
    stage([doc])
    by_text = {m.text: m for m in doc.layers["places"]}
    assert by_text["Dallas"].value is not None and not by_text["Dallas"].value.stand_in
    if "Wakanda" in by_text:  # only when spaCy tags it; then it must stay, with a reason
        wakanda = by_text["Wakanda"]
        assert "not in the gazetteer" in wakanda.reason
        # the article's focus place stands in, flagged so (a geoparser's answer, never an event's place)
        assert wakanda.value.stand_in and wakanda.value.name == "Dallas" and "stands in" in wakanda.reason


# --- the seed article on the real gazetteer --------------------------------------------------


@pytest.fixture(scope="module")
def seed_places(shared_dir, resources, nlp):
    if not GAZETTEER.is_file():
        pytest.skip(f"{GAZETTEER} is absent: run `make gazetteer`")
    from pipeline.data import AnnotatedDoc, Article, Sentence

    art = json.loads((shared_dir / "corpus" / "seed-article.jsonl").read_text(encoding="utf-8").splitlines()[0])
    doc = nlp(art["text"])
    adoc = AnnotatedDoc(Article(id=art["id"], text=art["text"]), doc,
                        [Sentence(s.start_char, s.end_char, s.text) for s in doc.sents])
    PlacesStage(PlacesConfig(factory="places.v1"), resources)([adoc])
    return adoc.layers["places"]


def _first(ms, text):
    return next(m for m in ms if m.text == text)


def test_seed_article_places(seed_places):
    hasaka = _first(seed_places, "Hasaka").value
    assert hasaka.geonameid == 173811 and hasaka.country_code == "SY" and hasaka.precision == "city"
    nineveh = _first(seed_places, "Nineveh").value
    assert nineveh.country_code == "IQ" and nineveh.precision == "admin1"
    erbil = seed_places[0]
    assert erbil.text == "ERBIL" and erbil.value.geonameid == 95446 and erbil.value.precision == "city"
    iraq = next(m for m in seed_places if m.value and m.value.name == "Iraq")
    assert (iraq.value.latitude, iraq.value.longitude) == (33.0, 44.0)
    syria = _first(seed_places, "Syria").value
    assert (syria.latitude, syria.longitude, syria.precision) == (35.0, 38.0, "country")
    demonyms = [m for m in seed_places if m.label == "DEMONYM"]
    assert demonyms and all(m.value.precision == "country" for m in demonyms)


def test_seed_article_neighbourhood(seed_places):
    ghweran = _first(seed_places, "Ghweran")
    assert ghweran.value.geonameid == 173811 and ghweran.value.precision == "city"
    assert "Hasaka" in ghweran.reason


# --- the benchmark reader and scorer --------------------------------------------------------


@pytest.mark.parametrize("name", ["lgl.xml", "GeoVirus.xml", "TR-News.xml", "GWN.xml"])
def test_corpus_readers_align_spans(shared_dir, name):
    from pipeline.eval.places import read_corpus

    docs = read_corpus(shared_dir / "benchmarks" / "places" / name)
    golds = [(d, g) for d in docs for g in d.toponyms]
    assert len(docs) > 100 and len(golds) > 1000
    aligned = sum(d.text[g.start:g.end] == g.text for d, g in golds)
    assert aligned / len(golds) > 0.97
    assert all(-90 <= g.lat <= 90 and -180 <= g.lon <= 180 for _, g in golds)


def test_scores_count_misses_as_maximal_error():
    from pipeline.eval.places import MAX_KM, Gold, Scores

    sc = Scores()
    sc.add(Gold(0, 5, "Paris", 48.85, 2.35, 4), (4, 48.86, 2.35))
    sc.add(Gold(0, 5, "Paris", 48.85, 2.35, 4), None)
    row = sc.row()
    assert row["acc161"] == 0.5 and row["coverage"] == 0.5 and row["exact"] == 0.5
    assert sc.errors[1] == MAX_KM


def test_a_stand_in_scores_but_is_no_coverage():
    from pipeline.eval.places import Gold, Scores

    sc = Scores()
    sc.add(Gold(0, 5, "Elm St", 48.85, 2.35, None), (4, 48.86, 2.35), stand_in=True)
    sc.add(Gold(0, 5, "Paris", 48.85, 2.35, 4), (4, 48.86, 2.35))
    row = sc.row()
    assert row["acc161"] == 1.0 and row["coverage"] == 0.5 and row["stand_in"] == 0.5
