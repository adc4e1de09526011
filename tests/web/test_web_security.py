"""Security: logins on every route, owners kept apart, escaping, CSRF, rate limiting, cookie flags."""

from __future__ import annotations

import re

import pytest

from keepwarm.core.people import Person

PUBLIC = {"/login", "/feed/{token}.ics", "/healthz"}
ID_PARAMS = ("person_id", "touch_id", "event_id", "token_id", "resource_id", "feed_id", "mention_id")
WORD_PARAMS = {"token", "verdict"}  # not ids: a feed token, confirm|dismiss


def all_routes(app):
    """(method, path template) for every route of the app, included routers too."""

    def walk(routes):
        for r in routes:
            if hasattr(r, "original_router"):
                yield from walk(r.original_router.routes)
            elif getattr(r, "methods", None) and getattr(r, "path", "").startswith("/") \
                    and not r.path.startswith("/static"):
                for m in sorted(r.methods - {"HEAD"}):
                    yield m, r.path

    return sorted(set(walk(app.routes)))


def _fill(path, ids):
    return re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), 1)), path)


def test_the_route_table_is_what_these_tests_cover(web):
    routes = all_routes(web.app)
    assert len(routes) > 35
    assert ("GET", "/feed/{token}.ics") in routes and ("DELETE", "/api/v1/people/{person_id}") in routes
    assert ("GET", "/library") in routes and ("POST", "/library/{resource_id}/share") in routes
    # every id in a path is one these tests fill with user A's ids
    params = {p for _, path in routes for p in re.findall(r"\{(\w+)\}", path)}
    assert params - WORD_PARAMS <= set(ID_PARAMS), params


def test_every_route_without_a_session_is_refused(web):
    web.user("a@example.com")
    c = web.client()
    c.refresh_csrf()  # an anonymous session with a valid CSRF token: only the login is missing
    checked = 0
    for method, path in all_routes(web.app):
        if path in PUBLIC:
            continue
        url = _fill(path, {})
        if path.startswith("/api/"):
            r = c.api(method, url, json={})
            assert r.status_code == 401, (method, path, r.status_code)
            assert r.json()["error"] == "Unauthorized"
        else:
            r = c.http.request(method, url, data={"csrf_token": c.csrf})
            assert r.status_code == 303 and r.headers["location"].startswith("/login"), (method, path)
        checked += 1
    assert checked > 35


def test_a_bad_bearer_token_is_refused_even_with_a_session(alice):
    r = alice.http.get("/api/v1/people", headers={"Authorization": "Bearer kw_not-a-token"})
    assert r.status_code == 401


def _a_ids(web):
    """Ids of user A's records of every kind."""
    from keepwarm.store import accounts

    with web.store("a@example.com") as store:
        pid = store.people.resolve("Maya Chen").id
        tid = store.touches.of_person(pid)[0].id
        from keepwarm.store.models import LifeEventRow

        eid = store.session.query(LifeEventRow.id).filter_by(owner_id=store.owner_id).limit(1).scalar()
        tok, _ = accounts.create_api_token(store.session, store.owner_id, "a's token")
        from keepwarm.store.library import LibraryRepo

        rid = LibraryRepo(store.session, store.owner_id, store.today).add(
            kind="book", title="Inspired", topics=["product management"]).id
        from datetime import datetime

        from keepwarm.store.models import FeedRow, Mention, NewsItem

        feed = FeedRow(owner_id=store.owner_id, url="https://example.com/feed.xml", created_at=datetime.now())
        item = NewsItem(owner_id=store.owner_id, key="a-item", title="Maya Chen promoted",
                        created_at=datetime.now())
        store.session.add_all([feed, item])
        store.session.flush()
        mention = Mention(owner_id=store.owner_id, item_id=item.id, person_id=pid, matched="their company",
                          found_on=store.today)
        store.session.add(mention)
        store.session.flush()
        return {"person_id": pid, "touch_id": tid, "event_id": eid, "token_id": tok.id, "resource_id": rid,
                "feed_id": feed.id, "mention_id": mention.id, "verdict": "dismiss"}


def _snapshot(web):
    from keepwarm.store import accounts
    from keepwarm.store.profiles import profile, summaries

    with web.store("a@example.com") as store:
        people = summaries(store, store.people.query())
        return (people, [profile(store, p["id"]) for p in people],
                [t.id for t in accounts.api_tokens(store.session, store.owner_id)])


def test_user_b_gets_404_for_every_id_of_user_a_on_every_route_and_method(web, alice, bob):
    ids = _a_ids(web)
    before = _snapshot(web)
    checked = 0
    for method, path in all_routes(web.app):
        if not any("{" + p + "}" in path for p in ID_PARAMS):
            continue
        url = _fill(path, ids)
        if path.startswith("/api/"):
            body = {"name": "Hijack"} if method == "PATCH" else None
            r = bob.api(method, url, json=body)
        else:
            r = bob.http.request(method, url, data={"csrf_token": bob.csrf, "action": "call", "kind": "loss",
                                                    "on": "2026-11-20", "name": "Hijack", "emails": "",
                                                    "person": f"#{ids['person_id']}"})
        assert r.status_code == 404, (method, url, r.status_code, r.text[:200])
        checked += 1
    assert checked >= 15
    # ids of A inside forms and bodies are not found either
    pid = ids["person_id"]
    for path, data in (("/today/done", {"person_id": pid, "action": "call"}),
                       ("/today/snooze", {"person_id": pid, "duration": "2w"}),
                       ("/touches", {"person": f"Maya Chen (#{pid})", "action": "call"}),
                       ("/touches", {"person": f"#{pid}", "action": "call"})):
        assert bob.form(path, data).status_code == 404, path
    assert bob.api("POST", "/api/v1/touches", json={"people": [pid], "action": "call"}).status_code == 404
    assert bob.api("POST", "/api/v1/events", json={"person_id": pid, "kind": "loss",
                                                   "date": "2026-11-20"}).status_code == 404
    assert bob.api("GET", f"/api/v1/touches?person_id={pid}").status_code == 404
    assert bob.api("GET", f"/api/v1/events?person_id={pid}").status_code == 404
    assert "Maya" not in bob.get("/people/suggest", params={"person": "Maya"}).text
    assert bob.api("GET", "/api/v1/people").json()["total"] == 0
    assert "Maya" not in bob.get("/").text and "Maya" not in bob.get("/people").text
    assert "Inspired" not in bob.get("/library").text
    assert _snapshot(web) == before  # nothing of A's changed


def test_a_script_in_a_name_renders_as_text_everywhere(web, alice):
    evil = "<script>alert(1)</script>"
    with web.store("a@example.com") as store:
        p = store.people.add(Person(evil, company=evil, notes=evil, tags=["<b>x</b>"]))
        store.touches.log("received", [p.id], note=evil)  # a thank-you owed: shows on Today
    from keepwarm.store.library import LibraryRepo

    with web.store("a@example.com") as store:
        LibraryRepo(store.session, store.owner_id, store.today).add(
            kind="article", title=evil, topics=[evil], review=evil, url="https://example.com/x")
    pages = [alice.get(u).text for u in ("/", "/people", f"/people/{p.id}", "/people?q=script",
                                          "/people/suggest?person=%3Cscript", "/library")]
    for page in pages:
        assert evil not in page and "<b>x</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[2]
    assert any("&lt;script&gt;" in page for page in pages[:2])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[5]


def test_a_form_post_without_or_with_a_wrong_csrf_token_is_refused(web, alice):
    with web.store("a@example.com") as store:
        pid = store.people.resolve("Maya Chen").id
        before = len(store.touches.of_person(pid))
    r = alice.http.post("/today/done", data={"person_id": pid, "action": "call"})
    assert r.status_code == 403
    r = alice.http.post("/today/done", data={"person_id": pid, "action": "call", "csrf_token": "forged"})
    assert r.status_code == 403
    r = alice.http.post("/people/new", data={"name": "Mallory"})
    assert r.status_code == 403
    r = alice.http.post("/api/v1/people", json={"name": "Mallory"})  # session without the header
    assert r.status_code == 403 and r.json()["error"] == "CsrfError"
    r = alice.http.post("/login", data={"email": "a@example.com", "password": "password-of-a"})
    assert r.status_code == 403
    with web.store("a@example.com") as store:
        assert len(store.touches.of_person(pid)) == before
    found = alice.api("GET", "/api/v1/people?q=mallory").json()["items"]
    assert "Mallory" not in [p["name"] for p in found]


def test_login_is_rate_limited_per_address_and_email(web):
    web.user("a@example.com")
    c = web.client()
    for _ in range(5):
        assert c.login("a@example.com", "wrong-password").status_code == 401
    r = c.login("a@example.com")  # even the right password waits now
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert "too many failed logins" in r.text


def test_the_session_cookie_is_signed_httponly_and_samesite(web):
    web.user("a@example.com")
    c = web.client()
    r = c.login("a@example.com")
    cookie = r.headers["set-cookie"].lower()
    assert "kw_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    value = c.http.cookies["kw_session"]
    c.http.cookies.clear()
    c.http.cookies.set("kw_session", value[:-4] + ("AAAA" if not value.endswith("AAAA") else "BBBB"))
    assert c.get("/").status_code == 303  # a tampered cookie is no session


def test_login_never_redirects_to_another_site(web):
    web.user("a@example.com")
    c = web.client()
    token = c.refresh_csrf()
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        r = c.http.post("/login", data={"email": "a@example.com", "password": "password-of-a",
                                        "csrf_token": token, "next": target})
        assert r.status_code == 303 and r.headers["location"] == "/"
        c.http.cookies.clear()
        token = c.refresh_csrf()


def test_pages_forbid_inline_scripts_and_framing(alice):
    csp = alice.get("/").headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "script-src" not in csp


@pytest.mark.parametrize("path", ["/static/htmx.min.js", "/static/app.css"])
def test_static_files_are_served_locally(web, path):
    r = web.client().get(path)
    assert r.status_code == 200 and len(r.content) > 1000


def test_ids_too_large_for_the_database_are_refused_not_crashed_on(alice):
    huge = "99999999999999999999"
    assert alice.get(f"/people/{huge}").status_code == 422
    assert alice.api("GET", f"/api/v1/people/{huge}").status_code == 422
    assert alice.form("/today/done", {"person_id": huge, "action": "call"}).status_code == 422
    assert alice.form("/touches", {"person": f"#{huge}", "action": "call"}).status_code == 404
    assert alice.form("/touches", {"person": f"Someone (#{huge})", "action": "call"}).status_code == 404
