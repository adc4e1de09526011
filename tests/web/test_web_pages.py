"""The pages, through the ASGI test client, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

from keepwarm.core.people import Person


def _pid(web, name):
    with web.store("a@example.com") as store:
        return store.people.resolve(name).id


def test_login_page_needs_no_session_and_the_today_page_redirects_to_it(web):
    c = web.client()
    assert c.get("/login").status_code == 200
    r = c.get("/")
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/"


def test_wrong_password_is_refused_and_right_one_logs_in(web):
    web.user("a@example.com")
    c = web.client()
    assert c.login("a@example.com", "not-the-password").status_code == 401
    r = c.login("a@example.com")
    assert r.status_code == 303 and r.headers["location"] == "/"
    assert c.get("/").status_code == 200


def test_today_shows_the_agenda_with_reasons(alice):
    page = alice.get("/").text
    assert "Jonas Weber" in page and "birthday in 3 days" in page
    assert "thank-you is owed" in page and 'data-trigger="life_event"' in page
    assert "This week:" in page


def test_marking_a_suggestion_done_logs_the_touch_and_swaps_the_item(web, alice):
    pid = _pid(web, "Jonas Weber")
    r = alice.form("/today/done", {"person_id": pid, "action": "birthday"}, htmx=True)
    assert r.status_code == 200 and f'id="s-{pid}"' in r.text and "Done:" in r.text
    assert "<html" not in r.text  # a fragment for htmx, not a full page
    with web.store("a@example.com") as store:
        touches = store.touches.of_person(pid)
        assert touches[0].action == "birthday" and touches[0].on_date.isoformat() == "2026-11-25"
    assert "birthday in 3 days" not in alice.get("/").text
    timeline = alice.get(f"/people/{pid}").text
    assert "Send a private birthday note" in timeline and "2026-11-25" in timeline


def test_snoozing_hides_a_person_from_today(web, alice):
    pid = _pid(web, "Jonas Weber")
    r = alice.form("/today/snooze", {"person_id": pid, "duration": "1w"}, htmx=True)
    assert r.status_code == 200 and "snoozed until 2 December" in r.text
    assert "Jonas Weber" not in alice.get("/").text


def test_quick_log_resolves_the_autocomplete_value_and_reports_ambiguity(web, alice):
    pid = _pid(web, "Jonas Weber")
    options = alice.get("/people/suggest", params={"person": "jon"}).text
    assert f'value="Jonas Weber (#{pid})"' in options
    r = alice.form("/touches", {"person": f"Jonas Weber (#{pid})", "action": "call", "when": "yesterday",
                                "note": "long chat"}, htmx=True)
    assert r.status_code == 200 and "Logged call with" in r.text and "2026-11-24" in r.text
    with web.store("a@example.com") as store:
        store.people.add(Person("Jonas Other"))
    r = alice.form("/touches", {"person": "Jonas", "action": "call"}, htmx=True)
    assert r.status_code == 409 and r.headers["HX-Retarget"] == "#flash" and "more than one" in r.text


def test_an_unknown_action_is_a_clear_error_and_logs_nothing(web, alice):
    pid = _pid(web, "Jonas Weber")
    r = alice.form("/today/done", {"person_id": pid, "action": "telepathy"}, htmx=True)
    assert r.status_code == 422 and "unknown action" in r.text
    with web.store("a@example.com") as store:
        assert all(t.action != "telepathy" for t in store.touches.of_person(pid))


def test_people_list_filters_sorts_and_pages(web, alice):
    with web.store("a@example.com") as store:
        for i in range(60):
            store.people.add(Person(f"Zed Person {i:02d}", tags=["bulk"], circle="occasional"))
    page1 = alice.get("/people", params={"tag": "bulk"}).text
    assert "60 people" in page1 and "page 1 of 2" in page1 and "Zed Person 00" in page1
    page2 = alice.get("/people", params={"tag": "bulk", "page": 2}).text
    assert "Zed Person 59" in page2 and "Zed Person 00" not in page2
    assert "Maya Chen" in alice.get("/people", params={"q": "maya"}).text
    inner = alice.get("/people", params={"circle": "inner"}).text
    assert "Zed Person" not in inner
    due = alice.get("/people", params={"due": "true", "sort": "overdue"}).text
    names = re.findall(r'<a href="/people/\d+">([^<]+)</a>', due)
    # never touched is due from joining (core.cadence), and comes after everyone touched
    touched = [n for n in names if not n.startswith("Zed Person")]
    assert touched and "Zed Person 00" in names and names[:len(touched)] == touched
    assert alice.get("/people", params={"circle": "nope"}).status_code == 422


def test_people_sorted_by_overdue_put_the_most_overdue_first(web, alice):
    with web.store("a@example.com") as store:
        rows = store.people.rows(store.people.query(due=True))
        ratios = {r.name: (store.today - r.last_touch).days / r.cadence_days for r in rows if r.last_touch}
        never = {r.name for r in rows if r.last_touch is None}
    page = alice.get("/people", params={"sort": "overdue", "due": "true"}).text
    listed = re.findall(r'<a href="/people/\d+">([^<]+)</a>', page)
    names = [n for n in listed if n in ratios]
    assert names == sorted(ratios, key=lambda n: -ratios[n])
    assert listed[len(names):] == sorted(never)  # the never touched, due since they joined, come last


def test_person_page_shows_profile_timeline_chart_and_balance(web, alice):
    pid = _pid(web, "Maya Chen")
    page = alice.get(f"/people/{pid}").text
    assert "Maya Chen" in page and "Give/ask balance" in page and "<svg" in page
    assert 'id="timeline"' in page and "Strength of your relationship with Maya Chen" in page


def test_editing_a_person_saves_and_bad_input_changes_nothing(web, alice):
    pid = _pid(web, "Maya Chen")
    form = {"name": "Maya Chen", "company": "New Co", "emails": "maya@new.example", "tags": "a, b",
            "circle": "close", "every": "30d", "birthday": "03-14"}
    assert alice.form(f"/people/{pid}/edit", form).status_code == 303
    with web.store("a@example.com") as store:
        p = store.people.get(pid)
        assert (p.company, p.emails, p.tags, p.every_days) == ("New Co", ["maya@new.example"], ["a", "b"], 30)
    r = alice.form(f"/people/{pid}/edit", {**form, "company": "Other", "emails": "not an email"})
    assert r.status_code == 422 and "not a valid email address" in r.text
    with web.store("a@example.com") as store:
        assert store.people.get(pid).company == "New Co"


def test_adding_a_person_through_the_form(web, alice):
    r = alice.form("/people/new", {"name": "Grace Hopper", "company": "Navy", "birthday": "1906-12-09"})
    assert r.status_code == 303
    page = alice.get(r.headers["location"]).text
    assert "Grace Hopper" in page and "Navy" in page
    bad = alice.form("/people/new", {"name": "x" * 500})
    assert bad.status_code == 422 and "at most 200" in bad.text


def test_logging_deleting_touches_and_events_from_the_person_page(web, alice):
    pid = _pid(web, "Maya Chen")
    assert alice.form(f"/people/{pid}/log", {"action": "coffee", "when": "2026-11-20"}).status_code == 303
    assert alice.form(f"/people/{pid}/events", {"kind": "new-job", "on": "2026-11-20"}).status_code == 303
    with web.store("a@example.com") as store:
        touch = store.touches.of_person(pid)[0]
        event = store.touches.events_of(pid)[-1]
    assert touch.action == "coffee" and event.kind == "new-job"
    assert alice.form(f"/touches/{touch.id}/delete", htmx=True).status_code == 200
    assert alice.form(f"/events/{event.id}/delete").status_code == 303
    with web.store("a@example.com") as store:
        assert touch.id not in [t.id for t in store.touches.of_person(pid)]
        assert event.id not in [e.id for e in store.touches.events_of(pid)]
    assert alice.form(f"/people/{pid}/delete").status_code == 303
    assert alice.get(f"/people/{pid}").status_code == 404


def test_insights_draw_svg_charts_with_their_numbers_as_text(alice):
    page = alice.get("/insights").text
    assert page.count("<svg") == 4
    assert "Share of people within cadence per circle" in page and "inner" in page
    assert re.search(r'class="val">\d+%</text>', page)  # values written, not only coloured


def test_settings_change_circle_rhythm_add_action_and_preferences(web, alice):
    assert alice.form("/settings/circles", {"name": "inner", "every": "2w"}).status_code == 303
    assert alice.form("/settings/actions", {"name": "podcast", "label": "Send a podcast", "weight": "2",
                                            "minutes": "5", "kind": "give"}).status_code == 303
    assert alice.form("/settings/prefs", {"key": "weekly_goal", "value": "7"}).status_code == 303
    page = alice.get("/settings").text
    assert "Send a podcast" in page and "<td>2w</td>" in page
    assert "of 7 touches" in alice.get("/").text
    assert alice.form("/settings/prefs", {"key": "weekly_goal", "value": "-1"}).status_code == 422


def test_password_change_needs_the_current_one_and_ends_other_sessions(web, alice):
    other = web.logged_in("a@example.com")
    wrong = alice.form("/settings/password", {"current": "nope", "new": "new-password-1",
                                              "repeat": "new-password-1"})
    assert wrong.status_code == 422
    ok = alice.form("/settings/password", {"current": "password-of-a", "new": "new-password-1",
                                           "repeat": "new-password-1"})
    assert ok.status_code == 200 and "Password changed" in ok.text
    assert alice.get("/").status_code == 200
    assert other.get("/").status_code == 303
    assert web.client().login("a@example.com", "new-password-1").status_code == 303


def test_import_page_offers_an_upload_form(alice):
    page = alice.get("/import").text
    assert 'type="file"' in page and 'name="csrf_token"' in page


def test_today_is_cached_until_the_account_changes_its_data_in_any_web_process(web, alice, client_for):
    from keepwarm.web import create_app

    other_process = client_for(create_app(web.settings, pin_today=True, secret="test-secret-key"))
    other_process.http.cookies = alice.http.cookies  # the same session, served by a second app
    other_process.csrf = alice.csrf
    assert "Jonas Weber" in alice.get("/").text  # cached now
    pid = _pid(web, "Jonas Weber")
    assert other_process.form("/today/snooze", {"person_id": pid, "duration": "1w"}).status_code == 303
    assert "Jonas Weber" not in alice.get("/").text  # the version in the database moved on
    other_process.http.app.state.web.close()


def test_a_today_page_served_again_carries_each_browsers_own_csrf_token_and_the_latest_data(web, alice,
                                                                                        monkeypatch):
    from keepwarm.web.pages import today

    built, rendered = [], []
    build, render = today.agenda_view, web.app.state.web.render
    monkeypatch.setattr(today, "agenda_view", lambda *a, **kw: built.append(1) or build(*a, **kw))
    monkeypatch.setattr(web.app.state.web, "render",
                        lambda request, name, *a, **kw: rendered.append(name) or render(request, name, *a,
                                                                                        **kw))
    laptop, phone = alice, web.logged_in("a@example.com")  # two browsers of one account
    pages = {}
    for browser in (laptop, phone, laptop, phone):
        page = browser.get("/").text
        assert set(re.findall(r'name="csrf_token" value="([^"]+)"', page)) == {browser.csrf}
        assert pages.setdefault(id(browser), page) == page
    assert laptop.csrf != phone.csrf
    assert len(built) == 1  # one agenda for the account
    assert rendered.count("today.html") == 2  # one page per browser: the second visits were kept pages
    assert laptop.form("/today/snooze", {"person_id": _pid(web, "Jonas Weber"), "duration": "1w"}
                       ).status_code == 303
    assert "Jonas Weber" not in phone.get("/").text  # a change makes both afresh
    assert len(built) == 2


def test_changes_made_outside_the_web_app_show_on_the_next_request_whatever_the_cache_ttl(web, client_for):
    from keepwarm.web import create_app

    web.user("a@example.com")
    for ttl in (3600.0, 0.0):
        app = create_app(web.settings, pin_today=True, secret="s", cache_ttl=ttl)
        c = client_for(app)
        assert c.login("a@example.com").status_code == 303
        before = c.get("/").text
        with web.store("a@example.com") as store:  # as the CLI would: no web request involved
            pid = store.people.add(Person(f"Fresh Face {ttl}", emails=[f"f{int(ttl)}@example.com"])).id
            store.touches.log("received", [pid])
        assert f"Fresh Face {ttl}" not in before
        assert f"Fresh Face {ttl}" in c.get("/").text
        app.state.web.close()


def test_importing_the_linkedin_export_shows_a_dry_run_then_imports_on_confirm(web, alice, fixtures_dir):
    data = (fixtures_dir / "linkedin" / "Connections.csv").read_bytes()
    with web.store("a@example.com") as store:
        before = store.people.count(store.people.query())
    r = alice.http.post("/import", data={"csrf_token": alice.csrf},
                        files={"file": ("Connections.csv", data, "text/csv")})
    assert r.status_code == 200 and "Dry run" in r.text and "Confirm import" in r.text
    assert "<td>Sabrina Woods</td><td>Woods Career Services</td><td>6</td>" in r.text  # created, by name
    assert "<td>Dawn Graham</td><td>Dawn Graham</td><td>LinkedIn URL" in r.text  # merged into the demo's
    with web.store("a@example.com") as store:
        assert store.people.count(store.people.query()) == before  # a dry run saves nothing
    upload_id = re.search(r'name="upload_id" value="([^"]+)"', r.text).group(1)
    assert 'name="payload"' not in r.text  # the file stays on the server
    r = alice.form("/import/confirm", {"upload_id": upload_id})
    assert r.status_code == 200 and "Imported Connections.csv" in r.text
    with web.store("a@example.com") as store:
        after = store.people.count(store.people.query())
    assert after > before
    r = alice.form("/import/confirm", {"upload_id": upload_id})
    assert r.status_code == 404 and "already imported or has expired" in r.text
    with web.store("a@example.com") as store:
        assert store.people.count(store.people.query()) == after


def test_done_also_updates_the_weeks_progress_out_of_band(web, alice):
    pid = _pid(web, "Maya Chen")
    before = re.search(r"This week: <strong>(\d+)</strong>", alice.get("/").text).group(1)
    r = alice.form("/today/done", {"person_id": pid, "action": "call"}, htmx=True)
    assert 'id="progress" hx-swap-oob="true"' in r.text
    assert f"This week: <strong>{int(before) + 1}</strong>" in r.text


def test_importing_the_web_package_builds_nothing_and_loads_no_web_framework():
    import subprocess
    import sys

    code = ("import sys, keepwarm.web; "
            "print(any(m.split('.')[0] in ('fastapi', 'starlette', 'jinja2') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_the_overdue_sort_pages_through_everyone_once_with_the_never_touched_last(web, alice):
    from datetime import timedelta

    with web.store("a@example.com") as store:
        for i in range(70):
            pid = store.people.add(Person(f"Bulk {i:02d}", circle="warm" if i % 2 else "close")).id
            if i < 40:
                store.touches.log("like", [pid], store.today - timedelta(days=3 * i))
        rows = store.people.rows(store.people.query())
        ratio = {r.id: ((store.today - r.last_touch).days / r.cadence_days if r.last_touch else None)
                 for r in rows}
    seen = []
    for page in (1, 2):
        r = alice.api("GET", f"/api/v1/people?sort=overdue&limit=50&offset={(page - 1) * 50}").json()
        seen += [p["id"] for p in r["items"]]
    assert sorted(seen) == sorted(ratio)  # everyone exactly once
    touched = [i for i in seen if ratio[i] is not None]
    assert seen[:len(touched)] == touched  # never touched last
    assert [ratio[i] for i in touched] == sorted((ratio[i] for i in touched), reverse=True)


def test_a_new_job_from_the_person_page_moves_company_and_title_and_shows_where_they_came_from(web, alice):
    pid = _pid(web, "Maya Chen")  # Engineering Manager at Northwind in the demo network
    r = alice.form(f"/people/{pid}/events", {"kind": "new-job", "on": "2026-11-20", "company": "Indeed",
                                             "title": "Staff Engineer"})
    assert r.status_code == 303
    with web.store("a@example.com") as store:
        row = store.people.row(pid)
        event = store.touches.events_of(pid)[-1]
    assert (row.company, row.title) == ("Indeed", "Staff Engineer")
    assert (event.prev_company, event.prev_title) == ("Northwind", "Engineering Manager")
    assert event.created_at is not None
    page = alice.get(f"/people/{pid}").text
    assert "Staff Engineer at Indeed" in page and "from Engineering Manager at Northwind" in page
