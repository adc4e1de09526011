from collections import Counter
from datetime import date, timedelta

from keepwarm.core import agenda
from keepwarm.core.actions import BUILTIN_ACTIONS
from keepwarm.core.agenda import Occasion, PersonRef, Suggestion, build, choose_action, fit_budget, streak
from keepwarm.core.birthdays import Birthday
from keepwarm.core.events import LifeEvent

TODAY = date(2026, 11, 25)
CATALOG = {a.name: a for a in BUILTIN_ACTIONS}


def ref(pid, name=None, circle="warm", every=182, days_ago=200, last_action=None, balance=0.0):
    last = TODAY - timedelta(days=days_ago) if days_ago is not None else None
    return PersonRef(pid, name or f"P{pid}", circle, every, last, last_action, since=TODAY - timedelta(400),
                     balance=balance)


def test_overdue_items_rank_by_ratio_and_say_by_how_much():
    items = build(TODAY, [ref(1, every=182, days_ago=200), ref(2, every=21, days_ago=63)], [], [], CATALOG)
    assert [i.person.id for i in items] == [2, 1]
    assert items[0].days_overdue == 42 and "3.0×" in items[0].reasons[0]
    assert all(i.trigger == "cadence" for i in items)


def test_several_reasons_for_one_person_become_one_suggestion_led_by_the_strongest():
    p = ref(1, days_ago=190)
    bday = Occasion(p, "birthday", TODAY + timedelta(days=1), birthday=Birthday(11, 26, 1980))
    items = build(TODAY, [p], [], [bday], CATALOG)
    assert len(items) == 1
    assert items[0].trigger == "birthday" and items[0].action == "birthday"
    assert items[0].reasons[0] == "birthday tomorrow, turning 46"
    assert "overdue" in items[0].reasons[1]
    assert items[0].days_overdue == 8


def test_a_move_away_suggests_a_meetup_before_the_date():
    p = ref(3, days_ago=10)
    ev = LifeEvent(3, "moving", TODAY + timedelta(days=12), "to Seattle", id=9)
    [item] = build(TODAY, [], [], [Occasion(p, "life_event", ev.on, event=ev, ref_id=9)], CATALOG)
    assert (item.trigger, item.action) == ("life_event", "coffee")
    assert "moving away on 7 December (12 days)" in item.reasons[0]
    assert item.to_json()["event_id"] == 9


def test_a_loss_suggests_a_personal_note_first():
    p = ref(4, days_ago=10)
    ev = LifeEvent(4, "loss", TODAY - timedelta(days=2))
    birthday = Occasion(ref(5), "birthday", TODAY + timedelta(days=5), birthday=Birthday(11, 30))
    items = build(TODAY, [], [], [Occasion(p, "life_event", ev.on, event=ev), birthday], CATALOG)
    assert items[0].person.id == 4 and items[0].action == "message"


def test_a_deposit_before_a_planned_ask_suggests_a_give_and_is_time_bound():
    p = ref(6, balance=1.0, days_ago=20)
    deposit = Occasion(p, "deposit", TODAY + timedelta(days=10), ref_id=3)
    [item] = build(TODAY, [], [], [deposit], CATALOG)
    assert item.trigger == "reciprocity" and item.time_bound
    assert "make a deposit first" in item.reasons[0] and "5 December" in item.reasons[0]
    assert CATALOG[item.action].kind == "give"
    assert item.to_json()["occasion"] == {"id": "deposit:6:3", "kind": "deposit", "on": "2026-12-05"}


def test_a_planned_ask_with_a_healthy_balance_is_just_the_ask():
    p = ref(6, balance=12.0, days_ago=20)
    [item] = build(TODAY, [], [], [Occasion(p, "plan", TODAY, action="ask")], CATALOG)
    assert (item.trigger, item.action) == ("reciprocity", "ask")


def test_never_touched_people_are_introduced_a_few_a_day():
    fresh = [ref(100 + i, days_ago=None) for i in range(800)]
    items = build(TODAY, [], fresh, [], CATALOG, intros_per_day=3, limit=50)
    assert len(items) == 3
    assert all(i.reasons[0] == "connected since 2025, never contacted here: say hello" for i in items)
    assert {i.occasion.kind for i in items} == {"intro"}


def test_someone_added_lately_and_never_touched_is_new_not_an_old_connection():
    p = PersonRef(7, "Newbie", "warm", 182, None, since=TODAY - timedelta(days=5))
    [item] = build(TODAY, [], [p], [], CATALOG)
    assert item.reasons[0] == "new in your network since 20 November: say hello"


def test_actions_vary_across_the_day_and_avoid_repeating_the_last_one():
    people = [ref(i, circle="inner", every=21, days_ago=40 + i) for i in range(4)]
    items = build(TODAY, people, [], [], CATALOG)
    assert len({i.action for i in items}) == 4
    used: Counter[str] = Counter()
    item = Suggestion(ref(9, circle="inner", last_action="call"), "", "cadence", [], 50, 0)
    assert choose_action(item, CATALOG, used) != "call"


def test_the_budget_picks_the_most_valuable_set_that_fits():
    def s(pid, prio, minutes):
        return Suggestion(ref(pid), "x", "cadence", [], prio, minutes)

    chosen, left = fit_budget([s(1, 90, 60), s(2, 60, 10), s(3, 55, 5), s(4, 50, 5)], 20)
    assert [c.person.id for c in chosen] == [2, 3, 4] and [c.person.id for c in left] == [1]
    assert sum(c.minutes for c in chosen) <= 20


def test_the_budget_never_drops_a_time_bound_occasion_for_a_weaker_one():
    def s(pid, prio, minutes, bound=False):
        return Suggestion(ref(pid), "x", "cadence", [], prio, minutes, time_bound=bound)

    thanks, move = s(1, 82, 5, True), s(2, 83, 2, True)
    likes = [s(10 + i, 42, 1) for i in range(20)]
    chosen, left = fit_budget([thanks, move, *likes], 15)
    assert thanks in chosen and move in chosen
    assert len(chosen) == 2 + 8 and len(left) == 12


def test_effort_today_is_spent_not_the_length_of_the_meeting():
    p = ref(3, days_ago=10)
    ev = LifeEvent(3, "moving", TODAY + timedelta(days=5), id=9)
    likes = [ref(20 + i, circle="occasional", every=365, days_ago=500) for i in range(12)]
    ag = build(TODAY, likes, [], [Occasion(p, "life_event", ev.on, event=ev, ref_id=9)], CATALOG, minutes=15)
    coffee = next(i for i in ag if i.person.id == 3)
    assert coffee.action == "coffee" and coffee.minutes == 2 and coffee.duration == 60 and coffee.time_bound


def test_a_dated_occasion_leads_over_a_stronger_cadence_reminder():
    p = ref(1, circle="inner", every=21, days_ago=60)
    lib = Occasion(p, "library", TODAY, action="recommend", note="fits", extra={"priority": 55}, key="4")
    [item] = build(TODAY, [p], [], [lib], CATALOG)
    assert item.trigger == "library" and item.occasion.id == "library:1:4" and len(item.reasons) == 2


def test_build_with_minutes_respects_the_budget():
    people = [ref(i, circle="inner", every=21, days_ago=40 + i) for i in range(10)]
    items = build(TODAY, people, [], [], CATALOG, minutes=15)
    assert items and sum(i.minutes for i in items) <= 15


def test_json_items_carry_the_contract_fields():
    [item] = build(TODAY, [ref(1)], [], [], CATALOG)
    data = item.to_json()
    assert set(data) >= {"person", "action", "reasons", "priority", "trigger", "days_overdue", "occasion"}
    assert data["occasion"]["kind"] == "cadence" and data["occasion"]["id"].startswith("cadence:1:")
    assert data["person"] == {"id": 1, "name": "P1"} and data["trigger"] in agenda.TRIGGERS


def test_a_streak_counts_consecutive_weeks_that_met_the_goal():
    monday = date(2026, 11, 23)
    weeks = {monday: 2, monday - timedelta(7): 5, monday - timedelta(14): 6, monday - timedelta(21): 1}
    assert streak(weeks, monday, 5) == 2
    weeks[monday] = 5
    assert streak(weeks, monday, 5) == 3
