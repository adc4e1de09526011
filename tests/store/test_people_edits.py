"""Edits through PeopleRepo.edit and edit_many, and `due` in SQL agreeing with core.cadence."""

from datetime import date, timedelta

import pytest

from keepwarm.core.cadence import is_due
from keepwarm.core.edits import PersonEdit
from keepwarm.core.people import Person
from keepwarm.errors import InvalidInputError, NotFoundError
from keepwarm.store.profiles import profile, summaries

TODAY = date(2026, 11, 25)


def test_edit_returns_before_and_after_and_writes_only_a_real_change(make_store):
    with make_store() as store:
        pid = store.people.add(Person("Ann", tags=["coach", "maine"], interests=["sailing"])).id
    with make_store() as store:
        before, after = store.people.edit(pid, PersonEdit(drop_tags=["MAINE"], drop_interests=["sailing"],
                                                          circle="close"))
        assert (before.tags, before.interests, before.circle) == (["coach", "maine"], ["sailing"], "warm")
        assert (after.tags, after.interests, after.circle) == (["coach"], [], "close")
        updated = store.people.row(pid).updated_at
    with make_store() as store:
        assert store.people.get(pid).tags == ["coach"]
        before, after = store.people.edit(pid, PersonEdit(drop_tags=["not-there"]))
        assert before == after and store.people.row(pid).updated_at == updated  # nothing written


def test_a_bulk_edit_is_all_or_nothing(make_store):
    with make_store() as store:
        ids = [store.people.add(Person(n, tags=["imported"])).id for n in ("Ann", "Ben", "Cy")]
    with pytest.raises(InvalidInputError, match="unknown circle 'nope'"), make_store() as store:
        store.people.edit_many(ids, PersonEdit(add_tags=["vip"]))
        store.people.edit_many(ids, PersonEdit(circle="nope"))
    with make_store() as store:
        # the first edit, which was fine, rolled back too
        assert [p.tags for p in store.people.load(ids)] == [["imported"]] * 3
        results = store.people.edit_many(ids, PersonEdit(circle="inner", every_days=21, add_tags=["vip"]))
        assert [a.id for _, a in results] == ids
    with make_store() as store:
        rows = store.people.load_rows(ids)
        assert {(r.cadence_days, r.every_days) for r in rows} == {(21, 21)}
        assert [p.tags for p in store.people.load(ids)] == [["imported", "vip"]] * 3


def test_a_bulk_edit_refuses_personal_fields_before_writing(make_store):
    with make_store() as store:
        ids = [store.people.add(Person(n)).id for n in ("Ann", "Ben")]
    with make_store() as store:
        with pytest.raises(InvalidInputError, match="^--name cannot be set on several people"):
            store.people.edit_many(ids, PersonEdit(name="Same Name", circle="inner"))
        assert {p.circle for p in store.people.load(ids)} == {"warm"}


def test_a_bulk_edit_cannot_reach_another_owners_people(db, make_store):
    from keepwarm.store.owners import create_owner

    with db.session() as s:
        create_owner(s, "a@example.com")
        create_owner(s, "b@example.com")
    with make_store(user="a@example.com") as store:
        theirs = store.people.add(Person("Ann")).id
    with make_store(user="b@example.com") as store:
        mine = store.people.add(Person("Bob")).id
        with pytest.raises(NotFoundError):
            store.people.edit_many([mine, theirs], PersonEdit(circle="inner"))
    with make_store(user="a@example.com") as store:
        assert store.people.get(theirs).circle == "warm"


def test_the_due_filter_profile_and_summaries_agree_with_core_is_due(make_store):
    """Touched, never touched, met before being added, snoozed: SQL and the one rule say the same."""
    with make_store(today=date(2026, 9, 1)) as store:
        old = store.people.add(Person("Added Before", circle="inner")).id  # joined 1 September
    with make_store() as store:
        people = {
            "touched long ago": store.people.add(Person("Touched Long Ago", circle="inner")).id,
            "touched lately": store.people.add(Person("Touched Lately", circle="inner")).id,
            "new today": store.people.add(Person("New Today")).id,
            "met long ago": store.people.add(Person("Met Long Ago", met_on=date(2019, 6, 1))).id,
            "met later": store.people.add(Person("Met Later", met_on=TODAY + timedelta(days=3))).id,
            "snoozed": store.people.add(Person("Snoozed", circle="inner")).id,
            "added before": old,
        }
        store.touches.log("call", [people["touched long ago"], people["snoozed"]], date(2026, 9, 1))
        store.touches.log("call", [people["touched lately"]], date(2026, 11, 20))
        store.touches.snooze(people["snoozed"], 14)
    with make_store() as store:
        in_sql = {r.id for r in store.people.rows(store.people.query(due=True))}
        by_rule = {r.id for r in store.people.load_rows(list(people.values()))
                   if is_due(r.last_touch, r.met_on or r.created_on, r.cadence_days, TODAY, r.snoozed_until)}
        assert in_sql == by_rule
        due = ("touched long ago", "new today", "met long ago", "added before")
        assert in_sql == {people[k] for k in due}
        lines = {r["id"]: r for r in summaries(store, store.people.query())}
        for pid in people.values():
            shown = profile(store, pid)
            assert shown["due"] is lines[pid]["due"] is (pid in in_sql)
            assert shown["due_on"] == lines[pid]["due_on"]
        assert lines[people["new today"]]["due_on"] == "2026-11-25"
        assert lines[people["met long ago"]]["due_on"] == "2019-06-01"


def test_has_anyone_is_true_once_someone_is_added(make_store):
    with make_store() as store:
        assert store.people.has_anyone() is False
        store.people.add(Person("Ann"))
        assert store.people.has_anyone() is True


def test_the_cold_reader_knows_an_empty_network_as_the_repo_does(sqlite_url):
    from keepwarm.store import Database, lite, open_store

    db = Database(sqlite_url)
    for step in range(2):
        with open_store(db, TODAY) as store:
            expected = store.people.has_anyone()
            if step:
                assert expected
        with lite.open_reader(sqlite_url, None) as found:
            assert found is not None
            run, owner = found
            assert lite.has_people(run, owner) is expected
        with open_store(db, TODAY) as store:
            store.people.add(Person("Ann"))
    db.dispose()
