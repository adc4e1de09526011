"""Sessions kept in the database: logout ends them for good, they expire, Settings lists and revokes them;
password checks are limited per account and per address, across app instances."""

from __future__ import annotations

import logging
from datetime import timedelta

from keepwarm.store.limits import Limit
from keepwarm.web.limits import Guard


def _age_sessions(web, **delta):
    """Move every session's times back, as if ``delta`` had passed."""
    from sqlalchemy import select

    from keepwarm.store.models import WebSession

    back = timedelta(**delta)
    with web.app.state.web.db.session() as session:
        for row in session.scalars(select(WebSession)):
            row.created_at, row.last_seen_at, row.expires_at = (
                row.created_at - back, row.last_seen_at - back, row.expires_at - back)


def test_a_cookie_saved_before_logout_opens_nothing_afterwards(web, alice):
    saved = dict(alice.http.cookies)
    csrf = alice.csrf
    assert alice.form("/logout").status_code == 303
    thief = web.client()
    for name, value in saved.items():
        thief.http.cookies.set(name, value)
    thief.csrf = csrf
    assert thief.get("/settings").status_code == 303
    r = thief.api("POST", "/api/v1/people", json={"name": "Written After Logout"})
    assert r.status_code == 401
    from keepwarm.store.profiles import summaries

    with web.store("a@example.com") as store:
        assert "Written After Logout" not in [p["name"] for p in summaries(store, store.people.query())]


def test_the_cookie_holds_only_an_id_whose_hash_is_stored(web, alice):
    from sqlalchemy import select

    from keepwarm.store.models import WebSession

    with web.app.state.web.db.session() as session:
        hashes = session.scalars(select(WebSession.id_hash)).all()
    cookie = alice.http.cookies["kw_session"]
    assert len(hashes) == 1 and hashes[0] not in cookie


def test_settings_lists_the_browsers_and_logs_one_out(web, alice):
    other = web.client()
    other.http.headers["user-agent"] = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Firefox/130.0"
    assert other.login("a@example.com").status_code == 303
    page = alice.get("/settings")
    assert page.headers["cache-control"] == "no-store"
    assert "Firefox on Linux" in page.text and "(this browser)" in page.text
    import re

    theirs = re.search(r'Firefox on Linux.*?name="session" value="([0-9a-f]{64})"', page.text, re.S).group(1)
    assert alice.form("/settings/sessions/revoke", {"session": theirs}).status_code == 303
    assert other.get("/settings").status_code == 303
    assert alice.get("/settings").status_code == 200
    assert alice.form("/settings/sessions/revoke", {"session": theirs}).status_code == 404


def test_log_out_everywhere_ends_every_session_of_the_account_only(web, alice, bob):
    second = web.logged_in("a@example.com")
    assert alice.form("/settings/sessions/revoke-all").status_code == 303
    assert alice.get("/").status_code == 303 and second.get("/").status_code == 303
    assert bob.get("/settings").status_code == 200


def test_sessions_end_after_the_idle_time_and_after_the_absolute_lifetime(web, alice):
    assert alice.get("/settings").status_code == 200
    _age_sessions(web, days=6)  # used within the idle week: still open, and seen again now
    assert alice.get("/settings").status_code == 200
    _age_sessions(web, days=8)
    assert alice.get("/settings").status_code == 303
    fresh = web.logged_in("a@example.com")
    for days in (6, 6, 6, 6, 5):  # kept busy, it lives 29 days ...
        _age_sessions(web, days=days)
        assert fresh.get("/settings").status_code == 200
    _age_sessions(web, days=2)  # ... but not 31, though last used 2 days ago
    assert fresh.get("/settings").status_code == 303


def test_a_new_password_ends_other_sessions_keeps_this_one_and_says_tokens_survive(web, alice):
    other = web.logged_in("a@example.com")
    assert alice.form("/settings/tokens", {"name": "script"}).status_code == 200
    r = alice.form("/settings/password", {"current": "password-of-a", "new": "a-new-password",
                                           "repeat": "a-new-password"})
    assert r.status_code == 200 and "API tokens keep working" in r.text
    assert other.get("/settings").status_code == 303
    assert alice.get("/settings").status_code == 200
    assert "revoke all tokens" in alice.get("/settings").text
    alice.refresh_csrf("/settings")  # the new session has a new CSRF token
    assert alice.form("/settings/tokens/delete-all").status_code == 303
    assert "No tokens." in alice.get("/settings").text


def test_the_cli_password_change_ends_every_web_session(web, alice):
    from keepwarm.store.accounts import set_password

    with web.app.state.web.db.session() as session:
        set_password(session, "a@example.com", "changed-by-the-cli")
    assert alice.get("/settings").status_code == 303


def test_one_account_locked_out_does_not_lock_out_others_behind_the_same_address(web):
    web.user("a@example.com")
    web.user("b@example.com")
    c = web.client()
    for _ in range(5):
        assert c.login("a@example.com", "wrong-password").status_code == 401
    assert c.login("a@example.com").status_code == 429
    assert c.login("b@example.com").status_code == 303  # same address, another account


def test_an_address_trying_many_accounts_is_stopped_at_its_own_limit(web, client_for):
    from keepwarm.web import create_app

    web.user("a@example.com")
    app = create_app(web.settings, pin_today=True, secret="s", guard=Guard(address=Limit(8, 300.0)))
    c = client_for(app)
    for i in range(8):
        assert c.login(f"nobody{i}@example.com", "wrong-password").status_code == 401
    r = c.login("a@example.com")
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    app.state.web.close()


def test_failed_logins_count_across_server_instances_on_one_database(web, client_for):
    from keepwarm.web import create_app

    web.user("a@example.com")
    apps = [create_app(web.settings, pin_today=True, secret="s") for _ in range(2)]
    clients = [client_for(app) for app in apps]
    for i in range(5):
        assert clients[i % 2].login("a@example.com", "wrong-password").status_code == 401
    assert clients[0].login("a@example.com").status_code == 429
    assert clients[1].login("a@example.com").status_code == 429
    for app in apps:
        app.state.web.close()


def test_the_current_password_check_in_settings_is_rate_limited(web, alice):
    for _ in range(5):
        r = alice.form("/settings/password", {"current": "guess-guess", "new": "whatever-1",
                                               "repeat": "whatever-1"})
        assert r.status_code == 422
    r = alice.form("/settings/password", {"current": "password-of-a", "new": "whatever-1",
                                           "repeat": "whatever-1"})
    assert r.status_code == 429 and "Retry-After" in r.headers


def test_limiter_rows_name_no_email_or_address(web):
    from sqlalchemy import select

    from keepwarm.store.models import LoginAttempt

    web.user("a@example.com")
    web.client().login("a@example.com", "wrong-password")
    with web.app.state.web.db.session() as session:
        keys = session.scalars(select(LoginAttempt.key)).all()
    assert len(keys) == 2 and not any("@" in k or "testclient" in k for k in keys)


def test_hsts_is_sent_only_with_secure_cookies(web):
    from keepwarm.web import create_app

    assert "strict-transport-security" not in web.client().get("/login").headers
    app = create_app(web.settings, pin_today=True, secret="s", https_only=True)
    from fastapi.testclient import TestClient

    r = TestClient(app, base_url="https://testserver").get("/login")
    assert r.headers["strict-transport-security"].startswith("max-age=")
    app.state.web.close()


def test_healthz_answers_without_a_login_and_without_a_cookie(web):
    r = web.client().get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"} and "set-cookie" not in r.headers


def test_access_logs_name_the_route_not_the_names_or_emails_asked_for(web, alice, caplog):
    with caplog.at_level(logging.INFO, logger="keepwarm.access"):
        alice.get("/people", params={"q": "Maya Chen"})
        alice.get("/people/12345")
        web.client().get("/feed/secret-feed-token.ics")
        web.client().get("/no/such/maya.chen@example.com")
    lines = [r.getMessage() for r in caplog.records if r.name == "keepwarm.access"]
    text = "\n".join(lines)
    assert '"route": "/people"' in text and '"route": "/people/{person_id}"' in text
    assert '"route": "/feed/{token}.ics"' in text and '"status": 404' in text
    for private in ("Maya", "12345", "secret-feed-token", "example.com", "q="):
        assert private not in text


def test_password_hashes_beyond_the_slots_wait_then_get_busy():
    import threading

    import pytest

    from keepwarm.errors import BusyError

    guard = Guard(slots=1, wait=0.2)
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with guard.hashing():
            held.set()
            release.wait(5)

    t = threading.Thread(target=hold)
    t.start()
    held.wait(5)
    with pytest.raises(BusyError), guard.hashing():
        pass
    release.set()
    t.join()
    with guard.hashing():  # the slot is free again
        pass
