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
from keepwarm.core.actions import ASK, Action
from keepwarm.core.birthdays import Birthday

TRIGGERS = ("cadence", "birthday", "life_event", "thanks", "reciprocity", "library")
INTROS_PER_DAY = 3
LOW_BALANCE = 3.0  # a planned ask to someone below this balance wants a deposit first

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
    """A dated reason to reach out that the store found: a birthday, event, owed thanks or plan."""

    person: PersonRef
    kind: str  # birthday | life_event | thanks | plan | library
    on: date
    birthday: Birthday | None = None
    event: life.LifeEvent | None = None
    action: str | None = None
    note: str | None = None
    ref_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


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

    def to_json(self) -> dict[str, Any]:
        """The stable JSON shape of ``today --json`` and the API."""
        out: dict[str, Any] = {
            "person": {"id": self.person.id, "name": self.person.name},
            "action": self.action,
            "trigger": self.trigger,
            "reasons": list(self.reasons),
            "priority": self.priority,
            "minutes": self.minutes,
        }
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

    @property
    def minutes(self) -> int:
        return sum(i.minutes for i in self.items)


def _cadence_item(p: PersonRef, today: date, intro: bool) -> Suggestion:
    ref = p.last_touch or p.since or today
    days_since = (today - ref).days
    overdue = days_since - p.every_days
    if intro:
        met = f" since {p.since.isoformat()}" if p.since else ""
        # stronger signals (a way to reach them, shared interests, a note) rank a newcomer higher
        return Suggestion(p, "", "cadence", [f"new in your network{met}: say hello"],
                          40 + min(p.intro_score // 10, 9), 0, days_overdue=max(overdue, 0))
    ratio = days_since / p.every_days
    bonus = {"inner": 8, "close": 4}.get(p.circle or "", 0)
    priority = int(min(80, 40 + 20 * (ratio - 1)) + bonus)
    reason = (f"overdue by {overdue} days ({ratio:.1f}× your {p.every_days}-day rhythm; "
              f"last touch {ref.isoformat()})" if overdue > 0 else
              f"due today (every {p.every_days} days; last touch {ref.isoformat()})")
    reasons = [reason]
    if p.balance <= -LOW_BALANCE:
        reasons.append(f"you have asked more than you gave (balance {p.balance:+.1f}): make a deposit")
    return Suggestion(p, "", "cadence", reasons, priority, 0, days_overdue=overdue)


def _birthday_item(o: Occasion, today: date) -> Suggestion:
    n = (o.on - today).days
    bday = o.birthday
    age = bday.age_on(o.on) if bday else None
    turning = f", turning {age}" if age else ""
    when = "today" if n == 0 else ("tomorrow" if n == 1 else f"in {n} days ({o.on.isoformat()})")
    return Suggestion(o.person, "birthday", "birthday", [f"birthday {when}{turning}"], 97 - 2 * n, 0)


def _event_item(o: Occasion, today: date) -> Suggestion:
    assert o.event is not None
    rule = life.RULES[o.event.kind]
    n = abs((o.event.on - today).days)
    return Suggestion(o.person, life.action(o.event, today), "life_event", [life.reason(o.event, today)],
                      max(rule.priority - n // 3, 50), 0, extra={"event_id": o.ref_id})


def _thanks_item(o: Occasion, today: date) -> Suggestion:
    days = (today - o.on).days
    what = f" ({o.note})" if o.note else ""
    return Suggestion(o.person, "thanks", "thanks",
                      [f"they did you a favour on {o.on.isoformat()}{what}: a thank-you is owed"],
                      min(95, 80 + days // 2), 0)


def _plan_item(o: Occasion, today: date, catalog: dict[str, Action]) -> Suggestion:
    action = catalog.get(o.action or "")
    what = f" ({o.note})" if o.note else ""
    n = (o.on - today).days
    when = "today" if n == 0 else (f"in {n} days" if n > 0 else f"{-n} days ago")
    if action is not None and action.kind == ASK:
        if o.person.balance < LOW_BALANCE:
            return Suggestion(o.person, "", "reciprocity",
                              [f"you plan to ask a favour on {o.on.isoformat()} ({when}){what}; your "
                               f"give/ask balance is {o.person.balance:+.1f}: make a deposit first"],
                              82, 0, extra={"plan_id": o.ref_id})
        return Suggestion(o.person, o.action or "ask", "reciprocity",
                          [f"planned ask {when}{what}; balance {o.person.balance:+.1f} is healthy"],
                          70, 0, extra={"plan_id": o.ref_id})
    return Suggestion(o.person, o.action or "message", "cadence",
                      [f"you planned this for {o.on.isoformat()} ({when}){what}"], 80 if n <= 0 else 65, 0,
                      days_overdue=max(-n, 0), extra={"plan_id": o.ref_id})


def _library_item(o: Occasion, today: date) -> Suggestion:
    return Suggestion(o.person, o.action or "recommend", "library",
                      [o.note or "a resource in your library matches their interests"],
                      int(o.extra.pop("priority", 55)), 0, extra=dict(o.extra))


def _occasion_item(o: Occasion, today: date, catalog: dict[str, Action]) -> Suggestion:
    if o.kind == "birthday":
        return _birthday_item(o, today)
    if o.kind == "life_event":
        return _event_item(o, today)
    if o.kind == "thanks":
        return _thanks_item(o, today)
    if o.kind == "plan":
        return _plan_item(o, today, catalog)
    return _library_item(o, today)


def _merge(items: list[Suggestion]) -> list[Suggestion]:
    """One suggestion per person: the strongest reason leads, the others add to it."""
    by_person: dict[int, Suggestion] = {}
    # on equal priority a dated occasion leads over a cadence reminder
    for item in sorted(items, key=lambda s: (-s.priority, s.trigger == "cadence")):
        first = by_person.get(item.person.id)
        if first is None:
            by_person[item.person.id] = item
            continue
        first.reasons.extend(item.reasons)
        first.priority = min(100, first.priority + 3)
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


def fit_budget(items: list[Suggestion], minutes: int) -> list[Suggestion]:
    """The set of suggestions with the highest total priority that fits in ``minutes`` (0/1 knapsack)."""
    best: list[tuple[int, list[int]]] = [(0, [])] * (minutes + 1)
    for idx, item in enumerate(items):
        cost = max(item.minutes, 0)
        for m in range(minutes, cost - 1, -1):
            value = best[m - cost][0] + item.priority
            if value > best[m][0]:
                best[m] = (value, best[m - cost][1] + [idx])
    chosen = max(best, key=lambda b: b[0])[1]
    return [items[i] for i in sorted(chosen)]


def build(today: date, overdue: list[PersonRef], intros: list[PersonRef], occasions: list[Occasion],
          catalog: dict[str, Action], *, minutes: int | None = None, limit: int = 15,
          intros_per_day: int = INTROS_PER_DAY) -> list[Suggestion]:
    """Rank and shape today's suggestions from the store's candidates."""
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
    if minutes is not None:
        return fit_budget(merged[: max(limit * 4, 60)], minutes)[:limit]
    return merged[:limit]


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
