"""The store side of news: the automaton is built once per network version, and reading is all or nothing."""

from __future__ import annotations

from collections.abc import Callable

from keepwarm.core.mentions import Candidate, Matcher
from keepwarm.core.people import Person
from keepwarm.store.news import NewsRepo, matcher, text_key


def test_the_automaton_is_reused_until_the_network_changes(make_store: Callable) -> None:
    with make_store() as store:
        store.people.add(Person("Maria Lopez", company="Globex"))
    with make_store() as store:
        first = matcher(store.session, store.owner_id)
    with make_store() as store:
        assert matcher(store.session, store.owner_id) is first
        store.people.add(Person("Sam Lee", company="Initech"))
    with make_store() as store:
        rebuilt = matcher(store.session, store.owner_id)
        assert rebuilt is not first
        assert {f.matched for f in rebuilt.find("Sam Lee of Initech spoke.")} == {"their company (Initech)"}


def test_a_text_read_twice_is_one_item_with_the_same_mentions(make_store: Callable) -> None:
    with make_store() as store:
        store.people.add(Person("Maria Lopez", company="Globex"))
    text = "Maria Lopez of Globex won an award."
    with make_store() as store:
        repo = NewsRepo(store.session, store.owner_id, store.today)
        first = repo.read(text, title="Award", key=text_key(text))
        again = repo.read(text, title="Award", key=text_key(text))
        assert (first.new, again.new) == (True, False)
        assert again.item.id == first.item.id
        assert [m.id for m in again.mentions] == [m.id for m in first.mentions]


def test_someone_known_by_one_name_alone_is_never_matched() -> None:
    cher = Candidate(1, "Cher", context={"location": ["Los Angeles"]})
    assert Matcher([cher]).find("Cher sang in Los Angeles.") == []
