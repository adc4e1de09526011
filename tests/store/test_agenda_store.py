from datetime import date, timedelta

from keepwarm.core.birthdays import Birthday
from keepwarm.core.people import Person
from keepwarm.store.demo import load

TODAY = date(2026, 11, 25)


def _by_name(agenda):
    return {i.person.name: i for i in agenda.items}


def test_the_demo_network_shows_every_trigger(make_store):
    with make_store() as store:
        load(store)
    with make_store() as store:
        items = _by_name(store.agenda.build())
    assert items["Jonas Weber"].trigger == "birthday"
    assert items["Priya Raman"].trigger == "life_event" and items["Priya Raman"].action == "coffee"
    assert items["Sam Okafor"].trigger == "thanks" and items["Sam Okafor"].action == "thanks"
    assert items["Maya Chen"].trigger == "cadence" and items["Maya Chen"].days_overdue == 24
    assert items["Dawn Graham"].trigger == "reciprocity"
    assert "make a deposit first" in items["Dawn Graham"].reasons[0]


def test_logging_a_touch_clears_what_it_satisfies(make_store):
    with make_store() as store:
        load(store)
    with make_store() as store:
        ids = {i.person.name: i.person.id for i in store.agenda.build().items}
        store.touches.log("thanks", [ids["Sam Okafor"]])
        store.touches.log("coffee", [ids["Priya Raman"]])
        store.touches.log("birthday", [ids["Jonas Weber"]])
        store.touches.log("call", [ids["Maya Chen"]])
    with make_store() as store:
        names = set(_by_name(store.agenda.build()))
    assert not names & {"Sam Okafor", "Priya Raman", "Jonas Weber", "Maya Chen"}


def test_a_snoozed_person_is_hidden_until_the_snooze_ends(make_store):
    with make_store() as store:
        p = store.people.add(Person("Ann"))
        store.touches.log("call", [p.id], TODAY - timedelta(days=300))
        store.touches.snooze(p.id, 14)
        assert store.agenda.build().items == []
    with make_store(today=TODAY + timedelta(days=14)) as store:
        assert [i.person.name for i in store.agenda.build().items] == ["Ann"]


def test_birthdays_across_the_new_year_and_on_leap_day(make_store):
    with make_store(today=date(2026, 12, 29)) as store:
        store.people.add(Person("New Year", birthday=Birthday(1, 2)))
        store.people.add(Person("Leap", birthday=Birthday(2, 29, 1996)))
        store.people.add(Person("Far", birthday=Birthday(3, 1)))
        assert [i.person.name for i in store.agenda.build().items if i.trigger == "birthday"] == ["New Year"]
    with make_store(today=date(2027, 2, 26)) as store:
        [item] = [i for i in store.agenda.build(days=2).items if i.trigger == "birthday"]
        assert item.person.name == "Leap" and "28 February" in item.reasons[0]


def test_eight_hundred_fresh_connections_do_not_flood_the_agenda(make_store):
    with make_store() as store:
        for i in range(800):
            store.people.add(Person(f"Connection {i:03d}", how_met="LinkedIn",
                                    emails=[f"c{i}@example.com"] if i == 517 else []))
        items = store.agenda.build(limit=50).items
    assert len(items) == 3
    assert items[0].person.name == "Connection 517"  # the one with a way to reach them comes first


def test_the_weekly_goal_and_streak_come_with_the_agenda(make_store):
    with make_store() as store:
        p = store.people.add(Person("Ann"))
        for days in range(0, 21):
            store.touches.log("like", [p.id], TODAY - timedelta(days=days))
        ag = store.agenda.build()
    assert (ag.week_touches, ag.weekly_goal, ag.streak_weeks) == (3, 5, 2)


def test_an_ask_plan_shows_two_weeks_ahead_and_a_coffee_plan_only_in_the_window(make_store):
    with make_store() as store:
        a = store.people.add(Person("Ann"))
        b = store.people.add(Person("Ben"))
        for p in (a, b):
            store.touches.log("like", [p.id], TODAY - timedelta(days=5))
        store.touches.add_plan(a.id, "ask", TODAY + timedelta(days=12), "a reference letter")
        store.touches.add_plan(b.id, "coffee", TODAY + timedelta(days=12))
        items = _by_name(store.agenda.build(days=7))
        assert set(items) == {"Ann"} and items["Ann"].trigger == "reciprocity"
        assert items["Ann"].occasion.kind == "deposit"
        assert "Ben" in _by_name(store.agenda.build(days=14))


def test_the_budget_option_fits_the_agenda_into_minutes(make_store):
    with make_store() as store:
        load(store)
        ag = store.agenda.build(minutes=15)
    assert ag.items and ag.minutes <= 15


def test_an_agenda_built_again_in_the_same_transaction_sees_changed_settings_and_actions(make_store):
    from keepwarm.store.catalog import add_action, change_setting

    with make_store() as store:
        load(store)
    with make_store() as store:
        first = store.agenda.build()
        change_setting(store, "weekly_goal", "9")
        add_action(store, "cookies", "Bring cookies", 2.0, 15, "give")
        again = store.agenda.build()
        assert (first.weekly_goal, again.weekly_goal) == (5, 9)
        assert "cookies" in store.agenda.catalog()


def test_the_agenda_read_ahead_equals_the_agenda_read_one_statement_at_a_time(make_store):
    """On PostgreSQL the build sends its reads in two batches; what it shows is what reading each
    statement on its own shows, and only an on-demand read (a planned ask's recent gives) is left out."""
    from keepwarm.store.agenda import AgendaQueries
    from keepwarm.store.sql import SessionRunner, _call_key

    with make_store() as store:
        load(store)
    with make_store() as store:
        asked: list[str] = []
        keys: list[object] = []

        class Counting(SessionRunner):
            def __call__(self, name, **params):
                if _call_key(name, params) not in self._ahead:
                    asked.append(name)
                    keys.append(_call_key(name, params))
                return super().__call__(name, **params)

        def one_by_one(name, **params):  # a runner that cannot read ahead
            return SessionRunner(store.session)(name, **params)

        ahead = AgendaQueries(Counting(store.session), store.owner_id, store.today).build()
        single = AgendaQueries(one_by_one, store.owner_id, store.today).build()
        postgres = store.session.get_bind().dialect.name == "postgresql"
    assert [i.to_json() for i in ahead.items] == [i.to_json() for i in single.items]
    assert {i.trigger for i in ahead.items} >= {"birthday", "life_event", "thanks", "cadence", "reciprocity"}
    assert (ahead.week_touches, ahead.weekly_goal, ahead.streak_weeks) == (
        single.week_touches, single.weekly_goal, single.streak_weeks)
    if postgres:
        assert set(asked) <= {"touches_since"}
    else:  # SQLite answers in process: no batches, and the agenda is composed once, each read made once
        assert {"catalog", "overdue", "birthdays", "person_rhythms"} <= set(asked)
        assert len(keys) == len(set(keys))
