"""Shared fixtures: a real SQLite file and, when KEEPWARM_TEST_DATABASE_URL is set, a real PostgreSQL.

Tests that take ``db_url`` run once per backend. Each test gets a fresh database cloned from a migrated
template (a file copy for SQLite, ``CREATE DATABASE … TEMPLATE`` for PostgreSQL), so migrations run once.
Set KEEPWARM_REQUIRE_ALL=1 (CI does) to turn a missing PostgreSQL or browser into a failure, not a skip.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from keepwarm.store import Database, Store, open_store

PG_URL = os.environ.get("KEEPWARM_TEST_DATABASE_URL")
REQUIRE_ALL = os.environ.get("KEEPWARM_REQUIRE_ALL") == "1"
# sample exports live with the tests, so a fresh clone runs every test (nothing beside the clone is read)
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = date(2026, 11, 25)


def need(condition: bool, reason: str) -> None:
    """Skip when something outside the code is missing, or fail when CI requires everything."""
    if not condition:
        if REQUIRE_ALL:
            pytest.fail(f"required but missing: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """tests/fixtures: the sample exports (see its README.md for what each file shows)."""
    return FIXTURES


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    Database(f"sqlite:///{path}").dispose()
    return path


def _pg_admin():  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine

    from keepwarm.store.db import make_engine

    engine = make_engine(PG_URL or "")
    return create_engine(engine.url, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    need(bool(PG_URL), "KEEPWARM_TEST_DATABASE_URL is not set (no PostgreSQL server)")
    from sqlalchemy import text

    admin = _pg_admin()
    name = f"kw_tpl_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    Database(url).dispose()
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _fresh_pg(template: str) -> Iterator[str]:
    from sqlalchemy import text

    admin = _pg_admin()
    name = f"kw_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield admin.url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database URL, once per backend."""
    if request.param == "sqlite":
        path = tmp_path / "keepwarm.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
    else:
        yield from _fresh_pg(request.getfixturevalue("pg_template"))


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """A fresh SQLite database only (for tests about files and processes)."""
    path = tmp_path / "keepwarm.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def make_store(db: Database) -> Callable[..., object]:
    """``with make_store() as store:`` — one committed transaction for the local owner on TODAY."""

    @contextmanager
    def _make(today: date = TODAY, user: str | None = None) -> Iterator[Store]:
        with open_store(db, today, user) as store:
            yield store

    return _make


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self):  # type: ignore[no-untyped-def]
        import json

        return json.loads(self.out)


@pytest.fixture
def cli(db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> Callable[..., CliResult]:
    """Run ``keepwarm ARGS`` in-process against the test database on TODAY."""
    from keepwarm.cli.app import main

    monkeypatch.setenv("KEEPWARM_DB", db_url)
    monkeypatch.setenv("KEEPWARM_TODAY", TODAY.isoformat())
    monkeypatch.setenv("KEEPWARM_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str, today: str | None = None) -> CliResult:
        capsys.readouterr()
        argv = ([f"--today={today}"] if today else []) + list(args)
        code = main(argv)
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run
