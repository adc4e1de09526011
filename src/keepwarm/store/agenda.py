"""The agenda's candidates, found through indexes: no loop over all people on the hot path.

Overdue by cadence: one indexed query per distinct rhythm on (owner, cadence_days, last_touch), merged by
the overdue ratio in Python. Birthdays: a range on (owner, bday_mmdd). Events and plans: a date range.
Thank-yous: (owner, thanks_owed_since). Never-touched people: (owner, intro_score DESC, id) where
last_touch IS NULL.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from keepwarm.core import agenda as core
from keepwarm.core import events as life
from keepwarm.core import library as corelib
from keepwarm.core import occasions as occ
from keepwarm.core.actions import ASK, Action
from keepwarm.core.birthdays import Birthday, mmdd_windows
from keepwarm.core.dates import monday_of
from keepwarm.core.people import call_name
from keepwarm.store import reads
from keepwarm.store.reads import Runner

DONE_LOOKBACK = 400  # days of done occasions read (older ones are closed by their own rows)


class AgendaQueries:
    """Builds one owner's agenda for a day from the named statements of :mod:`keepwarm.store.sql`.

    ``run`` executes them: a :class:`~keepwarm.store.sql.SessionRunner` in the application, a
    :class:`~keepwarm.store.lite.LiteRunner` in the cold ``keepwarm today`` process. No SQLAlchemy here.
    """

    def __init__(self, run: Runner, owner_id: int, today: date) -> None:
        self.run, self.owner, self.today = run, owner_id, today
        self._circles: list[Any] | None = None
        self._circle_names: dict[int, str] | None = None
        self._catalog: dict[str, Action] | None = None
        self._settings: dict[str, Any] | None = None
        self._done: dict[str, date] | None = None

    def _rows(self, name: str, **params: Any) -> Any:
        return self.run(name, owner=self.owner, today=self.today, **params)

    def catalog(self) -> dict[str, Action]:
        """The owner's action catalog (read once)."""
        if self._catalog is None:
            self._catalog = reads.catalog(self.run, self.owner)
        return self._catalog

    def setting(self, key: str) -> Any:
        """One of the owner's settings (all read once)."""
        if self._settings is None:
            self._settings = reads.settings(self.run, self.owner)
        return self._settings.get(key)

    def done(self) -> dict[str, date]:
        """The occasions acted on or dismissed lately, with the day: they never come back."""
        if self._done is None:
            since = self.today - timedelta(days=DONE_LOOKBACK)
            self._done = {r.occasion_id: r.done_on for r in self._rows("done", since=since)}
        return self._done

    def _open(self, o: core.Occasion) -> bool:
        return o.id not in self.done()

    def _circle_rows(self) -> list[Any]:
        if self._circles is None:
            self._circles = list(self.run("circles", owner=self.owner))
        return self._circles

    def _ref(self, r) -> core.PersonRef:  # type: ignore[no-untyped-def]
        if self._circle_names is None:
            self._circle_names = {c.id: c.name for c in self._circle_rows()}
        return core.PersonRef(id=r.id, name=r.name, circle=self._circle_names.get(r.circle_id),
                              every_days=r.cadence_days, last_touch=r.last_touch, last_action=r.last_action,
                              since=r.met_on or r.created_on, balance=r.balance, intro_score=r.intro_score)

    def overdue(self, limit: int) -> list[core.PersonRef]:
        """The most overdue people by ratio: the top ``limit`` of each rhythm, merged."""
        # One index range per rhythm, each already in overdue order. The statements differ only in their
        # parameters, so SQLAlchemy compiles the shape once per process (a UNION ALL of them all costs a
        # cold CLI process ten times as much to compile as it saves in round trips).
        found = []
        for every in reads.rhythms(self.run, self.owner, self._circle_rows()):
            due = self.today - timedelta(days=every)
            found += [self._ref(r) for r in self._rows("overdue", every=every, due=due, limit=limit)]
        found.sort(key=lambda p: -((self.today - p.last_touch).days / p.every_days))  # type: ignore[operator]
        return found[:limit]

    def intros(self, limit: int) -> list[core.PersonRef]:
        """Never-touched people with the strongest signals first."""
        return [self._ref(r) for r in self._rows("intros", limit=limit)]

    def birthdays(self, days: int, limit: int) -> list[core.Occasion]:
        """Birthdays from two days ago (a belated note) to ``days`` ahead, not yet acted on."""
        start = self.today - timedelta(days=occ.BELATED)
        out = []
        for lo, hi in mmdd_windows(start, days + occ.BELATED):
            for r in self._rows("birthdays", lo=lo, hi=hi, limit=limit):
                bday = Birthday(r.bday_month, r.bday_day, r.bday_year)
                on = bday.next_on_or_after(start)
                if (on - self.today).days > days:
                    continue
                o = core.Occasion(self._ref(r), "birthday", on, birthday=bday, key=on.isoformat())
                if self._open(o):
                    out.append(o)
        return out

    def events(self, days: int) -> list[core.Occasion]:
        """Life events whose window covers today (or starts within ``days``), not yet acted on."""
        lo = self.today - timedelta(days=life.longest_lookback())
        hi = self.today + timedelta(days=life.longest_lookahead() + days)
        out = []
        for r in self._rows("events", lo=lo, hi=hi):
            ev = life.LifeEvent(r.id, r.kind, r.on_date, r.note, r.event_id)
            start, end = life.window(ev)
            if not (start <= self.today + timedelta(days=days) and self.today <= end):
                continue
            o = core.Occasion(self._ref(r), "life_event", ev.on, event=ev, ref_id=ev.id)
            if self._open(o):
                out.append(o)
        return out

    def thanks(self, limit: int) -> list[core.Occasion]:
        """Favours received and not yet thanked for."""
        found = (core.Occasion(self._ref(r), "thanks", r.thanks_owed_since,
                               key=r.thanks_owed_since.isoformat())
                 for r in self._rows("thanks", limit=limit))
        return [o for o in found if self._open(o)]

    def plans(self, days: int) -> list[core.Occasion]:
        """Plans due within ``days``; a planned ask on its day, with a deposit first when the give/ask
        balance is low (shown up to two weeks ahead, and the ask waits until the deposit counts)."""
        horizon = self.today + timedelta(days=max(days, occ.ASK_HORIZON))
        cat = self.catalog()
        lead = int(self.setting("deposit_lead"))
        out = []
        for r in self._rows("plans", horizon=horizon):
            ahead = (r.on_date - self.today).days
            plan = core.Occasion(self._ref(r), "plan", r.on_date, action=r.action, note=r.note,
                                 ref_id=r.plan_id)
            if not (r.action in cat and cat[r.action].kind == ASK):
                if ahead <= days and self._open(plan):
                    out.append(plan)
                continue
            counted = self.counted_balance(plan.person, r.on_date, lead)
            deposit = core.Occasion(plan.person, "deposit", r.on_date, ref_id=r.plan_id)
            deposited = self.done().get(deposit.id)
            if counted < core.LOW_BALANCE and deposited is None:
                out.append(deposit)
            elif ahead <= 0 and (counted >= core.LOW_BALANCE or deposited is None
                                 or (self.today - deposited).days >= lead):
                plan.extra["counted_balance"] = counted
                out.append(plan)
        return out

    def counted_balance(self, person: core.PersonRef, ask_on: date, lead: int) -> float:
        """The give/ask balance that counts for an ask on ``ask_on``: gives made less than ``lead`` days
        before it (or after it) do not count yet."""
        since = ask_on - timedelta(days=lead - 1) if lead > 0 else ask_on + timedelta(days=1)
        if since > self.today:
            return person.balance
        cat = self.catalog()
        recent = 0.0
        for r in self._rows("touches_since", person=person.id, since=since):
            action = cat.get(r.action)
            if action is not None and not occ.is_withdrawal(action):
                recent += replace(action, weight=r.weight).balance_delta / max(r.people, 1)
        return person.balance - recent

    def library(self, limit: int) -> list[core.Occasion]:
        """Today's library suggestions: the best stored matches, one per person and per resource.

        Reads ``resource_matches`` by the (owner, score) index, joined to the people it names; pairs
        already shared are skipped by the shares index; nobody touched in the last week gets reading on top.
        """
        rows = self._rows("library", min_score=corelib.MIN_SCORE,
                          recent=self.today - timedelta(days=corelib.RECENT_DAYS),
                          limit=max(limit, corelib.LIBRARY_PER_DAY * 10))
        out: list[core.Occasion] = []
        people: set[int] = set()
        resources: set[int] = set()
        for r in rows:
            if (r.id in people or r.resource_id in resources
                    or occ.occasion_id("library", r.id, r.resource_id) in self.done()):
                continue
            people.add(r.id)
            resources.add(r.resource_id)
            note = corelib.reason(corelib.label(r.kind, r.title),
                                  call_name(r.name, r.given_name, r.nickname), r.because)
            o = core.Occasion(self._ref(r), "library", self.today, action="recommend", note=note,
                              extra={"resource_id": r.resource_id,
                                     "priority": min(78, 50 + round(r.score * 60))},
                              key=str(r.resource_id))
            out.append(o)
            if len(out) >= corelib.LIBRARY_PER_DAY:
                break
        return out

    def news(self, limit: int) -> list[core.Occasion]:
        """People in the news lately (mentions found in the last few days, not dismissed), one per
        person, by the ``mentions`` (owner, found_on) index; a done or dismissed mention never returns."""
        since = self.today - timedelta(days=occ.NEWS_DAYS)
        out: list[core.Occasion] = []
        people: set[int] = set()
        for r in self._rows("news", since=since, limit=limit):
            key = str(r.mention_id)
            if r.id in people or occ.occasion_id("news", r.id, key) in self.done():
                continue
            people.add(r.id)
            out.append(core.Occasion(self._ref(r), "news", r.found_on, key=key, ref_id=r.mention_id,
                                     note=core.news_reason(r.title, r.source, r.published or r.found_on),
                                     extra={"good_news": bool(r.good_news), "link": r.link}))
        return out

    def build(self, *, days: int = 7, minutes: int | None = None, limit: int = 15) -> core.Agenda:
        """Today's agenda, from what is stored now (circles, catalog and settings are read afresh)."""
        self._circles = self._circle_names = self._catalog = self._settings = self._done = None
        if not getattr(self.run, "reads_ahead", False):  # a runner that sends statements together
            return self._compose(days, minutes, limit)
        try:
            self._read_ahead(self.run.prefetch, days, minutes, limit)  # type: ignore[attr-defined]
            return self._compose(days, minutes, limit)
        finally:
            self.run.forget()  # type: ignore[attr-defined]

    # what the agenda's other reads depend on: read first
    _FIRST = ("catalog", "settings", "circles", "person_rhythms")

    def _read_ahead(self, prefetch: Any, days: int, minutes: int | None, limit: int) -> None:
        """Ask for every read of the build in two round trips instead of about twenty: the owner's
        catalog, settings and rhythms, then all the rest, found by composing the agenda once on no rows
        (which reads it makes depends only on those first four and the day)."""
        prefetch([(name, {"owner": self.owner}) for name in self._FIRST])
        real, calls = self.run, []

        def record(name: str, **params: Any) -> Any:
            if name in self._FIRST:
                return real(name, **params)
            calls.append((name, params))
            return []

        self.run = record
        try:
            self._compose(days, minutes, limit)
            self.done()  # asked for as soon as there is any occasion (none, on no rows)
        finally:
            self.run = real
            self._done = None  # read as empty just now
        prefetch(calls)

    def _compose(self, days: int, minutes: int | None, limit: int) -> core.Agenda:
        cat = self.catalog()
        intros_per_day = int(self.setting("intros_per_day"))
        want = max(limit, 15) * 2
        occasions = (self.birthdays(days, want) + self.events(days) + self.thanks(want) + self.plans(days)
                     + self.library(want) + self.news(want))
        items, left_out = core.plan_day(self.today, self.overdue(want), self.intros(intros_per_day),
                                        occasions, cat, minutes=minutes, limit=limit,
                                        intros_per_day=intros_per_day)
        goal = int(self.setting("weekly_goal"))
        weeks = reads.weekly_counts(self.run, self.owner, self.today)
        monday = monday_of(self.today)
        return core.Agenda(self.today, items, week_touches=weeks.get(monday, 0), weekly_goal=goal,
                           streak_weeks=core.streak(weeks, monday, goal), budget_minutes=minutes,
                           left_out=left_out)
