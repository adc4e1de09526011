"""Read models shared by the CLI, the web app and the API: a person's profile and people summaries."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select

from keepwarm.core import strength
from keepwarm.core.cadence import due_on
from keepwarm.core.people import to_dict
from keepwarm.store.models import LifeEventRow, PersonRow

if TYPE_CHECKING:
    from keepwarm.store import Store


def current_strength(store: Store, row: PersonRow) -> float:
    """A person's strength today, from the maintained base."""
    return strength.score(strength.decayed_sum(row.strength_base, store.today, store.touches.half_life()))


def profile(store: Store, person_id: int, touch_limit: int | None = None) -> dict[str, Any]:
    """Everything about a person, JSON-ready."""
    row = store.people.row(person_id)
    data = to_dict(store.people.get(person_id))
    touches = store.touches.of_person(person_id)
    half_life = store.touches.half_life()
    history = [(t.on_date, t.weight) for t in touches]
    others = store.touches.people_of([t.id for t in touches]) if touches else {}
    data.update(
        strength=current_strength(store, row),
        strength_trend=strength.trend(history, store.today, half_life),
        balance=round(row.balance, 1),
        last_touch=row.last_touch.isoformat() if row.last_touch else None,
        cadence_days=row.cadence_days,
        due_on=_due(row).isoformat(),
        due=_due(row) <= store.today,
        snoozed_until=row.snoozed_until.isoformat() if row.snoozed_until else None,
        thanks_owed_since=row.thanks_owed_since.isoformat() if row.thanks_owed_since else None,
        touches=[{"id": t.id, "action": t.action, "date": t.on_date.isoformat(), "note": t.note,
                  "initiated_by": t.initiated_by, "weight": t.weight,
                  "with": [p for p in others.get(t.id, []) if p != person_id]}
                 for t in touches[:touch_limit]],
        events=[event_dict(e) for e in store.touches.events_of(person_id)],
        plans=[{"id": p.id, "action": p.action, "date": p.on_date.isoformat(), "note": p.note}
               for p in store.touches.plans_of(person_id)],
    )
    return data


def event_dict(e: LifeEventRow) -> dict[str, Any]:
    """A life event as profiles and the API show it: a new job keeps where the person came from."""
    return {"id": e.id, "person_id": e.person_id, "kind": e.kind, "date": e.on_date.isoformat(),
            "note": e.note, "company": e.company, "title": e.title, "prev_company": e.prev_company,
            "prev_title": e.prev_title}


def _due(row: PersonRow) -> date:
    """When the person is due, by the one rule of :mod:`keepwarm.core.cadence`."""
    return due_on(row.last_touch, row.met_on or row.created_on, row.cadence_days, row.snoozed_until)


_SORTS = {
    "name": (PersonRow.name_folded, PersonRow.id),
    "strength": (PersonRow.strength_base.desc(), PersonRow.id),
    "last-touch": (PersonRow.last_touch.desc(), PersonRow.id),
}


def summaries(store: Store, query: Select, *, sort: str = "name", limit: int | None = None,
              offset: int = 0) -> list[dict[str, Any]]:
    """One line per person: who, where, how strong, when last touched, when due."""
    rows = store.people.rows(query.order_by(*_SORTS[sort]), limit=limit, offset=offset)
    circles = {c.id: c.name for c in store.people.circles()}
    return [{"id": r.id, "name": r.name, "company": r.company, "title": r.title,
             "circle": circles.get(r.circle_id) if r.circle_id else None,
             "strength": current_strength(store, r), "balance": round(r.balance, 1),
             "last_touch": r.last_touch.isoformat() if r.last_touch else None,
             "due_on": (due := _due(r)).isoformat(), "due": due <= store.today}
            for r in rows]
