"""actors.v1: dictionary aliases, composed state forces, context country, pass-through, roles."""

from __future__ import annotations

import json

import pytest

from pipeline.errors import ConfigError
from pipeline.stages.actors import ActorDictionary, ActorsStage, DEFAULT_DICTIONARY


@pytest.fixture(scope="module")
def stage(resources):
    return ActorsStage(ActorsStage.Config(factory="actors.v1"), resources)


@pytest.fixture(scope="module")
def actors(stage, make_doc):
    def _run(text: str):
        doc = make_doc(text)
        stage([doc])
        return doc.layers["actors"]

    return _run


def by_text(mentions):
    return {m.text: m.value for m in mentions}


def test_dictionary_is_large_and_well_typed():
    d = ActorDictionary.load(DEFAULT_DICTIONARY)
    assert len(d.entries) >= 150
    for name in ("Islamic State", "Al Shabaab", "Boko Haram", "Rapid Support Forces", "M23", "Houthis",
                 "Hezbollah", "Syrian Democratic Forces", "Asayish", "JNIM", "Islamic State West Africa Province",
                 "Military Forces of Myanmar", "Unidentified Armed Group", "Civilians", "Protesters", "Rioters"):
        assert name in d.entries, name
    assert {d.aliases[a] for a in ("ISIS", "ISIL", "IS", "Daesh", "Islamic State")} == {"Islamic State"}
    assert d.aliases["Tatmadaw"] == "Military Forces of Myanmar"
    assert d.aliases["Ansar Allah"] == "Houthis"


def test_bad_type_is_a_config_error(tmp_path):
    path = tmp_path / "actors.yaml"
    path.write_text("state_forces: []\nactors:\n  - {name: X, type: Gang, country: null, aliases: [x]}\n"
                    "state_force_heads: {military: [army], military_bare: [], police: [police], police_bare: []}\n")
    with pytest.raises(ConfigError, match="not an ACLED actor type"):
        ActorDictionary.load(path)


def test_aliases_and_transliterations_share_one_name(actors):
    found = by_text(actors("Al-Shabab fighters stormed a hotel. Officials blamed al-Shabaab and Daesh."))
    assert found["Al-Shabab fighters"].name == "Al Shabaab"  # the fighters are the group's
    assert found["al-Shabaab"].name == "Al Shabaab"
    assert found["Daesh"].name == "Islamic State"
    assert found["Daesh"].type == "Rebel group"


def test_demonym_forces_and_context_country(actors):
    found = by_text(actors("Nigerian troops repelled an attack in Borno. Security forces later arrested "
                           "two suspects, and protesters gathered outside the Nigerian parliament."))
    assert found["Nigerian troops"].name == "Military Forces of Nigeria"
    assert found["Nigerian troops"].country == "NG"
    assert found["Security forces"].name == "Military Forces of Nigeria"
    assert found["protesters"].name == "Protesters"
    assert found["protesters"].country == "NG"


def test_coordinated_demonyms_give_two_state_forces(actors):
    names = {m.value.name for m in actors("Kenyan and Somali security forces raided the camp.")}
    assert {"Military Forces of Kenya", "Military Forces of Somalia"} <= names


def test_generic_attackers_and_unknown_organisation(actors):
    found = by_text(actors("Gunmen kidnapped the director of the Zarqa Valley Farmers Union on Monday."))
    assert found["Gunmen"].name == "Unidentified Armed Group"
    unknown = [v for v in found.values() if v.type is None]
    assert unknown, "an organisation the dictionary lacks must pass through"
    assert all(v.name for v in unknown)


def test_roles_active_passive_and_by_agent(actors):
    found = by_text(actors("Houthi rebels attacked soldiers near Marib."))
    assert found["Houthi rebels"].role == "actor1"
    found = by_text(actors("Civilians were killed by Boko Haram in Borno."))
    assert found["Civilians"].role == "actor2"
    assert found["Boko Haram"].role == "actor1"
    found = by_text(actors("The army launched an offensive against the M23 in North Kivu."))
    assert found["M23"].role == "actor2"


def test_acronym_in_capital_headline_is_not_islamic_state(actors):
    names = {m.value.name for m in actors("POLICE SAY THE MAN IS DEAD AFTER CRASH")}
    assert "Islamic State" not in names


def test_seed_article_actors(shared_dir, stage, make_doc):
    art = json.loads((shared_dir / "corpus" / "seed-article.jsonl").read_text().splitlines()[0])
    doc = make_doc(art["text"], published=art["published"])
    stage([doc])
    names = [m.value.name for m in doc.layers["actors"]]
    assert "Islamic State" in names and "Asayish" in names
    assert "Military Forces of Iraq" in names
    first_force = next(m for m in doc.layers["actors"] if m.value.name == "Military Forces of Iraq")
    assert first_force.text.lower().startswith("iraqi counter-terrorism")
    for m in doc.layers["actors"]:
        assert doc.article.text[m.start:m.end] == m.text
        assert m.stage == "actors.v1" and m.reason


def test_acled_country_names_with_article(actors):
    names = {m.value.name for m in actors("United States warplanes struck sites near the port. The Philippine army said it had killed two rebels.")}
    assert "Military Forces of the United States" in names
    assert "Military Forces of the Philippines" in names


def test_marchers_are_protesters_and_linked_groups_are_named(actors):
    found = by_text(actors("About 300 teachers marched to the ministry in Nairobi on Monday."))
    assert any(v.name == "Protesters" and v.role == "actor1" for v in found.values())
    found = by_text(actors("Islamic State-linked insurgents raided the town."))
    assert found["Islamic State"].name == "Islamic State"
