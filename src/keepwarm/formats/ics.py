"""An iCalendar feed: birthdays (yearly, all day), upcoming life events, plans and due touches.

Birthdays on 29 February recur on the last day of February (``BYMONTHDAY=-1``), so they show every year:
on the 29th in leap years and on the 28th otherwise, as keepwarm celebrates them. UIDs are derived from
the person's uid or the row id, so calendar apps update events instead of duplicating them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from keepwarm.core.birthdays import Birthday

NO_YEAR = 2000  # a leap year, so a year-less 29 February birthday has a valid first occurrence
DOMAIN = "keepwarm"


@dataclass
class Dated:
    """Something on a day for the feed: a life event, a plan or a due touch."""

    uid: str
    on: date
    summary: str
    description: str | None = None


def birthday_event(uid: str, name: str, b: Birthday, stamp: datetime):  # type: ignore[no-untyped-def]
    """A yearly all-day event for a birthday."""
    from icalendar import Event, vRecur

    ev = Event()
    ev.add("uid", f"birthday-{uid}@{DOMAIN}")
    ev.add("dtstamp", stamp)
    start = date(b.year or NO_YEAR, b.month, b.day)
    ev.add("dtstart", start)
    ev.add("dtend", start + timedelta(days=1))
    rule: dict[str, object] = {"freq": "yearly"}
    if (b.month, b.day) == (2, 29):
        rule.update(bymonth=2, bymonthday=-1)  # last day of February: the 28th in common years
    ev.add("rrule", vRecur(rule))
    ev.add("summary", f"🎂 {name}" + (f" (born {b.year})" if b.year else ""))
    ev.add("transp", "TRANSPARENT")
    ev.add("categories", ["birthday"])
    return ev


def dated_event(item: Dated, stamp: datetime):  # type: ignore[no-untyped-def]
    """A one-off all-day event."""
    from icalendar import Event

    ev = Event()
    ev.add("uid", f"{item.uid}@{DOMAIN}")
    ev.add("dtstamp", stamp)
    ev.add("dtstart", item.on)
    ev.add("dtend", item.on + timedelta(days=1))
    ev.add("summary", item.summary)
    if item.description:
        ev.add("description", item.description)
    ev.add("transp", "TRANSPARENT")
    return ev


def calendar(birthdays: Iterable[tuple[str, str, Birthday]], items: Iterable[Dated], *, today: date,
             name: str = "keepwarm", refresh_hours: int = 12) -> bytes:
    """The feed as iCalendar bytes; ``birthdays`` are (uid, name, birthday)."""
    from icalendar import Calendar, vDuration

    cal = Calendar()
    cal.add("prodid", "-//keepwarm//keepwarm//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", vDuration(timedelta(hours=refresh_hours)), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(timedelta(hours=refresh_hours)))
    stamp = datetime(today.year, today.month, today.day)  # stable within a day: unchanged feeds stay equal
    for uid, person_name, b in birthdays:
        cal.add_component(birthday_event(uid, person_name, b, stamp))
    for item in items:
        cal.add_component(dated_event(item, stamp))
    return cal.to_ical()
