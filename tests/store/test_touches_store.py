from datetime import date, timedelta

import pytest

from keepwarm.core import strength
from keepwarm.core.people import Person
from keepwarm.errors import InvalidInputError
from keepwarm.store.profiles import profile

TODAY = date(2026, 11, 25)


def _people(store, *names):
    return [store.people.add(Person(n)).id for n in names]


def test_a_touch_with_several_people_updates_each_of_them_with_a_share(make_store):
    with make_store() as store:
        a, b = _people(store, "Ann", "Ben")
        store.touches.log("coffee", [a, b], TODAY - timedelta(days=3), "conference")
        for pid in (a, b):
            row = store.people.row(pid)
            assert (row.last_touch, row.last_action) == (TODAY - timedelta(days=3), "coffee")
            assert row.balance == 4.0  # a coffee for two is half a coffee each


def test_the_maintained_strength_equals_the_sum_over_touches(make_store):
    with make_store() as store:
        [a] = _people(store, "Ann")
        ages = ((400, "call"), (90, "coffee"), (2, "like"))
        history = [(TODAY - timedelta(days=d), name) for d, name in ages]
        for on, name in history:
            store.touches.log(name, [a], on)
        data = profile(store, a)
        weights = {"call": 5.0, "coffee": 8.0, "like": 0.5}
        assert data["strength"] == strength.strength_on([(d, weights[n]) for d, n in history], TODAY)
        assert data["last_touch"] == (TODAY - timedelta(days=2)).isoformat()
        assert [t["action"] for t in data["touches"]] == ["like", "coffee", "call"]


def test_a_backdated_touch_does_not_move_the_last_touch_back(make_store):
    with make_store() as store:
        [a] = _people(store, "Ann")
        store.touches.log("call", [a], TODAY)
        store.touches.log("coffee", [a], TODAY - timedelta(days=30))
        assert (store.people.row(a).last_touch, store.people.row(a).last_action) == (TODAY, "call")


def test_a_favour_received_leaves_a_thank_you_owed_until_thanks(make_store):
    with make_store() as store:
        [a] = _people(store, "Ann")
        store.touches.log("received", [a], TODAY - timedelta(days=5))
        assert store.people.row(a).thanks_owed_since == TODAY - timedelta(days=5)
        assert store.people.row(a).balance == -4.0
        store.touches.log("thanks", [a], TODAY)
        assert store.people.row(a).thanks_owed_since is None


def test_deleting_a_touch_rebuilds_what_it_fed(make_store):
    with make_store() as store:
        [a] = _people(store, "Ann")
        store.touches.log("call", [a], TODAY - timedelta(days=10))
        t = store.touches.log("received", [a], TODAY)
        store.touches.delete(t.id)
        row = store.people.row(a)
        assert (row.last_touch, row.balance, row.thanks_owed_since) == (TODAY - timedelta(days=10), 5.0, None)
        assert row.strength_base == pytest.approx(strength.base_term(5.0, TODAY - timedelta(days=10)))


def test_a_touch_fulfils_the_matching_plan(make_store):
    with make_store() as store:
        [a] = _people(store, "Ann")
        store.touches.add_plan(a, "coffee", TODAY + timedelta(days=3))
        store.touches.add_plan(a, "call", TODAY + timedelta(days=3))
        store.touches.log("coffee", [a])
        assert [p.action for p in store.touches.plans_of(a)] == ["call"]


@pytest.mark.parametrize(("call", "message"), [
    (lambda s, a: s.touches.log("dance", [a]), "unknown action 'dance'; known actions: ask, birthday"),
    (lambda s, a: s.touches.log("call", [a], TODAY + timedelta(days=1)), "in the future"),
    (lambda s, a: s.touches.add_plan(a, "call", TODAY - timedelta(days=1)), "in the past"),
    (lambda s, a: s.touches.add_event(a, "abduction", TODAY), "unknown life event"),
    (lambda s, a: s.touches.log("call", []), "at least one person"),
])
def test_bad_touches_are_refused_and_write_nothing(make_store, call, message):
    with make_store() as store:
        [a] = _people(store, "Ann")
    with pytest.raises(InvalidInputError, match=message), make_store() as store:
        call(store, a)
    with make_store() as store:
        assert store.touches.of_person(a) == [] and store.people.row(a).last_touch is None


def test_week_counts_feed_the_weekly_goal(make_store):
    with make_store() as store:
        [a] = _people(store, "Ann")
        for days in (0, 1, 7, 8, 9, 10, 11):
            store.touches.log("like", [a], TODAY - timedelta(days=days))
        weeks = store.touches.weekly_counts()
        assert weeks == {date(2026, 11, 23): 2, date(2026, 11, 16): 3, date(2026, 11, 9): 2}


def test_a_new_half_life_rebuilds_every_strength(make_store):
    from keepwarm.store.catalog import change_setting

    with make_store() as store:
        [a] = _people(store, "Ann")
        store.touches.log("coffee", [a], TODAY - timedelta(days=60))
        change_setting(store, "half_life", "60")
    with make_store() as store:
        assert profile(store, a)["strength"] == strength.strength_on([(TODAY - timedelta(days=60), 8.0)],
                                                                     TODAY, 60)


def test_removing_a_person_drops_touches_with_them_alone_and_keeps_shared_ones(make_store):
    from sqlalchemy import func, select

    from keepwarm.store.models import TouchRow

    with make_store() as store:
        a, b = _people(store, "Ann", "Ben")
        store.touches.log("call", [a])
        store.touches.log("coffee", [a, b])
        store.people.remove(a)
        assert store.session.scalar(select(func.count()).select_from(TouchRow)) == 1
        assert [t.action for t in store.touches.of_person(b)] == ["coffee"]
        assert store.touches.weekly_counts() == {date(2026, 11, 23): 1}


def test_touches_events_plans_and_snoozes_refuse_another_owners_people(db, make_store):
    from keepwarm.errors import NotFoundError
    from keepwarm.store.owners import create_owner

    with db.session() as s:
        create_owner(s, "a@example.com")
        create_owner(s, "b@example.com")
    with make_store(user="a@example.com") as store:
        [theirs] = _people(store, "Ann")
    with make_store(user="b@example.com") as store:
        [mine] = _people(store, "Ben")
        for call in (lambda: store.touches.log("call", [mine, theirs]),
                     lambda: store.touches.add_event(theirs, "moving", TODAY),
                     lambda: store.touches.add_plan(theirs, "call", TODAY),
                     lambda: store.touches.snooze(theirs, 3)):
            with pytest.raises(NotFoundError, match=f"no person #{theirs}"):
                call()


def test_a_touch_for_a_rhythm_or_a_hello_still_closes_what_it_fits_and_names_its_change(make_store):
    # a cadence or intro occasion id is kept by the touch itself: the touch is then like a plain log,
    # which closes the thank-you it fits; and the repository names the undo entry it wrote
    with make_store() as store:
        p = store.people.add(Person(name="Rhythm Person"))
        store.touches.log("received", [p.id], TODAY - timedelta(days=1), None, "them")
        first = store.touches.change_id
        store.touches.log("thanks", [p.id], occasion_id=f"cadence:{p.id}:{TODAY.isoformat()}")
        assert [o.kind for o in store.touches.done] == ["thanks"]
        assert store.touches.change_id is not None and store.touches.change_id != first
        assert store.people.row(p.id).thanks_owed_since is None
        with pytest.raises(InvalidInputError, match="not about anyone in this touch"):
            store.touches.log("call", [p.id], occasion_id=f"intro:{p.id + 1}:x")


MAINTAINED = ("last_touch", "last_action", "last_personal_touch", "strength_base", "balance",
              "thanks_owed_since")


def _maintained(store, ids):
    return {pid: tuple(getattr(store.people.row(pid), c) for c in MAINTAINED) for pid in ids}


def test_touches_logged_one_by_one_keep_the_same_columns_a_rebuild_from_history_gives(make_store):
    """Every kind of action (a give, a personal one, an ask, a favour received, a thank-you), alone or
    with others, in date order: the columns each touch updates in place equal a rebuild from the touches."""
    import random

    rng = random.Random(7)
    actions = ["like", "coffee", "call", "ask", "received", "thanks", "birthday", "intro"]
    with make_store() as store:
        ids = _people(store, "Ann", "Ben", "Cleo", "Dev")
        day = TODAY - timedelta(days=200)
        for _ in range(60):
            day += timedelta(days=rng.randint(0, 6))
            store.touches.log(rng.choice(actions), rng.sample(ids, rng.randint(1, 3)), min(day, TODAY),
                              attach=False)
        logged = _maintained(store, ids)
        assert any(v[2] for v in logged.values())  # personal touches were among them
        store.touches.recompute(ids)
        rebuilt = _maintained(store, ids)
    for pid in ids:
        for column, got, want in zip(MAINTAINED, logged[pid], rebuilt[pid], strict=True):
            assert got == (pytest.approx(want) if isinstance(want, float) else want), (pid, column)


def test_a_logged_touch_is_a_row_of_the_session_and_people_read_before_see_it(make_store):
    with make_store() as store:
        [a] = _people(store, "Ann")
        ann = store.people.row(a)  # loaded before the touch, used after the transaction
        touch = store.touches.log("coffee", [a], TODAY, "at the fair")
        touch.source = "mail"  # a change to the returned row is saved with the transaction
        tid = touch.id
    assert (ann.last_touch, ann.last_action, ann.balance) == (TODAY, "coffee", 8.0)
    with make_store() as store:
        data = profile(store, a)
        touches = [(t["id"], t["action"], t["note"]) for t in data["touches"]]
        assert touches == [(tid, "coffee", "at the fair")]
        from keepwarm.store.models import TouchRow

        assert store.session.get(TouchRow, tid).source == "mail"


def test_undoing_a_touch_journalled_before_touches_named_their_people_still_says_whom_it_was_about(
        make_store):
    from sqlalchemy import update

    from keepwarm.store import journal
    from keepwarm.store.models import ChangeRow

    with make_store() as store:
        [a] = _people(store, "Ann")
        store.touches.log("coffee", [a], TODAY)
        change_id = store.touches.change_id
        store.session.execute(update(ChangeRow).where(ChangeRow.id == change_id).values(
            payload={"touch_id": store.touches.of_person(a)[0].id}))  # as an older version wrote it
    with make_store() as store:
        change = journal.undo(store, change_id)
        assert journal.person_of(change) == a
        assert store.touches.of_person(a) == []
