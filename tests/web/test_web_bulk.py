"""The People page's bulk form, the API's bulk endpoint, the due column and the empty Today page."""

from __future__ import annotations

import re

from keepwarm.core.people import Person


def _ids(web, email, *names):
    with web.store(email) as store:
        return [store.people.add(Person(n, tags=["imported"])).id for n in names]


def _circles(web, email, ids):
    with web.store(email) as store:
        return [p.circle for p in store.people.load(ids)]


def test_the_people_page_has_a_checkbox_per_row_and_a_bulk_form_with_csrf(web, alice):
    page = alice.get("/people").text
    assert 'id="bulk"' in page and 'action="/people/bulk"' in page and 'name="csrf_token"' in page
    assert len(re.findall(r'<input type="checkbox" name="ids" value="\d+" form="bulk"', page)) >= 5


def test_the_bulk_form_sets_circle_rhythm_and_tags_of_the_selected_only(web, alice):
    a, b, c = _ids(web, "a@example.com", "Bulk A", "Bulk B", "Bulk C")
    r = alice.form("/people/bulk", {"ids": [str(a), str(b)], "circle": "inner", "every": "3w",
                                    "add_tag": "vip", "remove_tag": "IMPORTED"})
    assert r.status_code == 303 and r.headers["location"] == "/people?changed=2"
    assert "Changed 2 people." in alice.get("/people?changed=2").text
    with web.store("a@example.com") as store:
        people = store.people.load([a, b, c])
        assert [(p.circle, p.every_days, p.tags) for p in people] == [
            ("inner", 21, ["vip"]), ("inner", 21, ["vip"]), ("warm", None, ["imported"])]


def test_the_bulk_form_needs_the_csrf_token(web, alice):
    (a,) = _ids(web, "a@example.com", "Bulk A")
    r = alice.http.post("/people/bulk", data={"ids": [str(a)], "circle": "inner"})
    assert r.status_code == 403
    assert _circles(web, "a@example.com", [a]) == ["warm"]


def test_the_bulk_form_reaches_only_the_owners_people(web, alice, bob):
    (theirs,) = _ids(web, "a@example.com", "Alice's Contact")
    (mine,) = _ids(web, "b@example.com", "Bob's Contact")
    r = bob.form("/people/bulk", {"ids": [str(mine), str(theirs)], "circle": "inner"})
    assert r.status_code == 404
    assert _circles(web, "a@example.com", [theirs]) == ["warm"]
    assert _circles(web, "b@example.com", [mine]) == ["warm"]  # all or nothing


def _version(web, email):
    from keepwarm.store.accounts import data_version

    with web.store(email) as store:
        return data_version(store.session, store.owner_id)


def test_bad_bulk_input_shows_one_message_and_changes_nothing(web, alice):
    (a,) = _ids(web, "a@example.com", "Bulk A")
    version = _version(web, "a@example.com")
    r = alice.form("/people/bulk", {"ids": [str(a)], "circle": "nope"})
    assert r.status_code == 422 and "unknown circle &#39;nope&#39;" in r.text
    r = alice.form("/people/bulk", {"circle": "inner"})
    assert r.status_code == 422 and "select at least one person" in r.text
    r = alice.form("/people/bulk", {"ids": [str(a)]})
    assert r.status_code == 422 and "nothing to change" in r.text
    assert _circles(web, "a@example.com", [a]) == ["warm"]
    assert _version(web, "a@example.com") == version  # nothing changed: the cached Today stays
    r = alice.form("/people/new", {"name": ""})  # the new-person form, refused, shows itself again
    assert r.status_code == 422 and _version(web, "a@example.com") == version


def test_the_api_bulk_endpoint_edits_by_ids_or_by_filter(web, alice):
    a, b = _ids(web, "a@example.com", "Bulk A", "Bulk B")
    r = alice.api("POST", "/api/v1/bulk/people", json={"ids": [a], "circle": "close", "add_tags": ["vip"]})
    assert r.status_code == 200, r.text
    assert r.json() == {"matched": 1, "changed": 1, "ids": [a]}
    r = alice.api("POST", "/api/v1/bulk/people", json={"where": {"tag": "imported"}, "circle": "close"})
    assert r.json() == {"matched": 2, "changed": 1, "ids": [b]}
    assert alice.api("POST", "/api/v1/bulk/people", json={"ids": [a], "name": "X"}).status_code == 422
    assert alice.api("POST", "/api/v1/bulk/people", json={"circle": "close"}).status_code == 422
    r = alice.api("POST", "/api/v1/bulk/people", json={"ids": [a]})
    assert r.status_code == 422 and "nothing to change" in r.json()["message"]


def test_the_due_column_is_never_blank_and_agrees_with_the_due_filter(web, alice):
    _ids(web, "a@example.com", "Never Contacted")
    page = alice.get("/people", params={"q": "never contacted"}).text
    assert "new, never contacted" in page
    due = alice.get("/people", params={"due": "true", "q": "never contacted"}).text
    assert "Never Contacted" in due
    api = alice.api("GET", "/api/v1/people", params={"q": "never contacted"}).json()["items"][0]
    assert (api["due_on"], api["due"]) == ("2026-11-25", True)


def test_the_person_page_shows_days_rhythm_and_strength_in_words(web, alice):
    with web.store("a@example.com") as store:
        from keepwarm.core.birthdays import Birthday

        pid = store.people.add(Person("Words Person", birthday=Birthday(12, 3, 1980), every_days=42)).id
    page = alice.get(f"/people/{pid}").text
    assert "3 December 1980" in page and "every 6w" in page and "new, never contacted" in page
    assert re.search(r"<strong>\d+</strong> / 100", page)


def test_today_on_an_empty_network_links_to_import_and_the_add_form(web, bob):
    page = bob.get("/").text
    assert 'href="/import"' in page and 'href="/people/new"' in page and "keepwarm demo" in page
    assert "Your network is empty" in page


def test_today_with_people_does_not_show_the_ways_to_start(web, alice):
    assert "Your network is empty" not in alice.get("/").text
