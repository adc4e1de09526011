"""Engines, sessions and migrations. Nothing is opened at import time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from keepwarm.config import count_env, sqlite_file
from keepwarm.errors import ConfigError

MIGRATIONS = Path(__file__).parent / "migrations"
HEAD = "0007_intro_index"  # the newest migration; checked cheaply on start-up instead of importing Alembic


BUSY_TIMEOUT_MS = 5000  # how long a writer waits for SQLite's lock before the web app answers 503


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    # pysqlite's own BEGIN is deferred and issued behind our back; _begin below issues ours instead
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()
    # SQLite's own lower() folds ASCII only; PostgreSQL's folds every letter: make them agree
    dbapi_conn.create_function("lower", 1, _lower, deterministic=True)


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _begin(conn) -> None:  # type: ignore[no-untyped-def]
    """BEGIN IMMEDIATE for write sessions: the write lock is taken (waiting up to the busy timeout) before
    the first read, so a transaction never has to upgrade a stale read snapshot, which SQLite refuses at
    once with "database is locked" whatever the timeout."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")


WRITE = "keepwarm_write"  # the execution option that marks a write session's connections
WROTE = "keepwarm_wrote"  # set in a connection's info once its transaction changed a row


def _reset_wrote(conn) -> None:  # type: ignore[no-untyped-def]
    conn.info.pop(WROTE, None)


def _note_write(conn, _cursor, statement, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
    if statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
        conn.info[WROTE] = True


def wrote(session: Session) -> bool:
    """Whether the session's transaction has changed any row (through the ORM or plain statements)."""
    return bool(session.connection().info.get(WROTE))


def _track_writes(engine: Engine) -> Engine:
    event.listen(engine, "begin", _reset_wrote)
    event.listen(engine, "after_cursor_execute", _note_write)
    return engine


def pool_options() -> dict[str, int]:
    """Connection pool size per process: ``KEEPWARM_DB_POOL`` connections (default 8), and as many again
    for a moment's need; N server processes hold at most N × 2 × ``KEEPWARM_DB_POOL``. A server process
    has fewer requests in progress than that (``KEEPWARM_WEB_SLOTS``), so no request waits for a
    connection and none is opened and closed on bursts."""
    size = count_env("KEEPWARM_DB_POOL", 8)
    return {"pool_size": size, "max_overflow": size, "pool_timeout": 10}


def make_engine(url: str) -> Engine:
    """An engine for ``url``: SQLite files get WAL, a busy timeout, foreign keys and BEGIN IMMEDIATE for
    writes; PostgreSQL a pool sized by ``KEEPWARM_DB_POOL``."""
    if url.startswith("sqlite"):
        path = sqlite_file(url)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ConfigError(f"cannot create the database folder for {path}: {exc}") from None
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin)
        return _track_writes(engine)
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return _track_writes(_ping_when_idle(create_engine(url, **pool_options())))


# seconds a pooled connection may rest before it is checked (one round trip) on its next use
PING_AFTER = 2.0


def _ping_when_idle(engine: Engine) -> Engine:
    """Check a pooled connection before use only when it has rested ``PING_AFTER`` seconds or more: a
    server restarted, or a connection dropped by a firewall or a proxy, is then found before a request
    uses it, and a fresh one is opened instead. Checking on every use (SQLAlchemy's ``pool_pre_ping``)
    cost every request a round trip: half of a cached Today page's. A connection that breaks while in
    use fails that request (503 on the web, a one-line error in the CLI), and the pool is renewed."""
    import time

    from sqlalchemy.exc import DisconnectionError

    @event.listens_for(engine, "checkin")
    def rested(_dbapi: Any, record: Any) -> None:
        record.info["rested_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def check(dbapi: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("rested_at")
        if since is None or time.monotonic() - since < PING_AFTER:
            return  # new, or in use a moment ago
        try:
            engine.dialect.do_ping(dbapi)
        except engine.dialect.loaded_dbapi.Error as exc:
            if engine.dialect.is_disconnect(exc, dbapi, None):
                raise DisconnectionError(str(exc)) from exc  # the pool opens a fresh connection
            raise

    return engine


def alembic_config(url: str):  # type: ignore[no-untyped-def]
    """An Alembic config pointing at our migrations and ``url``."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def current_revision(engine: Engine) -> str | None:
    """The schema's migration revision, or None for an empty database."""
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:
            conn.rollback()  # PostgreSQL refuses further statements in a failed transaction
            if inspect(conn).has_table("alembic_version"):
                raise
            return None


def migrate(engine: Engine) -> bool:
    """Bring the schema up to the newest migration (a cheap check when it already is); returns whether
    it changed anything."""
    try:
        if current_revision(engine) == HEAD:
            return False
    except Exception as exc:  # an unreachable server or a file that is not a database
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise ConfigError(f"cannot open the database {engine.url!r}: {reason}") from None
    from alembic import command

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.execution_options(**{WRITE: True}).begin() as conn:
        # one migrator at a time: server workers and the CLI starting together on an empty database
        # wait here, then find the schema current (SQLite: BEGIN IMMEDIATE holds the write lock)
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        if _revision_in(conn) == HEAD:
            return False
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return True


MIGRATION_LOCK = 0x6B77_6D69  # "kwmi": the advisory lock key migrations hold on PostgreSQL


def _revision_in(conn) -> str | None:  # type: ignore[no-untyped-def]
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


class Database:
    """An engine and its session factory, migrated on first use."""

    def __init__(self, url: str, *, migrate_schema: bool = True) -> None:
        self.url = url
        self.engine = make_engine(url)
        if migrate_schema:
            migrate(self.engine)
        self._sessions = sessionmaker(self.engine.execution_options(**{WRITE: True}), expire_on_commit=False)
        self._reads = sessionmaker(self.engine, expire_on_commit=False)
        self._autocommit = self.engine.execution_options(isolation_level="AUTOCOMMIT")

    def read(self, name: str, **params: Any) -> list[Any]:
        """One named statement of :mod:`keepwarm.store.sql` on its own: on PostgreSQL outside any
        transaction, so without the round trips of BEGIN and COMMIT (every web request starts with one
        such read, who is asking); SQLite has no round trips to save."""
        from keepwarm.store.sql import run_on

        with (self.engine if self.engine.dialect.name == "sqlite" else self._autocommit).connect() as conn:
            return run_on(conn, name, params)

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error. On SQLite a
        write session holds the write lock from its start; ``write=False`` reads a snapshot without it
        (a read session that writes after all may fail when another writer got there first)."""
        with (self._sessions if write else self._reads)() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
