"""The stdlib runner of the cold `keepwarm today`: same SQL as SQLAlchemy's, same agenda, never a write."""

from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from keepwarm.core.birthdays import Birthday
from keepwarm.core.people import Person
from keepwarm.store import Database, compiled, lite, open_store
from keepwarm.store.agenda import AgendaQueries
from keepwarm.store.catalog import add_action, change_setting
from keepwarm.store.db import HEAD
from keepwarm.store.demo import load
from keepwarm.store.library import LibraryRepo
from keepwarm.store.sql import compiled_module, statements

TODAY = date(2026, 11, 25)
ACTIONS = ["like", "comment", "coffee", "call", "thanks", "ask", "received", "intro", "birthday", "recommend"]
KINDS = ["moving", "new_job", "promotion", "loss", "wedding", "new_baby"]


def test_the_compiled_sql_is_what_sqlalchemy_compiles_today() -> None:
    source = Path(compiled.__file__).read_text(encoding="utf-8")
    assert source == compiled_module(), "run: python scripts/compile_sql.py"
    assert compiled.HEAD == HEAD


def _network(url: str) -> None:
    """The demo plus a seeded random network touching every trigger, rhythm and year boundary."""
    rnd = random.Random(7)
    db = Database(url)
    with open_store(db, TODAY) as store:
        load(store)
        add_action(store, "cookies", "Bring cookies", 2.0, 15, "give")
        change_setting(store, "weekly_goal", "3")
        change_setting(store, "intros_per_day", "4")
        ids = []
        for i in range(80):
            month, day = (2, 29) if i % 17 == 0 else (rnd.randint(1, 12), rnd.randint(1, 28))
            person = Person(
                name=f"Person {i} Example", circle=rnd.choice(["inner", "close", "active", "warm", None]),
                every_days=rnd.choice([None, None, 10, 45, 200]),
                birthday=Birthday(month, day, rnd.choice([None, 1984 + 4 * (i % 7)])),
                interests=rnd.sample(["python", "hiring", "design", "climbing", "books"], 2),
                met_on=TODAY - timedelta(days=rnd.randint(0, 900)) if i % 3 else None)
            store.people.add(person)
            assert person.id is not None
            ids.append(person.id)
        for _ in range(200):
            who = rnd.sample(ids[:60], rnd.choice([1, 1, 2]))  # the last 20 are never touched
            store.touches.log(rnd.choice(ACTIONS + ["cookies"]), who,
                              TODAY - timedelta(days=rnd.randint(0, 400)), None)
        for pid in rnd.sample(ids, 15):
            store.touches.add_event(pid, rnd.choice(KINDS), TODAY + timedelta(days=rnd.randint(-40, 80)))
        for pid in rnd.sample(ids, 10):
            store.touches.add_plan(pid, rnd.choice(["coffee", "ask", "call"]),
                                   TODAY + timedelta(days=rnd.randint(0, 60)))
        for pid in rnd.sample(ids, 5):
            store.touches.snooze(pid, rnd.randint(1, 30))
        store.session.flush()
        leaders = {item.trigger: item.person.id for item in reversed(store.agenda.build(limit=40).items)}
        leaders["intro"] = store.agenda.intros(1)[0].id
        for pid in leaders.values():  # whoever leads each kind of suggestion today is hidden for a while
            store.touches.snooze(pid, 12)
        library = LibraryRepo(store.session, store.owner_id, TODAY)
        library.add(kind="book", title="Climbing and Python", topics=["climbing", "python"])
        library.add(kind="article", title="Hiring by design", topics=["hiring", "design"])
    db.dispose()


@pytest.fixture(scope="module")
def network_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('lite') / 'net.sqlite3'}"
    _network(url)
    return url


def test_the_stdlib_runner_builds_the_same_agenda_as_sqlalchemy_all_year(network_url: str) -> None:
    db = Database(network_url)
    days = [TODAY + timedelta(days=k) for k in range(-30, 400, 3)] + [date(2028, 2, 28), date(2028, 2, 29)]
    options = [{}, {"days": 0}, {"days": 30, "limit": 40}, {"minutes": 20}, {"minutes": 5, "days": 14}]
    seen: set[str] = set()
    for n, day in enumerate(days):
        opts = options[n % len(options)]
        with open_store(db, day) as store:
            # the reference: every statement executed by SQLAlchemy itself
            session = store.session
            orm = AgendaQueries(lambda name, **p: list(session.execute(statements()[name], p)),  # noqa: B023
                                store.owner_id, day)
            expected = orm.build(**opts)
            expected_catalog = orm.catalog()
        with lite.open_reader(network_url, None) as found:
            assert found is not None
            run, owner = found
            queries = AgendaQueries(run, owner, day)
            assert queries.build(**opts) == expected, (day, opts)
            assert queries.catalog() == expected_catalog
        seen |= {item.trigger for item in expected.items}
    db.dispose()
    # the comparison covered every kind of suggestion, not just an empty agenda
    assert seen >= {"cadence", "birthday", "life_event", "thanks", "library", "reciprocity"}


def test_the_reader_declines_what_only_the_full_path_can_do(tmp_path: Path, network_url: str) -> None:
    def declines(url: str, user: str | None = None) -> bool:
        with lite.open_reader(url, user) as found:
            return found is None

    assert declines("postgresql+psycopg://me@localhost/keepwarm")
    assert declines("sqlite://")
    assert declines("sqlite:///:memory:")
    assert declines(f"sqlite:///{tmp_path / 'missing.sqlite3'}")  # the full path creates it
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    assert declines(f"sqlite:///{empty}")  # no schema yet: the full path migrates it
    assert declines(network_url, "nobody@example.com")  # the full path explains the unknown user
    with lite.open_reader(network_url, "ME@localhost") as found:
        assert found is not None  # emails match case-insensitively, as in keepwarm add

    old = tmp_path / "old.sqlite3"
    old.write_bytes(Path(network_url.removeprefix("sqlite:///")).read_bytes())
    with sqlite3.connect(old) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0003_library'")
    assert declines(f"sqlite:///{old}")  # an older schema: the full path migrates it first


def test_a_file_that_is_not_a_database_raises_the_error_callers_fall_back_on(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database at all, just text" * 100)
    with pytest.raises(lite.Error), lite.open_reader(f"sqlite:///{junk}", None):
        pass


def test_the_reader_cannot_write(network_url: str) -> None:
    with lite.open_reader(network_url, None) as found:
        assert found is not None
        run, _ = found
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            run.conn.execute("DELETE FROM people")
        assert run.conn.execute("SELECT count(*) FROM people").fetchone()[0] > 80


def test_rows_come_back_typed_as_sqlalchemy_returns_them(network_url: str) -> None:
    with lite.open_reader(network_url, None) as found:
        assert found is not None
        run, owner = found
        actions = run("catalog", owner=owner)
        weeks = run("weeks", owner=owner, since=TODAY - timedelta(weeks=104))
    assert all(isinstance(a.personal, bool) and isinstance(a.builtin, bool) for a in actions)
    assert weeks and all(isinstance(w.week_start, date) for w in weeks)


def test_lower_folds_every_letter_as_on_the_full_path(network_url: str) -> None:
    with lite.open_reader(network_url, None) as found:
        assert found is not None
        run, _ = found
        assert run.conn.execute("SELECT lower('ÉLODIE ÇA')").fetchone()[0] == "élodie ça"


def test_a_path_the_system_refuses_is_left_to_the_full_path_to_explain(tmp_path: Path) -> None:
    # (a file name longer than the file system allows: stat() fails with ENAMETOOLONG, as it fails with
    # EACCES under a directory the user may not enter; the full path turns either into a ConfigError)
    with lite.open_reader(f"sqlite:///{tmp_path / ('a' * 300 + '.sqlite3')}", None) as found:
        assert found is None
