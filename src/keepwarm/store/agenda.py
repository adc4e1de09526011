"""The agenda's candidates, found through indexes: no loop over all people on the hot path.

Overdue by cadence: one indexed query per distinct rhythm on (owner, cadence_days, last_touch), merged by
the overdue ratio in Python. Birthdays: a range on (owner, bday_mmdd). Events and plans: a date range.
Thank-yous: (owner, thanks_owed_since). Never-touched people: (owner, last_touch IS NULL, intro_score).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Executable, Select, and_, exists, or_, select
from sqlalchemy.orm import Session

from keepwarm.core import agenda as core
from keepwarm.core import events as life
from keepwarm.core import library as corelib
from keepwarm.core.birthdays import Birthday, mmdd_windows
from keepwarm.core.dates import monday_of
from keepwarm.core.people import call_name
from keepwarm.store import library, owners
from keepwarm.store.models import CircleRow, LifeEventRow, PersonRow, PlanRow, Resource, Share
from keepwarm.store.models.library import ResourceMatch
from keepwarm.store.people import PeopleRepo
from keepwarm.store.touches import TouchRepo

BIRTHDAY_EARLY_DAYS = 3  # a personal touch this close before a birthday counts as the birthday note
P = PersonRow
_COLUMNS = (P.id, P.name, P.circle_id, P.cadence_days, P.last_touch, P.last_action, P.met_on,
            P.created_on, P.balance, P.intro_score, P.last_personal_touch, P.bday_month, P.bday_day,
            P.bday_year, P.thanks_owed_since)


class AgendaQueries:
    """Builds one owner's agenda for a day."""

    def __init__(self, session: Session, owner_id: int, today: date) -> None:
        self.s, self.owner, self.today = session, owner_id, today
        self._circles: dict[int, str] | None = None

    def _rows(self, q: Executable):  # type: ignore[no-untyped-def]
        return self.s.execute(q)

    def _base(self) -> Select:
        return select(*_COLUMNS).where(P.owner_id == self.owner,
                                       or_(P.snoozed_until.is_(None), P.snoozed_until <= self.today))

    def _ref(self, r) -> core.PersonRef:  # type: ignore[no-untyped-def]
        if self._circles is None:
            self._circles = dict(self._rows(select(CircleRow.id, CircleRow.name)
                                                .where(CircleRow.owner_id == self.owner)).all())
        return core.PersonRef(id=r.id, name=r.name, circle=self._circles.get(r.circle_id),
                              every_days=r.cadence_days, last_touch=r.last_touch, last_action=r.last_action,
                              since=r.met_on or r.created_on, balance=r.balance, intro_score=r.intro_score)

    def overdue(self, limit: int) -> list[core.PersonRef]:
        """The most overdue people by ratio: the top ``limit`` of each rhythm, merged."""
        # One index range per rhythm, each already in overdue order. The statements differ only in their
        # parameters, so SQLAlchemy compiles the shape once per process (a UNION ALL of them all costs a
        # cold CLI process ten times as much to compile as it saves in round trips).
        found = []
        for every in PeopleRepo(self.s, self.owner, self.today).cadences():
            due = P.last_touch <= self.today - timedelta(days=every)
            q = self._base().where(P.cadence_days == every, due).order_by(P.last_touch).limit(limit)
            found += [self._ref(r) for r in self._rows(q)]
        found.sort(key=lambda p: -((self.today - p.last_touch).days / p.every_days))  # type: ignore[operator]
        return found[:limit]

    def intros(self, limit: int) -> list[core.PersonRef]:
        """Never-touched people with the strongest signals first."""
        q = self._base().where(P.last_touch.is_(None)).order_by(P.intro_score.desc(), P.id).limit(limit)
        return [self._ref(r) for r in self._rows(q)]

    def birthdays(self, days: int, limit: int) -> list[core.Occasion]:
        """Birthdays in the next ``days`` days not yet marked by a personal touch."""
        out = []
        for lo, hi in mmdd_windows(self.today, days):
            q = self._base().where(P.bday_mmdd.between(lo, hi)).order_by(P.bday_mmdd).limit(limit)
            for r in self._rows(q):
                bday = Birthday(r.bday_month, r.bday_day, r.bday_year)
                on = bday.next_on_or_after(self.today)
                early = on - timedelta(days=BIRTHDAY_EARLY_DAYS)
                if (on - self.today).days > days:
                    continue
                if r.last_personal_touch and r.last_personal_touch >= early:
                    continue
                out.append(core.Occasion(self._ref(r), "birthday", on, birthday=bday))
        return out

    def events(self, days: int) -> list[core.Occasion]:
        """Life events whose window covers today (or starts within ``days``), not yet acted on."""
        lo = self.today - timedelta(days=life.longest_lookback())
        hi = self.today + timedelta(days=life.longest_lookahead() + days)
        q = (self._base().add_columns(LifeEventRow.id.label("event_id"), LifeEventRow.kind,
                                      LifeEventRow.on_date, LifeEventRow.note)
             .join(LifeEventRow, LifeEventRow.person_id == P.id)
             .where(LifeEventRow.owner_id == self.owner, LifeEventRow.on_date.between(lo, hi)))
        out = []
        for r in self._rows(q):
            ev = life.LifeEvent(r.id, r.kind, r.on_date, r.note, r.event_id)
            start, end = life.window(ev)
            if not (start <= self.today + timedelta(days=days) and self.today <= end):
                continue
            if r.last_personal_touch and r.last_personal_touch >= start:
                continue
            out.append(core.Occasion(self._ref(r), "life_event", ev.on, event=ev, ref_id=ev.id))
        return out

    def thanks(self, limit: int) -> list[core.Occasion]:
        """Favours received and not yet thanked for."""
        q = (self._base().where(P.thanks_owed_since.is_not(None)).order_by(P.thanks_owed_since)
             .limit(limit))
        return [core.Occasion(self._ref(r), "thanks", r.thanks_owed_since) for r in self._rows(q)]

    def plans(self, days: int) -> list[core.Occasion]:
        """Open plans due within ``days`` (asks show two weeks ahead, to leave time for a deposit)."""
        horizon = self.today + timedelta(days=max(days, 14))
        q = (self._base().add_columns(PlanRow.id.label("plan_id"), PlanRow.action, PlanRow.on_date,
                                      PlanRow.note)
             .join(PlanRow, PlanRow.person_id == P.id)
             .where(PlanRow.owner_id == self.owner, PlanRow.done_on.is_(None), PlanRow.on_date <= horizon))
        cat = owners.catalog(self.s, self.owner)
        out = []
        for r in self._rows(q):
            ahead = (r.on_date - self.today).days
            is_ask = r.action in cat and cat[r.action].kind == "ask"
            if ahead <= days or is_ask:
                out.append(core.Occasion(self._ref(r), "plan", r.on_date, action=r.action, note=r.note,
                                         ref_id=r.plan_id))
        return out

    def library(self, limit: int) -> list[core.Occasion]:
        """Today's library suggestions: the best stored matches, one per person and per resource.

        Reads ``resource_matches`` by the (owner, score) index, joined to the people it names; pairs
        already shared are skipped by the shares index; nobody touched in the last week gets reading on top.
        """
        M = ResourceMatch
        recent = self.today - timedelta(days=library.RECENT_DAYS)
        q = (self._base()
             .add_columns(M.resource_id, M.score, M.because, Resource.kind, Resource.title, P.given_name,
                          P.nickname)
             .join(M, and_(M.person_id == P.id, M.owner_id == self.owner))
             .join(Resource, Resource.id == M.resource_id)
             .where(M.score >= corelib.MIN_SCORE, P.last_touch.is_(None) | (P.last_touch < recent),
                    ~exists().where(Share.owner_id == self.owner, Share.person_id == M.person_id,
                                    Share.resource_id == M.resource_id))
             .order_by(M.score.desc(), M.resource_id, P.id)
             .limit(max(limit, library.LIBRARY_PER_DAY * 10)))
        out: list[core.Occasion] = []
        people: set[int] = set()
        resources: set[int] = set()
        for r in self._rows(q):
            if r.id in people or r.resource_id in resources:
                continue
            people.add(r.id)
            resources.add(r.resource_id)
            note = corelib.reason(corelib.label(r.kind, r.title),
                                  call_name(r.name, r.given_name, r.nickname), r.because)
            out.append(core.Occasion(self._ref(r), "library", self.today, action="recommend", note=note,
                                     extra={"resource_id": r.resource_id,
                                            "priority": min(78, 50 + round(r.score * 60))}))
            if len(out) >= library.LIBRARY_PER_DAY:
                break
        return out

    def build(self, *, days: int = 7, minutes: int | None = None, limit: int = 15) -> core.Agenda:
        """Today's agenda."""
        cat = owners.catalog(self.s, self.owner)
        intros_per_day = int(owners.get_setting(self.s, self.owner, "intros_per_day"))
        want = max(limit, 15) * 2
        occasions = (self.birthdays(days, want) + self.events(days) + self.thanks(want) + self.plans(days)
                     + self.library(want))
        items = core.build(self.today, self.overdue(want), self.intros(intros_per_day), occasions, cat,
                           minutes=minutes, limit=limit, intros_per_day=intros_per_day)
        goal = int(owners.get_setting(self.s, self.owner, "weekly_goal"))
        weeks = TouchRepo(self.s, self.owner, self.today).weekly_counts()
        monday = monday_of(self.today)
        return core.Agenda(self.today, items, week_touches=weeks.get(monday, 0), weekly_goal=goal,
                           streak_weeks=core.streak(weeks, monday, goal), budget_minutes=minutes)
