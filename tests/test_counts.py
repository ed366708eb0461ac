"""counts.v1: numbers, qualifiers, categories, who, totals/breakdowns, revisions, non-people numbers."""

from __future__ import annotations

import json

import pytest

from pipeline.stages.actors import ActorsStage
from pipeline.stages.counts import CATEGORIES, CountsStage


@pytest.fixture(scope="module")
def counts(resources, make_doc):
    actors = ActorsStage(ActorsStage.Config(factory="actors.v1"), resources)
    stage = CountsStage(CountsStage.Config(factory="counts.v1"), resources)

    def _run(text: str, published: str | None = None):
        doc = make_doc(text, published=published)
        actors([doc])
        stage([doc])
        return doc.layers["counts"]

    return _run


def values(mentions, category):
    return [m.value.value for m in mentions if m.value.category == category and not m.value.superseded]


def test_digits_words_and_qualifiers(counts):
    out = counts("At least 14 soldiers were killed and twenty-one others were wounded in the ambush.")
    killed = [m for m in out if m.value.category == "killed"]
    assert [m.value.value for m in killed] == [14]
    assert killed[0].value.approximate and "at least" in killed[0].reason
    assert values(out, "injured") == [21]


def test_large_numbers_ranges_and_vague_words(counts):
    out = counts("Between 5,000 and 6,000 people fled the fighting, and 1.5 million people were displaced.")
    displaced = sorted((m.value.value, m.value.upper) for m in out if m.value.category == "displaced")
    assert displaced == [(5000, 6000), (1500000, None)]
    out = counts("Hundreds of protesters marched on the capital.")
    (m,) = [m for m in out if m.value.category == "participants"]
    assert m.value.value is None and m.value.approximate  # issue 5: "hundreds" has no value unless a floor is stated
    out = counts("Several protesters were detained.")
    (m,) = [m for m in out if m.value.category == "detained"]
    assert m.value.value is None and m.value.approximate


def test_categories_from_governing_words(counts):
    out = counts("Police arrested seven men, while gunmen abducted a dozen students and three villagers are missing.")
    assert values(out, "arrested") == [7]
    assert values(out, "kidnapped") == [12]
    assert values(out, "missing") == [3]
    assert all(m.value.category in CATEGORIES for m in out)


def test_non_people_numbers_are_not_counts(counts):
    text = ("A 45-year-old man was found in the 3900 block of Elm Street at 10:30 p.m. on May 3, 2019. "
            "Thieves took $5,000 and two cars, and the suspect fired 12 shots. Call 555-301-4477 with tips.")
    out = counts(text)
    assert all(m.value.value in (None, 0, 1) for m in out), [(m.text, m.value) for m in out]


def test_lone_victims_and_negation(counts):
    out = counts("A man was shot and killed on Friday, and a woman was wounded. No one else was injured.")
    assert values(out, "killed") == [1]
    assert 1 in values(out, "injured")
    assert 0 in values(out, "injured")


def test_perpetrator_subject_is_not_a_count(counts):
    out = counts("Two men shot a cashier during the robbery.")
    assert 2 not in values(out, "injured")


def test_shot_minus_killed(counts):
    out = counts("Three men were shot, one of them fatally, outside the bar.")
    assert values(out, "killed") == [1]
    assert values(out, "injured") == [2]


def test_who_from_actor_inside_the_phrase(counts):
    out = counts("Five civilians and eleven al-Shabaab militants were killed in the fighting.")
    who = {m.value.value: m.value.who for m in out if m.value.category == "killed"}
    assert who == {5: "Civilians", 11: "Al Shabaab"}


def test_total_breakdown_and_mismatch(counts):
    out = counts("The death toll has risen to 40. Among them are 30 soldiers, 8 Houthi fighters and three children.")
    totals = [i for i, m in enumerate(out) if m.value.total]
    assert len(totals) == 1
    t = totals[0]
    parts = [m for m in out if m.value.part_of == t]
    assert sorted(m.value.value for m in parts) == [3, 8, 30]
    assert all(m.value.category == "killed" for m in parts)
    assert "41" in out[t].reason and "stated total kept" in out[t].reason


def test_revision_supersedes_earlier_figure(counts):
    out = counts("Seven people were killed in the blast on Monday. By Tuesday the toll rose to 31 dead, up from seven.")
    current = values(out, "killed")
    assert 31 in current and 7 not in current
    assert any(m.value.superseded for m in out if m.value.value == 7)


def test_seed_article_counts(shared_dir, counts):
    art = json.loads((shared_dir / "corpus" / "seed-article.jsonl").read_text().splitlines()[0])
    out = counts(art["text"])
    (t,) = [i for i, m in enumerate(out) if m.value.total and m.value.category == "killed"]
    assert out[t].value.value == 322
    parts = {m.value.who: m.value.value for m in out if m.value.part_of == t}
    assert parts == {"Islamic State": 246, "Asayish": 79, "Civilians": 7}
    assert 5000 not in values(out, "killed")
    arrested = [m for m in out if m.value.category == "arrested"]
    assert [(m.value.value, m.value.who) for m in arrested] == [(4, "Civilians")]
    for m in out:
        assert art["text"][m.start:m.end] == m.text and m.stage == "counts.v1" and m.reason


def test_restated_lone_victim_is_superseded(counts):
    out = counts("A man was shot and killed outside a store. He died at the scene, police said.")
    current = [m for m in out if m.value.category == "killed" and not m.value.superseded]
    assert [m.value.value for m in current] == [1]
    assert any(m.value.superseded and "restates" in m.reason for m in out)


def test_a_lone_victim_in_a_sentence_opening_on_another_day_is_another_episode(counts):
    text = ("Gunmen killed a farmer near Mora overnight, officials said. "
            "On Tuesday, a crowd at the cattle market beat to death a young man accused of spying.")
    current = [m for m in counts(text) if m.value.category == "killed" and not m.value.superseded]
    assert [m.value.value for m in current] == [1, 1]
    assert "another episode" in current[1].reason
    # the same day, or no day of its own: the same victim
    same = counts("Gunmen killed a farmer near Mora on Tuesday. On Tuesday, a farmer died in hospital.")
    assert any(m.value.superseded and "restates" in m.reason for m in same)


def test_a_fighter_from_a_named_militia_is_of_that_militia(counts):
    out = counts("Al-Shabaab attacked the base. The commander said four soldiers and one fighter from the "
                 "local clan militia known as Macawisley had been killed.")
    assert {(m.value.value, m.value.who) for m in out if m.value.category == "killed"} >= {(1, "Macawisley")}


def test_plain_wounded_people_are_a_crowd_only_near_where_it_is_named(counts):
    text = ("Gunmen raided a village near Mora overnight. Five people were wounded in the raid. "
            "The attackers fled. Soldiers arrived at dawn. Officials said the area was calm. "
            "Schools stayed shut. On Tuesday, protesters marched in Maroua. Police said 12 people were injured.")
    injured = [(m.value.value, m.value.who) for m in counts(text) if m.value.category == "injured"]
    assert injured == [(5, None), (12, "Protesters")]


def test_a_figure_said_while_giving_a_higher_toll_is_a_rival_sources(counts):
    out = counts("A bomb killed four people on Thursday, police said. A doctor gave a higher toll, saying the "
                 "bodies of seven people had been brought in during the night.")
    (seven,) = [m for m in out if m.value.value == 7]
    assert seven.value.rival and not seven.value.total and "another source's figure" in seven.reason


def test_a_past_year_in_a_clause_about_something_else_is_no_background(counts):
    out = counts("Gunmen shot dead a village headman on Sunday, in the first of three incidents this week that "
                 "highlight the fragile security in the area where the 2011 uprising began.", published="2023-05-19")
    (m,) = [m for m in out if m.value.category == "killed"]
    assert not m.value.background
    old = counts("In 2011, gunmen shot dead a village headman.", published="2023-05-19")
    assert all(m.value.background for m in old if m.value.category == "killed")


def test_a_state_since_a_past_year_makes_no_background(counts):
    out = counts("Shells hit a school late on Friday. The school had been closed since 2022, and no one was hurt.",
                 published="2025-08-16")
    (m,) = [m for m in out if m.value.category == "injured"]
    assert m.value.value == 0 and not m.value.background


def test_a_tally_since_a_month_is_background(counts):
    out = counts("A rights group said at least 110 people had been killed in mob attacks since January.",
                 published="2025-11-06")
    (m,) = [m for m in out if m.value.category == "killed"]
    assert m.value.background


def test_attackers_take_the_named_group(counts):
    out = counts("Boko Haram fighters raided the town. Four of the attackers were killed by soldiers.")
    (m,) = [m for m in out if m.value.category == "killed"]
    assert (m.value.value, m.value.who) == (4, "Boko Haram")


def test_background_figures_are_flagged(resources, make_doc):
    actors = ActorsStage(ActorsStage.Config(factory="actors.v1"), resources)
    stage = CountsStage(CountsStage.Config(factory="counts.v1"), resources)
    doc = make_doc("Two soldiers were killed on Monday. In 2019, a similar raid killed 40 people. "
                   "Eighteen people have been killed in the city so far this year.", published="2024-03-05")
    actors([doc])
    stage([doc])
    flags = {m.value.value: m.value.background for m in doc.layers["counts"] if m.value.category == "killed"}
    assert flags == {2: False, 40: True, 18: True}


def test_coordinated_lone_victims(counts):
    out = counts("A mother and her son were found dead in their home.")
    assert values(out, "killed") == [2]


def test_total_flag_stays_with_its_category(counts):
    out = counts("The death toll rose to 14 on Sunday, and more than 30 people were wounded.")
    flags = {(m.value.category, m.value.value): m.value.total for m in out}
    assert flags[("killed", 14)] is True
    assert flags[("injured", 30)] is False


def test_people_at_a_protest_are_protesters(counts):
    out = counts("Protesters blocked the main road. Police detained 40 people and 12 people were injured.")
    who = {(m.value.category, m.value.value): m.value.who for m in out}
    assert who[("detained", 40)] == "Protesters" and who[("injured", 12)] == "Protesters"
    out = counts("A bomb hit the market and 12 people were injured.")
    assert {m.value.who for m in out if m.value.category == "injured"} == {None}


def test_of_them_breakdown_and_no_casualties(counts):
    out = counts("A car bomb exploded on Sunday, killing nine people, five of them soldiers and four civilians. "
                 "A second blast on Monday caused no casualties.")
    (t,) = [i for i, m in enumerate(out) if m.value.total]
    assert out[t].value.value == 9
    assert sorted(m.value.value for m in out if m.value.part_of == t) == [4, 5]
    assert [m.value.value for m in out if m.value.category == "killed" and m.sent == 1] == [0]


def test_lone_victim_with_numbered_conjunct(counts):
    out = counts("The strike killed a man and his three daughters.")
    assert max(values(out, "killed")) == 4
    (t,) = [i for i, m in enumerate(out) if m.value.value == 4]
    assert out[t].value.total and [m.value.value for m in out if m.value.part_of == t] == [3]


def live(mentions, category):
    return [m for m in mentions if m.value.category == category and not m.value.superseded]


def test_toll_phrase_with_a_long_subject_is_a_revised_total(counts):
    out = counts("The number of people killed when gunmen stormed a cattle market in the northern town on Friday "
                 "has risen to 23, a local official said. Police had earlier put the toll at nine.")
    (m,) = live(out, "killed")
    assert m.value.value == 23 and m.value.total and "toll phrase 'number'" in m.reason
    (old,) = [m for m in out if m.value.value == 9]
    assert old.value.superseded


def test_toll_phrase_gives_the_category_of_its_people(counts):
    out = counts("Organisers put the number of marchers in the capital at 40,000, "
                 "while police said 12,000 had taken part.")
    assert sorted(m.value.value for m in live(out, "participants")) == [12000, 40000]


def test_coordinated_counts_are_separate_groups_that_add_up(counts):
    out = counts("An air strike on Tuesday killed three rebel fighters and a civilian near the border.")
    killed = live(out, "killed")
    assert [m.value.value for m in killed] == [3, 1]
    assert killed[0].value.adds_to is None and killed[1].value.adds_to == "so_far"
    assert all(m.value.part_of is None for m in killed) and "coordinated with" in killed[1].reason
    out = counts("Six soldiers and two police officers were wounded in the ambush.")
    assert [m.value.adds_to for m in live(out, "injured")] == [None, "so_far"]
    out = counts("Three or four villagers were wounded in the raid.")
    assert all(m.value.adds_to is None for m in out)


def test_coordinated_with_a_negated_head_counts_nobody(counts):
    out = counts("Gunmen shot dead a shopkeeper. A woman and two children in the shop were not injured.")
    assert [m.value.value for m in live(out, "injured")] and all(m.value.value == 0 for m in live(out, "injured"))


def test_militia_noun_takes_the_articles_only_militia(counts):
    out = counts("Five soldiers and three auxiliaries were killed near Kaya on Monday, the army said. "
                 "The patrol included volunteers of the Volunteers for the Defense of the Homeland (VDP).")
    who = {m.value.value: m.value.who for m in live(out, "killed")}
    assert who[3] == "Volunteers for the Defense of the Homeland"
    out = counts("Five soldiers and three auxiliaries were killed near Kaya on Monday, the army said.")
    assert {m.value.value: m.value.who for m in live(out, "killed")}[3] is None


def test_earlier_figures_are_superseded(counts):
    out = counts("A rocket hit a market in the city on Sunday, killing nine people, officials said, "
                 "after initially reporting five dead.")
    assert [m.value.value for m in live(out, "killed")] == [9]
    out = counts("Four police officers were killed in the raid, raising an earlier toll of two.")
    (m,) = live(out, "killed")
    assert m.value.value == 4 and not m.value.total  # the toll is the other clause's
    out = counts("Four people were shot on Friday and two more were initially reported in critical condition.")
    assert sorted(m.value.value for m in live(out, "injured")) == [2, 4]  # people reported, not a figure
    out = counts("A medic first put the toll at nine on Sunday, but two more children died overnight.")
    assert [m.value.value for m in live(out, "killed")] == [2]


def test_people_named_after_a_figure_and_a_comma_are_who_it_counts(counts):
    out = counts("Residents said the shooting began around 11 p.m. and went on until nearly 3 a.m. as men in "
                 "armoured pick-ups fired at each other across a main avenue. Four gunmen and two civilians, a taxi "
                 "driver and a young woman returning from work, were killed, the prosecutor's office said.")
    top = [m for m in live(out, "killed") if m.value.part_of is None]
    assert sorted(m.value.value for m in top) == [2, 4]
    parts = [m for m in out if m.value.category == "killed" and m.value.part_of is not None]
    assert parts and all(out[m.value.part_of].text == "two civilians" for m in parts)  # read as conjuncts
    # as many people as the figure counts only: "three people, a man and a boy" are not its parts
    out = counts("Three people, a man and a boy among them, were killed on Sunday.")
    assert all(m.value.part_of is None for m in out if m.text == "a man and a boy")


def test_an_initial_figure_said_and_its_breakdown_give_way_to_the_later_one(counts):
    out = counts("A police spokesman initially said five people had died, three soldiers and two civilians. "
                 "By Wednesday, the hospital director said eight people had died.")
    five = next(m for m in out if m.text == "five people")
    assert five.value.superseded
    parts = [m for m in out if m.text in ("three soldiers", "two civilians")]
    assert len(parts) == 2 and all(out[m.value.part_of] is five for m in parts)
    assert [m.value.value for m in live(out, "killed") if m.value.part_of is None] == [8]


def test_neutralised_fighters_are_killed(counts):
    out = counts('The army said "about thirty terrorists were neutralised" in the fighting.')
    (m,) = live(out, "killed")
    assert m.value.value == 30 and m.value.approximate


def test_aged_noun_is_a_person_and_drones_are_not(counts):
    out = counts("A 19-year-old shop assistant was killed when the shell hit the street.")
    assert values(out, "killed") == [1]
    out = counts("Air defences shot down 15 drones over the region overnight, the ministry said.")
    assert out == []


def test_transitive_march_moves_people(counts):
    out = counts("Gunmen stormed the mosque and marched 20 worshippers into the forest.")
    assert live(out, "participants") == [] and [m.value.value for m in out] == [20]


def test_phrase_cues_must_be_a_verb_and_object(tmp_path):
    import yaml
    from pipeline.errors import ConfigError
    from pipeline.stages.counts import DEFAULT_LEXICON, Lexicon

    raw = yaml.safe_load(DEFAULT_LEXICON.read_text(encoding="utf-8"))
    raw["phrase_cues"] = {"take": "participants"}
    bad = tmp_path / "counts.yaml"
    bad.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(ConfigError, match="phrase_cues"):
        Lexicon.load(bad)


def test_unknown_noun_done_to_people_is_a_count(counts):
    out = counts("Three rubber tappers were shot dead near the plantation, and gunmen abducted five nurses on Friday.")
    assert values(out, "killed") == [3]
    assert values(out, "kidnapped") == [5]
    assert any("done to people" in m.reason for m in out)
    out = counts("Police seized three tonnes of cannabis.")
    assert not [m for m in out if m.value.category in ("kidnapped", "killed")]


def test_ranking_against_the_year_is_not_background(counts):
    text = "At least nine people were killed on Monday in one of the deadliest attacks in the region this year."
    (m,) = [m for m in counts(text, published="2024-05-08") if m.value.category == "killed"]
    assert not m.value.background and "not background" in m.reason
    (m,) = [m for m in counts("So far this year, 40 people have been killed in the region.", published="2024-05-08")
            if m.value.category == "killed"]
    assert m.value.background


def test_rival_toll_is_not_a_stated_total(counts):
    out = counts("Police said five people died. A local rights group gave a higher toll of nine.")
    nine = [m for m in out if m.value.value == 9]
    assert nine and nine[0].value.category == "killed" and not nine[0].value.total
    assert "another source" in nine[0].reason
    out = counts("The death toll rose to nine.")
    assert [m.value.total for m in out if m.value.value == 9] == [True]
    # a source that gives its own figure, comparative word or not
    out = counts("Militiamen killed at least 12 people, the army said. Civil society leaders in the territory "
                 "gave a toll of 17.")
    (m,) = [m for m in out if m.value.value == 17]
    assert m.value.rival and not m.value.total


def test_a_lone_marcher_is_no_participant_count(counts):
    out = counts("A 40-year-old teacher who had joined the protest said police fired tear gas.")
    assert values(out, "participants") == []


def test_month_day_of_the_previous_year_is_background(counts):
    text = "Protests have been held every week since September 30, when police opened fire and killed 40 people."
    (m,) = [m for m in counts(text, published="2023-01-17") if m.value.category == "killed"]
    assert m.value.background and "year before publication" in m.reason
    text = "Police opened fire on December 30 and killed 40 people."
    (m,) = [m for m in counts(text, published="2023-01-02") if m.value.category == "killed"]
    assert not m.value.background


def test_person_conjoined_inside_an_of_phrase_is_another_group(counts):
    # the parse hangs "a Mexican policeman" on "gang", the object of "of", not on "members"
    out = counts("Three suspected members of a local criminal gang and a Mexican policeman were killed "
                 "in a shootout near the city of Celaya.")
    killed = live(out, "killed")
    assert [m.value.value for m in killed] == [3, 1]
    assert killed[1].value.who is not None and killed[0].value.who != killed[1].value.who
    assert killed[0].value.adds_to is None and killed[1].value.adds_to == "so_far"
    assert "inside 'of'" in killed[1].reason and "inside 'of'" in killed[0].reason


def test_a_figure_in_a_contrasting_while_clause_is_a_rival_source(counts):
    out = counts("Gunmen opened fire in a bar in Celaya on Saturday, killing at least six people, prosecutors said, "
                 "while local media put the toll at nine.")
    nine = [m for m in out if m.value.category == "killed" and m.value.value == 9]
    assert nine and nine[0].value.rival and not nine[0].value.total


def test_a_breakdown_part_of_a_revised_toll_is_no_total(resources, make_doc):
    from pipeline.stages.actors import ActorsStage
    from pipeline.stages.counts import CountsStage

    doc = make_doc("The committee first reported 15 dead on Monday. On Wednesday it said the toll had risen to 23, "
                   "among them five women and a baby.", published="2024-12-05")
    ActorsStage(ActorsStage.Config(factory="actors.v1"), resources)([doc])
    CountsStage(CountsStage.Config(factory="counts.v1"), resources)([doc])
    (part,) = [m for m in doc.layer("counts") if m.text == "five women"]
    assert part.value.part_of is not None and not part.value.total


def test_a_possessive_time_names_something_else_and_makes_no_background(counts):
    out = counts("Police fired on marchers in Beira on Thursday, killing at least four people, as protests over "
                 "last month's disputed vote spread.", published="2024-11-09")
    (m,) = [m for m in out if m.value.category == "killed"]
    assert m.value.value == 4 and not m.value.background
    out = counts("Four people were killed in clashes last month.", published="2024-11-09")
    assert all(m.value.background for m in out if m.value.category == "killed")
