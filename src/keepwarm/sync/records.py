"""What the live sources hand to the store: mail headers and meetings, one small record each.

The offline capture (``keepwarm.capture``) reads the same things from files; these records are the
interface between the two until they meet in one ``capture_records`` at merge. Parsing is pure: bytes of
headers or calendar text in, records out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from email.parser import BytesHeaderParser
from email.policy import default as default_policy
from email.utils import getaddresses, parsedate_to_datetime


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


def parse_calendar(text: str | bytes) -> list[Meeting]:
    """The events of one calendar object (a series and its moved occurrences) as meetings."""
    import icalendar

    cal = icalendar.Calendar.from_ical(text)
    out: list[Meeting] = []
    for ev in cal.walk("VEVENT"):
        start = _day(ev.get("DTSTART"))
        if start is None or not ev.get("UID"):
            continue
        attendees = ev.get("ATTENDEE") or []
        if not isinstance(attendees, list):
            attendees = [attendees]
        rid = ev.get("RECURRENCE-ID")
        out.append(Meeting(
            uid=str(ev["UID"]), recurrence_id=rid.to_ical().decode() if rid is not None else None,
            start=start, organizer=_address(ev.get("ORGANIZER")),
            attendees=[Attendee(a, str(v.params.get("PARTSTAT", "NEEDS-ACTION")).upper(),
                                str(v.params.get("CUTYPE", "INDIVIDUAL")).upper())
                       for v in attendees if (a := _address(v))],
            status=str(ev.get("STATUS")).upper() if ev.get("STATUS") else None,
            location=str(ev.get("LOCATION")) if ev.get("LOCATION") else None,
            url=str(ev.get("URL")) if ev.get("URL") else None))
    return out
