"""The library in the store: resources, matches read by the agenda, and shares that end suggestions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from keepwarm.core.people import Person
from keepwarm.errors import AmbiguousError, InvalidInputError, NotFoundError
from keepwarm.store.library import LibraryRepo
from keepwarm.store.models import Resource, Share, TouchRow
from keepwarm.store.models.library import ResourceMatch

TEXT = ("Engineers who move into product management learn to run discovery interviews. "
        "A product manager owns the roadmap and works closely with engineering. "
        "Switching into product management takes a few small projects first.")


def _network(store) -> dict[str, int]:  # type: ignore[no-untyped-def]
    people = [
        Person("Ravi Patel", given_name="Ravi", interests=["product management"], title="Platform Engineer",
               notes="Switching into product management."),
        Person("Priya Raman", interests=["machine learning", "hiking"], title="Data Scientist"),
        Person("Lucía Fernández", interests=["user research"], title="UX Researcher"),
    ]
    ids = {}
    for p in people:
        store.people.add(p)
        ids[p.name.split()[0]] = p.id
    return ids


def _add_pm(store) -> Resource:  # type: ignore[no-untyped-def]
    return LibraryRepo(store.session, store.owner_id, store.today).add(
        kind="book", title="Inspired", text=TEXT, summary=[TEXT.split(". ")[0] + "."],
        topics=["Product Management"], review="The book for new product managers.")


def test_adding_a_resource_stores_topics_and_matches(make_store: Callable) -> None:
    with make_store() as store:
        ids = _network(store)
        res = _add_pm(store)
        repo = LibraryRepo(store.session, store.owner_id, store.today)
        data = repo.to_json(res)
        assert data["topics"] == ["product management"]
        assert data["summary"] == [TEXT.split(". ")[0] + "."]
        stored = store.session.execute(select(ResourceMatch.person_id, ResourceMatch.because)
                                       .order_by(ResourceMatch.score.desc())).all()
        assert stored[0] == (ids["Ravi"], "interested in product management")
        assert ids["Priya"] not in [pid for pid, _ in stored]


def test_the_agenda_suggests_sharing_the_resource_with_the_right_person(make_store: Callable) -> None:
    with make_store() as store:
        ids = _network(store)
        res = _add_pm(store)
        found = store.agenda.library(45)
        assert [o.person.id for o in found] == [ids["Ravi"]]
        occ = found[0]
        assert occ.kind == "library" and occ.action == "recommend"
        assert occ.note == "share the book “Inspired” with Ravi: interested in product management"
        assert occ.extra["resource_id"] == res.id and 50 < occ.extra["priority"] <= 78
        items = store.agenda.build().items
        ravi = next(i for i in items if i.person.id == ids["Ravi"])
        assert ravi.trigger == "library" and ravi.action == "recommend"
        assert ravi.to_json()["resource_id"] == res.id


def test_a_shared_resource_is_never_suggested_to_them_again(make_store: Callable) -> None:
    with make_store() as store:
        ids = _network(store)
        res = _add_pm(store)
        repo = LibraryRepo(store.session, store.owner_id, store.today)
        touch = repo.share(res.id, [ids["Ravi"]], store.today - timedelta(days=10))
        assert touch.action == "recommend"
        assert store.people.row(ids["Ravi"]).last_action == "recommend"
        assert store.agenda.library(45) == []
        repo.rematch()  # even a fresh match run leaves the pair out
        assert all(m.person_id != ids["Ravi"] for m in repo.matches())
        assert store.agenda.library(45) == []
        assert store.session.scalar(select(func.count()).select_from(Share)) == 1


def test_snoozed_or_just_touched_people_get_no_library_item(make_store: Callable) -> None:
    with make_store() as store:
        ids = _network(store)
        _add_pm(store)
        store.touches.log("like", [ids["Ravi"]], store.today - timedelta(days=2))
        assert store.agenda.library(45) == []
    with make_store(today=store.today + timedelta(days=30)) as later:
        assert len(later.agenda.library(45)) == 1
        later.touches.snooze(ids["Ravi"], 14)
        assert later.agenda.library(45) == []


def test_one_library_item_per_person_and_per_resource(make_store: Callable) -> None:
    with make_store() as store:
        ids = _network(store)
        repo = LibraryRepo(store.session, store.owner_id, store.today)
        for n in range(3):
            repo.add(kind="article", title=f"Product management notes {n}", text=TEXT,
                     topics=["product management"])
        repo.add(kind="article", title="Usability studies", topics=["user research"],
                 text="Plan user research and usability studies with a small budget of time.")
        found = store.agenda.library(45)
        assert sorted(o.person.id for o in found) == sorted([ids["Ravi"], ids["Lucía"]])
        assert len({o.extra["resource_id"] for o in found}) == 2


def test_resources_resolve_by_id_and_unique_title(make_store: Callable) -> None:
    with make_store() as store:
        repo = LibraryRepo(store.session, store.owner_id, store.today)
        a = repo.add(kind="book", title="Just Enough Research")
        b = repo.add(kind="book", title="Just Enough Design")
        assert repo.resolve(str(a.id)).id == a.id
        assert repo.resolve("enough research").id == a.id
        assert repo.resolve("just enough design").id == b.id
        with pytest.raises(AmbiguousError):
            repo.resolve("just enough")
        with pytest.raises(NotFoundError):
            repo.resolve("nothing like it")


def test_bad_resources_store_nothing(make_store: Callable) -> None:
    with make_store() as store:
        repo = LibraryRepo(store.session, store.owner_id, store.today)
        with pytest.raises(InvalidInputError):
            repo.add(kind="movie", title="Heat")
        with pytest.raises(InvalidInputError):
            repo.add(kind="book", title="  ")
        assert store.session.scalar(select(func.count()).select_from(Resource)) == 0


def test_removing_a_resource_keeps_the_touch(make_store: Callable) -> None:
    with make_store() as store:
        ids = _network(store)
        res = _add_pm(store)
        repo = LibraryRepo(store.session, store.owner_id, store.today)
        repo.share(res.id, [ids["Ravi"], ids["Priya"]])
        repo.remove(res.id)
        assert store.session.scalar(select(func.count()).select_from(Share)) == 0
        assert store.session.scalar(select(func.count()).select_from(TouchRow)) == 1


def test_the_same_url_is_not_added_twice(make_store: Callable) -> None:
    from keepwarm.errors import ConflictError

    with make_store() as store:
        repo = LibraryRepo(store.session, store.owner_id, store.today)
        first = repo.add(kind="article", title="A", url="https://example.org/a")
        with pytest.raises(ConflictError, match=f"already in your library as #{first.id} A"):
            repo.add(kind="article", title="A again", url="https://example.org/a")


def test_removing_a_person_removes_their_matches_and_shares(make_store: Callable) -> None:
    with make_store() as store:
        ids = _network(store)
        res = _add_pm(store)
        LibraryRepo(store.session, store.owner_id, store.today).share(res.id, [ids["Priya"]])
        store.people.remove(ids["Ravi"])
        store.people.remove(ids["Priya"])
        store.session.flush()
        assert store.session.scalar(select(func.count()).select_from(ResourceMatch)) == 0
        assert store.session.scalar(select(func.count()).select_from(Share)) == 0
        assert store.agenda.library(45) == []


def test_people_added_after_a_resource_are_matched_when_they_are_added(make_store: Callable) -> None:
    with make_store() as store:
        _add_pm(store)
        late = store.people.add(Person("Omar Haddad", interests=["product management"],
                                       notes="Wants to become a product manager."))
        repo = LibraryRepo(store.session, store.owner_id, store.today)
        assert [o.person.id for o in store.agenda.library(45)] == [late.id]  # matched by add() itself
        assert repo.rematch_people([late.id]) == 1
        found = store.agenda.library(45)
        assert [o.person.id for o in found] == [late.id]
        assert repo.rematch_people([late.id]) == 1  # refreshing replaces, never duplicates
        assert store.session.scalar(select(func.count()).select_from(ResourceMatch)) == 1


def test_editing_topics_moves_the_matches_in_the_same_transaction(make_store: Callable) -> None:
    with make_store() as store:
        ids = _network(store)
        repo = LibraryRepo(store.session, store.owner_id, store.today)
        res = repo.add(kind="book", title="Field notes", topics=["hiking"])
        assert [o.person.id for o in store.agenda.library(45)] == [ids["Priya"]]
        now = repo.edit_topics(res.id, add=["Product Management"], remove=["hiking"])
        assert now == ["product management"]
        stored = store.session.execute(select(ResourceMatch.person_id, ResourceMatch.because)).all()
        assert stored == [(ids["Ravi"], "interested in product management")]
        assert repo.set_topics(res.id, []) == [] and repo.topics([res.id])[res.id] == []
        assert store.agenda.library(45) == []


def test_removing_a_topic_it_does_not_have_changes_nothing(make_store: Callable) -> None:
    with make_store() as store:
        _network(store)
        repo = LibraryRepo(store.session, store.owner_id, store.today)
        res = _add_pm(store)
        before = store.session.execute(select(ResourceMatch.person_id, ResourceMatch.score)).all()
        with pytest.raises(InvalidInputError, match=r"has no topic 'product mgmt' \(its topics: product "):
            repo.edit_topics(res.id, add=["leadership"], remove=["product mgmt"])
        with pytest.raises(InvalidInputError, match="at most 20 topics"):
            repo.set_topics(res.id, [f"topic {n}" for n in range(21)])
        assert repo.topics([res.id])[res.id] == ["product management"]
        assert store.session.execute(select(ResourceMatch.person_id, ResourceMatch.score)).all() == before


def test_a_match_made_by_private_notes_never_shows_them(make_store: Callable) -> None:
    with make_store() as store:
        secret = "Quietly planning a career change into UX; do not tell her boss."
        lena = store.people.add(Person("Lena Ortiz", title="Accountant", notes=secret))
        LibraryRepo(store.session, store.owner_id, store.today).add(
            kind="book", title="Switchers", text="For people changing careers, and for career switchers.")
        [occ] = store.agenda.library(45)
        assert occ.person.id == lena.id
        assert occ.note == "share the book “Switchers” with Lena: matches what you know of them"
        stored = store.session.scalar(select(ResourceMatch.because))
        assert stored == "matches what you know of them"


def test_a_reason_stored_by_the_old_matcher_no_longer_shows_the_note(make_store: Callable) -> None:
    with make_store() as store:
        ids = _network(store)
        res = _add_pm(store)
        old = "your note: Switching into product management."
        store.session.execute(update(ResourceMatch).values(because=old))
        repo = LibraryRepo(store.session, store.owner_id, store.today)
        [occ] = store.agenda.library(45)
        assert occ.note == "share the book “Inspired” with Ravi: matches what you know of them"
        assert repo.because(res.id, ids["Ravi"]) == "matches what you know of them"
        assert repo.suits([res.id])[res.id][0]["because"] == "matches what you know of them"
        assert repo.best_for_person(ids["Ravi"]) == (res, "matches what you know of them")
        repo.rematch()
        assert store.session.scalar(select(ResourceMatch.because)) == "interested in product management"
