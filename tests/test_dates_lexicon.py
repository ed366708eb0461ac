"""configs/dates/en.yaml: what the recognizer is compiled from equals its source."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from pipeline.config import PROJECT_ROOT
from pipeline.errors import ConfigError
from pipeline.temporal.grammar import Grammar
from pipeline.temporal.lexicon import Lexicon
from pipeline.temporal.resolve import resolve

SOURCE = PROJECT_ROOT / "configs" / "dates" / "en.yaml"


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.from_yaml(SOURCE)


@pytest.fixture(scope="module")
def grammar(lexicon) -> Grammar:
    return Grammar(lexicon)


def test_compiled_lexicon_equals_its_source(lexicon):
    assert lexicon.to_source() == yaml.safe_load(SOURCE.read_text(encoding="utf-8"))


def test_every_month_name_is_recognized_with_its_number(lexicon, grammar):
    for word, number in lexicon.months.items():
        name = word.capitalize() + ("." if len(word) <= 4 and word not in ("may", "june", "july") else "")
        found = grammar.find(f"It happened on {name} 5, 2020.")
        assert len(found) == 1, (word, found)
        assert found[0].spec.f["m"] == number and found[0].spec.f["d"] == 5 and found[0].spec.f["y"] == 2020


def test_every_weekday_name_is_recognized_with_its_number(lexicon, grammar):
    for word, number in lexicon.weekdays.items():
        name = word.capitalize() + ("." if word in lexicon.ambiguous_weekdays else "")
        found = grammar.find(f"They left on {name} after dark.")
        assert [m.spec.f.get("wd") for m in found] == [number], word


def test_every_number_word_and_unit_compiles_to_its_duration(lexicon, grammar):
    for word, value in lexicon.numbers.items():
        if value < 1 or word in ("a", "an"):
            continue
        found = grammar.find(f"The talks lasted {word} {'day' if value == 1 else 'days'}.")
        assert [m.spec.f["n"] for m in found] == [value], word
    for unit, code in lexicon.units.items():
        found = grammar.find(f"It took three {unit}s.")
        assert len(found) == 1 and found[0].spec.f["unit"] == code, unit


def test_every_vague_and_set_word_keeps_its_value(lexicon, grammar):
    for table, kind in ((lexicon.vague, "vague"), (lexicon.sets, "set")):
        for phrase, value in table.items():
            found = grammar.find(f"We heard {phrase}.")
            assert any(m.spec.kind == kind and m.spec.f["value"] == value and m.text.lower() == phrase for m in found), phrase


def test_relative_days_and_shifts_follow_the_source(lexicon, grammar):
    ref = dt.date(2022, 1, 30)
    for word, offset in lexicon.relative_days.items():
        (m,) = grammar.find(f"It ended {word}.")
        assert resolve(m.spec, ref, "past").start == ref + dt.timedelta(days=offset), word
    for word, shift in lexicon.shifts.items():
        (m,) = grammar.find(f"It starts {word} month.")
        expected = {-1: dt.date(2021, 12, 1), 0: dt.date(2022, 1, 1), 1: dt.date(2022, 2, 1)}[shift]
        assert resolve(m.spec, ref, None).start == expected, word


def test_bad_lexicon_is_a_config_error(tmp_path):
    bad = tmp_path / "en.yaml"
    bad.write_text("months: {January: 1}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="missing keys"):
        Lexicon.from_yaml(bad)
    data = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    data["months"]["January"] = 1
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ConfigError, match="lower-case"):
        Lexicon.from_yaml(bad)


def test_vague_not_past_words_must_be_vague_words(tmp_path):
    data = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    data["vague_not_past"] = ["soon", "shortly"]
    bad = tmp_path / "en.yaml"
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ConfigError, match="vague_not_past"):
        Lexicon.from_yaml(bad)
