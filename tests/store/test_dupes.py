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


def _pairwise_reference(store: Any) -> dict[tuple[int, int], tuple[int, str]]:
    """Name candidates as the plain per-pair comparison finds them (one scalar rapidfuzz call a pair)."""
    from rapidfuzz import fuzz

    from keepwarm.store.dupes import BLOCK_MAX, THRESHOLD, WINDOW

    people = {r.id: (r.name_folded, r.company) for r in store.people.rows(store.people.query())}
    blocks: dict[str, list[int]] = {}
    for pid, (folded, _) in people.items():
        for token in set(folded.replace("-", " ").split()):
            if len(token) >= 2:
                blocks.setdefault(token[:4], []).append(pid)
    out: dict[tuple[int, int], tuple[int, str]] = {}

    def compare(a: int, b: int) -> None:
        score = int(fuzz.token_sort_ratio(people[a][0], people[b][0]))
        ca, cb = people[a][1], people[b][1]
        why = f"names {score}% alike"
        if ca and cb:
            company = int(fuzz.token_set_ratio(ca.lower(), cb.lower()))
            score += 5 if company >= 85 else -10
            why += f", companies {company}% alike"
        if score >= THRESHOLD and a != b:
            out[(min(a, b), max(a, b))] = (min(score, 100), why)

    for members in blocks.values():
        if len(members) <= BLOCK_MAX:
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    compare(a, b)
        else:
            ordered = sorted(members, key=lambda m: people[m][0])
            for i, a in enumerate(ordered):
                for b in ordered[i + 1:i + 1 + WINDOW]:
                    compare(a, b)
    return out


def test_vectorised_name_matching_finds_exactly_what_comparing_each_pair_finds(make_store: Any) -> None:
    import random

    rnd = random.Random(3)
    first = ["Maria", "Mario", "Marie", "José", "Jose", "Zoë", "Anne-Marie", "Ann", "Li", "Bo", "Sven"]
    last = ["García", "Garcia", "Garcias", "Smith", "Smyth", "Müller", "Muller", "Okafor", "Nguyen", "Park"]
    companies = [None, "Acme", "ACME Inc", "Globex", "Globex Corporation", "Initech", "Woods Career Services"]
    with make_store() as store:
        # Maria/Mario/Marie share the block "mari" with far more than BLOCK_MAX members
        for _ in range(700):
            middle = rnd.choice(["", "", "Lou ", "de la "])
            add(store, f"{rnd.choice(first)} {middle}{rnd.choice(last)} {rnd.randrange(40)}",
                company=rnd.choice(companies))
    with make_store() as store:
        expected = _pairwise_reference(store)
        found = {(c.a, c.b): (c.score, c.evidence[0]) for c in candidates(store)}
    assert len(expected) > 500  # the data makes plenty of candidates, from big and small blocks
    assert found == expected
