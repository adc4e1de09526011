"""Writing people in bulk with SQLAlchemy Core (one executemany per table), keeping maintained columns true.

The ORM path in :mod:`keepwarm.store.people` flushes per person; importing 30,000 connections needs
statements per batch instead. Both compute the same columns (name_folded, bday_*, cadence_days,
intro_score, created_on…).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from keepwarm.core import people as core
from keepwarm.core.circles import DEFAULT_CIRCLE, effective_every
from keepwarm.core.people import Person
from keepwarm.errors import InvalidInputError
from keepwarm.store.models import (
    CircleRow,
    PersonEmail,
    PersonInterest,
    PersonLink,
    PersonPhone,
    PersonRow,
    PersonTag,
)


@lru_cache(maxsize=1 << 16)
def fast_fold(text: str) -> str:
    """:func:`keepwarm.core.people.fold`, with a shortcut for plain ASCII (most names in an import)."""
    if text.isascii():
        return " ".join(text.casefold().split())
    return core.fold(text)


CHILDREN = (PersonEmail, PersonPhone, PersonLink, PersonTag, PersonInterest)


class PeopleWriter:
    """Bulk inserts and updates of one owner's people."""

    def __init__(self, session: Session, owner_id: int, today: date) -> None:
        self.s, self.owner, self.today = session, owner_id, today
        self.now = datetime.now()
        self.circles = {c.name: c for c in session.scalars(
            select(CircleRow).where(CircleRow.owner_id == owner_id))}

    def check_circle(self, p: Person) -> None:
        """An unknown circle name is an error that lists the known ones."""
        if p.circle and p.circle not in self.circles:
            raise InvalidInputError(f"unknown circle {p.circle!r}; known circles: {', '.join(self.circles)}")

    def columns(self, p: Person) -> dict[str, Any]:
        """The people row of ``p`` (without id, owner, created_on and the touch-maintained columns)."""
        circle = self.circles.get(p.circle or DEFAULT_CIRCLE)
        b = p.birthday
        return {
            "uid": p.uid, "name": p.name, "name_folded": fast_fold(p.name), "given_name": p.given_name,
            "family_name": p.family_name, "nickname": p.nickname, "company": p.company, "title": p.title,
            "location": p.location, "how_met": p.how_met, "met_on": p.met_on, "notes": p.notes,
            "extra": dict(p.extra), "bday_month": b.month if b else None, "bday_day": b.day if b else None,
            "bday_year": b.year if b else None, "bday_mmdd": b.mmdd if b else None,
            "circle_id": circle.id if circle else None, "every_days": p.every_days,
            "cadence_days": effective_every(p.every_days, circle.every_days if circle else None),
            "intro_score": core.intro_signal(p, self.today), "updated_at": self.now,
        }

    def insert(self, people: Sequence[Person]) -> None:
        """Insert new people (ids are set on the Person objects) and their lists."""
        if not people:
            return
        rows = []
        for p in people:
            row = self.columns(p)
            row.update(owner_id=self.owner, created_on=self.today, strength_base=0.0, balance=0.0)
            rows.append(row)
        # One plain executemany, then the new ids by uid: RETURNING with an executemany runs row by row
        # on SQLite, which costs more than the whole rest of an import.
        conn = self.s.connection()
        t = PersonRow.__table__
        before = conn.scalar(select(func.max(t.c.id))) or 0
        bulk_insert(conn, t, rows)
        ids = {u: i for u, i in conn.execute(select(t.c.uid, t.c.id).where(t.c.owner_id == self.owner,
                                                                          t.c.id > before))}
        for p in people:
            p.id = ids[p.uid]
        self._children(people)

    def update(self, people: Sequence[Person]) -> None:
        """Rewrite changed people's columns and lists (touch-maintained columns are left alone)."""
        if not people:
            return
        rows = [{"_id": p.id, **self.columns(p)} for p in people]
        t = PersonRow.__table__
        stmt = update(t).where(t.c.id == bindparam("_id")).values(
            {k: bindparam(k) for k in rows[0] if k != "_id"})
        self.s.connection().execute(stmt, rows)
        ids = [p.id for p in people]
        for model in CHILDREN:
            for chunk in _chunks(ids, 900):
                self.s.execute(delete(model).where(model.person_id.in_(chunk)))
        self._children(people)

    def _children(self, people: Sequence[Person]) -> None:
        own = self.owner
        tables: list[tuple[Any, list[dict[str, Any]]]] = [
            (PersonEmail, [{"owner_id": own, "person_id": p.id, "email": e, "position": i}
                           for p in people for i, e in enumerate(p.emails)]),
            (PersonPhone, [{"owner_id": own, "person_id": p.id, "phone": n, "position": i}
                           for p in people for i, n in enumerate(p.phones)]),
            (PersonLink, [{"owner_id": own, "person_id": p.id, "url": k.url, "kind": k.kind, "position": i}
                          for p in people for i, k in enumerate(p.links)]),
            (PersonTag, [{"owner_id": own, "person_id": p.id, "tag": t, "position": i}
                         for p in people for i, t in enumerate(p.tags)]),
            (PersonInterest, [{"owner_id": own, "person_id": p.id, "topic": t, "position": i}
                              for p in people for i, t in enumerate(p.interests)]),
        ]
        for model, rows in tables:
            if rows:
                bulk_insert(self.s.connection(), model.__table__, rows)


def _converter(col: Any) -> Any:
    """How SQLAlchemy would store a value of ``col`` on SQLite, or None when the driver takes it as is."""
    from sqlalchemy import JSON, Date, DateTime

    if isinstance(col.type, JSON):
        return json.dumps
    if isinstance(col.type, DateTime):
        return lambda v: v.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's SQLite DateTime format
    if isinstance(col.type, Date):
        return date.isoformat
    return None


def bulk_insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """One executemany of ``rows`` (all with the same keys) into ``table``.

    On SQLite the statement goes straight to the driver with values in SQLAlchemy's storage formats:
    SQLAlchemy's per-row parameter processing costs more than the insert itself at 30,000 rows.
    """
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), rows)
        return
    cols = list(rows[0])
    sql = f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    convert = [(i, fn) for i, c in enumerate(cols) if (fn := _converter(table.c[c])) is not None]
    params = []
    for r in rows:
        values = [r[c] for c in cols]
        for i, fn in convert:
            if values[i] is not None:
                values[i] = fn(values[i])
        params.append(tuple(values))
    conn.exec_driver_sql(sql, params)


def _chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i:i + size] for i in range(0, len(items), size)]
