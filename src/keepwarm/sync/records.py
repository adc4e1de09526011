"""What the live sources hand to the store: mail headers and meetings, one small record each.

The offline capture (``keepwarm.capture``) reads the same things from files; these records are the
interface between the two until they meet in one ``capture_records`` at merge. Parsing is pure: bytes of
headers or calendar text in, records out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from email.parser import BytesHeaderParser
from email.policy import default as default_policy
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any


@dataclass(frozen=True)
class MailHeader:
    """The headers of one message that tell who wrote to whom and whether it was a person writing."""

    message_id: str
    date: datetime | None
    sender: str | None  # the From address, lower-cased
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    folder: str = "INBOX"
    list_id: str | None = None  # List-Id or List-Unsubscribe: mailing-list mail is not a touch
    auto_submitted: str | None = None  # anything but "no" is a robot writing
    subject: str | None = None

    @property
    def bulk(self) -> bool:
        """Mail no person wrote: a list, an autoresponder, a notification."""
        return bool(self.list_id) or (self.auto_submitted or "no").lower() != "no"


@dataclass(frozen=True)
class Attendee:
    """One attendee of a meeting: their address, whether they accepted, and whether they are a person."""

    email: str
    partstat: str = "NEEDS-ACTION"
    cutype: str = "INDIVIDUAL"


@dataclass(frozen=True)
class Meeting:
    """One occurrence of a calendar event with other people."""

    uid: str
    recurrence_id: str | None
    start: date
    attendees: list[Attendee] = field(default_factory=list)
    organizer: str | None = None
    status: str | None = None  # CONFIRMED | TENTATIVE | CANCELLED
    location: str | None = None
    url: str | None = None

    @property
    def key(self) -> str:
        """What identifies the occurrence: a moved meeting is the same one, not a second touch."""
        return f"{self.uid}|{self.recurrence_id or ''}"


def _addresses(values: list[str]) -> list[str]:
    return [addr.lower() for _, addr in getaddresses(values) if "@" in addr]


def parse_header(data: bytes, folder: str, fallback_id: str) -> MailHeader:
    """A message's headers as a record; a message without Message-ID is known by ``fallback_id``."""
    msg = BytesHeaderParser(policy=default_policy).parsebytes(data)

    def text(name: str) -> str | None:
        try:
            value = msg.get(name)
        except (ValueError, TypeError, IndexError):  # a header the parser cannot make sense of
            return None
        return str(value).strip() if value is not None else None

    try:
        when = parsedate_to_datetime(text("Date") or "")
    except (TypeError, ValueError):
        when = None
    senders = _addresses([text("From") or ""])
    return MailHeader(message_id=(text("Message-ID") or fallback_id).strip("<> "), date=when,
                      sender=senders[0] if senders else None,
                      to=_addresses([text("To") or ""]), cc=_addresses([text("Cc") or ""]), folder=folder,
                      list_id=text("List-Id") or text("List-Unsubscribe"),
                      auto_submitted=text("Auto-Submitted"), subject=text("Subject"))


def _address(value: object) -> str | None:
    text = str(value or "")
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.lower().strip() or None


def _day(value: object) -> date | None:
    dt = getattr(value, "dt", value)
    if isinstance(dt, datetime):
        return dt.date()
    return dt if isinstance(dt, date) else None


def _rule(ev: Any) -> Any:
    """The event's recurrence as a dateutil rule set (RRULE, RDATE, EXDATE), or None for a single event."""
    if ev.get("RRULE") is None:
        return None
    from dateutil.rrule import rruleset, rrulestr

    dt = ev["DTSTART"].dt
    start = dt if isinstance(dt, datetime) else datetime(dt.year, dt.month, dt.day)
    rules = rruleset()
    rules.rrule(rrulestr(ev["RRULE"].to_ical().decode(), dtstart=start, ignoretz=start.tzinfo is None))
    for prop in ("EXDATE", "RDATE"):
        values = ev.get(prop) or []
        for group in values if isinstance(values, list) else [values]:
            for v in group.dts:
                d = v.dt if isinstance(v.dt, datetime) else datetime(v.dt.year, v.dt.month, v.dt.day)
                if start.tzinfo is not None and d.tzinfo is None:
                    d = d.replace(tzinfo=start.tzinfo)
                (rules.exdate if prop == "EXDATE" else rules.rdate)(d)
    return rules


def _when(ev: Any, moment: datetime) -> str:
    """An occurrence's RECURRENCE-ID as its moved copy would write it: the same key for both."""
    import icalendar

    dt = ev["DTSTART"].dt
    value = moment if isinstance(dt, datetime) else moment.date()
    return str(icalendar.vDDDTypes(value).to_ical().decode())


def recurs_after(text: str | bytes, day: date) -> bool:
    """Whether a calendar object has a series with an occurrence after ``day`` (it must be read again)."""
    import icalendar

    events: list[Any] = icalendar.Calendar.from_ical(text).walk("VEVENT")
    for ev in events:
        rules = _rule(ev)
        if rules is None:
            continue
        start = ev["DTSTART"].dt
        after = datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=getattr(start, "tzinfo", None))
        if rules.after(after) is not None:
            return True
    return False


def parse_calendar(text: str | bytes, since: date | None = None, until: date | None = None) -> list[Meeting]:
    """The events of one calendar object as meetings: a single event as itself; a series, when ``until``
    is given, as its occurrences from ``since`` (else a year before) through ``until``, each keyed like
    the moved copy that would replace it (moved copies come as their own events)."""
    import icalendar

    cal = icalendar.Calendar.from_ical(text)
    events: list[Any] = list(cal.walk("VEVENT"))  # icalendar's property types are too wide to narrow
    moved = {(str(e["UID"]), e["RECURRENCE-ID"].to_ical().decode()) for e in events
             if e.get("UID") and e.get("RECURRENCE-ID") is not None}
    out: list[Meeting] = []
    for ev in events:
        rules = _rule(ev) if until is not None else None
        if rules is None or until is None:
            out += _meetings(ev, [(None, None)])
            continue
        tz = getattr(ev["DTSTART"].dt, "tzinfo", None)
        first = since or date.fromordinal(until.toordinal() - 366)
        lo = datetime(first.year, first.month, first.day, tzinfo=tz)
        hi = datetime(until.year, until.month, until.day, 23, 59, 59, tzinfo=tz)
        uid = str(ev.get("UID"))
        occurrences = [(m.date(), rid) for m in rules.between(lo, hi, inc=True)
                       if (uid, rid := _when(ev, m)) not in moved]
        out += _meetings(ev, occurrences)
    return out


def _meetings(ev: Any, occurrences: Sequence[tuple[date | None, str | None]]) -> list[Meeting]:
    start = _day(ev.get("DTSTART"))
    if start is None or not ev.get("UID"):
        return []
    attendees = ev.get("ATTENDEE") or []
    if not isinstance(attendees, list):
        attendees = [attendees]
    rid = ev.get("RECURRENCE-ID")
    out = []
    for day, occurrence in occurrences:
        out.append(Meeting(
            uid=str(ev["UID"]),
            recurrence_id=occurrence or (rid.to_ical().decode() if rid is not None else None),
            start=day or start, organizer=_address(ev.get("ORGANIZER")),
            attendees=[Attendee(a, str(v.params.get("PARTSTAT", "NEEDS-ACTION")).upper(),
                                str(v.params.get("CUTYPE", "INDIVIDUAL")).upper())
                       for v in attendees if (a := _address(v))],
            status=str(ev.get("STATUS")).upper() if ev.get("STATUS") else None,
            location=str(ev.get("LOCATION")) if ev.get("LOCATION") else None,
            url=str(ev.get("URL")) if ev.get("URL") else None))
    return out
