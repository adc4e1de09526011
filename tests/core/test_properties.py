"""Property tests of the pure core: parsing, birthdays, windows, strength and the agenda's invariants.

Each property is checked against a brute-force or direct computation, not against the code's own helpers.
"""

from __future__ import annotations

import contextlib
import itertools
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from keepwarm.core import strength
from keepwarm.core.actions import BUILTIN_ACTIONS
from keepwarm.core.agenda import TRIGGERS, Occasion, PersonRef, Suggestion, build, fit_budget, streak
from keepwarm.core.birthdays import Birthday, mmdd_windows
from keepwarm.core.circles import DEFAULT_CIRCLES
from keepwarm.core.dates import is_leap, parse_date, parse_duration
from keepwarm.core.events import KINDS as EVENT_KINDS
from keepwarm.core.events import LifeEvent
from keepwarm.errors import InvalidInputError

TODAY = date(2026, 11, 25)
CATALOG = {a.name: a for a in BUILTIN_ACTIONS}
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- text that looks like what people type, and text that does not --------------------------------------
_units = st.sampled_from(["d", "w", "m", "y", "day", "days", "week", "weeks", "month", "months", "year",
                          "years", "x", "", "fortnight"])
_small = st.integers(min_value=-50, max_value=1000)  # far dates have a test of their own
_typed = st.one_of(
    st.text(max_size=40),
    st.builds(lambda n, u: f"{n}{u}", _small, _units),
    st.builds(lambda n, u: f"{n} {u} ago", _small, _units),
    st.builds(lambda n, u: f"in {n} {u}", _small, _units),
    st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(0, 9999), st.integers(0, 13),
              st.integers(0, 32)),
    st.sampled_from(["today", "Yesterday", " tomorrow ", "2026-02-30", "2026-13-01", "--02-29", "",
                     "\x00", "٣ days ago", "3\u00a0days ago", "in ٢ weeks"]),
)


@FAST
@given(_typed)
def test_parse_date_raises_nothing_but_invalid_input_on_typed_text(text):
    try:
        result = parse_date(text, TODAY)
    except InvalidInputError:
        return
    assert isinstance(result, date)


@FAST
@given(_typed)
def test_parse_duration_raises_nothing_but_invalid_input_and_is_positive(text):
    try:
        days = parse_duration(text)
    except InvalidInputError:
        return
    assert 0 < days <= 365 * 20


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["days", "weeks", "years"]),
       st.sampled_from(["in {n} {u}", "{n} {u} ago"]))
@example(99_999_999, "days", "in {n} {u}")
def test_relative_dates_of_any_size_raise_only_invalid_input(n, unit, form):
    with contextlib.suppress(InvalidInputError):
        parse_date(form.format(n=n, u=unit), TODAY)


@pytest.mark.parametrize("text", ["1" * 5000 + "d", "1" * 5000 + " days ago"])
def test_absurdly_long_numbers_are_invalid_input(text):
    with pytest.raises(InvalidInputError):
        parse_duration(text) if text.endswith("d") else parse_date(text, TODAY)


# -- birthdays -------------------------------------------------------------------------------------------
_any_day = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))


@FAST
@given(_any_day, st.booleans())
@example(date(2000, 2, 29), True)
@example(date(2000, 2, 29), False)
@example(date(1904, 2, 29), True)
def test_a_birthday_survives_iso_and_parse(day, with_year):
    b = Birthday(day.month, day.day, day.year if with_year else None)
    again = Birthday.parse(b.iso())
    assert again == b
    assert again.iso() == b.iso()


@FAST
@given(st.text(max_size=20))
@example("2026-02-30")
@example("2025-02-29")
@example("--02-30")
@example("13-01")
@example("0000-01-01")
def test_birthday_parse_raises_nothing_but_invalid_input(text):
    try:
        b = Birthday.parse(text)
    except InvalidInputError:
        return
    assert date(b.year or 2000, b.month, b.day)


@FAST
@given(st.integers(1900, 2400))
def test_a_29_february_birthday_is_on_28_february_in_common_years(year):
    celebrated = Birthday(2, 29).in_year(year)
    assert celebrated == (date(year, 2, 29) if is_leap(year) else date(year, 2, 28))


@FAST
@given(st.dates(min_value=date(1999, 1, 1), max_value=date(2031, 12, 31)),
       st.sampled_from([(2, 29), (2, 28), (3, 1), (1, 1), (12, 31)]))
def test_next_celebration_is_the_first_on_or_after_today(today, md):
    b = Birthday(*md)
    nxt = b.next_on_or_after(today)
    assert nxt >= today
    # brute force: walk day by day until a day is this birthday's celebration
    day = today
    while day != b.in_year(day.year):
        day += timedelta(days=1)
    assert nxt == day


def _brute_mmdd(today: date, days: int) -> set[int]:
    """Every mmdd celebrated from today to today+days, day by day (29 Feb on 28 Feb in common years)."""
    out: set[int] = set()
    for k in range(days + 1):
        d = today + timedelta(days=k)
        out.add(d.month * 100 + d.day)
        if (d.month, d.day) == (2, 28) and not is_leap(d.year):
            out.add(229)
    return out


_ALL_MMDD = sorted({d.month * 100 + d.day for d in (date(2000, 1, 1) + timedelta(k) for k in range(366))})


def _covered(windows: list[tuple[int, int]]) -> set[int]:
    return {m for m in _ALL_MMDD if any(lo <= m <= hi for lo, hi in windows)}


@FAST
@given(st.dates(min_value=date(1999, 1, 1), max_value=date(2031, 12, 31)), st.integers(0, 60))
@example(date(2027, 2, 27), 1)  # common year, window ends on 28 Feb
@example(date(2028, 2, 28), 0)  # leap year: 29 Feb is its own day
@example(date(2026, 12, 29), 7)  # across new year
@example(date(2027, 12, 31), 60)  # across new year into a leap February
def test_mmdd_windows_cover_exactly_the_days_a_brute_force_walk_finds(today, days):
    assert _covered(mmdd_windows(today, days)) == _brute_mmdd(today, days)


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=date(1999, 1, 1), max_value=date(2031, 12, 31)), st.integers(300, 800))
@example(date(2026, 12, 30), 400)
def test_mmdd_windows_of_long_spans_match_the_brute_force_walk(today, days):
    assert _covered(mmdd_windows(today, days)) == _brute_mmdd(today, days)


# -- strength --------------------------------------------------------------------------------------------
_touch = st.tuples(st.dates(min_value=date(2000, 1, 1), max_value=TODAY),
                   st.sampled_from(sorted({a.weight for a in BUILTIN_ACTIONS})))


@FAST
@given(st.lists(_touch, max_size=30), st.integers(45, 3650),
       st.dates(min_value=TODAY, max_value=date(2030, 12, 31)))
def test_the_stored_base_gives_the_same_sum_as_adding_every_touch(touches, half_life, day):
    base = sum(strength.base_term(w, d, half_life) for d, w in touches)
    direct = sum(w * 2.0 ** (-(day - d).days / half_life) for d, w in touches)
    assert strength.decayed_sum(base, day, half_life) == pytest.approx(direct, rel=1e-9, abs=1e-12)
    assert strength.score(strength.decayed_sum(base, day, half_life)) == pytest.approx(
        strength.strength_on(touches, day, half_life), abs=0.1)


@FAST
@given(st.lists(_touch, max_size=30), st.integers(45, 3650))
def test_strength_stays_between_0_and_100(touches, half_life):
    assert 0.0 <= strength.strength_on(touches, TODAY, half_life) <= 100.0


@pytest.mark.parametrize("on", [TODAY, date(2120, 1, 1)])
def test_the_stored_base_does_not_overflow_for_allowed_half_lives(on):
    base = strength.base_term(5.0, on, strength.MIN_HALF_LIFE)
    assert strength.decayed_sum(base, on, strength.MIN_HALF_LIFE) == pytest.approx(5.0)


def test_a_half_life_too_short_for_the_date_is_a_clear_error():
    from keepwarm.errors import ConfigError

    with pytest.raises(ConfigError, match="too short"):
        strength.base_term(5.0, TODAY, 7)


# -- the agenda ------------------------------------------------------------------------------------------
_CIRCLES = [c.name for c in DEFAULT_CIRCLES]
_ACTIONS = sorted(CATALOG)


@st.composite
def agenda_inputs(draw):  # type: ignore[no-untyped-def]
    n = draw(st.integers(0, 25))
    people = []
    for pid in range(1, n + 1):
        every = draw(st.sampled_from([21, 42, 90, 182, 365, 30, 7]))
        touched = draw(st.booleans())
        last = TODAY - timedelta(days=draw(st.integers(every, every * 4))) if touched else None
        people.append(PersonRef(
            pid, draw(st.sampled_from(["Ann", "Ben", "Cleo", f"P{pid}"])), draw(st.sampled_from(_CIRCLES)),
            every, last, draw(st.sampled_from([None, *_ACTIONS])) if touched else None,
            since=TODAY - timedelta(days=draw(st.integers(0, 900))),
            balance=draw(st.floats(-20, 20, allow_nan=False)), intro_score=draw(st.integers(0, 120))))
    overdue = [p for p in people if p.last_touch is not None]
    intros = [p for p in people if p.last_touch is None]
    occasions = []
    for p in people:
        for kind in draw(st.lists(st.sampled_from(["birthday", "life_event", "thanks", "plan"]), max_size=2)):
            if kind == "birthday":
                on = TODAY + timedelta(days=draw(st.integers(0, 14)))
                occasions.append(Occasion(p, kind, on, birthday=Birthday(on.month, on.day)))
            elif kind == "life_event":
                on = TODAY + timedelta(days=draw(st.integers(-20, 20)))
                ev = LifeEvent(p.id, draw(st.sampled_from(EVENT_KINDS)), on, "note", id=p.id * 10)
                occasions.append(Occasion(p, kind, on, event=ev, ref_id=ev.id))
            elif kind == "thanks":
                occasions.append(Occasion(p, kind, TODAY - timedelta(days=draw(st.integers(0, 60)))))
            else:
                on = TODAY + timedelta(days=draw(st.integers(-10, 14)))
                occasions.append(Occasion(p, kind, on, action=draw(st.sampled_from(_ACTIONS)), ref_id=p.id))
    return overdue, intros, occasions


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(agenda_inputs(), st.one_of(st.none(), st.integers(1, 120)), st.integers(1, 30), st.integers(0, 5))
def test_the_agenda_keeps_its_promises(inputs, minutes, limit, intros_per_day):
    overdue, intros, occasions = inputs
    items = build(TODAY, overdue, intros, occasions, CATALOG, minutes=minutes, limit=limit,
                  intros_per_day=intros_per_day)
    ids = [i.person.id for i in items]
    assert len(ids) == len(set(ids)), "one suggestion per person"
    assert [i.priority for i in items] == sorted((i.priority for i in items), reverse=True)
    if minutes is None:
        assert len(items) <= limit
    else:
        assert sum(i.minutes for i in items) <= minutes
    never_touched = {p.id for p in intros}
    assert len([i for i in items if i.person.id in never_touched and i.trigger == "cadence"
                and len(i.reasons) == 1 and "say hello" in i.reasons[0]]) <= intros_per_day
    for item in items:
        assert item.trigger in TRIGGERS
        assert item.action in CATALOG, item
        assert item.reasons and all(isinstance(r, str) and r for r in item.reasons)
        data = item.to_json()
        assert set(data) >= {"person", "action", "reasons", "priority", "trigger"}
        assert set(data["person"]) >= {"id", "name"}
        if item.trigger == "cadence":
            assert type(data["days_overdue"]) is int and data["days_overdue"] >= 0


def _item(pid: int, priority: int, minutes: int) -> Suggestion:
    return Suggestion(PersonRef(pid, f"P{pid}"), "message", "cadence", ["r"], priority, minutes,
                      days_overdue=0)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 100), st.integers(0, 40)), max_size=9), st.integers(0, 90))
def test_fit_budget_is_optimal_against_trying_every_subset(pairs, budget):
    items = [_item(i, p, m) for i, (p, m) in enumerate(pairs)]
    chosen, left = fit_budget(items, budget)
    assert sorted(map(id, chosen + left)) == sorted(map(id, items))
    assert sum(i.minutes for i in chosen) <= budget
    assert len({id(i) for i in chosen}) == len(chosen)
    best = 0
    for r in range(len(items) + 1):
        for subset in itertools.combinations(items, r):
            if sum(i.minutes for i in subset) <= budget:
                best = max(best, sum(i.priority for i in subset))
    assert sum(i.priority for i in chosen) == best


@settings(max_examples=100, deadline=None)
@given(agenda_inputs())
def test_a_budget_picks_no_worse_a_set_than_the_plain_agenda_would_by_greedy_filling(inputs):
    overdue, intros, occasions = inputs
    budget = 30
    planned = build(TODAY, overdue, intros, occasions, CATALOG, limit=60)
    fitted = build(TODAY, overdue, intros, occasions, CATALOG, minutes=budget, limit=15)
    greedy, used = [], 0
    for item in planned:
        if used + item.minutes <= budget:
            greedy.append(item)
            used += item.minutes
    assume(planned)
    if not any(i.time_bound for i in planned):  # time-bound occasions come first, by design
        assert sum(i.priority for i in fitted) >= sum(i.priority for i in greedy)
    # a time-bound occasion is left out only when it did not fit beside the stronger time-bound ones
    kept = {i.person.id for i in fitted}
    room = budget
    for item in sorted((i for i in planned if i.time_bound), key=lambda i: -i.priority):
        if item.minutes <= room:
            assert item.person.id in kept or len(fitted) == 15, item
            room -= item.minutes


def test_the_streak_ends_when_the_weekly_goal_is_zero():
    assert streak({date(2026, 11, 23): 2}, date(2026, 11, 23), 0) == 0
