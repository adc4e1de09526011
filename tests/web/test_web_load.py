"""A server process under load: requests wait their turn at the door instead of queueing at every step,
and a process readies itself before its first request."""

from __future__ import annotations

import asyncio
import gc
import html
import re

import pytest


def _request(n: int) -> dict:
    return {"type": "http", "method": "GET", "path": f"/{n}", "headers": []}


def test_requests_beyond_the_slots_wait_at_the_door_and_go_in_in_arrival_order() -> None:
    from keepwarm.web.ops import Admission

    inside, most, started, finished = 0, 0, [], []

    async def app(scope, receive, send):  # type: ignore[no-untyped-def]
        nonlocal inside, most
        inside += 1
        most = max(most, inside)
        started.append(scope["path"])
        await asyncio.sleep(0.01)
        inside -= 1
        finished.append(scope["path"])

    async def main() -> None:
        door = Admission(app, slots=3)
        await asyncio.gather(*(door(_request(n), None, None) for n in range(12)))

    asyncio.run(main())
    assert most == 3  # never more at once, and the slots were used
    assert started == [f"/{n}" for n in range(12)]  # nobody overtakes
    assert sorted(finished) == sorted(started)  # nobody is turned away


def test_a_request_that_fails_gives_its_slot_back() -> None:
    from keepwarm.web.ops import Admission

    async def app(scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["path"] == "/0":
            raise RuntimeError("boom")

    async def main() -> list:
        door = Admission(app, slots=1)
        return await asyncio.gather(*(door(_request(n), None, None) for n in range(3)),
                                    return_exceptions=True)

    outcome = asyncio.run(main())
    assert isinstance(outcome[0], RuntimeError) and outcome[1:] == [None, None]


@pytest.mark.parametrize(("name", "default", "variable"), [
    ("web_threads", 2, "KEEPWARM_WEB_THREADS"),  # requests worked on at once
    ("web_slots", 4, "KEEPWARM_WEB_SLOTS"),  # requests in progress at once
])
def test_a_process_takes_its_share_of_requests_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                                                    name, default, variable) -> None:
    from keepwarm.errors import ConfigError
    from keepwarm.web import app

    read = getattr(app, name)
    monkeypatch.delenv(variable, raising=False)
    assert read() == default
    monkeypatch.setenv(variable, "6")
    assert read() == 6
    for wrong in ("0", "many", "101", "²"):  # "²" is a digit to str.isdigit, not to int()
        monkeypatch.setenv(variable, wrong)
        with pytest.raises(ConfigError, match=f"{variable} must be a number from 1 to 100"):
            read()


@pytest.mark.parametrize("variable", ["KEEPWARM_WEB_THREADS", "KEEPWARM_WEB_SLOTS"])
def test_a_wrong_share_is_refused_when_the_app_is_made_not_once_it_serves(monkeypatch: pytest.MonkeyPatch,
                                                                         sqlite_url, tmp_path, variable):
    from keepwarm.config import Settings
    from keepwarm.errors import ConfigError
    from keepwarm.web import create_app

    monkeypatch.setenv(variable, "lots")  # `keepwarm serve` shows the error as one line, no traceback
    with pytest.raises(ConfigError, match=variable):
        create_app(Settings(database_url=sqlite_url, config_dir=tmp_path), secret="k")


def test_a_server_process_compiles_its_templates_and_settles_its_memory_before_serving(sqlite_url, tmp_path):
    from fastapi.testclient import TestClient

    from keepwarm.config import Settings
    from keepwarm.web import create_app

    threshold = gc.get_threshold()
    app = create_app(Settings(database_url=sqlite_url, config_dir=tmp_path), secret="k", settle=True)
    env = app.state.web.templates.env
    assert not env.cache  # nothing compiled before the process starts serving
    try:
        with TestClient(app) as client:
            assert gc.get_freeze_count() > 0  # what start-up loaded is no longer walked by the collector
            assert gc.get_threshold()[0] == 50_000
            assert {"today.html", "partials/suggestion.html"} <= {t.name for t in env.cache.values()}
            assert client.get("/healthz").status_code == 200
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
        app.state.web.close()


def test_every_draft_link_of_the_today_page_opens_that_suggestions_draft(web, alice):
    page = alice.get("/").text
    links = [html.unescape(q) for q in re.findall(r'hx-get="/today/draft\?([^"]+)"', page)]
    who = r'<a class="who" id="s-\d+-who" href="/people/\d+">([^<]+)</a>'
    names = [html.unescape(n) for n in re.findall(who, page)]
    assert links and len(links) == len(names)
    assert any("event_id=" in q for q in links)  # a life event's draft names the event
    for query, name in zip(links, names, strict=True):
        r = alice.get(f"/today/draft?{query}", headers={"HX-Request": "true"})
        assert r.status_code == 200, query
        assert name.split()[0] in html.unescape(r.text)


def test_requests_on_event_loops_of_their_own_each_get_through_the_door() -> None:
    """A test client may run each request on an event loop of its own, in its own thread: the door holds
    on each loop and never mixes them."""
    import threading

    from keepwarm.web.ops import Admission

    async def app(scope, receive, send):  # type: ignore[no-untyped-def]
        await asyncio.sleep(0.02)

    door = Admission(app, slots=1)
    failures: list[BaseException] = []

    def one_loop() -> None:
        async def main() -> None:
            await asyncio.gather(*(door(_request(n), None, None) for n in range(4)))

        try:
            asyncio.run(main())
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=one_loop) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
