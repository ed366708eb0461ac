"""actors.v1 context rules: sources, claims, anaphora, appositives, crowds, victims, country context, roles.

Every example is a short news-style sentence written for this test.
"""

from __future__ import annotations

import json

import pytest

from pipeline.data import Mention, PlaceValue
from pipeline.errors import ConfigError
from pipeline.stages.actors import (ACLED_TYPES, ActorDictionary, ActorsStage, DEFAULT_DICTIONARY, Matchers,
                                    main_country)


@pytest.fixture(scope="module")
def stage(resources):
    return ActorsStage(ActorsStage.Config(factory="actors.v1"), resources)


@pytest.fixture(scope="module")
def run(stage, make_doc):
    def _run(text: str, places: list[tuple[str, str]] = ()):
        doc = make_doc(text)
        for surface, code in places:  # a places layer as the places stage would leave it
            at = text.index(surface)
            doc.layers.setdefault("places", []).append(Mention(
                at, at + len(surface), surface, "GPE", "places.v1",
                PlaceValue(surface, None, None, None, code, None, "city")))
        stage([doc])
        return doc.layers["actors"]

    return _run


def names(mentions) -> list[str]:
    return [m.value.name for m in mentions]


def by_text(mentions):
    return {m.text: m.value for m in mentions}


# --- dictionary ---------------------------------------------------------------


def test_every_entry_has_an_acled_type_and_a_known_country():
    d = ActorDictionary.load(DEFAULT_DICTIONARY)
    codes = {c.code for c in d.countries}
    assert len(d.entries) >= 150 and len(codes) >= 100
    for entry in d.entries.values():
        assert entry.type in ACLED_TYPES, entry
        assert entry.country is None or entry.country in codes | {"CY", "EH"}, entry
    for c in d.countries:  # state forces per country, named as ACLED does
        for kind in ("Military Forces of", "Police Forces of", "Government of"):
            assert f"{kind} {c.display}" in d.entries, (kind, c.name)


def test_yaml_boolean_in_a_word_list_is_a_config_error(tmp_path):
    path = tmp_path / "actors.yaml"
    path.write_text("actors: []\nroles:\n  target_preps: [against, on]\n"
                    "state_force_heads: {military: [army], military_bare: [], police: [police], police_bare: []}\n")
    with pytest.raises(ConfigError, match="quote words"):
        ActorDictionary.load(path)


def test_mixed_case_acronym_matches_only_as_written(run):
    assert "Lashkar-e-Taiba" not in names(run("Police let the crowd pass the checkpoint."))
    assert "Lashkar-e-Taiba" in names(run("Officials blamed LeT for the attack."))


# --- named groups -----------------------------------------------------------------


def test_named_group_spans_the_noun_it_modifies(run):
    found = by_text(run("RSF fighters looted the main market on Saturday."))
    assert found["RSF fighters"].name == "Rapid Support Forces"
    assert found["RSF fighters"].role == "actor1"


def test_affiliation_of_a_named_group_is_not_a_second_actor(run):
    found = names(run("The al-Qaeda-linked al-Shabab group attacked a base near Kismayo."))
    assert "Al Shabaab" in found and "Al Qaeda" not in found
    assert "Islamic State" in names(run("Islamic State-linked insurgents raided the town."))


def test_territory_held_by_a_group_is_not_the_group(run):
    assert "Rapid Support Forces" not in names(run("An air strike hit a market in the RSF-held town of Nyala."))


def test_parenthesis_names_the_generic_force(run):
    found = run("Among the dead were 79 security forces (Asayish) and prison guards.")
    forces = next(m for m in found if m.text == "security forces")
    assert forces.value.name == "Asayish" and "parenthesis" in forces.reason


def test_generic_of_a_named_group_is_that_group(run):
    found = by_text(run("Gunmen of the 400 Mawozo gang attacked a village on Tuesday."))
    assert found["Gunmen"].name == "400 Mawozo"


def test_un_peacekeepers_are_the_mission_in_the_country(run):
    found = names(run("UN peacekeepers handed over their camp in Mali to the army on Tuesday."))
    assert "MINUSMA" in found and "MONUSCO" not in found


# --- sources and claims -------------------------------------------------------------


def test_source_of_a_report_is_not_an_actor(run):
    found = run("A roadside bomb killed two soldiers near Kirkuk, police said. Residents said they heard a blast.")
    assert "Police Forces of Iraq" not in names(found)
    assert all(m.text != "Residents" for m in found)
    found = run("Shells hit the camp, according to residents and a police official.")
    assert "Civilians" not in names(found) and not any(n.startswith("Police") for n in names(found))


def test_monitors_and_news_agencies_are_not_actors(run):
    found = run("The Syrian Observatory for Human Rights put the toll at 40. SOHR said more bodies were found. "
                "A report by Human Rights Watch described abuses in the camp.")
    assert not any("Observatory" in n or n == "SOHR" or "Human Rights Watch" in n for n in names(found))


def test_claim_of_the_reported_act_is_actor1(run):
    found = run("The Arakan Army said on Tuesday it had taken control of the town.")
    claim = next(m for m in found if m.value.name == "Arakan Army")
    assert claim.value.role == "actor1" and "claims" in claim.reason


def test_whoever_is_blamed_is_the_initiator(run):
    found = run("The army blamed the ELN for the bombing.")
    assert by_text(found)["ELN"].role == "actor1"
    assert "Military Forces of Colombia" not in names(found)  # the accuser is a source


def test_subject_of_a_negated_verb_takes_no_part(run):
    found = run("About 300 teachers marched to the ministry in Kenya, and police did not intervene.")
    assert "Police Forces of Kenya" not in names(found)


# --- anaphora ---------------------------------------------------------------------


def test_definite_attackers_refer_to_the_named_group(run):
    found = run("Boko Haram fighters raided the village on Sunday. The attackers fled into the forest.")
    attackers = next(m for m in found if m.text == "attackers")
    assert attackers.value.name == "Boko Haram" and attackers.value.role == "actor1"


def test_indefinite_gunmen_stay_unidentified_and_are_antecedents(run):
    found = run("Gunmen attacked a bus in Nigeria on Monday. The attackers escaped on motorcycles.")
    assert names(found).count("Unidentified Armed Group") == 2


def test_definite_militants_without_antecedent_are_not_invented(run):
    assert not run("The militants withdrew before dawn.")


def test_anaphor_is_not_the_subject_of_its_own_clause(run):
    found = run("Islamic State claimed the bombing in Kabul. Taliban officials said they had detained "
                "a man accused of sheltering the attacker.")
    attacker = next(m for m in found if m.text == "attacker")
    assert attacker.value.name == "Islamic State"


def test_cartel_gunmen_are_the_named_cartel(run):
    found = run("Soldiers captured a leader of the Sinaloa Cartel. Hours later cartel gunmen ambushed an army convoy.")
    assert by_text(found)["cartel gunmen"].name == "Sinaloa Cartel"


def test_phrase_named_by_its_appositive(run):
    found = run("The rebel coalition, known as the Permanent Strategic Framework, claimed it had killed 25 soldiers.")
    coalition = next(m for m in found if m.text == "coalition")
    assert coalition.value.name == "CSP-PSD" and coalition.value.role == "actor1"


# --- state forces and countries --------------------------------------------------------


def test_force_noun_modifying_an_action_or_post(run):
    found = run("In Sudan, an army air strike hit a market. Gunmen attacked a police station. A police car burned.")
    strike = next(m for m in found if m.text == "army")
    assert strike.value.name == "Military Forces of Sudan" and strike.value.role == "actor1"
    station = next(m for m in found if m.text == "police")
    assert station.value.name == "Police Forces of Sudan" and station.value.role == "actor2"
    assert len([m for m in found if m.value.name.startswith("Police")]) == 1  # not the car


def test_force_owned_by_an_organisation_is_not_the_country(run):
    found = names(run("In Somalia, African Union troops handed over a base to the army."))
    assert "African Union Mission" in found
    assert found.count("Military Forces of Somalia") == 1  # only "the army"


def test_officers_are_police_only_near_police(run):
    assert "Military Forces of Mali" in names(run("The handover was attended by Malian officers and diplomats."))
    found = run("Police in Kenya fired tear gas. Two officers were injured by stones.")
    assert by_text(found)["officers"].name == "Police Forces of Kenya"


def test_country_names_acting(run):
    found = run("Drones launched by Russia struck a depot near Kyiv.")
    assert "Military Forces of Russia" in names(found)
    found = by_text(run("Kyrgyzstan and Tajikistan agreed on a ceasefire on Friday."))
    assert found["Kyrgyzstan"].name == "Government of Kyrgyzstan" and found["Kyrgyzstan"].role == "actor1"
    assert found["Tajikistan"].name == "Government of Tajikistan" and found["Tajikistan"].role == "actor2"


def test_dateline_country_wins_when_the_story_returns_to_it(run):
    text = ("TBILISI — Riot police dispersed crowds outside parliament over a law critics compare to Russian "
            "legislation. Russian officials said the law was an internal matter. Georgia's president vetoed it.")
    found = run(text, places=[("TBILISI", "GE"), ("Georgia", "GE")])
    assert by_text(found)["Riot police"].name == "Police Forces of Georgia"


def test_bureau_dateline_alone_does_not_decide(stage, make_doc):
    d = ActorDictionary.load(DEFAULT_DICTIONARY)
    m = Matchers.build(d)
    text = "BEIRUT — Security forces shelled Idlib and Hama, and Syrian state media said the army advanced."
    doc = make_doc(text)
    doc.layers["places"] = [Mention(text.index(p), text.index(p) + len(p), p, "GPE", "places.v1",
                                    PlaceValue(p, None, None, None, c, None, "city"))
                            for p, c in (("BEIRUT", "LB"), ("Idlib", "SY"), ("Hama", "SY"))]
    assert main_country(doc, m, d) == "SY"


# --- crowds and victims ----------------------------------------------------------------


def test_protesters_who_burn_are_rioters(run):
    found = by_text(run("In Kenya, protesters set fire to a police post and looted shops."))
    assert found["protesters"].name == "Rioters" and found["protesters"].role == "actor1"


def test_marchers_are_protesters_not_civilians(run):
    found = run("Hundreds of students marched to the ministry on Sunday.")
    assert names(found) == ["Protesters"]


def test_holders_of_a_rally_are_protesters_and_take_its_role(run):
    found = run("Police fired tear gas to break up a rally by thousands of opposition supporters.")
    crowd = next(m for m in found if m.value.name == "Protesters")
    assert crowd.value.role == "actor2" and "rally" in crowd.reason


def test_crowd_using_violence_is_rioters(run):
    found = run("A crowd beat a man to death after accusing him of theft.")
    assert by_text(found)["A crowd"].name == "Rioters"


def test_predicate_nominal_is_not_an_actor(run):
    found = run("Those who burn property are not protesters, they are criminals, the minister said.")
    assert "Protesters" not in names(found)


def test_people_killed_are_civilians(run):
    found = run("Gunmen killed nine people in a village on Sunday.")
    people = next(m for m in found if m.text == "people")
    assert people.value.name == "Civilians" and people.value.role == "actor2"


def test_people_named_otherwise_are_not_civilians(run):
    found = run("The bomber killed nine people, including six police officers.")
    assert all(m.text != "people" for m in found)
    found = run("Army drones struck rebel vehicles, killing seven people.")
    assert "Civilians" not in names(found)


def test_civilians_are_never_initiators(run):
    found = run("Villagers fled into the bush as the fighting spread.")
    assert by_text(found)["Villagers"].role == "actor2"


# --- roles ------------------------------------------------------------------------------


def test_roles_of_parties_to_a_clash(run):
    found = by_text(run("Troops in Somalia battled with al-Shabaab militants for hours."))
    assert found["al-Shabaab militants"].role == "actor2"
    found = by_text(run("Fano militia and Ethiopian troops clashed in Debre Markos."))
    assert found["Fano militia"].role == "actor1" and found["Ethiopian troops"].role == "actor2"


def test_owner_of_what_was_hit_is_the_target(run):
    houthis = next(m for m in run("Warplanes struck a radar used by the Houthis near Hodeidah.") if m.text == "Houthis")
    assert houthis.value.role == "actor2" and "owner of 'radar'" in houthis.reason


def test_seed_parenthesis_and_monitor(shared_dir, stage, make_doc):
    art = json.loads((shared_dir / "corpus" / "seed-article.jsonl").read_text().splitlines()[0])
    doc = make_doc(art["text"], published=art["published"])
    stage([doc])
    found = doc.layers["actors"]
    forces = [m for m in found if m.text.lower() == "security forces"]
    assert forces and all(m.value.name == "Asayish" for m in forces)
    assert not any("Observatory" in m.value.name or m.value.name == "SOHR" for m in found)


# --- perpetrators named later, attributions, affiliations ------------------------------


def test_unnamed_bomber_is_the_group_that_claims_the_attack(run):
    found = run("A suicide bomber struck a checkpoint in Quetta on Saturday, killing nine people. "
                "The Balochistan Liberation Army claimed responsibility for the attack.")
    bomber = next(m for m in found if m.text == "suicide bomber")
    assert bomber.value.name == "Balochistan Liberation Army" and "unnamed perpetrator" in bomber.reason
    assert bomber.value.role == "actor1"


def test_unnamed_gunmen_stay_unidentified_without_a_claim(run):
    found = by_text(run("Gunmen opened fire on a bus near Kaduna on Sunday. Police said an inquiry had been opened."))
    assert found["Gunmen"].name == "Unidentified Armed Group"


def test_unnamed_gunmen_are_the_group_they_are_said_to_belong_to(run):
    found = run("Gunmen burst into a bar in Celaya and opened fire on customers. "
                "State officials said the gunmen belonged to the Sinaloa Cartel.")
    assert all(m.value.name == "Sinaloa Cartel" for m in found if m.text.lower() == "gunmen")


def test_attackers_from_a_named_group_are_that_group(run):
    found = by_text(run("The attackers, from Boko Haram, entered the village at dawn."))
    assert found["attackers"].name == "Boko Haram"


def test_blamed_on_names_the_initiator(run):
    houthis = next(m for m in run("Government officials blamed the mine on the Houthis.") if m.text == "Houthis")
    assert houthis.value.role == "actor1" and "blamed" in houthis.reason


def test_claim_through_one_of_its_fighters(run):
    found = [m for m in run("Al-Shabab said in a statement that one of its fighters had carried out the bombing.")
             if m.value.name == "Al Shabaab"]
    assert found and found[0].value.role == "actor1" and "claims" in found[0].reason


def test_member_of_a_group_who_speaks_is_a_source(run):
    found = run("The victims were killed by two bombs, a member of the local Arakan Army said by phone.")
    assert "Arakan Army" not in names(found)


def test_definite_linked_description_is_the_group_named_by_its_acronym(run):
    found = run("The al Qaeda-linked group, known by its acronym JNIM, said it had destroyed several vehicles.")
    assert "Al Qaeda" not in names(found)
    group = next(m for m in found if m.text == "group")
    assert group.value.name == "JNIM"


# --- crowds, victims, force nouns ---------------------------------------------------


def test_police_subject_of_a_conjoined_clause_is_not_a_crowd(run):
    found = run("Thousands of workers marched through Gazipur on Sunday, and a day later police opened fire "
                "on workers blocking a highway.", places=[("Gazipur", "BD")])
    police = next(m for m in found if m.text == "police")
    assert police.value.name == "Police Forces of Bangladesh"


def test_month_march_is_no_protest_and_gangs_are_no_crowd(run):
    assert "Protesters" not in names(run("Gangs stormed the two largest prisons in early March."))


def test_people_killed_participle_are_civilians(run):
    found = by_text(run("The number of people killed when a bomber blew himself up rose to 14."))
    assert found["people"].name == "Civilians" and found["people"].role == "actor2"


def test_military_adjective_on_a_means_is_the_force(run):
    found = run("Nine villagers were killed when a military jet bombed a village near Shwebo.",
                places=[("Shwebo", "MM")])
    assert "Military Forces of Myanmar" in names(found)


def test_officers_are_police_when_police_were_named_two_sentences_before(run):
    found = run("Police fired tear gas at workers in Dhaka. One worker died in hospital. "
                "Workers said they had been sitting on the road when officers moved in.", places=[("Dhaka", "BD")])
    officers = next(m for m in found if m.text == "officers")
    assert officers.value.name.startswith("Police Forces")


# --- rules added for the mixed-c dev batch (own examples) ----------------------------------

def test_indefinite_attacker_is_not_the_group_named_before(run):
    out = run("PATTANI, Thailand — The BRN and Thai officials will hold talks next week. "
              "On Sunday, an attacker threw a grenade at a police checkpoint in Pattani.")
    attacker = [m for m in out if m.text == "attacker"]
    assert names(attacker) == ["Unidentified Armed Group"]


def test_habitual_claim_is_no_claim_of_the_act(run):
    out = run("YALA, Thailand — Gunmen shot dead a village headman in Yala on Friday. "
              "The BRN rarely claims attacks.")
    gunmen = [m for m in out if m.text == "Gunmen"]
    assert names(gunmen) == ["Unidentified Armed Group"]
    assert "claims" not in gunmen[0].reason


def test_demonym_and_force_noun_modifying_one_noun(run):
    out = run("HEBRON, West Bank — On Monday, Israeli army bulldozers razed three homes near Hebron.")
    army = [m for m in out if "army" in m.text]
    assert names(army) == ["Military Forces of Israel"]
    assert "modify the same noun" in army[0].reason


def test_bare_government_signing_a_deal_is_the_main_countrys_government(run):
    out = run("Ethiopia's government on Friday said the talks had resumed. "
              "In Addis Ababa, the government signed a ceasefire with a rebel faction on Monday.",
              places=[("Addis Ababa", "ET")])
    gov = [m for m in out if m.text == "government" and "sign" in m.reason]
    assert names(gov) == ["Government of Ethiopia"]


def test_bare_government_that_accuses_is_not_an_actor(run):
    out = run("The government accused the opposition of stirring unrest in Caracas.",
              places=[("Caracas", "VE")])
    assert "Government of Venezuela" not in names(out)


def test_state_authority_org_is_the_government(run):
    out = run("TRIPOLI — The General Authority for Missing Persons uncovered a mass grave near Sirte on Friday.",
              places=[("Sirte", "LY")])
    assert "Government of Libya" in names(out)
    assert any("state body" in m.reason for m in out)


def test_separatist_fighters_take_the_countrys_movement(run):
    out = run("BUEA, Cameroon — Separatist fighters kidnapped four teachers in Buea on Tuesday.",
              places=[("Buea", "CM")])
    assert names(out)[:1] == ["Ambazonian separatists"]
    assert "Civilians" in names(out)  # the teachers
    assert any("country_groups" in m.reason for m in out)


def test_separatists_elsewhere_stay_unresolved(run):
    out = run("Separatist fighters attacked a checkpoint near Kidal on Tuesday.", places=[("Kidal", "ML")])
    assert "Ambazonian separatists" not in names(out)


def test_worshippers_who_march_are_protesters(run):
    out = run("Police fired tear gas at worshippers who marched from a mosque in Zahedan on Friday.",
              places=[("Zahedan", "IR")])
    w = [m for m in out if m.text == "worshippers"]
    assert names(w) == ["Protesters"]
    assert "relative clause" in w[0].reason


def test_residents_association_is_no_actor(run):
    out = run("A residents' association said three people were killed in the raid in Rio de Janeiro.",
              places=[("Rio de Janeiro", "BR")])
    assert not any(m.text == "residents" for m in out)


def test_mission_documenting_an_act_does_not_claim_it(run):
    out = run("BANGUI — MINUSCA said it had documented the killing of two farmers near Bouar by armed men.",
              places=[("Bouar", "CF")])
    assert not any(m.value.name == "MINUSCA" and m.value.role == "actor1" for m in out)


def test_dictionary_aliases_for_state_branches(run):
    out = run("Members of the Bolivarian National Guard dispersed a march in Valencia. "
              "Two paramilitary rangers were wounded by a bomb in Yala.")
    assert "Military Forces of Venezuela" in names(out)
    assert "Military Forces of Thailand" in names(out)
