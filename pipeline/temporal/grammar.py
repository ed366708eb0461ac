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
    quarter, season, decade, century, vague, duration, set, clock, dom.
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
        DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?(?![\d:])"
        YEAR = r"(?:1[5-9]\d\d|20\d\d)(?![\d,]\d)"
        NUMW = rf"(?:\d+(?:\.\d+)?|(?:{A('numbers')})(?:-(?:{A('numbers')}))?)"
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
        CLOCK = r"(?:[01]?\d|2[0-3])(?::[0-5]\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|(?:[01]?\d|2[0-3]):[0-5]\d(?!\d)"
        APPROX = r"(?:more\s+than|less\s+than|nearly|almost|about|around|some|over|under|at\s+least|roughly|only|just)"
        QWORD = r"(?:final|last|latest|current|past|previous|year-ago|year-earlier|same|fiscal)"
        self.rules: list[tuple[str, re.Pattern, Parser, tuple[str, ...]]] = []
        self.triggers = self._triggers()

        def rule(name: str, pattern: str, parser: Parser, needs: tuple[str, ...]) -> None:
            """``needs``: the trigger kinds one of which every match contains (see ``_triggers``)."""
            compiled = re.compile(rf"(?<![\w-])(?:{pattern})(?![\w])", re.IGNORECASE)
            self.rules.append((name, compiled, parser, needs))

        def g(name: str, pat: str) -> str:
            return f"(?P<{name}>{pat})"

        # Explicit dates, month first: "Friday, Jan. 21st, 2022", "March 3-5", "between March 3 and 5".
        rule("date_md",
             rf"(?:{g('wd', WD)},?\s+)?{g('mod', MODS)}{g('mon', MON)}\s+(?:the\s+)?{g('d', DAY)}"
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
        # Month alone: "in March", "last March", "late November".
        rule("month", rf"(?:{g('shift', SHIFT)}\s+)?{g('mod', MODS)}{g('mon', MON)}", self._month, ("month",))
        # Years: "2014", "mid-2014", "fiscal 1989".
        rule("year", rf"{g('mod', MODS)}(?:fiscal\s+(?:year\s+)?)?{g('y', YEAR)}(?!\s*(?:%|percent))", self._year, ("digit",))
        DEC4, DEC2 = r"(?:1[5-9]|20)\d0", r"\d0"
        rule("decade", rf"(?:the\s+)?{g('mod', MODS)}(?:{g('dec', DEC4)}|'{g('dec2', DEC2)})'?s", self._decade, ("digit",))
        rule("century", rf"(?:the\s+)?{g('mod', MODS)}{g('ord', ORD)}[\s-]century", self._century, ("unit",))
        rule("season",
             rf"(?:{g('shift', SHIFT)}\s+|the\s+|{g('mod', MODS)})?{g('s', SEASON)}(?:\s+(?:of\s+)?{g('y', YEAR)})?",
             self._season, ("season",))
        rule("quarter",
             rf"(?:the\s+)?(?:{g('q', ORD)}|{g('qw', QWORD)})?(?:[\s-]|\s+fiscal\s+)?quarter"
             rf"(?:\s+of\s+(?:fiscal\s+)?{g('y', YEAR)}|\s+of\s+(?:{g('yshift', SHIFT)}|the)\s+year)?",
             self._quarter, ("unit",))
        rule("relday",
             rf"(?:the\s+day\s+{g('dba', r'before|after')}\s+)?{g('rel', REL)}(?:\s+{g('part', PART)})?",
             self._relday, ("rel",))
        rule("this_part", rf"(?:{g('shift', r'this|last|tomorrow|yesterday')})\s+{g('part', PART)}", self._this_part, ("part",))
        rule("weekday",
             rf"(?:{g('shift', SHIFT)}\s+|{g('mod', MODS)})?{g('wd', WD)}(?:'s)?(?:\s+{g('part', PART)})?"
             rf"(?:\s*(?:-|–|to|through|until|and)\s*{g('wd2', WD)})?",
             self._weekday, ("weekday",))
        rule("relunit",
             rf"{g('mod', MODS)}(?:{g('shift', SHIFT)}|{g('the', 'the')})\s+{g('unit', UNIT)}",
             self._relunit, ("unit",))
        rule("yearend", r"(?P<what>year|month|quarter)-end", self._period_end, ("unit",))
        rule("ago",
             rf"(?:{APPROX}\s+)?(?:{g('n', NUMW)}|{g('vn', VAGUEN)})?[\s-]*{g('unit', UNITS)}\s+{g('ago', AGO)}",
             self._ago, ("unit",))
        rule("year_earlier", rf"(?:the\s+)?year-(?:earlier|ago)", self._year_earlier, ("unit",))
        rule("duration",
             rf"(?:(?:the\s+)?{g('lead', r'(?:past|last|next|first|previous|coming|following|final|latest|same|other|initial)')}\s+)?"
             rf"(?:{APPROX}\s+)?"
             rf"(?:{g('n', NUMW)}|{g('vn', VAGUEN)})?(?:\s+(?:and\s+a\s+half)\s*|[\s-])*{g('unit', UNITS)}"
             rf"(?:[\s-]{g('tail', 'long|old')})?",
             self._duration, ("unit",))
        rule("the_units", rf"the\s+{g('n', NUMW)}\s+{g('unit', UNITS)}", self._duration, ("unit",))
        BARE = g("unit", r"(?:minutes|hours|days|weeks|months|years|decades|centuries)")
        rule("bare_units",
             rf"(?:for|over|within|than|in|take|took|taken|takes)\s+{g('core', BARE)}",
             self._bare_units, ("unit",))
        rule("set", rf"{g('cue', A('set_cues'))}\s+(?:{g('n', NUMW)}\s+)?(?:{g('wd', WD)}|{g('unit', UNITS)}|{g('s', SEASON)})",
             self._set, ("unit", "weekday", "season"))
        rule("set_word", A("sets"), self._set_word, ("set",))
        rule("vague", A("vague"), self._vague, ("vague",))
        TZ = r"[A-Z]{2,4}T|GMT|UTC"
        rule("clock",
             rf"{g('clock', CLOCK + '|' + A('clock_words'))}(?:\s+{g('tz', TZ)})?(?:\s+{g('part', PART)})?",
             self._clock, ("digit", "clock"))
        DOM, SP = r"[0-3]?\d(?:st|nd|rd|th)", r"\s+"
        rule("dom", rf"(?:on|by|until|since)\s+{g('core', 'the' + SP + g('d', DOM))}", self._dom, ("digit",))

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

    def _date(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        gd = m.groupdict()
        if gd.get("mon"):
            month = self._month_of(m, "mon", strict=False)
            if month is None:
                return None
        else:
            month = self._int(gd.get("m"))
        d = self._int(gd.get("d"))
        y = self._int(gd.get("y"))
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
        return Spec("date", m.re.pattern and "", {"y": y, "m": month, "d": d, "wd": wd, "d2": d2})

    def _month(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        strict = not (m.group("shift") or m.group("mod"))
        month = self._month_of(m, "mon", strict=strict)
        if month is None:
            return None
        shift = self.lex.shifts.get(normalize_words(m.group("shift"))) if m.group("shift") else None
        return Spec("date", "", {"y": None, "m": month, "d": None, "wd": None, "shift": shift})

    def _year(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        return Spec("date", "", {"y": int(m.group("y")), "m": None, "d": None, "wd": None})

    def _decade(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        dec = m.group("dec")
        if dec is None:
            two = int(m.group("dec2"))
            dec = str(1900 + two if two >= 20 else 2000 + two)
        return Spec("decade", "", {"dec": dec[:3]})

    def _century(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        word = normalize_words(m.group("ord"))
        c = self.lex.ordinals.get(word) or self._int(word)
        if not c or c > 21:
            return None
        return Spec("century", "", {"c": c})

    def _season(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        s = self.lex.seasons[normalize_words(m.group("s"))]
        shift = self.lex.shifts.get(normalize_words(m.group("shift"))) if m.group("shift") else None
        y = self._int(m.group("y"))
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
        if q is None and not qw and not text.startswith("the"):
            return None
        y = self._int(m.group("y"))
        yshift = self.lex.shifts.get(normalize_words(m.group("yshift"))) if m.group("yshift") else None
        return Spec("quarter", "", {"q": q, "qw": qw, "y": y, "yshift": yshift})

    def _relday(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        rel = normalize_words(m.group("rel"))
        off = self.lex.relative_days[rel]
        if m.group("dba"):
            off += -1 if m.group("dba").lower() == "before" else 1
        part = self.lex.day_parts[normalize_words(m.group("part"))] if m.group("part") else None
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

    def _weekday(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        wd = self._wd_of(m, "wd")
        if wd is None:
            return None
        wd2 = self._wd_of(m, "wd2") if m.group("wd2") else None
        if m.group("wd2") and wd2 is None:
            return None
        shift = self.lex.shifts.get(normalize_words(m.group("shift"))) if m.group("shift") else None
        part = self.lex.day_parts[normalize_words(m.group("part"))] if m.group("part") else None
        return Spec("weekday", "", {"wd": wd, "wd2": wd2, "shift": shift, "part": part})

    def _relunit(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        unit = self.lex.units[normalize_words(m.group("unit"))]
        if unit in ("S", "MIN", "H", "D", "FN"):
            return None
        if m.group("the"):
            if unit not in ("Y", "M", "W", "WE"):
                return None
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
        return Spec("period_end", "", {"what": m.group("what").lower()})

    def _ago(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        unit = self.lex.units[normalize_words(re.sub(r"(?:e?s)$", "", m.group("unit").lower()) or "")] \
            if normalize_words(re.sub(r"(?:e?s)$", "", m.group("unit").lower())) in self.lex.units \
            else self.lex.units.get(normalize_words(m.group("unit")))
        if unit is None:
            return None
        n = _num(m.group("n"), self.lex) if m.group("n") else (1.0 if not m.group("vn") else None)
        sign = self.lex.ago_words[normalize_words(m.group("ago"))]
        return Spec("ago", "", {"n": n, "unit": unit, "sign": sign})

    def _year_earlier(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        return Spec("ago", "", {"n": 1.0, "unit": "Y", "sign": -1})

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
        return Spec("vague", "", {"value": self.lex.vague[normalize_words(m.group(0))]})

    def _clock(self, m: re.Match, _g: "Grammar") -> Optional[Spec]:
        raw = m.group("clock").lower()
        if raw in self.lex.clock_words:
            return Spec("clock", "", {"hhmm": self.lex.clock_words[raw]})
        mm = re.match(r"(\d{1,2})(?::(\d\d))?\s*(a\.m\.|p\.m\.|am|pm)?", raw)
        h, minute, ampm = int(mm.group(1)), int(mm.group(2) or 0), mm.group(3)
        if ampm:
            if not 1 <= h <= 12:
                return None
            if ampm.startswith("p") and h != 12:
                h += 12
            elif ampm.startswith("a") and h == 12:
                h = 0
        return Spec("clock", "", {"hhmm": f"{h:02d}:{minute:02d}"})

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
        add(lex.weekdays, "weekday")
        add([w for u in lex.units for w in (u, u + "s", u + "es")] + ["centuries"], "unit")
        add(lex.seasons, "season")
        add(lex.day_parts, "part")
        add(lex.clock_words, "clock")
        add(lex.relative_days, "rel")
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


def names_pattern(table: dict[str, int]) -> str:
    """Full names, or abbreviations with an optional dot ("Jan.", "Sept", but not "May.")."""
    abbrev = [w for w in table if any(o != w and o.startswith(w) and table[o] == table[w] for o in table)]
    full = [w for w in table if w not in abbrev]
    return rf"(?:{alternation(full)}|{alternation(abbrev)}\.?)"


def duration_value(n: Optional[float], unit: str) -> str:
    """TIMEX3 duration: P3D, PT2H, P10Y (decades as years), PXY for a vague number."""
    amount = "X" if n is None else _fmt(n)
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
