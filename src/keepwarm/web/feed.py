"""The calendar feed: birthdays (yearly) and today's suggested touches, reached by an unguessable token.

A minimal feed for calendar apps; the full iCalendar exporter lives with the file formats.
"""

from __future__ import annotations

from datetime import UTC, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select

from keepwarm.web.context import web_of

router = APIRouter(include_in_schema=False)
MAX_BIRTHDAYS = 2000


def build_feed(store, email: str) -> bytes:  # type: ignore[no-untyped-def]
    """An iCalendar document for one owner."""
    from icalendar import Calendar, Event

    from keepwarm.core.birthdays import Birthday
    from keepwarm.store.models import PersonRow as P

    cal = Calendar()
    cal.add("prodid", "-//keepwarm//feed//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"keepwarm ({email})")
    rows = store.session.execute(
        select(P.id, P.uid, P.name, P.bday_month, P.bday_day, P.bday_year)
        .where(P.owner_id == store.owner_id, P.bday_mmdd.is_not(None)).order_by(P.bday_mmdd)
        .limit(MAX_BIRTHDAYS)).all()
    for r in rows:
        on = Birthday(r.bday_month, r.bday_day, r.bday_year).next_on_or_after(store.today)
        ev = Event()
        ev.add("uid", f"birthday-{r.uid}@keepwarm")
        ev.add("summary", f"Birthday: {r.name}")
        ev.add("dtstart", on)
        ev.add("dtend", on + timedelta(days=1))
        ev.add("dtstamp", _stamp(store.today))
        if not (r.bday_month == 2 and r.bday_day == 29):  # 29 Feb is listed for its next date only
            ev.add("rrule", {"freq": "yearly"})
        cal.add_component(ev)
    for item in store.agenda.build(days=7, limit=30).items:
        ev = Event()
        ev.add("uid", f"touch-{store.today.isoformat()}-{item.person.id}@keepwarm")
        ev.add("summary", f"{item.action}: {item.person.name}")
        ev.add("description", "\n".join(item.reasons))
        ev.add("dtstart", store.today)
        ev.add("dtend", store.today + timedelta(days=1))
        ev.add("dtstamp", _stamp(store.today))
        cal.add_component(ev)
    return bytes(cal.to_ical())


def _stamp(day):  # type: ignore[no-untyped-def]
    from datetime import datetime

    return datetime(day.year, day.month, day.day, tzinfo=UTC)


@router.get("/feed/{token}.ics")
def feed(request: Request, token: str) -> Response:
    """The feed of the account whose feed token this is (no login: the token is the secret)."""
    from keepwarm.store import Store
    from keepwarm.store.accounts import by_feed_token

    web = web_of(request)
    with web.db.session(write=False) as session:
        user = by_feed_token(session, token)
        if user is None:  # plain text: an error page would start a session (and set a cookie)
            return Response("no such feed\n", status_code=404, media_type="text/plain; charset=utf-8")
        body = build_feed(Store(session, user.id, web.today()), user.email)
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Cache-Control": "private, max-age=300"})
