"""The undo journal: every change a person makes from the CLI or the web, and how to reverse it.

`keepwarm undo` reverses the newest change not yet undone; the web's Undo buttons name the change they
reverse. A change is recorded in the same transaction as the change itself, with what reversing it needs
(the id of what was added, or the values of what was removed or edited).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from keepwarm.errors import NotFoundError
from keepwarm.store.models import (
    ChangeRow,
    LifeEventRow,
    OccasionDone,
    PersonRow,
    PlanRow,
    TouchPerson,
    TouchRow,
)
from keepwarm.store.sql import execute

if TYPE_CHECKING:
    from keepwarm.store.store import Store


def record(session: Session, owner_id: int, kind: str, summary: str, payload: dict[str, Any]) -> int:
    """Journal one change; returns its id (the web's Undo buttons carry it)."""
    session.flush()  # the entry goes in after the changes it describes
    conn = session.connection()
    if conn.dialect.name == "postgresql":  # run on the driver: the JSON goes as its text
        import json

        payload = json.dumps(payload)  # type: ignore[assignment]
    return execute(conn, _insert_change(), {  # type: ignore[no-any-return]
        "owner_id": owner_id, "kind": kind, "summary": summary[:300], "payload": payload,
        "created_at": datetime.now()}).rows[0].id


@cache
def _insert_change() -> Any:
    """The journal's INSERT, built once and run by :func:`keepwarm.store.sql.execute` (a logged touch
    writes one entry: the ORM's unit of work for it cost more than the insert)."""
    c = ChangeRow.__table__.c
    return insert(ChangeRow.__table__).values(
        owner_id=bindparam("owner_id"), kind=bindparam("kind"), summary=bindparam("summary"),
        payload=bindparam("payload"), created_at=bindparam("created_at")).returning(c.id)


def row_values(row: Any) -> dict[str, Any]:
    """A row's column values as JSON (dates as ISO text)."""
    out = {}
    for attr in sa_inspect(row).mapper.column_attrs:
        value = getattr(row, attr.key)
        out[attr.key] = value.isoformat() if isinstance(value, date | datetime) else value
    return out


def _revive(model: type, values: dict[str, Any]) -> Any:
    """A row rebuilt from :func:`row_values`."""
    mapper: Any = sa_inspect(model).mapper
    cols: dict[str, Any] = {c.key: c for c in mapper.column_attrs}
    kwargs = {}
    for key, value in values.items():
        if key not in cols:
            continue
        kind = cols[key].columns[0].type.python_type
        if value is not None and kind is datetime:
            value = datetime.fromisoformat(value)
        elif value is not None and kind is date:
            value = date.fromisoformat(value)
        kwargs[key] = value
    return model(**kwargs)


def undo(store: Store, change_id: int | None = None) -> ChangeRow:
    """Reverse one change (the newest not yet undone, or the one named); returns it (its summary says
    what was undone, its payload whom it was about)."""
    s, owner = store.session, store.owner_id
    q = select(ChangeRow).where(ChangeRow.owner_id == owner, ChangeRow.undone_at.is_(None))
    q = q.where(ChangeRow.id == change_id) if change_id is not None else q.order_by(ChangeRow.id.desc())
    change = s.scalars(q.limit(1)).first()
    if change is None:
        raise NotFoundError("nothing to undo" if change_id is None else f"no change #{change_id} to undo")
    _UNDO[change.kind](store, change.payload)
    change.undone_at = datetime.now()
    s.flush()
    return change


def person_of(change: ChangeRow) -> int | None:
    """The person an undone change was about: the one it names, or the first of a touch's people."""
    p = change.payload
    return p.get("person_id") or next(iter(p.get("people") or ()), None)


def _touch(store: Store, p: dict[str, Any]) -> None:
    if store.session.get(TouchRow, p["touch_id"]) is not None:
        if "people" not in p:  # an entry journalled before touches named their people
            p["people"] = store.touches.people_of([p["touch_id"]])[p["touch_id"]]
        store.touches.delete(p["touch_id"], record=False)


def _event(store: Store, p: dict[str, Any]) -> None:
    row = store.session.get(LifeEventRow, p["event_id"])
    if row is None:
        return
    restore = p.get("person_before")
    store.touches.remove_event(row.id, record=False)
    if restore:  # a new job moved their company and title: back to the old ones
        person = store.people.get(row.person_id)
        person.company, person.title = restore["company"], restore["title"]
        store.people.update(person)


def _plan(store: Store, p: dict[str, Any]) -> None:
    if store.session.get(PlanRow, p["plan_id"]) is not None:
        store.touches.remove_plan(p["plan_id"], record=False)


def _snooze(store: Store, p: dict[str, Any]) -> None:
    before = date.fromisoformat(p["before"]) if p.get("before") else None
    store.session.execute(update(PersonRow).where(PersonRow.owner_id == store.owner_id,
                                                  PersonRow.id == p["person_id"])
                          .values(snoozed_until=before))


def _rm_touch(store: Store, p: dict[str, Any]) -> None:
    s = store.session
    alive = set(s.scalars(select(PersonRow.id).where(PersonRow.owner_id == store.owner_id,
                                                     PersonRow.id.in_(p["people"]))))
    if not alive:
        return
    touch = _revive(TouchRow, p["touch"])
    s.add(touch)
    s.flush()
    s.add_all([TouchPerson(touch_id=touch.id, person_id=pid, owner_id=store.owner_id) for pid in alive])
    for values in p["done"]:
        if values["person_id"] in alive:
            s.add(_revive(OccasionDone, values))
    s.flush()
    cat = store.touches.action(touch.action) if touch.action else None
    from keepwarm.store.touches import counts_for_goal

    if cat is not None and counts_for_goal(cat):
        store.touches._count_week(touch.on_date, 1)
    store.touches.recompute(sorted(alive))


def _edit(store: Store, p: dict[str, Any]) -> None:
    """Put edited people back as they were (those since removed stay removed)."""
    from keepwarm.core.people import from_dict

    for data in p["people"]:
        if store.session.get(PersonRow, data["id"]) is not None:
            store.people.update(from_dict(data))


def _rm_row(model: type) -> Callable[[Store, dict[str, Any]], None]:
    def revive(store: Store, p: dict[str, Any]) -> None:
        values = next(iter(p.values()))
        if store.session.get(PersonRow, values["person_id"]) is not None:
            store.session.add(_revive(model, values))
            store.session.flush()
    return revive


_UNDO: dict[str, Callable[[Store, dict[str, Any]], None]] = {
    "touch": _touch, "event": _event, "plan": _plan, "snooze": _snooze, "rm_touch": _rm_touch,
    "rm_event": _rm_row(LifeEventRow), "rm_plan": _rm_row(PlanRow), "edit": _edit,
}

