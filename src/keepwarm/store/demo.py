"""Loading the demo network into an empty database."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from keepwarm.core import demo
from keepwarm.errors import ConflictError
from keepwarm.store.models import PersonRow

if TYPE_CHECKING:
    from keepwarm.store import Store


def _count(store: Store) -> int:
    return int(store.session.scalar(select(func.count()).where(PersonRow.owner_id == store.owner_id)) or 0)


def is_empty(store: Store) -> bool:
    """Whether the network has nobody in it."""
    return _count(store) == 0


def load(store: Store) -> int:
    """Fill an empty network with the demo; returns how many people it added."""
    count = _count(store)
    if count:
        raise ConflictError(f"the network already has {count} people; the demo only fills an empty one",
                            hint="use another database: keepwarm --db demo.sqlite3 demo")
    net = demo.network(store.today)
    ids: dict[str, int] = {}
    for person in net.people:
        store.people.add(person)
        assert person.id is not None
        ids[person.name] = person.id
    for t in sorted(net.touches, key=lambda t: -t.days_ago):
        # the demo's history is history: it closes no occasion and is no change to undo
        store.touches.log(t.action, [ids[n] for n in t.names], store.today - timedelta(days=t.days_ago),
                          t.note, attach=False, record=False)
    for e in net.events:
        store.touches.add_event(ids[e.name], e.kind, store.today + timedelta(days=e.in_days), e.note,
                                record=False)
    for p in net.plans:
        store.touches.add_plan(ids[p.name], p.action, store.today + timedelta(days=p.in_days), p.note,
                               record=False)
    return len(net.people)
