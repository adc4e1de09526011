"""Today through the ASGI test client: drafts rendered on demand, the mail link, and what the one-click
actions give screen readers (the live-region message, named buttons, the Undo form)."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit


def _pid(web, name, email="a@example.com"):
    with web.store(email) as store:
        return store.people.resolve(name).id


def _draft_url(page, pid):
    m = re.search(rf'hx-get="(/today/draft\?person_id={pid}&amp;[^"]*)"', page)
    assert m, f"no draft link for #{pid}"
    return html.unescape(m.group(1))


def test_the_today_page_renders_no_draft_until_one_is_opened(web, alice):
    page = alice.get("/").text
    items = page.count('<li class="card" id="s-')
    assert items > 3
    assert "<textarea" not in page and "Happy birthday, Jonas!" not in page
    # each suggestion's <details> fetches its own draft once, when it is first opened
    assert page.count('hx-trigger="toggle once"') == items
    r = alice.get(_draft_url(page, _pid(web, "Jonas Weber")), headers={"HX-Request": "true"})
    assert r.status_code == 200 and "<html" not in r.text
    assert "Happy birthday, Jonas!" in html.unescape(r.text)


def test_building_the_agenda_view_writes_no_draft(web, alice, monkeypatch):
    # drafts are made when a suggestion is opened; building (and caching) the view never makes one
    from keepwarm.store import drafts
    from keepwarm.web.pages.today import agenda_view

    def refuse(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a draft was made while building the agenda view")

    for name in ("for_suggestion", "for_agenda", "context"):  # every way a draft is made
        monkeypatch.setattr(drafts, name, refuse)
    with web.store("a@example.com") as store:
        view = agenda_view(store)
    assert view["agenda"].items and "Happy birthday" not in repr(view)


def test_without_htmx_a_draft_is_a_page_of_its_own(web, alice):
    url = _draft_url(alice.get("/").text, _pid(web, "Jonas Weber"))
    r = alice.get(url)
    assert r.status_code == 200 and "<html" in r.text and "Draft message to Jonas Weber" in r.text
    assert "Happy birthday, Jonas!" in html.unescape(r.text)


def test_another_users_person_or_resource_has_no_draft(web, alice, bob):
    from keepwarm.core.people import Person
    from keepwarm.store.library import LibraryRepo

    jonas = _pid(web, "Jonas Weber")
    with web.store("a@example.com") as store:
        rid = LibraryRepo(store.session, store.owner_id, store.today).add(
            kind="book", title="Inspired", topics=["product management"]).id
    with web.store("b@example.com") as store:
        own = store.people.add(Person("Omar Haddad")).id
    base = "/today/draft?trigger=cadence&action=message&person_id="
    htmx = {"HX-Request": "true"}
    assert bob.get(base + str(jonas), headers=htmx).status_code == 404
    assert bob.get(base + str(jonas)).status_code == 404
    assert bob.get(f"{base}{own}&resource_id={rid}", headers=htmx).status_code == 404
    assert bob.get(base + str(own), headers=htmx).status_code == 200
    assert alice.get(base + str(jonas), headers=htmx).status_code == 200


def test_a_draft_links_to_the_mail_app_with_its_subject_and_body(web, alice):
    page = alice.get("/").text
    r = alice.get(_draft_url(page, _pid(web, "Jonas Weber")), headers={"HX-Request": "true"})
    text = html.unescape(re.search(r"<textarea[^>]*>([^<]*)</textarea>", r.text).group(1))
    href = html.unescape(re.search(r'href="(mailto:[^"]+)"', r.text).group(1))
    parts = urlsplit(href)
    query = parse_qs(parts.query)
    assert parts.path == "jonas@example.org" and query["subject"] == ["Happy birthday!"]
    assert query["body"] == [text.replace("\n", "\r\n")] and "\n" in text
    assert " " not in href and "\n" not in href  # every space and line break is encoded


def test_a_person_without_an_email_gets_a_draft_but_no_mail_link(web, bob):
    from keepwarm.core.people import Person

    with web.store("b@example.com") as store:
        pid = store.people.add(Person("Omar Haddad")).id
    r = bob.get(f"/today/draft?person_id={pid}&trigger=cadence&action=message",
                headers={"HX-Request": "true"})
    assert r.status_code == 200 and "Hi Omar" in r.text and "mailto:" not in r.text
    assert 'class="copy"' in r.text and 'role="status"' in r.text


def test_each_snooze_button_names_its_person_and_a_skip_link_leads_to_the_list(web, alice):
    page = alice.get("/").text
    who = r'<a class="who" id="s-\d+-who" href="/people/\d+">([^<]+)</a>'
    names = [html.unescape(n) for n in re.findall(who, page)]
    snoozes = [html.unescape(n) for n in re.findall(r'aria-label="Snooze ([^"]+)">Snooze</button>', page)]
    assert names and snoozes == names
    assert '<a class="skip" href="#agenda">' in page and 'id="agenda" tabindex="-1"' in page


def test_done_and_snooze_announce_their_result_in_the_live_region(web, alice):
    assert 'id="announce" class="visually-hidden" role="status" aria-live="polite"' in alice.get("/").text
    jonas, maya = _pid(web, "Jonas Weber"), _pid(web, "Maya Chen")
    r = alice.form("/today/done", {"person_id": jonas, "action": "birthday"}, htmx=True)
    said = re.search(r'<div id="announce" hx-swap-oob="innerHTML">([^<]*)</div>', r.text)
    assert said and said.group(1) == "Done: birthday with Jonas Weber, logged on 25 November."
    r = alice.form("/today/snooze", {"person_id": maya, "duration": "1w"}, htmx=True)
    said = re.search(r'<div id="announce" hx-swap-oob="innerHTML">([^<]*)</div>', r.text)
    assert said and said.group(1) == "Maya Chen is snoozed until 2 December."
    assert 'action="/undo"' in r.text and 'aria-label="Undo: snooze of Maya Chen"' in r.text


def test_done_and_snoozed_items_offer_undo_when_the_change_was_journalled(web):
    templates = web.app.state.web.templates.env
    item = {"id": 7, "name": "Maya Chen", "action": "message", "date": "2026-11-25", "until": "2026-12-09"}
    week = {"touches": 1, "goal": 5, "streak": 0}
    for name in ("partials/done.html", "partials/snoozed.html"):
        out = templates.get_template(name).render(item=item, week=week, csrf="tok-1", change_id=42)
        form = re.search(r'<form method="post" action="/undo" hx-post="/undo" hx-target="#s-7" '
                         r'hx-swap="outerHTML"[^>]*>(.*?)</form>', out, re.S)
        assert form, out
        assert 'name="csrf_token" value="tok-1"' in form.group(1)
        assert 'name="change_id" value="42"' in form.group(1) and ">Undo</button>" in form.group(1)
        assert "/undo" not in templates.get_template(name).render(item=item, week=week, csrf="tok-1")


def test_only_the_persons_own_event_colours_their_draft(web, alice, bob):
    from datetime import date

    from keepwarm.core.people import Person

    jonas = _pid(web, "Jonas Weber")  # (a second write session inside the first would wait on its lock)
    with web.store("a@example.com") as store:
        theirs = store.touches.add_event(jonas, "loss", date(2026, 11, 20)).id
    with web.store("b@example.com") as store:
        omar = store.people.add(Person("Omar Haddad")).id
        own = store.touches.add_event(omar, "loss", date(2026, 11, 20)).id
    base = f"/today/draft?person_id={omar}&trigger=life_event&action=message&event_id="
    htmx = {"HX-Request": "true"}
    assert "Dear Omar" in bob.get(base + str(own), headers=htmx).text  # the sympathy draft
    other = bob.get(base + str(theirs), headers=htmx)
    assert other.status_code == 200 and "Hi Omar" in other.text and "Dear Omar" not in other.text


def _occasion_of(page, pid):
    m = re.search(rf'id="s-{pid}".*?name="occasion_id" value="([^"]+)"', page, re.S)
    assert m, f"no occasion on the Done form of #{pid}"
    return html.unescape(m.group(1))


def test_done_closes_the_suggestions_occasion_for_good_and_undo_puts_it_back(web, alice):
    jonas = _pid(web, "Jonas Weber")
    page = alice.get("/").text
    oid = _occasion_of(page, jonas)
    assert oid.startswith(f"birthday:{jonas}:")
    r = alice.form("/today/done", {"person_id": jonas, "action": "birthday", "occasion_id": oid}, htmx=True)
    assert r.status_code == 200 and "Undo" in r.text
    change = re.search(r'name="change_id" value="(\d+)"', r.text)
    assert change
    assert f'id="s-{jonas}"' not in alice.get("/").text  # done is done, after a reload too
    back = alice.form("/undo", {"change_id": change.group(1)}, htmx=True)
    assert back.status_code == 200 and f'id="s-{jonas}"' in back.text and "Undone" in back.text
    assert _occasion_of(alice.get("/").text, jonas) == oid
    again = alice.form("/undo", {"change_id": change.group(1)}, htmx=True)
    assert again.status_code == 404


def test_one_user_cannot_undo_anothers_change(web, alice, bob):
    jonas = _pid(web, "Jonas Weber")
    r = alice.form("/today/snooze", {"person_id": jonas, "duration": "2w"}, htmx=True)
    change = re.search(r'name="change_id" value="(\d+)"', r.text).group(1)
    assert bob.form("/undo", {"change_id": change}, htmx=True).status_code == 404
    assert f'id="s-{jonas}"' not in alice.get("/").text


def test_a_time_budget_keeps_time_bound_items_and_says_what_did_not_fit(web, alice):
    page = alice.get("/?minutes=5").text
    assert 'id="left-out"' in page and "more that did not fit 5 minutes" in page
    shown = re.findall(r'<li class="card" id="s-(\d+)"', page)
    assert shown and len(shown) < alice.get("/").text.count('<li class="card" id="s-')
