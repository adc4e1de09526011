"""Touches that log themselves: pure readers of mail, calendar and LinkedIn files, and the rules that
turn what they read into touches.

Each reader yields :class:`Contact` records, small and free of any message body, so the offline files of
``keepwarm capture`` and the live servers of a sync go through the same rules (:mod:`.rules`) and the same
store side (:mod:`keepwarm.store.capture`). Nothing here imports SQLAlchemy or the web.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

MAIL, CALENDAR, LINKEDIN = "mail", "calendar", "linkedin"


@dataclass(frozen=True)
class Party:
    """Someone in a record: an email address or a LinkedIn slug (``linkedin.com/in/<slug>``), a display
    name, and for calendars the attendee's answer and type (a room is not a person)."""

    address: str | None = None  # a lower-cased email address
    slug: str | None = None  # a lower-cased LinkedIn profile slug
    name: str | None = None
    company: str | None = None
    partstat: str | None = None  # ACCEPTED | DECLINED | TENTATIVE | NEEDS-ACTION
    cutype: str | None = None  # INDIVIDUAL | ROOM | RESOURCE | GROUP

    @property
    def key(self) -> str:
        """What identifies them for review and idempotency: the address, the slug, else the name."""
        if self.address:
            return self.address
        if self.slug:
            return f"linkedin.com/in/{self.slug}"
        return f"name:{(self.name or '').casefold()}|{(self.company or '').casefold()}"


@dataclass(frozen=True)
class Contact:
    """One exchange read from a file or a server: a mail, a meeting occurrence, a LinkedIn message,
    invitation, endorsement or recommendation.

    ``sender`` is who wrote or organised it, ``others`` everyone else in it (recipients, attendees).
    ``direction`` is ``me`` or ``them`` when the file says so (LinkedIn's given and received files), else
    None and the rules decide from my own addresses. ``flags`` are what the reader saw that may make it no
    touch (``bulk: List-Id``, ``cancelled``, ``draft``); the rules give the reason.
    """

    source: str
    key: str
    on: date
    kind: str  # mail | meeting | message | invitation | endorsement | recommendation
    sender: Party | None
    others: tuple[Party, ...] = ()
    direction: str | None = None
    subject: str | None = None
    video: bool = False
    flags: tuple[str, ...] = ()
    where: str = ""  # file:line or folder/uid, for reports
    extra: dict[str, str] = field(default_factory=dict, compare=False)
