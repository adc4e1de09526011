"""Logging touches, life events, plans and snoozes, and keeping each person's maintained columns true.

Every touch updates, in the same transaction, the columns the agenda reads through indexes: last touch,
last action, last personal touch, the strength base, the give/ask balance, the thank-you owed, the plans it
fulfils and the week's count. ``recompute`` rebuilds them from the touches when history changes (a merge,
a new half-life).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    Text,
    bindparam,
    case,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session, make_transient_to_detached

from keepwarm.core import events as life
from keepwarm.core import occasions as occ
from keepwarm.core import strength
from keepwarm.core.actions import RECEIVED, Action
from keepwarm.core.dates import format_day, monday_of
from keepwarm.core.people import MAX_NAME, clean_text
from keepwarm.errors import InvalidInputError, NotFoundError
from keepwarm.store import journal, owners, reads
from keepwarm.store import occasions as opened
from keepwarm.store.models import (
    CircleRow,
    LifeEventRow,
    OccasionDone,
    PersonRow,
    PlanRow,
    TouchPerson,
    TouchRow,
    WeekCount,
)
from keepwarm.store.sql import SessionRunner, among, execute, execute_all

# the columns of a person a touch changes
MAINTAINED = ["last_action", "last_touch", "strength_base", "balance", "last_personal_touch",
              "thanks_owed_since"]


def counts_for_goal(action: Action) -> bool:
    """Whether a touch counts toward the weekly goal: what you give, not an ask or a favour received."""
    return not occ.is_withdrawal(action)


class TouchRepo:
    """Touches, events, plans and snoozes of one owner."""

    def __init__(self, session: Session, owner_id: int, today: date) -> None:
        self.s, self.owner, self.today = session, owner_id, today
        self._half_life: int | None = None
        self.done: list[occ.Occasion] = []  # the occasions the last logged touch was for
        self.change_id: int | None = None  # the undo journal's entry of the last change recorded here

    def action(self, name: str) -> Action:
        """An action of the catalog; an unknown one is an error that lists the catalog."""
        cat = owners.catalog(self.s, self.owner)
        if name.lower() not in cat:
            raise InvalidInputError(f"unknown action {name!r}; known actions: {', '.join(sorted(cat))}",
                                    hint="add your own with `keepwarm actions add NAME`")
        return cat[name.lower()]

    def _own(self, person_ids: Sequence[int]) -> None:
        """Refuse ids that are not this owner's people (an API caller may send any number)."""
        ids = set(person_ids)
        found = set(self.s.scalars(select(PersonRow.id).where(PersonRow.owner_id == self.owner,
                                                              PersonRow.id.in_(ids))))
        missing = sorted(ids - found)
        if missing:
            raise NotFoundError(f"no person #{missing[0]}")

    def _journal(self, kind: str, summary: str, payload: dict) -> None:  # type: ignore[type-arg]
        self.change_id = journal.record(self.s, self.owner, kind, summary, payload)

    def _people(self, person_ids: Sequence[int]) -> dict[int, tuple[str, date | None]]:
        """The name and latest touch of each of ``person_ids``, in one read; ids that are not this
        owner's people are refused."""
        self.s.flush()  # the statements below run on the connection: pending ORM changes go first
        conn = self.s.connection()
        found = {pid: (name, last) for pid, name, last in execute(
            conn, _writes(conn.dialect.name)["people"], {"owner": self.owner, "ids": list(set(person_ids))}
        ).rows}
        missing = sorted(set(person_ids) - set(found))
        if missing:
            raise NotFoundError(f"no person #{missing[0]}")
        return found

    def half_life(self) -> int:
        """The strength half-life in days (read once per repository)."""
        if self._half_life is None:
            self._half_life = int(owners.get_setting(self.s, self.owner, "half_life"))
        return self._half_life

    def log(self, action_name: str, person_ids: Sequence[int], on: date | None = None,
            note: str | None = None, initiated_by: str = "me", *, occasion_id: str | None = None,
            attach: bool = True, record: bool = True) -> TouchRow:
        """Log one touch with one or more people.

        The touch is *for* an occasion when ``occasion_id`` names one (`keepwarm done`, the web's Done), or,
        with ``attach``, when its action fits a person's open occasion (see :mod:`keepwarm.core.occasions`):
        that occasion is then done for good. ``record`` puts the touch in the undo journal.
        """
        action = self.action(action_name)
        on = on or self.today
        if on > self.today:
            raise InvalidInputError(f"{on.isoformat()} is in the future; use `keepwarm plan` for that")
        if initiated_by not in ("me", "them"):
            raise InvalidInputError("a touch is initiated by 'me' or 'them'")
        ids = list(dict.fromkeys(person_ids))
        if not ids:
            raise InvalidInputError("a touch needs at least one person")
        people = self._people(ids)
        cat = owners.catalog(self.s, self.owner)
        chosen = self._occasions_for(action, ids, on, initiated_by, occasion_id, attach, cat)
        touch = self._insert(action, on, clean_text(note, "note", multiline=True), initiated_by, ids)
        for o in chosen:
            opened.mark_done(self.s, self.owner, o, touch.id, on)
        if any(last is not None and last > on for _, last in people.values()):
            # history changed behind someone's latest touch: replay it in date order
            self.s.flush()
            self.recompute(ids)
            if counts_for_goal(action):
                self._count_week(on, 1)
        else:
            self._apply(action, on, ids, count_week=counts_for_goal(action))
        self.s.flush()
        self.done = chosen
        if record:
            names = ", ".join(people[pid][0] for pid in ids)
            self._journal("touch", f"{action.name} with {names} on "
                           f"{format_day(on, self.today)}", {"touch_id": touch.id, "people": ids})
        return touch

    def _occasions_for(self, action: Action, ids: list[int], on: date, initiated_by: str,
                       occasion_id: str | None, attach: bool,
                       cat: dict[str, Action]) -> list[occ.Occasion]:
        """The occasions a new touch is for: the one named, or each person's open one it fits."""
        if occasion_id:
            kind, person_id, _ = occ.parse_id(occasion_id)
            if person_id not in ids:
                raise InvalidInputError(f"occasion {occasion_id} is not about anyone in this touch")
            if kind in occ.DATED:
                return [opened.find_open(self.s, self.owner, occasion_id, on, cat)]
            # a rhythm or a hello is kept by the touch itself, which may also close what it fits
        if not attach or initiated_by != "me" or action.kind == RECEIVED:
            return []
        found = (opened.fitting(self.s, self.owner, pid, action, on, cat) for pid in ids)
        return [o for o in found if o is not None]

    def _insert(self, action: Action, on: date, note: str | None, initiated_by: str,
                ids: list[int]) -> TouchRow:
        """Insert the touch and its people; the row comes back as a persistent object of the session."""
        conn = self.s.connection()
        now, writes = datetime.now(), _writes(conn.dialect.name)
        values = {"owner": self.owner, "action": action.name, "on": on, "weight": action.weight, "note": note,
                  "by": initiated_by, "at": now}
        if "touch_and_link" in writes:  # PostgreSQL: the touch and its people in one statement
            touch_id = execute(conn, writes["touch_and_link"], {**values, "ids": ids}).rows[0].touch_id
        else:
            touch_id = execute(conn, writes["touch"], values).rows[0].id
            execute(conn, writes["link"], [{"touch_id": touch_id, "person_id": pid, "owner_id": self.owner}
                                           for pid in ids])
        touch = TouchRow(id=touch_id, owner_id=self.owner, action=action.name, on_date=on,
                         weight=action.weight, note=note, initiated_by=initiated_by, created_at=now,
                         source=None)
        make_transient_to_detached(touch)  # as if loaded: a later change to it is an UPDATE
        self.s.add(touch)
        return touch

    def _apply(self, action: Action, on: date, ids: list[int], *, count_week: bool) -> None:
        """Fold one touch into the maintained columns of ``ids`` (O(1) per person), in one statement
        whose SQL is the same for every action; with ``count_week``, the week's count goes with it (in
        the same round trip on PostgreSQL)."""
        weight = strength.touch_weight(action.weight, action.kind, len(ids))
        half_life = self.half_life()
        self.s.flush()  # a pending change to these people is written first, then overwritten here
        conn = self.s.connection()
        calls = [(_writes(conn.dialect.name)["apply"], {
            "owner": self.owner, "ids": ids, "on": on, "action": action.name,
            "term": strength.base_term(weight, on, half_life),
            "delta": action.balance_delta / len(ids), "personal": bool(action.personal),
            "received": action.kind == RECEIVED, "thanks": action.name == "thanks"})]
        if count_week:
            week = {"owner": self.owner, "week": monday_of(on), "n": 1}
            calls.append((_week_upsert(conn.dialect.name), week))
        execute_all(conn, calls)
        # people already loaded in this session are brought up to date (they may be used after it ends)
        for pid in ids:
            loaded = self.s.identity_map.get(self.s.identity_key(PersonRow, pid))
            if loaded is not None:
                self.s.refresh(loaded, MAINTAINED)

    def _count_week(self, on: date, n: int) -> None:
        """Add ``n`` to the week's count in one statement, safe against concurrent writers."""
        conn = self.s.connection()
        execute(conn, _week_upsert(conn.dialect.name), {"owner": self.owner, "week": monday_of(on), "n": n})

    def delete(self, touch_id: int, *, record: bool = True) -> None:
        """Remove a logged touch (and the occasions it was for reopen) and rebuild what it fed."""
        touch = self.s.get(TouchRow, touch_id)
        if touch is None or touch.owner_id != self.owner:
            raise NotFoundError(f"no touch #{touch_id}")
        ids = list(self.s.scalars(select(TouchPerson.person_id).where(TouchPerson.touch_id == touch_id)))
        cat = owners.catalog(self.s, self.owner)
        done = list(self.s.scalars(select(OccasionDone).where(OccasionDone.touch_id == touch_id)))
        if record:
            self._journal("rm_touch",
                           f"removed {touch.action} of {format_day(touch.on_date, self.today)}",
                           {"touch": journal.row_values(touch), "people": ids,
                            "done": [journal.row_values(d) for d in done]})
        if cat.get(touch.action) is None or counts_for_goal(cat[touch.action]):
            self._count_week(touch.on_date, -1)
        self.s.execute(delete(OccasionDone).where(OccasionDone.touch_id == touch_id))
        self.s.execute(delete(TouchPerson).where(TouchPerson.touch_id == touch_id))
        self.s.delete(touch)
        self.s.flush()
        self.recompute(ids)

    def recompute(self, person_ids: Sequence[int]) -> None:
        """Rebuild the maintained columns of ``person_ids`` from their touches and the occasions done."""
        self._own(person_ids)
        cat = owners.catalog(self.s, self.owner)
        half_life = self.half_life()
        for pid in person_ids:
            self.s.execute(update(PersonRow).where(PersonRow.id == pid).values(
                last_touch=None, last_action=None, last_personal_touch=None, strength_base=0.0,
                balance=0.0, thanks_owed_since=None))
            done = self.s.execute(select(OccasionDone.occasion_id, OccasionDone.kind, OccasionDone.touch_id)
                                  .where(OccasionDone.owner_id == self.owner,
                                         OccasionDone.person_id == pid)).all()
            plans_done = {int(oid.rsplit(":", 1)[1]) for oid, kind, _ in done if kind == "plan"}
            self.s.execute(update(PlanRow).where(PlanRow.person_id == pid, PlanRow.id.not_in(plans_done))
                           .values(done_on=None))
            thanked = {tid for _, kind, tid in done if kind == "thanks"}
            people = (select(func.count()).where(TouchPerson.touch_id == TouchRow.id)
                      .correlate(TouchRow).scalar_subquery())
            rows = self.s.execute(
                select(TouchRow.id, TouchRow.action, TouchRow.on_date, TouchRow.weight, people)
                .join(TouchPerson, TouchPerson.touch_id == TouchRow.id)
                .where(TouchPerson.person_id == pid).order_by(TouchRow.on_date, TouchRow.id)).all()
            for tid, name, on, weight, n in rows:
                action = cat.get(name) or Action(name, name, weight, 0)
                action = Action(action.name, action.label, weight, action.minutes, action.kind,
                                action.personal, action.builtin, action.duration)
                self._apply_one(action, on, pid, half_life, n, thanked=tid in thanked)

    def _apply_one(self, action: Action, on: date, pid: int, half_life: int, people: int = 1,
                   thanked: bool = False) -> None:
        row = self.s.get(PersonRow, pid)
        assert row is not None
        if row.last_touch is None or row.last_touch <= on:
            row.last_touch, row.last_action = on, action.name
        if action.personal and (row.last_personal_touch is None or row.last_personal_touch < on):
            row.last_personal_touch = on
        weight = strength.touch_weight(action.weight, action.kind, people)
        row.strength_base += strength.base_term(weight, on, half_life)
        row.balance += action.balance_delta / max(people, 1)
        if action.kind == RECEIVED and row.thanks_owed_since is None:
            row.thanks_owed_since = on
        if (action.name == "thanks" or thanked) and row.thanks_owed_since and row.thanks_owed_since <= on:
            row.thanks_owed_since = None
        self.s.flush()

    def forget_person(self, person_id: int) -> None:
        """Before a person is removed: drop the touches that were with them alone, and their counts."""
        others = select(TouchPerson.touch_id).where(TouchPerson.person_id != person_id)
        alone = self.s.execute(
            select(TouchRow.id, TouchRow.on_date).join(TouchPerson, TouchPerson.touch_id == TouchRow.id)
            .where(TouchPerson.person_id == person_id, TouchRow.owner_id == self.owner,
                   TouchRow.id.not_in(others))).all()
        for _, on in alone:
            self._count_week(on, -1)
        ids = [tid for tid, _ in alone]
        self.s.execute(delete(TouchPerson).where(TouchPerson.touch_id.in_(ids)))
        self.s.execute(delete(TouchRow).where(TouchRow.id.in_(ids)))

    def of_person(self, person_id: int, limit: int | None = None) -> list[TouchRow]:
        """A person's touches, newest first."""
        # scoped by the link row's owner (always the touch's owner): with ``touches.owner_id`` in the
        # WHERE, SQLite walks the owner's whole (owner, date) index instead of this person's few links
        q = (select(TouchRow).join(TouchPerson, TouchPerson.touch_id == TouchRow.id)
             .where(TouchPerson.person_id == person_id, TouchPerson.owner_id == self.owner)
             .order_by(TouchRow.on_date.desc(), TouchRow.id.desc()))
        return list(self.s.scalars(q.limit(limit) if limit else q))

    def people_of(self, touch_ids: Sequence[int]) -> dict[int, list[int]]:
        """The people of each touch."""
        out: dict[int, list[int]] = {t: [] for t in touch_ids}
        for tid, pid in self.s.execute(select(TouchPerson.touch_id, TouchPerson.person_id)
                                       .where(TouchPerson.touch_id.in_(touch_ids),
                                              TouchPerson.owner_id == self.owner)):
            out[tid].append(pid)
        return out

    # -- events, plans, snoozes, circles -----------------------------------------------------------
    def add_event(self, person_id: int, kind: str, on: date, note: str | None = None, *,
                  company: str | None = None, title: str | None = None, record: bool = True) -> LifeEventRow:
        """Record a life event; a new job or promotion with a company or title also moves the person's
        company and title to the new ones (through PeopleRepo, so their bookkeeping runs) and keeps the
        old ones on the event, as history."""
        self._own([person_id])
        kind = life.check_kind(kind)
        company = clean_text(company, "company", limit=MAX_NAME)
        title = clean_text(title, "title", limit=MAX_NAME)
        life.check_job(kind, company, title)
        row = LifeEventRow(owner_id=self.owner, person_id=person_id, kind=kind, on_date=on,
                           note=clean_text(note, "note", multiline=True), company=company, title=title,
                           created_at=datetime.now())
        before = None
        if company or title:
            from keepwarm.store.people import PeopleRepo

            people = PeopleRepo(self.s, self.owner, self.today,
                                str(owners.get_setting(self.s, self.owner, "region")))
            person = people.get(person_id)
            row.prev_company, row.prev_title = person.company, person.title
            before = {"company": person.company, "title": person.title}
            person.company, person.title = life.after_job_change(person.company, person.title, company,
                                                                 title)
            people.update(person)
        self.s.add(row)
        self.s.flush()
        if record:
            self._journal("event", f"{row.kind} of #{person_id} on {format_day(on)}",
                           {"event_id": row.id, "person_before": before})
        return row

    def remove_event(self, event_id: int, *, record: bool = True) -> LifeEventRow:
        """Remove a life event (its done occasion goes with it)."""
        row = self.s.get(LifeEventRow, event_id)
        if row is None or row.owner_id != self.owner:
            raise NotFoundError(f"no event #{event_id}", hint="`keepwarm show PERSON` lists event ids")
        oid = occ.occasion_id("life_event", row.person_id, row.id)
        if record:
            self._journal("rm_event", f"removed {row.kind} of {format_day(row.on_date)}",
                           {"event": journal.row_values(row)})
        self.s.execute(delete(OccasionDone).where(OccasionDone.owner_id == self.owner,
                                                  OccasionDone.occasion_id == oid))
        self.s.delete(row)
        self.s.flush()
        return row

    def events_of(self, person_id: int) -> list[LifeEventRow]:
        return list(self.s.scalars(select(LifeEventRow).where(
            LifeEventRow.owner_id == self.owner, LifeEventRow.person_id == person_id)
            .order_by(LifeEventRow.on_date)))

    def add_plan(self, person_id: int, action_name: str, on: date, note: str | None = None, *,
                 record: bool = True) -> PlanRow:
        """Plan a touch or an ask for a date."""
        self._own([person_id])
        action = self.action(action_name)
        if on < self.today:
            raise InvalidInputError(f"{on.isoformat()} is in the past; use `keepwarm log` for that")
        row = PlanRow(owner_id=self.owner, person_id=person_id, action=action.name, on_date=on,
                      note=clean_text(note, "note", multiline=True))
        self.s.add(row)
        self.s.flush()
        if record:
            self._journal("plan", f"{row.action} planned for {format_day(on)}",
                           {"plan_id": row.id})
        return row

    def remove_plan(self, plan_id: int, *, record: bool = True) -> PlanRow:
        """Remove a plan (and the occasions of it that were done)."""
        row = self.s.get(PlanRow, plan_id)
        if row is None or row.owner_id != self.owner:
            raise NotFoundError(f"no plan #{plan_id}", hint="`keepwarm show PERSON` lists plan ids")
        if record:
            self._journal("rm_plan", f"removed {row.action} planned for "
                           f"{format_day(row.on_date)}", {"plan": journal.row_values(row)})
        ids = [occ.occasion_id(k, row.person_id, row.id) for k in ("plan", "deposit")]
        self.s.execute(delete(OccasionDone).where(OccasionDone.owner_id == self.owner,
                                                  OccasionDone.occasion_id.in_(ids)))
        self.s.delete(row)
        self.s.flush()
        return row

    def plans_of(self, person_id: int) -> list[PlanRow]:
        return list(self.s.scalars(select(PlanRow).where(
            PlanRow.owner_id == self.owner, PlanRow.person_id == person_id, PlanRow.done_on.is_(None))
            .order_by(PlanRow.on_date)))

    def snooze(self, person_id: int, days: int, *, record: bool = True) -> date | None:
        """Hide a person from the agenda for ``days`` days (0 ends a snooze)."""
        self._own([person_id])
        row = self.s.get(PersonRow, person_id)
        assert row is not None
        before = row.snoozed_until
        until = self.today + timedelta(days=days) if days > 0 else None
        self.s.execute(update(PersonRow).where(PersonRow.owner_id == self.owner, PersonRow.id == person_id)
                       .values(snoozed_until=until))
        if record:
            what = f"snoozed {row.name} until {format_day(until)}" if until else f"unsnoozed {row.name}"
            self._journal("snooze", what,
                           {"person_id": person_id, "before": before.isoformat() if before else None})
        return until

    def set_circle_every(self, name: str, every_days: int) -> None:
        """Change a circle's rhythm and the people who follow it."""
        if every_days <= 0:
            raise InvalidInputError("a keep-in-touch rhythm must be a positive number of days")
        circle = self.s.scalar(select(CircleRow).where(CircleRow.owner_id == self.owner,
                                                       CircleRow.name == name.lower()))
        if circle is None:
            raise InvalidInputError(f"unknown circle {name!r}")
        circle.every_days = every_days
        self.s.execute(update(PersonRow).where(PersonRow.circle_id == circle.id,
                                               PersonRow.every_days.is_(None))
                       .values(cadence_days=every_days))

    def weekly_counts(self, weeks: int = 104) -> dict[date, int]:
        """Touches per ISO week for the last ``weeks`` weeks."""
        return reads.weekly_counts(SessionRunner(self.s), self.owner, self.today, weeks)


@cache
def _writes(dialect: str) -> dict[str, Any]:
    """The statements every logged touch runs, built once per dialect, with named parameters and run by
    :func:`keepwarm.store.sql.execute`: the ORM's unit of work and fresh expressions, which cost more
    than the writes themselves, are skipped."""
    p = PersonRow.__table__.c
    on = bindparam("on", type_=Date())
    newer = p.last_touch.is_(None) | (p.last_touch <= on)
    owed = p.thanks_owed_since
    return {
        "people": select(p.id, p.name, p.last_touch)
                  .where(p.owner_id == bindparam("owner"), among(p.id, dialect)),
        "touch": _touch(),
        "link": insert(TouchPerson.__table__),
        **({"touch_and_link": _touch_and_link()} if dialect == "postgresql" else {}),
        "apply": update(PersonRow.__table__)
                 .where(p.owner_id == bindparam("owner"), among(p.id, dialect))
                 .values({
                     p.last_action: case((newer, bindparam("action")), else_=p.last_action),
                     p.last_touch: case((newer, on), else_=p.last_touch),
                     p.strength_base: p.strength_base + bindparam("term", type_=Float()),
                     p.balance: p.balance + bindparam("delta", type_=Float()),
                     p.last_personal_touch: case(
                         (bindparam("personal", type_=Boolean())
                          & (p.last_personal_touch.is_(None) | (p.last_personal_touch < on)), on),
                         else_=p.last_personal_touch),
                     # a thank-you clears what is owed up to its day; a favour received starts owing
                     owed: case((bindparam("thanks", type_=Boolean()), case((owed <= on, None), else_=owed)),
                                (bindparam("received", type_=Boolean()), func.coalesce(owed, on)),
                                else_=owed),
                 }),
    }


def _touch() -> Any:
    """The touch's INSERT, returning its id."""
    return insert(TouchRow.__table__).values(
        owner_id=bindparam("owner"), action=bindparam("action"), on_date=bindparam("on", type_=Date()),
        weight=bindparam("weight", type_=Float()), note=bindparam("note", type_=Text()),
        initiated_by=bindparam("by"), created_at=bindparam("at", type_=DateTime())
    ).returning(TouchRow.__table__.c.id)


def _touch_and_link() -> Any:
    """PostgreSQL: the touch and a row per person of it in one statement (the touch's INSERT as a
    common table expression), the ids as one array."""
    from sqlalchemy import ARRAY

    touch = _touch().cte("touch")
    people = func.unnest(bindparam("ids", type_=ARRAY(Integer())))
    link = TouchPerson.__table__
    return (insert(link).from_select(["touch_id", "person_id", "owner_id"],
                                     select(touch.c.id, people, bindparam("owner")).select_from(touch))
            .returning(link.c.touch_id))


@cache
def _week_upsert(dialect: str) -> Any:
    """Add ``n`` to an owner's week count, making the row on first use (one statement per dialect)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
    w = WeekCount.__table__.c
    stmt = upsert(WeekCount.__table__).values(owner_id=bindparam("owner"), week_start=bindparam("week"),
                                              touches=bindparam("n"))
    return stmt.on_conflict_do_update(index_elements=[w.owner_id, w.week_start],
                                      set_={"touches": w.touches + bindparam("n")})
