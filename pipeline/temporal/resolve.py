"""Anchoring: a parsed ``Spec`` + the publication date + tense -> TIMEX3 value and a date span.

A careful coder's rules: past-tense weekdays are the most recent such day on or
before publication (the publication day itself when it is that weekday), future
ones the next on or after it; dates without a year are the closest past
occurrence (the next one in future tense); without a publication date relative
expressions stay unresolved rather than being guessed from today. ``Anchors``
carry what the article named before (the quarter an earnings report is about).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional

from .grammar import Spec, duration_value

SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
# How far after publication a date without a year may be read as the upcoming one.
PAST_TENSE_AHEAD_DAYS = 31
OTHER_AHEAD_DAYS = 183
# "the quarter", "the latest period", "that quarter": the quarter the article is about.
ANAPHORIC_QUARTER = ("", "latest", "same", "that")
UNIT_PRECISION = {"D": "day", "W": "week", "WE": "week", "M": "month", "Q": "month", "Y": "year",
                  "DE": "year", "CE": "year"}


@dataclass
class Resolved:
    timex_type: str  # DATE | TIME | DURATION | SET
    timex_value: Optional[str]
    start: Optional[dt.date]
    end: Optional[dt.date]
    precision: Optional[str]
    reason: str
    inconsistent: bool = False
    day_assumed: bool = False  # a bare clock time: its day is the publication day by default, not stated


class Unresolvable(Exception):
    """A relative expression without a publication date, or a date outside the calendar."""


@dataclass
class Anchors:
    """What the article said before the expression, for expressions that refer back to it.

    ``quarter``: the (year, quarter) last mentioned, so that in an earnings report "a year
    earlier" and "the year-ago quarter" are that quarter a year back, not the whole year.
    ``named``: the (year, month or None) of the last calendar date named ("in March", "May 22,
    1995"), which "that year" and "the following month" refer back to. ``day``: (start, end,
    precision) of the last day or date named ("on Jan. 12", "Friday", "last October"), which "that
    day", "the next morning" and "the previous Friday" count from (precision day or month)."""

    quarter: Optional[tuple[int, int]] = None
    named: Optional[tuple[int, Optional[int]]] = None
    day: Optional[tuple[dt.date, dt.date, str]] = None


def month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def add_months(y: int, m: int, k: int) -> tuple[int, int]:
    i = y * 12 + (m - 1) + k
    return i // 12, i % 12 + 1


def day_value(d: dt.date) -> str:
    return d.isoformat()


def week_value(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def pick_occurrence(candidates: list[dt.date], ref: dt.date, tense: Optional[str], rule_past: str) -> tuple[dt.date, str]:
    """Choose among yearly/weekly occurrences: past -> latest on/before ref, future -> first on/after."""
    before = [c for c in candidates if c <= ref]
    after = [c for c in candidates if c >= ref]
    if tense == "future" and after:
        return min(after), "next occurrence (future tense)"
    if before and after:
        b, a = max(before), min(after)
        # Past tense: the closest past occurrence, unless the next one is only days away (reported
        # speech: "said the vote would be on Nov. 10"); otherwise the nearest, ties to the past.
        window = PAST_TENSE_AHEAD_DAYS if tense == "past" else OTHER_AHEAD_DAYS
        if (a - ref).days <= window and a - ref < ref - b:
            return a, f"upcoming occurrence within {window} days ({tense or 'no'} tense)"
        return b, rule_past
    if before:
        return max(before), rule_past
    return min(after), "next occurrence (none before publication)"


def pick_shifted(candidates: list[dt.date], ref: dt.date, tense: Optional[str], shift: Optional[int],
                 what: str) -> tuple[dt.date, str]:
    """"last Oct. 23" / "next Christmas": strictly before / after publication; else by tense."""
    if shift == -1:
        return max(c for c in candidates if c < ref), f"{what}: 'last', the latest before publication"
    if shift == 1:
        return min(c for c in candidates if c > ref), f"{what}: 'next', the first after publication"
    return pick_occurrence(candidates, ref, tense, f"{what}: closest past occurrence")


def resolve(spec: Spec, ref: Optional[dt.date], tense: Optional[str],
            anchors: Optional[Anchors] = None) -> Resolved:
    """Anchor ``spec``; raises ``Unresolvable`` with the reason when it cannot be anchored."""
    try:
        res = _RESOLVERS[spec.kind](spec.f, ref, tense, anchors or Anchors())
    except (OverflowError, ValueError) as exc:
        raise Unresolvable(f"outside the calendar ({exc})") from None
    if spec.f.get("note"):
        res.reason += f" ({spec.f['note']})"
    return res


def _need(ref: Optional[dt.date], what: str) -> dt.date:
    if ref is None:
        raise Unresolvable(f"{what}: relative to the publication date, which is unknown")
    return ref


def _date(f: dict, ref: Optional[dt.date], tense: Optional[str], anchors: Anchors) -> Resolved:
    y, m, d, wd = f.get("y"), f.get("m"), f.get("d"), f.get("wd")
    if y is not None and m is None:  # a year
        return Resolved("DATE", f"{y:04d}", dt.date(y, 1, 1), dt.date(y, 12, 31), "year", "explicit year")
    if y is None and f.get("yshift") is not None:  # "June last year"
        y = _need(ref, "month of a relative year").year + f["yshift"]
        yshift_why = f"year relative to publication ({f['yshift']:+d})"
    else:
        yshift_why = ""
    if d is None:  # a month
        if y is None:
            ref = _need(ref, "month without a year")
            shift = f.get("shift")
            if shift == -1:  # "last March": the latest one strictly before this month
                y = ref.year if m < ref.month else ref.year - 1
                why = "month: 'last', the latest before the publication month"
            elif shift == 1:
                y = ref.year if m > ref.month else ref.year + 1
                why = "month: 'next', the first after the publication month"
            elif shift == 0:
                y, why = ref.year, "month: 'this', the publication year"
            else:
                cands = [dt.date(ref.year + k, m, 1) for k in (-1, 0, 1)]
                first, why = pick_occurrence(cands, dt.date(ref.year, ref.month, 1), tense,
                                             "month without year: latest on or before publication")
                y = first.year
        else:
            why = yshift_why or "explicit month and year"
        return Resolved("DATE", f"{y:04d}-{m:02d}", dt.date(y, m, 1), month_end(y, m), "month", why)
    if y is None:
        ref = _need(ref, "date without a year")
        cands = _years_around(ref, m, d)
        day, why = pick_shifted(cands, ref, tense, f.get("shift"), "date without year")
    else:
        day, why = dt.date(y, m, d), yshift_why or "explicit date"
    end = day
    if f.get("d2"):
        end = dt.date(day.year, day.month, f["d2"])
        why += ", range"
    res = Resolved("DATE", day_value(day), day, end, "day", why)
    if wd is not None and day.isoweekday() != wd:
        res.inconsistent = True
        res.reason += f"; weekday named ({calendar.day_name[wd - 1]}) contradicts the date ({calendar.day_name[day.weekday()]})"
    return _with_part(res, f)


def _with_part(res: Resolved, f: dict) -> Resolved:
    part = f.get("part")
    if part and res.timex_value and res.precision == "day":
        res.timex_type, res.timex_value = "TIME", f"{res.timex_value}T{part}"
    return res


def _weekday(f: dict, ref: Optional[dt.date], tense: Optional[str], anchors: Anchors) -> Resolved:
    ref = _need(ref, "weekday")
    wd, shift = f["wd"], f.get("shift")
    if f.get("from_named") and anchors.day is not None and anchors.day[2] == "day":
        base = anchors.day[0]  # "the previous Friday": from the day named last
        if shift == -1:
            day = base - dt.timedelta(days=(base.isoweekday() - wd) % 7 or 7)
        else:
            day = base + dt.timedelta(days=(wd - base.isoweekday()) % 7 or 7)
        why = f"weekday {'before' if shift == -1 else 'after'} the day named last ({base.isoformat()})"
        return _with_part(Resolved("DATE", day_value(day), day, day, "day", why), f)
    back = (ref.isoweekday() - wd) % 7
    fwd = (wd - ref.isoweekday()) % 7
    if shift == -1:
        day, why = ref - dt.timedelta(days=back or 7), "weekday: 'last', the latest before publication"
    elif shift == 1:
        day, why = ref + dt.timedelta(days=fwd or 7), "weekday: 'next', the first after publication"
    elif tense == "future":
        day, why = ref + dt.timedelta(days=fwd), "weekday, future tense: next on or after publication"
    else:
        day = ref - dt.timedelta(days=back)
        why = (f"weekday, {tense or 'no'} tense: most recent on or before publication"
               + (" (the publication day)" if back == 0 else ""))
    end = day
    if f.get("wd2"):
        end = day + dt.timedelta(days=(f["wd2"] - wd) % 7)
        why += ", range"
    return _with_part(Resolved("DATE", day_value(day), day, end, "day", why), f)


def _relday(f: dict, ref: Optional[dt.date], tense: Optional[str], anchors: Anchors) -> Resolved:
    ref = _need(ref, "relative day")
    day = ref + dt.timedelta(days=f["off"])
    res = Resolved("DATE", day_value(day), day, day, "day", f"relative day ({f['off']:+d})")
    return _with_part(res, f)


def _unit_span(unit: str, ref: dt.date, k: int) -> Resolved:
    """The calendar unit containing ``ref``, moved by ``k`` units."""
    if unit == "Y":
        y = ref.year + k
        return Resolved("DATE", f"{y:04d}", dt.date(y, 1, 1), dt.date(y, 12, 31), "year", "")
    if unit == "M":
        y, m = add_months(ref.year, ref.month, k)
        return Resolved("DATE", f"{y:04d}-{m:02d}", dt.date(y, m, 1), month_end(y, m), "month", "")
    if unit in ("W", "WE"):
        monday = ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(weeks=k)
        if unit == "WE":
            sat = monday + dt.timedelta(days=5)
            return Resolved("DATE", week_value(monday) + "-WE", sat, sat + dt.timedelta(days=1), "week", "")
        return Resolved("DATE", week_value(monday), monday, monday + dt.timedelta(days=6), "week", "")
    if unit == "D":
        day = ref + dt.timedelta(days=k)
        return Resolved("DATE", day_value(day), day, day, "day", "")
    if unit == "Q":
        q = (ref.month - 1) // 3 + k
        y, q = ref.year + q // 4, q % 4 + 1
        return _quarter_span(y, q)
    if unit == "DE":
        d0 = ref.year // 10 * 10 + 10 * k
        return Resolved("DATE", f"{d0 // 10:03d}", dt.date(d0, 1, 1), dt.date(d0 + 9, 12, 31), "year", "")
    if unit == "CE":
        c0 = ref.year // 100 * 100 + 100 * k
        return Resolved("DATE", f"{c0 // 100:02d}", dt.date(c0, 1, 1), dt.date(c0 + 99, 12, 31), "year", "")
    raise Unresolvable(f"unit {unit} is not a calendar period")


def _quarter_span(y: int, q: int) -> Resolved:
    m0 = 3 * (q - 1) + 1
    return Resolved("DATE", f"{y:04d}-Q{q}", dt.date(y, m0, 1), month_end(y, m0 + 2), "month", "")


def _relunit(f: dict, ref: Optional[dt.date], tense: Optional[str], anchors: Anchors) -> Resolved:
    ref = _need(ref, "relative period")
    shift = f["shift"]
    if f["unit"] == "WE" and shift == 0 and ref.isoweekday() < 6 and tense != "future":
        shift = -1  # "the weekend" in a weekday's report: the one just past
    if f.get("definite") and f["unit"] == "Y" and anchors.quarter is not None:
        # An earnings report's "for the year": the year of the quarter it reports (in January, last year's).
        res = _unit_span("Y", dt.date(anchors.quarter[0], 1, 1), 0)
        res.reason = "the year of the quarter last mentioned"
        return res
    res = _unit_span(f["unit"], ref, shift)
    res.reason = f"period of the publication date ({shift:+d} {f['unit']})"
    return res


def _anaphoric(f: dict, ref: Optional[dt.date], tense: Optional[str], anchors: Anchors) -> Resolved:
    """ "that year", "the following month": the year or month of the date named last, moved by
    ``step``; with none named, "that year" is the publication's and "the following year" a duration."""
    unit, step = f["unit"], f["step"]
    if unit == "day":
        return _anaphoric_day(f, ref, anchors)
    named = anchors.named
    if named is None or (unit == "month" and named[1] is None):
        if step:
            return Resolved("DURATION", duration_value(1, unit[0].upper()), None, None, None,
                            f"no {unit} named before: a duration")
        res = _unit_span(unit[0].upper(), _need(ref, f"'that {unit}'"), 0)
        res.reason = f"no {unit} named before: the publication {unit}"
        return res
    y, m = named
    if unit == "year":
        res = _unit_span("Y", dt.date(y, 1, 1), step)
    else:
        res = _unit_span("M", dt.date(y, m, 1), step)
    res.reason = f"the {unit} of the date named last ({step:+d})"
    return res


def _anaphoric_day(f: dict, ref: Optional[dt.date], anchors: Anchors) -> Resolved:
    """ "that day", "the next morning": the day named last, moved by ``step``. After a month
    ("killed last October ... that same day") it is a day of that month: 1998-10-XX. The stage
    drops these when no date was named before (a generic "trades made that day")."""
    if anchors.day is None:
        raise Unresolvable("no day named before")
    start, end, precision = anchors.day
    step = f["step"]
    if precision != "day":
        value = f"{start.year:04d}-{start.month:02d}-XX"
        return Resolved("DATE", value, start, end, precision, f"a day of the {precision} named last")
    day = start + dt.timedelta(days=step)
    return _with_part(Resolved("DATE", day_value(day), day, day, "day", f"the day named last ({step:+d} days)"), f)


def _half(f: dict, ref: Optional[dt.date], tense: Optional[str], anchors: Anchors) -> Resolved:
    y = f["y"] if f["y"] is not None else _need(ref, "half of a relative year").year + f["yshift"]
    h = f["h"]
    start, end = dt.date(y, 1 if h == 1 else 7, 1), month_end(y, 6 if h == 1 else 12)
    why = "explicit half year" if f["y"] is not None else f"half of the year {f['yshift']:+d} from publication"
    return Resolved("DATE", f"{y:04d}-H{h}", start, end, "month", why)


def _ago(f: dict, ref: Optional[dt.date], tense: Optional[str], anchors: Anchors) -> Resolved:
    n, unit, sign = f["n"], f["unit"], f["sign"]
    if n is None:
        return Resolved("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", None, None, None,
                        "vague amount of time before/after publication")
    ref = _need(ref, "time ago")
    k = int(round(n)) * sign
    if unit == "Y" and k == -1 and anchors.quarter and (f.get("same_period") or tense != "future"):
        y, q = anchors.quarter
        res = _quarter_span(y - 1, q)
        res.reason = "a year before the quarter last mentioned (year-ago comparison)"
        return res
    if unit in ("H", "MIN", "S"):
        res = _unit_span("D", ref, 0)
    elif unit == "D":
        res = _unit_span("D", ref, k)
    elif unit == "FN":
        res = _unit_span("W", ref, 2 * k)
    else:
        res = _unit_span(unit, ref, k)
    res.reason = f"{n:g} {unit} {'before' if sign < 0 else 'after'} publication"
    return res


def _years_around(ref: dt.date, m: int, d: int) -> list[dt.date]:
    """Day ``d`` of month ``m`` in the year before, of and after ``ref`` (where it exists: Feb. 29)."""
    cands = []
    for k in (-1, 0, 1):
        try:
            cands.append(dt.date(ref.year + k, m, d))
        except ValueError:
            continue
    if not cands:
        raise Unresolvable(f"no year has day {d} in month {m}")
    return cands


def _quarter_ended(f: dict, ref: Optional[dt.date], tense: Optional[str]) -> Resolved:
    """ "the quarter ended July 31": the calendar quarter most of its three months fall in (the one
    holding the day 45 days before its end: May-July is mostly the second quarter), whatever the
    company's fiscal numbering; the end date without a year is its latest occurrence (by tense)."""
    y, m, d = f["ended"]
    if y is not None:
        end = dt.date(y, m, d)
    else:
        ref = _need(ref, "quarter ending on a date without a year")
        cands = _years_around(ref, m, d)
        end, _ = pick_occurrence(cands, ref, tense, "")
    mid = end - dt.timedelta(days=45)
    res = _quarter_span(mid.year, (mid.month - 1) // 3 + 1)
    res.reason = f"the quarter ending on {end.isoformat()}"
    return res


def _quarter(f: dict, ref: Optional[dt.date], tense: Optional[str], anchors: Anchors) -> Resolved:
    if f.get("ended") and anchors.quarter is None:  # else the quarter the report named (fiscal numbering)
        return _quarter_ended(f, ref, tense)
    q, y, qw = f["q"], f["y"], f["qw"]
    if q is None and (y is not None or f.get("ago") or f.get("yshift") is not None) and anchors.quarter:
        q = anchors.quarter[1]  # "the 1988 quarter", "the year-ago quarter": the quarter under discussion
        why_q = f"the quarter last mentioned (Q{q})"
    else:
        why_q = ""
    if q is not None and y is not None:
        res = _quarter_span(y, q)
        res.reason = why_q or "explicit quarter"
        return res
    if y is not None:  # "the 1988 quarter" with no quarter mentioned before it
        return Resolved("DATE", f"{y:04d}", dt.date(y, 1, 1), dt.date(y, 12, 31), "year",
                        "quarter of an explicit year; which quarter is not said")
    ref = _need(ref, "quarter")
    cur = (ref.month - 1) // 3 + 1
    if f.get("ago"):
        if q is not None and anchors.quarter and anchors.quarter[1] == q:
            y0, why = anchors.quarter[0], "the quarter last mentioned, a year back"
        elif q is not None:
            y0, why = (ref.year if q <= cur else ref.year - 1), "the latest such quarter, a year back"
        elif anchors.quarter:
            (y0, q), why = anchors.quarter, f"{why_q}, a year back"
        else:
            res = _unit_span("Q", ref, -5)
            res.reason = "the latest finished quarter, a year back"
            return res
        res = _quarter_span(y0 - 1, q)
        res.reason = why
        return res
    if q is None and qw in ANAPHORIC_QUARTER and anchors.quarter:
        res = _quarter_span(*anchors.quarter)
        res.reason = "the quarter last mentioned"
        return res
    if q is None:
        k = {"current": 0, "this": 0, "next": 1, "coming": 1, "following": 1}.get(qw, -1)
        res = _unit_span("Q", ref, k)
        res.reason = f"quarter relative to publication ({k:+d}): reported quarters are finished ones"
        return res
    if f.get("yshift") is not None:
        y, why = ref.year + f["yshift"], f"quarter of the year {f['yshift']:+d} from publication"
    elif q <= cur or tense == "future":
        # Expected results of a quarter already under way or just finished belong to this year too.
        y, why = ref.year, "quarter without year: this year's" + (" (future tense)" if q > cur else "")
    else:
        y, why = ref.year - 1, "quarter without year: the latest one, last year's"
    res = _quarter_span(y, q)
    res.reason = (why_q + "; " if why_q else "") + why
    return res


def _season(f: dict, ref: Optional[dt.date], tense: Optional[str], anchors: Anchors) -> Resolved:
    s, y, shift = f["s"], f["y"], f.get("shift")
    if y is None:
        ref = _need(ref, "season")
        starts = {yy: dt.date(yy, SEASON_MONTHS[s][0], 1) for yy in (ref.year - 1, ref.year, ref.year + 1)}
        containing = [yy for yy, st in starts.items() if st <= ref <= _season_end(s, yy)]
        if shift == 0 or (shift is None and containing):
            y = containing[0] if containing else ref.year
        elif shift == 1 or (shift is None and tense == "future"):
            y = min(yy for yy, st in starts.items() if st > ref)
        else:
            y = max(yy for yy, st in starts.items() if _season_end(s, yy) < ref)
        why = "season relative to publication"
    else:
        why = "explicit season and year"
    return Resolved("DATE", f"{y:04d}-{s}", dt.date(y, SEASON_MONTHS[s][0], 1), _season_end(s, y), "month", why)


def _season_end(s: str, y: int) -> dt.date:
    m1 = SEASON_MONTHS[s][1]
    return month_end(y + 1 if s == "WI" else y, m1)


def _decade(f: dict, ref: Optional[dt.date], tense: Optional[str], anchors: Anchors) -> Resolved:
    tens = f.get("tens")
    if tens is None:
        d0, why = int(f["dec"]) * 10, "explicit decade"
    elif ref is None:
        d0, why = 1900 + tens, "spelled decade without a publication date: the 1900s'"
    else:  # "the nineties": the latest such decade begun by publication
        d0 = ref.year // 100 * 100 + tens
        d0, why = (d0 if d0 <= ref.year else d0 - 100), "spelled decade: the latest begun by publication"
    return Resolved("DATE", f"{d0 // 10:03d}", dt.date(d0, 1, 1), dt.date(d0 + 9, 12, 31), "year", why)


def _century(f: dict, ref: Optional[dt.date], tense: Optional[str], anchors: Anchors) -> Resolved:
    c0 = (f["c"] - 1) * 100
    return Resolved("DATE", f"{f['c'] - 1:02d}", dt.date(max(1, c0), 1, 1), dt.date(c0 + 99, 12, 31), "year",
                    "explicit century")


def _vague(f: dict, ref: Optional[dt.date], tense: Optional[str], anchors: Anchors) -> Resolved:
    if f["value"] == "PRESENT_REF" and ref is not None:
        return Resolved("DATE", "PRESENT_REF", ref, ref, "day", "vague present: the publication day")
    return Resolved("DATE", f["value"], None, None, None, "vague reference: not a point in time")


def _duration(f: dict, ref: Optional[dt.date], tense: Optional[str], anchors: Anchors) -> Resolved:
    return Resolved("DURATION", duration_value(f["n"], f["unit"]), None, None, None, "duration: not a point in time")


def _set(f: dict, ref: Optional[dt.date], tense: Optional[str], anchors: Anchors) -> Resolved:
    return Resolved("SET", f["value"], None, None, None, "set: a recurrence, not a point in time")


def _clock(f: dict, ref: Optional[dt.date], tense: Optional[str], anchors: Anchors) -> Resolved:
    ref = _need(ref, "clock time")
    if f.get("day") is not None:
        day = resolve(f["day"], ref, tense, anchors)
        return Resolved("TIME", f"{day.timex_value}T{f['hhmm']}", day.start, day.end, "day",
                        f"clock time on the day named: {day.reason}", day.inconsistent)
    if anchors.day is not None and anchors.day[2] == "day":
        day = anchors.day[0]  # "Friday ... at 10:35 a.m.": the story is at the day it named last
        return Resolved("TIME", f"{day.isoformat()}T{f['hhmm']}", day, day, "day", "clock time on the day named last",
                        day_assumed=True)
    return Resolved("TIME", f"{ref.isoformat()}T{f['hhmm']}", ref, ref, "day", "clock time on the publication day",
                    day_assumed=True)


def _dom(f: dict, ref: Optional[dt.date], tense: Optional[str], anchors: Anchors) -> Resolved:
    ref = _need(ref, "day of month")
    cands = []
    for k in (-1, 0, 1):
        y, m = add_months(ref.year, ref.month, k)
        if f["d"] <= calendar.monthrange(y, m)[1]:
            cands.append(dt.date(y, m, f["d"]))
    day, why = pick_occurrence(cands, ref, tense, "day of month: closest past occurrence")
    return Resolved("DATE", day_value(day), day, day, "day", why)


HOLIDAY_RULE = re.compile(r"(?:(\d\d)-(\d\d)|(\d\d)-(-?\d)-(\d)|(easter))([+-]\d+)?")


def holiday_date(rule: str, year: int) -> dt.date:
    """The day a holiday rule of the lexicon ("12-25", "11-4-4", "easter-2") gives in ``year``."""
    m = HOLIDAY_RULE.fullmatch(rule)
    if m is None:
        raise Unresolvable(f"holiday rule {rule!r} not understood")
    if m.group(1):
        day = dt.date(year, int(m.group(1)), int(m.group(2)))
    elif m.group(3):
        month, n, wd = int(m.group(3)), int(m.group(4)), int(m.group(5))
        days = [d for d in range(1, calendar.monthrange(year, month)[1] + 1)
                if dt.date(year, month, d).isoweekday() == wd]
        day = dt.date(year, month, days[n - 1] if n > 0 else days[n])
    else:
        day = easter(year)
    return day + dt.timedelta(days=int(m.group(7) or 0))


def easter(year: int) -> dt.date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _holiday(f: dict, ref: Optional[dt.date], tense: Optional[str], anchors: Anchors) -> Resolved:
    if f.get("y") is not None:
        day, why = holiday_date(f["rule"], f["y"]), "holiday in an explicit year"
    else:
        ref = _need(ref, "holiday without a year")
        cands = [holiday_date(f["rule"], ref.year + k) for k in (-1, 0, 1)]
        day, why = pick_shifted(cands, ref, tense, f.get("shift"), "holiday")
    if f.get("week"):
        return _week_of_day(day, why + ", its week")
    return Resolved("DATE", day_value(day), day, day, "day", why)


def _week_of_day(day: dt.date, why: str) -> Resolved:
    monday = day - dt.timedelta(days=day.weekday())
    return Resolved("DATE", week_value(day), monday, monday + dt.timedelta(days=6), "week", why)


def _week_of(f: dict, ref: Optional[dt.date], tense: Optional[str], anchors: Anchors) -> Resolved:
    day = resolve(f["day"], ref, tense, anchors)
    return _week_of_day(day.start, f"the week of the date: {day.reason}")


def _period_end(f: dict, ref: Optional[dt.date], tense: Optional[str], anchors: Anchors) -> Resolved:
    """The end of the publication's year (month, quarter); after "since" the one before it: a change
    "since year-end" is measured from an end already past (but "were due by year-end" is this one's)."""
    ref = _need(ref, "period end")
    unit = {"year": "Y", "month": "M", "quarter": "Q"}[f["what"]]
    if f.get("since"):
        span = _unit_span(unit, ref, -1)
        return Resolved("DATE", day_value(span.end), span.end, span.end, "day",
                        f"end of the {f['what']} before the publication's (after 'since')")
    span = _unit_span(unit, ref, 0)
    return Resolved("DATE", day_value(span.end), span.end, span.end, "day", f"end of the publication {f['what']}")


_RESOLVERS = {
    "date": _date, "weekday": _weekday, "relday": _relday, "relunit": _relunit, "ago": _ago,
    "quarter": _quarter, "season": _season, "decade": _decade, "century": _century, "vague": _vague,
    "duration": _duration, "set": _set, "clock": _clock, "dom": _dom, "period_end": _period_end,
    "holiday": _holiday, "week_of": _week_of, "anaphoric": _anaphoric, "half": _half,
}
