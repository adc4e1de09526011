"""Pydantic schemas of the JSON API, in families: PersonIn (create), PersonPatch (change), PersonOut (read).

Every text field refuses control characters and has a length limit, every number a range, every date a
sane year: bad input is a 422 with a message, never a database error.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    StrictBool,
    StringConstraints,
    WithJsonSchema,
)

from keepwarm.core.events import KINDS

# What keepwarm's text cleaning refuses (core.people._CONTROL): C0 and C1 controls, zero-width and
# direction marks, line and paragraph separators, BOM. One-line fields refuse tabs too; a notes field
# keeps tabs and line breaks. The schema says it, so a client learns it from the document, not a 422.
_CTRL = r"\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff"
_NO_CONTROL = rf"^[^{_CTRL}\t]*$"
_NO_CONTROL_MULTILINE = rf"^[^{_CTRL}]*$"
_NOT_BLANK = rf"^[^{_CTRL}\t]*[^{_CTRL}\t\s][^{_CTRL}\t]*$"  # strip() must leave something
Line = Annotated[str, StringConstraints(max_length=200, pattern=_NO_CONTROL)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=_NOT_BLANK)]
LongText = Annotated[str, StringConstraints(max_length=10_000, pattern=_NO_CONTROL_MULTILINE)]
Label = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=_NOT_BLANK)]
Url = Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=rf"^[^{_CTRL}\s]+$")]


def _not_bool(value: Any) -> Any:
    # pydantic reads true as 1; JSON Schema says a boolean is not a number
    if isinstance(value, bool):
        raise ValueError("a number, not true or false")
    return value


NotBool = BeforeValidator(_not_bool)
Id = Annotated[int, Field(ge=1, le=2_147_483_647), NotBool]

# Real calendar dates from 1900 to 2200 (29 February in leap years only), as a pattern in the schema.
_MD = r"(0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8])"
_YEAR = r"19[0-9][0-9]|2[01][0-9][0-9]|2200"
_LEAP = r"19(0[48]|[2468][048]|[13579][26])|20([02468][048]|[13579][26])|21(0[48]|[2468][048]|[13579][26])"
DAY_PATTERN = rf"^(({_YEAR})-({_MD})|({_LEAP})-02-29)$"
BIRTHDAY_PATTERN = rf"^(({_YEAR})-({_MD})|({_LEAP})-02-29|(--)?({_MD}|02-29))$"
_DAY = re.compile(DAY_PATTERN)


def _iso_day(value: Any) -> date:
    # only the text form: pydantic alone would read 0 as 1970-01-01 and 2026-11-25T10:00 as a day
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DAY.match(value):
        raise ValueError("a date as YYYY-MM-DD, from 1900 to 2200")
    return date.fromisoformat(value)


Day = Annotated[date, BeforeValidator(_iso_day),
                WithJsonSchema({"type": "string", "format": "date", "pattern": DAY_PATTERN})]
Every = Annotated[int, Field(ge=1, le=36_500, description="Own keep-in-touch rhythm in days."), NotBool]
EventKind = Literal[KINDS]  # type: ignore[valid-type]


class ErrorOut(BaseModel):
    """Every error: a type, a one-line message, maybe a hint and details."""

    error: str
    message: str
    hint: str | None = None
    details: list[Any] | None = None


class LinkModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Url
    kind: Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=r"^[a-z0-9-]+$")] = "website"


class _PersonFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nickname: Line | None = None
    given_name: Line | None = None
    family_name: Line | None = None
    emails: Annotated[list[EmailStr], Field(max_length=20)] = []
    phones: Annotated[list[Annotated[str, StringConstraints(max_length=40, pattern=_NO_CONTROL)]],
                      Field(max_length=20)] = []
    links: Annotated[list[LinkModel], Field(max_length=20)] = []
    company: Line | None = None
    title: Line | None = None
    location: Line | None = None
    how_met: Annotated[str, StringConstraints(max_length=1000, pattern=_NO_CONTROL)] | None = None
    met_on: Day | None = None
    birthday: Annotated[str, StringConstraints(max_length=10, pattern=BIRTHDAY_PATTERN)] | None = \
        Field(None, description="YYYY-MM-DD or MM-DD (the year is optional; not after this year).")
    interests: Annotated[list[Label], Field(max_length=50)] = []
    circle: Label | None = None
    every_days: Every | None = None
    tags: Annotated[list[Label], Field(max_length=50)] = []
    notes: LongText | None = None


class PersonIn(_PersonFields):
    """A new person."""

    name: Name


class PersonPatch(_PersonFields):
    """Changes to a person: only the fields sent are changed; lists replace the old ones."""

    name: Name | None = None


class PeopleWhere(BaseModel):
    """Everyone with this tag, in this circle and at this company (the fields given must all hold)."""

    model_config = ConfigDict(extra="forbid")

    tag: Label | None = None
    circle: Label | None = None
    company: Line | None = None


class PeopleBulkIn(BaseModel):
    """One change to several people: by ``ids`` or by ``where``, not both. Only what suits a group can be
    set (a circle, a rhythm, tags, interests); a name, email or birthday are refused."""

    model_config = ConfigDict(extra="forbid")

    ids: Annotated[list[Id], Field(min_length=1, max_length=10_000)] | None = None
    where: PeopleWhere | None = None
    circle: Label | None = None
    every_days: Every | None = None
    no_every: bool = Field(False, description="Follow the circle's rhythm again.")
    add_tags: Annotated[list[Label], Field(max_length=50)] = []
    remove_tags: Annotated[list[Label], Field(max_length=50)] = []
    add_interests: Annotated[list[Label], Field(max_length=50)] = []
    remove_interests: Annotated[list[Label], Field(max_length=50)] = []


class PeopleBulkOut(BaseModel):
    """How many people the selection found and how many the change changed (their ids)."""

    matched: int
    changed: int
    ids: list[int]


class PersonSummary(BaseModel):
    """One line of the people list."""

    id: int
    name: str
    company: str | None
    title: str | None
    circle: str | None
    strength: float
    balance: float
    last_touch: date | None
    due_on: date = Field(description="When due by the one rule: rhythm since the last touch; never touched: "
                                     "from meeting or being added; a snooze's end at the earliest.")
    due: bool = Field(description="Due or overdue today.")


class PersonOut(BaseModel):
    """A person with the maintained numbers: strength, balance, last touch, when due."""

    id: int
    uid: str
    name: str
    nickname: str | None
    given_name: str | None
    family_name: str | None
    emails: list[str]
    phones: list[str]
    links: list[LinkModel]
    company: str | None
    title: str | None
    location: str | None
    how_met: str | None
    met_on: date | None
    birthday: str | None
    interests: list[str]
    circle: str | None
    every_days: int | None
    tags: list[str]
    notes: str | None
    strength: float
    strength_trend: float
    balance: float
    last_touch: date | None
    cadence_days: int
    due_on: date
    due: bool
    snoozed_until: date | None
    thanks_owed_since: date | None


class PeoplePage(BaseModel):
    items: list[PersonSummary]
    total: int
    limit: int
    offset: int


OccasionId = Annotated[str, StringConstraints(min_length=5, max_length=120,
                                              pattern=r"^(birthday|event|thanks|plan|deposit|library|news|cadence|intro)"
                                                      r":[1-9][0-9]{0,17}:[0-9A-Za-z-]{1,40}$")]


class TouchIn(BaseModel):
    """A touch to log, with one or more of your people."""

    model_config = ConfigDict(extra="forbid")

    people: Annotated[list[Id], Field(min_length=1, max_length=50)]
    action: Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=_NOT_BLANK)]
    date: Day | None = Field(None, description="Default: today. Not in the future.")
    note: LongText | None = None
    initiated_by: Literal["me", "them"] = "me"
    occasion: OccasionId | None = Field(
        None, description="The occasion id of an agenda item this touch is for: it is then done for good. "
                          "Without it, the touch closes each person's open occasion its action fits.")


class TouchOut(BaseModel):
    id: int
    action: str
    date: date
    note: str | None
    initiated_by: str
    weight: float
    people: list[int]


class EventIn(BaseModel):
    """A life event of one of your people."""

    model_config = ConfigDict(extra="forbid")

    person_id: Id
    kind: EventKind
    date: Day
    note: LongText | None = None
    company: Line | None = None  # a new-job or promotion: the new employer (becomes the person's)
    title: Line | None = None


class EventOut(BaseModel):
    id: int
    person_id: int
    kind: str
    date: date
    note: str | None
    company: str | None = None
    title: str | None = None
    prev_company: str | None = None  # what the person had before a new job or promotion
    prev_title: str | None = None


class ActionIn(BaseModel):
    """A micro-action of your own."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,39}$")]
    label: Line | None = None
    weight: Annotated[float, Field(gt=0, le=20, allow_inf_nan=False), NotBool] = 2.0
    minutes: Annotated[int, Field(ge=0, le=600), NotBool] = 5
    kind: Literal["give", "ask", "neutral", "received"] = "give"
    personal: StrictBool = False  # JSON true or false: 0 and "no" are refused as the schema says


class ActionOut(BaseModel):
    name: str
    label: str
    weight: float
    minutes: int
    kind: str
    personal: bool
    builtin: bool


class PersonRefOut(BaseModel):
    id: int
    name: str


class OccasionOut(BaseModel):
    """What a suggestion is for; log a touch with ``occasion`` set to ``id`` and it never comes back."""

    id: str
    kind: str
    on: date


class AgendaItemOut(BaseModel):
    """One suggestion; ``days_overdue`` for cadence items, ``event_id``/``plan_id`` when they apply."""

    model_config = ConfigDict(extra="allow")

    person: PersonRefOut
    action: str
    trigger: str
    reasons: list[str]
    priority: int
    minutes: int = Field(description="Effort it takes today (proposing a coffee: 2).")
    duration: int = Field(0, description="How long the touch itself lasts (the coffee: 60).")
    time_bound: bool = False
    occasion: OccasionOut | None = None
    days_overdue: int | None = None


class AgendaOut(BaseModel):
    date: date
    items: list[AgendaItemOut]
    week_touches: int
    weekly_goal: int
    streak_weeks: int
    minutes: int
