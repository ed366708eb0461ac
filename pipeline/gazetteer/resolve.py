"""Toponym resolution: pick one gazetteer entry per toponym using the article's context.

Text-only (no spaCy), so the benchmark can resolve gold toponyms with exactly the
code the pipeline uses. Each distinct name is resolved once per article (one sense
per discourse). The score of a candidate is

  prior      population (log10), feature kind, how the name matched (primary,
             alternate, transliteration skeleton);
  + context  the share of the article's other names whose current pick lies in the
             same country / the same admin1 / within ``near_km``; a demonym or a
             country named outright counts as a vote for its country;
  + pattern  "City, Province/Country": the name right after the comma contains it;

and the picks are refined for a few rounds, so context that is itself resolved by
context ("Georgia" next to "Atlanta") settles. Every resolution keeps the
candidates it considered with their scores and says why the winner won.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
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
    country: float = 4.0   # × share of other names in the same country
    admin1: float = 5.0    # × share of other names in the same admin1
    near: float = 4.0      # × share of other names within near_km
    near_km: float = 161.0
    pattern: float = 6.0   # "X, Y" where Y contains X
    seat: float = 2.0      # a division named like a city in it is the city, unless "X province" says otherwise
    rounds: int = 3
    max_candidates: int = 60


@dataclass
class Toponym:
    start: int
    end: int
    text: str
    label: str = "GPE"  # DEMONYM: resolves to its country


@dataclass
class Resolution:
    toponym: Toponym
    candidate: Optional[Candidate]
    reason: str
    precision: Optional[str] = None
    considered: list[dict] = field(default_factory=list)


_PATTERN_GAP = re.compile(r"^\s*,\s*$")
_DIVISION_WORD = re.compile(r"\s+(?:province|governorate|state|county|region|district|parish|oblast|prefecture)\b",
                            re.IGNORECASE)


class Resolver:
    def __init__(self, gazetteer: Gazetteer, demonyms: dict[str, str], weights: Optional[Weights] = None) -> None:
        self.gaz = gazetteer
        self.weights = weights or Weights()
        # "Iraqi" and "Iraqis" → IQ
        self.demonyms = dict(demonyms)
        self.demonyms.update({d + "s": cc for d, cc in demonyms.items() if not d.endswith("s")})

    def demonym_country(self, text: str) -> Optional[str]:
        return self.demonyms.get(text.strip())

    def prior(self, c: Candidate) -> float:
        w = self.weights
        return (w.population * math.log10(c.population + 1) + w.feature.get(c.feature, 0.0) + w.tier[c.tier])

    def _priors(self, cs: list[Candidate], division_named: bool) -> list[float]:
        """Priors, with the seat rule: "Erbil" is the city, "Erbil province" the division."""
        out = [self.prior(c) for c in cs]
        cities = [c for c in cs if c.feature == "city"]
        for i, c in enumerate(cs):
            if c.feature in ("admin1", "admin2"):
                code = c.admin1 if c.feature == "admin1" else c.admin2
                seat = any((d.admin1 if c.feature == "admin1" else d.admin2) == code for d in cities)
                if seat and not division_named:
                    out[i] -= self.weights.seat
            elif c.feature == "city" and division_named:
                out[i] -= self.weights.seat
        return out

    def resolve(self, text: str, toponyms: list[Toponym]) -> list[Resolution]:
        w = self.weights
        # Group occurrences by name: one sense per discourse.
        groups: dict[str, list[Toponym]] = {}
        fixed: dict[str, Candidate] = {}  # demonyms: their country, no choice to make
        for t in toponyms:
            key = norm(t.text)
            cc = self.demonym_country(t.text)
            if cc is not None or t.label == "DEMONYM":
                key = "demonym:" + (cc or key)
                country = self.gaz.country(cc) if cc else None
                if country is not None:
                    fixed[key] = country
            groups.setdefault(key, []).append(t)
        cands: dict[str, list[Candidate]] = {}
        for key, ts in groups.items():
            if key in fixed:
                cands[key] = [fixed[key]]
            elif key:
                cands[key] = _plausible(self.gaz.lookup(ts[0].text))[: w.max_candidates]
            else:
                cands[key] = []
        # "X, Y": the group of Y after each X.
        containers: dict[str, set[str]] = {}
        ordered = sorted(toponyms, key=lambda t: t.start)
        key_of = {id(t): k for k, ts in groups.items() for t in ts}
        for a, b in zip(ordered, ordered[1:]):
            if _PATTERN_GAP.match(text[a.end:b.start]) and key_of[id(a)] != key_of[id(b)]:
                containers.setdefault(key_of[id(a)], set()).add(key_of[id(b)])

        priors = {k: self._priors(cs, any(_DIVISION_WORD.match(text, t.end) for t in groups[k]))
                  for k, cs in cands.items()}
        pick: dict[str, int] = {k: _argmax(p) for k, p in priors.items() if p}
        scores: dict[str, list[float]] = dict(priors)
        notes: dict[str, list[tuple]] = {}  # the evidence of each score, worded only for the answer
        reach = w.near_km / 111.0  # degrees of latitude: a cheap bound before the haversine
        for _ in range(max(1, w.rounds)):
            new_pick, new_scores, new_notes = {}, {}, {}
            # the other names' picks, counted once per round (a name is not its own context)
            picked = {o: cands[o][i] for o, i in pick.items()}
            cc_n = Counter(c.country_code for c in picked.values() if c.country_code)
            a1_n = Counter(c.admin1 for c in picked.values() if c.admin1)
            id_n = Counter(c.geonameid for c in picked.values())
            spots = [(o, c) for o, c in picked.items() if c.feature not in ("country", "continent")]
            for k, cs in cands.items():
                if not cs:
                    continue
                mine = picked.get(k)
                n_others = len(picked) - (mine is not None)
                n = max(1, n_others)
                row, row_notes = [], []
                inside = [picked[o] for o in containers.get(k, ()) if o in picked]
                for c, p in zip(cs, priors[k]):
                    own = mine is not None
                    same_cc = (cc_n[c.country_code] - (own and mine.country_code == c.country_code)
                               if c.country_code else 0)
                    same_a1 = (a1_n[c.admin1] - (own and mine.admin1 == c.admin1)
                               - (id_n[c.geonameid] - (own and mine.geonameid == c.geonameid)) if c.admin1 else 0)
                    near = 0
                    if c.feature not in ("country", "continent"):
                        near = sum(1 for o, d in spots if o != k and abs(d.latitude - c.latitude) <= reach
                                   and _km(d, c) <= w.near_km)
                    pat = any(contains(box, c) for box in inside)
                    s = (p + w.country * same_cc / n + w.admin1 * same_a1 / n + w.near * near / n
                         + (w.pattern if pat else 0.0))
                    row.append(s)
                    row_notes.append((c, p, same_cc, same_a1, near, n_others, pat))
                new_scores[k], new_notes[k] = row, row_notes
                new_pick[k] = _argmax(row)
            stable = new_pick == pick
            pick, scores, notes = new_pick, new_scores, new_notes
            if stable:
                break

        out = []
        for t in toponyms:
            k = key_of[id(t)]
            cs = cands.get(k, [])
            if not cs:
                why = ("demonym of a country the gazetteer lacks" if k.startswith("demonym:")
                       else "not in the gazetteer")
                out.append(Resolution(t, None, why))
                continue
            i = pick[k]
            c = cs[i]
            order = sorted(range(len(cs)), key=lambda j: -scores[k][j])[:5]
            considered = [{"geonameid": cs[j].public_id, "name": cs[j].name, "country_code": cs[j].country_code,
                           "feature": cs[j].feature, "population": cs[j].population,
                           "score": round(scores[k][j], 3), "why": _note(*notes[k][j])} for j in order]
            if k in fixed:
                reason = f"demonym of {c.name} ({c.country_code})"
            elif len(cs) == 1:
                reason = f"only candidate: {_note(*notes[k][i])}"
            else:
                runner = next((j for j in order if j != i), None)
                margin = scores[k][i] - scores[k][runner] if runner is not None else 0.0
                reason = (f"best of {len(cs)} candidates by {margin:.2f} over "
                          f"{cs[runner].name} ({cs[runner].country_code}, {cs[runner].feature}): {_note(*notes[k][i])}")
            out.append(Resolution(t, c, reason, PRECISION.get(c.feature, "point"), considered))
        return out


def _plausible(cs) -> list[Candidate]:
    """Transliteration matches only when no entry has the name as its main name: "Farah" is the Afghan
    town, not the Faroe Islands; "Daquq" is Daquq, not Dihok."""
    if any(c.tier == 0 for c in cs):
        return [c for c in cs if c.tier < 2]
    return list(cs)


def _argmax(xs: list[float]) -> int:
    return max(range(len(xs)), key=xs.__getitem__)


def _note(c: Candidate, prior: float, cc: int, a1: int, near: int, n: int, pat: bool) -> str:
    parts = [f"{c.feature} pop {c.population:,} (prior {prior:.2f}"
             + (", alternate name" if c.tier == 1 else ", spelling variant" if c.tier == 2 else "") + ")"]
    if cc:
        parts.append(f"country {c.country_code} shared with {cc}/{n} other names")
    if a1:
        parts.append(f"admin1 shared with {a1}/{n}")
    if near:
        parts.append(f"{near}/{n} within reach")
    if pat:
        parts.append("'X, Y' pattern: Y contains it")
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


def _km(a: Candidate, b: Candidate) -> float:
    return km(a.latitude, a.longitude, b.latitude, b.longitude)
