"""Assembly alone: hand-built documents whose layers hold gold mentions (the upstream stages' stand-in).

Texts are invented for these tests; the spaCy parse is real (``make_doc``), so the
syntax rules (context clauses, reporting verbs) are exercised as in the pipeline.
"""

from __future__ import annotations

import dataclasses
from typing import Optional

import pytest
import yaml

from pipeline.config import DEFAULT_CONFIG
from pipeline.data import (
    ActorValue,
    AnnotatedDoc,
    CountValue,
    DateValue,
    EventMentionValue,
    Mention,
    PlaceValue,
)
from pipeline.io.writers import record_line
from pipeline.resources import Resources
from pipeline.stages.assembly import Assembly, AssemblyConfig, choose_fatalities, places_compatible

MAIDUGURI = PlaceValue("Maiduguri", 2331447, 11.8464, 13.1603, "NG", "Borno", "city")
KANO = PlaceValue("Kano", 2335204, 12.0001, 8.5167, "NG", "Kano", "city")
BORNO = PlaceValue("Borno", 2346794, 11.5, 13.0, "NG", "Borno", "admin1")
NIGERIA = PlaceValue("Nigeria", 2328926, 10.0, 8.0, "NG", None, "country")
ABUJA = PlaceValue("Abuja", 2352778, 9.0579, 7.4951, "NG", "FCT", "city")
NIAMEY = PlaceValue("Niamey", 2440485, 13.5137, 2.1098, "NE", "Niamey", "city")

BATTLE = ("Battles", "Armed clash")
ATTACK = ("Violence against civilians", "Attack")
ARRESTS = ("Strategic developments", "Arrests")
OTHER = ("Strategic developments", "Other")
PROTEST = ("Protests", "Peaceful protest")


def stage(**overrides) -> Assembly:
    return Assembly(AssemblyConfig(factory="assembly.v1", **overrides), Resources())


class Builder:
    """Adds gold mentions to a parsed document by their surface text."""

    def __init__(self, doc: AnnotatedDoc) -> None:
        self.doc = doc
        for layer in ("dates", "places", "actors", "counts", "event_mentions"):
            doc.layers[layer] = []

    def _add(self, layer: str, surface: str, value, label: str, nth: int = 0, reason: str = "gold") -> int:
        text = self.doc.article.text
        at = -1
        for _ in range(nth + 1):
            at = text.index(surface, at + 1)
        m = Mention(at, at + len(surface), surface, label, "gold", value, reason, self.doc.sent_of(at))
        self.doc.layers[layer].append(m)
        return len(self.doc.layers[layer]) - 1

    def date(self, surface: str, start: str, end: Optional[str] = None, precision: str = "day", nth: int = 0,
             background: bool = False) -> None:
        self._add("dates", surface, DateValue(start, end or start, precision, background=background), "DATE", nth)

    def place(self, surface: str, value: PlaceValue, label: str = "GPE", nth: int = 0) -> None:
        self._add("places", surface, value, label, nth)

    def actor(self, surface: str, name: str, type_: Optional[str], role: Optional[str] = None, nth: int = 0) -> None:
        self._add("actors", surface, ActorValue(name, type_, role=role), "ACTOR", nth)

    def count(self, surface: str, category: str, value: int, nth: int = 0, **kw) -> int:
        return self._add("counts", surface, CountValue(category, value, **kw), "COUNT", nth)

    def event(self, sentence_start: str, label: tuple[str, str], score: float = 0.98,
              trigger: Optional[str] = None) -> None:
        """An event mention spanning the sentence that begins with ``sentence_start``."""
        text = self.doc.article.text
        at = text.index(sentence_start)
        sent = self.doc.sentences[self.doc.sent_of(at)]
        self.doc.layers["event_mentions"].append(
            Mention(sent.start, sent.end, sent.text, "EVENT", "gold",
                    EventMentionValue(label[0], label[1], score, trigger), f"gold:{label[1]}", self.doc.sent_of(at)))


def run(doc: AnnotatedDoc, **overrides):
    stage(**overrides)([doc])
    return doc.records


def test_default_config_block_validates():
    raw = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))["stages"]["assembly"]
    cfg = AssemblyConfig.model_validate(raw)
    assert cfg.factory == "assembly.v1" and cfg.merge_km == 25.0


def test_no_event_mentions_no_records(make_doc):
    doc = make_doc("The council met on Monday in Kano to discuss the budget.", published="2023-05-10")
    b = Builder(doc)
    b.date("Monday", "2023-05-08")
    b.place("Kano", KANO)
    assert run(doc) == []
    assert doc.layers["records"] == []


def test_sentences_of_one_incident_merge_and_stated_total_wins(make_doc):
    text = ("Gunmen stormed a market in Maiduguri on Tuesday, opening fire on traders. "
            "The death toll from the market raid in Maiduguri has risen to 40. "
            "Among the dead were 25 traders and 20 soldiers.")
    doc = make_doc(text, published="2023-05-10", id="art-1")
    b = Builder(doc)
    b.event("Gunmen stormed", BATTLE, 0.8, trigger="stormed")
    b.event("The death toll", ATTACK, 0.6)
    b.date("Tuesday", "2023-05-09")
    b.place("Maiduguri", MAIDUGURI)
    b.place("Maiduguri", MAIDUGURI, nth=1)
    b.actor("Gunmen", "Unidentified Armed Group", "Political militia", "actor1")
    b.actor("soldiers", "Military Forces of Nigeria", "State forces")
    b.actor("traders", "Civilians", "Civilians", nth=1)
    total = b.count("40", "killed", 40, total=True)
    b.count("25 traders", "killed", 25, who="Civilians", part_of=total)
    b.count("20 soldiers", "killed", 20, who="Military Forces of Nigeria", part_of=total)
    (rec,) = run(doc)
    assert rec.event_id == "art-1#1" and rec.article_id == "art-1"
    assert (rec.event_type, rec.sub_event_type) == BATTLE
    assert (rec.date.start, rec.date.end, rec.date.text) == ("2023-05-09", "2023-05-09", "Tuesday")
    assert rec.location.name == "Maiduguri" and rec.location.country_code == "NG"
    assert rec.fatalities == 40  # the stated total, not the breakdown's 45
    assert sorted(c.value for c in rec.counts) == [20, 25, 40]
    assert [e.start for e in rec.evidence] == [s.start for s in doc.sentences]  # breakdown sentence included
    # soldiers named only in the casualty breakdown were hit by the event
    assert [(a.name, a.role) for a in rec.actors] == [("Unidentified Armed Group", "actor1"), ("Civilians", "actor2"),
                                                      ("Military Forces of Nigeria", "actor2")]
    assert any(r.startswith("fatalities: stated total") for r in rec.reasons)
    # serialises per the contract
    assert '"fatalities": 40' in record_line(rec)


def test_second_incident_on_another_day_is_a_second_record(make_doc):
    text = ("Gunmen attacked a village near Maiduguri on Monday, killing five farmers. "
            "On Wednesday, gunmen attacked another village near Maiduguri, killing three herders.")
    doc = make_doc(text, published="2023-05-12", id="a")
    b = Builder(doc)
    b.event("Gunmen attacked", ATTACK)
    b.event("On Wednesday", ATTACK)
    b.date("Monday", "2023-05-08")
    b.date("Wednesday", "2023-05-10")
    b.place("Maiduguri", MAIDUGURI)
    b.place("Maiduguri", MAIDUGURI, nth=1)
    b.count("five farmers", "killed", 5, who="Civilians")
    b.count("three herders", "killed", 3, who="Civilians")
    recs = run(doc)
    assert [r.event_id for r in recs] == ["a#1", "a#2"]
    assert [r.date.start for r in recs] == ["2023-05-08", "2023-05-10"]
    assert [r.fatalities for r in recs] == [5, 3]


def test_same_day_other_city_is_a_second_record(make_doc):
    text = "Police fired tear gas at protesters in Kano on Friday. Protesters also marched in Abuja on Friday."
    doc = make_doc(text, published="2023-05-13")
    b = Builder(doc)
    b.event("Police fired", PROTEST)
    b.event("Protesters also", PROTEST)
    b.date("Friday", "2023-05-12")
    b.date("Friday", "2023-05-12", nth=1)
    b.place("Kano", KANO)
    b.place("Abuja", ABUJA)
    recs = run(doc)
    assert [r.location.name for r in recs] == ["Kano", "Abuja"]


def test_background_events_are_not_coded(make_doc):
    text = ("Militants overran Maiduguri in 2014 before the army retook it. "
            "Last year's attack on the market killed 60 people. "
            "On Monday, soldiers clashed with militants in Borno.")
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("Militants overran", ("Battles", "Non-state actor overtakes territory"))
    b.event("Last year", ATTACK)
    b.event("On Monday", BATTLE)
    b.date("2014", "2014-01-01", "2014-12-31", "year")
    b.date("Last year", "2022-01-01", "2022-12-31", "year")
    b.date("Monday", "2023-05-08")
    b.place("Maiduguri", MAIDUGURI)
    b.place("Borno", BORNO)
    b.count("60 people", "killed", 60)
    (rec,) = run(doc)
    assert rec.date.start == "2023-05-08" and rec.location.name == "Borno"
    assert rec.fatalities is None
    # a background flag from the dates stage is honoured even for a recent date
    doc2 = make_doc("A bomb exploded in Kano on Monday.", published="2023-05-10")
    b2 = Builder(doc2)
    b2.event("A bomb", ("Explosions/Remote violence", "Remote explosive/landmine/IED"))
    b2.date("Monday", "2023-05-08", background=True)
    b2.place("Kano", KANO)
    assert run(doc2) == []
    # and the age limit is configurable (a year alone never founds an event, but the sentence is read)
    assert len(run(doc, max_age_days=10_000)) == 1


def test_dateline_demonym_and_speaker_city_are_not_the_location(make_doc):
    text = ("ABUJA — Nigerian troops clashed with militants on Sunday near Maiduguri, "
            "the army said in Abuja.")
    doc = make_doc(text, published="2023-05-15")
    b = Builder(doc)
    b.event("Nigerian troops", BATTLE, trigger="clashed")
    b.place("ABUJA", ABUJA)
    b.place("Nigerian", NIGERIA, label="DEMONYM")
    b.place("Maiduguri", MAIDUGURI)
    b.place("Abuja", ABUJA)
    b.date("Sunday", "2023-05-14")
    (rec,) = run(doc)
    assert rec.location.name == "Maiduguri"
    # without Maiduguri the demonym's country is the fallback, not the dateline or the speaker's city
    doc.layers["places"] = [m for m in doc.layers["places"] if m.text != "Maiduguri"]
    (rec,) = run(doc)
    assert rec.location.name == "Nigeria" and rec.location.precision == "country"
    assert any("country context" in r for r in rec.reasons)


def test_a_dateline_after_a_quoted_lede_is_not_the_location(make_doc):
    text = ('"They fired at us as if we were animals," said a nurse who had joined the march.\n\n'
            "ABUJA — Gunmen shot dead two protesters on Sunday in the northern city of Kano, relatives said.")
    doc = make_doc(text, published="2023-05-15")
    b = Builder(doc)
    b.event("ABUJA", ATTACK, trigger="shot dead")
    b.place("ABUJA", ABUJA)
    b.place("Kano", KANO)
    b.date("Sunday", "2023-05-14")
    (rec,) = run(doc)
    assert rec.location.name == "Kano"


@pytest.mark.parametrize("road", ["Kano-Maiduguri highway", "Kano–Maiduguri road"])
def test_the_towns_a_route_joins_yield_to_the_town_on_it(make_doc, road):
    potiskum = PlaceValue("Potiskum", 2324767, 11.7091, 11.0694, "NG", "Yobe", "city")
    doc = make_doc(f"Gunmen attacked a bus on the {road} near Potiskum on Sunday.", published="2023-05-15")
    b = Builder(doc)
    b.event("Gunmen", ATTACK, trigger="attacked")
    b.place("Kano", KANO)
    b.place("Maiduguri", MAIDUGURI)
    b.place("Potiskum", potiskum)
    b.date("Sunday", "2023-05-14")
    (rec,) = run(doc)
    assert rec.location.name == "Potiskum"
    # a route's end alone is still the place
    doc.layers["places"] = [m for m in doc.layers["places"] if m.text != "Potiskum"]
    (rec,) = run(doc)
    assert rec.location.name in ("Kano", "Maiduguri")


def test_context_clause_place_and_report_date_belong_to_other_events(make_doc):
    text = ("After the recent attacks in Niamey, Nigerian police on Sunday announced that they had launched "
            "a campaign to inspect border posts, which began on the 3rd of May and continued until the 9th.")
    doc = make_doc(text, published="2023-05-14")
    b = Builder(doc)
    b.event("After the recent", OTHER, trigger="launched")
    b.place("Niamey", NIAMEY)
    b.place("Nigerian", NIGERIA, label="DEMONYM")
    b.date("Sunday", "2023-05-14")
    b.date("the 3rd of May", "2023-05-03")
    b.date("the 9th", "2023-05-09")
    recs = run(doc, new_event_needs="nothing")
    (rec,) = recs
    assert (rec.date.start, rec.date.end) == ("2023-05-03", "2023-05-09")
    assert rec.location.country_code == "NG"


def test_mention_without_date_or_place_joins_nearby_event_or_is_dropped(make_doc):
    text = ("Soldiers clashed with militants in Maiduguri on Monday. "
            "The fighting lasted several hours. "
            "Officials praised the weather.")
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("Soldiers clashed", BATTLE)
    b.event("The fighting", BATTLE)
    b.date("Monday", "2023-05-08")
    b.place("Maiduguri", MAIDUGURI)
    (rec,) = run(doc)
    assert len(rec.evidence) == 2
    # an unanchored mention of an incompatible type is not coded on its own
    b.event("Officials praised", OTHER, 0.55)
    assert len(run(doc)) == 1
    assert len(run(doc, new_event_needs="nothing")) == 1  # the classifier doubts it (0.55)
    assert len(run(doc, new_event_needs="nothing", undated_found_score=0.5, vague_sub_types=[])) == 2


def test_missing_date_comes_from_neighbour_then_publication(make_doc):
    text = "Clashes erupted on Monday across the region. Militants attacked an army base in Borno."
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("Militants attacked", BATTLE)
    b.date("Monday", "2023-05-08")
    b.place("Borno", BORNO)
    (rec,) = run(doc)
    assert rec.date.start == "2023-05-08" and "next to the event" in " ".join(rec.reasons)
    (rec,) = run(doc, context_window=0)
    assert rec.date.start == "2023-05-10" and any("publication date" in r for r in rec.reasons)
    assert run(doc, context_window=0, date_fallback="none")[0].date is None


def test_incompatible_types_do_not_merge(make_doc):
    text = "Police arrested ten protesters in Kano on Friday. Thousands protested in Kano on Friday."
    doc = make_doc(text, published="2023-05-13")
    b = Builder(doc)
    b.event("Police arrested", ARRESTS)
    b.event("Thousands protested", PROTEST)
    b.date("Friday", "2023-05-12")
    b.date("Friday", "2023-05-12", nth=1)
    b.place("Kano", KANO)
    b.place("Kano", KANO, nth=1)
    b.count("ten protesters", "arrested", 10, who="Protesters")
    recs = run(doc)
    assert [r.sub_event_type for r in recs] == ["Arrests", "Peaceful protest"]
    assert recs[0].counts[0].value == 10 and recs[1].counts == []


def test_actor_roles_fall_back_to_position_and_untyped_are_dropped(make_doc):
    # (the source, "police said", never reaches the actors layer: the actors stage leaves it out)
    text = "Boko Haram fighters attacked soldiers and an Oxfam convoy in Maiduguri on Monday, police said."
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("Boko Haram", BATTLE, trigger="attacked")
    b.date("Monday", "2023-05-08")
    b.place("Maiduguri", MAIDUGURI)
    b.actor("Boko Haram", "Boko Haram", "Rebel group")
    b.actor("soldiers", "Military Forces of Nigeria", "State forces")
    b.actor("Oxfam", "Oxfam", None)
    (rec,) = run(doc)
    assert [(a.name, a.role) for a in rec.actors] == [("Boko Haram", "actor1"), ("Military Forces of Nigeria", "actor2")]
    assert [a.name for a in run(doc, drop_untyped_actors=False)[0].actors] == [
        "Boko Haram", "Military Forces of Nigeria", "Oxfam"]


def test_victims_named_only_by_a_count_join_as_actor2(make_doc):
    text = "Gunmen killed four worshippers at a mosque in Kano on Friday."
    doc = make_doc(text, published="2023-05-13")
    b = Builder(doc)
    b.event("Gunmen", ATTACK, trigger="killed")
    b.date("Friday", "2023-05-12")
    b.place("Kano", KANO)
    b.actor("Gunmen", "Unidentified Armed Group", "Political militia", "actor1")
    b.count("four worshippers", "killed", 4, who="Civilians")
    (rec,) = run(doc)
    assert [(a.name, a.role, a.type) for a in rec.actors] == [
        ("Unidentified Armed Group", "actor1", "Political militia"), ("Civilians", "actor2", "Civilians")]


def test_confidence_is_a_probability_that_grows_with_score_and_support(make_doc):
    def conf(score: float, with_place: bool) -> float:
        doc = make_doc("Soldiers clashed with militants in Maiduguri on Monday.", published="2023-05-10")
        b = Builder(doc)
        b.event("Soldiers", BATTLE, score)
        b.date("Monday", "2023-05-08")
        if with_place:
            b.place("Maiduguri", MAIDUGURI)
        return run(doc)[0].confidence

    lo, hi, no_place = conf(0.3, True), conf(0.95, True), conf(0.95, False)
    assert 0.0 < lo < hi < 1.0
    assert no_place < hi


def test_event_ids_are_deterministic(make_doc):
    text = "Gunmen attacked Kano on Monday. Gunmen attacked Maiduguri on Monday."
    ids = []
    for _ in range(2):
        doc = make_doc(text, published="2023-05-10", id="x")
        b = Builder(doc)
        b.event("Gunmen attacked Kano", ATTACK)
        b.event("Gunmen attacked Maiduguri", ATTACK)
        b.date("Monday", "2023-05-08")
        b.date("Monday", "2023-05-08", nth=1)
        b.place("Kano", KANO)
        b.place("Maiduguri", MAIDUGURI)
        ids.append([(r.event_id, r.location.name) for r in run(doc)])
    assert ids[0] == ids[1] == [("x#1", "Kano"), ("x#2", "Maiduguri")]


@pytest.mark.parametrize(
    "killed, expected",
    [
        ([], None),
        ([(0, "5 dead", CountValue("killed", 5))], 5),
        # the latest revision of a stated total
        ([(0, "10", CountValue("killed", 10, total=True)), (50, "12", CountValue("killed", 12, total=True))], 12),
        # one side's stated toll and the other side's dead add up
        ([(0, "nine soldiers", CountValue("killed", 9, who="Military Forces of Burkina Faso", total=True)),
          (80, "about thirty terrorists", CountValue("killed", 30, approximate=True, who="JNIM"))], 39),
        # a general stated total does not
        ([(0, "39 people", CountValue("killed", 39, total=True)),
          (80, "about thirty fighters", CountValue("killed", 30, approximate=True, who="JNIM"))], 39),
        # a superseded figure never decides
        ([(0, "10", CountValue("killed", 10, superseded=True)), (50, "8", CountValue("killed", 8))], 8),
        # parts of different groups without a total add up
        ([(0, "3 soldiers", CountValue("killed", 3, who="Military Forces of Nigeria")),
          (20, "2 civilians", CountValue("killed", 2, who="Civilians"))], 5),
        # the same figure twice is not doubled
        ([(0, "4 people", CountValue("killed", 4)), (60, "four", CountValue("killed", 4))], 4),
        # a general figure with a larger named part: the part is not "two of them" but the groups' sum
        ([(0, "four civilians", CountValue("killed", 4, who="Civilians")), (20, "two of them", CountValue("killed", 2))], 4),
        ([(0, "six people", CountValue("killed", 6)), (20, "four civilians", CountValue("killed", 4, who="Civilians"))], 6),
        # conflicting sources: the most conservative figure
        ([(0, "18", CountValue("killed", 18)), (60, "21", CountValue("killed", 21))], 18),
        # a count whose noun names a side is a group's even without a known actor: the sides add up
        ([(0, "two militants", CountValue("killed", 2)),
          (60, "A soldier", CountValue("killed", 1, who="Military Forces of India"))], 3),
        ([(0, "four of its soldiers", CountValue("killed", 4)), (40, '15 "terrorists"', CountValue("killed", 15))], 19),
        # per-group figures add up, conflicting claims about one group take the lower
        ([(0, "4 soldiers", CountValue("killed", 4, who="Military Forces of Mali")),
          (20, "15 assailants", CountValue("killed", 15, who="CSP-PSD")),
          (80, "25 soldiers", CountValue("killed", 25, who="Military Forces of Mali"))], 19),
        # another source's figure: the most conservative of the two
        ([(0, "at least eight people", CountValue("killed", 8, who="Civilians")),
          (90, "11", CountValue("killed", 11, rival=True))], 8),
        ([(0, "at least eight people", CountValue("killed", 8, who="Civilians")),
          (90, "6", CountValue("killed", 6, rival=True))], 6),
        # a general figure with a group coordinated in its own phrase: added ("Six members ... and a soldier")
        ([(0, "Six suspected members", CountValue("killed", 6)),
          (60, "a Filipino soldier", CountValue("killed", 1, who="Military Forces of the Philippines",
                                               adds_to="so_far"))], 7),
        # ... but a breakdown sentences later is a part of it
        ([(0, "at least 19 people", CountValue("killed", 19)),
          (400, "Seven soldiers", CountValue("killed", 7, who="Military Forces of Mexico")),
          (420, "12 cartel members", CountValue("killed", 12, who="Sinaloa Cartel", adds_to="so_far"))], 19),
        # ... and so is one coordinated with another group's count between them, whatever the distance
        ([(0, "at least 13 people", CountValue("killed", 13)),
          (59, "nine gang members", CountValue("killed", 9, who="Viv Ansanm")),
          (81, "one police officer", CountValue("killed", 1, who="Police Forces of Haiti", adds_to="so_far")),
          (119, "three residents", CountValue("killed", 3, who="Civilians"))], 13),
        # coordinated groups: the second has no known actor but the counts stage marks it other people
        ([(0, "Nine soldiers", CountValue("killed", 9, who="Military Forces of Burkina Faso")),
          (18, "four members of a local force", CountValue("killed", 4, adds_to="so_far"))], 13),
    ],
)
def test_choose_fatalities(killed, expected):
    assert choose_fatalities(killed)[0] == expected


@pytest.mark.parametrize("figure, expected", [("dozens", 12), ("hundreds", 100), ("scores", None)])
def test_vague_killed_figures_take_acleds_lower_bound(make_doc, figure, expected):
    text = f"An army drone struck fighters near Maiduguri on Tuesday, killing {figure}, the army said."
    doc = make_doc(text, published="2024-10-16")
    b = Builder(doc)
    b.event("An army drone", ("Explosions/Remote violence", "Air/drone strike"), trigger="struck")
    b.date("Tuesday", "2024-10-15")
    b.place("Maiduguri", MAIDUGURI)
    b.count(figure, "killed", None, approximate=True)
    (rec,) = run(doc)
    assert rec.fatalities == expected
    assert [c.value for c in rec.counts] == [None]  # the count itself stays vague (issue 5)


def test_where_victims_were_treated_is_not_the_event_place(make_doc):
    text = "Gunmen killed three people in Borno on Sunday, and two of the wounded died in hospital in Kano."
    doc = make_doc(text, published="2023-05-15")
    b = Builder(doc)
    b.event("Gunmen", ATTACK, trigger="killed")
    b.date("Sunday", "2023-05-14")
    b.place("Borno", BORNO)
    b.place("Kano", KANO)
    (rec,) = run(doc)
    assert rec.location.name == "Borno"


def test_a_district_contains_the_towns_of_its_division_nearby():
    district = PlaceValue("Negros Occidental", 1, 10.29, 123.03, "PH", "Western Visayas", "admin2")
    town = PlaceValue("Himamaylan", 2, 10.10, 122.87, "PH", "Western Visayas", "city")
    far = PlaceValue("Iloilo", 3, 10.70, 122.56, "PH", "Western Visayas", "city")
    assert places_compatible(district, town, 25.0) and not places_compatible(district, far, 25.0)


def test_places_compatible():
    assert places_compatible(MAIDUGURI, BORNO, 25)  # admin1 contains the city
    assert places_compatible(MAIDUGURI, NIGERIA, 25)  # the country contains it
    assert not places_compatible(MAIDUGURI, KANO, 25)  # ~510 km apart
    assert not places_compatible(NIAMEY, NIGERIA, 25)  # another country
    near = PlaceValue("Gwange", None, 11.83, 13.17, "NG", "Borno", "point")
    assert places_compatible(MAIDUGURI, near, 25)


def test_toll_update_date_does_not_split_the_event(make_doc):
    text = ("The death toll from a bombing at a bus station in Kano rose to 9 on Tuesday, officials said. "
            "The bomb went off on Monday morning as passengers boarded.")
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("The death toll", ("Explosions/Remote violence", "Remote explosive/landmine/IED"), trigger="bombing")
    b.event("The bomb went", ("Explosions/Remote violence", "Remote explosive/landmine/IED"), trigger="went off")
    b.date("Tuesday", "2023-05-09")
    b.date("Monday morning", "2023-05-08")
    b.place("Kano", KANO)
    b.count("9", "killed", 9, total=True)
    (rec,) = run(doc)
    assert rec.date.start == "2023-05-08" and rec.location.name == "Kano" and rec.fatalities == 9


def test_a_later_toll_revision_updates_the_event_before_it(make_doc):
    text = ("Gunmen stormed a village near Kano on Tuesday, killing seven civilians. "
            "They went from house to house. The attackers left on motorcycles. "
            "The toll rose to nine later on Wednesday, a hospital official in Maiduguri said.")
    doc = make_doc(text, published="2023-05-11")
    b = Builder(doc)
    b.event("Gunmen stormed", ATTACK, trigger="stormed")
    b.date("Tuesday", "2023-05-09")
    b.date("Wednesday", "2023-05-10")
    b.place("Kano", KANO)
    b.place("Maiduguri", MAIDUGURI)
    b.count("seven civilians", "killed", 7, who="Civilians")
    b.count("nine", "killed", 9, total=True)
    (rec,) = run(doc)
    assert rec.fatalities == 9 and rec.date.start == "2023-05-09"
    # a toll dated before the event is not its revision
    doc.layers["dates"][1] = dataclasses.replace(doc.layers["dates"][1], value=DateValue("2023-05-08", "2023-05-08", "day"))
    (rec,) = run(doc)
    assert rec.fatalities == 7


def test_a_toll_update_with_a_day_of_its_own_founds_no_second_event(make_doc):
    """"... first put the toll at nine on Sunday afternoon, but two more died overnight" revises the toll of
    the event before it; the classifier's reading of its "died" founds nothing, whatever day it names."""
    text = ("Gunmen stormed a village near Kano on Sunday, killing 11 people. "
            "A medic first put the toll at nine on Sunday afternoon, but two more died overnight.")
    doc = make_doc(text, published="2023-05-11")
    b = Builder(doc)
    b.event("Gunmen stormed", ATTACK, trigger="stormed")
    b.event("A medic first", ATTACK, 0.7, trigger="died")
    b.date("Sunday", "2023-05-07")
    b.date("Sunday afternoon", "2023-05-07")
    b.date("overnight", "2023-05-08")
    b.place("Kano", KANO)
    b.count("11 people", "killed", 11, total=True)
    b.count("nine", "killed", 9, total=True, superseded=True)
    b.count("two more", "killed", 2)
    (rec,) = run(doc)
    assert rec.fatalities == 11 and rec.date.start == "2023-05-07"
    # a lede's rival toll ("local officials gave a higher toll") still founds its event
    lede = make_doc("Gunmen stormed a village near Kano on Sunday, killing 11 people, while officials gave a "
                    "higher toll.", published="2023-05-11")
    b = Builder(lede)
    b.event("Gunmen stormed", ATTACK, trigger="stormed")
    b.date("Sunday", "2023-05-07")
    b.place("Kano", KANO)
    b.count("11 people", "killed", 11, total=True)
    (rec,) = run(lede)
    assert rec.fatalities == 11


def test_the_sentence_after_a_toll_revision_carries_the_other_sides_dead(make_doc):
    text = ("Militants attacked an army post in Maiduguri on Sunday, killing six soldiers. "
            "The toll rose to nine soldiers later on Monday, officials in Kano said. "
            "The army said about thirty attackers were killed.")
    doc = make_doc(text, published="2024-10-16")
    b = Builder(doc)
    b.event("Militants", BATTLE, trigger="attacked")
    b.date("Sunday", "2024-10-13")
    b.date("Monday", "2024-10-14")
    b.place("Maiduguri", MAIDUGURI)
    b.place("Kano", KANO)
    b.actor("soldiers", "Military Forces of Nigeria", "State forces", nth=0)
    b.actor("attackers", "Boko Haram", "Rebel group")
    b.count("six soldiers", "killed", 6, who="Military Forces of Nigeria")
    b.count("nine soldiers", "killed", 9, who="Military Forces of Nigeria", total=True)
    b.count("about thirty attackers", "killed", 30, approximate=True, who="Boko Haram")
    (rec,) = run(doc)
    assert rec.fatalities == 39, rec.reasons


def test_a_rival_sources_lower_toll_sentences_later_is_the_conservative_figure(make_doc):
    text = ("Raiders attacked a cattle camp near Kano on Sunday, killing at least 14 people. "
            "They opened fire on herders who were asleep. He said 11 people had been wounded. "
            "Speaking in Abuja on Wednesday, an army spokesman gave a lower toll of nine dead.")
    doc = make_doc(text, published="2024-03-06")
    b = Builder(doc)
    b.event("Raiders attacked", ATTACK, trigger="attacked")
    b.date("Sunday", "2024-03-03")
    b.date("Wednesday", "2024-03-06")
    b.place("Kano", KANO)
    b.place("Abuja", ABUJA)
    b.count("at least 14 people", "killed", 14)
    b.count("11 people", "injured", 11)
    b.count("nine dead", "killed", 9, rival=True)
    (rec,) = run(doc)
    assert rec.fatalities == 9 and "most conservative" in " ".join(rec.reasons)


def test_a_capital_that_condemns_names_a_government_not_a_place(make_doc):
    text = "A drone strike in Borno on Sunday killed two fighters, the latest in a series that Abuja has condemned."
    doc = make_doc(text, published="2024-08-16")
    b = Builder(doc)
    b.event("A drone strike", ("Explosions/Remote violence", "Air/drone strike"), trigger="drone strike")
    b.date("Sunday", "2024-08-11")
    b.place("Borno", BORNO)
    b.place("Abuja", ABUJA)
    (rec,) = run(doc)
    assert rec.location.name == "Borno"
    assert run(doc, stance_verbs=[])[0].location.name == "Abuja"  # a city beats a state, when it is a place


def test_an_accented_dateline_is_a_dateline(make_doc):
    text = "CÚCUTA, Colombia — Fighting killed nine people on Sunday in villages of rural Kano, officials said."
    doc = make_doc(text, published="2025-08-20")
    b = Builder(doc)
    b.event("CÚCUTA", BATTLE, trigger="Fighting")
    b.place("CÚCUTA", ABUJA)
    b.place("Kano", KANO)
    b.date("Sunday", "2025-08-17")
    (rec,) = run(doc)
    assert rec.location.name == "Kano"


def test_a_dated_town_with_a_sub_type_of_its_own_does_not_join_an_event_without_a_place(make_doc):
    text = ("Rebels attacked rival positions along the river on Sunday, and the fighting continued until Tuesday. "
            "On Monday, gunmen shot dead a community leader outside his home in Kano.")
    doc = make_doc(text, published="2025-08-20")
    b = Builder(doc)
    b.event("Rebels attacked", BATTLE, trigger="attacked")
    b.event("On Monday", ATTACK, trigger="shot dead")
    b._add("dates", "Sunday, and the fighting continued until Tuesday",
           DateValue("2025-08-17", "2025-08-19", "day"), "DATE")
    b.date("Monday", "2025-08-18")
    b.place("Kano", KANO)
    clash, attack = run(doc)
    assert clash.event_type == "Battles" and clash.date.start == "2025-08-17"
    assert attack.sub_event_type == "Attack" and attack.date.start == "2025-08-18" and attack.location.name == "Kano"
    # the same when the fighting's only place is the country
    b.place("river", NIGERIA)
    clash, attack = run(doc)
    assert attack.sub_event_type == "Attack" and attack.date.start == "2025-08-18" and attack.location.name == "Kano"


def test_a_day_earlier_is_another_event_and_a_route_end_yields_to_the_town(make_doc):
    text = ("LA PAZ — Police fired tear gas on Monday to clear a blockade on the highway linking Kano with the "
            "north, detaining 14 people. About 300 protesters had blocked the road at a bridge in Dala. "
            "Those who refused to leave were detained, adding that nobody was hurt. "
            "A day earlier, blockaders beat a truck driver in Borno and set fire to his cargo.")
    doc = make_doc(text, published="2024-11-05")
    b = Builder(doc)
    b.event("LA PAZ", ("Protests", "Protest with intervention"), trigger="tear gas")
    b.event("About 300", ("Riots", "Violent demonstration"), trigger="blocked")
    b.event("Those who", ("Protests", "Protest with intervention"), trigger="detained")
    b.event("A day earlier", ("Riots", "Mob violence"), trigger="beat")
    b.place("LA PAZ", ABUJA)
    b.place("Kano", KANO)
    b.place("Dala", PlaceValue("Dala", 2345521, 12.02, 8.50, "NG", "Kano", "city"))
    b.place("Borno", BORNO)
    b.date("Monday", "2024-11-04")
    b.date("A day earlier", "2024-11-04")
    b.count("nobody", "injured", 0)
    protest, riot = run(doc)
    assert (protest.date.start, protest.location.name, protest.fatalities) == ("2024-11-04", "Dala", 0)
    assert (riot.event_type, riot.date.start, riot.location.name) == ("Riots", "2024-11-03", "Borno")


def test_an_undated_mention_does_not_join_a_later_episode_that_opens_on_its_day(make_doc):
    text = ("Gunmen shot dead a village headman in Nigeria on Sunday. "
            "The headman of Dala was hit by several bullets as he left a mosque. "
            "On Tuesday, a roadside bomb exploded beside an army vehicle near Kano, killing two soldiers.")
    doc = make_doc(text, published="2023-05-19")
    b = Builder(doc)
    b.event("Gunmen shot", ATTACK, trigger="shot dead")
    b.event("The headman", ATTACK, trigger="hit")
    b.event("On Tuesday", ("Explosions/Remote violence", "Remote explosive/landmine/IED"), trigger="bomb")
    b.date("Sunday", "2023-05-14")
    b.date("Tuesday", "2023-05-16")
    b.place("Nigeria", NIGERIA)
    b.place("Dala", PlaceValue("Dala", 2345521, 12.02, 8.50, "NG", "Kano", "city"))
    b.place("Kano", KANO)
    attack, bomb = run(doc)
    assert attack.location.name == "Dala" and bomb.location.name == "Kano"


def test_a_count_after_a_day_later_in_a_lede_belongs_to_the_later_days_event(make_doc):
    text = ("Thousands of workers marched peacefully through Kano on Sunday, and a day later police opened fire on "
            "workers blocking a highway in Borno, killing one. "
            "The march ended without incident. "
            "On Monday, police fired live rounds at workers sitting on the highway in Borno.")
    doc = make_doc(text, published="2023-10-31")
    b = Builder(doc)
    b.event("Thousands", PROTEST, trigger="marched")
    b.event("On Monday", ("Protests", "Excessive force against protesters"), trigger="fired")
    b.date("Sunday", "2023-10-29")
    b._add("dates", "a day later", DateValue(None, None, None, timex_type="DURATION", timex_value="P1D"), "DURATION")
    b.date("Monday", "2023-10-30")
    b.place("Kano", KANO)
    b.place("Borno", BORNO)
    b.place("Borno", BORNO, nth=1)
    b.count("one", "killed", 1)
    march, shooting = run(doc)
    assert march.fatalities is None and shooting.fatalities == 1


def test_a_clause_told_a_day_later_at_the_end_of_a_lede_is_the_later_days_event(make_doc):
    """"... in Kano on Monday, and police shot dead a marcher in nearby Dala a day later": that clause's place
    and dead are Tuesday's event's; the Tuesday paragraph's own figure is not doubled by the lede's."""
    text = ("Protesters burned tyres outside the council in Kano on Monday, and police shot dead a marcher in "
            "nearby Dala a day later, officials said. "
            "On Tuesday, police opened fire on protesters blocking a road in Dala, killing one man.")
    doc = make_doc(text, published="2023-10-31")
    b = Builder(doc)
    b.event("Protesters", ("Riots", "Violent demonstration"))
    b.event("On Tuesday", ("Protests", "Excessive force against protesters"), trigger="opened fire")
    b.date("Monday", "2023-10-29")
    b._add("dates", "a day later", DateValue(None, None, None, timex_type="DURATION", timex_value="P1D"), "DURATION")
    b.date("Tuesday", "2023-10-30")
    dala = PlaceValue("Dala", 1, 12.01, 8.49, "NG", "Kano", "city")
    b.place("Kano", KANO)
    b.place("Dala", dala)
    b.place("Dala", dala, nth=1)
    b.count("a marcher", "killed", 1, lone_victim=True)
    b.count("one man", "killed", 1)
    riot, shooting = run(doc)
    assert riot.location.name == "Kano" and riot.fatalities is None
    assert shooting.location.name == "Dala" and shooting.fatalities == 1


@pytest.mark.parametrize("score, expected", [(1.0, "Suicide bomb"), (0.6, "Remote explosive/landmine/IED")])
def test_a_sure_suicide_bombing_narrows_its_blast_sentences(make_doc, score, expected):
    text = ("A suicide bomber blew himself up at a checkpoint in Maiduguri on Tuesday. "
            "The vehicle exploded near a row of tea shops. The blast shattered windows.")
    doc = make_doc(text, published="2025-09-18")
    b = Builder(doc)
    b.event("A suicide", ("Explosions/Remote violence", "Suicide bomb"), score, trigger="suicide bomber")
    b.event("The vehicle", ("Explosions/Remote violence", "Remote explosive/landmine/IED"), 0.86, trigger="exploded")
    b.event("The blast", ("Explosions/Remote violence", "Remote explosive/landmine/IED"), 0.77, trigger="blast")
    b.date("Tuesday", "2025-09-16")
    b.place("Maiduguri", MAIDUGURI)
    (rec,) = run(doc)
    assert rec.sub_event_type == expected


def test_a_weapons_description_is_no_side_clause(make_doc):
    text = ("A suicide bomber drove a car packed with explosives into a checkpoint in Maiduguri on Tuesday "
            "morning, killing eight people, officials said.")
    doc = make_doc(text, published="2025-09-18")
    b = Builder(doc)
    b.event("A suicide", ("Explosions/Remote violence", "Suicide bomb"), trigger="suicide bomber")
    b.date("Tuesday morning", "2025-09-16")
    b.place("Maiduguri", MAIDUGURI)
    b.count("eight people", "killed", 8)
    (rec,) = run(doc)
    assert rec.date.start == "2025-09-16" and "relative clause" not in " ".join(rec.reasons)


def test_a_week_with_its_day_named_next_founds_an_event_on_that_day(make_doc):
    text = ("Gunmen abducted 23 passengers from a bus in Borno earlier this week, officials said. "
            "The bus was stopped on Monday morning near Kano.")
    doc = make_doc(text, published="2024-04-11")
    b = Builder(doc)
    b.event("Gunmen", ("Violence against civilians", "Abduction/forced disappearance"), trigger="abducted")
    b.date("earlier this week", "2024-04-08", "2024-04-14", "week")
    b.date("Monday morning", "2024-04-08")
    b.place("Borno", BORNO)
    b.place("Kano", KANO)
    (rec,) = run(doc)
    assert (rec.date.start, rec.date.end) == ("2024-04-08", "2024-04-08")
    assert rec.location.name == "Kano"  # the sentence that names the day tells where, too


def test_fighting_two_months_before_publication_is_background(make_doc):
    text = "Artillery landed during five days of fighting in Borno from July 24 to July 28, killing 40 people."
    doc = make_doc(text, published="2025-09-18")
    b = Builder(doc)
    b.event("Artillery", ("Explosions/Remote violence", "Shelling/artillery/missile attack"), trigger="Artillery")
    b.date("July 24 to July 28", "2025-07-24", "2025-07-28")
    b.place("Borno", BORNO)
    assert run(doc) == []
    assert len(run(doc, max_age_days=60)) == 1


def test_the_town_a_road_leads_to_is_a_route_end(make_doc):
    text = "A convoy struck a roadside bomb west of Kano on Friday, on the road to the border town of Maiduguri."
    doc = make_doc(text, published="2023-10-17")
    b = Builder(doc)
    b.event("A convoy", ("Explosions/Remote violence", "Remote explosive/landmine/IED"), trigger="roadside bomb")
    b.date("Friday", "2023-10-13")
    b.place("Kano", KANO)
    b.place("Maiduguri", MAIDUGURI)
    (rec,) = run(doc)
    assert rec.location.name == "Kano"


def test_a_follow_up_naming_a_state_since_a_past_year_still_lends_its_figures(make_doc):
    text = "Shells hit a school in Kano late on Friday. The school had been closed since 2022, and a guard was killed."
    doc = make_doc(text, published="2025-08-16")
    b = Builder(doc)
    b.event("Shells", ("Explosions/Remote violence", "Shelling/artillery/missile attack"), trigger="Shells")
    b.date("late on Friday", "2025-08-15")
    b._add("dates", "2022", DateValue("2022-01-01", "2022-12-31", "year", background=True), "DATE")
    b.place("Kano", KANO)
    b.count("a guard", "killed", 1)
    (rec,) = run(doc)
    assert rec.fatalities == 1


def test_overnight_with_no_day_named_spans_the_night_before_the_report(make_doc):
    text = "Gunmen stormed a village near Kano overnight, killing seven civilians, officials said on Thursday."
    doc = make_doc(text, published="2023-05-11")
    b = Builder(doc)
    b.event("Gunmen stormed", ATTACK, trigger="stormed")
    b.date("Thursday", "2023-05-11")
    b.place("Kano", KANO)
    (rec,) = run(doc)
    assert (rec.date.start, rec.date.end) == ("2023-05-10", "2023-05-11")
    assert any("overnight" in r for r in rec.reasons)


def test_a_place_where_an_official_spoke_is_not_the_event_place(make_doc):
    text = ("Troops clashed with militants near Kano on Saturday. The minister, speaking to state radio in "
            "Abuja, said troops had killed 17 militants.")
    doc = make_doc(text, published="2023-05-15")
    b = Builder(doc)
    b.event("Troops clashed", BATTLE, trigger="clashed")
    b.event("The minister", BATTLE, trigger="killed")
    b.date("Saturday", "2023-05-13")
    b.place("Kano", KANO)
    b.place("Abuja", ABUJA)
    b.count("17 militants", "killed", 17)
    (rec,) = run(doc)
    assert rec.location.name == "Kano" and rec.fatalities == 17


def test_a_follow_up_sentence_dated_in_the_past_lends_no_figures(make_doc):
    text = ("A roadside bomb killed five passengers near Kano on Friday. "
            "In October, two car bombs killed more than 120 people in Abuja.")
    doc = make_doc(text, published="2023-01-23")
    b = Builder(doc)
    b.event("A roadside bomb", ("Explosions/Remote violence", "Remote explosive/landmine/IED"), trigger="bomb")
    b.date("Friday", "2023-01-20")
    b.date("October", "2022-10-01", "2022-10-31", "month", background=True)
    b.place("Kano", KANO)
    b.count("five passengers", "killed", 5, who="Civilians")
    b.count("more than 120 people", "killed", 120)
    (rec,) = run(doc)
    assert rec.fatalities == 5 and [c.value for c in rec.counts] == [5]


def test_two_days_later_is_another_event_counted_from_the_one_before(make_doc):
    text = ("Raiders attacked a cattle camp near Kano on Sunday, killing 14 people. "
            "The attackers drove off thousands of cattle. Local officials said the camp had been attacked before. "
            "Residents fled to the town. "
            "Two days later, soldiers caught up with the raiders in Borno and a firefight broke out. "
            "Four of the raiders and one soldier were killed.")
    doc = make_doc(text, published="2024-03-06")
    b = Builder(doc)
    b.event("Raiders attacked", ATTACK, trigger="attacked")
    b.event("Two days later", BATTLE, trigger="firefight")
    b.date("Sunday", "2024-03-03")
    b._add("dates", "Two days later", DateValue(None, None, None, timex_type="DURATION", timex_value="P2D"), "DURATION")
    b.place("Kano", KANO)
    b.place("Borno", BORNO)
    b.count("14 people", "killed", 14)
    b.count("Four of the raiders", "killed", 4)
    b.count("one soldier", "killed", 1, who="Military Forces of Nigeria")
    attack, clash = run(doc)
    assert (attack.date.start, attack.fatalities) == ("2024-03-03", 14)
    assert clash.event_type == "Battles" and clash.date.start == "2024-03-05" and clash.fatalities == 5
    assert "plus 2 day(s)" in " ".join(clash.reasons)


def test_last_weeks_fighting_recalled_founds_no_event(make_doc):
    text = ("Families returned to Kano on Thursday. Last week, soldiers fought gunmen in several districts "
            "of the city. Elders met on Wednesday, but the meeting ended without agreement.")
    doc = make_doc(text, published="2025-05-22")
    b = Builder(doc)
    b.event("Last week", BATTLE, trigger="fought")
    b.event("Elders met", ("Strategic developments", "Agreement"), trigger="agreement")
    b.date("Thursday", "2025-05-22")
    b.date("Last week", "2025-05-12", "2025-05-18", "week")
    b.date("Wednesday", "2025-05-21")
    b.place("Kano", KANO)
    assert run(doc) == []


def test_ongoing_state_since_an_old_date_is_background(make_doc):
    text = "Soldiers clashed with rebels near Kano on Monday. The rebels have held Maiduguri since 2014."
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("Soldiers clashed", BATTLE)
    b.event("The rebels", ("Battles", "Non-state actor overtakes territory"))
    b.date("Monday", "2023-05-08")
    b.date("2014", "2014-01-01", "2014-12-31", "year")
    b.place("Kano", KANO)
    b.place("Maiduguri", MAIDUGURI)
    (rec,) = run(doc)
    assert rec.location.name == "Kano"


def test_place_only_mention_joins_its_event_or_needs_a_date(make_doc):
    text = ("Gunmen attacked worshippers at a mosque on Friday, killing four. "
            "Residents of Maiduguri buried the victims of the mosque attack. "
            "Separately, militants attacked an army post in Kano.")
    doc = make_doc(text, published="2023-05-13")
    b = Builder(doc)
    b.event("Gunmen attacked", ATTACK)
    b.event("Residents of", ATTACK)
    b.event("Separately", BATTLE)
    b.date("Friday", "2023-05-12")
    b.place("Maiduguri", MAIDUGURI)
    b.place("Kano", KANO)
    recs = run(doc)
    # the undated second event takes the date of the event told just before it
    assert [(r.location.name, r.date.start) for r in recs] == [("Maiduguri", "2023-05-12"), ("Kano", "2023-05-12")]
    assert any("told just before" in r for r in recs[1].reasons)
    (rec,) = run(doc, new_event_needs="date")
    assert rec.location.name == "Maiduguri"


def test_background_counts_are_left_out(make_doc):
    text = "Militants killed 3 soldiers in Borno on Monday, bringing this year's toll to 90."
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("Militants killed", BATTLE)
    b.date("Monday", "2023-05-08")
    b.place("Borno", BORNO)
    b.count("3 soldiers", "killed", 3, who="Military Forces of Nigeria")
    b.count("90", "killed", 90, total=True, background=True)
    (rec,) = run(doc)
    assert rec.fatalities == 3 and [c.value for c in rec.counts] == [3]


def test_side_clause_counts_and_according_to_dates_are_not_the_events(make_doc):
    text = ("Two rival militias agreed a truce in Kano on Friday after a week of fighting in which 30 people died. "
            "Five fighters were killed in a clash in Maiduguri, according to a statement issued on Thursday.")
    doc = make_doc(text, published="2023-05-13")
    b = Builder(doc)
    b.event("Two rival", ("Strategic developments", "Agreement"), trigger="agreed")
    b.event("Five fighters", BATTLE, trigger="clash")
    b.date("Friday", "2023-05-12")
    b.date("Thursday", "2023-05-11")
    b.place("Kano", KANO)
    b.place("Maiduguri", MAIDUGURI)
    b.count("30 people", "killed", 30, total=True)
    b.count("Five fighters", "killed", 5)
    truce, clash = run(doc)
    assert truce.fatalities is None and truce.counts == []
    # Thursday is the statement's date: used only for want of the event's own, never the truce's Friday
    assert clash.fatalities == 5 and clash.date.start == "2023-05-11"
    assert any(r.startswith("date: report date") for r in clash.reasons)


def test_place_only_mention_prefers_the_nearer_event_over_a_country_match(make_doc):
    text = ("Nigeria said the toll from gang clashes had risen to 12. "
            "The clashes began on Monday and lasted two days. "
            "Police said. Officials said. "
            "On Wednesday, gunmen shot at a police post in Kano.")
    doc = make_doc(text, published="2023-05-12")
    b = Builder(doc)
    b.event("Nigeria said", BATTLE, trigger="clashes")
    b.event("The clashes began", BATTLE, trigger="clashes")
    b.event("On Wednesday", ATTACK, trigger="shot")
    b.place("Nigeria", NIGERIA)
    b.place("Kano", KANO)
    b.date("Monday", "2023-05-08")
    b.date("Wednesday", "2023-05-10")
    b.count("12", "killed", 12, total=True)
    clash, post = run(doc)
    assert clash.fatalities == 12 and clash.date.start == "2023-05-08"
    assert post.fatalities is None and post.location.name == "Kano"


def test_lead_in_sentence_gives_date_and_place_to_the_next_event(make_doc):
    text = ("Thousands protested peacefully in Kano on Monday. "
            "A day later the anger turned deadly in Maiduguri. "
            "Soldiers opened fire on the crowd, killing two demonstrators.")
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("Thousands protested", PROTEST)
    b.event("Soldiers opened", ("Protests", "Excessive force against protesters"))
    b.date("Monday", "2023-05-08")
    b.date("A day later", "2023-05-09")
    b.place("Kano", KANO)
    b.place("Maiduguri", MAIDUGURI)
    b.count("two demonstrators", "killed", 2, who="Protesters")
    protest, shooting = run(doc)
    assert protest.fatalities is None
    assert (shooting.date.start, shooting.location.name, shooting.fatalities) == ("2023-05-09", "Maiduguri", 2)


def test_undated_look_back_far_from_the_event_is_not_merged(make_doc):
    filler = " ".join(f"Officials met on topic {i}." for i in range(6))
    text = ("A suicide bomber killed 9 people at a mosque in Kano on Friday. " + filler +
            " Kano's deadliest bombing killed 40 people at another mosque.")
    doc = make_doc(text, published="2023-05-13")
    b = Builder(doc)
    bomb = ("Explosions/Remote violence", "Suicide bomb")
    b.event("A suicide bomber", bomb)
    b.event("Kano's deadliest", bomb)
    b.date("Friday", "2023-05-12")
    b.place("Kano", KANO)
    b.place("Kano", KANO, nth=1)
    b.count("9 people", "killed", 9)
    b.count("40 people", "killed", 40)
    (rec,) = run(doc)
    assert rec.fatalities == 9 and len(rec.evidence) == 1


def test_relative_clause_date_and_coarse_dates_do_not_found_events(make_doc):
    text = ("On Saturday, officials said soldiers had detained six men in Kano, including a man accused of "
            "hiding weapons the night before. Militants attacked army posts across Borno this year.")
    doc = make_doc(text, published="2023-05-13")
    b = Builder(doc)
    b.event("On Saturday", ARRESTS, trigger="detained")
    b.event("Militants attacked", BATTLE, trigger="attacked")
    b.date("Saturday", "2023-05-13")
    b.date("the night before", "2023-05-12")
    b.date("this year", "2023-01-01", "2023-12-31", "year")
    b.place("Kano", KANO)
    b.place("Borno", BORNO)
    recs = run(doc)
    assert [(r.sub_event_type, r.date.start) for r in recs] == [("Arrests", "2023-05-13")]
    assert any(r.startswith("date: report date 'Saturday'") for r in recs[0].reasons)
    # a date after publication is misresolved or a plan: not an event's
    doc2 = make_doc("Gunmen attacked a village in Borno on Sunday.", published="2023-05-13")
    b2 = Builder(doc2)
    b2.event("Gunmen", ATTACK)
    b2.date("Sunday", "2023-05-14")
    b2.place("Borno", BORNO)
    assert run(doc2) == []


def test_follow_up_sentence_toll_speaker_place_and_nobody_hurt(make_doc):
    text = ("Protesters set fire to a police post in Kano on Tuesday. One man was shot dead. "
            "The health ministry in Abuja said gunmen attacked a village near Maiduguri on Tuesday. "
            "Nobody was injured.")
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("Protesters set", ("Riots", "Violent demonstration"))
    b.event("The health ministry", ATTACK, trigger="attacked")
    b.date("Tuesday", "2023-05-09")
    b.date("Tuesday", "2023-05-09", nth=1)
    b.place("Kano", KANO)
    b.place("Abuja", ABUJA)
    b.place("Maiduguri", MAIDUGURI)
    b.count("One man", "killed", 1)
    b.count("Nobody", "injured", 0)
    riot, attack = run(doc)
    assert riot.fatalities == 1 and len(riot.evidence) == 2
    assert attack.location.name == "Maiduguri"  # not the ministry's Abuja
    assert attack.fatalities == 0


def test_follow_up_toll_adds_another_group_but_never_overrides(make_doc):
    text = ("Soldiers killed two militants in a gunfight near Kano on Tuesday. A soldier was also killed. "
            "A bomb killed 11 people in Maiduguri on Monday. Officials later said four had died.")
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("Soldiers killed", BATTLE)
    b.event("A bomb", ("Explosions/Remote violence", "Remote explosive/landmine/IED"))
    b.date("Tuesday", "2023-05-09")
    b.date("Monday", "2023-05-08")
    b.place("Kano", KANO)
    b.place("Maiduguri", MAIDUGURI)
    b.count("two militants", "killed", 2, who="Boko Haram")
    b.count("A soldier", "killed", 1, who="Military Forces of Nigeria")
    b.count("11 people", "killed", 11)
    b.count("four", "killed", 4, total=True)
    clash, bomb = run(doc)
    assert clash.fatalities == 3 and bomb.fatalities == 11


def test_undated_placeless_event_takes_the_previous_events_town(make_doc):
    text = ("Rebels seized an army camp in Maiduguri on Saturday. "
            "On Monday, army drones struck rebel vehicles, killing seven people.")
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("Rebels seized", ("Battles", "Non-state actor overtakes territory"))
    b.event("On Monday", ("Explosions/Remote violence", "Air/drone strike"))
    b.date("Saturday", "2023-05-06")
    b.date("Monday", "2023-05-08")
    b.place("Maiduguri", MAIDUGURI)
    b.count("seven people", "killed", 7)
    camp, strike = run(doc)
    assert strike.location.name == "Maiduguri" and any("told just before" in r for r in strike.reasons)
    assert (camp.fatalities, strike.fatalities) == (None, 7)


def test_later_toll_sentence_naming_the_events_town_is_its_toll(make_doc):
    text = ("Police in Maiduguri on Sunday announced a campaign to search prisons across the country. "
            "Inmates attacked the central prison in Maiduguri on Friday, freeing dozens of detainees. "
            "The facility held about 900 inmates. Guards were later reinforced. "
            "Officials in Kano praised the guards. "
            "The death toll from the prison break in Maiduguri has reached 31. "
            "Among them are 20 inmates and 11 guards.")
    doc = make_doc(text, published="2023-05-14")
    b = Builder(doc)
    b.event("Police in Maiduguri", OTHER, trigger="announced")
    b.event("Inmates attacked", BATTLE, trigger="attacked")
    b.date("Sunday", "2023-05-14")
    b.date("Friday", "2023-05-12")
    b.place("Maiduguri", MAIDUGURI)  # the campaign's town too: a strategic development has no toll
    b.place("Maiduguri", MAIDUGURI, nth=1)
    b.place("Kano", KANO)
    b.place("Maiduguri", MAIDUGURI, nth=2)
    total = b.count("31", "killed", 31, total=True)
    b.count("20 inmates", "killed", 20, part_of=total)
    b.count("11 guards", "killed", 11, part_of=total)
    campaign, attack = run(doc)
    assert attack.fatalities == 31 and sorted(c.value for c in attack.counts) == [11, 20, 31]
    assert campaign.fatalities is None and campaign.counts == []


def test_later_toll_sentence_is_not_attached_when_two_events_share_the_town(make_doc):
    text = ("Gunmen attacked a market in Maiduguri on Friday. "
            "Soldiers clashed with militants in Maiduguri on Saturday. "
            "Residents said the city was calm on Sunday. Shops reopened. "
            "The death toll in Maiduguri has reached 31.")
    doc = make_doc(text, published="2023-05-14")
    b = Builder(doc)
    b.event("Gunmen attacked", ATTACK, trigger="attacked")
    b.event("Soldiers clashed", BATTLE, trigger="clashed")
    b.date("Friday", "2023-05-12")
    b.date("Saturday", "2023-05-13")
    b.place("Maiduguri", MAIDUGURI)
    b.place("Maiduguri", MAIDUGURI, nth=1)
    b.place("Maiduguri", MAIDUGURI, nth=2)
    b.count("31", "killed", 31, total=True)
    first, second = run(doc)
    assert first.fatalities is None and second.fatalities is None  # ambiguous: whose toll is it?


def test_opening_phrase_up_to_its_comma_is_a_context_clause(make_doc):
    # "After ..." parsed as a mark of the main verb (as the model does on some quoted sentences): the
    # marker's clause is then the whole sentence; up to its first comma it is another event's all the same
    text = ("After the recent unrest in the Nigerien city of Niamey, units of the police launched a "
            "campaign to inspect border posts on Sunday.")
    doc = make_doc(text, published="2023-05-14")
    after = doc.doc[0]
    after.head, after.dep_ = next(t for t in doc.doc if t.text == "launched"), "mark"
    b = Builder(doc)
    b.event("After the recent", OTHER, trigger="launched")
    b.place("Niamey", NIAMEY)
    b.date("Sunday", "2023-05-14")
    (rec,) = run(doc, place_fallback="none")
    assert rec.location is None


def test_negated_trigger_is_not_an_event(make_doc):
    text = ("Police fired tear gas at protesters in Kano on Monday. "
            "No arrests had been made by Tuesday evening, the officer said.")
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("Police fired", ("Protests", "Protest with intervention"), trigger="tear gas")
    b.event("No arrests", ARRESTS, trigger="arrests")
    b.date("Monday", "2023-05-08")
    b.date("Tuesday evening", "2023-05-09")
    b.place("Kano", KANO)
    (rec,) = run(doc)
    assert rec.sub_event_type == "Protest with intervention"


def test_undated_mention_with_only_a_country_founds_no_event(make_doc):
    text = ("Warplanes struck a camp near Maiduguri on Tuesday, killing 15 people. "
            "The dead were refugees from Niger, officials said.")
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("Warplanes struck", ("Explosions/Remote violence", "Air/drone strike"), trigger="struck")
    b.event("The dead were", ("Explosions/Remote violence", "Air/drone strike"), score=0.5)
    b.date("Tuesday", "2023-05-09")
    b.place("Maiduguri", MAIDUGURI)
    b.place("Niger", PlaceValue("Niger", 2440476, 17.0, 10.0, "NE", None, "country"))
    (rec,) = run(doc, attach_window=0)
    assert rec.location.name == "Maiduguri"


def test_place_inside_a_groups_name_is_not_the_location(make_doc):
    text = "Fighters of the Kano Liberation Front clashed with soldiers in Maiduguri on Friday."
    doc = make_doc(text, published="2023-05-14")
    b = Builder(doc)
    b.event("Fighters of", BATTLE, trigger="clashed")
    b.date("Friday", "2023-05-12")
    b.place("Kano", KANO)
    b.place("Maiduguri", MAIDUGURI)
    b.actor("Kano Liberation Front", "Kano Liberation Front", "Rebel group", "actor1")
    (rec,) = run(doc)
    assert rec.location.name == "Maiduguri"  # Kano, a word of the group's name, would have won (nearer)


def test_trigger_inside_a_since_clause_is_an_earlier_event(make_doc):
    text = ("Hundreds gathered in Maiduguri on Tuesday to mark ten years since gunmen stormed a school "
            "and killed 40 pupils.")
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("Hundreds gathered", ATTACK, trigger="killed")
    b.date("Tuesday", "2023-05-09")
    b.place("Maiduguri", MAIDUGURI)
    b.count("40 pupils", "killed", 40)
    assert run(doc) == []


def test_a_day_later_counts_from_the_event_told_before(make_doc):
    text = ("Protesters rallied in Kano on Monday against power cuts. "
            "A day later, security forces opened fire on a sit-in in Maiduguri, killing two.")
    doc = make_doc(text, published="2023-05-12")
    b = Builder(doc)
    b.event("Protesters rallied", PROTEST, trigger="rallied")
    b.event("A day later", ("Protests", "Excessive force against protesters"), trigger="opened fire")
    b.date("Monday", "2023-05-08")
    doc.layers["dates"].append(Mention(text.index("A day later"), text.index("A day later") + 11, "A day later",
                                       "DATE", "gold", DateValue(None, None, None, timex_type="DURATION",
                                                                 timex_value="P1D"), "gold", 1))
    b.place("Kano", KANO)
    b.place("Maiduguri", MAIDUGURI)
    rally, shooting = run(doc)
    assert rally.date.start == "2023-05-08"
    assert (shooting.date.start, shooting.date.end) == ("2023-05-09", "2023-05-09")
    assert any("plus 1 day(s)" in r for r in shooting.reasons)


def test_before_dawn_is_a_time_not_a_context_clause(make_doc):
    text = "Before dawn on Tuesday, militants attacked an army post near Maiduguri."
    doc = make_doc(text, published="2023-05-12")
    b = Builder(doc)
    b.event("Before dawn", BATTLE, trigger="attacked")
    b.date("Tuesday", "2023-05-09")
    b.place("Maiduguri", MAIDUGURI)
    (rec,) = run(doc)
    assert rec.date.start == "2023-05-09"
    (other,) = run(doc, times_of_day=[])  # read as "before ...", Tuesday would be another event's
    assert other.date.start == "2023-05-12"


def test_uncoded_commentary_sentence_still_gives_its_toll(make_doc):
    # the toll sentence is typed as another family (an attack) and joins no event: commentary on the riot
    text = ("Rioters burned buses in Kano on Thursday after a court verdict. "
            "At least four people were killed in the unrest, the minister said.")
    doc = make_doc(text, published="2023-06-02")
    b = Builder(doc)
    b.event("Rioters burned", ("Riots", "Violent demonstration"), trigger="burned")
    b.event("At least four", ATTACK, score=0.7, trigger="killed")
    b.date("Thursday", "2023-06-01")
    b.place("Kano", KANO)
    b.count("At least four people", "killed", 4, approximate=True)
    (rec,) = run(doc)
    assert rec.sub_event_type == "Violent demonstration" and rec.fatalities == 4


def test_country_only_event_takes_the_town_of_the_event_told_before(make_doc):
    text = ("A car bomb exploded in Maiduguri on Sunday, killing six people. "
            "Late Monday, mortar shells landed near the airport perimeter. "
            "The attacks come as the army presses an offensive in Nigeria.")
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("A car bomb", ("Explosions/Remote violence", "Remote explosive/landmine/IED"), trigger="exploded")
    b.event("Late Monday", ("Explosions/Remote violence", "Shelling/artillery/missile attack"), trigger="shells")
    b.event("The attacks come", BATTLE, score=0.6, trigger="offensive")
    b.date("Sunday", "2023-05-07")
    b.date("Late Monday", "2023-05-08")
    b.place("Maiduguri", MAIDUGURI)
    b.place("Nigeria", NIGERIA)
    bomb, shelling = run(doc)
    assert shelling.location.name == "Maiduguri"  # not the country the undated follow-up named


def test_date_before_a_trailing_speaker_is_the_events(make_doc):
    text = ("MAIDUGURI, Nigeria — Insurgents beheaded five villagers in an attack on Kawuri, a village in "
            "Konduga district of Borno state, on Saturday, residents and a local official said. "
            "On Monday, soldiers retook the village of Konduga near Maiduguri, the army said.")
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("Insurgents beheaded", ATTACK, trigger="beheaded")
    b.event("On Monday", ("Battles", "Government regains territory"), trigger="retook")
    b.date("Saturday", "2023-05-06")
    b.date("Monday", "2023-05-08")
    b.place("Borno", BORNO)
    b.place("Maiduguri", MAIDUGURI)
    attack, retaken = run(doc)
    assert (attack.sub_event_type, attack.date.start) == ("Attack", "2023-05-06")
    assert retaken.date.start == "2023-05-08"


def test_a_day_earlier_counts_back_from_the_event_told_before(make_doc):
    text = ("Police fired tear gas at marchers in Kano on Thursday. "
            "A day earlier, students held a sit-in in Maiduguri without incident.")
    doc = make_doc(text, published="2023-05-12")  # a Friday: "a day earlier" from publication is Thursday
    b = Builder(doc)
    b.event("Police fired", ("Protests", "Protest with intervention"), trigger="tear gas")
    b.event("A day earlier", PROTEST, trigger="sit-in")
    b.date("Thursday", "2023-05-11")
    b.date("A day earlier", "2023-05-11")
    b.place("Kano", KANO)
    b.place("Maiduguri", MAIDUGURI)
    march, sit_in = run(doc)
    assert march.date.start == "2023-05-11"
    assert (sit_in.date.start, sit_in.date.end) == ("2023-05-10", "2023-05-10")
    assert any("before the event told just before" in r for r in sit_in.reasons)


def test_two_days_later_counts_from_the_event_before_even_from_its_report_date(make_doc):
    text = ("An air strike on a village near Kano killed 12 people, a volunteer said on Saturday. "
            "Two days later, rebels launched a fresh assault on army positions outside Maiduguri.")
    doc = make_doc(text, published="2024-11-19")
    b = Builder(doc)
    b.event("An air strike", ("Explosions/Remote violence", "Air/drone strike"), trigger="air strike")
    b.event("Two days later", BATTLE, trigger="assault")
    b.date("Saturday", "2024-11-16")
    b._add("dates", "Two days later", DateValue(None, None, None, timex_type="DURATION", timex_value="P2D"), "DURATION")
    b.place("Kano", KANO)
    b.place("Maiduguri", MAIDUGURI)
    strike, clash = run(doc)
    assert clash.date.start == "2024-11-18"


def test_state_forces_routine_activity_is_not_coded_an_armed_groups_is(make_doc):
    text = "Troops were deployed to Kano on Sunday morning, the army said."
    doc = make_doc(text, published="2025-06-10")
    b = Builder(doc)
    b.event("Troops", ("Strategic developments", "Change to group/activity"), trigger="deployed")
    b.date("Sunday morning", "2025-06-08")
    b.place("Kano", KANO)
    b.actor("Troops", "Military Forces of Nigeria", "State forces", role="actor1")
    assert run(doc) == []
    assert len(run(doc, state_routine_sub_types=[])) == 1
    doc.layers["actors"] = []
    b.actor("Troops", "Boko Haram", "Rebel group", role="actor1")
    (rec,) = run(doc)
    assert rec.event_id.endswith("#1")


def test_a_sentence_opening_on_a_day_inside_another_events_span_is_a_new_episode(make_doc):
    text = ("Militants killed eight villagers near Kano on the night of Friday to Saturday, officials said. "
            "On Saturday afternoon, after the funerals, dozens of men attacked a neighbouring hamlet near Kano.")
    doc = make_doc(text, published="2023-11-20")
    b = Builder(doc)
    b.event("Militants", ATTACK, trigger="killed")
    b.event("On Saturday", ATTACK, trigger="attacked")
    b._add("dates", "Friday to Saturday", DateValue("2023-11-17", "2023-11-18", "day"), "DATE")
    b.date("Saturday afternoon", "2023-11-18")
    b.place("Kano", KANO)
    b.place("Kano", KANO, nth=1)
    raid, reprisal = run(doc)
    assert (raid.date.start, raid.date.end) == ("2023-11-17", "2023-11-18")
    assert (reprisal.date.start, reprisal.date.end) == ("2023-11-18", "2023-11-18")


def test_a_day_earlier_counts_back_however_far_the_event_before_is(make_doc):
    text = ("Police fired tear gas at marchers in Kano on Thursday. The march had begun peacefully. "
            "Organisers said it was the largest this year. Students carried banners. Some wore masks. "
            "Many had travelled by bus. A day earlier, gunmen shot dead six men in Maiduguri.")
    doc = make_doc(text, published="2023-05-12")
    b = Builder(doc)
    b.event("Police fired", ("Protests", "Protest with intervention"), trigger="tear gas")
    b.event("A day earlier", ATTACK, trigger="shot dead")
    b.date("Thursday", "2023-05-11")
    b.date("A day earlier", "2023-05-11")
    b.place("Kano", KANO)
    b.place("Maiduguri", MAIDUGURI)
    march, attack = run(doc)
    assert attack.date.start == "2023-05-10"


def test_a_bare_clock_time_does_not_date_a_new_event(make_doc):
    text = ("Militants threw a grenade at a market in Maiduguri on Sunday, killing one man. "
            "The grenade exploded near a row of stalls at around 4 p.m., police said.")
    doc = make_doc(text, published="2023-05-16")
    b = Builder(doc)
    b.event("Militants threw", ("Explosions/Remote violence", "Grenade"), trigger="grenade")
    b.event("The grenade exploded", ("Explosions/Remote violence", "Grenade"), trigger="exploded")
    b.date("Sunday", "2023-05-14")
    at = text.index("4 p.m.")
    doc.layers["dates"].append(Mention(at, at + 6, "4 p.m.", "TIME", "gold",
                                       DateValue("2023-05-16", "2023-05-16", "day", timex_type="TIME",
                                                 day_assumed=True), "gold", 1))
    b.place("Maiduguri", MAIDUGURI)
    (rec,) = run(doc)
    assert rec.date.start == "2023-05-14"


def test_undated_mention_the_classifier_doubts_founds_no_event(make_doc):
    text = ("A landmine killed three children near Maiduguri on Monday. "
            "Soldiers later handed the town of Kano to the police.")
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("A landmine", ("Explosions/Remote violence", "Remote explosive/landmine/IED"), score=1.0)
    b.event("Soldiers later", ("Strategic developments", "Non-violent transfer of territory"), score=0.77)
    b.date("Monday", "2023-05-08")
    b.place("Maiduguri", MAIDUGURI)
    b.place("Kano", KANO)
    (rec,) = run(doc)
    assert rec.sub_event_type == "Remote explosive/landmine/IED"
    assert len(run(doc, undated_found_score=0.7)) == 2  # a confident classifier would found it


def test_a_reference_point_is_not_the_location(make_doc):
    text = "About 200 kilometres west of Maiduguri, militants set up a base in the town of Kano on Saturday."
    doc = make_doc(text, published="2023-05-15")
    b = Builder(doc)
    b.event("About 200", ("Strategic developments", "Headquarters or base established"), trigger="set up a base")
    b.date("Saturday", "2023-05-13")
    b.place("Maiduguri", MAIDUGURI)
    b.place("Kano", KANO)
    (rec,) = run(doc)
    assert rec.location.name == "Kano"
    assert any(r.startswith("location: place 'Kano'") for r in rec.reasons)


def test_event_told_inside_another_takes_its_date(make_doc):
    text = ("Police fired tear gas at marchers in Kano on Thursday, while rioters burned cars in Maiduguri. "
            "In Kano, officers charged the end of the procession and detained 80 people. "
            "In Maiduguri, youths set fire to bins on Thursday evening.")
    doc = make_doc(text, published="2023-05-12")
    b = Builder(doc)
    b.event("Police fired", ("Riots", "Violent demonstration"), trigger="burned")
    b.event("In Kano", ("Protests", "Protest with intervention"), trigger="charged")
    b.event("In Maiduguri", ("Riots", "Violent demonstration"), trigger="set fire")
    b.date("Thursday", "2023-05-11")
    b.date("Thursday evening", "2023-05-11")
    b.place("Maiduguri", MAIDUGURI)
    b.place("Kano", KANO, nth=1)
    b.place("Maiduguri", MAIDUGURI, nth=1)
    recs = {r.location.name: r for r in run(doc)}
    assert recs["Kano"].date.start == "2023-05-11"  # the lede's event, told around it, not publication


def test_toll_two_sentences_on_through_a_narrating_follow_up(make_doc):
    text = ("Militants ambushed an army convoy near Maiduguri on Sunday, killing nine soldiers. "
            "The convoy was carrying fuel to the town when it came under fire from both sides of the road. "
            "The army said its troops killed about 30 of the attackers.")
    doc = make_doc(text, published="2023-05-16")
    b = Builder(doc)
    b.event("Militants ambushed", BATTLE, trigger="ambushed")
    b.date("Sunday", "2023-05-14")
    b.place("Maiduguri", MAIDUGURI)
    b.count("nine soldiers", "killed", 9, who="Military Forces of Nigeria")
    b.count("about 30 of the attackers", "killed", 30, who="Boko Haram")
    (rec,) = run(doc)
    assert rec.fatalities == 39


def test_back_reference_joins_the_event_before_whatever_place_it_adds(make_doc):
    text = ("Nine villagers were killed near Maiduguri on Sunday when a military jet bombed their village. "
            "The victims were killed by two bombs dropped on houses near the mosque in Kano.")
    doc = make_doc(text, published="2023-05-16")
    b = Builder(doc)
    b.event("Nine villagers", ("Explosions/Remote violence", "Air/drone strike"), trigger="bombed")
    b.event("The victims", ATTACK, trigger="killed")
    b.date("Sunday", "2023-05-14")
    b.place("Maiduguri", MAIDUGURI)
    b.place("Kano", KANO)
    (rec,) = run(doc)
    assert rec.location.name == "Maiduguri" and len(rec.evidence) == 2
    assert len(run(doc, back_references=["attackers"])) == 2


def test_a_lead_in_date_is_not_enough_to_found_a_doubted_event(make_doc):
    text = ("Militants attacked a police post near Maiduguri on Tuesday, killing five officers. "
            "Two of the officers died in hospital in Kano on Tuesday evening. "
            "Another six policemen were wounded.")
    doc = make_doc(text, published="2023-05-17")
    b = Builder(doc)
    b.event("Militants attacked", BATTLE, trigger="attacked")
    b.event("Another six", ("Protests", "Excessive force against protesters"), score=0.8)
    b.date("Tuesday", "2023-05-16")
    b.date("Tuesday evening", "2023-05-16")
    b.place("Maiduguri", MAIDUGURI)
    b.place("Kano", KANO)
    assert [r.sub_event_type for r in run(doc)] == ["Armed clash"]


def test_now_dates_no_event(make_doc):
    text = ("Gunmen killed four farmers near Maiduguri on Sunday. "
            "\"Now the bombs follow us into the camps,\" said a woman who fled to Kano.")
    doc = make_doc(text, published="2023-05-16")
    b = Builder(doc)
    b.event("Gunmen killed", ATTACK, trigger="killed")
    b.event("\"Now the", ("Explosions/Remote violence", "Suicide bomb"), score=0.71)
    b.date("Sunday", "2023-05-14")
    doc.layers["dates"].append(Mention(text.index("Now"), text.index("Now") + 3, "Now", "DATE", "gold",
                                       DateValue("2023-05-16", "2023-05-16", "day", timex_value="PRESENT_REF"),
                                       "gold", 1))
    b.place("Maiduguri", MAIDUGURI)
    b.place("Kano", KANO)
    assert [r.sub_event_type for r in run(doc)] == ["Attack"]


def test_undated_habitual_sentence_founds_no_event(make_doc):
    text = ("Peacekeepers handed their camp near Maiduguri to the army on Tuesday. "
            "The camp in Kano was hit by rocket fire several times during the mission.")
    doc = make_doc(text, published="2023-05-17")
    b = Builder(doc)
    b.event("Peacekeepers handed", ("Strategic developments", "Non-violent transfer of territory"), trigger="handed")
    b.event("The camp", ("Explosions/Remote violence", "Shelling/artillery/missile attack"), score=0.99)
    b.date("Tuesday", "2023-05-16")
    b.place("Maiduguri", MAIDUGURI)
    b.place("Kano", KANO)
    assert [r.sub_event_type for r in run(doc)] == ["Non-violent transfer of territory"]
    assert len(run(doc, habitual_markers=["every day"])) == 2
    # a period-long pattern recalled for context: "set off weeks of protests"
    text = ("Lawmakers in Abuja approved the border deal on Tuesday. "
            "The deal set off weeks of street protests in Kano.")
    doc = make_doc(text, published="2023-05-17")
    b = Builder(doc)
    b.event("Lawmakers", ("Strategic developments", "Agreement"), trigger="approved")
    b.event("The deal", PROTEST, score=0.99)
    b.date("Tuesday", "2023-05-16")
    b.place("Abuja", ABUJA)
    b.place("Kano", KANO)
    assert [r.sub_event_type for r in run(doc)] == ["Agreement"]
    assert len(run(doc, habitual_markers=["every day"])) == 2


def test_separately_opens_another_event(make_doc):
    text = ("Rebels shot dead four miners near Maiduguri on Monday. "
            "Separately, soldiers and rebels fought between Monday and Wednesday around Maiduguri.")
    doc = make_doc(text, published="2023-05-19")
    b = Builder(doc)
    b.event("Rebels shot", ATTACK, trigger="shot dead")
    b.event("Separately", BATTLE, trigger="fought")
    b.date("Monday", "2023-05-15")
    b._add("dates", "between Monday and Wednesday", DateValue("2023-05-15", "2023-05-17", "day"), "DATE")
    b.place("Maiduguri", MAIDUGURI)
    b.place("Maiduguri", MAIDUGURI, nth=1)
    assert sorted(r.sub_event_type for r in run(doc)) == ["Armed clash", "Attack"]
    assert len(run(doc, separate_markers=["elsewhere"])) == 1


def test_undated_vague_other_joins_the_event_as_its_detail(make_doc):
    text = ("Three militants were killed when troops clashed with rebels in Borno on Monday. "
            "Soldiers were checking reports of armed men in the town of Maiduguri when they came under fire.")
    doc = make_doc(text, published="2023-05-11")
    b = Builder(doc)
    b.event("Three militants", BATTLE, trigger="clashed")
    b.event("Soldiers were", OTHER, score=1.0)
    b.date("Monday", "2023-05-08")
    b.place("Borno", BORNO)
    b.place("Maiduguri", MAIDUGURI)
    (rec,) = run(doc)
    assert (rec.sub_event_type, rec.location.name) == ("Armed clash", "Maiduguri")  # the detail's town refines
    assert len(run(doc, vague_sub_types=[])) == 2


def test_undated_arson_after_an_attack_is_its_detail(make_doc):
    text = ("Militiamen killed 19 people in an attack on a camp near Kano late on Saturday. "
            "The assailants entered the camp near the town of Dala and set fire to dozens of shelters.")
    doc = make_doc(text, published="2025-06-10")
    b = Builder(doc)
    b.event("Militiamen", ATTACK, trigger="killed")
    b.event("The assailants", ("Strategic developments", "Looting/property destruction"), score=1.0)
    b.date("Saturday", "2025-06-07")
    b.place("Kano", KANO)
    b.place("Dala", PlaceValue("Dala", 2345521, 12.02, 8.50, "NG", "Kano", "city"))
    (rec,) = run(doc)
    assert rec.sub_event_type == "Attack"
    assert len(run(doc, vague_sub_types=["Other"])) == 2


def test_after_a_battle_is_the_acts_own_fight(make_doc):
    text = ("Troops have retaken the town of Konduga near Maiduguri from rebels, the army said on Friday, after a "
            "battle on Wednesday in which it said about 20 fighters were killed.")
    doc = make_doc(text, published="2023-05-12")
    b = Builder(doc)
    b.event("Troops have", ("Battles", "Government regains territory"), trigger="retaken")
    b.date("Friday", "2023-05-12")
    b.date("Wednesday", "2023-05-10")
    b.place("Maiduguri", MAIDUGURI)
    b.count("about 20 fighters", "killed", 20, who="Boko Haram")
    (rec,) = run(doc)
    assert (rec.date.start, rec.fatalities) == ("2023-05-10", 20)
    (rec,) = run(doc, same_event_nouns=[])
    assert rec.date.start == "2023-05-12"


def test_no_one_hurt_a_few_sentences_on_gives_zero_fatalities(make_doc):
    text = ("Police defused a bomb outside a church in Maiduguri on Tuesday. "
            "The device had been left in a bag near the gate. "
            "Officers said several people were questioned. "
            "No one was hurt.")
    doc = make_doc(text, published="2023-05-17")
    b = Builder(doc)
    b.event("Police defused", ("Strategic developments", "Disrupted weapons use"), trigger="defused")
    b.date("Tuesday", "2023-05-16")
    b.place("Maiduguri", MAIDUGURI)
    b.count("several people", "other", None)
    b.count("No one", "injured", 0)
    (rec,) = run(doc)
    assert rec.fatalities == 0
    (rec,) = run(doc, attach_window=1)
    assert rec.fatalities is None


def test_a_province_takes_the_town_inside_it_named_beside_the_event(make_doc):
    text = ("Protests over power cuts spread through Maiduguri on Monday. "
            "Security forces shot dead two protesters near the Borno state assembly.")
    doc = make_doc(text, published="2023-05-09")
    b = Builder(doc)
    b.event("Security forces", ("Protests", "Excessive force against protesters"), trigger="shot dead")
    b.date("Monday", "2023-05-08")
    b.place("Maiduguri", MAIDUGURI)
    b.place("Borno", BORNO)
    (rec,) = run(doc)
    assert rec.location.name == "Maiduguri"
    assert any("a town of 'Borno'" in r for r in rec.reasons)


def test_an_attack_on_armed_targets_only_is_an_armed_clash(make_doc):
    text = "Gunmen attacked a police post in Maiduguri on Monday, killing three police officers."
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("Gunmen", ATTACK, trigger="attacked")
    b.date("Monday", "2023-05-08")
    b.place("Maiduguri", MAIDUGURI)
    b.actor("Gunmen", "Unidentified Armed Group", "Political militia", "actor1")
    b.actor("police officers", "Police Forces of Nigeria", "State forces", "actor2")
    b.count("three police officers", "killed", 3, who="Police Forces of Nigeria")
    (rec,) = run(doc)
    assert (rec.event_type, rec.sub_event_type) == BATTLE
    assert any("targets are armed" in r for r in rec.reasons)
    # a civilian among the victims keeps it violence against civilians
    doc = make_doc(text.replace("three police officers", "two police officers and a street vendor"),
                   published="2023-05-10")
    b = Builder(doc)
    b.event("Gunmen", ATTACK, trigger="attacked")
    b.date("Monday", "2023-05-08")
    b.place("Maiduguri", MAIDUGURI)
    b.actor("Gunmen", "Unidentified Armed Group", "Political militia", "actor1")
    b.actor("police officers", "Police Forces of Nigeria", "State forces", "actor2")
    b.count("a street vendor", "killed", 1, who="Civilians")
    (rec,) = run(doc)
    assert (rec.event_type, rec.sub_event_type) == ATTACK


@pytest.mark.parametrize("clash_score, dead_armed, expected", [
    (0.95, True, BATTLE),
    (0.95, False, ATTACK),  # only civilians died: the attack reading stands
    (0.6, True, ATTACK),    # the clash reading is unsure
])
def test_an_attack_told_as_a_gun_battle_with_armed_dead_is_an_armed_clash(make_doc, clash_score, dead_armed,
                                                                          expected):
    text = ("Gunmen of a gang attacked a district of Maiduguri on Monday, setting off a gun battle with police. "
            "Police said nine gang members and three residents were killed.")
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("Gunmen", BATTLE, clash_score, trigger="gun battle")
    b.event("Police said", ATTACK, 1.0, trigger="killed")
    b.date("Monday", "2023-05-08")
    b.place("Maiduguri", MAIDUGURI)
    b.actor("Gunmen of a gang", "Unidentified Gang", "Political militia", "actor1")
    b.actor("police", "Police Forces of Nigeria", "State forces", "actor2")
    if dead_armed:
        b.actor("gang members", "Unidentified Gang", "Political militia")
        b.count("nine gang members", "killed", 9, who="Unidentified Gang")
    b.count("three residents", "killed", 3, who="Civilians")
    (rec,) = run(doc)
    assert (rec.event_type, rec.sub_event_type) == expected, rec.reasons
    assert any("armed men died" in r for r in rec.reasons) == (expected == BATTLE)


def test_a_protest_whose_own_sentences_tell_of_violence_is_a_violent_demonstration(make_doc):
    text = ("Thousands of traders marched in Kano on Monday against a new market levy. "
            "Some of the marchers hurled stones at the police and set fire to a tax office. "
            "In Abuja, hundreds of students held a sit-in at the university on Monday.")
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("Thousands", PROTEST, trigger="marched")
    b.event("Some of the marchers", PROTEST)
    b.event("In Abuja", PROTEST, trigger="sit-in")
    b.date("Monday", "2023-05-08")
    b.date("Monday", "2023-05-08", nth=1)
    b.place("Kano", KANO)
    b.place("Abuja", ABUJA)
    kano, abuja = run(doc)
    assert (kano.event_type, kano.sub_event_type) == ("Riots", "Violent demonstration")
    assert any("demonstrators' violence ('hurled')" in r for r in kano.reasons)
    assert (abuja.event_type, abuja.sub_event_type) == PROTEST


def test_a_bad_protest_violence_pattern_is_a_config_error():
    with pytest.raises(ValueError, match="not a valid regular expression"):
        AssemblyConfig(factory="assembly.v1", protest_violence=["(unclosed"])


def test_an_other_with_deaths_between_armed_sides_is_an_armed_clash(make_doc):
    text = "Soldiers launched an operation against bandit camps near Kano on Monday and killed six bandits."
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("Soldiers", OTHER, trigger="operation")
    b.date("Monday", "2023-05-08")
    b.place("Kano", KANO)
    b.actor("Soldiers", "Military Forces of Nigeria", "State forces", "actor1")
    b.actor("bandits", "Unidentified Armed Group", "Political militia", "actor2")
    b.count("six bandits", "killed", 6, who="Unidentified Armed Group")
    (rec,) = run(doc)
    assert (rec.event_type, rec.sub_event_type) == BATTLE and rec.fatalities == 6
    assert any("killed between armed sides" in r for r in rec.reasons)


def test_a_strike_from_the_air_is_an_air_drone_strike(make_doc):
    text = ("Soldiers fought Boko Haram fighters near Maiduguri on Monday. "
            "On Tuesday, army helicopters struck fighters retreating towards the forest near Maiduguri.")
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("Soldiers", BATTLE, trigger="fought")
    b.event("On Tuesday", BATTLE, trigger="struck")
    b.date("Monday", "2023-05-08")
    b.date("Tuesday", "2023-05-09")
    b.place("Maiduguri", MAIDUGURI)
    b.place("Maiduguri", MAIDUGURI, nth=1)
    clash, strike = run(doc)
    assert (clash.event_type, clash.sub_event_type) == BATTLE
    assert (strike.event_type, strike.sub_event_type) == ("Explosions/Remote violence", "Air/drone strike")
    assert any("strike from the air ('helicopters struck')" in r for r in strike.reasons)


def test_an_undated_placed_mention_tells_what_a_vague_event_next_to_it_was(make_doc):
    text = ("Nine miners were killed in an attack inside a tunnel in Kano. "
            "A forensic report showed the men had been shot on Monday, a prosecutor said.")
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("Nine miners", ATTACK, score=0.9, trigger="killed")
    b.event("A forensic report", OTHER, score=0.7)
    b.date("Monday", "2023-05-08")
    b.place("Kano", KANO)
    b.count("Nine miners", "killed", 9, who="Civilians")
    (rec,) = run(doc)
    assert (rec.event_type, rec.sub_event_type) == ATTACK
    assert rec.date.start == "2023-05-08" and rec.location.name == "Kano" and rec.fatalities == 9


def test_talks_that_ended_without_a_deal_are_no_agreement(make_doc):
    text = "Officials of Nigeria and Niger ended two days of border talks in Abuja on Monday without agreeing on a map."
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("Officials", ("Strategic developments", "Agreement"), trigger="talks")
    b.date("Monday", "2023-05-08")
    b.place("Abuja", ABUJA)
    assert run(doc) == []
    doc = make_doc(text.replace("without agreeing on a map", "and signed a border map"), published="2023-05-10")
    b = Builder(doc)
    b.event("Officials", ("Strategic developments", "Agreement"), trigger="signed")
    b.date("Monday", "2023-05-08")
    b.place("Abuja", ABUJA)
    assert len(run(doc)) == 1


def test_nobody_arrested_is_no_arrests_event(make_doc):
    text = "No one had been arrested in Maiduguri by Wednesday evening, the officer said."
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("No one", ARRESTS, trigger="arrested")
    b.date("Wednesday evening", "2023-05-10")
    b.place("Maiduguri", MAIDUGURI)
    b.count("No one", "arrested", 0)
    assert run(doc) == []
    doc = make_doc(text.replace("No one had", "Two men had"), published="2023-05-10")
    b = Builder(doc)
    b.event("Two men", ARRESTS, trigger="arrested")
    b.date("Wednesday evening", "2023-05-10")
    b.place("Maiduguri", MAIDUGURI)
    b.count("Two men", "arrested", 2)
    assert len(run(doc)) == 1


def test_a_pattern_over_the_past_decade_founds_no_event(make_doc):
    text = "Dozens of villages near Maiduguri have been emptied over the past decade by air strikes on militants."
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("Dozens", ("Explosions/Remote violence", "Air/drone strike"), score=0.99, trigger="air strikes")
    b.place("Maiduguri", MAIDUGURI)
    assert run(doc) == []


def test_a_toll_update_is_no_lead_in(make_doc):
    text = ("Gunmen killed 15 villagers near Kano on Monday. On Wednesday officials said the toll had risen to 23. "
            "Witnesses said the gunmen went from house to house.")
    doc = make_doc(text, published="2023-05-11")
    b = Builder(doc)
    b.event("Gunmen", ATTACK, trigger="killed")
    b.event("Witnesses", ATTACK, score=0.99)
    b.date("Monday", "2023-05-08")
    b.date("Wednesday", "2023-05-10")
    b.place("Kano", KANO)
    (rec,) = run(doc)
    assert rec.date.start == "2023-05-08" and len(rec.evidence) >= 2


def test_a_route_end_is_no_place_of_its_own(make_doc):
    text = ("Boko Haram fighters stormed Maiduguri on Sunday and fought soldiers for hours. "
            "The soldiers pulled back along the road to Kano, and the fighters raised their flag over the town.")
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("Boko Haram", BATTLE, trigger="fought")
    b.event("The soldiers", ("Battles", "Non-state actor overtakes territory"), score=0.99)
    b.date("Sunday", "2023-05-07")
    b.place("Maiduguri", MAIDUGURI)
    b.place("Kano", KANO)
    (rec,) = run(doc)
    assert rec.location.name == "Maiduguri"


def test_overnight_into_a_day_and_a_fight_going_on_into_the_next_are_spans(make_doc):
    text = "Soldiers killed three militants in a shootout near Maiduguri overnight into Wednesday, the army said."
    doc = make_doc(text, published="2023-05-11")
    b = Builder(doc)
    b.event("Soldiers", BATTLE, trigger="shootout")
    b.date("Wednesday", "2023-05-10")
    b.place("Maiduguri", MAIDUGURI)
    (rec,) = run(doc)
    assert (rec.date.start, rec.date.end) == ("2023-05-09", "2023-05-10")
    text = "Soldiers fought militants near Maiduguri in a battle that began on Sunday and went on into Monday."
    doc = make_doc(text, published="2023-05-11")
    b = Builder(doc)
    b.event("Soldiers", BATTLE, trigger="fought")
    b.date("Sunday", "2023-05-07")
    b.date("Monday", "2023-05-08")
    b.place("Maiduguri", MAIDUGURI)
    (rec,) = run(doc)
    assert (rec.date.start, rec.date.end) == ("2023-05-07", "2023-05-08")


def test_every_wednesday_tells_a_habit_not_an_incident(make_doc):
    text = "Pensioners have marched outside Congress in Abuja every Wednesday for a year."
    doc = make_doc(text, published="2023-05-10")
    b = Builder(doc)
    b.event("Pensioners", PROTEST, score=0.99, trigger="marched")
    b.place("Abuja", ABUJA)
    assert run(doc) == []


def test_default_config_block_equals_the_code_defaults():
    """configs/default.yaml documents the assembly options: what it sets must be what the code defaults to."""
    raw = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))["stages"]["assembly"]
    cfg, code = AssemblyConfig.model_validate(raw), AssemblyConfig(factory="assembly.v1")
    assert [k for k in raw if getattr(cfg, k) != getattr(code, k)] == []


def test_one_event_told_twice_is_one_record(make_doc):
    # a lede's "Two days later, a second attack ... in Maiduguri" and, paragraphs on, the same attack told with
    # its own day: one sub-type, one day, one town make one record
    text = ("Gunmen threw a grenade into a market in Kano on Monday, wounding six people. Two days later, a second "
            "grenade attack, on a checkpoint in Maiduguri, killed a soldier. Traders in Kano shut their shops. "
            "Residents said the market had been crowded. The city's emir called for calm. "
            "On Wednesday night, men threw a grenade at a checkpoint in Maiduguri, killing one soldier.")
    doc = make_doc(text, published="2023-05-12", id="g")
    b = Builder(doc)
    grenade = ("Explosions/Remote violence", "Grenade")
    b.event("Gunmen threw", grenade)
    b.event("Two days later", grenade)
    b.event("On Wednesday night", grenade)
    b.date("Monday", "2023-05-08")
    b._add("dates", "Two days later", DateValue(None, None, None, timex_type="DURATION", timex_value="P2D"), "DATE")
    b.date("Wednesday night", "2023-05-10")
    b.place("Kano", KANO)
    b.place("Maiduguri", MAIDUGURI)
    b.place("Kano", KANO, nth=1)
    b.place("Maiduguri", MAIDUGURI, nth=1)
    b.count("six people", "injured", 6)
    b.count("one soldier", "killed", 1, who="Military Forces of Nigeria")
    recs = run(doc)
    assert [(r.event_id, r.location.name, r.date.start) for r in recs] == [
        ("g#1", "Kano", "2023-05-08"), ("g#2", "Maiduguri", "2023-05-10")]
    assert recs[1].fatalities == 1
    assert {e.text.split(",")[0] for e in recs[1].evidence} >= {"Two days later", "On Wednesday night"}
    assert any("one event told twice" in r for r in recs[1].reasons)


def test_a_device_found_and_defused_is_one_disrupted_weapons_use(make_doc):
    text = ("Police said a bomb had been left outside a church in Kano on Tuesday evening. "
            "Residents were evacuated from nearby homes. "
            "On Tuesday, army engineers defused the device in Kano.")
    doc = make_doc(text, published="2023-05-17", id="d")
    b = Builder(doc)
    b.event("Police said", ("Explosions/Remote violence", "Remote explosive/landmine/IED"))
    b.event("On Tuesday", ("Strategic developments", "Disrupted weapons use"))
    b.date("Tuesday evening", "2023-05-16")
    b.date("Tuesday", "2023-05-16", nth=1)
    b.place("Kano", KANO)
    b.place("Kano", KANO, nth=1)
    (rec,) = run(doc)
    assert (rec.event_type, rec.sub_event_type) == ("Strategic developments", "Disrupted weapons use")
    assert len(rec.evidence) >= 2
    # a device that killed is an explosion of its own
    b.count("bomb", "killed", 2)
    assert len(run(doc)) == 2
