"""Writing people in bulk with SQLAlchemy Core (one executemany per table), keeping maintained columns true.

The ORM path in :mod:`keepwarm.store.people` flushes per person; importing 30,000 connections needs
statements per batch instead. Both compute the same columns (name_folded, bday_*, cadence_days,
intro_score, created_on…).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from keepwarm.core import people as core
from keepwarm.core.birthdays import Birthday
from keepwarm.core.circles import DEFAULT_CIRCLE, effective_every
from keepwarm.core.people import Link, Person
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
LIST_FIELDS = ("emails", "phones", "links", "tags", "interests")
_CHILD_COLUMNS = ((PersonEmail, ("email",)), (PersonPhone, ("phone",)), (PersonLink, ("url", "kind")),
                  (PersonTag, ("tag",)), (PersonInterest, ("topic",)))


@dataclass
class State:
    """A stored person's columns and list lengths before a merge."""

    columns: dict[str, Any]
    counts: tuple[int, ...]


class PeopleWriter:
    """Bulk inserts and updates of one owner's people."""

    def __init__(self, session: Session, owner_id: int, today: date) -> None:
        self.s, self.owner, self.today = session, owner_id, today
        self.now = datetime.now()
        self._loaded: dict[int, Any] = {}  # people rows read by load(), until state() takes them
        self.circles = {c.name: c for c in session.scalars(
            select(CircleRow).where(CircleRow.owner_id == owner_id))}

    def check_circle(self, p: Person) -> None:
        """An unknown circle name is an error that lists the known ones."""
        if p.circle and p.circle not in self.circles:
            raise InvalidInputError(f"unknown circle {p.circle!r}; known circles: {', '.join(self.circles)}")

    def values(self, p: Person) -> list[Any]:
        """The people row of ``p`` as values in the order of :data:`FIELDS` (without id, owner, created_on
        and the touch-maintained columns)."""
        circle = self.circles.get(p.circle or DEFAULT_CIRCLE)
        b = p.birthday
        return [
            p.uid, p.name, fast_fold(p.name), p.given_name, p.family_name, p.nickname, p.company, p.title,
            p.location, p.how_met, p.met_on, p.notes, dict(p.extra),
            b.month if b else None, b.day if b else None, b.year if b else None, b.mmdd if b else None,
            circle.id if circle else None, p.every_days,
            effective_every(p.every_days, circle.every_days if circle else None),
            core.intro_signal(p, self.today), self.now,
        ]

    def columns(self, p: Person) -> dict[str, Any]:
        """The people row of ``p`` by column name (as :meth:`values`)."""
        return dict(zip(FIELDS, self.values(p), strict=True))

    def insert(self, people: Sequence[Person]) -> None:
        """Insert new people (ids are set on the Person objects) and their lists."""
        if not people:
            return
        # One plain executemany, then the new ids by uid: RETURNING with an executemany runs row by row
        # on SQLite, which costs more than the whole rest of an import.
        conn = self.s.connection()
        t = PersonRow.__table__
        before = conn.scalar(select(func.max(t.c.id))) or 0
        if conn.dialect.name == "sqlite":
            # rows as lists in FIELDS order, converted to SQLAlchemy's SQLite storage formats in place
            # (building a dict a row and reading it back costs a tenth of a 30,000-row import)
            tail = (self.owner, _day_text(self.today), 0.0, 0.0)
            now = _datetime_text(self.now)
            rows = []
            for p in people:
                v = self.values(p)
                if v[_MET_ON] is not None:
                    v[_MET_ON] = _day_text(v[_MET_ON])
                v[_EXTRA] = _json_text(v[_EXTRA])
                v[_UPDATED_AT] = now
                v.extend(tail)
                rows.append(v)
            insert_values(conn, t, (*FIELDS, "owner_id", "created_on", "strength_base", "balance"), rows)
        else:
            extra = {"owner_id": self.owner, "created_on": self.today, "strength_base": 0.0, "balance": 0.0}
            bulk_insert(conn, t, [{**self.columns(p), **extra} for p in people])
        ids = dict(fetch(conn, select(t.c.uid, t.c.id).where(t.c.owner_id == self.owner, t.c.id > before)))
        for p in people:
            p.id = ids[p.uid]
        self._children(people)

    def state(self, p: Person) -> State:
        """What is stored for ``p`` now, to write only what a merge changes (the row read by
        :meth:`load`, so nothing is recomputed)."""
        row = self._loaded.pop(p.id, None) if p.id is not None else None
        columns = dict(row) if row is not None else self.columns(p)
        return State(columns, tuple(len(getattr(p, f)) for f in LIST_FIELDS))

    def update(self, changes: Sequence[tuple[Person, State]]) -> None:
        """Write merged people: only the columns that changed (grouped into one executemany per set of
        columns, so untouched indexes are not rewritten) and the list items that were appended."""
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        appended: list[tuple[Person, tuple[int, ...]]] = []
        compared: list[str] | None = None  # every column but extra (always written) and updated_at
        for p, before in changes:
            after = self.columns(p)
            # extra is always written: merges change it in place, so the before state cannot tell
            if compared is None:
                compared = [k for k in after if k not in ("updated_at", "extra")]
            was = before.columns
            diff = {k: after[k] for k in compared if was.get(k) != after[k]}
            diff["extra"] = after["extra"]
            diff["updated_at"] = self.now
            groups[tuple(sorted(diff))].append({"_id": p.id, **diff})
            appended.append((p, before.counts))
        t = PersonRow.__table__
        conn = self.s.connection()
        for keys, rows in groups.items():
            if conn.dialect.name == "sqlite":  # straight to the driver, as in bulk_insert
                sql = f"UPDATE people SET {', '.join(f'{k} = ?' for k in keys)} WHERE id = ?"
                conn.exec_driver_sql(sql, [(*v, r["_id"]) for v, r in zip(_stored(t, keys, rows), rows,
                                                                            strict=True)])
                continue
            stmt = update(t).where(t.c.id == bindparam("_id")).values({k: bindparam(k) for k in keys})  # type: ignore[arg-type]
            conn.execute(stmt, rows)
        self._children([p for p, _ in appended], {id(p): counts for p, counts in appended})

    def read_rows(self, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """The people rows (the columns :meth:`load` and :meth:`state` use) of ``ids``, by id.

        On SQLite the rows come straight from the driver and only ``met_on`` and ``extra`` are converted:
        SQLAlchemy's per-value result processing costs more than the query at 20,000 rows.
        """
        t = PersonRow.__table__
        conn = self.s.connection()
        out: dict[int, dict[str, Any]] = {}
        raw = conn.dialect.name == "sqlite"  # stored text, not yet dates and dicts
        for chunk in _chunks(list(ids), 900):
            for values in fetch_in(conn, t, _READ, "id", chunk):
                r = dict(zip(_READ, values, strict=True))
                if raw:
                    r["met_on"] = _iso_day(r["met_on"]) if r["met_on"] is not None else None
                    r["extra"] = json.loads(r["extra"]) if r["extra"] is not None else None
                out[r["id"]] = r
        return out

    def load(self, ids: Sequence[int], rows: dict[int, Any] | None = None) -> list[Person]:
        """People by id with all their lists, read with Core (an import may load thousands at once);
        ``rows`` are people rows already read, by id."""
        conn = self.s.connection()
        circles = {c.id: name for name, c in self.circles.items()}
        kids: dict[str, dict[int, list[Any]]] = {f: defaultdict(list) for f in LIST_FIELDS}
        out = []
        for chunk in _chunks(list(ids), 900):
            for f, model, cols in ((f, m, c) for f, (m, c) in zip(LIST_FIELDS, _CHILD_COLUMNS, strict=True)):
                for row in fetch_in(conn, model.__table__, ("person_id", *cols), "person_id", chunk,
                                    order_by=("person_id", "position")):
                    kids[f][row[0]].append(Link(row[1], row[2]) if f == "links" else row[1])
            have = rows or {}
            fetched = [have[i] for i in chunk if i in have]
            missing = [i for i in chunk if i not in have]
            if missing:
                fetched += self.read_rows(missing).values()
            for r in fetched:
                self._loaded[r["id"]] = r
                b = Birthday(r["bday_month"], r["bday_day"], r["bday_year"]) if r["bday_month"] else None
                out.append(Person(
                    id=r["id"], uid=r["uid"], name=r["name"], given_name=r["given_name"],
                    family_name=r["family_name"], nickname=r["nickname"], company=r["company"],
                    title=r["title"], location=r["location"], how_met=r["how_met"], met_on=r["met_on"],
                    birthday=b, circle=circles.get(r["circle_id"]), every_days=r["every_days"],
                    notes=r["notes"], extra=dict(r["extra"] or {}),
                    **{f: kids[f].pop(r["id"], []) for f in LIST_FIELDS}))
        return out

    def _children(self, people: Sequence[Person], skip: dict[int, tuple[int, ...]] | None = None) -> None:
        """Insert the list items of ``people``; ``skip`` says how many of each list are stored already."""
        own = self.owner
        conn = self.s.connection()
        for n, (f, (model, cols)) in enumerate(zip(LIST_FIELDS, _CHILD_COLUMNS, strict=True)):
            # plain tuples (every child column is text or a number: nothing to convert)
            rows: list[tuple[Any, ...]] = []
            for p in people:
                start = skip[id(p)][n] if skip else 0
                items = getattr(p, f)
                if len(items) <= start:
                    continue
                if f == "links":
                    rows += [(own, p.id, k.url, k.kind, i) for i, k in enumerate(items[start:], start)]
                else:
                    rows += [(own, p.id, item, i) for i, item in enumerate(items[start:], start)]
            if not rows:
                continue
            names = ("owner_id", "person_id", *cols, "position")
            if conn.dialect.name == "sqlite":
                insert_values(conn, model.__table__, names, rows)
            else:
                bulk_insert(conn, model.__table__, [dict(zip(names, r, strict=True)) for r in rows])


# the people columns PeopleWriter.values() computes, in its order
FIELDS = ("uid", "name", "name_folded", "given_name", "family_name", "nickname", "company", "title",
          "location", "how_met", "met_on", "notes", "extra", "bday_month", "bday_day", "bday_year",
          "bday_mmdd", "circle_id", "every_days", "cadence_days", "intro_score", "updated_at")
_MET_ON, _EXTRA, _UPDATED_AT = FIELDS.index("met_on"), FIELDS.index("extra"), FIELDS.index("updated_at")

# the people columns an import reads back: what load() builds a Person from and columns() computes
_READ = ("id", "uid", "name", "name_folded", "given_name", "family_name", "nickname", "company", "title",
         "location", "how_met", "met_on", "notes", "extra", "bday_month", "bday_day", "bday_year",
         "bday_mmdd", "circle_id", "every_days", "cadence_days", "intro_score")


@lru_cache(maxsize=1 << 13)
def _iso_day(text: str) -> date:
    return date.fromisoformat(text)


@lru_cache(maxsize=1 << 13)  # an import writes the same few dates and one timestamp thousands of times
def _day_text(value: date) -> str:
    return value.isoformat()


@lru_cache(maxsize=64)
def _datetime_text(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's SQLite DateTime format


# json.dumps's output (as SQLAlchemy writes JSON), without the check for circular references: a row's
# extra is plain data, and the check costs a sixth of encoding it
_json_text = json.JSONEncoder(check_circular=False).encode


def _converter(col: Any) -> Any:
    """How SQLAlchemy would store a value of ``col`` on SQLite, or None when the driver takes it as is."""
    from sqlalchemy import JSON, Date, DateTime

    if isinstance(col.type, JSON):
        return _json_text
    if isinstance(col.type, DateTime):
        return _datetime_text
    if isinstance(col.type, Date):
        return _day_text
    return None


def insert_values(conn: Connection, table: Any, columns: Sequence[str], rows: Sequence[Sequence[Any]], *,
                  verb: str = "INSERT") -> None:
    """One executemany of ``rows`` (values already in SQLite's storage formats, in ``columns`` order) into
    ``table`` on SQLite, straight to the driver. Columns that are NULL in every row are left out (when they
    have no server default they stay NULL): binding a NULL costs as much as a value, and a LinkedIn row has
    nine of them."""
    if not rows:
        return
    n = len(rows)
    keep = [i for i, col in enumerate(zip(*rows, strict=True))
            if col.count(None) != n or table.c[columns[i]].server_default is not None]
    if len(keep) == len(columns):
        params = [tuple(r) for r in rows]
    else:
        params = [tuple([r[i] for i in keep]) for r in rows]
        columns = [columns[i] for i in keep]
    sql = f"{verb} INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    conn.exec_driver_sql(sql, params)


def bulk_insert(conn: Connection, table: Any, rows: list[dict[str, Any]], *,
                skip_existing: bool = False) -> None:
    """One executemany of ``rows`` (all with the same keys) into ``table``; with ``skip_existing`` rows
    whose primary key is taken are left out.

    On SQLite the statement goes straight to the driver with values in SQLAlchemy's storage formats:
    SQLAlchemy's per-row parameter processing costs more than the insert itself at 30,000 rows.
    """
    if conn.dialect.name != "sqlite":
        if skip_existing:
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            conn.execute(pg_insert(table).on_conflict_do_nothing(), rows)
        else:
            conn.execute(insert(table), rows)
        return
    cols = list(rows[0])
    insert_values(conn, table, cols, _stored(table, cols, rows),
                  verb="INSERT OR IGNORE" if skip_existing else "INSERT")


def _stored(table: Any, columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> list[list[Any]]:
    """The ``columns`` of each row as values in SQLAlchemy's SQLite storage formats (see _converter)."""
    convert = [(i, fn) for i, c in enumerate(columns) if (fn := _converter(table.c[c])) is not None]
    out = []
    for r in rows:
        values = [r[c] for c in columns]
        for i, fn in convert:
            if values[i] is not None:
                values[i] = fn(values[i])
        out.append(values)
    return out


def fetch(conn: Connection, stmt: Any) -> list[tuple[Any, ...]]:
    """The rows of a Core SELECT of text and number columns with text and number parameters, as tuples.

    On SQLite they come straight from the driver's cursor: SQLAlchemy's per-row result processing costs
    more than the query when an import reads its 30,000-person index.
    """
    if conn.dialect.name != "sqlite":
        return [tuple(r) for r in conn.execute(stmt)]
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        return cursor.execute(str(compiled), [params[k] for k in compiled.positiontup or ()]).fetchall()
    finally:
        cursor.close()


def fetch_in(conn: Connection, table: Any, columns: Sequence[str], key: str, values: Sequence[Any],
             order_by: Sequence[str] = ()) -> list[tuple[Any, ...]]:
    """``columns`` of the rows of ``table`` whose ``key`` is one of ``values`` (at most 900), as tuples.

    On SQLite the statement is written here and runs on the driver's cursor: building and compiling an
    IN clause of 900 values with SQLAlchemy costs more than running it.
    """
    if conn.dialect.name != "sqlite":
        q = select(*(table.c[c] for c in columns)).where(table.c[key].in_(values))
        return [tuple(r) for r in conn.execute(q.order_by(*(table.c[c] for c in order_by)))]
    sql = (f"SELECT {', '.join(columns)} FROM {table.name} WHERE {key} IN ({', '.join('?' * len(values))})"
           + (f" ORDER BY {', '.join(order_by)}" if order_by else ""))
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        return cursor.execute(sql, tuple(values)).fetchall()
    finally:
        cursor.close()


def _chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i:i + size] for i in range(0, len(items), size)]
