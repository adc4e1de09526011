"""Real server processes under concurrent load: writers wait instead of failing, guesses are counted
before they are checked, and several workers on an empty PostgreSQL database start cleanly."""

from __future__ import annotations

import os
import subprocess
import threading
import uuid
from collections.abc import Iterator

import httpx
import pytest
from serving import CSRF, RUN, env_for, served, setup_account


def test_eight_api_writers_and_the_cli_on_one_sqlite_file_never_fail(sqlite_url, tmp_path):
    env = env_for(sqlite_url, tmp_path)
    token = setup_account(env)
    statuses: list[int] = []
    errors: list[str] = []
    cli_ok: list[int] = []
    with served(env) as base:
        def api_writer(n: int) -> None:
            with httpx.Client(base_url=base, timeout=60,
                              headers={"Authorization": f"Bearer {token}"}) as c:  # one keep-alive
                for i in range(25):
                    try:
                        statuses.append(c.post("/api/v1/people", json={"name": f"Api {n}-{i}"}).status_code)
                    except httpx.TransportError as exc:  # a reset connection
                        errors.append(repr(exc))

        def cli_writer() -> None:
            for i in range(4):
                r = subprocess.run([*RUN, "add", f"Cli Person {i}"], env=env, capture_output=True,
                                   text=True, timeout=120)
                if r.returncode == 0:
                    cli_ok.append(i)
                else:
                    errors.append(r.stderr)

        threads = [threading.Thread(target=api_writer, args=(n,)) for n in range(8)]
        threads.append(threading.Thread(target=cli_writer))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as c:
            total = c.get("/api/v1/people", params={"limit": 1}).json()["total"]
    assert errors == []
    assert len(statuses) == 200 and not [s for s in statuses if s >= 500]
    assert len(cli_ok) == 4
    assert total == statuses.count(201) + len(cli_ok)


def test_thirty_concurrent_wrong_passwords_are_counted_before_any_is_checked(sqlite_url, tmp_path):
    env = env_for(sqlite_url, tmp_path)
    setup_account(env)
    with served(env) as base:
        clients = [httpx.Client(base_url=base, timeout=60) for _ in range(30)]
        tokens = [CSRF.search(c.get("/login").text).group(1) for c in clients]
        start = threading.Barrier(30)
        statuses: list[int] = []

        def guess(c: httpx.Client, token: str) -> None:
            start.wait()
            statuses.append(c.post("/login", data={"email": "a@example.com", "password": "wrong-guess",
                                                   "csrf_token": token}).status_code)

        threads = [threading.Thread(target=guess, args=pair) for pair in zip(clients, tokens, strict=True)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for c in clients:
            c.close()
    assert sorted(set(statuses)) == [401, 429]
    assert statuses.count(401) == 5 and statuses.count(429) == 25


@pytest.fixture
def empty_pg(need) -> Iterator[str]:
    """An empty, never migrated PostgreSQL database."""
    from sqlalchemy import create_engine, text

    from keepwarm.store.db import make_engine

    url = os.environ.get("KEEPWARM_TEST_DATABASE_URL")
    need(bool(url), "KEEPWARM_TEST_DATABASE_URL is not set (no PostgreSQL server)")
    admin = create_engine(make_engine(url or "").url, isolation_level="AUTOCOMMIT")
    name = f"kw_empty_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield admin.url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_three_migrations_started_at_once_on_an_empty_database_all_succeed(empty_pg, tmp_path):
    env = env_for(empty_pg, tmp_path)
    runs = [subprocess.Popen([*RUN, "migrate"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(3)]
    results = [(p.wait(timeout=120), *p.communicate()) for p in runs]
    assert [code for code, _, _ in results] == [0, 0, 0], results
    assert sum("Migrated" in out for _, out, _ in results) == 1


def test_two_workers_on_an_empty_postgresql_share_sessions_limits_and_changes(empty_pg, tmp_path):
    env = env_for(empty_pg, tmp_path)
    with served(env, workers=2) as base:
        # the first requests, all at once, on separate connections: no 500 while the schema is made
        first: list[int] = []
        threads = [threading.Thread(target=lambda: first.append(
            httpx.get(base + "/login", headers={"Connection": "close"}, timeout=60).status_code))
            for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert first == [200] * 16
        setup_account(env)
        with httpx.Client(base_url=base, headers={"Connection": "close"}, timeout=60) as c:
            token = CSRF.search(c.get("/login").text).group(1)
            assert c.post("/login", data={"email": "a@example.com", "password": "password-of-a",
                                          "csrf_token": token}).status_code == 303
            assert all(c.get("/settings").status_code == 200 for _ in range(4))  # on both workers
            subprocess.run([*RUN, "add", "Made By The Cli"], env=env, check=True, capture_output=True,
                           timeout=120)
            # every worker shows the CLI's change on its next request
            assert all("Made By The Cli" in c.get("/people").text for _ in range(4))
            saved = dict(c.cookies)
            csrf = CSRF.search(c.get("/settings").text).group(1)
            assert c.post("/logout", data={"csrf_token": csrf}).status_code == 303
        with httpx.Client(base_url=base, headers={"Connection": "close"}, cookies=saved, timeout=60) as c:
            assert all(c.get("/settings").status_code == 303 for _ in range(4))
