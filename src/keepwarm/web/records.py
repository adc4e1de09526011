"""Owner-checked reads and deletes the web app and API need beyond the repositories' own.

Every function takes a ``Store`` (one owner) and answers NotFoundError for another owner's ids, so that
user B gets the same 404 for user A's records as for records that do not exist.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select

from keepwarm.errors import NotFoundError
from keepwarm.store.models import LifeEventRow, PersonRow, TouchPerson, TouchRow

if TYPE_CHECKING:
    from keepwarm.store import Store


def remove_person(store: Store, person_id: int) -> None:
    """Delete a person (children, touches links, events and plans go with them)."""
    store.people.remove(person_id)
    store.session.flush()
    # a touch left with nobody would still count in the week's total; remove it
    orphans = select(TouchRow.id).where(TouchRow.owner_id == store.owner_id,
                                        ~TouchRow.id.in_(select(TouchPerson.touch_id)))
    store.session.execute(delete(TouchRow).where(TouchRow.id.in_(orphans)))


def touch(store: Store, touch_id: int) -> TouchRow:
    """One of the owner's touches."""
    row = store.session.get(TouchRow, touch_id)
    if row is None or row.owner_id != store.owner_id:
        raise NotFoundError(f"no touch #{touch_id}")
    return row


def touch_people(store: Store, touch_id: int) -> list[int]:
    """The people of one of the owner's touches."""
    touch(store, touch_id)
    return store.touches.people_of([touch_id])[touch_id]


def touch_json(row: TouchRow, people: list[int]) -> dict[str, Any]:
    """A touch as the API shows it."""
    return {"id": row.id, "action": row.action, "date": row.on_date.isoformat(), "note": row.note,
            "initiated_by": row.initiated_by, "weight": row.weight, "people": people}


def touches(store: Store, *, person_id: int | None = None, since: date | None = None, limit: int = 100,
            offset: int = 0) -> list[dict[str, Any]]:
    """The owner's touches, newest first, optionally of one person or since a day."""
    q = select(TouchRow).where(TouchRow.owner_id == store.owner_id)
    if person_id is not None:
        store.people.row(person_id)
        q = q.where(TouchRow.id.in_(select(TouchPerson.touch_id).where(TouchPerson.person_id == person_id)))
    if since is not None:
        q = q.where(TouchRow.on_date >= since)
    rows = list(store.session.scalars(q.order_by(TouchRow.on_date.desc(), TouchRow.id.desc())
                                      .limit(limit).offset(offset)))
    people = store.touches.people_of([r.id for r in rows]) if rows else {}
    return [touch_json(r, people.get(r.id, [])) for r in rows]


def event(store: Store, event_id: int) -> LifeEventRow:
    """One of the owner's life events."""
    row = store.session.get(LifeEventRow, event_id)
    if row is None or row.owner_id != store.owner_id:
        raise NotFoundError(f"no life event #{event_id}")
    return row


def event_json(row: LifeEventRow) -> dict[str, Any]:
    """A life event as the API shows it (a new job with the company and title it replaced)."""
    from keepwarm.store.profiles import event_dict

    return event_dict(row)


def events(store: Store, person_id: int | None = None, limit: int = 100,
           offset: int = 0) -> list[dict[str, Any]]:
    """The owner's life events by date, optionally of one person."""
    q = select(LifeEventRow).where(LifeEventRow.owner_id == store.owner_id)
    if person_id is not None:
        store.people.row(person_id)
        q = q.where(LifeEventRow.person_id == person_id)
    q = q.order_by(LifeEventRow.on_date, LifeEventRow.id).limit(limit).offset(offset)
    rows = store.session.scalars(q)
    return [event_json(r) for r in rows]


def remove_event(store: Store, event_id: int) -> int:
    """Delete a life event; returns its person's id."""
    row = event(store, event_id)
    person_id = row.person_id
    store.session.delete(row)
    return person_id


def person_names(store: Store, ids: list[int]) -> dict[int, str]:
    """Names of the owner's people by id."""
    if not ids:
        return {}
    return dict(store.session.execute(select(PersonRow.id, PersonRow.name).where(
        PersonRow.owner_id == store.owner_id, PersonRow.id.in_(ids))).all())


def linked(mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The mentions with an ``href`` to their article when its link is a web address (never another
    scheme, such as javascript:, in a page)."""
    from keepwarm.fetch import is_url

    for m in mentions:
        link = m["item"]["link"] or ""
        m["href"] = link if is_url(link) else None
    return mentions
