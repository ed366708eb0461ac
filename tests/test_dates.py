"""The dates stage (dates.v1): resolution against the publication date, tense, ranges,
unresolved relative dates without a publication date, background and inconsistency flags."""

from __future__ import annotations

import pytest

from pipeline.config import DEFAULT_CONFIG
from pipeline.data import DateValue
from pipeline.errors import ConfigError
from pipeline.registry import get_factory

PUB = "2022-01-30"  # a Sunday


@pytest.fixture(scope="module")
def stage(resources):
    factory = get_factory("dates.v1")
    config = factory.Config.model_validate({"factory": "dates.v1"}, context={"base_dir": DEFAULT_CONFIG.parent})
    s = factory(config, resources)
    s.warm_up()
    return s


@pytest.fixture(scope="module")
def dates(stage, make_doc):
    """``dates(text, published)`` → {mention text: Mention} after the stage ran."""

    def _run(text: str, published: str | None = PUB):
        doc = make_doc(text, published=published)
        stage([doc])
        mentions = doc.layers["dates"]
        for m in mentions:  # the contract every mention keeps
            assert text[m.start:m.end] == m.text
            assert m.stage == "dates.v1" and m.reason
            assert isinstance(m.value, DateValue) and m.label == m.value.timex_type
            assert m.sent == doc.sent_of(m.start)
        return {m.text: m for m in mentions}

    return _run


def span(m):
    return (m.value.start, m.value.end, m.value.precision)


def test_registered_with_layers_and_config():
    factory = get_factory("dates.v1")
    assert factory.requires == {"doc"} and factory.provides == {"dates"}
    with pytest.raises(Exception):
        factory.Config.model_validate({"factory": "dates.v1", "no_such_key": 1})


def test_past_tense_weekday_is_most_recent_on_or_before_publication(dates):
    got = dates("Gunmen attacked the prison on Thursday. Police said on Sunday that the raid failed.")
    assert span(got["Thursday"]) == ("2022-01-27", "2022-01-27", "day")
    # Sunday is the publication weekday: the publication day itself, not a week earlier.
    assert span(got["Sunday"]) == ("2022-01-30", "2022-01-30", "day")
    assert "past tense" in got["Thursday"].reason


def test_weekday_with_day_part_and_modifier(dates):
    got = dates("The shelling began late Tuesday and went on Friday night.")
    assert span(got["late Tuesday"])[0] == "2022-01-25"
    night = got["Friday night"]
    assert night.value.timex_type == "TIME" and night.value.timex_value == "2022-01-28TNI"
    assert night.value.start == "2022-01-28"


def test_future_tense_weekday_is_the_next_one(dates):
    got = dates("The two sides will meet on Tuesday.")
    assert span(got["Tuesday"])[0] == "2022-02-01"
    assert "future" in got["Tuesday"].reason


@pytest.mark.parametrize("phrase, expected, value", [
    ("yesterday", ("2022-01-29", "2022-01-29", "day"), "2022-01-29"),
    ("last week", ("2022-01-17", "2022-01-23", "week"), "2022-W03"),
    ("two days ago", ("2022-01-28", "2022-01-28", "day"), "2022-01-28"),
    ("earlier this month", ("2022-01-01", "2022-01-31", "month"), "2022-01"),
    ("last month", ("2021-12-01", "2021-12-31", "month"), "2021-12"),
    ("in 2014", ("2014-01-01", "2014-12-31", "year"), "2014"),
])
def test_relative_and_calendar_expressions(dates, phrase, expected, value):
    got = dates(f"The fighting broke out {phrase}, residents said.")
    m = next(m for t, m in got.items() if t in phrase)
    assert span(m) == expected and m.value.timex_value == value


def test_dates_without_year_take_the_closest_past_occurrence(dates):
    got = dates("The militants stormed the jail on January 21st and the curfew was lifted on the 30th.")
    assert span(got["January 21st"]) == ("2022-01-21", "2022-01-21", "day")
    assert span(got["the 30th"]) == ("2022-01-30", "2022-01-30", "day")
    got = dates("The army withdrew in March.")
    assert span(got["March"]) == ("2021-03-01", "2021-03-31", "month")
    got = dates("The drone struck the car on the afternoon of the 24th.")
    assert span(got["the 24th"]) == ("2022-01-24", "2022-01-24", "day")


@pytest.mark.parametrize("text, phrase, expected", [
    ("Curfew was imposed from the 22nd of January until the 30th.", "the 22nd of January until the 30th",
     ("2022-01-22", "2022-01-30", "day")),
    ("Talks were held between March 3 and 5, 2021.", "March 3 and 5, 2021", ("2021-03-03", "2021-03-05", "day")),
    ("Protests took place Thursday to Saturday.", "Thursday to Saturday", ("2022-01-27", "2022-01-29", "day")),
])
def test_ranges_are_spans(dates, text, phrase, expected):
    assert span(dates(text)[phrase]) == expected


def test_weekday_contradicting_explicit_date_is_recorded(dates):
    got = dates("The attack began on Thursday, January 21st, 2022.")
    m = got["Thursday, January 21st, 2022"]
    assert span(m)[0] == "2022-01-21"  # the explicit date wins
    assert m.value.inconsistent and "contradicts" in m.reason
    assert not dates("The attack began on Friday, January 21st, 2022.")["Friday, January 21st, 2022"].value.inconsistent


def test_no_publication_date_leaves_relative_dates_unresolved(dates):
    got = dates("Rebels attacked on Sunday and yesterday, after a truce signed on 3 March 2021.", published=None)
    for phrase in ("Sunday", "yesterday"):
        v = got[phrase].value
        assert v.start is None and v.end is None and v.precision is None
        assert "publication date" in got[phrase].reason and "unknown" in got[phrase].reason
    assert span(got["3 March 2021"]) == ("2021-03-03", "2021-03-03", "day")


def test_background_dates_are_marked(dates):
    got = dates("Militants who seized the town in 2014 attacked it again on Friday, "
                "years after the 2019 fall of the caliphate. They have held the hills since 2020.")
    assert got["2014"].value.background and "background" in got["2014"].reason
    assert got["2019"].value.background
    assert got["2020"].value.background and "since" in got["2020"].reason
    assert not got["Friday"].value.background


def test_durations_sets_and_vague_references(dates):
    got = dates("The siege lasted three days and the fighting two hours. Aid arrives every week. "
                "Food is distributed daily. The situation is now calm.")
    assert got["three days"].value.timex_type == "DURATION" and got["three days"].value.timex_value == "P3D"
    assert got["two hours"].value.timex_value == "PT2H"
    for phrase in ("three days", "two hours", "every week", "daily"):
        assert got[phrase].value.start is None and got[phrase].value.end is None
    assert got["every week"].value.timex_type == "SET" and got["every week"].value.timex_value == "P1W"
    assert got["daily"].value.timex_value == "P1D"
    assert got["now"].value.timex_value == "PRESENT_REF"


def test_ages_and_quantities_are_not_dates(dates):
    got = dates("A 6-year-old boy and a 52 years old man were among 2000 people who fled.")
    assert not any("year" in t for t in got)
    assert "2000" not in got


def test_common_words_are_not_months_or_seasons(dates):
    got = dates("Officials may march to the square after the fall of the city in spring.")
    assert set(got) == {"spring"}


def test_out_of_calendar_dates_stay_unresolved(dates):
    got = dates("The convoy will arrive tomorrow.", published="9999-12-31")
    m = got["tomorrow"]
    assert m.value.start is None and "calendar" in m.reason


def test_missing_lexicon_is_a_config_error(resources, tmp_path):
    factory = get_factory("dates.v1")
    config = factory.Config.model_validate({"factory": "dates.v1", "lexicon": "nope.yaml"},
                                           context={"base_dir": tmp_path})
    with pytest.raises(ConfigError, match="nope.yaml"):
        factory(config, resources).warm_up()
