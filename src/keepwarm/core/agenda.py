"""The daily agenda: who to reach out to today, with which micro-action, and why.

The store hands over small lists of candidates it found through indexes (overdue by cadence, birthdays in
the window, life events, thank-yous owed, planned touches, library matches); this module ranks them, picks
a fitting and varied action for each, merges several reasons for one person into one suggestion, and fits
the result into a daily time budget.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from keepwarm.core import events as life
from keepwarm.core import occasions as occ
from keepwarm.core.actions import ASK, Action
from keepwarm.core.birthdays import Birthday
from keepwarm.core.dates import format_day, format_days

TRIGGERS = ("cadence", "birthday", "life_event", "thanks", "reciprocity", "library", "news")
INTROS_PER_DAY = 3
LOW_BALANCE = 3.0  # a planned ask to someone below this balance wants a deposit first
LONG_KNOWN_DAYS = 90  # a never-contacted person known longer than this is an old connection, not a new one

# Which actions suit a circle, closest first; the agenda varies among them.
_CIRCLE_ACTIONS = {
    "inner": ("call", "coffee", "message", "video", "gift"),
    "close": ("coffee", "video", "message", "call", "recommend"),
    "active": ("message", "video", "comment", "recommend", "call"),
    "warm": ("comment", "message", "share", "recommend", "like"),
    "occasional": ("like", "comment", "message", "share"),
}
_INTRO_ACTIONS = ("message", "comment", "like")
_DEPOSITS = ("recommend", "thanks", "intro", "coffee")


@dataclass
class PersonRef:
    """What the agenda needs to know of a person."""

    id: int
    name: str
    circle: str | None = None
    every_days: int = 182
    last_touch: date | None = None
    last_action: str | None = None
    since: date | None = None  # when they joined the network (met or added), for never-touched people
    balance: float = 0.0
    intro_score: int = 0


@dataclass
class Occasion:
    """A dated reason to reach out that the store found: a birthday, event, owed thanks, plan, a deposit
    before a planned ask, a library match or a news mention. ``key`` makes its id stable (see
    :mod:`keepwarm.core.occasions`)."""

    person: PersonRef
    kind: str  # birthday | life_event | thanks | plan | deposit | library | news
    on: date
    birthday: Birthday | None = None
    event: life.LifeEvent | None = None
    action: str | None = None
    note: str | None = None
    ref_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    key: str = ""

    def ref(self) -> occ.Occasion:
        """The occasion as :mod:`keepwarm.core.occasions` knows it: kind, person, day and stable key."""
        key = self.key or (str(self.ref_id) if self.ref_id is not None else self.on.isoformat())
        return occ.Occasion(self.kind, self.person.id, self.on, key,
                            event_kind=self.event.kind if self.event else None, action=self.action)

    @property
    def id(self) -> str:
        return self.ref().id


@dataclass
class Suggestion:
    """One line of the agenda."""

    person: PersonRef
    action: str
    trigger: str
    reasons: list[str]
    priority: int
    minutes: int
    days_overdue: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    occasion: occ.Occasion | None = None  # what acting on this suggestion is for (the leading reason's)
    time_bound: bool = False  # a birthday today, thanks owed, a move within a week, a deposit before an ask
    duration: int = 0  # how long the touch itself lasts once it happens (minutes)

    def to_json(self) -> dict[str, Any]:
        """The stable JSON shape of ``today --json`` and the API."""
        out: dict[str, Any] = {
            "person": {"id": self.person.id, "name": self.person.name},
            "action": self.action,
            "trigger": self.trigger,
            "reasons": list(self.reasons),
            "priority": self.priority,
            "minutes": self.minutes,
            "duration": self.duration,
            "time_bound": self.time_bound,
        }
        if self.occasion is not None:
            out["occasion"] = self.occasion.to_json()
        if self.trigger == "cadence":
            out["days_overdue"] = self.days_overdue
        out.update(self.extra)
        return out


@dataclass
class Agenda:
    """Today's suggestions with the week's progress."""

    today: date
    items: list[Suggestion]
    week_touches: int = 0
    weekly_goal: int = 5
    streak_weeks: int = 0
    budget_minutes: int | None = None
    left_out: list[Suggestion] = field(default_factory=list)  # what did not fit the time budget

    @property
    def minutes(self) -> int:
        return sum(i.minutes for i in self.items)


def _cadence_item(p: PersonRef, today: date, intro: bool) -> Suggestion:
    ref = p.last_touch or p.since or today
    days_since = (today - ref).days
    overdue = days_since - p.every_days
    if intro:
        since = p.since or today
        if (today - since).days > LONG_KNOWN_DAYS:
            line = f"connected since {since.year}, never contacted here: say hello"
        else:
            line = f"new in your network since {format_day(since, today)}: say hello"
        # stronger signals (a way to reach them, shared interests, a note) rank a newcomer higher
        return Suggestion(p, "", "cadence", [line], 40 + min(p.intro_score // 10, 9), 0,
                          days_overdue=max(overdue, 0),
                          occasion=occ.Occasion("intro", p.id, since, "new"))
    ratio = days_since / p.every_days
    bonus = {"inner": 8, "close": 4}.get(p.circle or "", 0)
    priority = int(min(80, 40 + 20 * (ratio - 1)) + bonus)
    rhythm = format_days(p.every_days)
    reason = (f"overdue by {overdue} days ({ratio:.1f}× your {rhythm} rhythm; "
              f"last touch {format_day(ref, today)})" if overdue > 0 else
              f"due today (every {rhythm}; last touch {format_day(ref, today)})")
    reasons = [reason]
    if p.balance <= -LOW_BALANCE:
        reasons.append(f"you have asked more than you gave (balance {p.balance:+.1f}): make a deposit")
    due = ref + timedelta(days=p.every_days)
    return Suggestion(p, "", "cadence", reasons, priority, 0, days_overdue=overdue,
                      occasion=occ.Occasion("cadence", p.id, due, due.isoformat()))


def _birthday_item(o: Occasion, today: date) -> Suggestion:
    n = (o.on - today).days
    bday = o.birthday
    age = bday.age_on(o.on) if bday else None
    turning = f", turning {age}" if age else ""
    if n < 0:
        when = "was yesterday" if n == -1 else f"was {-n} days ago ({format_day(o.on, today)})"
        return Suggestion(o.person, "birthday", "birthday", [f"birthday {when}{turning}: a belated note"],
                          90 + n, 0, time_bound=True)
    when = "today" if n == 0 else ("tomorrow" if n == 1 else f"in {n} days ({format_day(o.on, today)})")
    return Suggestion(o.person, "birthday", "birthday", [f"birthday {when}{turning}"], 97 - 2 * n, 0,
                      time_bound=n <= 1)


def _event_item(o: Occasion, today: date) -> Suggestion:
    assert o.event is not None
    rule = life.RULES[o.event.kind]
    n = abs((o.event.on - today).days)
    ahead = (o.event.on - today).days
    bound = o.event.kind == "loss" or (o.event.kind == "moving" and 0 <= ahead <= 7)
    return Suggestion(o.person, life.action(o.event, today), "life_event", [life.reason(o.event, today)],
                      max(rule.priority - n // 3, 50), 0, extra={"event_id": o.ref_id}, time_bound=bound)


def _thanks_item(o: Occasion, today: date) -> Suggestion:
    days = (today - o.on).days
    return Suggestion(o.person, "thanks", "thanks",
                      [f"they did you a favour on {format_day(o.on, today)}: a thank-you is owed"],
                      min(95, 80 + days // 2), 0, time_bound=True)


def _when(n: int) -> str:
    return "today" if n == 0 else (f"in {n} days" if n > 0 else f"{-n} days ago")


def _plan_item(o: Occasion, today: date, catalog: dict[str, Action]) -> Suggestion:
    action = catalog.get(o.action or "")
    n = (o.on - today).days
    on = format_day(o.on, today)
    if o.kind == "deposit":
        return Suggestion(o.person, "", "reciprocity",
                          [f"you plan to ask a favour on {on} ({_when(n)}); your give/ask balance is "
                           f"{o.person.balance:+.1f}: make a deposit first"],
                          82, 0, extra={"plan_id": o.ref_id}, time_bound=True)
    if action is not None and action.kind == ASK:
        counted = float(o.extra.get("counted_balance", o.person.balance))
        state = "healthy" if counted >= LOW_BALANCE else "still low: ask lightly"
        return Suggestion(o.person, o.action or "ask", "reciprocity",
                          [f"planned ask {_when(n)} ({on}); balance {counted:+.1f} is {state}"],
                          70, 0, extra={"plan_id": o.ref_id})
    return Suggestion(o.person, o.action or "message", "cadence",
                      [f"you planned this for {on} ({_when(n)})"], 80 if n <= 0 else 65, 0,
                      days_overdue=max(-n, 0), extra={"plan_id": o.ref_id})


def _library_item(o: Occasion, today: date) -> Suggestion:
    return Suggestion(o.person, o.action or "recommend", "library",
                      [o.note or "a resource in your library matches their interests"],
                      int(o.extra.pop("priority", 55)), 0, extra=dict(o.extra))


def news_reason(title: str, source: str | None, on: date) -> str:
    """``in the news: *Title* (Source, 12 March)``."""
    where = f"{source}, {format_day(on)}" if source else format_day(on)
    return f"in the news: *{title}* ({where})"


def _news_item(o: Occasion, today: date) -> Suggestion:
    """Good news (a new role, an award, a launch) asks for congratulations; other news for a call to the
    closest circles and a message to the rest."""
    good = bool(o.extra.get("good_news"))
    action = "congrats" if good else ("call" if o.person.circle in ("inner", "close") else "message")
    age = max((today - o.on).days, 0)
    return Suggestion(o.person, action, "news", [o.note or "in the news"], (76 if good else 66) - age, 0,
                      extra={"mention_id": o.ref_id, "link": o.extra.get("link")})


def _occasion_item(o: Occasion, today: date, catalog: dict[str, Action]) -> Suggestion:
    item = _occasion_item_of(o, today, catalog)
    item.occasion = o.ref()
    return item


def _occasion_item_of(o: Occasion, today: date, catalog: dict[str, Action]) -> Suggestion:
    if o.kind == "birthday":
        return _birthday_item(o, today)
    if o.kind == "life_event":
        return _event_item(o, today)
    if o.kind == "thanks":
        return _thanks_item(o, today)
    if o.kind in ("plan", "deposit"):
        return _plan_item(o, today, catalog)
    if o.kind == "news":
        return _news_item(o, today)
    return _library_item(o, today)


def _merge(items: list[Suggestion]) -> list[Suggestion]:
    """One suggestion per person: a dated occasion leads (acting on it also keeps the rhythm), the
    strongest first; the other reasons add to it. Another open occasion of the same person stays open and
    leads on a later day."""
    by_person: dict[int, Suggestion] = {}
    undated = {"cadence", "intro"}
    for item in sorted(items, key=lambda s: (s.occasion is None or s.occasion.kind in undated,
                                             -s.priority)):
        first = by_person.get(item.person.id)
        if first is None:
            by_person[item.person.id] = item
            continue
        first.reasons.extend(item.reasons)
        first.priority = min(100, max(first.priority, item.priority) + 3)
        if item.days_overdue is not None:  # the cadence's real figure wins over a plan's 0
            first.days_overdue = max(first.days_overdue or 0, item.days_overdue)
        for key, value in item.extra.items():
            first.extra.setdefault(key, value)
    return list(by_person.values())


def choose_action(item: Suggestion, catalog: dict[str, Action], used: Counter[str]) -> str:
    """A fitting action for a cadence or deposit item, varied across the day and from the last touch."""
    p = item.person
    if item.trigger == "reciprocity" or p.balance <= -LOW_BALANCE:
        options: tuple[str, ...] = _DEPOSITS
    elif p.last_touch is None:
        options = _INTRO_ACTIONS
    else:
        options = _CIRCLE_ACTIONS.get(p.circle or "warm", _CIRCLE_ACTIONS["warm"])
    available = [a for a in options if a in catalog] or sorted(catalog)
    fresh = [a for a in available if a != p.last_action] or available
    # the least used so far today wins; ties go to the most fitting (earliest listed)
    return min(fresh, key=lambda a: (used[a], fresh.index(a)))


def fit_budget(items: list[Suggestion], minutes: int) -> tuple[list[Suggestion], list[Suggestion]]:
    """What to do in ``minutes`` of effort today, and what is left out.

    Time-bound suggestions (a birthday today, thanks owed, a move within a week, a deposit before an ask)
    are taken first, strongest first, while they fit: none is ever dropped for a weaker one. The rest of
    the time goes to the set of other suggestions with the highest total priority (0/1 knapsack).
    """
    chosen: set[int] = set()
    left = minutes
    for idx, item in sorted(enumerate(items), key=lambda p: -p[1].priority):
        if item.time_bound and max(item.minutes, 0) <= left:
            chosen.add(idx)
            left -= max(item.minutes, 0)
    rest = [i for i, item in enumerate(items) if not item.time_bound]
    best: list[tuple[int, list[int]]] = [(0, [])] * (left + 1)
    for idx in rest:
        cost = max(items[idx].minutes, 0)
        for m in range(left, cost - 1, -1):
            value = best[m - cost][0] + items[idx].priority
            if value > best[m][0]:
                best[m] = (value, best[m - cost][1] + [idx])
    chosen.update(max(best, key=lambda b: b[0])[1])
    return ([item for i, item in enumerate(items) if i in chosen],
            [item for i, item in enumerate(items) if i not in chosen])


def build(today: date, overdue: list[PersonRef], intros: list[PersonRef], occasions: list[Occasion],
          catalog: dict[str, Action], *, minutes: int | None = None, limit: int = 15,
          intros_per_day: int = INTROS_PER_DAY) -> list[Suggestion]:
    """Rank and shape today's suggestions from the store's candidates (see :func:`plan_day`)."""
    return plan_day(today, overdue, intros, occasions, catalog, minutes=minutes, limit=limit,
                    intros_per_day=intros_per_day)[0]


def plan_day(today: date, overdue: list[PersonRef], intros: list[PersonRef], occasions: list[Occasion],
             catalog: dict[str, Action], *, minutes: int | None = None, limit: int = 15,
             intros_per_day: int = INTROS_PER_DAY) -> tuple[list[Suggestion], list[Suggestion]]:
    """Today's suggestions, and those that did not fit the time budget."""
    items = [_cadence_item(p, today, intro=False) for p in overdue]
    items += [_cadence_item(p, today, intro=True) for p in intros[:intros_per_day]]
    items += [_occasion_item(o, today, catalog) for o in occasions]
    merged = sorted(_merge(items), key=lambda s: (-s.priority, s.person.name, s.person.id))
    used: Counter[str] = Counter()
    for item in merged:
        if not item.action:
            item.action = choose_action(item, catalog, used)
        used[item.action] += 1
        action = catalog.get(item.action)
        item.minutes = action.minutes if action else 5
        item.duration = action.lasts if action else item.minutes
    if minutes is not None:
        shown, left_out = fit_budget(merged[: max(limit * 4, 60)], minutes)
        return shown[:limit], left_out + shown[limit:]
    return merged[:limit], []


def streak(weekly_counts: dict[date, int], this_monday: date, goal: int) -> int:
    """Consecutive weeks that met the goal, counting back from this week (or last, if this one is open)."""
    if goal <= 0:  # no goal, no streak to keep
        return 0
    monday = this_monday
    if weekly_counts.get(monday, 0) < goal:
        monday -= timedelta(days=7)
    weeks = 0
    while weekly_counts.get(monday, 0) >= goal:
        weeks += 1
        monday -= timedelta(days=7)
    return weeks
