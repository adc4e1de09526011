"""Which occasions of a person are open, and marking one done when a touch is logged for it.

The agenda finds occasions for everyone through indexes (:mod:`keepwarm.store.agenda`); this module looks at
one person at a time, for `keepwarm log`, `keepwarm done` and the web's Done. The rules of what fits what are
in :mod:`keepwarm.core.occasions`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Date, Integer, bindparam, delete, select, update
from sqlalchemy.orm import Session

from keepwarm.core import events as life
from keepwarm.core import occasions as occ
from keepwarm.core.actions import ASK, Action
from keepwarm.core.birthdays import Birthday
from keepwarm.errors import InvalidInputError
from keepwarm.store.models import LifeEventRow, OccasionDone, PersonRow, PlanRow, Share
from keepwarm.store.models.capture import Mention
from keepwarm.store.models.library import ResourceMatch
from keepwarm.store.sql import execute_all

LOOKAHEAD = 7  # days ahead the agenda shows birthdays, events and plans by default

# the order open occasions of one person are offered to a touch that fits several
_ORDER = {"thanks": 0, "birthday": 1, "life_event": 2, "news": 3, "deposit": 4, "plan": 5, "library": 6}


def done_ids(session: Session, owner_id: int, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` are done or dismissed."""
    wanted = list(set(ids))
    if not wanted:
        return set()
    return set(session.scalars(select(OccasionDone.occasion_id).where(
        OccasionDone.owner_id == owner_id, OccasionDone.occasion_id.in_(wanted))))


def open_for(session: Session, owner_id: int, person_id: int, on: date, catalog: dict[str, Action],
             kinds: frozenset[str] = occ.DATED) -> list[tuple[occ.Occasion, tuple[date, date] | None]]:
    """The dated occasions of one person that a touch on ``on`` could be for, each with the window a
    life event counts in; done ones left out, the most pressing first. Only occasions of ``kinds`` are
    looked for (the others are not read)."""
    session.flush()  # read on the connection below: pending changes first
    conn, q = session.connection(), _reads()
    who = {"owner": owner_id, "person": person_id}
    horizon = on + timedelta(days=max(occ.PLAN_EARLY_DAYS, occ.ASK_HORIZON))
    news = {**who, "since": on - timedelta(days=occ.NEWS_DAYS), "on": on}
    wanted = {"person": who, "events": who if "life_event" in kinds else None,
              "plans": {**who, "horizon": horizon} if kinds & {"plan", "deposit"} else None,
              "library": who if "library" in kinds else None, "news": news if "news" in kinds else None}
    calls = {name: params for name, params in wanted.items() if params is not None}
    # all in one round trip on PostgreSQL
    done = execute_all(conn, [(q[name], params) for name, params in calls.items()])
    read = {name: d.rows for name, d in zip(calls, done, strict=True)}
    row = next(iter(read["person"]), None)
    if row is None:
        return []
    found: list[tuple[occ.Occasion, tuple[date, date] | None]] = []
    if "birthday" in kinds and row.bday_month and row.bday_day:
        bday = Birthday(row.bday_month, row.bday_day, row.bday_year)
        when = bday.next_on_or_after(on - timedelta(days=occ.BIRTHDAY_LATE))
        if (when - on).days <= occ.BIRTHDAY_NOTE_EARLY:
            found.append((occ.Occasion("birthday", person_id, when, when.isoformat()), None))
    for ev in read.get("events", []):
        event = life.LifeEvent(person_id, ev.kind, ev.on_date, ev.note, ev.id)
        start, end = life.window(event)
        # it shows a week before its window opens (the agenda looks ahead); a touch then counts
        start -= timedelta(days=LOOKAHEAD)
        if start <= on <= end:
            found.append((occ.Occasion("life_event", person_id, ev.on_date, str(ev.id), event_kind=ev.kind),
                          (start, end)))
    if "thanks" in kinds and row.thanks_owed_since is not None:
        found.append((occ.Occasion("thanks", person_id, row.thanks_owed_since,
                                   row.thanks_owed_since.isoformat()), None))
    for plan in read.get("plans", []):
        found.append((occ.Occasion("plan", person_id, plan.on_date, str(plan.id), action=plan.action), None))
        if plan.action in catalog and catalog[plan.action].kind == ASK and plan.on_date >= on:
            found.append((occ.Occasion("deposit", person_id, plan.on_date, str(plan.id)), None))
    best = next((r.resource_id for r in read.get("library", [])), None)
    if best is not None:
        found.append((occ.Occasion("library", person_id, on, str(best)), None))
    for m_id, found_on in read.get("news", []):
        found.append((occ.Occasion("news", person_id, found_on, str(m_id)), None))
    closed = done_ids(session, owner_id, (o.id for o, _ in found))
    found = [(o, w) for o, w in found if o.id not in closed]
    found.sort(key=lambda f: (_ORDER.get(f[0].kind, 9), f[0].on))
    return found


@cache
def _reads() -> dict[str, Any]:
    """The reads of :func:`open_for`, built once with named parameters and run by
    :func:`keepwarm.store.sql.execute` (a touch logged from the API or a Done button runs them, and the
    ORM's per-query work cost more than these indexed reads)."""
    owner, person = bindparam("owner", type_=Integer()), bindparam("person", type_=Integer())
    p, ev, plan, m, rm = (PersonRow, LifeEventRow, PlanRow, Mention, ResourceMatch)
    return {
        "person": select(p.bday_month, p.bday_day, p.bday_year, p.thanks_owed_since)
                  .where(p.id == person, p.owner_id == owner),
        "events": select(ev.id, ev.kind, ev.on_date, ev.note)
                  .where(ev.owner_id == owner, ev.person_id == person),
        "plans": select(plan.id, plan.action, plan.on_date)
                 .where(plan.owner_id == owner, plan.person_id == person, plan.done_on.is_(None),
                        plan.on_date <= bindparam("horizon", type_=Date())),
        "library": select(rm.resource_id).where(rm.owner_id == owner, rm.person_id == person)
                   .order_by(rm.score.desc(), rm.resource_id).limit(1),
        "news": select(m.id, m.found_on).where(
            m.owner_id == owner, m.person_id == person, m.state != "dismissed",
            m.found_on >= bindparam("since", type_=Date()), m.found_on <= bindparam("on", type_=Date())),
    }


def fitting(session: Session, owner_id: int, person_id: int, action: Action, on: date,
            catalog: dict[str, Action]) -> occ.Occasion | None:
    """The open occasion of a person that a plain touch of ``action`` on ``on`` is for, if any."""
    for o, window in open_for(session, owner_id, person_id, on, catalog, occ.kinds_fitting(action)):
        if occ.fits_action(o, action) and occ.fits_date(o, action, on, window):
            return o
    return None


def find_open(session: Session, owner_id: int, occasion_id: str, on: date,
              catalog: dict[str, Action]) -> occ.Occasion:
    """The open dated occasion with this id, or a clear error."""
    kind, person_id, _ = occ.parse_id(occasion_id)
    for o, _window in open_for(session, owner_id, person_id, on, catalog):
        if o.id == occasion_id:
            return o
    raise InvalidInputError(f"occasion {occasion_id} is not open (done already, or not due)",
                            hint="`keepwarm today --json` lists today's occasions")


def mark_done(session: Session, owner_id: int, o: occ.Occasion, touch_id: int | None, on: date,
              *, dismissed: bool = False, shared: bool = False) -> None:
    """Remember that an occasion was acted on (or dismissed), and close what it refers to (``shared``:
    the library share is recorded by the caller)."""
    if o.kind not in occ.DATED:
        return  # a rhythm or a hello is kept by the touch itself
    session.add(OccasionDone(owner_id=owner_id, person_id=o.person_id, occasion_id=o.id, kind=o.kind,
                             on_date=o.on, done_on=on, touch_id=touch_id, dismissed=dismissed,
                             created_at=datetime.now()))
    if o.kind == "plan":
        session.execute(update(PlanRow).where(PlanRow.owner_id == owner_id, PlanRow.id == int(o.key))
                        .values(done_on=on))
    elif o.kind == "thanks":
        session.execute(update(PersonRow).where(PersonRow.owner_id == owner_id, PersonRow.id == o.person_id,
                                                PersonRow.thanks_owed_since <= on)
                        .values(thanks_owed_since=None))
    elif o.kind == "library" and not (dismissed or shared):
        rid = int(o.key)
        if session.scalar(select(Share.id).where(Share.owner_id == owner_id, Share.resource_id == rid,
                                                 Share.person_id == o.person_id)) is None:
            session.add(Share(owner_id=owner_id, resource_id=rid, person_id=o.person_id, touch_id=touch_id,
                              on_date=on))
        session.execute(delete(ResourceMatch).where(ResourceMatch.resource_id == rid,
                                                    ResourceMatch.person_id == o.person_id))
    session.flush()

