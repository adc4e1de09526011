"""The API keeps its contract at the edges: dates only as written, every method in Allow, a body that
is not UTF-8 refused as documented, and a database that stays locked answered with 503, not 500."""

from __future__ import annotations

import sqlite3
import time

import pytest


def test_since_takes_only_a_written_date_in_the_sane_range(alice):
    assert alice.api("GET", "/api/v1/touches?since=2026-11-01").status_code == 200
    for bad in ("0", "1700000000", "2026-02-30", "1899-12-31", "2026-11-01T10:00"):
        r = alice.api("GET", f"/api/v1/touches?since={bad}")
        assert r.status_code == 422, bad


def test_a_method_a_path_lacks_is_405_with_every_method_it_has(alice):
    r = alice.api("OPTIONS", "/api/v1/people")
    assert r.status_code == 405 and r.headers["allow"] == "GET, POST"
    r = alice.api("PUT", "/api/v1/people/1")
    assert r.status_code == 405 and r.headers["allow"] == "DELETE, GET, PATCH"


def test_a_body_that_is_not_utf8_is_a_documented_400(alice):
    r = alice.api("POST", "/api/v1/actions", content=b'{"name": "\xff"}',
                  headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    doc = alice.api("GET", "/api/v1/openapi.json").json()
    assert "400" in doc["paths"]["/api/v1/actions"]["post"]["responses"]


def test_an_unknown_circle_is_not_found_and_a_known_one_filters(alice):
    assert alice.api("GET", "/api/v1/people?circle=nosuch").status_code == 404
    assert alice.api("POST", "/api/v1/people", json={"name": "X", "circle": "nosuch"}).status_code == 404
    assert alice.api("GET", "/api/v1/people?circle=inner").status_code == 200


def test_a_sqlite_database_locked_too_long_answers_503_and_reads_go_on(web, alice):
    from keepwarm.config import sqlite_file

    path = sqlite_file(web.settings.database_url)
    if path is None:
        pytest.skip("SQLite only: PostgreSQL writers wait on row locks instead")
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another process holding the write lock
    try:
        start = time.monotonic()
        r = alice.api("POST", "/api/v1/people", json={"name": "Waits Then Gives Up"})
        assert r.status_code == 503 and r.headers["Retry-After"] and r.json()["error"] == "BusyError"
        assert time.monotonic() - start >= 4  # it waited for the lock first
        page = alice.form("/people/new", {"name": "Also Waits"})
        assert page.status_code == 503 and "try again" in page.text
        assert alice.api("GET", "/api/v1/people?limit=1").status_code == 200  # reads do not wait
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert alice.api("POST", "/api/v1/people", json={"name": "Written Now"}).status_code == 201
