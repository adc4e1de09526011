from datetime import date

import pytest

from keepwarm.core.birthdays import Birthday
from keepwarm.core.people import Link, Person
from keepwarm.errors import AmbiguousError, ConflictError, InvalidInputError, NotFoundError


def test_a_person_is_stored_and_loaded_with_every_field(make_store):
    with make_store() as store:
        p = store.people.add(Person(
            "Siobhán O'Brien", emails=["siobhan@example.ie", "s.obrien@example.com"],
            phones=["+353 1 555 0100"], links=[Link("https://www.linkedin.com/in/siobhan-obrien")],
            company="Dublin Careers", title="Recruiter", location="Dublin", how_met="conference",
            met_on=date(2020, 2, 29), birthday=Birthday(2, 29), interests=["hiring", "tech"],
            circle="close", every_days=30, tags=["recruiter"], notes="Line one\nline two",
            nickname="Shiv", extra={"X-CUSTOM": "kept"}))
    with make_store() as store:
        loaded = store.people.get(p.id)
    assert loaded == p
    assert loaded.phones == ["+35315550100"]


def test_a_persons_rhythm_follows_the_circle_unless_overridden(make_store):
    with make_store() as store:
        a = store.people.add(Person("Ann", circle="inner"))
        b = store.people.add(Person("Ben", circle="inner", every_days=10))
        c = store.people.add(Person("Cid"))
        assert [store.people.row(x.id).cadence_days for x in (a, b, c)] == [21, 10, 182]
        store.touches.set_circle_every("inner", 14)
        assert [store.people.row(x.id).cadence_days for x in (a, b)] == [14, 10]


def test_an_unknown_circle_lists_the_known_ones(make_store):
    with make_store() as store, pytest.raises(InvalidInputError, match="known circles: inner, close"):
        store.people.add(Person("Ann", circle="besties"))


def test_an_email_cannot_belong_to_two_people(make_store):
    with make_store() as store:
        store.people.add(Person("Ann", emails=["ann@example.com"]))
    with pytest.raises(ConflictError, match=r"ann@example.com already belongs to Ann \(#1\)"), \
            make_store() as store:
        store.people.add(Person("Other Ann", emails=["ANN@example.com"]))
    with make_store() as store:
        assert store.people.count(store.people.query()) == 1


def test_people_resolve_by_id_email_exact_name_and_unique_prefix(make_store):
    with make_store() as store:
        ada = store.people.add(Person("Ada Lovelace", emails=["ada@example.com"]))
        store.people.add(Person("Ada Byron"))
        store.people.add(Person("Bob McIntosh"))
        assert store.people.resolve(str(ada.id)).id == ada.id
        assert store.people.resolve("ADA@example.com").id == ada.id
        assert store.people.resolve("ada lovelace").id == ada.id
        assert store.people.resolve("bob").name == "Bob McIntosh"
        with pytest.raises(AmbiguousError) as err:
            store.people.resolve("ada")
        assert err.value.candidates == ["#2 Ada Byron", "#1 Ada Lovelace"]
        with pytest.raises(NotFoundError):
            store.people.resolve("zed")


def test_accents_do_not_stop_a_name_from_resolving(make_store):
    with make_store() as store:
        store.people.add(Person("José Núñez"))
        assert store.people.resolve("jose").name == "José Núñez"


def test_search_finds_people_by_company_tag_interest_and_email(make_store):
    with make_store() as store:
        store.people.add(Person("Ann", company="Acme", tags=["coach"]))
        store.people.add(Person("Ben", interests=["Product Management"], emails=["ben@initech.com"]))
        for text, names in (("acme", ["Ann"]), ("COACH", ["Ann"]), ("product", ["Ben"]),
                            ("initech", ["Ben"])):
            assert [r.name for r in store.people.rows(store.people.query(text=text))] == names


def test_removing_a_person_removes_their_rows(make_store):
    with make_store() as store:
        p = store.people.add(Person("Ann", emails=["ann@example.com"]))
        store.touches.log("coffee", [p.id])
        store.people.remove(p.id)
    with make_store() as store:
        assert store.people.count(store.people.query()) == 0
        store.people.add(Person("New Ann", emails=["ann@example.com"]))  # the email is free again


def test_owners_never_see_each_others_people(db, make_store):
    from keepwarm.store.owners import create_owner

    with db.session() as s:
        create_owner(s, "a@example.com")
        create_owner(s, "b@example.com")
    with make_store(user="a@example.com") as store:
        p = store.people.add(Person("Ann", emails=["ann@example.com"]))
    with make_store(user="b@example.com") as store:
        with pytest.raises(NotFoundError):
            store.people.get(p.id)
        with pytest.raises(NotFoundError):
            store.people.resolve("ann")
        store.people.add(Person("Also Ann", emails=["ann@example.com"]))  # emails are unique per owner
        assert store.people.count(store.people.query()) == 1
