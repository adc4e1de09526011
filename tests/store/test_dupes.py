"""Duplicate candidates, merging two people with everything they have, and "not duplicates"."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from keepwarm.core.birthdays import Birthday
from keepwarm.core.people import Link, Person
from keepwarm.store.dupes import candidates, dismiss, merge
from keepwarm.store.models import TouchPerson

TODAY = date(2026, 11, 25)


def add(store: Any, name: str, **kw: Any) -> int:
    p = Person(name=name, **kw)
    store.people.add(p)
    assert p.id is not None
    return p.id


def test_fuzzy_names_with_a_shared_company_are_candidates_with_evidence(make_store: Any) -> None:
    with make_store() as store:
        a = add(store, "Sabrina Woods", company="Woods Career Services")
        b = add(store, "Sabrína Wood", company="Woods Career Services LLC")
        add(store, "Robert Lindqvist", company="Acme")
        add(store, "Nadia Haddad")
    with make_store() as store:
        [c] = candidates(store)
    assert {c.a, c.b} == {a, b}
    assert c.score >= 85
    assert any("names" in e and "companies" in e for e in c.evidence)


def test_a_shared_phone_is_strong_evidence(make_store: Any) -> None:
    with make_store() as store:
        a = add(store, "J. Okafor", phones=["+1 617 555 0123"])
        b = add(store, "Jim Okafor", phones=["(617) 555-0123"])
    with make_store() as store:
        [c] = candidates(store)
    assert {c.a, c.b} == {a, b} and c.score == 95 and c.evidence[0] == "same phone +16175550123"


def test_not_duplicates_are_not_proposed_again(make_store: Any) -> None:
    with make_store() as store:
        a = add(store, "Sam Green", company="Acme")
        b = add(store, "Sam Greene", company="Acme")
    with make_store() as store:
        assert len(candidates(store)) == 1
        dismiss(store, b, a)
    with make_store() as store:
        assert candidates(store) == []


def test_merge_keeps_every_email_phone_tag_note_event_plan_and_touch(make_store: Any) -> None:
    with make_store() as store:
        a = add(store, "Sabrina Woods", emails=["sabrina@example.org"], tags=["Coaches"],
                notes="From LinkedIn.", links=[Link("https://www.linkedin.com/in/sabrina-woods")])
        b = add(store, "Sabrina W.", emails=["sw@example.com"], phones=["+1 207 555 0142"], tags=["Maine"],
                notes="Met at NCDA.", birthday=Birthday(4, 15), company="Woods Career Services")
        c = add(store, "Someone Else")
        store.touches.log("coffee", [a], TODAY - timedelta(days=40))
        store.touches.log("call", [b, c], TODAY - timedelta(days=3))
        store.touches.log("congrats", [a, b], TODAY - timedelta(days=10))
        store.touches.add_event(b, "moving", TODAY + timedelta(days=20))
        store.touches.add_plan(b, "coffee", TODAY + timedelta(days=5))
    with make_store() as store:
        merge(store, a, b)
    with make_store() as store:
        p = store.people.get(a)
        assert p.emails == ["sabrina@example.org", "sw@example.com"]
        assert p.phones == ["+12075550142"]
        assert p.tags == ["Coaches", "Maine"]
        assert p.notes == "From LinkedIn.\n\nMet at NCDA."
        assert p.birthday == Birthday(4, 15) and p.company == "Woods Career Services"
        assert [t.action for t in store.touches.of_person(a)] == ["call", "congrats", "coffee"]
        assert [e.kind for e in store.touches.events_of(a)] == ["moving"]
        assert [x.action for x in store.touches.plans_of(a)] == ["coffee"]
        row = store.people.row(a)
        assert row.last_touch == TODAY - timedelta(days=3) and row.last_action == "call"
        assert row.strength_base > 0
        assert store.session.query(TouchPerson).filter_by(person_id=b).count() == 0
        assert store.people.resolve("Someone Else").id == c
