"""Saving, loading, finding and removing people."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, delete, exists, func, or_, select
from sqlalchemy.orm import Session

from keepwarm.core import people as core
from keepwarm.core.birthdays import Birthday
from keepwarm.core.circles import DEFAULT_CIRCLE, effective_every
from keepwarm.core.edits import PersonEdit
from keepwarm.core.people import Link, Person
from keepwarm.errors import AmbiguousError, ConflictError, InvalidInputError, NotFoundError
from keepwarm.store import reads
from keepwarm.store.models import (
    CircleRow,
    PersonEmail,
    PersonInterest,
    PersonLink,
    PersonPhone,
    PersonRow,
    PersonTag,
)
from keepwarm.store.sql import SessionRunner

_CHILDREN = (PersonEmail, PersonPhone, PersonLink, PersonTag, PersonInterest)


class PeopleRepo:
    """People of one owner."""

    def __init__(self, session: Session, owner_id: int, today: date, region: str = "US") -> None:
        self.s, self.owner, self.today, self.region = session, owner_id, today, region

    # -- circles -----------------------------------------------------------------------------------
    def circles(self) -> list[CircleRow]:
        """The owner's circles, closest first."""
        return list(self.s.scalars(select(CircleRow).where(CircleRow.owner_id == self.owner)
                                   .order_by(CircleRow.every_days, CircleRow.position)))

    def circle(self, name: str) -> CircleRow:
        """A circle by name; an unknown name is an error that lists the known ones."""
        row = self.s.scalar(select(CircleRow).where(CircleRow.owner_id == self.owner,
                                                    CircleRow.name == name.lower()))
        if row is None:
            known = ", ".join(c.name for c in self.circles())
            raise InvalidInputError(f"unknown circle {name!r}; known circles: {known}")
        return row

    def cadences(self) -> list[int]:
        """Every rhythm in use: the circles' and the per-person overrides (a handful, found by index)."""
        return reads.rhythms(SessionRunner(self.s), self.owner)

    # -- writing -----------------------------------------------------------------------------------
    def add(self, person: Person) -> Person:
        """Validate and store a new person."""
        core.validate(person, self.region, self.today)
        if self.s.scalar(select(PersonRow.id).where(PersonRow.owner_id == self.owner,
                                                    PersonRow.uid == person.uid)) is not None:
            raise ConflictError(f"another person already has the uid {person.uid!r}")
        row = PersonRow(owner_id=self.owner, created_on=self.today, strength_base=0.0, balance=0.0)
        self._fill(row, person)
        self.s.add(row)
        self.s.flush()
        person.id = row.id
        self._write_children(row.id, person)
        self._refresh_library(row.id)
        return person

    def update(self, person: Person) -> Person:
        """Validate and store the changes to an existing person."""
        if person.id is None:
            raise InvalidInputError("cannot update a person that was never saved")
        core.validate(person, self.region, self.today)
        row = self._row(person.id)
        self._fill(row, person)
        self._write_children(row.id, person, replace=True)
        self._refresh_library(row.id)
        return person

    def edit(self, person_id: int, change: PersonEdit) -> tuple[Person, Person]:
        """Apply ``change`` to one person; (before, after), equal when nothing changed (then nothing is
        written). The edit goes into the undo journal."""
        before, after = self._edit(self.get(person_id), change)
        self._journal([(before, after)])
        return before, after

    def edit_many(self, ids: Sequence[int], change: PersonEdit) -> list[tuple[Person, Person]]:
        """Apply one bulk-safe ``change`` to several people, each through :meth:`edit`'s path, in the
        caller's transaction: one bad row and none is kept. (before, after) for each, in ``ids`` order."""
        change.check_bulk()
        out: list[tuple[Person, Person]] = []
        for start in range(0, len(ids), 500):
            out += [self._edit(p, change) for p in self.load(list(ids[start:start + 500]))]
        self._journal(out)
        return out

    def _journal(self, pairs: list[tuple[Person, Person]]) -> None:
        """One undoable change for an edit of one or several people (only those that changed)."""
        from keepwarm.store import journal

        changed = [core.to_dict(before) for before, after in pairs if before != after]
        if changed:
            what = changed[0]["name"] if len(changed) == 1 else f"{len(changed)} people"
            journal.record(self.s, self.owner, "edit", f"edited {what}", {"people": changed})

    def _edit(self, before: Person, change: PersonEdit) -> tuple[Person, Person]:
        """The one place an edit reaches a stored person: every interface and bulk edits come here."""
        after = core.validate(change.apply(before), self.region, self.today)
        if after != before:
            self.update(after)
        return before, after

    def _refresh_library(self, person_id: int) -> None:
        """Keep the library's suggestions for this person current, from every interface alike."""
        from keepwarm.store.library import refresh_people

        refresh_people(self.s, self.owner, self.today, [person_id])

    def remove(self, person_id: int) -> None:
        """Delete a person and everything that is only theirs (touches with them alone included)."""
        from keepwarm.store.touches import TouchRepo

        row = self._row(person_id)
        TouchRepo(self.s, self.owner, self.today).forget_person(person_id)
        for model in _CHILDREN:
            self.s.execute(delete(model).where(model.person_id == person_id))
        self.s.delete(row)

    def _fill(self, row: PersonRow, p: Person) -> None:
        with self.s.no_autoflush:
            circle = self.circle(p.circle) if p.circle else self._default_circle()
        row.uid, row.name, row.name_folded = p.uid, p.name, core.fold(p.name)
        row.given_name, row.family_name, row.nickname = p.given_name, p.family_name, p.nickname
        row.company, row.title, row.location = p.company, p.title, p.location
        row.how_met, row.met_on, row.notes, row.extra = p.how_met, p.met_on, p.notes, dict(p.extra)
        b = p.birthday
        row.bday_month, row.bday_day = (b.month, b.day) if b else (None, None)
        row.bday_year, row.bday_mmdd = (b.year, b.mmdd) if b else (None, None)
        row.circle_id = circle.id if circle else None
        row.every_days = p.every_days
        row.cadence_days = effective_every(p.every_days, circle.every_days if circle else None)
        row.intro_score = core.intro_signal(p, self.today)
        row.updated_at = datetime.now()

    def _default_circle(self) -> CircleRow | None:
        return self.s.scalar(select(CircleRow).where(CircleRow.owner_id == self.owner,
                                                     CircleRow.name == DEFAULT_CIRCLE))

    def _check_emails(self, person_id: int, emails: list[str]) -> None:
        if not emails:
            return
        clash = self.s.execute(
            select(PersonEmail.email, PersonRow.name, PersonRow.id)
            .join(PersonRow, PersonRow.id == PersonEmail.person_id)
            .where(PersonEmail.owner_id == self.owner, PersonEmail.email.in_(emails),
                   PersonEmail.person_id != person_id)).first()
        if clash:
            raise ConflictError(f"{clash.email} already belongs to {clash.name} (#{clash.id})",
                                hint="use `keepwarm merge` if they are the same person")

    def _write_children(self, person_id: int, p: Person, replace: bool = False) -> None:
        self._check_emails(person_id, p.emails)
        if replace:
            for model in _CHILDREN:
                self.s.execute(delete(model).where(model.person_id == person_id))
        own = {"owner_id": self.owner, "person_id": person_id}
        self.s.add_all([PersonEmail(**own, email=e, position=i) for i, e in enumerate(p.emails)])
        self.s.add_all([PersonPhone(**own, phone=n, position=i) for i, n in enumerate(p.phones)])
        self.s.add_all([PersonLink(**own, url=k.url, kind=k.kind, position=i) for i, k in enumerate(p.links)])
        self.s.add_all([PersonTag(**own, tag=t, position=i) for i, t in enumerate(p.tags)])
        self.s.add_all([PersonInterest(**own, topic=t, position=i) for i, t in enumerate(p.interests)])
        self.s.flush()

    # -- reading -----------------------------------------------------------------------------------
    def _row(self, person_id: int) -> PersonRow:
        row = self.s.get(PersonRow, person_id)
        if row is None or row.owner_id != self.owner:
            raise NotFoundError(f"no person #{person_id}")
        return row

    def row(self, person_id: int) -> PersonRow:
        """The stored row of a person (with maintained columns: last touch, strength base, balance)."""
        return self._row(person_id)

    def get(self, person_id: int) -> Person:
        """One person, fully loaded."""
        return self.load([person_id])[0]

    def load(self, ids: Sequence[int]) -> list[Person]:
        """People by id, in the given order, with all their lists."""
        rows = {r.id: r for r in self.s.scalars(
            select(PersonRow).where(PersonRow.owner_id == self.owner, PersonRow.id.in_(ids)))}
        missing = [i for i in ids if i not in rows]
        if missing:
            raise NotFoundError(f"no person #{missing[0]}")
        circles = {c.id: c.name for c in self.circles()}
        kids = self._children(list(rows))
        return [self._to_person(rows[i], circles, kids) for i in ids]

    def _children(self, ids: list[int]) -> dict[str, dict[int, list]]:
        out: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
        for model, attr in ((PersonEmail, "email"), (PersonPhone, "phone"), (PersonTag, "tag"),
                            (PersonInterest, "topic")):
            for pid, value in self.s.execute(select(model.person_id, getattr(model, attr))
                                             .where(model.person_id.in_(ids)).order_by(model.position)):
                out[attr][pid].append(value)
        for pid, url, kind in self.s.execute(select(PersonLink.person_id, PersonLink.url, PersonLink.kind)
                                             .where(PersonLink.person_id.in_(ids))
                                             .order_by(PersonLink.position)):
            out["link"][pid].append(Link(url, kind))
        return out

    @staticmethod
    def _to_person(r: PersonRow, circles: dict[int, str], kids: dict[str, dict[int, list]]) -> Person:
        bday = Birthday(r.bday_month, r.bday_day, r.bday_year) if r.bday_month and r.bday_day else None
        return Person(
            id=r.id, uid=r.uid, name=r.name, given_name=r.given_name, family_name=r.family_name,
            nickname=r.nickname, emails=list(kids["email"][r.id]), phones=list(kids["phone"][r.id]),
            links=list(kids["link"][r.id]), company=r.company, title=r.title, location=r.location,
            how_met=r.how_met, met_on=r.met_on, birthday=bday, interests=list(kids["topic"][r.id]),
            circle=circles.get(r.circle_id) if r.circle_id else None, every_days=r.every_days,
            tags=list(kids["tag"][r.id]), notes=r.notes, extra=dict(r.extra or {}),
        )

    def resolve(self, token: str) -> PersonRow:
        """Find one person by id, email, exact name or a unique name prefix."""
        t = token.strip()
        if not t:
            raise InvalidInputError("name a person: an id, an email, a name or the start of a name")
        base = select(PersonRow).where(PersonRow.owner_id == self.owner)
        digits = t.lstrip("#")
        if digits.isascii() and digits.isdigit():
            row = self.s.get(PersonRow, int(digits)) if len(digits) <= 18 else None
            if row is not None and row.owner_id == self.owner:
                return row
            if t.startswith("#"):
                raise NotFoundError(f"no person {t}")
            # else a name made of digits ("2024"), looked up below
        if "@" in t:
            row = self.s.scalar(base.join(PersonEmail, PersonEmail.person_id == PersonRow.id)
                                .where(PersonEmail.email == t.lower()))
            if row is not None:
                return row
        folded = core.fold(t)
        for query in (base.where(PersonRow.name_folded == folded),
                      base.where(PersonRow.name_folded.startswith(folded, autoescape=True))):
            rows = list(self.s.scalars(query.order_by(PersonRow.name_folded).limit(11)))
            if len(rows) == 1:
                return rows[0]
            if rows:
                raise AmbiguousError(f"{token!r} matches more than one person", [_label(r) for r in rows])
        near = self._nearest(folded)
        raise NotFoundError(f"no person matches {token!r}" + ("; did you mean:" if near else ""),
                            candidates=near, hint="try `keepwarm search TEXT`, or use an id or email")

    def _nearest(self, folded: str, limit: int = 5) -> list[str]:
        """The closest names to a token that matched nobody (only on that error path)."""
        from rapidfuzz import fuzz, process

        names = dict(self.s.execute(select(PersonRow.id, PersonRow.name_folded)
                                    .where(PersonRow.owner_id == self.owner)).all())
        found = process.extract(folded, names, scorer=fuzz.WRatio, limit=limit, score_cutoff=75)
        rows = self.load_rows([pid for _, _, pid in found])
        return [_label(r) for r in rows]

    def load_rows(self, ids: Sequence[int]) -> list[PersonRow]:
        """Rows by id, in the given order."""
        rows = {r.id: r for r in self.s.scalars(select(PersonRow).where(
            PersonRow.owner_id == self.owner, PersonRow.id.in_(ids)))}
        return [rows[i] for i in ids if i in rows]

    def has_anyone(self) -> bool:
        """Whether the owner's network has anyone in it (one index probe)."""
        return bool(self.s.scalar(select(exists().where(PersonRow.owner_id == self.owner))))

    def query(self, *, circle: str | None = None, tag: str | None = None, due: bool = False,
              text: str | None = None, company: str | None = None) -> Select:
        """A SELECT of the owner's people, filtered; callers add ordering and paging."""
        q = select(PersonRow).where(PersonRow.owner_id == self.owner)
        if circle:
            q = q.where(PersonRow.circle_id == self.circle(circle).id)
        if tag:
            q = q.where(PersonRow.id.in_(select(PersonTag.person_id).where(
                PersonTag.owner_id == self.owner, func.lower(PersonTag.tag) == tag.lower())))
        if company:
            q = q.where(func.lower(PersonRow.company) == company.strip().lower())
        if due:
            q = q.where(self._due())
        if text:
            q = q.where(_matches(self.owner, text))
        return q

    def _due(self) -> ColumnElement[bool]:
        """:func:`keepwarm.core.cadence.is_due` as SQL: not snoozed past today, and the rhythm passed since
        the last touch (one index range per rhythm) or never touched and joined by today."""
        t = self.today
        since = func.coalesce(PersonRow.met_on, PersonRow.created_on)
        return and_(or_(PersonRow.snoozed_until.is_(None), PersonRow.snoozed_until <= t),
                    or_(and_(PersonRow.last_touch.is_(None), since <= t),
                        *[(PersonRow.cadence_days == c) & (PersonRow.last_touch <= t - timedelta(days=c))
                          for c in self.cadences()]))

    def rows(self, q: Select, limit: int | None = None, offset: int = 0) -> list[PersonRow]:
        """Run a people query."""
        if limit is not None:
            q = q.limit(limit).offset(offset)
        return list(self.s.scalars(q))

    def count(self, q: Select) -> int:
        """How many people a query finds."""
        return int(self.s.scalar(select(func.count()).select_from(q.subquery())) or 0)


def _matches(owner: int, text: str):  # type: ignore[no-untyped-def]
    """People whose name, company, title, notes, emails, tags or interests contain ``text`` (literally)."""
    low = text.lower()

    def has(col):  # type: ignore[no-untyped-def]
        return func.lower(col).contains(low, autoescape=True)

    in_child = [PersonRow.id.in_(select(model.person_id).where(model.owner_id == owner, has(col)))
                for model, col in ((PersonEmail, PersonEmail.email), (PersonTag, PersonTag.tag),
                                   (PersonInterest, PersonInterest.topic))]
    return or_(PersonRow.name_folded.contains(core.fold(text), autoescape=True), has(PersonRow.company),
               has(PersonRow.title), has(PersonRow.notes), *in_child)


def _label(r: PersonRow) -> str:
    extra = f" ({r.company})" if r.company else ""
    return f"#{r.id} {r.name}{extra}"


def labels(rows: Iterable[PersonRow]) -> list[str]:
    """``#12 Bob Smith (Acme)`` for each row."""
    return [_label(r) for r in rows]

