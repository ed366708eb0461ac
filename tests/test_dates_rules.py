"""dates.v1 rules added from the TBAQ (dev) error analysis: year-ago comparisons in earnings
reports, quarters, clock times with their day, cues and verbs that point a date forward, relative
years, spelled-out years, holidays, durations counted from another event, fractions."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from pipeline.config import DEFAULT_CONFIG, PROJECT_ROOT
from pipeline.errors import ConfigError
from pipeline.registry import get_factory
from pipeline.temporal.lexicon import Lexicon
from pipeline.temporal.resolve import easter, holiday_date

PUB = "2022-01-30"  # a Sunday
FIN = "1989-10-30"  # a Monday, in the fourth quarter: third-quarter results are being reported


@pytest.fixture(scope="module")
def dates(resources, make_doc):
    """``dates(text, published)`` -> {mention text: Mention}."""
    factory = get_factory("dates.v1")
    config = factory.Config.model_validate({"factory": "dates.v1"}, context={"base_dir": DEFAULT_CONFIG.parent})
    stage = factory(config, resources)

    def _run(text: str, published: str | None = PUB):
        doc = make_doc(text, published=published)
        stage([doc])
        for m in doc.layers["dates"]:
            assert text[m.start:m.end] == m.text and m.reason
        return {m.text: m for m in doc.layers["dates"]}

    return _run


def value(m):
    return m.value.timex_value


def test_year_ago_is_the_quarter_under_discussion(dates):
    got = dates("Acme Corp. said third-quarter profit rose 12% to $5 million from $4.4 million a year earlier. "
                "In the year-ago quarter, sales were $90 million.", published=FIN)
    assert value(got["third-quarter"]) == "1989-Q3"
    assert value(got["a year earlier"]) == "1988-Q3" and "quarter last mentioned" in got["a year earlier"].reason
    assert value(got["the year-ago quarter"]) == "1988-Q3"


def test_year_ago_after_a_span_of_months_or_without_a_quarter_is_the_year(dates):
    got = dates("Third-quarter profit rose. In the first nine months, profit fell 5% from a year earlier.",
                published=FIN)
    assert value(got["a year earlier"]) == "1988"
    got = dates("A year ago, the rebels held the town.", published=FIN)
    assert value(got["A year ago"]) == "1988"


def test_year_ago_does_not_chain_on_a_derived_quarter(dates):
    got = dates("Profit fell in the third quarter. In the 1988 period, the company earned $3 million, "
                "up from $2 million a year earlier.", published=FIN)
    assert value(got["the 1988 period"]) == "1988-Q3"
    assert value(got["a year earlier"]) == "1988-Q3"  # the quarter named in the text, not 1987


@pytest.mark.parametrize("text, phrase, expected", [
    ("Net fell in the 1988 third quarter.", "the 1988 third quarter", "1988-Q3"),
    ("The merger could close in next year's first quarter.", "next year's first quarter", "1990-Q1"),
    ("In the third quarter, profit fell. For the quarter a year ago, it was $5 million.",
     "the quarter a year ago", "1988-Q3"),
    ("The company expects third-quarter earnings to fall.", "third-quarter", "1989-Q3"),
    ("Rates were cut in the second quarter. Results for that quarter were weak.", "that quarter", "1989-Q2"),
])
def test_quarters(dates, text, phrase, expected):
    assert value(dates(text, published=FIN)[phrase]) == expected


def test_quarter_fractions_are_not_durations(dates):
    assert not any("quarter" in t for t in dates("The city imports about three-quarters of its food."))


def test_clock_time_takes_the_day_named_after_it(dates):
    got = dates("Gunmen stormed the village at 10 p.m. Wednesday, police said.")
    m = got["10 p.m. Wednesday"]
    assert m.value.timex_type == "TIME" and value(m) == "2022-01-26T22:00"
    assert m.value.start == "2022-01-26" and "day named" in m.reason
    assert value(dates("The offer expires at 5 p.m. EST, Feb. 3.")["5 p.m. EST, Feb. 3"]) == "2022-02-03T17:00"


def test_clock_word_alone_needs_a_cue(dates):
    assert "Noon" not in dates("A poster showed the film High Noon.")
    assert value(dates("The curfew starts at noon.")["noon"]) == "2022-01-30T12:00"


@pytest.mark.parametrize("text, phrase, expected", [
    ("The board declared a dividend, payable Dec. 7 to holders of record.", "Dec. 7", "1989-12-07"),
    ("The envoy could return as early as Tuesday.", "Tuesday", "1989-10-31"),
    ("The court postponed the hearing until Tuesday.", "Tuesday", "1989-10-31"),
    # the cue does not outweigh past tense; the verb before the date only
    ("The militia was active as early as March.", "March", "1989-03"),
    ("On Tuesday, the court postponed the hearing.", "Tuesday", "1989-10-24"),
    ("The offer had been scheduled to expire Friday.", "Friday", "1989-10-27"),
])
def test_cues_and_verbs_that_point_forward(dates, text, phrase, expected):
    m = dates(text, published=FIN)[phrase]
    assert value(m) == expected
    if expected > FIN:
        assert "future:" in m.reason and not m.value.background


def test_present_passive_is_not_past(dates):
    assert value(dates("The appeal is heard in February.")["February"]) == "2022-02"


@pytest.mark.parametrize("phrase, expected", [
    ("in June last year", "2021-06"), ("in early January this year", "2022-01"),
    ("last Jan. 25", "2021-01-25"), ("in the current fiscal year", "2022"), ("a week or so ago", "2022-W03"),
])
def test_relative_years_and_shifted_dates(dates, phrase, expected):
    got = dates(f"The army said the base was built {phrase}.", published="2022-01-30" if "Jan. 25" not in phrase
                else "2022-01-20")
    m = next(m for t, m in got.items() if t in phrase)
    assert value(m) == expected, m.reason


def test_spelled_out_years(dates):
    got = dates("In nineteen ninety-six the rebels took the city. The plan was to end poverty by the year "
                "two thousand. The craft has been passed down for more than two thousand years.")
    assert value(got["nineteen ninety-six"]) == "1996"
    assert value(got["the year two thousand"]) == "2000"
    assert not any(m.value.timex_value == "2000" for t, m in got.items() if "years" in t or t == "two thousand")


def test_holidays(dates):
    got = dates("Shops were looted on Christmas Day and again last Thanksgiving.")
    assert value(got["Christmas Day"]) == "2021-12-25"
    assert value(got["last Thanksgiving"]) == "2021-11-25"
    assert "christmas" not in dates("Christmas shopping fell. The christmas lights were off.")
    assert easter(2024) == dt.date(2024, 3, 31) and easter(2000) == dt.date(2000, 4, 23)
    assert holiday_date("easter-2", 2022) == dt.date(2022, 4, 15)  # Good Friday
    assert holiday_date("11-1-1+1", 1998) == dt.date(1998, 11, 3)  # US Election Day


def test_weeks_of_a_date_or_holiday(dates):
    got = dates("The trial opens the week of March 7. Pilgrims will arrive for Easter week.", published="2022-02-24")
    m = got["the week of March 7"]
    assert value(m) == "2022-W10" and (m.value.start, m.value.end) == ("2022-03-07", "2022-03-13")
    assert value(got["Easter week"]) == "2022-W15"  # Easter Sunday 2022 is April 17


def test_later_and_before_count_from_another_event(dates):
    got = dates("The convoy was ambushed on Friday. Three days later, the rebels withdrew. "
                "Two days ago, the army returned.")
    later = got["Three days later"]
    assert later.value.timex_type == "DURATION" and value(later) == "P3D" and later.value.start is None
    assert "another event" in later.reason
    assert value(got["Two days ago"]) == "2022-01-28"


@pytest.mark.parametrize("phrase, expected", [
    ("5 1/2 hours", "PT5H30M"), ("two and a half years", "P2Y6M"), ("a minute and a half", "PT1M30S"),
    ("twenty four hours", "PT24H"),
])
def test_fractional_and_spaced_durations(dates, phrase, expected):
    assert value(dates(f"The siege lasted {phrase}.")[phrase]) == expected


def test_names_and_events_are_not_months(dates):
    got = dates("Foreign Minister Jan Kavan joined the March for Life. Talks resume on Jan. 6: both sides agree.")
    assert "Jan" not in got and "March" not in got
    assert value(got["Jan. 6"]) == "2022-01-06"


def test_fiscal_year_ending_on_a_date_is_a_duration(dates):
    m = dates("Net income for the year ended June 30 rose 4%.", published=FIN)["the year"]
    assert m.value.timex_type == "DURATION" and value(m) == "P1Y" and "fiscal year" in m.reason


def test_future_cue_kinds_are_checked(tmp_path):
    source = PROJECT_ROOT / "configs" / "dates" / "en.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["future_cues"]["payable"] = "sometimes"
    bad = tmp_path / "en.yaml"
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ConfigError, match="future_cues"):
        Lexicon.from_yaml(bad)


def test_every_holiday_of_the_lexicon_is_recognized_and_falls_in_its_year():
    from pipeline.temporal.grammar import Grammar

    lex = Lexicon.from_yaml(PROJECT_ROOT / "configs" / "dates" / "en.yaml")
    grammar = Grammar(lex)
    for name, rule in lex.holidays.items():
        title = " ".join(w[0].upper() + w[1:] for w in name.split())
        found = grammar.find(f"Crowds gathered on {title} in the square.")
        assert [(m.spec.kind, m.spec.f["rule"]) for m in found] == [("holiday", rule)], name
        for year in (2020, 2024, 2031):
            assert holiday_date(rule, year).year == year, (name, year)


# --- rules from the second TBAQ (dev) error analysis ---------------------------------------------


def test_that_year_and_the_following_month_refer_to_the_date_named_last(dates):
    got = dates("The militia seized the town in May 2014. The following year it lost the town, and "
                "later that year its commander fled. In March 2019 a truce was signed; the following "
                "month it collapsed.")
    assert value(got["The following year"]) == "2015" and "named last" in got["The following year"].reason
    assert value(got["later that year"]) == "2015"
    assert value(got["the following month"]) == "2019-04"


def test_anaphoric_year_without_a_named_date(dates):
    got = dates("Talks will resume the following month. Exports fell sharply that year.")
    assert value(got["the following month"]) == "P1M" and got["the following month"].value.timex_type == "DURATION"
    assert value(got["that year"]) == "2022" and "no year named before" in got["that year"].reason


def test_halves_of_a_year(dates):
    got = dates("Output will fall in the second half of 1989 and recover in the first half of next year. "
                "Losses are expected through the first two quarters of 1990.")
    assert value(got["the second half of 1989"]) == "1989-H2"
    assert got["the second half of 1989"].value.start == "1989-07-01"
    assert value(got["the first half of next year"]) == "2023-H1"
    assert value(got["the first two quarters of 1990"]) == "1990-H1"


def test_year_end_and_the_full_year(dates):
    got = dates("The sale should close by year end, and the plant by year's end. Job cuts were due by "
                "year-end. The company forecast higher profit for the full year.")
    assert value(got["year end"]) == "2022" and "the year itself" in got["year end"].reason
    assert value(got["year's end"]) == "2022"
    assert value(got["year-end"]) == "2022-12-31"
    assert value(got["the full year"]) == "2022"


def test_soon_points_ahead_only_outside_past_narration_and_conjunctions(dates):
    got = dates("Rebel commanders said they will soon attack the port.")
    assert value(got["soon"]) == "FUTURE_REF" and "past narration" in got["soon"].reason
    assert "soon" not in dates("The trickle of refugees soon became a flood.")
    got = dates("Troops may arrive as soon as Tuesday, and leave soon after the vote.")
    assert "soon" not in got and "Tuesday" in got


def test_near_term_and_coming_months_are_future_references(dates):
    got = dates("Prices are unlikely to fall in the near term or in coming months.")
    assert value(got["the near term"]) == "FUTURE_REF"
    assert value(got["coming months"]) == "FUTURE_REF"


def test_coordinated_weekdays_are_two_expressions(dates):
    got = dates("Statements were issued Friday and Thursday by the ministry.")
    assert value(got["Friday"]) == "2022-01-28" and value(got["Thursday"]) == "2022-01-27"


def test_quarter_reported_in_past_tense_is_under_discussion_even_if_not_over(dates):
    got = dates("Acme Corp. reported a 40% drop in fourth-quarter profit, to $3 million from $5 million "
                "a year earlier.", published=FIN)
    assert value(got["a year earlier"]) == "1988-Q4"
    got = dates("Acme Corp. expects fourth-quarter profit to fall from $5 million a year earlier.", published=FIN)
    assert value(got["a year earlier"]) == "1988"


def test_spelled_decades_need_the(dates):
    got = dates("Violence peaked in the nineties and again in the early twenties.")
    assert value(got["the nineties"]) == "199"
    assert value(got["the early twenties"]) == "202"
    assert not dates("The minister, in her thirties, resigned.")


def test_a_weekday_something_is_called_for_is_ahead(dates):
    got = dates("Community leaders have called a rally for Sunday.", published="2024-09-25")
    assert got["Sunday"].value.start == "2024-09-29" and "planned for" in got["Sunday"].reason
    told = dates("A memorial service planned for Saturday was cancelled.", published="1999-10-24")
    assert told["Saturday"].value.start == "1999-10-23"
    # the day of what a call is for, but not of a call told as long done
    got = dates("Organisers on social media called for a larger protest on Friday outside the governor's office.",
                published="2025-08-14")
    assert got["Friday"].value.start == "2025-08-15"
    done = dates("Organisers had called for a larger protest on Friday outside the governor's office.",
                 published="2025-08-14")
    assert done["Friday"].value.start == "2025-08-08"


def test_an_earlier_quarter_named_in_passing_does_not_replace_the_one_reported(dates):
    got = dates("Acme Corp. posted a 15% gain in third-quarter profit. After a weak second quarter hurt by "
                "lower prices, demand recovered. In the year-earlier period, the company earned $4 million.",
                published=FIN)
    assert value(got["second quarter"]) == "1989-Q2"
    assert value(got["the year-earlier period"]) == "1988-Q3"


def test_compound_adjectives_comparing_periods_name_none(dates):
    got = dates("The quarter-to-quarter comparison was helped by lower costs, and year-over-year growth slowed.",
                published=FIN)
    assert not got


def test_a_month_every_year_is_a_set(dates):
    got = dates("Thousands of pilgrims visit the shrine each July.", published=FIN)
    assert got["each July"].value.timex_type == "SET" and value(got["each July"]) == "XXXX-07"


def test_a_year_end_looked_back_on_is_the_last_one(dates):
    got = dates("The index has gained 12% since year-end.", published=FIN)
    assert value(got["year-end"]) == "1988-12-31" and "since" in got["year-end"].reason
    got = dates("The bank expects to complete the sale by year-end.", published=FIN)
    assert value(got["year-end"]) == "1989-12-31"


def test_an_era_counted_from_a_year_is_that_year(dates):
    got = dates("The post-1989 reforms split the party, and output is still below pre-2008 levels.", published=FIN)
    assert value(got["post-1989"]) == "1989" and value(got["pre-2008"]) == "2008"


def test_the_future_of_a_past_report_is_ahead(dates):
    # 2024-10-03 is a Thursday
    got = dates("Traders said they would keep their shops shut on Friday.", published="2024-10-03")
    assert got["Friday"].value.start == "2024-10-04"
    habit = dates("As a boy he would visit the market on Friday.", published="2024-10-03")
    assert habit["Friday"].value.start == "2024-09-27"


def test_the_next_day_counts_from_the_day_named_last(dates):
    got = dates("The ferry sank on Jan. 12. The next day, divers found the hull. Later that day, the port "
                "reopened. By the following morning the storm had passed.")
    assert value(got["The next day"]) == "2022-01-13" and got["The next day"].value.start == "2022-01-13"
    assert "day named last" in got["The next day"].reason
    assert value(got["Later that day"]) == "2022-01-13"
    assert got["the following morning"].value.timex_type == "TIME"
    assert value(got["the following morning"]) == "2022-01-14TMO"


def test_that_day_after_a_month_is_a_day_of_that_month(dates):
    got = dates("The mayor was shot last October. His office closed that same day.")
    assert value(got["that same day"]) == "2021-10-XX"
    assert got["that same day"].value.precision == "month"


def test_that_day_with_no_day_named_before_is_generic(dates):
    got = dates("Traders who sell that day often lose, and the next day prices recover.")
    assert "that day" not in got and "the next day" not in got


def test_the_previous_weekday_counts_from_the_day_named_last(dates):
    # 2022-01-30 is a Sunday; "Friday" is Jan. 28, the Friday before it Jan. 21.
    got = dates("Shares fell on Friday, down 3% from the previous Friday.")
    assert value(got["Friday"]) == "2022-01-28"
    assert value(got["previous Friday"]) == "2022-01-21"


def test_a_quarter_ending_on_a_date_is_the_calendar_quarter_of_its_months(dates):
    got = dates("In the quarter ended July 31, the retailer sold 5 million units.", published=FIN)
    assert value(got["the quarter"]) == "1989-Q2" and "ending on 1989-07-31" in got["the quarter"].reason
    got = dates("For the quarter ending Dec. 31, 1989, the bank expects a loss.", published=FIN)
    assert value(got["the quarter"]) == "1989-Q4"


def test_a_quarter_ending_on_a_date_after_a_fiscal_quarter_is_that_quarter(dates):
    got = dates("The chip maker earned $5 million in its fiscal first quarter. Sales for the quarter "
                "ended Sept. 29 rose 9%.", published=FIN)
    assert value(got["the quarter"]) == value(got["fiscal first quarter"])


def test_the_year_of_an_earnings_report_is_the_reported_quarters_year(dates):
    got = dates("The toy maker said fourth-quarter profit rose 10%. For the year, net income fell 3%.",
                published="1990-01-25")
    assert value(got["fourth-quarter"]) == "1989-Q4"
    assert value(got["the year"]) == "1989" and "quarter last mentioned" in got["the year"].reason


def test_a_bare_clock_time_is_on_the_day_named_last(dates):
    got = dates("The blast came on Friday. Rescuers arrived at 10:35 a.m. and worked until dusk.")
    assert value(got["10:35 a.m."]) == "2022-01-28T10:35"
    assert got["10:35 a.m."].value.day_assumed  # still not stated: assembly does not take it as the day
    got = dates("Rescuers arrived at 10:35 a.m.")
    assert value(got["10:35 a.m."]) == "2022-01-30T10:35"


@pytest.mark.parametrize("text, phrase, expected", [
    ("The merger would save $40 million a year.", "a year", ("SET", "P1Y")),
    ("The airline flies four flights a week to the island.", "a week", ("SET", "P1W")),
    ("The council meets once a month.", "a month", ("SET", "P1M")),
    ("The report is due within a year.", "a year", ("DURATION", "P1Y")),
    ("The repairs could take a week or two.", "a week", ("DURATION", "P1W")),
])
def test_a_rate_is_a_set_not_a_duration(dates, text, phrase, expected):
    got = dates(text, published=FIN)
    assert (got[phrase].value.timex_type, value(got[phrase])) == expected


def test_quarter_codes_of_financial_news(dates):
    got = dates("Q3 sales beat forecasts, after a weak Q2 2021 and a flat 2020 Q4. The q3 file was lost.")
    assert value(got["Q3"]) == "2021-Q3"  # in January 2022 the latest third quarter is 2021's
    assert value(got["Q2 2021"]) == "2021-Q2" and value(got["2020 Q4"]) == "2020-Q4"
    assert "q3" not in got


def test_midday_is_noon_and_hours_in_the_morning_are_clock_times(dates):
    got = dates("Police sealed the road at midday. The looting began at 4 in the morning and ended "
                "at 8 o'clock in the evening.")
    assert value(got["midday"]) == "2022-01-30T12:00"
    assert value(got["4 in the morning"]) == "2022-01-30T04:00"
    assert value(got["8 o'clock in the evening"]) == "2022-01-30T20:00"


def test_the_part_of_a_day_named_before_the_day(dates):
    got = dates("Trading was halted in mid-afternoon yesterday and resumed late evening Friday.")
    assert value(got["mid-afternoon yesterday"]) == "2022-01-29TAF"
    assert value(got["late evening Friday"]) == "2022-01-28TEV"


def test_a_plan_points_ahead_unless_told_as_past(dates):
    # 2000-01-07 is a Friday
    got = dates("Exiles planned a large march on Saturday.", published="2000-01-07")
    assert value(got["Saturday"]) == "2000-01-08" and "plan" in got["Saturday"].reason
    got = dates("A vigil planned for Saturday was called off.", published="2000-01-07")
    assert value(got["Saturday"]) == "2000-01-01"


def test_later_in_the_day_is_the_day_named_last(dates):
    got = dates("The envoy landed on Friday. Later in the day he met rebels. The day was hot.")
    assert value(got["Later in the day"]) == "2022-01-28"
    assert "The day" not in got
