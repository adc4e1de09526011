"""Drafts on Today, library matches kept current by web edits, and the Library page with sharing."""

from __future__ import annotations

import html
import re


def _add_resource(web, email, title="Inspired", topic="product management", **kw):
    from keepwarm.store.library import LibraryRepo

    with web.store(email) as store:
        row = LibraryRepo(store.session, store.owner_id, store.today).add(
            kind=kw.pop("kind", "book"), title=title, topics=[topic], **kw)
        return row.id


def _library_items(page):
    """(person name) of each library suggestion on the Today page."""
    items = re.findall(r'<li class="card" id="s-\d+" data-trigger="library"[^>]*>\s*<div class="row">\s*'
                       r'<a class="who"[^>]*>([^<]+)</a>', page)
    return [html.unescape(n) for n in items]


def _drafts(client, page):
    """{name: draft text} of every suggestion on the Today page, each fetched as its <details> would."""
    out = {}
    for url in re.findall(r'hx-get="(/today/draft\?[^"]+)"', page):
        r = client.get(html.unescape(url), headers={"HX-Request": "true"})
        assert r.status_code == 200, r.text
        m = re.search(r'aria-label="Draft message to ([^"]+)">([^<]*)</textarea>', r.text)
        assert m, r.text
        out[html.unescape(m.group(1))] = html.unescape(m.group(2))
    return out


def test_each_suggestion_on_today_opens_its_own_draft(alice):
    page = alice.get("/").text
    drafts = _drafts(alice, page)
    assert len(drafts) == page.count('<li class="card" id="s-') > 3
    assert drafts["Jonas Weber"].startswith("Happy birthday, Jonas!")
    assert all(t.strip() for t in drafts.values())


def test_drafts_on_today_are_the_ones_the_cli_prints(web, alice):
    from keepwarm.store.drafts import for_agenda

    with web.store("a@example.com") as store:
        items = store.agenda.build(days=7).items
        texts = for_agenda(store.session, store.owner_id, store.today, items,
                           [web.settings.config_dir / "templates"])
    drafts = _drafts(alice, alice.get("/").text)
    assert [drafts[i.person.name] for i in items] == [t.strip() for t in texts]


def test_a_users_own_template_shapes_the_drafts_and_a_broken_one_costs_only_that_draft(web, alice):
    own = web.settings.config_dir / "templates" / "drafts"
    own.mkdir(parents=True)
    (own / "birthday.txt.j2").write_text("Alles Gute, {{ first_name }}!\n")
    page = alice.get("/").text
    assert _drafts(alice, page)["Jonas Weber"] == "Alles Gute, Jonas!"
    (own / "birthday.txt.j2").write_text("{% if %}\n")
    url = html.unescape(re.search(r'hx-get="(/today/draft\?person_id=\d+&amp;trigger=birthday[^"]*)"',
                                  page).group(1))
    r = alice.get(url, headers={"HX-Request": "true"})
    assert r.status_code == 200 and "The draft is not shown:" in r.text and "birthday.txt.j2" in r.text
    assert alice.get("/").status_code == 200 and "Jonas Weber" in alice.get("/").text


def test_a_draft_with_markup_is_escaped(web, alice):
    own = web.settings.config_dir / "templates" / "drafts"
    own.mkdir(parents=True)
    (own / "birthday.txt.j2").write_text("<script>alert(1)</script> {{ first_name }}</textarea>\n")
    url = html.unescape(re.search(r'hx-get="(/today/draft\?person_id=\d+&amp;trigger=birthday[^"]*)"',
                                  alice.get("/").text).group(1))
    r = alice.get(url, headers={"HX-Request": "true"})
    assert "<script>alert(1)" not in r.text and "&lt;/textarea&gt;" in r.text


def test_a_person_added_through_the_form_after_a_resource_gets_a_library_item_on_today(web, bob):
    _add_resource(web, "b@example.com", topic="beekeeping")
    assert _library_items(bob.get("/").text) == []
    r = bob.form("/people/new", {"name": "Omar Haddad", "interests": "beekeeping"})
    assert r.status_code == 303
    page = bob.get("/").text
    assert _library_items(page) == ["Omar Haddad"]
    assert "Since you are interested in beekeeping" in _drafts(bob, page)["Omar Haddad"]  # the share draft


def test_editing_a_persons_interests_on_the_web_page_refreshes_their_matches(web, bob):
    _add_resource(web, "b@example.com", topic="beekeeping")
    assert bob.form("/people/new", {"name": "Ann Other", "interests": "gardening"}).status_code == 303
    assert _library_items(bob.get("/").text) == []
    with web.store("b@example.com") as store:
        pid = store.people.resolve("Ann Other").id
    r = bob.form(f"/people/{pid}/edit", {"name": "Ann Other", "interests": "beekeeping"})
    assert r.status_code == 303
    assert _library_items(bob.get("/").text) == ["Ann Other"]


def test_people_added_or_changed_through_the_api_are_matched_too(web, bob):
    _add_resource(web, "b@example.com", topic="beekeeping")
    r = bob.api("POST", "/api/v1/people", json={"name": "Omar Haddad", "interests": ["beekeeping"]})
    assert r.status_code == 201
    agenda = bob.api("GET", "/api/v1/agenda").json()
    items = agenda["items"] if isinstance(agenda, dict) else agenda
    assert [i["person"]["name"] for i in items if i["trigger"] == "library"] == ["Omar Haddad"]
    r = bob.api("POST", "/api/v1/people", json={"name": "Ann Other"})
    bob.api("PATCH", f"/api/v1/people/{r.json()['id']}", json={"interests": ["beekeeping"]})
    from keepwarm.store.library import LibraryRepo

    with web.store("b@example.com") as store:
        found = {m.person_id for m in LibraryRepo(store.session, store.owner_id, store.today).matches()}
    assert r.json()["id"] in found


def test_the_library_page_lists_resources_with_topics_summary_and_who_they_suit(web, alice):
    rid = _add_resource(web, "a@example.com", review="Read it before switching roles.",
                        summary=["Discovery comes before delivery.", "Talk to users every week."],
                        url="https://example.com/inspired", author="Marty Cagan")
    page = alice.get("/library").text
    assert f'id="r-{rid}"' in page and "Inspired" in page and "Marty Cagan" in page
    assert "product management" in page and "Talk to users every week." in page
    assert "Read it before switching roles." in page and 'href="https://example.com/inspired"' in page
    suits = re.findall(r"Share Inspired with ([^\"]+)\"", page)
    assert set(suits) >= {"Ravi Patel", "Jonas Weber"}


def test_sharing_from_the_library_logs_the_touch_and_the_person_is_not_suggested_again(web, alice):
    rid = _add_resource(web, "a@example.com")
    with web.store("a@example.com") as store:
        ravi = store.people.resolve("Ravi Patel").id
        before = len(store.touches.of_person(ravi))
    r = alice.form(f"/library/{rid}/share", {"person": f"Ravi Patel (#{ravi})"}, htmx=True)
    assert r.status_code == 200 and "Shared with" in r.text and "Ravi Patel" in r.text
    assert "Share Inspired with Ravi Patel" not in r.text
    with web.store("a@example.com") as store:
        touches = store.touches.of_person(ravi)
        assert len(touches) == before + 1 and touches[0].action == "recommend"
    r = alice.form(f"/library/{rid}/share", {"person": "Jonas"})  # without htmx: back to the list
    assert r.status_code == 303 and r.headers["location"] == f"/library#r-{rid}"
    assert "Shared with Jonas Weber, Ravi Patel." in alice.get("/library").text
    assert alice.form(f"/library/{rid}/share", {"person": "Nobody Known"}).status_code == 404
    assert alice.form(f"/library/{rid + 1000}/share", {"person": "Jonas"}).status_code == 404


def test_the_library_page_escapes_titles_and_never_links_a_script_address(web, bob):
    evil = "<script>alert(1)</script>"
    _add_resource(web, "b@example.com", title=evil, topic=evil, url="javascript:alert(1)", kind="article")
    page = bob.get("/library").text
    assert evil not in page and "&lt;script&gt;" in page and 'href="javascript:' not in page


def test_an_empty_library_says_how_to_add_to_it(bob):
    page = bob.get("/library").text
    assert "Your library is empty" in page and "keepwarm library add" in page


def test_saving_topics_on_the_library_page_changes_who_it_suits(web, bob):
    rid = _add_resource(web, "b@example.com", title="Field notes", topic="beekeeping")
    assert bob.form("/people/new", {"name": "Ann Other", "interests": "career change"}).status_code == 303
    page = bob.get("/library").text
    assert 'name="topics" value="beekeeping"' in page and "Share Field notes with Ann Other" not in page
    r = bob.form(f"/library/{rid}/topics", {"topics": "Career change, switching jobs"}, htmx=True)
    assert r.status_code == 200 and "Topics saved" in r.text
    assert 'value="career change, switching jobs"' in r.text
    assert "Share Field notes with Ann Other" in r.text and "interested in career change" in r.text
    r = bob.form(f"/library/{rid}/topics", {"topics": ""})  # without htmx: back to the list
    assert r.status_code == 303 and r.headers["location"] == f"/library#r-{rid}"
    assert "Share Field notes with Ann Other" not in bob.get("/library").text
    assert bob.form(f"/library/{rid + 1000}/topics", {"topics": "x"}).status_code == 404
