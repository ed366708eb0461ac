"""The output boundary: pydantic models of ``shared/spec/event-record.md``.

Every record is validated here before it is written, so a stage bug that
breaks the contract (an empty string for unknown, a date that is not ISO, a
latitude out of range) fails loudly instead of reaching a dataset.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator

Precision = Literal["day", "week", "month", "year"]
PlacePrecision = Literal["point", "city", "admin2", "admin1", "country"]
Role = Literal["actor1", "actor2", "associated"]
Category = Literal["killed", "injured", "arrested", "detained", "kidnapped", "displaced", "missing", "participants", "other"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_empty_strings(cls, v):
        if v == "":
            raise ValueError("unknown values are null, never an empty string")
        return v


class DateOut(_Out):
    start: Optional[str] = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    end: Optional[str] = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    precision: Optional[Precision]
    text: Optional[str]


class LocationOut(_Out):
    name: Optional[str]
    text: Optional[str]
    geonameid: Optional[int]
    latitude: Optional[float] = Field(ge=-90, le=90)
    longitude: Optional[float] = Field(ge=-180, le=180)
    country_code: Optional[str] = Field(pattern=r"^[A-Z]{2}$")
    admin1: Optional[str]
    precision: Optional[PlacePrecision]


class ActorOut(_Out):
    name: str
    text: str
    role: Role
    type: Optional[str]


class CountOut(_Out):
    category: Category
    value: Optional[int] = Field(ge=0)
    approximate: bool
    who: Optional[str]
    text: str


class EvidenceOut(_Out):
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class EventRecordOut(_Out):
    event_id: str
    article_id: str
    event_type: str
    sub_event_type: str
    date: Optional[DateOut]
    location: Optional[LocationOut]
    actors: list[ActorOut]
    counts: list[CountOut]
    fatalities: Optional[int] = Field(ge=0)
    evidence: list[EvidenceOut]
    confidence: float = Field(ge=0, le=1)
    reasons: list[str]
