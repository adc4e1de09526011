"""Calendar exports (.ics from Google, Outlook, Apple) as capture records: one per occurrence up to
today, recurring events expanded with ``recurring-ical-events``.

Only the summary, dates, organiser, attendees and whether a conference link is present are kept; the
description is searched for a link, never stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from keepwarm.capture import CALENDAR, Contact, Party
from keepwarm.capture.rules import has_video_link
from keepwarm.errors import FormatError

EPOCH = date(1970, 1, 1)
ROOM_DOMAINS = ("resource.calendar.google.com",)  # Google names rooms by address, not by CUTYPE
VIDEO_PROPS = ("LOCATION", "DESCRIPTION", "URL", "CONFERENCE", "X-GOOGLE-CONFERENCE",
               "X-MICROSOFT-SKYPETEAMSMEETINGURL", "X-MICROSOFT-ONLINEMEETINGCONFLINK")


def looks_like_ics(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].upper() == b"BEGIN:VCALENDAR"


def read_ics(path: str | Path, today: date) -> Iterator[Contact]:
    """Every occurrence of every event up to ``today``; a file icalendar cannot read is an error."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise FormatError(f"cannot read the file: {exc.strerror or exc}", file=name) from None
    return parse_ics(data, name, today)


def parse_ics(data: bytes, name: str, today: date) -> Iterator[Contact]:
    """The occurrences up to ``today`` of a calendar's bytes (a file, or a CalDAV object named ``name``)."""
    import icalendar
    import recurring_ical_events

    try:
        cal = icalendar.Calendar.from_ical(data.removeprefix(b"\xef\xbb\xbf"))
        recurring = {str(e.get("UID")) for e in cal.walk("VEVENT") if e.get("RRULE") or e.get("RDATE")}
        events = list(recurring_ical_events.of(cal).between(EPOCH, today + timedelta(days=1)))
    except Exception as exc:  # noqa: BLE001 (icalendar raises ValueError, KeyError, TypeError...)
        reason = str(exc).split(": b'")[0].split("\n")[0][:120]
        raise FormatError(f"broken calendar: {reason}", file=name) from None
    return (_record(ev, name, recurring) for ev in events)


def _day(value: Any) -> date | None:
    dt = getattr(value, "dt", value)
    if isinstance(dt, datetime):
        return dt.date()
    return dt if isinstance(dt, date) else None


def _party(prop: Any) -> Party | None:
    text = str(prop)
    address = text[7:] if text.lower().startswith("mailto:") else text
    address = address.strip().lower()
    if "@" not in address:
        return None
    params = getattr(prop, "params", {})
    cutype = str(params.get("CUTYPE", "INDIVIDUAL")).upper()
    if address.endswith(ROOM_DOMAINS):
        cutype = "ROOM"
    return Party(address=address, name=params.get("CN") or None, cutype=cutype,
                 partstat=str(params.get("PARTSTAT", "")).upper() or None)


def _record(ev: Any, name: str, recurring: set[str]) -> Contact:
    uid = str(ev.get("UID") or "")
    start = ev.get("DTSTART")
    on = _day(start)
    rid = ev.get("RECURRENCE-ID")
    key = uid
    if uid in recurring or not uid:
        stamp = getattr(rid, "dt", None) or getattr(start, "dt", None)
        key = f"{uid}|{stamp.isoformat() if stamp else ''}"
    organizer = _party(ev.get("ORGANIZER")) if ev.get("ORGANIZER") else None
    raw = ev.get("ATTENDEE") or []
    attendees = [p for p in (_party(a) for a in (raw if isinstance(raw, list) else [raw])) if p]
    others = tuple({p.address: p for p in attendees if not organizer or p.address != organizer.address}
                   .values())
    if organizer:  # the organiser's own answer is on their attendee line
        answer = next((p for p in attendees if p.address == organizer.address), None)
        if answer:
            organizer = Party(address=organizer.address, name=organizer.name or answer.name,
                              cutype=organizer.cutype, partstat=answer.partstat)
    flags: tuple[str, ...] = ("cancelled",) if str(ev.get("STATUS", "")).upper() == "CANCELLED" else ()
    if on is None:
        flags += ("unreadable: no start date",)
    video = has_video_link(*(str(ev.get(p) or "") for p in VIDEO_PROPS))
    summary = ev.get("SUMMARY")
    return Contact(source=CALENDAR, key=key, on=on or date.min, kind="meeting", sender=organizer,
                   others=others, subject=str(summary) if summary else None, video=video, flags=flags,
                   where=f"{name}: {uid or '(no UID)'}")
