"""Toponym resolution: pick one gazetteer entry per toponym using the article's context.

Text-only (no spaCy), so the benchmark can resolve gold toponyms with exactly the
code the pipeline uses. Each distinct name is resolved once per article (one sense
per discourse). The score of a candidate is

  prior      population (log10), feature kind, how the name matched (primary,
             alternate, transliteration skeleton; an alternate name of a town loses
             more when other towns bear it as their main name), a national capital;
  + context  the share of the article's other names whose current pick lies in the
             same country / admin1 / admin2 / within ``near_km``; a demonym or a
             country named outright counts as a vote for its country;
  + pattern  "City, Province/Country", "Town in Province": the name right after the comma (or "in")
             contains it;

and the picks are refined for a few rounds, so context that is itself resolved by
context ("Georgia" next to "Atlanta") settles. Refinement starts from the biggest
entries and, besides, from each admin1 that several names can lie in (local news
names towns of one state that are also towns elsewhere); the reading with the best
total score wins. Demonyms resolve to their country, division or region without a
choice ("Iraqi" Iraq, "Ohioans" Ohio). A name the gazetteer lacks that is a known name
with a generic word ("Nyanza Province", "Madison Twp.", "Kanawha River") takes the known
name's entries (``_HEADS``); the commas of a list "A, B, C and D" say no "X, Y". A town word or a town's own
institution ("Berea Police Department", "12 Elm St., Lebanon") leaves a name's countries and provinces out; a
country named like a division of its own ("Taiwan") is the country. An article that names one place only
leans to that place's entries in the countries its marks point to: the money it counts ("$765,000": a US town
over an English one), the spelling and style of its English ("per cent", "councillor"; "p.m.", "neighbor"). Every
resolution keeps the candidates it considered with their scores and says why the winner won.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from .normalize import norm
from .store import PRECISION, Candidate, Gazetteer


@dataclass
class Weights:
    """Scoring weights (tuned on the dev corpora LGL and GeoVirus only)."""

    population: float = 1.0  # per log10 of population
    feature: dict[str, float] = field(default_factory=lambda: {
        "continent": 3.0, "country": 3.0, "region": 2.0, "admin1": 0.0, "admin2": -0.5, "city": 0.0, "point": 0.0})
    tier: tuple[float, float, float] = (0.0, -1.5, -3.0)
    shadowed: float = 1.5  # more off a town by an alternate name that as big towns bear as their main name
    capital: float = 1.5   # a country's capital: named far more often than its population says ("Washington")
    country: float = 4.0   # × share of other names in the same country
    admin1: float = 5.0    # × share of other names in the same admin1
    admin2: float = 3.0    # × share of other names in the same admin2
    near: float = 4.0      # × share of other names within near_km
    near_km: float = 161.0
    pattern: float = 6.0   # "X, Y" where Y contains X
    sibling: float = 2.0   # × share of the names listed with it ("Oregon, Utah and Washington") of its kind
    seat: float = 2.0      # a division named like a city in it is the city, unless "X province" says otherwise
    state_town: float = 2.0  # off a town named like a first-level division of its country STATE_TOWN_RATIO times its size
    home: float = 3.0      # an article naming one place only: × share of its home marks (money, spelling) in a country
    focus: bool = True     # a name without an entry stands in for the article's focus place (inferred)
    focus_min: int = 1     # ... named at least this many times
    rounds: int = 3
    foci: int = 4          # extra starting readings, one per admin1 that several names can lie in
    max_candidates: int = 60


@dataclass
class Toponym:
    start: int
    end: int
    text: str
    label: str = "GPE"  # DEMONYM: resolves to its country (or division, region)


@dataclass
class Resolution:
    toponym: Toponym
    candidate: Optional[Candidate]
    reason: str
    precision: Optional[str] = None
    considered: list[dict] = field(default_factory=list)
    # no entry of its own (``candidate`` None): the article's focus place, which stands in (see Resolver.stand_ins)
    stand_in: Optional[Candidate] = None


_PATTERN_GAP = re.compile(r"^\s*,\s*$")
# "Al-Busayrah in Deir ez-Zor province", "Mezzeh in Damascus": a name right after another and "in" contains it
_IN_GAP = re.compile(r"^\s+in\s+(?:the\s+)?$")
_LIST_GAP = re.compile(r"^\s*(?:,|(?:,\s*)?(?:and|or|&))\s*$")
_DIVISIONS = r"(?:province|governorate|state|county|region|district|parish|oblast|prefecture)"
_DIVISION_WORD = re.compile(rf"\s+{_DIVISIONS}\b", re.IGNORECASE)  # "Erbil province"
# "the state of Washington", "the Indian state of Assam", "the northern province of Kunduz": the division word after
# "the" and at most two capitalised or compass words; never "a residential district of Marib" (a part of the city)
_DIVISION_BEFORE = re.compile(
    r"\b[Tt]he\s+(?:(?:[A-Z][\w'’-]*|(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?"
    rf"|central|neighbou?ring|restive)\s+){{0,2}}(?i:{_DIVISIONS})\s+of\s+(?:the\s+)?$")
# "Marib city": the city, whatever word comes before (not "the Texas town of Uvalde")
_TOWN_WORD = re.compile(r"\s+(?:city|town)\b(?!\s+of\b)", re.IGNORECASE)
# A town's own institutions after its name: "the Athens City Council", "Berea Police Department", "Dublin City
# Manager", "Portland selectmen", "Norfolk High School" (never "Texas police", "Kenya Police": forces of states;
# nor a school or department word opening a longer name: "the Georgia High School Association")
_TOWN_INSTITUTION = re.compile(
    r"\s+(?:(?:[Cc]ity|[Tt]own|[Vv]illage|[Bb]orough)\s+(?:[Cc]ouncil|[Hh]all|[Mm]anager|[Cc]lerk|[Bb]oard)\b"
    r"|[Mm]ayor\b|[Ss]electmen\b|[Bb]oard\s+of\s+[Ss]electmen\b|[Aa]ldermen\b"
    r"|(?:(?:[Pp]olice|[Ff]ire)\s+[Dd]epartment|(?:[Hh]igh|[Mm]iddle|[Ee]lementary|[Jj]unior\s+[Hh]igh)\s+[Ss]chools?"
    r"|[Pp]ublic\s+[Ll]ibrary)\b(?!\s+[A-Z]))")
_NO_TOWN = frozenset({"country", "continent", "region", "admin1"})  # what a name called a town is not (but a seat's)
_TOWN_BEFORE = re.compile(r"\b(?:town|city|village)\s+of\s+$", re.IGNORECASE)  # "the town of Sinjar"
# ... but "the largest city of Sudan's North Kordofan state", "the second city of Iraq": a city in it
_IN_IT_BEFORE = re.compile(r"\b(?:largest|biggest|main|second|third|only|capital|oldest|holiest)\s+(?:town|city|village)"
                           r"\s+of\s+$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s?\b")
# A street address before it: "400 S. Walnut St., Lebanon", "12 Elm Avenue, Jordan" (a town's, no country's)
_ADDRESS_BEFORE = re.compile(r"\b\d+\s+(?:[NSEW]\.?\s+)?(?:[A-Z][\w'’.-]*\s+){1,3}(?:St|Street|Ave|Avenue|Road|Rd|Blvd"
                             r"|Boulevard|Drive|Dr|Lane|Ln|Way|Pike|Highway|Hwy|Court|Ct|Place|Pl)\.?,\s+$")
# A name the gazetteer lacks, made of a known name and a generic word, takes the known name's entries: a division
# word ("Nyanza Province": the division Nyanza; "Madison Twp.": the town) or a feature named after a town
# ("Kanawha River", "Port of Los Angeles", "Greater Mumbai", a compass part: "North Dallas", "East Cambridgeshire"),
# the latter only where the article's other names
# lie in that country (a river named like a town elsewhere is no evidence).
_HEADS: list[tuple[re.Pattern, frozenset[str], bool, str, bool]] = [
    (re.compile(r"^(?P<head>.+?)\s+(?:province|governorate|state|region|oblast|prefecture|department)$", re.I),
     frozenset({"admin1", "admin2", "region"}), False, "division", False),
    (re.compile(r"^(?P<head>.+?)\s+(?:county|parish|district)$", re.I),
     frozenset({"admin1", "admin2", "region", "city"}), False, "division", False),
    (re.compile(r"^(?P<head>.+?)\s+(?:township|twp\.?|municipality|borough)$", re.I),
     frozenset({"admin2", "city"}), False, "township", False),
    # "Himamaylan City": Philippine (and other) cities are written "X City" where the gazetteer has "X"
    (re.compile(r"^(?P<head>.+?)\s+city$", re.I), frozenset({"city"}), False, "city", False),
    # a town's old quarter: "Daraa al-Balad", "the Old City of Hebron", "Sanaa's Old City" (the town by any of its
    # names: the quarter is named after the town as the news spells it, "Daraa" for Dar'a)
    (re.compile(r"^(?:(?P<head>.+?)\s+(?:(?:al|el)[-‐–\s]balad|old\s+(?:city|town|quarter))"
                r"|(?:the\s+)?old\s+(?:city|town|quarter)\s+of\s+(?P<head2>.+))$", re.I),
     frozenset({"city"}), False, "old quarter of", True),
    (re.compile(r"^(?:(?:port|greater|downtown|metropolitan|metro|(?:north|south|east|west|north-?east|north-?west"
                r"|south-?east|south-?west|central)(?:ern)?)\s+(?:of\s+)?(?P<head>.+))$", re.I),
     frozenset({"city", "admin2"}), True, "part of a town", False),
    (re.compile(r"^(?P<head>.+?)\s+(?:river|valley|bay|harbou?r|creek|island|islands|lake|metro area|area)$", re.I),
     frozenset({"city", "admin2", "admin1", "region"}), True, "feature named after a place", False),
]
_BARE_WORDS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
                         "upper", "lower", "new", "old", "great", "little", "big", "the"})
# Abbreviations news writes in names, and the name the gazetteer knows: "Mt. Pleasant", "Loudon Co.", "W. Columbia".
_ABBREVIATIONS = [(re.compile(p), r) for p, r in [
    (r"\bSt\.?(?=\s)", "Saint"), (r"\bSte\.?(?=\s)", "Sainte"), (r"\bMt\.?(?=\s)", "Mount"), (r"\bFt\.?(?=\s)", "Fort"),
    (r"\bPt\.?(?=\s)", "Point"), (r"\s+Co\.?$", " County"), (r"\s+Twp\.?$", " Township"), (r"^N\.?(?=\s)", "North"),
    (r"^S\.?(?=\s)", "South"), (r"^E\.?(?=\s)", "East"), (r"^W\.?(?=\s)", "West"),
    (r"^(?:[Tt]own|[Cc]ity|[Vv]illage|[Bb]orough)\s+of\s+", "")]]


class Resolver:
    def __init__(self, gazetteer: Gazetteer, demonyms: dict[str, str], weights: Optional[Weights] = None,
                 capitals: Optional[frozenset[tuple[str, str]]] = None,
                 home_marks: Optional[dict[str, list[str]]] = None) -> None:
        """``demonyms`` maps a word to an ISO country code ("Iraqi": "IQ"), a GeoNames admin1 code
        ("Ohioan": "US.OH") or a gazetteer name ("European": "Europe"); ``capitals`` holds
        (country code, normalized name) of national capitals, by default the gazetteer's own;
        ``home_marks`` maps a mark of where an article is written to its countries: a money symbol ("$"), a
        money word ("rupee") or a word or phrase of a variety of English ("per cent", "neighbor")."""
        self.gaz = gazetteer
        self.marks = _mark_patterns(home_marks or {})
        self.weights = weights or Weights()
        # "Iraqi" and "Iraqis" → IQ
        self.demonyms = dict(demonyms)
        self.demonyms.update({d + "s": cc for d, cc in demonyms.items() if not d.endswith("s")})
        self.capitals = gazetteer.capitals if capitals is None else capitals
        self.lookup = lru_cache(maxsize=20_000)(self._lookup)
        self._demonym_place = lru_cache(maxsize=2_000)(self._place_of)

    def is_demonym(self, text: str) -> bool:
        return text.strip() in self.demonyms

    def demonym_place(self, text: str) -> Optional[Candidate]:
        """The entry a demonym stands for ("Iraqis" → Iraq, "Texan" → Texas), None when not a demonym or
        the gazetteer lacks its place."""
        target = self.demonyms.get(text.strip())
        return self._demonym_place(target) if target else None

    def _place_of(self, target: str) -> Optional[Candidate]:
        if len(target) == 2 and target.isupper():
            return self.gaz.country(target)
        if "." in target:  # an admin1 code
            name = self.gaz.admin_name(target)
            return next((c for c in self.gaz.lookup(name) if c.feature == "admin1" and c.admin1 == target),
                        None) if name else None
        cands = [c for c in self.gaz.lookup(target) if c.tier == 0]
        return next((c for c in cands if c.feature in ("continent", "region", "country", "admin1")),
                    cands[0] if cands else None)

    def _lookup(self, name: str) -> tuple[Candidate, ...]:
        """The gazetteer's entries for a name and for its written-out form ("Mt. Pleasant" = Mount Pleasant)."""
        found = {c.geonameid: c for c in self.gaz.lookup(name)}
        variant = name.strip()
        for pattern, repl in _ABBREVIATIONS:
            variant = pattern.sub(repl, variant)
        if variant != name.strip():
            for c in self.gaz.lookup(variant):
                if c.geonameid not in found or found[c.geonameid].tier > c.tier:
                    found[c.geonameid] = c
        return tuple(sorted(found.values(), key=lambda c: (-c.population, c.tier, c.geonameid)))

    def prior(self, c: Candidate) -> float:
        w = self.weights
        return (w.population * math.log10(c.population + 1) + w.feature.get(c.feature, 0.0) + w.tier[c.tier])

    def _priors(self, cs: list[Candidate], division_named: bool) -> list[float]:
        """Priors, with the seat rule ("Erbil" is the city, "Erbil province" the division; not for a city that
        has the name only as an alternate: "New York" is the state, New York City the city), alternate names
        of towns shadowed by as big towns' main names ("Paris" is no old name of Swainsboro when bigger towns
        are called Paris; "Mecca" is still Makkah), the capital rule and the state-town rule (a town named like
        a far bigger first-level division of its own country, outside it, is seldom what news means: "Kansas"
        the state, not Kansas, Illinois; not the capital: "Washington")."""
        w = self.weights
        out = [self.prior(c) for c in cs]
        cities = [c for c in cs if c.feature == "city"]
        main_pop = max((c.population for c in cities if c.tier == 0), default=-1)
        capital = self._capital(cs)
        divisions: dict[Optional[str], int] = {}  # country → its biggest first-level division of the name
        states: set[Optional[str]] = set()  # those divisions' codes (a town in one is its seat)
        for c in cs:
            if c.feature == "admin1" and c.tier == 0:
                divisions[c.country_code] = max(divisions.get(c.country_code, 0), c.population)
                states.add(c.admin1)
        for i, c in enumerate(cs):
            if c.feature in ("admin1", "admin2"):
                code = c.admin1 if c.feature == "admin1" else c.admin2
                seat = any((d.admin1 if c.feature == "admin1" else d.admin2) == code and d.tier <= c.tier
                           for d in cities)
                if seat and not division_named:
                    out[i] -= w.seat
            elif c.feature == "city":
                if division_named:
                    out[i] -= w.seat
                if c.tier == 1 and main_pop >= c.population:
                    out[i] -= w.shadowed
                if c is capital and not division_named:
                    out[i] += w.capital
                if (c is not capital and c.admin1 not in states
                        and divisions.get(c.country_code, 0) > STATE_TOWN_RATIO * c.population):
                    out[i] -= w.state_town
        return out

    def _capital(self, cs: list[Candidate]) -> Optional[Candidate]:
        """The national capital among a name's entries when a division of its own country has the name too
        ("Washington" the capital, not the state: news names a government by its seat); the biggest town of
        that name in a country whose capital it names."""
        best = None
        for c in cs:
            if c.feature == "city" and c.tier == 0 and (c.country_code, norm(c.name)) in self.capitals:
                if best is None or c.population > best.population:
                    best = c
        if best is None or not any(d.feature in ("admin1", "admin2") and d.country_code == best.country_code
                                   and d.admin1 != best.admin1 for d in cs):
            return None
        return best

    def resolve(self, text: str, toponyms: list[Toponym], stand_ins: bool = True) -> list[Resolution]:
        """One resolution per toponym, in order; ``stand_ins``: fill the names left without an entry with
        the article's focus place (see ``stand_ins``; a caller that adjusts the resolutions first calls it
        itself)."""
        w = self.weights
        # Group occurrences by name: one sense per discourse.
        groups: dict[str, list[Toponym]] = {}
        fixed: dict[str, Candidate] = {}  # demonyms: their place, no choice to make
        names = {norm(t.text) for t in toponyms if not self.is_demonym(t.text)}
        for t in toponyms:
            key = norm(t.text)
            # a DEMONYM-labelled name that is no demonym ("Iran" of "Iran-aligned") is context, resolved as a name
            if self.is_demonym(t.text):
                # a town's demonym where the article names the town is that name ("Londoners" in an article on
                # London, Ontario)
                target = norm(self.demonyms[t.text.strip()])
                if target in names:
                    groups.setdefault(target, []).append(t)
                    continue
                place = self.demonym_place(t.text)
                key = "demonym:" + (str(place.geonameid) if place else key)
                if place is not None:
                    fixed[key] = place
            groups.setdefault(key, []).append(t)
        cands: dict[str, list[Candidate]] = {}
        heads: dict[str, tuple[str, bool, str]] = {}  # names resolved through their known part (see _HEADS)
        for key, ts in groups.items():
            if key in fixed:
                cands[key] = [fixed[key]]
            elif key and not key.startswith("demonym:"):
                name = next(t.text for t in ts if not self.is_demonym(t.text))
                cands[key] = _plausible(self.lookup(name))[: w.max_candidates]
                if not cands[key]:
                    cands[key], head = self._head(name)
                    if head:
                        heads[key] = head
            else:
                cands[key] = []
        # "the Sinjar region" names the division unless another mention says "the town of Sinjar"; "the town of
        # Jordan", "Berea Police Department" name a town, not the country or province of the name
        towns = {k for k in cands if k not in fixed and any(_town_named(text, t) for t in groups[k])}
        named = {k for k in cands if k not in towns and any(_division_named(text, t) for t in groups[k])}
        left_out: dict[str, str] = {}  # names some entries of which a rule left out, and the rule's words
        for k in towns:
            cs = cands[k]
            seats = {c.admin1 for c in cs if c.feature == "city"}  # the seat rule weighs a division and its town
            kept = [c for c in cs if c.feature not in _NO_TOWN or c.feature == "admin1" and c.admin1 in seats]
            if len(kept) < len(cs) and any(c.feature == "city" for c in kept):
                cands[k], left_out[k] = kept, "a town word names it, not its country or division entries"
        # "Taiwan", "Mexico", "Luxembourg": a country named like a division of its own is the country unless a
        # division word names it ("Mexico state"); the division would win on context alone (a country is
        # nobody's neighbour)
        for k, cs in cands.items():
            own = {c.country_code for c in cs if c.feature == "country" and c.tier == 0}
            kept = [c for c in cs if not (c.feature in ("admin1", "admin2") and c.country_code in own)]
            if own and k not in named and len(kept) < len(cs):
                cands[k], left_out[k] = kept, "a country, not its own division of the name"
        # "X, Y": the group of Y after each X.
        containers: dict[str, set[str]] = {}
        ordered = sorted(toponyms, key=lambda t: t.start)
        key_of = {id(t): k for k, ts in groups.items() for t in ts}
        siblings, plain = _siblings(text, ordered, key_of)
        for a, b in zip(ordered, ordered[1:]):
            ka, kb = key_of[id(a)], key_of[id(b)]
            gap = text[a.end:b.start]
            if (_PATTERN_GAP.match(gap) or _IN_GAP.match(gap)) and ka != kb and (ka, kb) not in plain:
                containers.setdefault(ka, set()).add(kb)
        near_of = _neighbours(cands, w.near_km)

        priors = {k: self._priors(cs, k in named) for k, cs in cands.items()}
        homed = self._home(text, cands, fixed, priors)
        starts = [{k: _argmax(p) for k, p in priors.items() if p}] + self._focus_starts(cands, priors, fixed)
        best, seen = None, []
        for start in starts:
            if start in seen:
                continue
            seen.append(start)
            pick, scores, notes = self._refine(start, cands, priors, containers, siblings, near_of)
            seen.append(pick)
            # the reading's score: priors plus each pair of names once (a name's context counts every pair it
            # is in, so the pairs are in the scores twice)
            total = sum(scores[k][i] + priors[k][i] for k, i in pick.items()) / 2
            if best is None or total > best[0] + 1e-9:
                best = (total, pick, scores, notes)
        pick, scores, notes = best[1:] if best else ({}, {}, {})

        # names that are only context (demonyms, "Iran" of "Iran-aligned"): no say in where the article is
        context = {k for k, ts in groups.items() if k in fixed or all(t.label == "DEMONYM" for t in ts)}
        out = []
        for t in toponyms:
            k = key_of[id(t)]
            cs = cands.get(k, [])
            if not cs:
                why = ("demonym of a place the gazetteer lacks" if k.startswith("demonym:")
                       else "not in the gazetteer")
                out.append(Resolution(t, None, why))
                continue
            i = pick[k]
            c = cs[i]
            head = heads.get(k)
            if head and head[1] and c.country_code not in {
                    cands[o][j].country_code for o, j in pick.items() if o != k and o not in heads}:
                out.append(Resolution(t, None, f"{head[2]} {head[0]!r}, which no other name's country has"))
                continue
            order = sorted(range(len(cs)), key=lambda j: -scores[k][j])[:5]
            considered = [{"geonameid": cs[j].public_id, "name": cs[j].name, "country_code": cs[j].country_code,
                           "feature": cs[j].feature, "population": cs[j].population,
                           "score": round(scores[k][j], 3), "why": _note(*notes[k][j])} for j in order]
            if k not in fixed and _foreign_weak(notes[k][i], {cands[o][j].country_code for o, j in pick.items()
                                                               if o != k and o not in context} - {None}):
                out.append(Resolution(t, None, f"only a weak match: {c.name} ({c.country_code}, {c.feature}) by "
                                               f"{'an alternate name' if c.tier == 1 else 'a spelling variant'}, "
                                               "in a country none of the article's other places lies in, "
                                               "nor near any", None, considered))
                continue
            if k in fixed:
                reason = f"demonym of {c.name} ({c.country_code or c.feature})"
            elif head:
                reason = f"not in the gazetteer; {head[2]} {head[0]!r}: {_note(*notes[k][i])}"
            elif len(cs) == 1:
                reason = f"only candidate: {_note(*notes[k][i])}"
            else:
                runner = next((j for j in order if j != i), None)
                margin = scores[k][i] - scores[k][runner] if runner is not None else 0.0
                reason = (f"best of {len(cs)} candidates by {margin:.2f} over "
                          f"{cs[runner].name} ({cs[runner].country_code}, {cs[runner].feature}): {_note(*notes[k][i])}")
                reason += _seat_note(c, cs, k in named)
            if k in left_out:
                reason += f"; {left_out[k]}"
            if k in homed and c.country_code in homed[k][1]:
                reason += f"; the only place named, in an article whose marks ({homed[k][0]}) point to {c.country_code}"
            out.append(Resolution(t, c, reason, PRECISION.get(c.feature, "point"), considered))
        return self.stand_ins(out) if stand_ins else out

    def stand_ins(self, out: list[Resolution]) -> list[Resolution]:
        """A name left without an entry (a street, a building, a hamlet the gazetteer lacks) mostly lies in or
        near the place the article is about: the town it names most often (a town narrows it down more than its
        state or country does; the place named most often where no town is), first named on ties, if named at
        least ``focus_min`` times. It stands in as ``stand_in`` (``candidate`` stays None), at that place's precision
        or coarser, so that nothing takes it for a place the text names."""
        if not self.weights.focus:
            return out
        named: dict[int, list[Resolution]] = {}
        for r in out:  # demonyms and "Iran" of "Iran-aligned" are context, not where the article is
            if r.candidate is not None and r.toponym.label != "DEMONYM" and not self.is_demonym(r.toponym.text):
                named.setdefault(r.candidate.geonameid, []).append(r)
        if not named:
            return out
        towns = {k: rs for k, rs in named.items() if rs[0].candidate.feature in ("city", "point")}
        ms = max((towns or named).values(), key=lambda rs: (len(rs), -min(r.toponym.start for r in rs)))
        if len(ms) < self.weights.focus_min:
            return out
        c = ms[0].candidate
        precision = PRECISION.get(c.feature, "point")
        if precision == "point":
            precision = "city"
        why = (f"; the article's focus place {c.name} ({c.country_code}, {len(ms)} mention"
               f"{'s' if len(ms) > 1 else ''}) stands in at {precision} precision")
        return [Resolution(r.toponym, None, r.reason + why, precision, r.considered, stand_in=c)
                if r.candidate is None and r.toponym.label != "DEMONYM" else r for r in out]

    def _home(self, text: str, cands: dict[str, list[Candidate]], fixed: dict[str, Candidate],
              priors: dict[str, list[float]]) -> dict[str, tuple[str, frozenset[str]]]:
        """Local news naming one place only ("Mansfield council to vote on $765,000 financing") has no context
        but the marks of where it is written, its money and its English: the place's entries in a country get
        the ``home`` vote × the share of the marks found that point there (``priors`` updated in place). The
        name and (the marks found, the countries they point to) of the name voted for."""
        places = [k for k, cs in cands.items() if cs and k not in fixed]
        if len(places) != 1 or not self.marks or not self.weights.home:
            return {}
        found = [(mark, countries) for mark, pattern, countries in self.marks if pattern.search(text)]
        k = places[0]
        home = frozenset(cc for _mark, countries in found for cc in countries)
        if not home or not any(c.country_code in home for c in cands[k]):
            return {}
        share = {cc: sum(cc in countries for _m, countries in found) / len(found) for cc in home}
        w = self.weights.home
        priors[k] = [p + (w * share.get(c.country_code, 0.0) if c.feature in _HOME_KINDS else 0.0)
                     for c, p in zip(cands[k], priors[k])]
        return {k: (", ".join(repr(m) for m, _c in found), home)}

    def _head(self, name: str) -> tuple[list[Candidate], Optional[tuple[str, bool, str]]]:
        """The entries of a missing name's known part, of the kinds its generic word allows (see ``_HEADS``),
        with (that part, whether the article's countries must back it, the rule)."""
        for pattern, kinds, backed, rule, alternates in _HEADS:
            m = pattern.match(name.strip())
            if m:
                head = m.groupdict().get("head") or m.groupdict().get("head2")
                if not head or norm(head) in _BARE_WORDS:
                    continue
                # a town by its main name only: its alternate names say little ("James River" is no Gray); a
                # division also by its short name or a spelling of it ("Kanawha River": Kanawha County); a town's
                # old quarter by any name of the town but a spelling variant ("Daraa al-Balad": Dar'a)
                found = [c for c in _plausible(self.lookup(head))
                         if c.feature in kinds and (c.tier == 0 or c.feature != "city" or alternates and c.tier == 1)]
                if found:
                    return found[: self.weights.max_candidates], (head, backed, rule)
        return [], None

    def _focus_starts(self, cands: dict[str, list[Candidate]], priors: dict[str, list[float]],
                      fixed: dict[str, Candidate]) -> list[dict[str, int]]:
        """Starting picks that put every name it can in one admin1: local news names a few towns of one
        state, each also a town elsewhere ("Hagerstown", "New Castle", "Columbus" in Indiana), and picks
        grown from the biggest homonyms never reach that reading. The admin1s most names can lie in first,
        then those with the biggest such towns."""
        best_in: dict[str, dict[str, float]] = {}  # admin1 → name → its best prior there
        for k, cs in cands.items():
            if k in fixed:
                continue
            for c, p in zip(cs, priors[k]):
                if c.admin1 and c.tier < 2:
                    there = best_in.setdefault(c.admin1, {})
                    there[k] = max(p, there.get(k, p))
        foci = sorted((a for a, ks in best_in.items() if len(ks) >= 2),
                      key=lambda a: (-len(best_in[a]), -sum(best_in[a].values()), a))
        out = []
        for a in foci[: self.weights.foci]:
            pick = {}
            for k, p in priors.items():
                if not p:
                    continue
                inside = [i for i, c in enumerate(cands[k]) if c.admin1 == a and c.tier < 2]
                pick[k] = max(inside, key=p.__getitem__) if inside else _argmax(p)
            out.append(pick)
        return out

    def _refine(self, pick: dict[str, int], cands: dict[str, list[Candidate]], priors: dict[str, list[float]],
                containers: dict[str, set[str]], siblings: dict[str, set[str]],
                near_of: dict[str, list[dict[str, set[int]]]],
                ) -> tuple[dict[str, int], dict[str, list[float]], dict[str, list]]:
        """Rescore every name against the others' current picks for a few rounds (or until stable), each name
        taking its best entry at once: rescoring all against the last round's picks can swing two names back and
        forth for ever and leave a reading whose scores were read against another ("Toronto" the Ohio village
        while "Ontario" is a village of New York, then both the Canadian places)."""
        w = self.weights
        scores: dict[str, list[float]] = dict(priors)
        notes: dict[str, list[tuple]] = {}  # the evidence of each score, worded only for the answer

        def boxes(o: str) -> list[Candidate]:
            """What the name after "X, " stands for as a container: its pick, or where its pick is a town its
            divisions ("Washington, D.C." with D.C. read as the city of Washington: the District)."""
            c = picked[o]
            if c.feature in ("country", "admin1", "admin2"):
                return [c]
            return [d for d in cands[o] if d.feature in ("country", "admin1", "admin2") and d.tier < 2]

        # the names' current picks and how many lie in each country, admin1, admin2 (a name is not its own
        # context); a name whose best entry changes takes it at once, so the next names read the new pick
        pick = dict(pick)
        picked = {o: cands[o][i] for o, i in pick.items()}
        counts: tuple[dict, dict, dict, dict] = ({}, {}, {}, {})

        def count(c: Candidate, d: int) -> None:
            for n_of, value in zip(counts, (c.country_code, c.admin1, c.admin2, c.geonameid)):
                if value is not None:
                    n_of[value] = n_of.get(value, 0) + d

        for c in picked.values():
            count(c, 1)
        cc_n, a1_n, a2_n, id_n = counts
        for _ in range(max(1, w.rounds)):
            changed = False
            for k, cs in cands.items():
                if not cs:
                    continue
                mine = picked.get(k)
                own = mine is not None
                n_others = len(picked) - own
                n = max(1, n_others)
                row, row_notes = [], []
                inside = [box for o in containers.get(k, ()) if o in picked for box in boxes(o)]
                kin = [picked[o].feature for o in siblings.get(k, ()) if o in picked]
                for i, (c, p) in enumerate(zip(cs, priors[k])):
                    same_cc = (cc_n.get(c.country_code, 0) - (own and mine.country_code == c.country_code)
                               if c.country_code else 0)
                    dup = id_n.get(c.geonameid, 0) - (own and mine.geonameid == c.geonameid)  # the entry itself
                    same_a1 = a1_n.get(c.admin1, 0) - (own and mine.admin1 == c.admin1) - dup if c.admin1 else 0
                    same_a2 = a2_n.get(c.admin2, 0) - (own and mine.admin2 == c.admin2) - dup if c.admin2 else 0
                    nb = near_of[k][i]
                    near = sum(pick.get(o) in js for o, js in nb.items()) if nb else 0
                    pat = bool(inside) and any(contains(box, c) for box in inside)
                    alike = kin.count(c.feature) if kin else 0
                    s = (p + (w.country * same_cc + w.admin1 * same_a1 + w.admin2 * same_a2 + w.near * near) / n
                         + (w.pattern if pat else 0.0) + (w.sibling * alike / len(kin) if alike else 0.0))
                    row.append(s)
                    row_notes.append((c, p, same_cc, same_a1, same_a2, near, n_others, pat, alike, len(kin)))
                scores[k], notes[k] = row, row_notes
                best = _argmax(row)
                if best != pick.get(k):
                    if own:
                        count(mine, -1)
                    pick[k], picked[k] = best, cs[best]
                    count(cs[best], 1)
                    changed = True
            if not changed:
                break
        return pick, scores, notes


def _mark_patterns(marks: dict[str, list[str]]) -> list[tuple[str, re.Pattern, frozenset[str]]]:
    """(mark, pattern, countries) per home mark: a symbol before a number and after no letter ("$765,000",
    never "US$5"), a word or phrase as written, plural too ("dollars", "neighbors"), never inside a word."""
    out = []
    for mark, countries in marks.items():
        if mark[:1].isalpha():
            pattern = re.compile(rf"(?<![\w.]){re.escape(mark)}(?:s|es)?(?![\w])")
        else:
            pattern = re.compile(rf"(?<![A-Za-z]){re.escape(mark)}\s?\d")
        out.append((mark, pattern, frozenset(countries)))
    return out


def _neighbours(cands: dict[str, list[Candidate]], near_km: float) -> dict[str, list[dict[str, set[int]]]]:
    """For each candidate, the other names' candidates within ``near_km`` ({name: {index}}), found once per
    article through a grid of cells ``near_km`` wide (countries and continents are nobody's neighbours).
    Distances in degrees with longitude scaled by the cosine of the latitude: within a fraction of a percent
    of the haversine at this range."""
    reach = near_km / KM_PER_DEGREE
    reach2 = reach * reach
    cells: dict[tuple[int, int], list[tuple[str, int, Candidate]]] = {}
    for k, cs in cands.items():
        for i, c in enumerate(cs):
            if c.feature not in ("country", "continent"):
                cells.setdefault((int(c.latitude // reach), int(c.longitude // reach)), []).append((k, i, c))
    out: dict[str, list[dict[str, set[int]]]] = {k: [{} for _ in cs] for k, cs in cands.items()}
    lon_cells = int(360 // reach) + 1
    for (y, x), members in cells.items():
        # a cell's longitude span shrinks with the cosine: look as many cells east and west as reach needs
        span = min(lon_cells, math.ceil(1.0 / max(_cos(min(89.0, (abs(y) + 2) * reach)), 1e-6)))
        for dy in (-1, 0, 1):
            for dx in range(-span, span + 1):
                other = cells.get((y + dy, x + dx))  # (no wrap at the antimeridian)
                if not other:
                    continue
                for k, i, c in members:
                    scale = _cos(c.latitude)
                    for o, j, d in other:
                        if o == k:
                            continue
                        ay = d.latitude - c.latitude
                        ax = (d.longitude - c.longitude) * scale
                        if ay * ay + ax * ax <= reach2:
                            out[k][i].setdefault(o, set()).add(j)
    return out


def _siblings(text: str, ordered: list[Toponym], key_of: dict[int, str]
              ) -> tuple[dict[str, set[str]], set[tuple[str, str]]]:
    """Names listed together ("Oregon, Utah, Washington and Wyoming"; "A and B"): usually of one kind. A
    bare "A, B" is no list: it says B contains A; but in a list of the form "A, B, C and D" the commas only
    separate (the second set: the pairs there that are no "X, Y" containment; "Mosul, Nineveh, Iraq" and
    "Springfield, Ill., and Columbus, Ohio" keep theirs)."""
    out: dict[str, set[str]] = {}
    plain: set[tuple[str, str]] = set()
    chain, joined, run, longest = [ordered[0]] if ordered else [], False, 0, 0

    def close() -> None:
        if len(chain) >= 3 or (len(chain) == 2 and joined):
            keys = {key_of[id(t)] for t in chain}
            for k in keys:
                out.setdefault(k, set()).update(keys - {k})
            if joined and longest >= 2:
                plain.update((key_of[id(a)], key_of[id(b)]) for a, b in zip(chain, chain[1:]))

    for a, b in zip(ordered, ordered[1:]):
        gap = text[a.end:b.start]
        if _LIST_GAP.match(gap):
            chain.append(b)
            comma = bool(_PATTERN_GAP.match(gap))
            joined = joined or not comma
            run = run + 1 if comma else 0
            longest = max(longest, run)
        else:
            close()
            chain, joined, run, longest = [b], False, 0, 0
    close()
    return out, plain


def _foreign_weak(note: tuple, countries: set[str]) -> bool:
    """The pick is a weak match (an alternate name or a spelling variant) of a town or division under a million
    people in another country than the one all the article's other places lie in (demonyms aside), near none of
    them and in no "X, Y" with them: "Kalaba" (Kalaban Koro, Mali, by an alternate name) in a report from Taiz,
    "Chapare" (Jesus Menendez, Cuba, by a spelling) in one from Bolivia; such a name is better left unresolved.
    Not a big place known by an English name ("Kiev", "New Delhi" in a report from Los Angeles), nor in an
    article of several countries ("Auschwitz" among France and Britain)."""
    c, _prior, same_cc, _a1, _a2, near, _n, pat, _alike, _kin = note
    return (c.tier >= 1 and c.feature in ("city", "admin1", "admin2", "point") and c.population < WEAK_MAX_POPULATION
            and len(countries) == 1 and c.country_code not in countries and not same_cc and not near and not pat)


WEAK_MAX_POPULATION = 1_000_000
_HOME_KINDS = frozenset({"city", "admin2"})  # what the home vote chooses among: towns and counties, never a country
STATE_TOWN_RATIO = 10  # how much bigger than a town a division of its name must be to shadow it


def _division_named(text: str, t: Toponym) -> bool:
    """A division word names the toponym as a division: "Erbil province", "the state of Washington"; not
    where a town word follows it ("a district of Marib city")."""
    if _DIVISION_WORD.match(text, t.end):
        return True
    return not _TOWN_WORD.match(text, t.end) and bool(_DIVISION_BEFORE.search(text, max(0, t.start - 50), t.start))


def _town_named(text: str, t: Toponym) -> bool:
    """A town word names the toponym as a settlement: "the town of Sinjar", "Marib city", "the Berea Police
    Department", "12 Elm St., Lebanon"."""
    town_of = (_TOWN_BEFORE.search(text, max(0, t.start - 30), t.start)
               and not _IN_IT_BEFORE.search(text, max(0, t.start - 40), t.start)
               and not _POSSESSIVE.match(text, t.end))
    return bool(_TOWN_WORD.match(text, t.end) or _TOWN_INSTITUTION.match(text, t.end) or town_of
                or _ADDRESS_BEFORE.search(text, max(0, t.start - 60), t.start))


def _seat_note(c: Candidate, cs: list[Candidate], division_named: bool) -> str:
    """The seat rule's word in the reason, where a division and a town in it share the name."""
    def seat(d: Candidate) -> bool:
        return d.feature == "city" and any(
            (a.feature == "admin1" and a.admin1 == d.admin1) or (a.feature == "admin2" and a.admin2 == d.admin2)
            for a in cs if a.feature in ("admin1", "admin2"))
    if not any(seat(d) for d in cs):
        return ""
    if division_named:
        return "; seat rule: a division word names it, the division over its town"
    return "; seat rule: no division word names it, the town over its division" if c.feature == "city" else ""


def _plausible(cs) -> list[Candidate]:
    """Transliteration matches only when no entry has the name as its main name: "Farah" is the Afghan
    town, not the Faroe Islands; "Daquq" is Daquq, not Dihok."""
    if any(c.tier == 0 for c in cs):
        return [c for c in cs if c.tier < 2]
    return list(cs)


def _argmax(xs: list[float]) -> int:
    return max(range(len(xs)), key=xs.__getitem__)


def _note(c: Candidate, prior: float, cc: int, a1: int, a2: int, near: int, n: int, pat: bool, alike: int,
          kin: int) -> str:
    parts = [f"{c.feature} pop {c.population:,} (prior {prior:.2f}"
             + (", alternate name" if c.tier == 1 else ", spelling variant" if c.tier == 2 else "") + ")"]
    if cc:
        parts.append(f"country {c.country_code} shared with {cc}/{n} other names")
    if a1:
        parts.append(f"admin1 shared with {a1}/{n}")
    if a2:
        parts.append(f"admin2 shared with {a2}/{n}")
    if near:
        parts.append(f"{near}/{n} within reach")
    if pat:
        parts.append("'X, Y' pattern (or 'X in Y'): Y contains it")
    if alike:
        parts.append(f"listed with {alike}/{kin} names of its kind ({c.feature})")
    return "; ".join(parts)


def contains(box: Candidate, c: Candidate) -> bool:
    """True when entry ``box`` (a country, admin1 or admin2) contains entry ``c``."""
    if box.geonameid == c.geonameid or not c.country_code:
        return False
    if box.feature in ("country",):
        return box.country_code == c.country_code
    if box.feature == "admin1":
        return c.admin1 == box.admin1 and c.feature != "admin1"
    if box.feature == "admin2":
        return c.admin2 == box.admin2 and c.feature == "city"
    return False


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


KM_PER_DEGREE = 2 * math.pi * 6371.0088 / 360.0


@lru_cache(maxsize=4096)
def _cos(lat: float) -> float:
    return math.cos(math.radians(lat))
