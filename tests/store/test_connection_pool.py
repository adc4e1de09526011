"""PostgreSQL's connection pool: a connection in steady use goes straight to work; one that rested is
checked first; when the server drops them all (a restart), at most one use fails and the pool renews."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from keepwarm.store import Database
from keepwarm.store import db as db_module


@pytest.fixture
def pg(db: Database) -> Iterator[Database]:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no connection to lose")
    yield db


def _pings(db: Database, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    pings: list[int] = []
    ping = db.engine.dialect.do_ping
    monkeypatch.setattr(db.engine.dialect, "do_ping", lambda conn: pings.append(1) or ping(conn))
    return pings


def _use(db: Database) -> None:
    with db.session(write=False) as session:
        assert session.execute(text("SELECT 1")).scalar() == 1


def _drop_every_connection(db: Database) -> int:
    """What a server restart does to the pool: every backend of this database ends. The admin connects
    on its own, outside the pool. Returns how many ended."""
    from sqlalchemy import create_engine

    admin = create_engine(db.engine.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        ended = conn.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                  "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                                  "AND backend_type = 'client backend'"))
        return int(ended.scalar() or 0)


def test_a_connection_in_steady_use_is_not_checked_before_each_use(pg, monkeypatch):
    pings = _pings(pg, monkeypatch)
    for _ in range(5):
        _use(pg)
        pg.read("anyone", owner=1)
    assert pings == []  # no extra round trip per request
    monkeypatch.setattr(db_module, "PING_AFTER", 0.0)  # as if each had rested
    _use(pg)
    assert pings == [1]


def test_after_a_rest_connections_the_server_dropped_are_replaced_before_use(pg, monkeypatch):
    for _ in range(3):
        _use(pg)
    _drop_every_connection(pg)
    monkeypatch.setattr(db_module, "PING_AFTER", 0.0)
    for _ in range(3):
        _use(pg)  # no error: the check found each dropped connection and a fresh one was opened
        assert pg.read("anyone", owner=1) == []


@pytest.mark.parametrize("first", ["session", "driver"])
def test_connections_dropped_while_in_steady_use_fail_at_most_one_use_then_the_pool_renews(pg, monkeypatch,
                                                                                          first):
    monkeypatch.setattr(db_module, "PING_AFTER", 3600.0)  # never checked: as under load
    with pg.session(write=False) as a, pg.session(write=False) as b, pg.session(write=False) as c:
        for s in (a, b, c):  # three pooled connections
            s.execute(text("SELECT 1"))
    assert _drop_every_connection(pg) == 3
    uses = [_use, lambda db: db.read("anyone", owner=1)]
    if first == "driver":
        uses.reverse()
    failed = []
    for n in range(8):
        try:
            uses[n % 2](pg)
        except DBAPIError as exc:
            assert exc.connection_invalidated
            failed.append(n)
    assert failed in ([], [0])  # the first use may meet a dropped connection; none after it does
