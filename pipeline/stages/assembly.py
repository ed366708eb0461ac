"""Assembly: group sentence-level event mentions into coded events (issue 6.3).

Why a separate stage: the classifier decides *what happened* per sentence, but a
record is one real event, so the sentences that describe the same incident must
be merged (compatible type, date and place) while a second incident on another
day or in another place stays a second record. Background events (a date far
from publication, "in 2014", "last year's attack") are not coded.

Each record takes its fields from its own sentences first, then from the
neighbouring sentences, then from article-level fallbacks; every choice is
written to ``EventRecord.reasons`` so a coder can see why.

Syntax-aware rules use the spaCy parse when the document has one:
a date or place inside a context clause ("after the attack in X", "since
2019") that does not contain the trigger describes another event; a date or
place attached to a reporting verb ("announced on Sunday", "said in Baghdad")
is the report's, not the event's.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Collection, Literal, Optional

from pydantic import Field, field_validator

from ..config import StageConfig, Strict
from ..data import (
    ActorValue,
    AnnotatedDoc,
    CountValue,
    DateValue,
    EventActor,
    EventCount,
    EventDate,
    EventLocation,
    EventMentionValue,
    EventRecord,
    Evidence,
    Mention,
    PlaceValue,
)
from ..registry import register
from .base import CAPS, Stage

log = logging.getLogger(__name__)

# "A day later", "two weeks later", "the next day": a duration counted from the event told before.
_OFFSET = re.compile(r"P(\d+)([DW])")
_OFFSET_TEXT = re.compile(r"\blater$|^the (next|following) (day|week)$|^the day after$", re.IGNORECASE)
_NIGHT_INTO = re.compile(r"\b(?:overnight|night)\s+(?:into|to)\s+(?:early\s+)?$", re.IGNORECASE)
_EARLIER_TEXT = re.compile(r"\bearlier$", re.IGNORECASE)
# "stormed a village overnight" (not "an overnight curfew")
_OVERNIGHT = re.compile(r"\bovernight\b(?!\s+(?:curfew|stay|shift|bus|train|flight))", re.IGNORECASE)
# "..., north of the state capital X", "about 50 kilometres west of X": X is where the place lies from.
_REFERENCE_POINT = re.compile(
    r"\b(?:(?:north|south)(?:-?(?:east|west))?|east|west|(?:kilomet(?:re|er)s?|km|miles?))(?:ern)?\s+"
    r"(?:of|from)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}$", re.IGNORECASE)
# "the Dhaka-Tangail highway", "the Kabul–Jalalabad road": the towns a route joins, not where on it the act was.
_ROUTE_NOUN = r"\s+(?:[Hh]ighway|[Rr]oad|[Mm]otorway|[Ee]xpressway|[Rr]ailway|[Rr]ailroad|[Pp]ipeline|[Cc]orridor|[Rr]oute)\b"
_ROUTE_FIRST = re.compile(r"^(?:\s?[-–]\s?[A-Z][\w'’.]*)+" + _ROUTE_NOUN)
_ROUTE_LAST = re.compile(r"[A-Z][\w'’.]*\s?[-–]\s?$")
_ROUTE_END = re.compile("^" + _ROUTE_NOUN)
# "the highway linking Cochabamba with ...", "the road between Galkayo and Galdogob", "the road from X to Y",
# "on the road to the border town of Bankilare"
_ROUTE_BEFORE = re.compile(_ROUTE_NOUN + r"\s+(?:linking|connecting|joining|between|from|to)\s+(?:the\s+)?"
                           r"(?:[\w'’.-]+\s+(?:(?:and|with|to)\s+(?:the\s+)?)?){0,3}$")
# "died in hospital in Bannu", "taken to a hospital in Himamaylan", "flown to Raipur": where victims were treated.
_TREATED_AT = re.compile(
    r"\b(?:hospitals?|clinic|medical\s+cent(?:re|er)|morgue|mortuary)\s+(?:in|at)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}$"
    r"|\b(?:taken|rushed|flown|airlifted|moved|transferred|evacuated|treated)\s+(?:to|in)\s+(?:the\s+)?$",
    re.IGNORECASE)
# How far from a district's point a town of the same first-level division can lie and still be inside it.
ADMIN2_KM = 60.0
# How far after a general figure a count coordinated with it can start ("Six members of a pro-IS militant
# group and a Filipino soldier"): one noun phrase, not a breakdown sentences later.
COORDINATED_CHARS = 120
# Nouns that name a side even when no actor is known ("two militants", "15 terrorists"): such counts
# are a group's, not a general figure like "six people".
GROUP_NOUNS = frozenset({"militant", "soldier", "fighter", "insurgent", "rebel", "attacker", "gunman", "gunmen",
                         "assailant", "jihadist", "policeman", "policemen", "officer", "troop", "guard", "terrorist",
                         "bandit", "gendarme", "combatant", "extremist", "guerrilla", "paramilitary", "raider"})
# Event types whose records carry no casualty toll of their own (a later "death toll" sentence is not theirs).
NO_TOLL_TYPES = frozenset({"Strategic developments"})
PRECISION_RANK = {"point": 0, "city": 1, "admin2": 2, "admin1": 3, "country": 4}
DATE_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
# How a time or place modifies a verb ("on Sunday", "in Baghdad", "yesterday"); a subject is not one.
ADVERBIAL_DEPS = frozenset({"prep", "npadvmod", "advmod", "tmod", "obl", "advcl"})
# Counts whose ``who`` names a group the event was done to (actor2).
VICTIM_CATEGORIES = frozenset({"killed", "injured", "kidnapped", "arrested", "detained", "missing", "displaced"})
ROLE_ORDER = {"actor1": 0, "actor2": 1, "associated": 2}


class ConfidenceWeights(Strict):
    """Logistic combination of classifier score and field support (fit on corpus/gold)."""

    bias: float = -2.5
    score: float = 3.0
    own_date: float = 0.8
    own_place: float = 0.8
    actors: float = 0.4
    support: float = 0.4  # per extra merged mention, capped at 3


class AssemblyConfig(StageConfig):
    max_age_days: int = Field(30, ge=0, description="a date whose midpoint is older than this before publication is background")
    max_future_days: int = Field(0, ge=0, description="a date starting later than publication + this is a plan, not an event")
    merge_days: int = Field(0, ge=0, description="date spans this many days apart still merge")
    merge_km: float = Field(25.0, ge=0, description="places this close merge")
    context_window: int = Field(1, ge=0, description="sentences before/after searched for a missing date or place")
    attach_window: int = Field(3, ge=0, description="how far (sentences) a mention without date/place may join an event")
    place_join_window: int = Field(5, ge=0, description="how far a mention with a place but no date may join an event")
    new_event_needs: Literal["date", "date_or_place", "nothing"] = Field(
        "date_or_place", description="what a mention that joins no event needs of its own to start a new one")
    min_score: float = Field(0.0, ge=0, le=1, description="event mentions scoring lower are ignored")
    undated_found_score: float = Field(
        0.95, ge=0, le=1, description="a mention without a date of its own (none, or a lead-in's) that joins no "
                                     "event founds one only with this event probability (a follow-up sentence "
                                     "the classifier doubts is commentary)")
    date_fallback: Literal["published", "none"] = Field("published", description="date when the text gives none")
    place_fallback: Literal["dominant", "none"] = Field("dominant", description="place when the text gives none")
    context_place_labels: list[str] = Field(default_factory=lambda: ["DEMONYM", "NORP"])
    dateline_pattern: str = Field(
        rf"^\s*(?:[{CAPS}][{CAPS}'’.-]+(?:[ ,][\w'’. ,-]{{0,40}}?)?|[{CAPS}][\w'’. ,-]{{0,40}}?\s*\([^)\n]{{1,40}}\))"
        r"\s*(—|–|--|\s-\s)",
        description="a dateline at the start of the article or of a paragraph (after a quoted lede); its place "
                    "is where the report was filed",
    )
    toll_update_pattern: str = Field(
        r"\b(?:death\s+)?toll\b[^.;]{0,40}?\b(?:rose|has\s+risen|had\s+risen|climbed|increased|jumped|"
        r"was\s+raised|has\s+reached|reached)\b"
        r"|\b(?:first|initially|earlier)\s+(?:put|gave|reported)\s+the\s+(?:death\s+)?toll\s+at\b"
        r"|\b(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\s+more\s+(?:\w+\s+)?(?:died|succumbed"
        r"|bodies\s+were\s+(?:found|recovered|pulled))\b"
        r"|\b(?:higher|lower|different|conflicting|separate)\s+(?:death\s+)?(?:toll|figure|count|tally)\b",
        description="a toll revision ('the toll rose to nine') or a rival source's toll ('gave a lower toll of "
                    "nine'): with no town of another event in its sentence, it updates the event told just "
                    "before it (within attach_window sentences)",
    )
    context_markers: list[str] = Field(
        default_factory=lambda: ["after", "following", "since", "before", "amid", "despite", "unlike", "like"]
    )
    times_of_day: list[str] = Field(
        default_factory=lambda: ["dawn", "daybreak", "sunrise", "sunset", "dusk", "nightfall", "midnight", "noon",
                                 "dark", "daylight"],
        description='"before dawn on Tuesday" is a time, not a context clause',
    )
    report_verbs: list[str] = Field(
        default_factory=lambda: ["announce", "say", "tell", "report", "state", "confirm", "add", "claim",
                                 "note", "declare", "reveal", "disclose", "publish", "write", "quote",
                                 "issue", "release", "post", "speak", "talk", "brief"]
    )
    stance_verbs: list[str] = Field(
        default_factory=lambda: ["condemn", "accuse", "deny", "warn", "demand", "urge", "reject", "criticise",
                                 "criticize", "blame", "welcome", "insist", "vow", "threaten", "protest", "call"],
        description="a place that is the subject of one of these or of a reporting verb ('strikes that Baghdad "
                    "has condemned') names a government, not where anything happened",
    )
    update_verbs: list[str] = Field(
        default_factory=lambda: ["rise", "climb", "reach", "increase", "jump", "mount"],
        description='a date attached to these is a toll update\'s ("the toll rose to 14 on Sunday")',
    )
    report_markers: list[str] = Field(
        default_factory=lambda: ["according"],
        description='a date or place inside "according to ..." is the report\'s',
    )
    same_event_nouns: list[str] = Field(
        default_factory=lambda: ["battle", "fighting", "clash", "firefight", "gunfight", "assault", "offensive"],
        description='"after a battle on Wednesday" is no other event\'s clause: the fight is how the act was '
                    'done ("troops have retaken the town ..., after a battle on Wednesday in which 20 were killed")',
    )
    state_routine_sub_types: list[str] = Field(
        default_factory=lambda: ["Change to group/activity"],
        description="records of these sub-types whose actors are all state forces (or none are named) are "
                    "routine activity (deployments, reinforcements, curfews), not coded",
    )
    specific_sub_types: dict[str, list[str]] = Field(
        default_factory=lambda: {"Remote explosive/landmine/IED": ["Suicide bomb"]},
        description="sub-types of the same event type that are kinds of another: a member that tells one surely "
                    "(specific_min_score) narrows the voted sub-type to it")
    specific_min_score: float = Field(0.9, ge=0.0, le=1.0)
    clash_vote_min: float = Field(
        0.8, ge=0.0, le=1.0,
        description="an Attack with a sentence read as an Armed clash at least this sure, and armed men among its "
                    "dead, is an Armed clash")
    armed_actor_types: list[str] = Field(
        default_factory=lambda: ["State forces", "Rebel group", "Political militia", "Identity militia",
                                 "External/Other forces"],
        description="ACLED's violence against civilians needs unarmed victims: an Attack whose targets are all "
                    "of these types, with no civilian among its actors or counts, is a battle (Armed clash); so is "
                    "an Other (strategic development) with deaths between two sides of these types",
    )
    aerial_pattern: str = Field(
        r"\b(drones?|warplanes?|(fighter )?jets|aircraft|(attack )?helicopters?|gunships?)\b[^.;]{0,40}?\b(struck|"
        r"strikes?|bombed|bombarded|fired|dropped|hit|targeted|pounded|shelled)\b|\b(air|drone|aerial)[- ]?(strikes?|"
        r"raids?|bombardments?|attacks?)\b|\bairstrikes?\b|\bfrom (drones|the air)\b",
        description="a battle, shelling, bombing or attack whose dated sentence matches this (aircraft or drones "
                    "striking) is an Air/drone strike, ACLED's sub-type defined by its means",
    )
    no_agreement_pattern: str = Field(
        r"\bwithout (reaching |an? )?(agree\w*|deal|breakthrough)\b|\bno (agreement|deal) (was|has been|had been) "
        r"reached\b|\bfailed to (agree|reach)\b|\b(did|could|would) not (agree|reach)\b",
        description="an Agreement whose sentences say none was reached ('ended two days of talks without agreeing') "
                    "is not coded",
    )
    protest_violence: list[str] = Field(
        default_factory=lambda: [r"\bhurl(ed|ing)\b", r"\bthrew (stones|rocks|bottles|bricks|firecrackers|petrol "
                                 r"bombs|molotov)", r"\bstone[- ]throwing\b", r"\bpelt(ed|ing)\b", r"\btorch(ed|ing)\b",
                                 r"\bset (fire|alight)\b", r"\bmolotov\b", r"\bransack(ed|ing)\b",
                                 r"\bvandali[sz](ed|ing)\b", r"\bsmash(ed|ing)\b", r"\bturned violent\b"],
        description="a protest whose own sentences tell of these acts (demonstrators hurling stones, setting "
                    "vehicles on fire) is a Violent demonstration (Riots) in ACLED's terms, police response or not",
    )
    vague_sub_types: list[str] = Field(
        default_factory=lambda: ["Other", "Looting/property destruction"],
        description="an undated mention of these sub-types may join the nearest event of any type as its detail "
                    "(\"Soldiers were checking reports of armed men in X when they came under fire\" after the clash; "
                    "\"The assailants ... set fire to dozens of shelters\" after the attack)",
    )
    separate_markers: list[str] = Field(
        default_factory=lambda: ["separately", "in a separate incident", "in a separate attack", "elsewhere",
                                 "in another incident", "in another attack", "meanwhile"],
        description='a sentence opening with one of these tells another event: it never merges into one told '
                    'before it ("Separately, soldiers and rebels fought between Monday and Wednesday in ...")',
    )
    habitual_markers: list[str] = Field(
        default_factory=lambda: ["several times", "many times", "repeatedly", "frequently", "frequent",
                                 "regularly", "routinely", "over the years", "in recent years", "for years",
                                 "over the past decade", "over the last decade", "in the past decade",
                                 "over the past few years", "over the decades", "for decades", "every week",
                                 "every monday", "every tuesday", "every wednesday", "every thursday", "every friday",
                                 "every saturday", "every sunday", "weeks of", "months of", "years of"],
        description='an undated sentence with one of these tells a pattern, not an incident ("the camp was hit by '
                    'rocket fire several times during the mission", "the deal set off weeks of protests"): it may '
                    'join an event, never found one',
    )
    back_references: list[str] = Field(
        default_factory=lambda: ["victims", "dead", "wounded", "injured", "attack", "attackers", "assailants",
                                 "gunmen", "blast", "explosion", "bombing", "strike", "raid", "assault",
                                 "ambush", "shooting", "killings", "incident"],
        description='an undated sentence opening with "The <word>" ("The victims were killed by two bombs ... '
                    'in X village") tells the event before it, whatever place it adds',
    )
    range_pattern: str = Field(
        r"\b(until|till|to|through|and|into)\s+(the\s+)?$",
        description="text just before a second date that makes the two dates one span",
    )
    compatible_types: list[list[str]] = Field(
        default_factory=lambda: [
            ["Battles", "Explosions/Remote violence", "Violence against civilians"],
            ["Protests", "Riots"],
        ],
        description="event types that may merge; other types merge only with the same sub-type",
    )
    drop_untyped_actors: bool = Field(True, description="organisations without an ACLED type (sources) are not actors")
    vague_fatalities: dict[str, int] = Field(
        default_factory=lambda: {"dozens": 12, "hundreds": 100},
        description="ACLED's lower bounds: an event whose only killed figures are vague ('killing dozens') gets "
                    "this many fatalities (the counts keep value null)")
    confidence: ConfidenceWeights = ConfidenceWeights()

    @field_validator("dateline_pattern", "toll_update_pattern", "range_pattern", "aerial_pattern",
                     "no_agreement_pattern", "protest_violence")
    @classmethod
    def _compiles(cls, value):
        for pattern in [value] if isinstance(value, str) else value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression ({exc}): {pattern!r}") from None
        return value


# --- working values ---------------------------------------------------------


@dataclass
class DatePick:
    start: str
    end: str
    precision: Optional[str]
    text: str
    reason: str
    sent: int
    at: int  # character offset, for "nearest to the trigger"
    report: bool = False  # the report's date, used only when nothing better exists


@dataclass
class PlacePick:
    value: PlaceValue
    text: str
    reason: str
    sent: int
    at: int
    weak: bool = False  # country context (demonym), not a stated location
    reference: bool = False  # a reference point ("north of X"): another place of the sentence is nearer the act


@dataclass
class Cand:
    """One event mention with what its own sentence says."""

    mention: Mention
    value: EventMentionValue
    sent: int
    trigger_at: int
    date: Optional[DatePick] = None
    place: Optional[PlacePick] = None
    lead_in: bool = False  # its date and place come from the scene-setting sentence before it
    habitual: bool = False  # undated and telling a pattern ("hit several times"): may join, never found
    # revises a toll ("first put the toll at nine", "two more bodies were found"): after an event told before it,
    # it may join or update one, never found one (a lede's "officials gave a higher toll" still founds)
    toll_update: bool = False
    separate: bool = False  # opens "Separately, ...": another event than those told before it
    shifted: bool = False  # "Two days later ...", "A day earlier, ...": another day than the event told before it
    opens_dated: bool = False  # its sentence opens on its date ("On Tuesday, a roadside bomb ..."): a new episode
    detail: bool = False  # joined an event of another type as its detail (an undated vague "Other")

    @property
    def dated(self) -> bool:
        """A date of its own that can found an event: not the report's, and a day, not "last week",
        "this year" or "in August" (those recall fighting already reported, or describe trends)."""
        return self.date is not None and not self.date.report and self.date.precision == "day"

    @property
    def coarse(self) -> bool:
        """Its own date is a week, a month or a year: a recollection ("last week's fighting") or a summary
        ("attacks this year"), never a new event."""
        return self.date is not None and not self.date.report and self.date.precision != "day"

    @property
    def placed(self) -> bool:
        """A place of its own: a country-context word is none, nor a reference point or a route's end chosen
        for want of another ("pulled back along the road to Mogadishu")."""
        return self.place is not None and not self.place.weak and not self.place.reference

    @property
    def placed_below_country(self) -> bool:
        """A town or province of its own: a country alone ("in Pakistan") does not tell one incident
        from another, so an undated mention with only a country never founds an event."""
        return self.placed and self.place.value.precision != "country"


@dataclass
class Cluster:
    members: list[Cand] = field(default_factory=list)
    merges: list[str] = field(default_factory=list)

    @property
    def first_sent(self) -> int:
        return min(c.sent for c in self.members)

    def date(self, event_only: bool = False) -> Optional[DatePick]:
        """The best date of the members; ``event_only`` leaves out report dates."""
        picks = [c.date for c in self.members if c.date is not None and not (event_only and c.date.report)]
        if not picks:
            return None
        return min(picks, key=lambda d: (d.report, DATE_PRECISION_RANK.get(d.precision or "", 9), d.sent))

    def place(self) -> Optional[PlacePick]:
        picks = [c.place for c in self.members if c.place is not None]
        if not picks:
            return None
        return min(picks, key=lambda p: (p.weak, PRECISION_RANK.get(p.value.precision, 9), p.reference, p.sent))

    def label(self) -> tuple[str, str, float]:
        """The (type, sub-type) with the highest summed score, and its best score. Members that only
        joined as a detail (``Cand.detail``) do not vote while another member can."""
        totals: dict[tuple[str, str], float] = {}
        best: dict[tuple[str, str], float] = {}
        voters = [c for c in self.members if not c.detail] or self.members
        for c in voters:
            key = (c.value.event_type, c.value.sub_event_type)
            totals[key] = totals.get(key, 0.0) + c.value.score
            best[key] = max(best.get(key, 0.0), c.value.score)
        key = max(totals, key=lambda k: (totals[k], best[k]))
        return key[0], key[1], best[key]


# "a car packed with explosives into a checkpoint ... on Tuesday morning": a weapon's description, which the
# parse often stretches over the rest of the act; never a side clause
_DEVICE_PARTICIPLES = frozenset({"pack", "packed", "laden", "load", "loaded", "fill", "filled", "rig", "rigged",
                                 "stuff", "stuffed", "strap", "strapped", "arm", "armed"})
# where a sentence's next clause begins: ", and security forces shot ...", "; police ..."
_CLAUSE_BREAK = re.compile(r",\s+(?:and|while|but|before|then)\s|;\s")


def _recoded(rec: EventRecord, event_type: str, sub_type: str, why: str) -> EventRecord:
    """The record under another ACLED type, with the reason the check gives."""
    return replace(rec, event_type=event_type, sub_event_type=sub_type, reasons=rec.reasons + [
        f"type: {rec.sub_event_type} recoded {event_type} / {sub_type}: {why}"])


def _evidence_match(pattern: re.Pattern, rec: EventRecord, skip: Collection[int] = ()) -> Optional[re.Match]:
    """The first match of ``pattern`` in the record's evidence sentences, leaving out those starting at ``skip``."""
    return next((m for e in rec.evidence if e.start not in skip and (m := pattern.search(e.text))), None)


# --- the stage --------------------------------------------------------------


@register
class Assembly(Stage):
    name = "assembly.v1"
    requires = frozenset({"doc", "dates", "places", "actors", "counts", "event_mentions"})
    provides = frozenset({"records"})
    Config = AssemblyConfig

    def __init__(self, config: AssemblyConfig, resources) -> None:
        super().__init__(config, resources)
        self.cfg: AssemblyConfig = config
        self._dateline = re.compile(config.dateline_pattern, re.MULTILINE)
        self._toll_update = re.compile(config.toll_update_pattern, re.IGNORECASE)
        self._range = re.compile(config.range_pattern, re.IGNORECASE)
        self._armed = frozenset(config.armed_actor_types)
        self._aerial_rx = re.compile(config.aerial_pattern, re.IGNORECASE)
        self._no_agreement = re.compile(config.no_agreement_pattern, re.IGNORECASE)
        self._protest_violence = re.compile("|".join(f"(?:{p})" for p in config.protest_violence), re.IGNORECASE)
        self._markers = {m.lower() for m in config.context_markers}
        self._times_of_day = {w.lower() for w in config.times_of_day}
        self._report = {v.lower() for v in config.report_verbs}
        self._update = {v.lower() for v in config.update_verbs}
        self._stance = {v.lower() for v in config.stance_verbs} | self._report
        self._report_markers = {v.lower() for v in config.report_markers}
        self._same_event = {w.lower() for w in config.same_event_nouns}
        self._separate = re.compile(
            r"^\W*(?:" + "|".join(re.escape(w) for w in config.separate_markers) + r")\b", re.IGNORECASE)
        self._habitual = re.compile(
            r"\b(?:" + "|".join(re.escape(w) for w in config.habitual_markers) + r")\b", re.IGNORECASE)
        self._back_reference = re.compile(
            r"^\W*the\s+(?:\w+\s+)?(?:" + "|".join(re.escape(w) for w in config.back_references) + r")\b",
            re.IGNORECASE)
        self._family: dict[str, int] = {}
        for i, group in enumerate(config.compatible_types):
            for t in group:
                self._family[t] = i

    def __call__(self, docs: list[AnnotatedDoc]) -> None:
        for doc in docs:
            doc.records = self.assemble(doc)
            doc.layers["records"] = [
                Mention(e.start, e.end, e.text, "EVENT", self.name, None, f"evidence of {r.event_id}", doc.sent_of(e.start))
                for r in doc.records
                for e in r.evidence
            ]

    # --- per article ---------------------------------------------------------

    def assemble(self, doc: AnnotatedDoc) -> list[EventRecord]:
        ctx = _DocContext(doc, self)
        cands: list[Cand] = []
        for m in sorted(doc.layer("event_mentions"), key=lambda m: (m.start, m.end)):
            value = m.value
            if not isinstance(value, EventMentionValue):
                raise TypeError(f"event_mentions layer holds {type(value).__name__}, expected EventMentionValue")
            if value.score < self.cfg.min_score:
                log.debug("%s: mention %r below min_score", doc.article.id, m.text[:60])
                continue
            cand = self._read_mention(ctx, m, value)
            if cand is not None:
                cands.append(cand)

        event_sents = {c.sent for c in cands}
        for cand in cands:
            if not cand.dated and not cand.placed and not cand.coarse:  # "Last week, ..." has a time of its own
                self._lead_in(ctx, cand, event_sents)

        # Dated mentions found events first; a mention with only a place joins a compatible
        # event anywhere in the article; one with neither joins a nearby compatible event.
        clusters: list[Cluster] = []
        need = self.cfg.new_event_needs
        phases = [
            ([c for c in cands if c.dated], None, True, "compatible type, date and place"),
            ([c for c in cands if not c.dated and c.placed], self.cfg.place_join_window, need != "date",
             "compatible type and place"),  # founds only with a town or province (see below)
            ([c for c in cands if not c.dated and not c.placed], self.cfg.attach_window, need == "nothing",
             "no date or place of its own: the nearest compatible event"),
        ]
        for group, window, may_found, why in phases:
            for cand in group:
                target = self._best_cluster(clusters, cand, window=window)
                reason = why
                if target is None and cand.placed and not cand.dated and self._refers_back(ctx, cand):
                    target = self._best_cluster(clusters, cand, window=self.cfg.attach_window, any_place=True)
                    reason = "no date of its own and opens with a reference to the event before it"
                if target is not None:
                    if self._specifies(target, cand):
                        reason = f"{reason}; a {cand.value.sub_event_type!r} telling what the vague event was"
                    elif not any(self._types_compatible(c.value, cand.value) for c in target.members):
                        cand.detail = True
                        reason = f"{reason}; a vague {cand.value.sub_event_type!r} told as its detail"
                    target.merges.append(f"sentence {cand.sent} merged: {reason}")
                    target.members.append(cand)
                elif window is not None and self._best_cluster(clusters, cand, window=None) is not None:
                    # far from a compatible event and without a date: a look back at it or at its kind
                    log.debug("%s: sentence %d not coded: undated and far from a compatible event",
                              doc.article.id, cand.sent)
                elif (may_found or cand.shifted) and not cand.coarse and (cand.dated or not cand.placed
                                                                          or cand.placed_below_country) \
                        and ((cand.dated and not cand.lead_in) or cand.value.score >= self.cfg.undated_found_score) \
                        and not cand.habitual \
                        and not (cand.toll_update and any(cl.first_sent < cand.sent for cl in clusters)):
                    clusters.append(Cluster([cand]))
                else:
                    log.debug("%s: sentence %d not coded: joins no event and lacks a %s of its own",
                              doc.article.id, cand.sent, "date" if need == "date" else "date or place")

        clusters.sort(key=lambda c: c.first_sent)
        # A sentence that reports an event lends nothing to another: a coded one, or an uncoded one with a
        # date or place of its own (another incident). An uncoded mention with neither, that joined no
        # event ("At least four people were killed in the unrest"), is commentary on the one before.
        coded = {c.sent for cl in clusters for c in cl.members}
        owned = coded | {c.sent for c in cands if c.sent not in coded and (c.dated or c.placed) and not c.toll_update}
        tolls = self._toll_sentences(ctx, clusters, owned)
        moved = self._later_clause_counts(ctx, clusters)
        records = [self._record(ctx, cl, n, owned, clusters, tolls.get(id(cl), set()), moved)
                   for n, cl in enumerate(clusters, 1)]
        records = self._one_per_event(ctx, clusters, records, owned, tolls, moved)
        shared = Counter(e.start for r in records for e in r.evidence)
        records = [self._acled_consistent(r, {s for s, k in shared.items() if k > 1}) for r in records]
        kept = [r for r in records if not (self._state_routine(r) or self._no_agreement_reached(r)
                                           or self._nobody_arrested(r))]
        # numbered again, so that ids stay 1..n
        return [replace(r, event_id=f"{r.article_id}#{n}") for n, r in enumerate(kept, 1)]

    def _one_per_event(self, ctx: "_DocContext", clusters: list[Cluster], records: list[EventRecord],
                       owned: set[int], tolls: dict[int, set[int]], moved: dict[int, int]) -> list[EventRecord]:
        """Two records of one sub-type, day and town are one event told twice (a lede's "Two days later, a
        second grenade attack on a checkpoint in Panjgur" and the paragraph "On Wednesday night, men threw a
        grenade at a checkpost in Panjgur"): ACLED codes one event per type, day and place, so their sentences
        make one record. So are a harmless explosive device and a device defused there that day: the bomb
        found and made safe is ACLED's Disrupted weapons use. ``clusters`` and ``records`` are parallel; both
        are changed in place."""
        while True:
            pair = next(((i, j, label) for j in range(len(records)) for i in range(j)
                         for label in [_same_event(records[i], records[j])] if label), None)
            if pair is None:
                return records
            i, j, label = pair
            keep, gone = clusters[i], clusters[j]
            keep.members += gone.members
            keep.merges += gone.merges + [f"sentences {sorted(c.sent for c in gone.members)} merged: a record of the "
                                          f"same sub-type, day and place (one event told twice)"]
            tolls[id(keep)] = tolls.get(id(keep), set()) | tolls.pop(id(gone), set())
            for k, to in moved.items():
                if to == id(gone):
                    moved[k] = id(keep)
            del clusters[j], records[j]
            records[i] = self._record(ctx, keep, i + 1, owned, clusters, tolls.get(id(keep), set()), moved)
            if (records[i].event_type, records[i].sub_event_type) != label:
                records[i] = _recoded(records[i], *label, "the device of a record of the same day and place, "
                                                          "defused: one disrupted weapons use")

    def _acled_consistent(self, rec: EventRecord, shared: set[int]) -> EventRecord:
        """ACLED's definitions checked against what the record holds, where the classifier read one sentence:
        an Attack on armed targets only is an Armed clash ("gunmen attacked a police station, killing five
        officers"), and so is an Other with deaths between armed sides ("officers killed seven gang members
        in the ensuing firefight"); a protest whose own sentences tell of demonstrators' violence is a
        Violent demonstration (a sentence that is evidence of another record too, "while in Nantes youths
        set fire to bins", is not its own). ``shared``: start offsets of such sentences. (The Air/drone
        strike check needs the dated sentence: ``_aerial``, while the record is built.)"""
        armed = self._armed
        if rec.sub_event_type == "Attack":
            targets = [a for a in rec.actors if a.role == "actor2"]
            civilians = any(a.type == "Civilians" for a in rec.actors) or any(
                c.who == "Civilians" for c in rec.counts)
            if targets and all(a.type in armed for a in targets) and not civilians:
                kinds = ", ".join(sorted({a.type for a in targets}))
                return _recoded(rec, "Battles", "Armed clash",
                                f"its targets are armed ({kinds}), no civilian is among its actors or counts")
        if rec.sub_event_type == "Other" and rec.fatalities:
            sides = [[a for a in rec.actors if a.role == role] for role in ("actor1", "actor2")]
            if all(side and all(a.type in armed for a in side) for side in sides):
                return _recoded(rec, "Battles", "Armed clash",
                                f"{rec.fatalities} killed between armed sides (a strategic development kills nobody)")
        if rec.event_type == "Protests":
            hit = _evidence_match(self._protest_violence, rec, skip=shared)
            if hit is not None:
                return _recoded(rec, "Riots", "Violent demonstration",
                                f"its sentences tell of demonstrators' violence ({hit.group(0)!r})")
        return rec

    def _no_agreement_reached(self, rec: EventRecord) -> bool:
        """Talks that ended without a deal are no Agreement, whatever the classifier read in "talks"."""
        if rec.sub_event_type != "Agreement":
            return False
        hit = _evidence_match(self._no_agreement, rec)
        if hit is not None:
            log.debug("%s: %s not coded: no agreement reached (%r)", rec.article_id, rec.event_id, hit.group(0))
        return hit is not None

    def _nobody_arrested(self, rec: EventRecord) -> bool:
        """Arrests whose only figures say nobody was held ("No one had been arrested by Wednesday") are none."""
        held = [c for c in rec.counts if c.category in ("arrested", "detained")]
        if rec.sub_event_type != "Arrests" or not held or any(c.value != 0 for c in held):
            return False
        log.debug("%s: %s not coded: nobody arrested (%r)", rec.article_id, rec.event_id, held[0].text)
        return True

    def _state_routine(self, rec: EventRecord) -> bool:
        """A change of activity by state forces alone (troops deployed, reinforcements sent, a curfew
        imposed) is routine, not an event to code; an armed group's (a lockdown it orders, the end of its
        ceasefire) is one."""
        if rec.sub_event_type not in self.cfg.state_routine_sub_types:
            return False
        if all(a.type == "State forces" for a in rec.actors):
            log.debug("%s: %s not coded: state forces' routine activity", rec.article_id, rec.event_id)
            return True
        return False

    def _later_clause_counts(self, ctx: "_DocContext", clusters: list[Cluster]) -> dict[int, int]:
        """Counts told in an event's sentence after "a day later" ("marched through Gazipur on Sunday, and a
        day later police opened fire on workers in Ashulia, killing one"): the later day's event's, when the
        article tells one on that day. Count index -> id of the cluster it goes to."""
        out: dict[int, int] = {}
        layer = ctx.doc.layer("counts")
        for cl in clusters:
            day = cl.date(event_only=True)
            if day is None or day.precision != "day" or day.start != day.end:
                continue
            for c in cl.members:
                off = self._offset_in(ctx, c.sent, c.trigger_at)
                if off is None:
                    continue
                # from the clause break before the offset on ("... in Basra on Monday, and police shot dead a
                # man in Zubair a day later"), else after it; an offset before the trigger needs that break
                anchor = c.date.at if c.dated else c.trigger_at
                breaks = list(_CLAUSE_BREAK.finditer(ctx.text, anchor, off.start)) if off.start > anchor else []
                if off.start < c.trigger_at and not breaks:
                    continue
                begin = breaks[-1].start() if breaks else off.end
                later = (dt.date.fromisoformat(day.start) + dt.timedelta(days=_offset_days(off))).isoformat()
                target = next((o for o in clusters if o is not cl and (d := o.date(event_only=True)) is not None
                               and d.start == later and d.end == later), None)
                if target is None:
                    continue
                for i, m in enumerate(layer):
                    if m.sent == c.sent and m.start > begin and isinstance(m.value, CountValue):
                        out[i] = id(target)
        return out

    def _toll_sentences(self, ctx: "_DocContext", clusters: list[Cluster], owned: set[int]) -> dict[int, set[int]]:
        """Later sentences that report the toll of one event by naming its town ("the death toll from
        the prison break in Hasaka has reached 322"), however far from it: a sentence with no event
        of its own and no date of its own, holding a killed/injured count that is not background,
        whose town or province is the place of exactly one earlier event that can have a toll (not a
        strategic development). Keyed by ``id(cluster)``."""
        out: dict[int, set[int]] = {}
        with_toll = {m.sent for m in ctx.doc.layer("counts")
                     if isinstance(m.value, CountValue) and m.value.category in ("killed", "injured")
                     and m.value.value is not None and not m.value.background and not m.value.superseded
                     and m.sent >= 0}
        for s in sorted(with_toll - owned):
            own_dates = self._own_day_dates(ctx, s)
            at = ctx.doc.sentences[s].start
            places = [p for p in self._sentence_places(ctx, s, at) if not p.weak and p.value.precision != "country"]
            hits = [cl for cl in clusters if cl.first_sent < s and cl.label()[0] not in NO_TOLL_TYPES
                    and (cp := cl.place()) is not None and not cp.weak and cp.value.precision != "country"
                    and any(places_compatible(cp.value, p.value, self.cfg.merge_km) for p in places)]
            if len(hits) == 1 and not own_dates:
                out.setdefault(id(hits[0]), set()).add(s)
            elif not hits and self._toll_update.search(ctx.doc.sentences[s].text):
                # "The toll rose to nine later on Thursday", "gave a lower toll of nine": a revision or a rival
                # figure with no town of another event updates the event told just before it, a few sentences
                # back, if it is not dated before it
                before = [cl for cl in clusters if cl.first_sent < s]
                prev = max(before, key=lambda cl: max(c.sent for c in cl.members if c.sent < s), default=None)
                if prev is None or prev.label()[0] in NO_TOLL_TYPES:
                    continue
                last = max(c.sent for c in prev.members if c.sent < s)
                day = prev.date()
                dates = self._sentence_dates(ctx, s, at)[0]
                if s - last <= self.cfg.attach_window and not (
                        day is not None and any(d.end < day.start for d in dates if d.precision == "day")):
                    out.setdefault(id(prev), set()).add(s)
        return out

    # --- reading one mention ---------------------------------------------------

    def _read_mention(self, ctx: "_DocContext", m: Mention, value: EventMentionValue) -> Optional[Cand]:
        doc = ctx.doc
        sent = m.sent if m.sent >= 0 else doc.sent_of(m.start)
        trigger_at = ctx.trigger_offset(m, value, sent)
        if value.trigger and ctx.negated(trigger_at, len(value.trigger)):
            log.debug("%s: sentence %d not coded: its trigger %r is negated", doc.article.id, sent, value.trigger)
            return None
        if value.trigger and ctx.in_since_clause(trigger_at):
            log.debug("%s: sentence %d not coded: its trigger %r is in a 'since' clause", doc.article.id, sent,
                      value.trigger)
            return None
        cand = Cand(m, value, sent, trigger_at)
        refined: Optional[int] = None  # the sentence that named the day of a week-dated mention
        dates, n_background = self._sentence_dates(ctx, sent, trigger_at)
        if not dates and n_background:
            log.debug("%s: sentence %d not coded: background event (only old or future dates)", doc.article.id, sent)
            return None
        if dates:
            cand.date = min(dates, key=lambda d: (d.report, abs(d.at - trigger_at)))
            if cand.date.precision == "week" and not cand.date.report:
                cand.date = self._day_in_week(ctx, sent, cand.date)
                refined = cand.date.sent if cand.date.sent != sent else None
        cand.habitual = not dates and bool(self._habitual.search(doc.sentences[sent].text))
        cand.toll_update = bool(self._toll_update.search(doc.sentences[sent].text))
        cand.separate = bool(self._separate.match(doc.sentences[sent].text))
        # "Two days later" (no date of its own) or "A day earlier": counted from the event told before, so never it
        cand.shifted = (not dates and self._offset_in(ctx, sent, trigger_at) is not None
                        or cand.date is not None and bool(_EARLIER_TEXT.search(cand.date.text)))
        s0 = doc.sentences[sent]
        cand.opens_dated = cand.dated and cand.date.at - (s0.start + len(s0.text) - len(s0.text.lstrip())) <= 20
        places = self._later_clause_out(ctx, sent, trigger_at, cand.date.at if cand.dated else trigger_at,
                                        self._sentence_places(ctx, sent, trigger_at))
        if refined is not None and not any(not p.weak and p.value.precision == "city" for p in places):
            # "... earlier this week ... in Oromia. The bus was stopped on Monday morning ... east of Gimbi": the
            # sentence that names the day tells where, too
            places += [p for p in self._sentence_places(ctx, refined, cand.date.at) if not p.weak]
        if places:
            anchor = {sent: trigger_at, refined: cand.date.at if cand.date is not None else trigger_at}
            cand.place = min(
                places,
                key=lambda p: (p.weak, PRECISION_RANK.get(p.value.precision, 9), p.reference,
                               abs(p.at - anchor.get(p.sent, trigger_at))),
            )
        return cand

    def _lead_in(self, ctx: "_DocContext", cand: Cand, event_sents: set[int]) -> None:
        """A mention with neither date nor place takes them from the sentence just before it when that
        sentence reports no event itself but sets the scene with a date ("A day later the anger turned
        deadly in Nasiriyah. Security forces opened fire ..."). Only a dated lead-in counts: an undated
        one is usually background, and the sentence after a mention is its follow-up, not its lead-in."""
        nb = cand.sent - 1
        if nb < 0 or nb in event_sents or self._toll_update.search(ctx.doc.sentences[nb].text):
            return  # "On Wednesday it said the toll had risen to 23": a report's day, no scene
        at = ctx.doc.sentences[nb].start
        dates = [d for d in self._sentence_dates(ctx, nb, at)[0] if not d.report and d.precision == "day"]
        if not dates:
            return
        cand.date = dates[0]
        cand.lead_in = True
        cand.date.reason += f", lead-in to the event's sentence {cand.sent}"
        places = [p for p in self._sentence_places(ctx, nb, at) if not p.weak and p.value.precision != "country"]
        if places:
            cand.place = min(places, key=lambda p: PRECISION_RANK.get(p.value.precision, 9))
            cand.place.reason += f", lead-in to the event's sentence {cand.sent}"

    def _sentence_dates(self, ctx: "_DocContext", sent: int, trigger_at: int) -> tuple[list[DatePick], int]:
        """Usable dates of a sentence (ranges joined) and how many were background."""
        picks: list[DatePick] = []
        background = 0
        mentions = sorted(ctx.doc.in_sentence("dates", sent), key=lambda m: m.start)
        usable: list[tuple[Mention, DateValue]] = []
        for m in mentions:
            v = m.value
            if not isinstance(v, DateValue) or v.start is None or v.timex_type not in ("DATE", "TIME"):
                continue
            if self._background(ctx, v):  # even in a side clause ("has held Kidal since 2014")
                background += 1
                continue
            if v.day_assumed:
                continue  # "The grenade exploded at around 4 p.m.": the hour of a day told elsewhere
            if v.timex_value in ("PRESENT_REF", "PAST_REF", "FUTURE_REF"):
                continue  # "now", "recently": the state of things, never an incident's day
            if ctx.in_context_clause(m.start, m.end, trigger_at):
                continue
            usable.append((m, v))
        i = 0
        while i < len(usable):
            m, v = usable[i]
            report = ctx.attached_to_report_verb(m.start, m.end, trigger_at, in_subject=True)
            side = not report and ctx.in_side_clause(m.start, m.end, trigger_at)
            nxt = usable[i + 1] if i + 1 < len(usable) else None
            if (
                nxt is not None
                and not report
                and v.end is not None
                and nxt[1].end is not None
                and v.start < nxt[1].start
                and self._range.search(ctx.text[m.end:nxt[0].start][-30:])
            ):
                n2, v2 = nxt
                pick = DatePick(v.start, v2.end, "day" if v.precision == v2.precision == "day" else v.precision,
                                ctx.text[m.start:n2.end],
                                f"date span {m.text!r} to {n2.text!r} in sentence {sent}", sent, m.start)
                picks.append(pick)
                i += 2
                continue
            if report:
                reason = f"report date {m.text!r} (attached to a reporting verb) in sentence {sent}"
            elif side:
                reason = f"date {m.text!r} of a relative clause in sentence {sent} (another action's)"
            else:
                reason = f"date {m.text!r} in sentence {sent} ({m.reason or 'dates stage'})"
            pick = DatePick(v.start, v.end or v.start, v.precision, m.text, reason, sent, m.start, report or side)
            picks.append(pick)
            i += 1
        return picks, background

    def _own_day_dates(self, ctx: "_DocContext", sent: int) -> list[DatePick]:
        """The day or week dates a sentence states itself (not a reporting verb's)."""
        return [d for d in self._sentence_dates(ctx, sent, ctx.doc.sentences[sent].start)[0]
                if not d.report and d.precision in ("day", "week")]

    def _day_in_week(self, ctx: "_DocContext", sent: int, week: DatePick) -> DatePick:
        """"Gunmen abducted 23 passengers earlier this week ... The bus was stopped on Monday morning": the
        day the next sentence or the one after names inside the week is the event's (a week alone recalls)."""
        for s in (sent + 1, sent + 2):
            if s >= len(ctx.doc.sentences):
                break
            days = [d for d in self._own_day_dates(ctx, s) if d.precision == "day" and d.start == d.end
                    and week.start <= d.start <= week.end]
            if days:
                d = days[0]
                return DatePick(d.start, d.end, "day", d.text, f"{week.reason}, the day {d.text!r} of sentence {s} "
                                "names inside it", d.sent, d.at)
        return week

    def _background_dated(self, ctx: "_DocContext", sent: int) -> bool:
        """The sentence names a background date ("In October, two car bombs ... killed more than 120"):
        its figures are another, older event's."""
        return any(isinstance(m.value, DateValue) and m.value.start and self._background(ctx, m.value)
                   and not ctx.text[max(0, m.start - 6):m.start].lower().endswith("since ")
                   for m in ctx.doc.in_sentence("dates", sent))  # "had been closed since 2022": a state, not an event

    def _background(self, ctx: "_DocContext", v: DateValue) -> Optional[str]:
        if v.background:
            return "marked background by the dates stage"
        pub = ctx.doc.article.published
        if pub is None:
            return None
        start = dt.date.fromisoformat(v.start)
        end = dt.date.fromisoformat(v.end) if v.end else start
        mid = start + (end - start) / 2
        if (pub - mid).days > self.cfg.max_age_days:
            return f"{(pub - mid).days} days before publication"
        if (start - pub).days > self.cfg.max_future_days:
            return "after publication (a plan, not an event)"
        return None

    def _sentence_places(self, ctx: "_DocContext", sent: int, trigger_at: int) -> list[PlacePick]:
        picks: list[PlacePick] = []
        for m in ctx.doc.in_sentence("places", sent):
            v = m.value
            if not isinstance(v, PlaceValue) or v.stand_in:
                continue
            if ctx.is_dateline(m):
                continue
            if ctx.in_group_name(m) or ctx.government(m) or _TREATED_AT.search(ctx.text[max(0, m.start - 60):m.start]):
                continue
            if ctx.in_context_clause(m.start, m.end, trigger_at):
                continue
            if ctx.attached_to_report_verb(m.start, m.end, trigger_at):
                continue
            weak = m.label.upper() in {lab.upper() for lab in self.cfg.context_place_labels}
            if not weak and ctx.in_speaker(m, trigger_at):
                continue
            before, after = ctx.text[max(0, m.start - 60):m.start], ctx.text[m.end:m.end + 60]
            reference = bool(_REFERENCE_POINT.search(before) or _ROUTE_FIRST.match(after) or _ROUTE_BEFORE.search(before)
                             or (_ROUTE_LAST.search(before) and _ROUTE_END.match(after)))
            reason = (f"country context {m.text!r} in sentence {sent}" if weak
                      else f"place {m.text!r} in sentence {sent} ({v.precision}"
                      + (", a reference point or a route's end: used only without another place)" if reference
                         else ")"))
            pick = PlacePick(v, m.text, reason, sent, m.start, weak, reference)
            picks.append(pick)
        return picks

    # --- grouping ------------------------------------------------------------

    def _detail(self, cand: Cand) -> bool:
        return not cand.dated and cand.value.sub_event_type in self.cfg.vague_sub_types

    def _refers_back(self, ctx: "_DocContext", cand: Cand) -> bool:
        return bool(self._back_reference.match(ctx.doc.sentences[cand.sent].text))

    def _best_cluster(self, clusters: list[Cluster], cand: Cand, window: Optional[int],
                      any_place: bool = False) -> Optional[Cluster]:
        best: Optional[tuple[tuple, Cluster]] = None
        for cl in clusters:
            distance = min(abs(c.sent - cand.sent) for c in cl.members)
            if window is not None and distance > window:
                continue
            if (cand.separate or cand.shifted) and cl.first_sent < cand.sent:
                continue
            if cl.first_sent > cand.sent and any(c.shifted or (c.opens_dated and not cand.dated)
                                                 for c in cl.members if c.sent == cl.first_sent):
                # an event told after the mention that opens "A day earlier, ..." or "On Tuesday, ..." is a new
                # episode, not what the mention told
                continue
            if not self._compatible(cl, cand, any_place):
                continue
            d, p = cl.date(event_only=True), cl.place()
            # a shared country is no evidence of the same event; a shared town or province is
            same_place = (cand.placed and p is not None and not p.weak
                          and "country" not in (cand.place.value.precision, p.value.precision))
            same_date = cand.dated and d is not None
            key = (-(same_place + same_date), distance)
            if best is None or key < best[0]:
                best = (key, cl)
        return best[1] if best else None

    def _compatible(self, cl: Cluster, cand: Cand, any_place: bool = False) -> bool:
        where = cl.place()
        if cand.dated and cand.placed_below_country and (where is None or where.value.precision == "country") \
                and not any(c.value.sub_event_type == cand.value.sub_event_type for c in cl.members):
            # an event with no place yet, or only a country, says nothing against a mention's town; a sub-type
            # of its own, with a day and a town of its own, is another incident ("On Monday, gunmen shot dead a
            # leader in El Tarra" during days of fighting between two groups)
            return False
        day = cl.date(event_only=True)
        if cand.opens_dated and day is not None and (day.start, day.end) != (cand.date.start, cand.date.end) \
                and day.start != day.end:
            # "On Saturday afternoon, after the funerals, dozens of men descended on a hamlet" after an attack
            # "on the night of Friday to Saturday": a sentence opening on a day of its own inside another
            # event's span tells a new episode
            return False
        return (
            (any(self._types_compatible(c.value, cand.value) for c in cl.members) or self._detail(cand)
             or self._specifies(cl, cand))
            and self._dates_compatible(day, cand.date if cand.dated else None)
            and (any_place or self._places_compatible(cl.place(), cand.place))
        )

    def _specifies(self, cl: Cluster, cand: Cand) -> bool:
        """An undated mention with a place of its own, next to an event of vague sub-types only, tells what that
        event was ("Nine miners were killed in an attack inside a tunnel in Pataz" before "the men had been
        shot on March 3", which the classifier read as Other)."""
        return (not cand.dated and cand.placed and min(abs(c.sent - cand.sent) for c in cl.members) <= 1
                and all(c.value.sub_event_type in self.cfg.vague_sub_types for c in cl.members))

    def _types_compatible(self, a: EventMentionValue, b: EventMentionValue) -> bool:
        if a.event_type == b.event_type and a.sub_event_type == b.sub_event_type:
            return True
        fa, fb = self._family.get(a.event_type), self._family.get(b.event_type)
        return fa is not None and fa == fb

    def _dates_compatible(self, a: Optional[DatePick], b: Optional[DatePick]) -> bool:
        if a is None or b is None:
            return True
        tol = dt.timedelta(days=self.cfg.merge_days)
        a0, a1 = dt.date.fromisoformat(a.start), dt.date.fromisoformat(a.end)
        b0, b1 = dt.date.fromisoformat(b.start), dt.date.fromisoformat(b.end)
        return a0 - tol <= b1 and b0 - tol <= a1

    def _places_compatible(self, a: Optional[PlacePick], b: Optional[PlacePick]) -> bool:
        if a is None or b is None:
            return True
        return places_compatible(a.value, b.value, self.cfg.merge_km)

    # --- the record ----------------------------------------------------------

    def _record(self, ctx: "_DocContext", cl: Cluster, n: int, owned: set[int],
                clusters: list[Cluster], tolls: set[int], moved: dict[int, int]) -> EventRecord:
        """``owned``: sentences of every event; another event's sentence never lends a date or place.
        ``tolls``: later sentences that report this event's toll by its place; ``moved``: counts of a later
        clause that belong to another event (count index -> that cluster's id)."""
        doc = ctx.doc
        cfg = self.cfg
        event_type, sub_type, score = cl.label()
        reasons = [f"type: {event_type} / {sub_type} (summed classifier score over {len(cl.members)} sentence(s); "
                   + "; ".join(sorted({c.mention.reason for c in cl.members if c.mention.reason})) + ")"]
        reasons += cl.merges
        sub_type = self._most_specific(cl, sub_type, reasons)
        sents = {c.sent for c in cl.members}
        used = set(sents)

        date = cl.date()
        if date is not None and not date.report:
            date = self._counted_back(ctx, cl, clusters, date)
        own_date = date is not None and not date.report
        if own_date:
            date = self._night_into(ctx, date)
        if not own_date:
            date = self._overnight(ctx, cl, date) or date
        if any(c.shifted for c in cl.members) and (date is None or date.report):
            date = None  # "Two days later": counted from the event told before, not a neighbour's date
        elif date is None or date.report:
            near = self._from_neighbours(ctx, sents, owned, "date")
            if near is not None:
                date = near
        if date is None:
            date = self._narrative_date(cl, clusters, any(c.shifted for c in cl.members))
            if date is not None:
                date = self._narrative_offset(ctx, cl, date)
        if date is not None:
            used.add(date.sent)
            reasons.append(f"date: {date.reason}")
            event_date = EventDate(date.start, date.end, date.precision, date.text)
        elif cfg.date_fallback == "published" and doc.article.published is not None:
            pub = doc.article.published.isoformat()
            reasons.append("date: none stated near the event: publication date")
            event_date = EventDate(pub, pub, "day", None)
        else:
            reasons.append("date: none stated and no publication date: unknown")
            event_date = None

        place = cl.place()
        own_place = place is not None and not place.weak
        if place is None or place.weak:
            near = self._from_neighbours(ctx, sents, owned, "place")
            if near is not None and (place is None or places_compatible(place.value, near.value, cfg.merge_km)):
                place = near
        if place is None or place.weak or place.value.precision == "country":
            # a country alone says little: the town of the event told just before, inside it, says more
            told = self._narrative_place(cl, clusters)
            if told is not None and (place is None or places_compatible(place.value, told.value, cfg.merge_km)):
                place = told
        if place is not None and not place.weak and place.value.precision in ("admin1", "admin2"):
            place = self._town_inside(ctx, sents, owned, place)
        if place is None and cfg.place_fallback == "dominant":
            place = ctx.dominant_place()
        if place is not None:
            if place.sent >= 0:
                used.add(place.sent)
            reasons.append(f"location: {place.reason}")
            v = place.value
            location = EventLocation(v.name, place.text, v.geonameid, v.latitude, v.longitude,
                                     v.country_code, v.admin1, v.precision)
        else:
            reasons.append("location: none stated: unknown")
            location = None

        counts, count_sents, fatalities, why = self._counts(
            ctx, {c.sent: c.trigger_at for c in cl.members}, owned, tolls,
            away={i for i, to in moved.items() if to != id(cl)}, given={i for i, to in moved.items() if to == id(cl)})
        used |= count_sents
        reasons.append(f"fatalities: {why}")
        actors, actor_why = self._actors(ctx, cl, count_sents - sents,
                                         [c for c in counts if c.who and c.category in VICTIM_CATEGORIES])
        reasons.append(f"actors: {actor_why}")

        w = cfg.confidence
        z = (w.bias + w.score * score + w.own_date * own_date + w.own_place * own_place
             + w.actors * bool(actors) + w.support * min(len(cl.members) - 1, 3))
        confidence = round(1.0 / (1.0 + math.exp(-z)), 3)
        reasons.append(f"confidence: logistic(score={score:.2f}, own date={own_date}, own place={own_place}, "
                       f"actors={bool(actors)}, sentences={len(cl.members)})")

        if sub_type == "Attack":
            event_type, sub_type = self._clash_with_armed_dead(cl, actors, counts, event_type, sub_type, reasons)
        if date is not None and not date.report and date.sent in sents:
            event_type, sub_type = self._aerial(doc.sentences[date.sent].text, event_type, sub_type, reasons)
        evidence = [Evidence(doc.sentences[i].start, doc.sentences[i].end, doc.sentences[i].text) for i in sorted(used)]
        return EventRecord(
            event_id=f"{doc.article.id}#{n}",
            article_id=doc.article.id,
            event_type=event_type,
            sub_event_type=sub_type,
            date=event_date,
            location=location,
            actors=actors,
            counts=counts,
            fatalities=fatalities,
            evidence=evidence,
            confidence=confidence,
            reasons=reasons,
        )

    def _most_specific(self, cl: Cluster, sub_type: str, reasons: list[str]) -> str:
        """A sub-type that one member tells surely and that is a kind of the voted one wins: a suicide bombing
        whose follow-up sentences ("the vehicle exploded", "the blast") read as a remote explosive."""
        for kind in self.cfg.specific_sub_types.get(sub_type, []):
            sure = max((c.value.score for c in cl.members if c.value.sub_event_type == kind), default=0.0)
            if sure >= self.cfg.specific_min_score:
                reasons.append(f"type: {sub_type} narrowed to {kind}: a sentence of it tells so (p={sure:.2f})")
                return kind
        return sub_type

    def _clash_with_armed_dead(self, cl: Cluster, actors: list[EventActor], counts: list[EventCount],
                               event_type: str, sub_type: str, reasons: list[str]) -> tuple[str, str]:
        """An Attack that one of its sentences reads as an Armed clash ("a day-long gun battle with police"),
        whose dead include an armed side's ("nine gang members and one police officer were killed"), is a
        battle: its casualty sentence read "killed" as an attack, but armed men died fighting. Civilians
        killed in the crossfire do not make it one-sided."""
        clash = max((c.value.score for c in cl.members if c.value.sub_event_type == "Armed clash"), default=0.0)
        if clash < self.cfg.clash_vote_min:
            return event_type, sub_type
        dead = {c.who for c in counts if c.category == "killed" and c.value}
        armed = sorted({a.name for a in actors if a.name in dead and a.type in self._armed})
        if not armed:
            return event_type, sub_type
        reasons.append(f"type: Attack recoded Battles / Armed clash: a sentence of it reads as an armed clash "
                       f"(p={clash:.2f}) and armed men died ({', '.join(armed)})")
        return "Battles", "Armed clash"

    def _aerial(self, text: str, event_type: str, sub_type: str, reasons: list[str]) -> tuple[str, str]:
        """ACLED's Air/drone strike is defined by its means: an armed clash, shelling, bombing or attack whose
        dated sentence tells of aircraft or drones striking ("army drones and helicopters struck fighters
        retreating towards the forest") is one."""
        if sub_type == "Air/drone strike" or (event_type not in ("Battles", "Explosions/Remote violence")
                                              and sub_type != "Attack"):
            return event_type, sub_type
        m = self._aerial_rx.search(text)
        if m is None:
            return event_type, sub_type
        reasons.append(f"type: {sub_type} recoded Explosions/Remote violence / Air/drone strike: its dated sentence "
                       f"tells of a strike from the air ({m.group(0)!r})")
        return "Explosions/Remote violence", "Air/drone strike"

    def _narrative_date(self, cl: Cluster, clusters: list[Cluster], shifted: bool = False) -> Optional[DatePick]:
        """An undated event told right after a dated one happened that day ("In Kisumu, protesters
        set fire to a police post" after "police fired tear gas in Nairobi yesterday"); one that opens
        "Two days later" counts from the event told before it, however far back."""
        start = cl.first_sent
        # counting from the event told before takes whatever date it has, its report's too
        before = [(start - max(c.sent for c in o.members if c.sent < start), o) for o in clusters
                  if o is not cl and o.first_sent < start and o.date(event_only=not shifted) is not None]
        before = [(d, o) for d, o in before if 0 < d and (shifted or d <= self.cfg.place_join_window)]
        if not before:
            return None
        _, prev = min(before, key=lambda x: x[0])
        d = prev.date(event_only=not shifted)
        return DatePick(d.start, d.end, d.precision, d.text,
                        f"{d.reason}: the date of the event told just before (none of its own)", d.sent, d.at)

    def _counted_back(self, ctx: "_DocContext", cl: Cluster, clusters: list[Cluster], date: DatePick) -> DatePick:
        """"A day earlier", "two days earlier" after a dated event count back from that event's day. The
        dates stage counts them from publication, as TimeML's annotators do; a coder reads the story's
        time ("police fired tear gas in Paris on Thursday ... A day earlier, students held a sit-in")."""
        pub = ctx.doc.article.published
        if pub is None or date.precision != "day" or date.start != date.end or not _EARLIER_TEXT.search(date.text):
            return date
        prev = self._narrative_date(cl, clusters, shifted=True)  # "a day earlier" than the event told before, however far back
        if prev is None or prev.precision != "day" or prev.start != prev.end:
            return date
        days = (pub - dt.date.fromisoformat(date.start)).days
        day = (dt.date.fromisoformat(prev.start) - dt.timedelta(days=days)).isoformat()
        return DatePick(day, day, "day", date.text,
                        f"date {date.text!r} in sentence {date.sent}: {days} day(s) before the event told just "
                        f"before ({prev.text!r}, {prev.start}), not before publication", date.sent, date.at)

    def _overnight(self, ctx: "_DocContext", cl: Cluster, report: Optional[DatePick]) -> Optional[DatePick]:
        """"Stormed a village overnight, officials said on Thursday" with no day named: the night before
        the day it is reported for (the report's date, else publication) through that day."""
        pub = ctx.doc.article.published
        for c in sorted(cl.members, key=lambda c: c.sent):
            hit = _OVERNIGHT.search(ctx.doc.sentences[c.sent].text)
            if hit is None:
                continue
            if report is not None and report.precision == "day" and report.start == report.end:
                day, base = dt.date.fromisoformat(report.start), f"the report's day {report.text!r}"
            elif report is None and pub is not None:
                day, base = pub, "the publication day"
            else:
                return None
            at = ctx.doc.sentences[c.sent].start + hit.start()
            return DatePick((day - dt.timedelta(days=1)).isoformat(), day.isoformat(), "day", hit.group(0),
                            f"'overnight' in sentence {c.sent} with no day named: the night before {base} "
                            "through that day", c.sent, at)
        return None

    def _night_into(self, ctx: "_DocContext", date: DatePick) -> DatePick:
        """"Killed three militants in a shootout overnight into Wednesday": the night from the day before
        through the day named."""
        if date.precision != "day" or date.start != date.end or not _NIGHT_INTO.search(
                ctx.text[max(0, date.at - 30):date.at]):
            return date
        day = dt.date.fromisoformat(date.start)
        return replace(date, start=(day - dt.timedelta(days=1)).isoformat(),
                       reason=f"{date.reason}; 'overnight into': from the night before")

    def _later_clause_out(self, ctx: "_DocContext", sent: int, trigger_at: int, anchor: int,
                          places: list[PlacePick]) -> list[PlacePick]:
        """Places of a clause told "a day later" after the one of the event's date (``anchor``; its trigger
        when undated): "... stormed the council in Basra on Monday, and security forces shot dead a
        demonstrator in nearby Zubair a day later". From the clause break before the offset on, they are
        that later event's, not this one's, unless no other place is left."""
        off = self._offset_in(ctx, sent, trigger_at)
        if off is None or len(places) < 2 or off.start < anchor:
            return places
        breaks = list(_CLAUSE_BREAK.finditer(ctx.text, anchor, off.start))
        if not breaks:
            return places
        lo = breaks[-1].start()
        kept = [p for p in places if p.at < lo]
        return kept or places

    def _offset_in(self, ctx: "_DocContext", sent: int, trigger_at: int) -> Optional[Mention]:
        """A "two days later" / "the next day" in the sentence, outside its context clauses."""
        return next((m for m in ctx.doc.in_sentence("dates", sent)
                     if _offset_days(m) is not None and not ctx.in_context_clause(m.start, m.end, trigger_at)), None)

    def _narrative_offset(self, ctx: "_DocContext", cl: Cluster, base: DatePick) -> DatePick:
        """"A day later", "two days later", "the next day" in the event's sentence or its lead-in count
        from the event told before: its day plus the stated days (the dates stage leaves them durations)."""
        if base.precision != "day" or base.start != base.end:
            return base
        first = cl.first_sent
        for s in sorted({c.sent for c in cl.members} | ({first - 1} if first > 0 else set())):
            for m in ctx.doc.in_sentence("dates", s):
                days = _offset_days(m)
                if days is None:
                    continue
                day = (dt.date.fromisoformat(base.start) + dt.timedelta(days=days)).isoformat()
                return DatePick(day, day, "day", m.text, f"{base.reason}, plus {days} day(s): {m.text!r} in "
                                f"sentence {s}", s, m.start)
        return base

    def _narrative_place(self, cl: Cluster, clusters: list[Cluster]) -> Optional[PlacePick]:
        """An event with no place of its own, told right after one with a town or province, happened
        there ("... in Bourem on Saturday. On Monday, army drones struck rebel vehicles.")."""
        start = cl.first_sent
        before = [(start - max(c.sent for c in o.members if c.sent < start), o) for o in clusters
                  if o is not cl and o.first_sent < start]
        before = [(d, o) for d, o in before if 0 < d <= self.cfg.place_join_window]
        for _, prev in sorted(before, key=lambda x: x[0]):
            p = prev.place()
            if p is not None and not p.weak and p.value.precision != "country":
                return PlacePick(p.value, p.text, f"{p.reason}: the place of the event told just before "
                                 "(none of its own)", p.sent, p.at, weak=True)
        return None

    def _town_inside(self, ctx: "_DocContext", sents: set[int], owned: set[int], division: PlacePick) -> PlacePick:
        """A province named by the event's sentence, with a town of that province in the sentence just
        before or after it ("Protests spread in Nasiriyah on Monday. ... shot dead near the Dhi Qar
        provincial council"): the town, the more precise place a coder would take."""
        dv = division.value
        for s in sorted(sents):
            for nb in (s - 1, s + 1):
                if nb < 0 or nb >= len(ctx.doc.sentences) or nb in sents or nb in owned \
                        or self._background_dated(ctx, nb):  # "In December 2024 it overran ... in Ann"
                    continue
                towns = [p for p in self._sentence_places(ctx, nb, ctx.doc.sentences[nb].start)
                         if not p.weak and not p.reference and p.value.precision == "city"
                         and p.value.country_code == dv.country_code
                         and (p.value.admin1 == dv.admin1 if dv.precision == "admin1"
                              else places_compatible(dv, p.value, self.cfg.merge_km))]
                if len(towns) == 1:
                    t = towns[0]
                    return PlacePick(t.value, t.text, f"{t.reason}: a town of {division.text!r} named beside the "
                                     f"event's sentence", t.sent, t.at)
        return division

    def _from_neighbours(self, ctx: "_DocContext", sents: set[int], owned: set[int], kind: str):
        """The nearest date/place stated in a sentence next to the event's own sentences."""
        n_sents = len(ctx.doc.sentences)
        for dist in range(1, self.cfg.context_window + 1):
            for s in sorted(sents):
                for nb in (s - dist, s + dist):
                    if nb < 0 or nb >= n_sents or nb in owned:
                        continue
                    at = ctx.doc.sentences[nb].start
                    if kind == "date":
                        picks = self._own_day_dates(ctx, nb)
                        if picks:
                            d = picks[0]
                            d.reason = f"{d.reason}, next to the event's sentence {s}"
                            return d
                    else:
                        picks = [p for p in self._sentence_places(ctx, nb, at) if not p.weak]
                        if picks:
                            p = min(picks, key=lambda p: PRECISION_RANK.get(p.value.precision, 9))
                            p.reason = f"{p.reason}, next to the event's sentence {s}"
                            return p
        return None

    def _counts(self, ctx: "_DocContext", triggers: dict[int, int], owned: set[int],
                tolls: set[int] = frozenset(), away: set[int] = frozenset(),
                given: set[int] = frozenset()) -> tuple[list[EventCount], set[int], Optional[int], str]:
        """Counts of the event's sentences plus the breakdowns of their totals; fatalities = stated total.

        Figures the counts stage marks as background ("17 killed this year") and figures in a side
        clause without the trigger ("agreed a ceasefire after fighting in which 39 died") are other events'.
        The sentence right after an event's own, when it reports no event and gives no date of its own,
        carries its toll ("... opened fire on the crowd. One man was shot dead."); so do ``tolls``.
        """
        layer = ctx.doc.layer("counts")
        n_sents = len(ctx.doc.sentences)
        follow = {s + 1 for s in set(triggers) | set(tolls)} - set(triggers) - owned
        follow = {s for s in follow if s < n_sents and not self._own_day_dates(ctx, s)
                  and not self._background_dated(ctx, s)}
        # one step further through a follow-up that only narrates (no count): "The convoy ... came under
        # fire from both sides of the road. The army said its troops killed about 30 of the assailants."
        with_counts = {m.sent for m in layer}
        follow |= {s + 1 for s in follow if s not in with_counts and s + 1 < n_sents and s + 1 not in owned
                   and s + 1 not in triggers and not self._own_day_dates(ctx, s + 1)}
        follow |= set(tolls)
        chosen: list[int] = [i for i, m in enumerate(layer)
                             if m.sent in triggers and isinstance(m.value, CountValue) and not m.value.background
                             and not ctx.in_context_clause(m.start, m.end, triggers[m.sent]) and i not in away]
        # told in another event's sentence, after "a day later": a lede's summary, so only where the event's own
        # sentences give no figure of that category
        own_categories = {layer[i].value.category for i in chosen}
        chosen += sorted(i for i in given if layer[i].value.category not in own_categories)
        own = set(chosen)
        chosen += [i for i, m in enumerate(layer)
                   if m.sent in follow and isinstance(m.value, CountValue) and not m.value.background
                   and i not in away and i not in own]
        chosen_set = set(chosen)
        for i, m in enumerate(layer):  # a breakdown in the next sentence belongs to its total
            v = m.value
            if isinstance(v, CountValue) and v.part_of is not None and v.part_of in chosen_set and i not in chosen_set:
                chosen.append(i)
                chosen_set.add(i)
        chosen.sort(key=lambda i: layer[i].start)
        out: list[EventCount] = []
        seen: set[tuple] = set()
        for i in chosen:
            m, v = layer[i], layer[i].value
            if v.superseded:
                continue
            key = (v.category, v.value, v.who, m.start)
            if key in seen:
                continue
            seen.add(key)
            out.append(EventCount(v.category, v.value, v.approximate, v.who, m.text))
        killed = [(i, layer[i]) for i in chosen
                  if layer[i].value.category == "killed" and layer[i].value.value is not None]
        # the event's own figures decide; a follow-up sentence's fill a gap or add another group
        # ("... killed two militants. A soldier was also killed.")
        # ... and so does a later toll of the event ("The toll rose to nine")
        mine = [k for k in killed if k[0] in own or layer[k[0]].value.part_of in own
                or k[1].sent in tolls and (k[1].value.total or k[1].value.rival)]
        whos = {m.value.who for _, m in mine}
        extra = [k for k in killed if k not in mine and k[1].value.who is not None and k[1].value.who not in whos
                 and not k[1].value.total]
        fatalities, why = choose_fatalities([(m.start, m.text, m.value) for _, m in (mine + extra if mine else killed)])
        if fatalities is None:
            fatalities, why = self._vague_fatalities([layer[i] for i in chosen], why)
        unhurt = [layer[i] for i in chosen if layer[i].value.category == "injured" and layer[i].value.value == 0
                  and not layer[i].value.superseded]
        if fatalities is None and not unhurt:
            # "No one was hurt" / "No deaths were reported" closes a report a few sentences on
            last = max(triggers)
            near = {s for s in range(last + 1, min(last + 1 + self.cfg.attach_window, n_sents))
                    if s not in owned and not self._own_day_dates(ctx, s)}
            zeros = [m for m in layer if m.sent in near and isinstance(m.value, CountValue) and m.value.value == 0
                     and m.value.category in ("killed", "injured") and not m.value.background]
            killed_zero = next((m for m in zeros if m.value.category == "killed"), None)
            if killed_zero is not None:
                fatalities, why = 0, f"nobody killed ({killed_zero.text!r}, sentence {killed_zero.sent})"
            unhurt = [m for m in zeros if m.value.category == "injured"]
        if fatalities is None and unhurt:
            fatalities, why = 0, f"nobody hurt ({unhurt[0].text!r}), so nobody killed"
        return out, {layer[i].sent for i in chosen if layer[i].sent >= 0}, fatalities, why

    def _vague_fatalities(self, counts: list[Mention], why: str) -> tuple[Optional[int], str]:
        """ACLED's lower bound for an event whose killed figures are all vague: "killing dozens" = 12."""
        for m in counts:
            v = m.value
            word = m.text.strip(" \"'“”").split()[0].lower() if m.text.strip() else ""
            if v.category == "killed" and v.value is None and not v.background and not v.superseded \
                    and word in self.cfg.vague_fatalities:
                n = self.cfg.vague_fatalities[word]
                return n, f"vague killed figure {m.text!r}: ACLED's lower bound {n}"
        return None, why

    def _actors(self, ctx: "_DocContext", cl: Cluster, count_sents: set[int],
                victim_counts: list[EventCount]) -> tuple[list[EventActor], str]:
        """Actors of the event's sentences (best-scoring sentence first), then the groups its counts are of.

        The source of a report ("police said") is not in the actors layer: the actors stage leaves it
        out (and keeps a source that claims the act: "the group said it had fired the shells"). A group
        named only in a casualty breakdown ("among them 79 Asayish") or only as the ``who`` of a count
        ("killing four worshippers") was hit by the event: it joins as actor2 unless it already has a role.
        """
        victims = {c.who for c in victim_counts}
        by_name: dict[str, EventActor] = {}
        notes: list[str] = []
        trigger_at = {c.sent: c.trigger_at for c in cl.members}
        ranked = sorted(cl.members, key=lambda c: (-c.value.score, c.sent))
        for s in [c.sent for c in ranked] + sorted(count_sents):
            for m in sorted(ctx.doc.in_sentence("actors", s), key=lambda m: m.start):
                v = m.value
                if not isinstance(v, ActorValue):
                    continue
                if v.type is None and self.cfg.drop_untyped_actors:
                    continue
                if v.name in by_name:
                    continue
                if s in trigger_at:
                    if ctx.in_context_clause(m.start, m.end, trigger_at[s]):
                        continue
                    role = v.role
                    if role is None:
                        role = "actor1" if m.start < trigger_at[s] else "actor2"
                        notes.append(f"{v.name} {role} by position to the trigger")
                elif v.name in victims:
                    role = "actor2"
                    notes.append(f"{v.name} actor2: a count of the event is of them")
                else:
                    continue
                by_name[v.name] = EventActor(v.name, m.text, role, v.type)
        for c in victim_counts:
            if c.who not in by_name:
                known = [m.value for m in ctx.doc.layer("actors")
                         if isinstance(m.value, ActorValue) and m.value.name == c.who]
                type_ = known[0].type if known else ("Civilians" if c.who == "Civilians" else None)
                by_name[c.who] = EventActor(c.who, c.text, "actor2", type_)
                notes.append(f"{c.who} actor2: the event's count {c.text!r} is of them")
        actors = sorted(by_name.values(), key=lambda a: ROLE_ORDER.get(a.role, 3))
        if not actors:
            return [], "none named in the event's sentences"
        return actors, "from the event's sentences with the actors stage's roles" + (
            f" ({'; '.join(notes)})" if notes else "")


DISRUPTED = ("Strategic developments", "Disrupted weapons use")
DEVICE = ("Explosions/Remote violence", "Remote explosive/landmine/IED")


def _same_event(a: EventRecord, b: EventRecord) -> Optional[tuple[str, str]]:
    """The (type, sub-type) of the one event two records tell, or None: one sub-type on one stated day
    in one town, or a harmless device and a disrupted weapons use there (see ``Assembly._one_per_event``)."""
    if not (a.date is not None and b.date is not None and a.date.precision == "day"
            and (a.date.start, a.date.end) == (b.date.start, b.date.end)
            and a.location is not None and b.location is not None and a.location.geonameid is not None
            and a.location.geonameid == b.location.geonameid
            and a.location.precision in ("point", "city") and b.location.precision in ("point", "city")):
        return None
    la, lb = (a.event_type, a.sub_event_type), (b.event_type, b.sub_event_type)
    if la == lb:
        return la
    device = a if la == DEVICE else b if lb == DEVICE else None
    if {la, lb} == {DISRUPTED, DEVICE} and not device.fatalities:
        return DISRUPTED
    return None


def _before_trailing_speaker(verb, span, trigger_at: int) -> bool:
    """"Insurgents beheaded five villagers in Litandacua on Saturday, residents said": the parser may
    hang the date on the trailing "said", but it stands between the act and the speaker, so it is the
    act's. Not "the army said on Wednesday", whose speaker comes first."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return (subject is not None and trigger_at < span.start_char
            and span.end_char <= subject.left_edge.idx and verb.idx > span.start_char)


def choose_fatalities(killed: list[tuple[int, str, CountValue]],
                      group_nouns: frozenset[str] = GROUP_NOUNS) -> tuple[Optional[int], str]:
    """The coder's single figure (corpus/gold/README.md conventions).

    ``killed`` holds (offset, text, value) of the event's killed counts. The latest
    stated total wins, even when its parts sum to something else (the article's own
    arithmetic is not ours to fix); superseded figures and breakdown parts never
    decide. Without a total: conflicting figures for the same group give the most
    conservative one, and figures for different groups add up. A count with no
    known group is still a group of its own when its noun names one ("two militants"
    beside "a soldier": 3), and a general figure otherwise ("six people").
    """
    current = [k for k in killed if not k[2].superseded]
    if not current:
        return None, "no killed count in the event's sentences"
    rivals = [k for k in current if k[2].rival]
    if rivals and len(rivals) < len(current):
        # another source's figure: the coder keeps the most conservative of it and the reported one
        value, why = choose_fatalities([k for k in current if not k[2].rival], group_nouns)
        low = min(rivals, key=lambda k: k[2].value)
        if value is not None and low[2].value < value:
            return low[2].value, f"most conservative of rival sources: {low[1]!r} (against {value})"
        return value, why + (f"; a rival source's {low[1]!r} is higher" if value is not None else "")
    totals = [k for k in current if k[2].total]
    if totals:
        at, text, v = max(totals, key=lambda k: k[0])
        why = f"stated total {text!r}" + (" (latest revision)" if len(totals) > 1 else "")
        if v.who is not None and all(k[2].who == v.who for k in totals):
            # one side's toll ("the toll had risen to nine soldiers"): the other sides' dead add to it
            # ("about thirty terrorists were neutralised")
            sides: dict[str, tuple[int, str, CountValue]] = {}
            for k in current:
                w = k[2].who
                if w is not None and w != v.who and not k[2].total and k[2].part_of is None and k[2].value:
                    if w not in sides or k[2].value < sides[w][2].value:
                        sides[w] = k
            if sides:
                extra = sum(k[2].value for k in sides.values())
                return v.value + extra, why + " (one side's) plus the other sides' dead: " + ", ".join(
                    repr(k[1]) for k in sorted(sides.values()))
        return v.value, why
    heads = [k for k in current if k[2].part_of is None] or current
    per_who: dict[Optional[str], tuple[int, str, CountValue]] = {}
    for k in heads:
        # a count the stage marks as other people ("Nine soldiers and four workers") is a group of its own
        who = k[2].who or _group_noun(k[1], group_nouns) or (f"others at {k[0]}" if k[2].adds_to else None)
        if who not in per_who or k[2].value < per_who[who][2].value:
            per_who[who] = k
    conflicting = len(heads) > len(per_who)
    if None in per_who and len(per_who) > 1:
        # a general figure is either the total ("six people, four of them civilians") or a part
        # of one group ("four civilians, two of them children"): the larger reading wins
        at, text, v = per_who.pop(None)
        groups = sum(k[2].value for k in per_who.values())
        # "Six members of a militant group and a soldier were killed": a group coordinated with the general
        # figure in its own phrase (marked as other people, right after it) is added, not a part of it
        # (not a group coordinated with another count between them: "... left 13 dead. Police said nine gang
        # members and one police officer were killed")
        joined = [k[2].value for k in per_who.values() if k[2].adds_to and 0 < k[0] - at <= COORDINATED_CHARS
                  and not any(at < o[0] < k[0] for o in heads)]
        extra = sum(joined)
        if joined and extra != v.value:
            return v.value + extra, f"general figure {text!r} plus the group coordinated with it ({extra})"
        if v.value >= groups:
            return v.value, f"general figure {text!r} (groups named sum to {groups})"
        return groups, f"sum of the groups' killed counts ({groups}) exceeds the general figure {text!r}"
    if len(per_who) > 1:
        parts = sorted(per_who.values(), key=lambda k: k[0])
        return sum(k[2].value for k in parts), "sum of the groups' killed counts: " + ", ".join(
            repr(k[1]) for k in parts) + (" (the most conservative figure per group)" if conflicting else "")
    at, text, v = next(iter(per_who.values()))
    return v.value, (f"most conservative of conflicting figures: {text!r}" if conflicting
                     else f"killed count {text!r}")


def _group_noun(text: str, nouns: frozenset[str]) -> Optional[str]:
    """``"noun:militant"`` when the count's last word names a kind of armed or state people, else None."""
    words = re.findall(r"[a-z]+", text.lower())
    if not words:
        return None
    last = words[-1]
    for form in (last, last[:-1] if last.endswith("s") else last):
        if form in nouns:
            return f"noun:{form}"
    return None


def _offset_days(m: Mention) -> Optional[int]:
    """The days a "two days later" / "the next day" / "a week later" mention counts forward, else None."""
    v = m.value
    if not isinstance(v, DateValue) or v.timex_type != "DURATION" or not v.timex_value:
        return None
    unit = _OFFSET.fullmatch(v.timex_value)
    if unit is None or not _OFFSET_TEXT.search(m.text):
        return None
    return int(unit.group(1)) * (7 if unit.group(2) == "W" else 1)


def places_compatible(a: PlaceValue, b: PlaceValue, max_km: float) -> bool:
    """Same place, places within ``max_km``, or one containing the other (admin1 / country)."""
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return True
    if a.country_code and b.country_code and a.country_code != b.country_code:
        return False
    ra, rb = PRECISION_RANK.get(a.precision, 9), PRECISION_RANK.get(b.precision, 9)
    coarse, fine = (a, b) if ra >= rb else (b, a)
    if coarse.precision == "country":
        return coarse.country_code is not None and coarse.country_code == fine.country_code
    if coarse.precision == "admin1" and coarse is not fine and PRECISION_RANK.get(fine.precision, 9) < 3:
        if coarse.admin1 and fine.admin1:
            return _norm(coarse.admin1) == _norm(fine.admin1)
    if None not in (a.latitude, a.longitude, b.latitude, b.longitude):
        km = haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)
        if coarse.precision == "admin2" and coarse is not fine and coarse.admin1 and fine.admin1:
            # a district or province of the same first-level division, near enough to contain the town
            # (the record keeps no admin2 code to check it exactly)
            return _norm(coarse.admin1) == _norm(fine.admin1) and km <= ADMIN2_KM
        return km <= max_km
    return _norm(a.name) == _norm(b.name)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def _norm(name: Optional[str]) -> str:
    return re.sub(r"[^a-z]", "", (name or "").lower())


# --- per-document helpers -------------------------------------------------------


class _DocContext:
    """The article plus cached syntax lookups (context clauses, reporting verbs, dateline)."""

    def __init__(self, doc: AnnotatedDoc, stage: Assembly) -> None:
        self.doc = doc
        self.text = doc.article.text
        self.stage = stage
        self.datelines = [(m.start(), m.end()) for m in stage._dateline.finditer(self.text)]
        self._clauses: dict[int, list[tuple[int, int, str]]] = {}

    # trigger position
    def trigger_offset(self, m: Mention, value: EventMentionValue, sent: int) -> int:
        s = self.doc.sentences[sent]
        if value.trigger:
            lo = max(m.start, s.start)
            found = self.text.lower().find(value.trigger.lower(), lo, max(m.end, s.end))
            if found >= 0:
                return found
        if m.end - m.start < (s.end - s.start) * 0.8:
            return m.start
        root = self._sentence_root(s.start, s.end)
        return root.idx if root is not None else m.start

    def _sentence_root(self, start: int, end: int):
        span = self._span(start, end)
        return span.root if span is not None else None

    def _span(self, start: int, end: int):
        """The non-empty spaCy span over the characters (expanded to tokens), or None without a parse."""
        spacy_doc = self.doc.doc
        if spacy_doc is None:
            return None
        span = spacy_doc.char_span(start, end, alignment_mode="expand")
        return span if span is not None and len(span) else None

    # context clauses
    def _clauses_of(self, sent: int) -> list[tuple[int, int, str]]:
        """(start, end, marker) of each context clause of a sentence."""
        if sent not in self._clauses:
            out: list[tuple[int, int, str]] = []
            s = self.doc.sentences[sent]
            span = self._span(s.start, s.end)
            if span is not None:
                words = [t for t in span if t.is_alpha]
                for tok in span:
                    if tok.lower_ not in self.stage._markers:
                        continue
                    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
                    if nxt is not None and nxt.lower_ in self.stage._times_of_day:
                        continue  # "before dawn on Tuesday": a time of day
                    head = tok.head if tok.dep_ == "mark" else tok
                    if tok.dep_ == "prep" and any(c.dep_ == "pobj" and c.lemma_.lower() in self.stage._same_event
                                                  for c in tok.children):
                        continue  # "after a battle on Wednesday": the act's own fight, not another event
                    left, right = head.left_edge, head.right_edge
                    if tok.dep_ == "mark":
                        left = min(left, tok, key=lambda t: t.i)
                    out.append((left.idx, right.idx + len(right), tok.lower_))
                    if words and tok == words[0]:
                        # "After the unrest in X, units launched ...": the parser often hangs the opening
                        # phrase on the main verb; up to its first comma it is the side clause all the same
                        comma = next((t for t in span if t.i > tok.i and t.text == ","), None)
                        if comma is not None:
                            out.append((tok.idx, comma.idx, tok.lower_))
            self._clauses[sent] = out
        return self._clauses[sent]

    def in_context_clause(self, start: int, end: int, trigger_at: int) -> bool:
        """Inside "after/since/following ..." that does not hold the trigger: another event's detail."""
        sent = self.doc.sent_of(start)
        for lo, hi, _ in self._clauses_of(sent):
            if lo <= start and end <= hi and not (lo <= trigger_at < hi):
                return True
        return False

    def in_since_clause(self, at: int) -> bool:
        """Inside "since ..." ("to mark nine years since gunmen stormed the campus"): an earlier event
        named as the start of a period, not the sentence's news."""
        return any(lo <= at < hi and marker == "since" for lo, hi, marker in self._clauses_of(self.doc.sent_of(at)))

    def in_side_clause(self, start: int, end: int, trigger_at: int) -> bool:
        """Inside a participle clause on a noun that does not hold the trigger ("detained six suspects,
        including a man accused of sheltering the attacker the night before"). Relative clauses are not
        side clauses: "a campaign ..., which began on the 22nd" times the event itself."""
        span = self._span(start, end)
        if span is None:
            return False
        for anc in [span.root, *span.root.ancestors]:
            if anc.dep_ == "acl" and anc.tag_ == "VBN" and anc.lemma_.lower() not in _DEVICE_PARTICIPLES:
                lo, hi = anc.left_edge.idx, anc.right_edge.idx + len(anc.right_edge)
                if not (lo <= trigger_at < hi):
                    return True
        return False

    def attached_to_report_verb(self, start: int, end: int, trigger_at: int, in_subject: bool = False) -> bool:
        """The span's governing verb is a reporting verb that is not the trigger ("announced on Sunday")."""
        span = self._span(start, end)
        if span is None:
            return False
        if any(anc.lower_ in self.stage._report_markers for anc in span.root.ancestors):
            return True
        prep = span.root.head
        if prep.dep_ == "prep" and prep.head.lemma_.lower() in self.stage._same_event:
            return False  # "after a battle on Wednesday": the fight's day, not the report's
        child = span.root
        for anc in span.root.ancestors:
            if anc.pos_ in ("VERB", "AUX"):
                # "said on Sunday", and "forces on Sunday announced" (the parser hangs the date on the subject)
                lemma = anc.lemma_.lower()
                if anc.idx <= trigger_at < anc.idx + len(anc):
                    return False
                if child.dep_ in ADVERBIAL_DEPS:
                    if _before_trailing_speaker(anc, span, trigger_at):
                        return False
                    return lemma in self.stage._report or lemma in self.stage._update
                return in_subject and child.dep_ == "nsubj" and child is not span.root and lemma in self.stage._report
            child = anc
        return False

    def in_speaker(self, m: Mention, trigger_at: int) -> bool:
        """Inside the subject of a reporting verb ("the health ministry in Sanaa said ..."): where the
        speaker is, not where the event was."""
        span = self._span(m.start, m.end)
        if span is None:
            return False
        child = span.root
        for anc in span.root.ancestors:
            if anc.pos_ in ("VERB", "AUX"):
                # a dateline without its country ("PORT-AU-PRINCE —") is parsed as the subject of the
                # sentence's last "said": a subject that starts in the dateline is no speaker
                return (child.dep_ in ("nsubj", "nsubjpass") and anc.lemma_.lower() in self.stage._report
                        and not (anc.idx <= trigger_at < anc.idx + len(anc)) and child.i != span.root.i
                        and not self.in_dateline(child.left_edge.idx, child.left_edge.idx + 1))
            child = anc
        return False

    def government(self, m: Mention) -> bool:
        """The place is the subject of a stance or reporting verb ("a violation that Baghdad has condemned",
        "Moscow denied"): it names a government."""
        span = self._span(m.start, m.end)
        return (span is not None and span.root.dep_ == "nsubj" and span.root.head.pos_ in ("VERB", "AUX")
                and span.root.head.lemma_.lower() in self.stage._stance)

    def in_group_name(self, m: Mention) -> bool:
        """Inside the name of a non-state group the actors stage knows ("Los Lobos", "Kurdistan Workers'
        Party"): a word of the name, not where anything happened."""
        return any(a.start <= m.start and m.end <= a.end and isinstance(a.value, ActorValue)
                   and a.value.type not in (None, "State forces", "Civilians", "Protesters", "Rioters")
                   for a in self.doc.in_sentence("actors", m.sent))

    def negated(self, trigger_at: int, length: int) -> bool:
        """The trigger is denied: "no arrests were made", "did not attack", "no one was detained"."""
        span = self._span(trigger_at, trigger_at + length)
        if span is None:
            return False
        tok = span.root
        if tok.dep_ == "pobj" and tok.head.lower_ == "without":
            return True  # "the meeting ended without agreement"
        heads = [tok] + ([tok.head] if tok.dep_ in ("nsubjpass", "dobj") else [])  # "did not make arrests"
        for t in heads:
            for child in t.children:
                if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no"):
                    return True
        return False

    def in_dateline(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.datelines)

    def is_dateline(self, m: Mention) -> bool:
        return m.label.upper() == "DATELINE" or self.in_dateline(m.start, m.end)

    def dominant_place(self) -> Optional[PlacePick]:
        """The article's most mentioned country, as a country-level place (a fallback, said so)."""
        by_country: dict[str, list[Mention]] = {}
        for m in self.doc.layer("places"):
            v = m.value
            if isinstance(v, PlaceValue) and v.country_code and not v.stand_in and not self.is_dateline(m):
                by_country.setdefault(v.country_code, []).append(m)
        if not by_country:
            return None
        cc, ms = max(by_country.items(), key=lambda kv: (len(kv[1]), -kv[1][0].start))
        # the country itself may be named only in the dateline ("HASAKAH, Syria —"): fine at country level
        countries = [m for m in self.doc.layer("places")
                     if isinstance(m.value, PlaceValue) and not m.value.stand_in and m.value.precision == "country"
                     and m.value.country_code == cc]
        m = countries[0] if countries else min(ms, key=lambda m: (PRECISION_RANK.get(m.value.precision, 9), m.start))
        return PlacePick(m.value, m.text,
                         f"none stated near the event: the article's dominant country {cc} ({len(ms)} mentions), "
                         f"via {m.text!r}", -1, m.start, weak=True)
