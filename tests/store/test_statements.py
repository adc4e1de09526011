"""The agenda's and the login's named statements, run on the driver connection, return exactly what
SQLAlchemy's own execution returns: same rows, same order, same Python types, on both backends."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keepwarm.core.people import Person
from keepwarm.store import Database, open_store, websessions
from keepwarm.store.accounts import (
    VERSION_KEY,
    _digest,
    bump_data_version,
    create_api_token,
    data_version,
)
from keepwarm.store.demo import load
from keepwarm.store.library import LibraryRepo
from keepwarm.store.models import PersonRow
from keepwarm.store.sql import SessionRunner, statements

TODAY = date(2026, 11, 25)


def _orm(session: Session, name: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The statement as SQLAlchemy executes it: the reference the driver path must match."""
    return [tuple(r) for r in session.execute(statements()[name], params)]


def _network(db: Database) -> tuple[int, str, str]:
    """A demo network with plans, snoozes, events, library matches, a web session and an API token;
    returns the owner, the session id and the token."""
    with open_store(db, TODAY) as store:
        load(store)
        ids = list(store.session.scalars(select(PersonRow.id).where(PersonRow.owner_id == store.owner_id)
                                         .order_by(PersonRow.id)))
        store.people.add(Person(name="Zoë Ünder", every_days=45))
        for k, pid in enumerate(ids[:12]):
            store.touches.log(["coffee", "like", "ask", "received"][k % 4], [pid],
                              TODAY - timedelta(days=k * 9), None)
        store.touches.add_plan(ids[3], "ask", TODAY + timedelta(days=5))
        store.touches.snooze(ids[4], 10)
        LibraryRepo(store.session, store.owner_id, TODAY).add(kind="book", title="Hiring by design",
                                                              topics=["hiring", "design"])
        owner = store.owner_id
        bump_data_version(store.session, owner)
        raw = websessions.start(store.session, owner, "Firefox on Linux", datetime(2026, 11, 25, 9),
                                websessions.Lifetime())
        _, token = create_api_token(store.session, owner, "phone")
    return owner, raw, token


def test_every_statement_returns_what_sqlalchemy_returns(db: Database) -> None:
    owner, raw, token = _network(db)
    values = {"owner": owner, "today": TODAY, "email": "", "limit": 40, "every": 45, "due": TODAY,
              "lo": "0101", "hi": "1231", "since": TODAY - timedelta(days=400),
              "horizon": TODAY + timedelta(days=30), "min_score": 0.0, "recent": TODAY, "person": 0,
              "hash": "",
              "version_key": VERSION_KEY}
    with db.session(write=False) as session:
        values["email"] = session.connection().exec_driver_sql("SELECT email FROM users").scalar()
        values["person"] = session.connection().exec_driver_sql(
            "SELECT person_id FROM touch_people ORDER BY touch_id, person_id LIMIT 1").scalar()
        run = SessionRunner(session)
        special = {"session_account": {"hash": websessions.id_hash(raw)},
                   "token_account": {"hash": _digest(token)},
                   "events": {"lo": TODAY - timedelta(days=400), "hi": TODAY + timedelta(days=60)}}
        compared = 0
        for name, stmt in statements().items():
            params = {k: values[k] for k, v in stmt.compile().params.items() if v is None}
            params.update(special.get(name, {}))
            expected = _orm(session, name, params)
            got = run(name, **params)
            assert [tuple(r) for r in got] == expected, name
            assert [[type(v) for v in r] for r in got] == [[type(v) for v in r] for r in expected], name
            compared += bool(expected)
        # the comparison saw rows, not empty results: every statement but the rarest found something
        assert compared >= len(statements()) - 4
        found = run("session_account", hash=websessions.id_hash(raw), version_key=VERSION_KEY)[0]
        assert (found.owner_id, found.revoked_at) == (owner, None)
        assert int(found.version) == data_version(session, owner) >= 1


def test_pending_changes_are_flushed_before_a_statement_reads(db: Database) -> None:
    owner, _, _ = _network(db)
    with db.session() as session:
        run = SessionRunner(session)
        before = {r.id for r in run("intros", owner=owner, today=TODAY, limit=100)}
        touched = session.scalars(select(PersonRow).where(PersonRow.owner_id == owner,
                                                          PersonRow.last_touch.is_not(None),
                                                          PersonRow.snoozed_until.is_(None))).first()
        assert touched is not None and touched.id not in before
        touched.last_touch = None  # not flushed: the runner flushes first, as the session's execute would
        after = {r.id for r in run("intros", owner=owner, today=TODAY, limit=100)}
        assert after - before == {touched.id}
        session.rollback()


def test_a_read_on_its_own_returns_the_sessions_rows_and_leaves_later_transactions_all_or_nothing(
        db: Database) -> None:
    """``Database.read`` (who is asking, at the start of every web request) runs outside a transaction on
    PostgreSQL; the pooled connection it used must come back to transactions as usual."""
    from sqlalchemy import update

    owner, raw, token = _network(db)
    for name, params in (("session_account", {"hash": websessions.id_hash(raw)}),
                         ("token_account", {"hash": _digest(token)})):
        with db.session(write=False) as session:
            expected = [tuple(r) for r in SessionRunner(session)(name, version_key=VERSION_KEY, **params)]
        for _ in range(3):  # enough to meet every pooled connection the reads used
            assert [tuple(r) for r in db.read(name, version_key=VERSION_KEY, **params)] == expected
    assert expected and expected[0][1] == owner
    for _ in range(3):
        try:
            with db.session() as session:
                session.execute(update(PersonRow).where(PersonRow.owner_id == owner).values(name="Nobody"))
                raise RuntimeError("changed my mind")
        except RuntimeError:
            pass
        with db.session(write=False) as session:
            assert "Nobody" not in set(session.scalars(select(PersonRow.name)))


def test_a_prebuilt_statement_reads_and_writes_as_sqlalchemy_would_and_notes_its_change(db: Database) -> None:
    """``sql.execute`` runs the touch's prebuilt statements (on PostgreSQL on the driver): same rows, an
    id list of any length, and a change noted, so that the CLI moves the data version the web reads."""
    from sqlalchemy import bindparam, update

    from keepwarm.store.db import wrote
    from keepwarm.store.sql import among, execute

    owner, _, _ = _network(db)
    with db.session() as session:
        dialect = session.get_bind().dialect.name
        ids = list(session.scalars(select(PersonRow.id).where(PersonRow.owner_id == owner)
                                   .order_by(PersonRow.id)))[:5]
        names = (select(PersonRow.id, PersonRow.name)
                 .where(PersonRow.owner_id == bindparam("owner"), among(PersonRow.id, dialect))
                 .order_by(PersonRow.id))
        conn = session.connection()
        for some in (ids[:1], ids):
            got = execute(conn, names, {"owner": owner, "ids": some}).rows
            assert [(r.id, r.name) for r in got] == [tuple(r) for r in conn.execute(
                select(PersonRow.id, PersonRow.name).where(PersonRow.id.in_(some)).order_by(PersonRow.id))]
        assert not wrote(session)  # reading changes nothing
        rename = (update(PersonRow.__table__).where(among(PersonRow.__table__.c.id, dialect))
                  .values(nickname=bindparam("nick")))
        assert execute(conn, rename, {"ids": ids[:2], "nick": "Doc"}).rowcount == 2
        assert wrote(session)
        assert set(session.scalars(select(PersonRow.nickname).where(PersonRow.id.in_(ids[:2])))) == {"Doc"}
        session.rollback()


def test_an_error_on_the_driver_is_sqlalchemys_error_and_a_dropped_connection_leaves_the_pool(
        db: Database) -> None:
    """The statements run on the driver fail as SQLAlchemy's own execution does (the CLI's one-line
    errors and the web's 503 catch those), and a connection the server dropped is not reused."""
    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError, IntegrityError

    from keepwarm.store.sql import execute
    from keepwarm.store.touches import _writes

    owner, raw, _ = _network(db)
    dialect = db.engine.dialect.name
    with pytest.raises(IntegrityError), db.session() as session:  # a touch that does not exist
        execute(session.connection(), _writes(dialect)["link"],
                [{"touch_id": 10**9, "person_id": 1, "owner_id": owner}])
    if dialect != "postgresql":
        return
    with pytest.raises(DBAPIError) as failed, db.session(write=False) as session:
        pid = session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        SessionRunner(session)("catalog", owner=owner)
    assert failed.value.connection_invalidated
    for _ in range(3):  # every pooled connection answers afterwards
        assert db.read("session_account", hash=websessions.id_hash(raw), version_key=VERSION_KEY)
