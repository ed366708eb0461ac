"""counts.v1 on shooting reports: lone victims and their predicates, incident multipliers,
fired-at and attempted shootings, self-inflicted deaths and round-up tallies."""

from __future__ import annotations

import pytest

from pipeline.stages.actors import ActorsStage
from pipeline.stages.counts import CountsStage


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


def current(mentions, category):
    """Values of the current (not superseded, not background) counts of a category."""
    return [m.value.value for m in mentions
            if m.value.category == category and not m.value.superseded and not m.value.background]


def test_shot_to_death_is_killed_and_later_objects_wounded(counts):
    out = counts("A gunman shot two teenagers to death and two others in the park.")
    assert current(out, "killed") == [2]
    assert current(out, "injured") == [2]
    assert not any("gunman" in m.text for m in out)  # the subject of "shot ... to death" did it
    (k,) = [m for m in out if m.value.category == "killed"]
    assert "'to death'" in k.reason


def test_the_subject_of_an_active_perfect_shot_fired(counts):
    out = counts("A neighbour told police that her former partner had allegedly shot at her silver Honda Civic.")
    assert current(out, "injured") == [] and current(out, "killed") == []


def test_animals_are_not_casualties(counts):
    out = counts("Rex, a 5-year-old terrier, was shot and killed after wandering into a neighbour's yard.")
    assert current(out, "killed") == []
    out = counts("Gunmen killed 40 cattle and two herders near the village.")
    assert current(out, "killed") == [2]


def test_fired_at_is_not_hit(counts):
    assert current(counts("The officer shot at the suspects as they drove off."), "injured") == []
    assert current(counts("A man was shot at a bus stop on Friday."), "injured") == [1]


def test_gunshot_wounds_are_casualties_that_may_have_died(counts):
    out = counts("Officers found two men with gunshot wounds. One of the men was pronounced dead at the scene.")
    assert current(out, "killed") == [1]
    assert current(out, "injured") == [1]
    assert any("gunshot wound" in m.reason for m in out)


def test_noun_predicates_of_a_lone_victim(counts):
    assert current(counts("A man suffered a gunshot wound to his hand during the robbery."), "injured") == [1]
    assert current(counts("A shooting left a woman in critical condition on Friday."), "injured") == [1]
    assert current(counts("A man is fighting for his life after being shot twice at a party."), "injured") == [1]
    assert current(counts("A man was charged with murder on Monday."), "killed") == []
    # the active gerund names the shooter, not a victim
    assert current(counts("A 70-year-old man is accused of shooting a neighbor's dog."), "injured") == []
    out = counts("She pistol-whipped the man before shooting him in the leg.")
    assert [m.text for m in out if m.value.category == "injured"] == ["him"]


def test_attempted_and_wanted_shootings_count_nobody(counts):
    assert current(counts("A woman tried to shoot a man at an intersection, police said."), "injured") == []
    assert current(counts("He said he wanted to kill a neighbor."), "killed") == []
    assert current(counts("The man could have been killed, the sheriff said."), "killed") == []
    assert current(counts("The suspect told officers they were going to have to kill him."), "killed") == []
    assert current(counts("A man was shot on Friday. He would die two days later."), "killed") == [1]  # narrative


def test_neither_nor_is_nobody(counts):
    out = counts("Neither the driver nor his two sons were injured.")
    assert current(out, "injured") and set(current(out, "injured")) == {0}
    assert any("neither" in m.reason for m in out)


def test_possessive_and_object_victims(counts):
    out = counts("A 60-year-old man fatally shot his wife on Friday.")
    assert [(m.text, m.value.value) for m in out if m.value.category == "killed"] == [("wife", 1)]
    assert current(counts("Police said she shot him in the leg."), "injured") == [1]


def test_his_injuries_is_one_hurt_unless_he_died(counts):
    assert current(counts("His injuries were not life-threatening, police said."), "injured") == [1]
    out = counts("A man was found on the sidewalk. He died of his injuries at a hospital.")
    assert current(out, "killed") == [1] and not any(current(out, "injured"))  # none, or "shot minus killed" = 0


def test_incident_multipliers(counts):
    out = counts("Police said a triple shooting left one man dead.")
    assert current(out, "killed") == [1]
    assert current(out, "injured") == [2]
    out = counts("Detectives are investigating a double homicide in the suburb.")
    assert current(out, "killed") == [2]


def test_recovering_and_hit_by_gunfire(counts):
    out = counts("One person is recovering and another died at the scene.")
    assert current(out, "injured") == [1] and current(out, "killed") == [1]
    assert current(counts("Two people were hit by gunfire near the park."), "injured") == [2]


def test_headline_lone_victim(counts):
    assert current(counts("Man shot in leg in west Denver"), "injured") == [1]


def test_hospitalized_then_died_is_one_killed(counts):
    out = counts("A teenager was hospitalized after the shooting on Saturday. He later died.")
    assert current(out, "killed") == [1]
    assert current(out, "injured") == []


def test_a_shooter_who_killed_himself_covers_no_victim(counts):
    out = counts("He shot his wife and then killed himself. She is in critical condition.")
    assert 1 in current(out, "injured")
    assert any(m.value.self_inflicted for m in out if m.value.category == "killed")
    out = counts("A man shot his neighbor and then killed himself, deputies said.")
    assert current(out, "injured") == [1] and current(out, "killed") == [1]


def test_background_tally_does_not_absorb_the_shot(counts):
    out = counts("Two men were shot on Elm Street on Monday. Five people have been killed in the city so far this year.")
    assert current(out, "injured") == [2]


def test_address_numbers_are_not_past_years(counts):
    out = counts("Two people were injured in a shooting in the 1900 block of Oak Avenue.", published="2018-02-24")
    assert current(out, "injured") == [2]
    out = counts("In 2015, two people were injured at the same party.", published="2018-02-24")
    assert current(out, "injured") == []


def test_round_ups_are_background(counts):
    out = counts("Police are investigating three shootings overnight that wounded four people.")
    assert current(out, "injured") == [] and any(m.value.background for m in out)
    out = counts("Six people have been shot over the past two days in the city.")
    assert current(out, "injured") == []
    out = counts("A man was shot in the arm on Friday. Related Articles Woman found dead in her home after a fire")
    assert current(out, "injured") == [1] and current(out, "killed") == []


def test_murder_suicide_counts_both(counts):
    out = counts("A 72-year-old man fatally shot his wife and then himself at their home.")
    assert current(out, "killed") == [2]
    assert not any("72-year-old" in m.text for m in out)


def test_taken_to_a_hospital_is_a_casualty(counts):
    out = counts("Police said two people were taken to a hospital after the gunfire on Main Street.")
    assert current(out, "injured") == [2]
    out = counts("A woman was found in the street. She was taken to Mercy Hospital, where she died.")
    assert current(out, "killed") == [1] and not any(current(out, "injured"))
    assert any("taken to a hospital" in m.reason for m in out)


def marked(mentions, rule):
    return [m.text for m in mentions if m.value.adds_to == rule]


def test_other_people_are_marked_to_add_up(counts):
    out = counts("A man was shot on Elm Street on Sunday. Two other men were wounded a block away.")
    assert marked(out, "previous") == ["Two other men"]
    out = counts("Two men were shot on Elm Street. One died at the scene. The other was taken to a hospital.")
    assert marked(out, "previous") == [] and marked(out, "so_far") == []
    # contrast within the sentence, and the attacker's "other", are not other victims
    out = counts("Gunfire erupted at a bar on Sunday, killing one man and injuring another.")
    assert marked(out, "previous") == []
    out = counts("A man was arrested after he shot another man in the leg on Main Street.")
    assert marked(out, "previous") == []
    assert current(out, "injured") == [1]


def test_second_indefinite_victim_of_a_sentence_adds(counts):
    out = counts("A man was shot in the leg and a woman was shot in the arm outside the club.")
    assert marked(out, "so_far") == ["a woman"]
    assert current(out, "injured") == [1, 1]  # no longer a restatement
    out = counts("A man was shot in the leg. He was taken to a hospital.")
    assert marked(out, "so_far") == []


def test_shooter_death_after_his_victim_adds_once(counts):
    out = counts("Deputies found a woman dead in the kitchen on Sunday. Her husband later killed himself "
                 "in a car nearby. He was pronounced dead at the scene.")
    assert [m.text for m in out if m.value.adds_to == "so_far" and m.value.self_inflicted] == ["husband"]
    assert len(marked(out, "so_far")) == 1
    # a shooter who dies alone is the first killed, not an addition
    out = counts("A man shot himself after a standoff with police on Sunday.")
    assert marked(out, "so_far") == []


def test_repeated_sentence_restates_its_counts(counts):
    lede = "Two people were shot outside a gas station on Friday night, police said."
    out = counts(f"{lede} Both were taken to a hospital. {lede}")
    injured = [m for m in out if m.value.category == "injured" and m.value.value == 2 and "Two people" in m.text]
    assert [m.value.superseded for m in injured] == [False, True]
    assert "word for word" in injured[1].reason


def test_murder_suicide_with_then_joined_to_the_verb(counts):
    out = counts("MILLTOWN, Ind. -- A 58-year-old woman fatally shot her husband and then herself on Sunday, "
                 "deputies said.")
    assert current(out, "killed") == [2]
    out = counts("A 50-year-old man fatally shot his brother and himself on Monday, police said.")
    assert current(out, "killed") == [2]


def figures(mentions):
    """The incident's killed and injured figures, as the GVA scorer reduces them."""
    from pipeline.eval.counts_gva import reduce_counts
    return reduce_counts(mentions, "killed")[0], reduce_counts(mentions, "injured")[0]


def test_other_people_are_not_among_the_dead_of_their_sentence(counts):
    # "another", "a second man", "a third": besides the dead, never the shot who died
    assert figures(counts("One woman died and another was hospitalized after the shooting on Ridge Road.")) == (1, 1)
    assert figures(counts("Two men were killed and a third was wounded in a shooting outside the depot.")) == (2, 1)
    assert figures(counts("The driver, a 52-year-old man, died of his injuries. A second man who was shot "
                          "survived.")) == (1, 1)
    out = counts("One woman died and another was hospitalized after the shooting on Ridge Road.")
    (other,) = [m for m in out if m.text == "another"]
    assert "shot minus" not in other.reason


def test_a_killed_part_of_the_shot_is_no_breakdown(counts):
    # the dead among the shot are a killed figure; the rest are the wounded
    assert figures(counts("Four people were shot, including one who died.")) == (1, 3)
    assert figures(counts("Deputies found three men with gunshot wounds. One of them later died.")) == (1, 2)
    # a killed total keeps its killed parts
    out = counts("Five people were killed, two of them children.")
    assert figures(out) == (5, 0)


def test_the_body_of_and_the_life_of_name_the_dead(counts):
    assert figures(counts("Hikers found the body of a man with gunshot wounds near the trail.")) == (1, 0)
    assert figures(counts("Detectives are investigating the death of a woman found shot in her car.")) == (1, 0)
    assert figures(counts("The shooting claimed the life of a 31-year-old bus driver.")) == (1, 0)
    assert figures(counts("A teenager lost his life in a shooting on Saturday.")) == (1, 0)
    # the body of a thing is no person
    assert figures(counts("A bullet struck the body of a parked truck.")) == (0, 0)


def test_the_subject_of_an_active_relative_clause_did_it(counts):
    out = counts("Deputies are looking for a man who shot a taxi driver on Tuesday. The driver was treated for a "
                 "wound to the hand.")
    assert figures(out) == (0, 1)
    assert not any(m.text == "a man" for m in out)
    # the passive relative clause is the victim's own
    assert figures(counts("Officers found a man who had been shot in the back.")) == (0, 1)
    # the subject of a reflexive relative clause is the one hurt
    assert figures(counts("Officers said a man who shot himself in the leg was taken to a hospital.")) == (0, 1)


def test_another_victim_in_a_later_sentence_is_no_restatement(counts):
    assert figures(counts("A man was shot twice by a masked gunman. Another man was shot in the foot.")) == (0, 2)


def test_a_victim_who_drove_himself_to_hospital_is_no_shooter(counts):
    out = counts("A woman was found shot dead in a car on Birch Road. Police said a second victim drove himself "
                 "to a hospital with a gunshot wound.")
    assert figures(out) == (1, 1)
    assert not any(m.value.self_inflicted for m in out)


def test_an_intruder_is_a_person(counts):
    assert figures(counts("A homeowner shot and killed an intruder early Thursday, deputies said.")) == (1, 0)
