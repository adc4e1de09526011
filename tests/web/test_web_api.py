"""The JSON API with personal access tokens, the OpenAPI document, and the calendar feed."""

from __future__ import annotations

import warnings

import pytest


def _token(web, email="a@example.com", name="script"):
    from keepwarm.store.accounts import by_email, create_api_token

    with web.app.state.web.db.session() as session:
        return create_api_token(session, by_email(session, email).id, name)[1]


@pytest.fixture
def api(web, alice):
    """An httpx-style client with a bearer token of user A (no cookies, no CSRF)."""
    from fastapi.testclient import TestClient

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        client = TestClient(web.app, headers={"Authorization": f"Bearer {_token(web)}"})
    return client


def test_people_crud_through_the_api(api):
    r = api.post("/api/v1/people", json={"name": "Ada Lovelace", "emails": ["ADA@example.com"],
                                         "birthday": "12-10", "circle": "close", "tags": ["math"]})
    assert r.status_code == 201
    ada = r.json()
    assert ada["emails"] == ["ada@example.com"] and ada["circle"] == "close" and ada["strength"] == 0
    assert api.get(f"/api/v1/people/{ada['id']}").json()["name"] == "Ada Lovelace"
    r = api.patch(f"/api/v1/people/{ada['id']}", json={"company": "Analytical Engines", "tags": []})
    assert r.status_code == 200 and r.json()["company"] == "Analytical Engines" and r.json()["tags"] == []
    assert r.json()["emails"] == ["ada@example.com"]  # fields not sent are kept
    page = api.get("/api/v1/people", params={"q": "lovelace"}).json()
    assert page["total"] == 1 and page["items"][0]["id"] == ada["id"]
    assert api.delete(f"/api/v1/people/{ada['id']}").status_code == 204
    assert api.get(f"/api/v1/people/{ada['id']}").status_code == 404


def test_api_errors_are_json_with_a_clear_message(api):
    r = api.post("/api/v1/people", json={"name": "X", "emails": ["not-an-email"]})
    assert r.status_code == 422 and r.json()["error"] == "InvalidInputError"
    assert "not a valid email" in r.json()["message"]
    r = api.post("/api/v1/people", json={"name": "X", "unknown": 1})
    assert r.status_code == 422 and r.json()["details"]
    r = api.post("/api/v1/people", json={"name": "Dup", "emails": ["maya.chen@example.com"]})
    assert r.status_code in (201, 409)
    if r.status_code == 201:
        r = api.post("/api/v1/people", json={"name": "Dup 2", "emails": ["maya.chen@example.com"]})
    assert r.status_code == 409 and "already belongs to" in r.json()["message"]
    assert api.get("/api/v1/people/999999").json()["error"] == "NotFoundError"


def test_touches_events_actions_and_agenda_through_the_api(api):
    pid = api.get("/api/v1/people", params={"q": "maya"}).json()["items"][0]["id"]
    r = api.post("/api/v1/touches", json={"people": [pid], "action": "coffee", "date": "2026-11-24",
                                          "note": "flat white"})
    assert r.status_code == 201 and r.json()["people"] == [pid]
    tid = r.json()["id"]
    assert api.get(f"/api/v1/touches/{tid}").json()["note"] == "flat white"
    assert tid in [t["id"] for t in api.get(f"/api/v1/people/{pid}/touches").json()]
    assert api.get(f"/api/v1/people/{pid}").json()["last_touch"] == "2026-11-24"
    future = api.post("/api/v1/touches", json={"people": [pid], "action": "coffee", "date": "2026-12-24"})
    assert future.status_code == 422 and "future" in future.json()["message"]
    assert api.delete(f"/api/v1/touches/{tid}").status_code == 204
    r = api.post("/api/v1/events", json={"person_id": pid, "kind": "new job", "date": "2026-11-20"})
    assert r.status_code == 422 and "new-job" in r.text  # the kinds are the schema's list, exactly
    r = api.post("/api/v1/events", json={"person_id": pid, "kind": "new-job", "date": "2026-11-20"})
    assert r.status_code == 201 and r.json()["kind"] == "new-job"
    assert api.get("/api/v1/events", params={"person_id": pid}).json()[-1]["id"] == r.json()["id"]
    assert api.delete(f"/api/v1/events/{r.json()['id']}").status_code == 204
    company = api.get(f"/api/v1/people/{pid}").json()["company"]
    r = api.post("/api/v1/events", json={"person_id": pid, "kind": "new-job", "date": "2026-11-20",
                                         "company": "Indeed", "title": "Staff Engineer"})
    assert r.status_code == 201
    assert (r.json()["company"], r.json()["title"], r.json()["prev_company"]) == \
        ("Indeed", "Staff Engineer", company)
    assert api.get(f"/api/v1/people/{pid}").json()["company"] == "Indeed"
    r = api.post("/api/v1/events", json={"person_id": pid, "kind": "loss", "date": "2026-11-20",
                                         "company": "Indeed"})
    assert r.status_code == 422 and "new-job or promotion" in r.json()["message"]
    r = api.post("/api/v1/actions", json={"name": "podcast", "weight": 2, "minutes": 5, "kind": "give"})
    assert r.status_code == 201 and "podcast" in [a["name"] for a in api.get("/api/v1/actions").json()]
    assert api.post("/api/v1/actions", json={"name": "podcast"}).status_code == 409
    agenda = api.get("/api/v1/agenda").json()
    assert agenda["date"] == "2026-11-25" and agenda["items"]
    assert {"person", "action", "reasons", "priority", "trigger"} <= set(agenda["items"][0])


def test_an_agenda_item_done_through_the_api_never_comes_back(api):
    items = api.get("/api/v1/agenda").json()["items"]
    item = next(i for i in items if i["trigger"] == "birthday")
    assert set(item["occasion"]) == {"id", "kind", "on"} and item["duration"] >= item["minutes"]
    r = api.post("/api/v1/touches", json={"people": [item["person"]["id"]], "action": item["action"],
                                          "occasion": item["occasion"]["id"]})
    assert r.status_code == 201, r.text
    after = api.get("/api/v1/agenda").json()["items"]
    assert item["occasion"]["id"] not in [i["occasion"]["id"] for i in after]
    again = api.post("/api/v1/touches", json={"people": [item["person"]["id"]], "action": "message",
                                              "occasion": item["occasion"]["id"]})
    assert again.status_code == 422 and "not open" in again.json()["message"]
    bad = api.post("/api/v1/touches", json={"people": [item["person"]["id"]], "action": "message",
                                            "occasion": "party:1:x"})
    assert bad.status_code == 422


def test_a_revoked_token_stops_working(web, alice):
    from fastapi.testclient import TestClient

    alice.form("/settings/tokens", {"name": "laptop"})
    page = alice.get("/settings").text
    assert "laptop" in page
    r = alice.form("/settings/tokens", {"name": "phone"})
    secret = r.text.split('id="new-token">')[1].split("<")[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = TestClient(web.app, headers={"Authorization": f"Bearer {secret}"})
    assert c.get("/api/v1/agenda").status_code == 200
    from keepwarm.store.accounts import api_tokens, by_email

    with web.app.state.web.db.session() as session:
        tok = next(t for t in api_tokens(session, by_email(session, "a@example.com").id) if t.name == "phone")
        assert tok.token_hash != secret and secret not in tok.token_hash  # only a hash is kept
    assert alice.form(f"/settings/tokens/{tok.id}/delete").status_code == 303
    assert c.get("/api/v1/agenda").status_code == 401


def test_the_openapi_document_declares_every_response_code(api, web):
    assert web.client().get("/api/v1/openapi.json").status_code == 401
    doc = api.get("/api/v1/openapi.json").json()
    assert doc["components"]["securitySchemes"]["HTTPBearer"]["type"] == "http"
    ops = [(path, method, op) for path, item in doc["paths"].items() for method, op in item.items()]
    assert len(ops) >= 16
    for path, method, op in ops:
        codes = set(op["responses"])
        assert {"401", "422"} <= codes, (method, path)
        if "{" in path:
            assert "404" in codes, (method, path)
        if method in ("post", "patch", "delete"):
            assert {"403", "409"} <= codes, (method, path)
        assert any(c.startswith("2") for c in codes)


def _feed_token(alice):
    """Make a new feed address in Settings: the page shows it once, then never again."""
    import re

    r = alice.form("/settings/feed/rotate")
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    token = re.search(r"/feed/([\w-]+)\.ics", r.text).group(1)
    assert token not in alice.get("/settings").text
    return token


def test_the_calendar_feed_needs_only_its_token_and_can_be_rotated(web, alice):
    from keepwarm.store.accounts import by_email

    token = _feed_token(alice)
    with web.app.state.web.db.session() as session:
        assert token not in by_email(session, "a@example.com").feed_token  # only a hash is stored
    anon = web.client()
    r = anon.get(f"/feed/{token}.ics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    body = r.text
    assert body.startswith("BEGIN:VCALENDAR") and "Birthday: Jonas Weber" in body
    assert "RRULE:FREQ=YEARLY" in body
    missing = anon.get("/feed/not-the-token.ics")
    assert missing.status_code == 404 and "set-cookie" not in missing.headers
    assert _feed_token(alice) != token
    assert anon.get(f"/feed/{token}.ics").status_code == 404
