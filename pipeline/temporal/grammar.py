"""Recognition: find temporal expressions and parse them into anchor-free ``Spec``s.

HeidelTime-style: a list of regular-expression rules built from the lexicon,
each with a small parser that turns the match into a ``Spec`` (what was said,
not yet which day it is). Overlapping matches are settled longest-first, so
"Friday, January 21st, 2022" wins over "Friday" and "2022". Anchoring against
the publication date is ``resolve.py``'s job, so recognition needs no date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from .lexicon import Lexicon, alternation, normalize_words


@dataclass
class Spec:
    """A parsed temporal expression: ``kind`` plus the fields that kind uses.

    kinds: date (y/m/d/wd, optional range end), weekday, relday, relunit, ago,
    quarter, half, season, decade, century, vague, duration, set, clock, dom, holiday,
    week_of, period_end, anaphoric (a year or month named earlier in the story).
    """

    kind: str
    rule: str
    f: dict[str, Any] = field(default_factory=dict)


@dataclass
class Match:
    start: int
    end: int
    text: str
    spec: Spec
    priority: int = 0


WORD = re.compile(r"[^\W_]+")
DIGIT = ("digit",)
LOOKBACK = 5  # "the day before yesterday", "the end of this month": the trigger is the 5th word

Parser = Callable[[re.Match, "Grammar"], Optional[Spec]]


def _num(text: Optional[str], lex: Lexicon) -> Optional[float]:
    """A number written in digits or words ("3", "three", "a couple of"); None for vague ones."""
    if text is None:
        return None
    t = normalize_words(text).replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return float(t)
    if re.fullmatch(r"\d+ 1/2", t):  # "5 1/2 hours"
        return float(t.split()[0]) + 0.5
    if t in lex.numbers:
        return float(lex.numbers[t])
    parts = re.split(r"[\s-]+", t)
    if len(parts) == 2 and all(p in lex.numbers for p in parts):  # "twenty-five"
        return float(lex.numbers[parts[0]] + lex.numbers[parts[1]])
    return None


def _fmt(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else str(n)


class Grammar:
    """The compiled rules of one lexicon. Build once per process (it is a resource)."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        A = lex.alternation
        MON = names_pattern(lex.months)
        WD = names_pattern(lex.weekdays)
        DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?(?!\d|:\d)"  # "Jan. 6:" is a date, "6:30" a clock time
        YEAR = rf"(?:(?:1[5-9]\d\d|20\d\d)(?![\d,]\d)|{spelled_year_pattern(lex)})"
        _, TENS, ONES = (alternation(w) for w in _year_words(lex))
        # "3", "5 1/2", "twenty four", "twenty-four", "a couple of"
        NUMW = rf"(?:\d+(?:\.\d+|\s+1/2)?|{TENS}\s+{ONES}|(?:{A('numbers')})(?:-(?:{A('numbers')}))?)"
        VAGUEN = A("vague_numbers")
        ORD = rf"(?:{A('ordinals')}|\d+(?:st|nd|rd|th))"
        UNIT = rf"(?:{A('units')})"
        UNITS = rf"(?:{A('units')})(?:s|es)?"
        SHIFT = A("shifts")
        MODS = rf"(?:(?:{A('modifiers')})(?:\s+|-))?"
        SEASON = A("seasons")
        PART = A("day_parts")
        REL = A("relative_days")
        AGO = A("ago_words")
        CLOCK = (r"(?:[01]?\d|2[0-3])(?::[0-5]\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|(?:[01]?\d|2[0-3]):[0-5]\d(?!\d)"
                 # "4 in the morning", "8 o'clock in the evening"
                 r"|(?:1[0-2]|0?[1-9])(?::[0-5]\d)?(?:\s+o'clock)?\s+in\s+the\s+(?:morning|afternoon|evening)")
        APPROX = r"(?:more\s+than|less\s+than|nearly|almost|about|around|some|over|under|at\s+least|roughly|only|just)"
        QWORD = r"(?:final|last|latest|current|past|previous|year-ago|year-earlier|same|fiscal|that)"
        self.rules: list[tuple[str, re.Pattern, Parser, tuple[str, ...]]] = []
        # The date a period ends on, after "the quarter": "the quarter ended Sept. 30".
        self.ended = re.compile(rf"\s+(?:ended|ending)\s+(?P<mon>{MON})\s+(?P<d>{DAY})(?:,?\s+(?P<y>{YEAR}))?",
                                re.IGNORECASE)
        self.triggers = self._triggers()

        def rule(name: str, pattern: str, parser: Parser, needs: tuple[str, ...]) -> None:
            """``needs``: the trigger kinds one of which every match contains (see ``_triggers``). No
            match ends inside a compound adjective ("the quarter-to-quarter comparison", "year-over-year
            growth"): those compare periods, they name none."""
            compiled = re.compile(rf"(?<![\w-])(?:{pattern})(?![\w])(?!-(?:to|over|on|by)-)", re.IGNORECASE)
            self.rules.append((name, compiled, parser, needs))

        def g(name: str, pat: str) -> str:
            return f"(?P<{name}>{pat})"

        # Explicit dates, month first: "Friday, Jan. 21st, 2022", "March 3-5", "between March 3 and 5".
        rule("date_md",
             rf"(?:{g('shift', r'last|next|this')}\s+)?(?:{g('wd', WD)},?\s+)?"
             rf"{g('mod', MODS)}{g('mon', MON)}\s+(?:the\s+)?{g('d', DAY)}"
             rf"(?:\s*(?:-|–|to|through|until|till|and)\s*{g('d2', DAY)})?(?:,?\s+{g('y', YEAR)})?",
             self._date, ("month",))
        # Day first: "21 January 2022", "the 22nd of January until the 30th".
        rule("date_dm",
             rf"(?:{g('wd', WD)},?\s+)?(?:the\s+)?{g('d', DAY)}(?:\s+of)?\s+{g('mon', MON)}"
             rf"(?:,?\s+{g('y', YEAR)})?(?:\s*(?:-|–|to|through|until|till|and)\s*(?:the\s+)?{g('d2', DAY)})?",
             self._date, ("month",))
        M2, D2, M1, D1, Y2 = r"[01]\d", r"[0-3]\d", r"[01]?\d", r"[0-3]?\d", r"(?:\d\d){1,2}"
        rule("date_iso", rf"{g('y', YEAR)}-{g('m', M2)}-{g('d', D2)}", self._date, ("digit",))
        rule("date_numeric", rf"{g('m', M1)}/{g('d', D1)}/{g('y', Y2)}", self._date, ("digit",))
        # Month and year: "March 2014", "early March of 2014".
        rule("month_year", rf"{g('mod', MODS)}{g('mon', MON)}(?:\s+of)?,?\s+{g('y', YEAR)}", self._date, ("month",))
        # Holidays: "Thanksgiving Day", "last Christmas", "Christmas Eve 2019", "Easter week".
        rule("holiday",
             rf"(?:{g('shift', SHIFT)}\s+)?{g('h', A('holidays'))}(?:,?\s+{g('y', YEAR)})?(?P<week>\s+week)?",
             self._holiday, ("holiday",))
        # The week a date falls in: "the week of March 6".
        rule("week_of", rf"the\s+week\s+of\s+{g('mon', MON)}\s+{g('d', DAY)}(?:,?\s+{g('y', YEAR)})?",
             self._week_of, ("month",))
        # Month and a year relative to publication: "June last year", "early October this year".
        rule("month_relyear", rf"{g('mod', MODS)}{g('mon', MON)}\s+(?:of\s+)?{g('yshift', SHIFT)}\s+year",
             self._date, ("month",))
        # Month alone: "in March", "last March", "late November".
        rule("month", rf"(?:{g('shift', SHIFT)}\s+)?{g('mod', MODS)}{g('mon', MON)}", self._month, ("month",))
        # Halves of a year: "the second half of 1989", "the first two quarters of 1990" (TIMEX3 1989-H2).
        rule("half",
             rf"(?:the\s+)?(?:{g('h', r'first|second|last|latter')}\s+half|{g('hq', r'first|last')}\s+two\s+quarters)"
             rf"\s+of\s+(?:(?:fiscal\s+)?{g('y', YEAR)}|{g('yshift', r'this|last|next')}\s+year|the\s+year)",
             self._half, ("digit", "unit"))
        # Years: "2014", "mid-2014", "fiscal 1989", "post-1959" (the year the era is counted from).
        rule("year", rf"{g('mod', MODS)}(?:fiscal\s+(?:year\s+)?|the\s+year\s+|(?:pre|post)-)?{g('y', YEAR)}"
             rf"(?!\s*(?:%|percent))",
             self._year, ("digit",))
        DEC4, DEC2 = r"(?:1[5-9]|20)\d0", r"\d0"
        rule("decade", rf"(?:the\s+)?{g('mod', MODS)}(?:{g('dec', DEC4)}|'{g('dec2', DEC2)})'?s", self._decade, ("digit",))
        # Spelled decades need "the" ("the nineties"; "in her thirties" is an age).
        rule("decade_word", rf"the\s+{g('mod', MODS)}{g('decw', alternation(decade_words(lex)))}",
             self._decade_word, ("decade",))
        rule("century", rf"(?:the\s+)?{g('mod', MODS)}{g('ord', ORD)}[\s-]century", self._century, ("unit",))
        rule("season",
             rf"(?:{g('shift', SHIFT)}\s+|the\s+|{g('mod', MODS)})?{g('s', SEASON)}(?:\s+(?:of\s+)?{g('y', YEAR)})?",
             self._season, ("season",))
        # Quarters: "the third quarter", "the 1988 second quarter", "next year's first quarter",
        # "the comparable year-ago quarter", "the quarter a year earlier".
        YEAR_AGO = r"a\s+year\s+(?:ago|earlier)"
        QPRE = (rf"(?:{g('py', YEAR)}|{g('pshift', 'this|last|next')}\s+year's"
                rf"|(?:(?:comparable|corresponding|same)\s+)?{g('pago', 'year-ago|year-earlier')})\s+")
        # "the 1988 period" in an earnings report: that year's quarter under discussion.
        rule("year_period", rf"the\s+{g('py', YEAR)}\s+period", self._year_period, ("digit",))
        rule("latest_period", r"the\s+(?P<qw>latest|same)\s+period", self._latest_period, ("period",))
        rule("quarter",
             rf"(?:the\s+)?(?:{QPRE})?(?:fiscal[\s-]+)?(?:{g('q', ORD)}|{g('qw', QWORD)})?"
             rf"(?:[\s-]|\s+fiscal\s+)?quarter"
             rf"(?:\s+of\s+(?:fiscal\s+)?{g('y', YEAR)}|\s+of\s+(?:{g('yshift', SHIFT)}|the)\s+year"
             rf"|\s+{g('sago', YEAR_AGO)})?",
             self._quarter, ("unit",))
        # Quarter codes of financial news: "Q3", "Q3 2013", "2013 Q3", "Q3 of 2013".
        rule("quarter_code", rf"(?:{g('py', YEAR)}\s+)?Q{g('qn', '[1-4]')}(?:\s+(?:of\s+)?{g('y', YEAR)})?",
             self._quarter_code, ("qcode",))
        rule("relday",
             rf"(?:the\s+day\s+{g('dba', r'before|after')}\s+)?{g('rel', REL)}(?:\s+{g('part', PART)})?",
             self._relday, ("rel",))
        rule("this_part", rf"(?:{g('shift', r'this|last|tomorrow|yesterday')})\s+{g('part', PART)}", self._this_part, ("part",))
        # The part of the day before the day: "mid-afternoon yesterday", "late evening Friday".
        rule("part_day",
             rf"(?:(?:early|late|mid)[\s-]?)?{g('part', PART)}\s+(?:{g('rel', r'yesterday|today|tomorrow')}|{g('wd', WD)})",
             self._part_day, ("part",))
        rule("weekday",
             rf"(?:{g('shift', SHIFT)}\s+|{g('mod', MODS)})?{g('wd', WD)}(?:'s)?(?:\s+{g('part', PART)})?"
             rf"(?:\s*(?:-|–|to|through|until)\s*{g('wd2', WD)})?",
             self._weekday, ("weekday",))
        # A year or month the story named before: "that year", "the following month", "later that year".
        ANA = r"that|the\s+same|the\s+following|the\s+previous|the\s+prior"
        rule("anaphoric",
             rf"(?:{g('mod', r'later|earlier|early|late')}\s+(?:in\s+)?)?"
             rf"{g('ana', ANA)}\s+{g('unit', r'year|month')}",
             self._anaphoric, ("unit",))
        # A day the story named before: "that day", "the next morning", "later that night".
        ANA_DAY = r"that(?:\s+same)?|the\s+same|the\s+(?:next|following|previous|prior)|the"
        rule("anaphoric_day",
             rf"(?:{g('mod', r'later|earlier|early|late')}\s+(?:in\s+)?)?"
             rf"{g('ana', ANA_DAY)}\s+(?:{g('unit', r'day')}|{g('part', PART)})",
             self._anaphoric_day, ("unit", "part"))
        THE_FULL = r"the(?:\s+full)?"  # "the year", "the full year": the one the article is in
        rule("relunit",
             rf"{g('mod', MODS)}(?:{g('shift', SHIFT)}|{g('the', THE_FULL)})\s+(?:fiscal\s+)?{g('unit', UNIT)}",
             self._relunit, ("unit",))
        rule("yearend", r"(?P<what>year|month|quarter)(?P<sep>-|'s\s+|\s+)end", self._period_end, ("unit",))
        rule("ago",
             rf"(?:{APPROX}\s+)?(?:{g('n', NUMW)}|{g('vn', VAGUEN)})?[\s-]*{g('unit', UNITS)}"
             rf"(?:\s+or\s+so)?\s+{g('ago', AGO)}",
             self._ago, ("unit",))
        # "the year-earlier period", "the corresponding period last year": the same period a year back.
        rule("year_earlier",
             r"(?:the\s+)?(?:(?:comparable|corresponding|same)\s+)?year-(?:earlier|ago)(?:\s+period)?"
             r"|the\s+(?:comparable|corresponding|same)\s+period\s+(?:of\s+)?"
             r"(?:last\s+year|a\s+year\s+(?:ago|earlier))",
             self._year_earlier, ("unit",))
        rule("duration",
             rf"(?:(?:the\s+)?{g('lead', r'(?:past|last|next|first|previous|coming|following|final|latest|same|other|initial)')}\s+)?"
             rf"(?:{APPROX}\s+)?"
             rf"(?:{g('n', NUMW)}|{g('vn', VAGUEN)})?(?:\s+(?:and\s+a\s+half)\s*|[\s-])*{g('unit', UNITS)}"
             rf"(?:\s+and\s+a\s+half)?(?:[\s-]{g('tail', 'long|old')})?",
             self._duration, ("unit",))
        rule("the_units", rf"the\s+{g('n', NUMW)}\s+{g('unit', UNITS)}", self._duration, ("unit",))
        BARE = g("unit", r"(?:minutes|hours|days|weeks|months|years|decades|centuries)")
        rule("bare_units",
             rf"(?:for|over|within|than|in|take|took|taken|takes)\s+{g('core', BARE)}",
             self._bare_units, ("unit",))
        # "every week", "each Monday", "every summer", "each July" (a month every year: XXXX-07).
        rule("set", rf"{g('cue', A('set_cues'))}\s+(?:{g('n', NUMW)}\s+)?"
             rf"(?:{g('wd', WD)}|{g('unit', UNITS)}|{g('s', SEASON)}|{g('mon', MON)})",
             self._set, ("unit", "weekday", "season", "month"))
        rule("set_word", A("sets"), self._set_word, ("set",))
        rule("vague", A("vague"), self._vague, ("vague",))
        TZ = r"[A-Z]{2,4}T|GMT|UTC"
        # A clock time with its day: "10 p.m. Wednesday", "noon Thursday", "5 p.m. EST, Nov. 6".
        rule("clock_day",
             rf"{g('clock', CLOCK + '|' + A('clock_words'))}(?:\s+{g('tz', TZ)})?,?\s+"
             rf"(?:{g('wd', WD)}|{g('mon', MON)}\s+{g('d', DAY)}|{g('rel', REL)})",
             self._clock_day, ("digit", "clock"))
        rule("clock",
             rf"{g('clock', CLOCK + '|' + A('clock_words'))}(?:\s+{g('tz', TZ)})?(?:\s+{g('part', PART)})?",
             self._clock, ("digit", "clock"))
        DOM, SP = r"[0-3]?\d(?:st|nd|rd|th)", r"\s+"
        # "on the 21st", "until the 30th", "on the afternoon of the 14th"
        rule("dom", rf"(?:on|by|until|since|(?:morning|afternoon|evening|night)\s+of)\s+{g('core', 'the' + SP + g('d', DOM))}",
             self._dom, ("digit",))

    # --- parsers ------------------------------------------------------------

    def _cap_ok(self, word: str, table: dict[str, int], ambiguous: list[str], dotted: bool,
                m: re.Match, group: str, strict_context: bool) -> Optional[int]:
        """Month/weekday names must be capitalised; ambiguous ones need a number or cue nearby."""
        if not word or not word[0].isupper():
            return None
        key = word.rstrip(".").lower()
        if key not in table:
            return None
        if key in ambiguous and strict_context and not dotted:
            before = m.string[max(0, m.start(group) - 12):m.start(group)].split()
            if not before or before[-1].lower().rstrip("-") not in self.lex.month_cues:
                return None
        return table[key]

    def _month_of(self, m: re.Match, group: str, strict: bool) -> Optional[int]:
        word = m.group(group)
        return self._cap_ok(word, self.lex.months, self.lex.ambiguous_months, word.endswith("."), m, group, strict)

    def _wd_of(self, m: re.Match, group: str) -> Optional[int]:
        word = m.group(group)
        if word is None:
            return None
        key = word.rstrip(".").lower()
        if key in self.lex.ambiguous_weekdays and not word.endswith("."):
            return None
        return self._cap_ok(word, self.lex.weekdays, [], True, m, group, False)

    @staticmethod
    def _int(text: Optional[str]) -> Optional[int]:
        return int(re.sub(r"\D", "", text)) if text else None

    def _yr(self, text: Optional[str]) -> Optional[int]:
        """A year in digits or spelled out ("nineteen ninety-six", "two thousand")."""
        if not text:
            return None
        if text[0].isdigit():
            return int(text)
        return spelled_year(text, self.lex)

    def _date(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        gd = m.groupdict()
        if gd.get("mon"):
            month = self._month_of(m, "mon", strict=False)
            if month is None:
                return None
        else:
            month = self._int(gd.get("m"))
        d = self._int(gd.get("d"))
        y = self._yr(gd.get("y"))
        if y is not None and y < 100:  # "11/02/89"
            y += 1900 if y >= 50 else 2000
        wd = None
        if gd.get("wd"):
            wd = self._wd_of(m, "wd")
            if wd is None:
                return None
        if month is None or not 1 <= month <= 12 or (d is not None and not 1 <= d <= 31):
            return None
        d2 = self._int(gd.get("d2"))
        if d2 is not None and (not 1 <= d2 <= 31 or d is None or d2 <= d):
            return None
        f = {"y": y, "m": month, "d": d, "wd": wd, "d2": d2}
        if gd.get("shift"):
            f["shift"] = self.lex.shifts[normalize_words(gd["shift"])]
        if gd.get("yshift"):
            f["yshift"] = self.lex.shifts[normalize_words(gd["yshift"])]
        return Spec("date", "", f)

    def _month(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        strict = not (m.group("shift") or m.group("mod"))
        month = self._month_of(m, "mon", strict=strict)
        if month is None:
            return None
        after = m.string[m.end():m.end() + 30]
        if strict and re.match(r"\s+(?:of|for|on)\s+(?:the\s+)?[A-Z]", after):
            return None  # a named event: "the March for Life", "the March on Washington"
        if strict and m.group("mon").lower() in self.lex.ambiguous_months and re.match(r"\s+[A-Z][a-z]", after):
            return None  # a first name: "Jan Kavan", "May Smith"
        shift = self.lex.shifts.get(normalize_words(m.group("shift"))) if m.group("shift") else None
        return Spec("date", "", {"y": None, "m": month, "d": None, "wd": None, "shift": shift})

    def _year(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        y = self._yr(m.group("y"))
        return Spec("date", "", {"y": y, "m": None, "d": None, "wd": None}) if y else None

    def _decade(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        dec = m.group("dec")
        if dec is None:
            two = int(m.group("dec2"))
            dec = str(1900 + two if two >= 20 else 2000 + two)
        return Spec("decade", "", {"dec": dec[:3]})

    def _decade_word(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        tens = decade_words(self.lex)[normalize_words(m.group("decw"))]
        return Spec("decade", "", {"tens": tens})

    def _century(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        word = normalize_words(m.group("ord"))
        c = self.lex.ordinals.get(word) or self._int(word)
        if not c or c > 21:
            return None
        return Spec("century", "", {"c": c})

    def _season(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        s = self.lex.seasons[normalize_words(m.group("s"))]
        shift = self.lex.shifts.get(normalize_words(m.group("shift"))) if m.group("shift") else None
        y = self._yr(m.group("y"))
        text = m.group(0).lower()
        # "fall" and "spring" are common words: a season needs a year, a shift or "the"/"this".
        if y is None and shift is None and not text.startswith("the ") and not m.group("mod"):
            before = m.string[max(0, m.start() - 8):m.start()].lower().split()
            if not before or before[-1] not in ("in", "this", "by", "since", "until", "during"):
                return None
        if normalize_words(m.group("s")) in ("fall", "spring") and y is None and shift is None:
            after = m.string[m.end():m.end() + 4].lower()
            if after.startswith(" of") or after.startswith(" in"):
                return None
        return Spec("season", "", {"s": s, "y": y, "shift": shift})

    def _quarter(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        q = None
        if m.group("q"):
            word = normalize_words(m.group("q"))
            q = self.lex.ordinals.get(word) or self._int(word)
            if q is None or not 1 <= q <= 4:
                return None
        qw = (m.group("qw") or "").lower()
        text = m.group(0).lower()
        prefixed = m.group("py") or m.group("pshift") or m.group("pago")
        if q is None and not qw and not text.startswith("the") and not prefixed:
            return None
        y = self._yr(m.group("y") or m.group("py"))
        shift_word = m.group("yshift") or m.group("pshift")
        yshift = self.lex.shifts.get(normalize_words(shift_word)) if shift_word else None
        ago = bool(m.group("pago") or m.group("sago")) or qw in ("year-ago", "year-earlier")
        f = {"q": q, "qw": "" if ago else qw, "y": y, "yshift": yshift, "ago": ago}
        if q is None and y is None and yshift is None and not ago:
            ended = self.ended.match(m.string, m.end())
            month = self._month_of(ended, "mon", strict=False) if ended else None
            if month is not None:  # "the quarter ended July 31": the three months up to that day
                f["ended"] = (self._yr(ended.group("y")), month, self._int(ended.group("d")))
        return Spec("quarter", "", f)

    def _quarter_code(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        if not m.group(0).lstrip("0123456789 ").startswith("Q"):
            return None  # "q3" in lower case is not how quarters are written
        y = self._yr(m.group("y") or m.group("py"))
        return Spec("quarter", "", {"q": int(m.group("qn")), "qw": "", "y": y, "yshift": None, "ago": False})

    def _holiday(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        if not m.group("h")[0].isupper():
            return None  # "thanksgiving" the word, "christmas shopping" in lower case
        shift = self.lex.shifts.get(normalize_words(m.group("shift"))) if m.group("shift") else None
        return Spec("holiday", "", {"rule": self.lex.holidays[normalize_words(m.group("h"))], "shift": shift,
                                    "y": self._yr(m.group("y")), "week": bool(m.group("week"))})

    def _week_of(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        day = self._date(m, self)
        return Spec("week_of", "", {"day": day}) if day else None

    def _year_period(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        y = self._yr(m.group("py"))
        return Spec("quarter", "", {"q": None, "qw": "", "y": y, "yshift": None, "ago": False}) if y else None

    def _latest_period(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        return Spec("quarter", "", {"q": None, "qw": m.group("qw").lower(), "y": None, "yshift": None, "ago": False})

    def _relday(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        rel = normalize_words(m.group("rel"))
        off = self.lex.relative_days[rel]
        gd = m.groupdict()
        if gd.get("dba"):
            off += -1 if m.group("dba").lower() == "before" else 1
        part = self.lex.day_parts[normalize_words(gd["part"])] if gd.get("part") else None
        if rel == "tonight":
            part = "NI"
        return Spec("relday", "", {"off": off, "part": part})

    def _this_part(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        shift = m.group("shift").lower()
        part = self.lex.day_parts[normalize_words(m.group("part"))]
        off = {"this": 0, "tomorrow": 1, "yesterday": -1, "last": -1}[shift]
        if shift == "last" and part != "NI":
            return None  # "last morning" is not an expression; "last night" is
        return Spec("relday", "", {"off": off, "part": part})

    def _part_day(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        part = self.lex.day_parts[normalize_words(m.group("part"))]
        if m.group("rel"):
            return Spec("relday", "", {"off": self.lex.relative_days[m.group("rel").lower()], "part": part})
        wd = self._wd_of(m, "wd")
        return Spec("weekday", "", {"wd": wd, "wd2": None, "shift": None, "part": part}) if wd else None

    def _weekday(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        wd = self._wd_of(m, "wd")
        if wd is None:
            return None
        wd2 = self._wd_of(m, "wd2") if m.group("wd2") else None
        if m.group("wd2") and wd2 is None:
            return None
        shift_word = normalize_words(m.group("shift")) if m.group("shift") else None
        shift = self.lex.shifts.get(shift_word) if shift_word else None
        part = self.lex.day_parts[normalize_words(m.group("part"))] if m.group("part") else None
        f = {"wd": wd, "wd2": wd2, "shift": shift, "part": part}
        the = m.string[max(0, m.start() - 4):m.start()].lower() == "the "
        if shift and shift_word in ("following", "previous") and the:
            f["from_named"] = True  # "the previous Friday": before the day the story is at, not publication
        return Spec("weekday", "", f)

    def _relunit(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        unit = self.lex.units[normalize_words(m.group("unit"))]
        if unit in ("S", "MIN", "H", "D", "FN"):
            return None
        if m.group("the"):
            if unit not in ("Y", "M", "W", "WE") or (unit != "Y" and "full" in m.group("the").lower()):
                return None
            if unit == "Y" and re.match(r"\s+(?:ended|ending)\b", m.string[m.end():m.end() + 8]):
                return Spec("duration", "", {"n": 1.0, "unit": "Y", "note": "a fiscal year ending on a date"})
            return Spec("relunit", "", {"unit": unit, "shift": 0, "definite": True})
        shift_word = normalize_words(m.group("shift"))
        shift = self.lex.shifts[shift_word]
        before = m.string[max(0, m.start() - 5):m.start()].lower()
        if shift_word in ("past", "last", "next", "coming", "following") and before.endswith("the "):
            return None  # "the past year" is a duration
        if unit == "Q":
            return Spec("quarter", "", {"q": None, "qw": shift_word, "y": None, "yshift": None})
        return Spec("relunit", "", {"unit": unit, "shift": shift})

    def _period_end(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        """ "year-end" is its last day ("since year-end": one already past); "by year end", "by year's
        end" are the year with its end (TimeML: the period's value, mod=END), as "the end of the year" is."""
        what = m.group("what").lower()
        if m.group("sep") == "-":
            since = m.string[max(0, m.start() - 7):m.start()].lower().split()[-1:] == ["since"]
            return Spec("period_end", "", {"what": what, "since": since})
        unit = {"year": "Y", "month": "M", "quarter": "Q"}[what]
        return Spec("relunit", "", {"unit": unit, "shift": 0, "note": f"the {what}'s end: the {what} itself"})

    def _anaphoric(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        word = normalize_words(m.group("ana"))
        step = {"that": 0, "the same": 0, "the following": 1, "the previous": -1, "the prior": -1}[word]
        if step and m.group("mod"):
            return None  # "later the following year": no such phrase
        return Spec("anaphoric", "", {"unit": m.group("unit").lower(), "step": step})

    def _anaphoric_day(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        """ "that day", "the same day", "the next morning": a day counted from the one the story named
        last (resolved with the anchors), like "that year" from the year named last."""
        word = normalize_words(m.group("ana"))
        if word == "the" and not (m.group("mod") or "").lower().startswith(("later", "earlier")):
            return None  # "the day" alone is not anaphoric; "later in the day" is
        step = {"next": 1, "following": 1, "previous": -1, "prior": -1}.get(word.split()[-1], 0)
        if step and m.group("mod"):
            return None  # "later the next day": no such phrase
        part = self.lex.day_parts[normalize_words(m.group("part"))] if m.group("part") else None
        return Spec("anaphoric", "", {"unit": "day", "step": step, "part": part})

    def _half(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        first = (m.group("h") or m.group("hq")).lower() == "first"
        y = self._yr(m.group("y"))
        yshift = self.lex.shifts[normalize_words(m.group("yshift"))] if m.group("yshift") else None
        if y is None and yshift is None:
            yshift = 0  # "the second half of the year": the publication year's
        return Spec("half", "", {"h": 1 if first else 2, "y": y, "yshift": yshift})

    def _ago(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        unit = self._unit_of(m.group("unit"))
        if unit is None:
            return None
        plural = m.group("unit").lower().endswith("s")
        if m.group("n"):
            n = _num(m.group("n"), self.lex)
        else:  # "a day earlier" has its "a" in n; "days before", "several weeks ago" are vague
            n = None if (m.group("vn") or plural) else 1.0
        word = normalize_words(m.group("ago"))
        if word in self.lex.event_anchored:
            return Spec("duration", "", {"n": n, "unit": unit,
                                         "note": f"{word!r} counts from another event, not from publication"})
        return Spec("ago", "", {"n": n, "unit": unit, "sign": self.lex.ago_words[word]})

    def _year_earlier(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        return Spec("ago", "", {"n": 1.0, "unit": "Y", "sign": -1, "same_period": True})

    def _unit_of(self, word: str) -> Optional[str]:
        w = normalize_words(word)
        for cand in (w, w[:-1], w[:-2]):
            if cand in self.lex.units:
                return self.lex.units[cand]
        if w == "centuries":
            return "CE"
        return None

    def _duration(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        unit = self._unit_of(m.group("unit"))
        if unit is None:
            return None
        gd = m.groupdict()
        if not (gd.get("n") or gd.get("vn")):
            if not gd.get("lead") or m.group("unit").lower().endswith("s"):
                return None  # a bare unit is a duration only after "the past", "the next"...: "the past year"
            gd["n"] = "1"
        n = _num(gd.get("n"), self.lex) if gd.get("n") else None
        if gd.get("n") and n is None:
            return None
        if n is not None and n.is_integer() and 1500 <= n <= 2099 and unit not in ("Y", "DE", "CE"):
            return None  # "the 1988 second quarter": a year, not 1988 seconds
        if n is not None and "and a half" in m.group(0).lower():
            n += 0.5
        if (gd.get("tail") or "").lower() == "old" or re.match(r"\s+old\b", m.string[m.end():m.end() + 5]):
            return None  # an age ("a 6-year-old", "52 years old"), not a temporal expression
        plural = m.group("unit").lower().endswith("s")
        if n is not None and n == 1 and plural and gd.get("n") and not gd["n"].isdigit():
            return None  # "a days"
        if unit == "Q" and re.match(r"\s+of\b", m.string[m.end():m.end() + 4]):
            return None  # a fraction: "three-quarters of its food"
        return Spec("duration", "", {"n": n, "unit": unit})

    def _bare_units(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        unit = self._unit_of(m.group("unit"))
        return Spec("duration", "", {"n": None, "unit": unit}) if unit else None

    def _set(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        if m.group("wd"):
            wd = self._wd_of(m, "wd")
            return Spec("set", "", {"value": f"XXXX-WXX-{wd}"}) if wd else None
        if m.group("s"):
            return Spec("set", "", {"value": "XXXX-" + self.lex.seasons[normalize_words(m.group("s"))]})
        if m.group("mon"):
            month = None if m.group("n") else self._month_of(m, "mon", strict=False)
            return Spec("set", "", {"value": f"XXXX-{month:02d}"}) if month else None
        unit = self._unit_of(m.group("unit"))
        if unit is None:
            return None
        n = _num(m.group("n"), self.lex) if m.group("n") else 1.0
        if n is None:
            return None
        return Spec("set", "", {"value": duration_value(n, unit)})

    def _set_word(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        return Spec("set", "", {"value": self.lex.sets[normalize_words(m.group(0))]})

    def _vague(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        phrase = normalize_words(m.group(0))
        f = {"value": self.lex.vague[phrase]}
        if phrase in self.lex.vague_not_past:
            before = m.string[max(0, m.start() - 4):m.start()].lower()
            after = m.string[m.end():m.end() + 7].lower()
            if re.search(r"\bas\s+$", before) or re.match(r"\s+(?:as|after)\b", after):
                return None  # a conjunction: "as soon as", "soon after"
            f["not_past"] = True
            f["note"] = "ahead only outside past narration and conjunctions"
        return Spec("vague", "", f)

    def _hhmm(self, raw: str) -> Optional[str]:
        raw = raw.lower()
        if raw in self.lex.clock_words:
            return self.lex.clock_words[raw]
        mm = re.match(r"(\d{1,2})(?::(\d\d))?\s*(a\.m\.|p\.m\.|am|pm)?", raw)
        h, minute, ampm = int(mm.group(1)), int(mm.group(2) or 0), mm.group(3)
        if re.search(r"\sin\s+the\s+morning$", raw):
            ampm = "am"
        elif re.search(r"\sin\s+the\s+(?:afternoon|evening)$", raw):
            ampm = "pm"
        if ampm:
            if not 1 <= h <= 12:
                return None
            if ampm.startswith("p") and h != 12:
                h += 12
            elif ampm.startswith("a") and h == 12:
                h = 0
        return f"{h:02d}:{minute:02d}"

    def _clock(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        raw = m.group("clock").lower()
        if raw in self.lex.clock_words:  # "noon" alone is a time only after "at", "by"...: not "High Noon"
            before = m.string[max(0, m.start() - 10):m.start()].lower().split()
            if not before or before[-1] not in self.lex.clock_cues:
                return None
        hhmm = self._hhmm(raw)
        return Spec("clock", "", {"hhmm": hhmm}) if hhmm else None

    def _clock_day(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        """The clock time on the day named after it: the day is resolved as if it stood alone."""
        hhmm = self._hhmm(m.group("clock"))
        if hhmm is None:
            return None
        if m.group("wd"):
            wd = self._wd_of(m, "wd")
            day = Spec("weekday", "", {"wd": wd, "wd2": None, "shift": None, "part": None}) if wd else None
        elif m.group("mon"):
            day = self._date(m, self)
        else:
            day = self._relday(m, self)
        if day is None or day.f.get("part"):
            return None
        return Spec("clock", "", {"hhmm": hhmm, "day": day})

    def _dom(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        d = self._int(m.group("d"))
        return Spec("dom", "", {"d": d}) if d and 1 <= d <= 31 else None

    # --- running ------------------------------------------------------------

    def _triggers(self) -> dict[str, tuple[str, ...]]:
        """Word -> trigger kinds. Every rule's match contains a word of one of its kinds, so a
        rule is only tried at the few word starts just before such a word (speed: no full scans)."""
        lex = self.lex
        kinds: dict[str, set[str]] = {}  # turned into tuples below

        def add(words, kind: str) -> None:
            for w in words:
                kinds.setdefault(w, set()).add(kind)

        add(lex.months, "month")
        add(decade_words(lex), "decade")
        add(["period"], "period")
        add([h.split()[-1] for h in lex.holidays], "holiday")
        add(_year_words(lex)[0] + ["thousand"], "digit")  # spelled-out years: "nineteen ninety-six"
        add(lex.weekdays, "weekday")
        add([w for u in lex.units for w in (u, u + "s", u + "es")] + ["centuries"], "unit")
        add(lex.seasons, "season")
        add(lex.day_parts, "part")
        add(lex.clock_words, "clock")
        add(lex.relative_days, "rel")
        add([f"q{n}" for n in range(1, 5)], "qcode")
        add(lex.sets, "set")
        add([p.split()[-1] for p in lex.vague], "vague")
        return {w: tuple(sorted(k)) for w, k in kinds.items()}

    def _starts(self, text: str) -> dict[str, list[int]]:
        """Trigger kind -> candidate match starts: the word starts up to LOOKBACK words before a trigger."""
        get = self.triggers.get
        words = WORD.findall(text)  # not text.lower(): lower() may change the length ("İ")
        positions: Optional[list[int]] = None
        starts: dict[str, set[int]] = {}
        for i, w in enumerate(words):
            kinds = get(w.lower())
            if kinds is None:
                if w[0] > "9" or w[0] < "0":
                    continue
                kinds = DIGIT  # years, dates, clock times, durations
            if positions is None:
                positions = [m.start() for m in WORD.finditer(text)]
            at = positions[i]
            window = positions[max(0, i - LOOKBACK):i + 1]
            for k in kinds:
                starts.setdefault(k, set()).update(window)
            if kinds is DIGIT and at and text[at - 1] == "'":  # "'90s"
                starts["digit"].add(at - 1)
        return {k: sorted(v) for k, v in starts.items()}

    def find(self, text: str) -> list[Match]:
        """Every temporal expression of ``text``, non-overlapping, in text order."""
        found: list[Match] = []
        starts = self._starts(text)
        for priority, (name, pattern, parser, needs) in enumerate(self.rules):
            at = sorted({s for k in needs for s in starts.get(k, ())})
            for s in at:
                m = pattern.match(text, s)
                if m is None:
                    continue
                spec = parser(m, self)
                if spec is None:
                    continue
                spec.rule = name
                span = m.span("core") if "core" in pattern.groupindex else m.span()
                found.append(Match(span[0], span[1], text[span[0]:span[1]], spec, priority))
        found.sort(key=lambda x: (-(x.end - x.start), x.priority, x.start))
        taken: list[Match] = []
        for cand in found:
            if all(cand.end <= t.start or cand.start >= t.end for t in taken):
                taken.append(cand)
        return sorted(taken, key=lambda x: x.start)


def _year_words(lex: Lexicon) -> tuple[list[str], list[str], list[str]]:
    """Number words that spell years: centuries (eleven..twenty), tens (ten..ninety), ones (one..nine)."""
    words = [(w, v) for w, v in lex.numbers.items() if " " not in w and w not in ("a", "an")]
    centuries = [w for w, v in words if 11 <= v <= 20]
    tens = [w for w, v in words if 10 <= v <= 90 and (v % 10 == 0 or v < 20)]
    ones = [w for w, v in words if 1 <= v <= 9]
    return centuries, tens, ones


def decade_words(lex: Lexicon) -> dict[str, int]:
    """ "twenties".."nineties" -> 20..90, from the number words "twenty".."ninety"."""
    return {w[:-1] + "ies": int(v) for w, v in lex.numbers.items()
            if w.endswith("ty") and " " not in w and 20 <= v <= 90}


def spelled_year_pattern(lex: Lexicon) -> str:
    """ "nineteen ninety-six", "nineteen eighty", "two thousand (and) one": years read out on air."""
    centuries, tens, ones = (alternation(w) for w in _year_words(lex))
    not_counted = rf"(?![\w-])(?!\s+(?:{lex.alternation('units')}))"  # "two thousand years" is a number
    return (rf"{centuries}[\s-]+{tens}(?:[\s-]+{ones})?{not_counted}"
            rf"|two\s+thousand(?:\s+(?:and\s+)?{ones})?{not_counted}")


def spelled_year(text: str, lex: Lexicon) -> Optional[int]:
    words = [w for w in re.split(r"[\s-]+", normalize_words(text)) if w != "and"]
    if words[:2] == ["two", "thousand"]:
        return 2000 + sum(int(lex.numbers[w]) for w in words[2:])
    if len(words) < 2 or any(w not in lex.numbers for w in words):
        return None
    return int(lex.numbers[words[0]]) * 100 + sum(int(lex.numbers[w]) for w in words[1:])


def names_pattern(table: dict[str, int]) -> str:
    """Full names, or abbreviations with an optional dot ("Jan.", "Sept", but not "May.")."""
    abbrev = [w for w in table if any(o != w and o.startswith(w) and table[o] == table[w] for o in table)]
    full = [w for w in table if w not in abbrev]
    return rf"(?:{alternation(full)}|{alternation(abbrev)}\.?)"


# A unit and the next smaller one (how many per unit): half a year is P6M, not P0.5Y.
SMALLER = {"Y": (12, "M"), "M": (30, "D"), "D": (24, "H"), "H": (60, "M"), "MIN": (60, "S")}


def duration_value(n: Optional[float], unit: str) -> str:
    """TIMEX3 duration: P3D, PT2H, P10Y (decades as years), PXY for a vague number."""
    amount = "X" if n is None else _fmt(n)
    if n is not None and not float(n).is_integer() and unit in SMALLER:  # P2Y6M, PT5H30M
        whole, (k, small) = int(n), SMALLER[unit]
        rest = f"{_fmt((n - whole) * k)}{small}"
        if unit in ("H", "MIN"):
            return f"PT{whole}{'M' if unit == 'MIN' else 'H'}{rest}" if whole else f"PT{rest}"
        if unit == "D":
            return f"P{whole}DT{rest}" if whole else f"PT{rest}"
        return f"P{whole}{unit}{rest}" if whole else f"P{rest}"
    if unit in ("H", "MIN", "S"):
        return f"PT{amount}{'M' if unit == 'MIN' else unit}"
    if unit == "DE":
        return f"P{'X' if n is None else _fmt(n * 10)}Y" if n is not None else "PXDE"
    if unit == "CE":
        return f"P{_fmt(n * 100)}Y" if n is not None else "PXCE"
    if unit == "FN":
        return f"P{'X' if n is None else _fmt(n * 2)}W"
    if unit == "Q":
        return f"P{'X' if n is None else _fmt(n * 3)}M"
    return f"P{amount}{unit}"
