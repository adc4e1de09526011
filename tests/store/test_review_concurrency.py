"""Review: two overlapping write transactions (as a web app's concurrent requests will make them).

The second transaction starts after the first has written and commits after it; both touches must land
and the week's count must add up. Threads and a real database; the interleaving is forced with events.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta

from keepwarm.core.people import Person

TODAY = date(2026, 11, 25)
MONDAY = TODAY - timedelta(days=TODAY.weekday())


def _overlapping_logs(make_store, a: int, b: int) -> list[BaseException]:  # type: ignore[no-untyped-def]
    first_wrote, errors = threading.Event(), []

    def first() -> None:
        try:
            with make_store() as store:
                store.touches.log("call", [a])
                first_wrote.set()
                threading.Event().wait(1.0)  # hold the transaction open while the second one starts
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            first_wrote.set()
            errors.append(exc)

    def second() -> None:
        first_wrote.wait(10)
        try:
            with make_store() as store:
                store.touches.log("call", [b])
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return errors


def test_two_overlapping_first_touches_of_a_week_both_land(request, db_url, make_store):
    with make_store() as store:
        a = store.people.add(Person("Ann")).id
        b = store.people.add(Person("Ben")).id
    errors = _overlapping_logs(make_store, a, b)
    assert [f"{type(e).__name__}: {str(e).splitlines()[0]}" for e in errors] == []
    with make_store() as store:
        assert store.touches.weekly_counts() == {MONDAY: 2}


def test_two_overlapping_touches_add_to_the_weeks_count(request, db_url, make_store):
    with make_store() as store:
        a = store.people.add(Person("Ann")).id
        b = store.people.add(Person("Ben")).id
        store.touches.log("like", [a], TODAY - timedelta(days=1))
    errors = _overlapping_logs(make_store, a, b)
    assert [f"{type(e).__name__}: {str(e).splitlines()[0]}" for e in errors] == []
    with make_store() as store:
        assert store.touches.weekly_counts() == {MONDAY: 3}
