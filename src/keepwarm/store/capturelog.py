"""Logging many captured touches at once: the same touches, columns and counts as ``TouchRepo.log``, in a
few statements instead of several per touch.

A mailbox of years holds tens of thousands of touches; logging each through ``TouchRepo.log`` costs
milliseconds (the occasion lookup, the maintained columns, the week's count), minutes in all. Most of
them can be for no occasion at all: a person with no birthday near that day, no life event, no open plan
and no thank-you owed has nothing a touch could close. Those go here, folded into each person's columns in
memory exactly as ``TouchRepo._apply`` would, and written in bulk at the end. A touch with someone who
*may* have an open occasion goes through ``TouchRepo.log`` after that person's pending columns are written,
so the occasion rules see the same state as if every touch had been logged one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import cast

from sqlalchemy import Date, Table, bindparam, case, func, insert, select, update
from sqlalchemy.orm import Session

from keepwarm.core import occasions as occ
from keepwarm.core import strength
from keepwarm.core.actions import RECEIVED, Action
from keepwarm.core.birthdays import Birthday
from keepwarm.store.models import LifeEventRow, PersonRow, PlanRow, TouchPerson, TouchRow
from keepwarm.store.touches import TouchRepo, counts_for_goal


@dataclass
class _Pending:
    """One person's columns to move, as ``TouchRepo._apply`` would, summed over their pending touches."""

    last_on: date | None = None
    last_action: str = ""
    personal_on: date | None = None
    strength: float = 0.0
    balance: float = 0.0
    owed_since: date | None = None


@dataclass
class BulkToucher:
    """Touches to insert at the end; ``Ref`` numbers stand for their ids until then."""

    s: Session
    owner: int
    touches: TouchRepo
    rows: list[dict] = field(default_factory=list)
    people: list[list[int]] = field(default_factory=list)
    pending: dict[int, _Pending] = field(default_factory=dict)
    weeks: dict[date, int] = field(default_factory=dict)
    ids: list[int] = field(default_factory=list)  # of the rows inserted so far, by reference

    def __post_init__(self) -> None:
        o = self.owner
        self.bdays = {pid: Birthday(int(m or 0), int(d or 0), y) for pid, m, d, y in self.s.execute(
            select(PersonRow.id, PersonRow.bday_month, PersonRow.bday_day, PersonRow.bday_year)
            .where(PersonRow.owner_id == o, PersonRow.bday_month.is_not(None),
                   PersonRow.bday_day.is_not(None)))}
        self.busy = set(self.s.scalars(select(LifeEventRow.person_id).where(LifeEventRow.owner_id == o)))
        self.busy |= set(self.s.scalars(select(PlanRow.person_id).where(PlanRow.owner_id == o,
                                                                       PlanRow.done_on.is_(None))))
        self.busy |= set(self.s.scalars(select(PersonRow.id).where(PersonRow.owner_id == o,
                                                                   PersonRow.thanks_owed_since.is_not(None))))

    def may_have_occasion(self, pid: int, action: Action, on: date, by: str) -> bool:
        """Whether a touch could close an occasion of ``pid`` (``TouchRepo.log`` then decides which)."""
        if by != "me" or action.kind == RECEIVED:
            return False  # such a touch is never for an occasion (TouchRepo._occasions_for)
        if pid in self.busy:
            return True
        bday = self.bdays.get(pid)
        if bday is None:
            return False
        when = bday.next_on_or_after(on - timedelta(days=occ.BIRTHDAY_LATE + 1))
        return (when - on).days <= occ.BIRTHDAY_NOTE_EARLY + 1

    def add(self, action: Action, pids: list[int], on: date, note: str | None, by: str, source: str) -> int:
        """Queue a touch; its reference (an index) until :meth:`write` gives it an id."""
        self.rows.append({"owner_id": self.owner, "action": action.name, "on_date": on,
                          "weight": action.weight, "note": note, "initiated_by": by,
                          "created_at": datetime.now(), "source": source})
        self.people.append(pids)
        weight = strength.touch_weight(action.weight, action.kind, len(pids))
        term = strength.base_term(weight, on, self.touches.half_life())
        for pid in pids:
            p = self.pending.setdefault(pid, _Pending())
            if p.last_on is None or p.last_on <= on:
                p.last_on, p.last_action = on, action.name
            if action.personal and (p.personal_on is None or p.personal_on < on):
                p.personal_on = on
            p.strength += term
            p.balance += action.balance_delta / len(pids)
            if action.kind == RECEIVED:
                p.owed_since = min(p.owed_since or on, on)
                self.busy.add(pid)  # a thank-you is owed from now on: later touches may be for it
        if counts_for_goal(action):
            self.weeks[on - timedelta(days=on.weekday())] = self.weeks.get(
                on - timedelta(days=on.weekday()), 0) + 1
        return len(self.rows) - 1

    def settle(self, pids: list[int]) -> None:
        """Write the queued touches and the pending columns of ``pids`` now, before ``TouchRepo.log``
        reads them (or rebuilds them from the touches, for a touch older than the last)."""
        if any(pid in self.pending for pid in pids):
            self._insert()
        for pid in pids:
            p = self.pending.pop(pid, None)
            if p is not None:
                self._write_person(pid, p)

    def _write_person(self, pid: int, d: _Pending) -> None:
        r = PersonRow
        newer = (r.last_touch.is_(None)) | (r.last_touch <= d.last_on)
        values = {r.last_action: case((newer, d.last_action), else_=r.last_action),
                  r.last_touch: case((newer, d.last_on), else_=r.last_touch),
                  r.strength_base: r.strength_base + d.strength, r.balance: r.balance + d.balance}
        if d.personal_on:
            values[r.last_personal_touch] = case(
                ((r.last_personal_touch.is_(None)) | (r.last_personal_touch < d.personal_on), d.personal_on),
                else_=r.last_personal_touch)
        if d.owed_since:
            values[r.thanks_owed_since] = func.coalesce(r.thanks_owed_since, d.owed_since)
        self.s.execute(update(r).where(r.owner_id == self.owner, r.id == pid).values(values))

    def _insert(self) -> None:
        """Insert the touches queued since the last insert, with their people."""
        rows, people = self.rows[len(self.ids):], self.people[len(self.ids):]
        if not rows:
            return
        # Core statements over the tables: one executemany each, without the ORM's per-row bookkeeping
        table = cast(Table, TouchRow.__table__)
        ids = list(self.s.scalars(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows))
        self.s.execute(insert(cast(Table, TouchPerson.__table__)),
                       [{"touch_id": tid, "person_id": pid, "owner_id": self.owner}
                        for tid, pids in zip(ids, people, strict=True) for pid in pids])
        self.ids.extend(ids)

    def _write_all(self) -> None:
        """Every pending person's columns in one executemany (the same CASEs as ``_write_person``)."""
        if not self.pending:
            return
        people = cast(Table, PersonRow.__table__)
        t = people.c
        newer = (t.last_touch.is_(None)) | (t.last_touch <= bindparam("p_on"))
        # typed: PostgreSQL cannot guess the type of a bare NULL
        personal, owed = bindparam("p_personal", type_=Date), bindparam("p_owed", type_=Date)
        stmt = (update(people).where(t.id == bindparam("p_id"))
                .values(last_action=case((newer, bindparam("p_action")), else_=t.last_action),
                        last_touch=case((newer, bindparam("p_on")), else_=t.last_touch),
                        strength_base=t.strength_base + bindparam("p_strength"),
                        balance=t.balance + bindparam("p_balance"),
                        last_personal_touch=case(
                            (personal.is_(None), t.last_personal_touch),
                            (t.last_personal_touch.is_(None) | (t.last_personal_touch < personal),
                             personal),
                            else_=t.last_personal_touch),
                        thanks_owed_since=func.coalesce(t.thanks_owed_since, owed)))
        self.s.execute(stmt, [{"p_id": pid, "p_on": d.last_on, "p_action": d.last_action,
                               "p_strength": d.strength, "p_balance": d.balance, "p_personal": d.personal_on,
                               "p_owed": d.owed_since} for pid, d in self.pending.items()])
        for obj in list(self.s.identity_map.values()):  # loaded rows now hold stale columns
            if isinstance(obj, PersonRow) and obj.id in self.pending:
                self.s.expire(obj)
        self.pending.clear()

    def write(self) -> list[int]:
        """Insert the queued touches and move every column and count; the ids, by reference."""
        self._insert()
        self._write_all()
        for week, n in sorted(self.weeks.items()):
            self.touches._count_week(week, n)
        self.weeks.clear()
        self.s.flush()
        return self.ids
