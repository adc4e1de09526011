"""The agenda's read statements, named, with named parameters: one definition for both ways of running them.

:class:`keepwarm.store.agenda.AgendaQueries` asks for rows by statement name. Inside the application a
:class:`SessionRunner` executes these SQLAlchemy statements. For the cold ``keepwarm today`` process on
SQLite, :mod:`keepwarm.store.lite` runs the same statements compiled ahead of time to SQLite's SQL
(``store/compiled.py``, written by ``scripts/compile_sql.py`` and checked by a test), because importing
SQLAlchemy alone costs that process more than its whole time budget.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import Boolean, Date, DateTime, Select, and_, bindparam, exists, func, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from keepwarm.store.models import (
    ActionRow,
    ApiToken,
    CircleRow,
    LifeEventRow,
    Mention,
    NewsItem,
    OccasionDone,
    PersonRow,
    PlanRow,
    Resource,
    SettingRow,
    Share,
    TouchPerson,
    TouchRow,
    User,
    WebSession,
    WeekCount,
)
from keepwarm.store.models.library import ResourceMatch

P = PersonRow
M = ResourceMatch
_PERSON = (P.id, P.name, P.circle_id, P.cadence_days, P.last_touch, P.last_action, P.met_on, P.created_on,
           P.balance, P.intro_score, P.bday_month, P.bday_day, P.bday_year,
           P.thanks_owed_since)


def _p(name: str, type_: Any = None) -> Any:
    return bindparam(name, type_=type_)


def _people() -> Select:
    """The owner's people who are not snoozed today."""
    today = _p("today", Date())
    return select(*_PERSON).where(P.owner_id == _p("owner"),
                                  or_(P.snoozed_until.is_(None), P.snoozed_until <= today))


def _library() -> Select:
    return (_people()
            .add_columns(M.resource_id, M.score, M.because, Resource.kind, Resource.title, P.given_name,
                         P.nickname)
            .join(M, and_(M.person_id == P.id, M.owner_id == _p("owner")))
            .join(Resource, Resource.id == M.resource_id)
            .where(M.score >= _p("min_score"),
                   P.last_touch.is_(None) | (P.last_touch < _p("recent", Date())),
                   ~exists().where(Share.owner_id == _p("owner"), Share.person_id == M.person_id,
                                   Share.resource_id == M.resource_id))
            .order_by(M.score.desc(), M.resource_id, P.id)
            .limit(_p("limit")))


def _news() -> Select:
    """Mentions found since a day, not dismissed, with the item that made them (newest first)."""
    return (_people()
            .add_columns(Mention.id.label("mention_id"), Mention.matched, Mention.good_news, Mention.found_on,
                         NewsItem.title, NewsItem.link, NewsItem.source, NewsItem.published)
            .join(Mention, and_(Mention.person_id == P.id, Mention.owner_id == _p("owner")))
            .join(NewsItem, NewsItem.id == Mention.item_id)
            .where(Mention.found_on >= _p("since", Date()), Mention.state != "dismissed")
            .order_by(Mention.found_on.desc(), Mention.id.desc())
            .limit(_p("limit")))


@cache
def statements() -> dict[str, Select]:
    """Every statement by name (built once per process; SQLAlchemy caches each compiled form)."""
    owner = _p("owner")
    return {
        "owner_by_email": select(User.id).where(User.email == _p("email")),
        "first_owner": select(User.id).order_by(User.id).limit(_p("limit")),
        "circles": select(CircleRow.id, CircleRow.name, CircleRow.every_days)
                   .where(CircleRow.owner_id == owner),
        "person_rhythms": select(P.every_days).distinct()
                          .where(P.owner_id == owner, P.every_days.is_not(None)),
        "catalog": select(ActionRow.name, ActionRow.label, ActionRow.weight, ActionRow.minutes,
                          ActionRow.kind, ActionRow.personal, ActionRow.builtin, ActionRow.duration)
                   .where(ActionRow.owner_id == owner),
        "settings": select(SettingRow.key, SettingRow.value).where(SettingRow.owner_id == owner),
        "weeks": select(WeekCount.week_start, WeekCount.touches).where(
            WeekCount.owner_id == owner, WeekCount.week_start >= _p("since", Date())),
        # one index range per rhythm on (owner, cadence_days, last_touch), already in overdue order
        "overdue": _people().where(P.cadence_days == _p("every"), P.last_touch <= _p("due", Date()))
                            .order_by(P.last_touch).limit(_p("limit")),
        "intros": _people().where(P.last_touch.is_(None)).order_by(P.intro_score.desc(), P.id)
                           .limit(_p("limit")),
        "birthdays": _people().where(P.bday_mmdd.between(_p("lo"), _p("hi"))).order_by(P.bday_mmdd)
                              .limit(_p("limit")),
        "events": _people().add_columns(LifeEventRow.id.label("event_id"), LifeEventRow.kind,
                                        LifeEventRow.on_date, LifeEventRow.note)
                           .join(LifeEventRow, LifeEventRow.person_id == P.id)
                           .where(LifeEventRow.owner_id == owner,
                                  LifeEventRow.on_date.between(_p("lo", Date()), _p("hi", Date()))),
        "thanks": _people().where(P.thanks_owed_since.is_not(None)).order_by(P.thanks_owed_since)
                           .limit(_p("limit")),
        "plans": _people().add_columns(PlanRow.id.label("plan_id"), PlanRow.action, PlanRow.on_date,
                                       PlanRow.note)
                          .join(PlanRow, PlanRow.person_id == P.id)
                          .where(PlanRow.owner_id == owner, PlanRow.done_on.is_(None),
                                 PlanRow.on_date <= _p("horizon", Date())),
        "library": _library(),
        "news": _news(),
        # occasions acted on or dismissed lately: their suggestions never come back
        "done": select(OccasionDone.occasion_id, OccasionDone.done_on).where(OccasionDone.owner_id == owner,
                                                       OccasionDone.on_date >= _p("since", Date())),
        # one person's touches since a day, with how many people each was with (for a planned ask)
        "touches_since": select(TouchRow.action, TouchRow.weight, TouchRow.on_date,
                                select(func.count()).where(TouchPerson.touch_id == TouchRow.id)
                                .correlate(TouchRow).scalar_subquery().label("people"))
                         .join(TouchPerson, TouchPerson.touch_id == TouchRow.id)
                         .where(TouchPerson.owner_id == owner, TouchPerson.person_id == _p("person"),
                                TouchRow.on_date >= _p("since", Date())),
        "anyone": select(P.id).where(P.owner_id == owner).limit(1),
        # who is asking, with the account's data version, in one read per request
        "session_account": _with_version(
            select(WebSession.id_hash, WebSession.owner_id, WebSession.revoked_at, WebSession.expires_at,
                   WebSession.last_seen_at).where(WebSession.id_hash == _p("hash")), WebSession.owner_id),
        "token_account": _with_version(select(ApiToken.id, ApiToken.owner_id, ApiToken.last_used_at)
                                       .where(ApiToken.token_hash == _p("hash")), ApiToken.owner_id),
    }


def _with_version(stmt: Select, owner: Any) -> Select:
    """The statement with its account's email and data version (a setting; None before the first change)."""
    return (stmt.add_columns(User.email, SettingRow.value.label("version"))
            .join(User, User.id == owner)
            .outerjoin(SettingRow, and_(SettingRow.owner_id == owner, SettingRow.key == _p("version_key"))))


class SessionRunner:
    """Runs the named statements in a SQLAlchemy session's transaction, on its driver connection.

    Each statement is compiled once per process and dialect; rows come straight from the driver (SQLite's
    through :class:`keepwarm.store.lite.LiteRunner`, with the same conversions the cold CLI uses). These
    are small indexed reads, and the ORM's per-execution work cost more than the reads themselves: a Today
    page runs about twenty of them. Pending ORM changes are flushed first, as the session's own execute
    would.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self._ahead: dict[Any, list[Any]] = {}  # results read ahead, by statement and parameters

    def __call__(self, name: str, **params: Any) -> list[Any]:
        if self._ahead:
            found = self._ahead.get(_call_key(name, params))
            if found is not None:
                return found
        if self.session.autoflush:
            self.session.flush()
        return run_on(self.session.connection(), name, params)

    @property
    def reads_ahead(self) -> bool:
        """Whether :meth:`prefetch` sends statements together: on PostgreSQL when psycopg can pipeline
        them. Elsewhere nothing is gained by asking ahead (SQLite answers in process)."""
        return self.session.get_bind().dialect.name == "postgresql" and _pipelines()

    def prefetch(self, calls: list[tuple[str, dict[str, Any]]]) -> None:
        """Run these statements now, in one round trip (psycopg's pipeline mode) instead of each waiting
        for the one before; a later call with the same statement and parameters gets its rows from here
        until :meth:`forget`. Only where :attr:`reads_ahead`."""
        if self.session.autoflush:
            self.session.flush()
        conn = self.session.connection()
        keys, work = [], []
        for name, params in calls:
            key = _call_key(name, params)
            if key not in self._ahead and key not in keys:
                sql, row_type, constants = _compiled(conn.dialect, name)
                keys.append(key)
                work.append((sql, {**constants, **params}, row_type))
        for key, done in zip(keys, _pipelined(conn, work), strict=True):
            self._ahead[key] = done.rows

    def forget(self) -> None:
        """Drop what was read ahead (it was read in this transaction, before any later change)."""
        self._ahead.clear()


def run_on(conn: Connection, name: str, params: dict[str, Any]) -> list[Any]:
    """A named statement on a SQLAlchemy connection, its rows straight from the driver."""
    if conn.dialect.name == "sqlite":
        from keepwarm.store.lite import LiteRunner

        return LiteRunner(conn.connection.driver_connection)(name, **params)  # type: ignore[arg-type]
    if conn.dialect.name != "postgresql":
        return list(conn.execute(statements()[name], params))
    sql, row_type, constants = _compiled(conn.dialect, name)
    return _on_driver(conn, sql, {**constants, **params}, row_type).rows


@cache
def _pipelines() -> bool:
    """Whether psycopg can send statements together (pipeline mode needs libpq 14 or newer; the binary
    package bundles one, a system libpq may be older: then each statement waits for the one before)."""
    import psycopg

    return bool(psycopg.Pipeline.is_supported())


class Done(NamedTuple):
    """What a prebuilt statement returned: its rows (read as attributes) and how many rows it changed."""

    rows: list[Any]
    rowcount: int


def execute(conn: Connection, stmt: Any, params: dict[str, Any] | list[dict[str, Any]]) -> Done:
    """A prebuilt statement (built once, with named parameters) on a SQLAlchemy connection; ``params``
    as a list runs it once per item. On PostgreSQL it runs straight on the driver, compiled once per
    process: SQLAlchemy's per-execution work cost more than these small writes and reads (a logged touch
    runs about ten). A change is noted for :func:`keepwarm.store.db.wrote` as SQLAlchemy's own execution
    would note it."""
    if conn.dialect.name != "postgresql":
        result = conn.execute(stmt, params)
        return Done(list(result) if result.returns_rows else [], result.rowcount)
    from keepwarm.store.db import WROTE

    sql, constants = _compiled_statement(conn.dialect, stmt)
    args = [{**constants, **p} for p in params] if isinstance(params, list) else {**constants, **params}
    done = _on_driver(conn, sql, args)
    if not isinstance(stmt, Select):
        conn.info[WROTE] = True
    return done


@contextmanager
def _driver(conn: Connection) -> Iterator[Any]:
    """The connection's driver connection. Its errors become SQLAlchemy's, as SQLAlchemy's own execution
    makes them (so the CLI's one-line errors and the web's 503 for a busy or unreachable database hold),
    and a connection the server dropped is discarded instead of going back to the pool, and the others
    pooled before it are replaced on their next use (as SQLAlchemy does on a disconnect)."""
    from sqlalchemy.exc import DBAPIError

    dbapi_error = conn.dialect.loaded_dbapi.Error
    try:
        yield conn.connection.driver_connection
    except dbapi_error as exc:
        gone = conn.dialect.is_disconnect(exc, conn.connection.dbapi_connection, None)
        if gone:
            # the server may have restarted: every connection pooled before now is replaced when next
            # taken out, as SQLAlchemy's own execution does on a disconnect (with this same call)
            conn.engine.pool._invalidate(conn.connection, exc, _checkin=False)
            conn.invalidate(exc)
        raise DBAPIError.instance(None, None, exc, dbapi_error, connection_invalidated=gone,
                                  dialect=conn.dialect) from exc


def execute_all(conn: Connection, calls: list[tuple[Any, dict[str, Any]]]) -> list[Done]:
    """Prebuilt statements in order, as :func:`execute` runs each; on PostgreSQL they are sent together,
    in one round trip (psycopg's pipeline mode), when no statement needs an answer from one before it."""
    if conn.dialect.name != "postgresql" or not _pipelines() or len(calls) < 2:
        return [execute(conn, stmt, params) for stmt, params in calls]
    from keepwarm.store.db import WROTE

    work = []
    for stmt, params in calls:
        sql, constants = _compiled_statement(conn.dialect, stmt)
        work.append((sql, {**constants, **params}, None))
    done = _pipelined(conn, work)
    if any(not isinstance(stmt, Select) for stmt, _ in calls):
        conn.info[WROTE] = True
    return done


def _pipelined(conn: Connection, work: list[tuple[str, dict[str, Any], Any]]) -> list[Done]:
    """SQL with its arguments and row type (None: named after the columns), sent together in one round
    trip (psycopg's pipeline mode); what each returned, in order."""
    cursors = []
    with _driver(conn) as raw:
        with raw.pipeline():
            for sql, args, _ in work:
                cursors.append(raw.cursor())
                cursors[-1].execute(sql, args)
        done = [_done(cur, sql, row_type) for cur, (sql, _, row_type) in zip(cursors, work, strict=True)]
    for cur in cursors:
        cur.close()
    return done


def _on_driver(conn: Connection, sql: str, args: dict[str, Any] | list[dict[str, Any]],
               row_type: Any = None) -> Done:
    """Run SQL on the driver: once, or once per item of a list of parameters. Rows come as ``row_type``,
    or named after the columns the server reports."""
    with _driver(conn) as raw, raw.cursor() as cur:
        if isinstance(args, list):
            cur.executemany(sql, args)
        else:
            cur.execute(sql, args)
        return _done(cur, sql, row_type)


def _done(cur: Any, sql: str, row_type: Any = None) -> Done:
    """What a driver cursor returned, its rows as ``row_type`` or named after the columns."""
    rows = []
    if cur.description is not None:
        if row_type is None:
            row_type = _ROW_TYPES.get(sql)
            if row_type is None:
                row_type = _ROW_TYPES[sql] = namedtuple("row", [d.name for d in cur.description])  # type: ignore[misc]
        rows = [row_type(*r) for r in cur.fetchall()]
    return Done(rows, cur.rowcount)


def among(column: Any, dialect: str) -> Any:
    """``column IN :ids`` for a prebuilt statement: on PostgreSQL ``= ANY(:ids)``, one array parameter,
    so that its SQL is the same however many ids there are."""
    if dialect == "postgresql":
        from sqlalchemy import ARRAY, Integer, any_

        return column == any_(bindparam("ids", type_=ARRAY(Integer())))
    return column.in_(bindparam("ids", expanding=True))


# compiled SQL by dialect and statement (the statement object itself: it lives as long as the process,
# built once by a cached function, and holding it keeps its identity from being reused)
_STATEMENTS: dict[tuple[str, Any], tuple[str, dict[str, Any]]] = {}
_ROW_TYPES: dict[Any, Any] = {}


def _compiled_statement(dialect: Any, stmt: Any) -> tuple[str, dict[str, Any]]:
    """A statement as the dialect's SQL, with the constants SQLAlchemy made parameters of on its own
    (such as OFFSET 0)."""
    key = (dialect.name, stmt)
    found = _STATEMENTS.get(key)
    if found is None:
        compiled = stmt.compile(dialect=dialect)
        constants = {k: v for k, v in compiled.params.items() if v is not None}
        found = _STATEMENTS[key] = (str(compiled), constants)
    return found


def _call_key(name: str, params: dict[str, Any]) -> Any:
    return name, tuple(sorted(params.items()))


def _compiled(dialect: Any, name: str) -> tuple[str, Any, dict[str, Any]]:
    """A named statement as the dialect's SQL, the row type of its columns and its constants."""
    stmt = statements()[name]
    sql, constants = _compiled_statement(dialect, stmt)
    row_type = _ROW_TYPES.get(name)
    if row_type is None:
        row_type = _ROW_TYPES[name] = namedtuple(f"{name}_row", [c.key for c in stmt.selected_columns])  # type: ignore[misc]
    return sql, row_type, constants


def _kind(type_: Any) -> str:
    if isinstance(type_, DateTime):
        return "datetime"
    if isinstance(type_, Date):
        return "date"
    return "bool" if isinstance(type_, Boolean) else ""


_HEADER = '''# ruff: noqa: E501
"""Generated by scripts/compile_sql.py from keepwarm.store.sql: do not edit.

The agenda's statements compiled to SQLite's SQL, for the cold `keepwarm today` process that does
not import SQLAlchemy (see keepwarm.store.lite). A test fails when this file is out of date."""

from typing import Any

HEAD = {head!r}

# name: (sql, ((column, kind), ...), constants). A column's kind is '', 'date', 'datetime' or 'bool';
# constants are the values SQLAlchemy made parameters of on its own (such as OFFSET 0).
STATEMENTS: dict[str, tuple[str, tuple[tuple[str, str], ...], dict[str, Any]]] = {{
'''


def compiled_module() -> str:
    """The source of ``store/compiled.py``: each statement as SQLite SQL, its columns and their kinds."""
    from sqlalchemy.dialects import sqlite

    from keepwarm.store.db import HEAD

    dialect = sqlite.dialect(paramstyle="named")
    out = [_HEADER.format(head=HEAD)]
    for name, stmt in statements().items():
        compiled = stmt.compile(dialect=dialect)
        sql = " ".join(str(compiled).split())
        columns = tuple((c.key, _kind(c.type)) for c in stmt.selected_columns)
        constants = {k: v for k, v in compiled.params.items() if v is not None}
        if not all(isinstance(v, int | str) for v in constants.values()):
            raise TypeError(f"statement {name!r} has a constant SQLite cannot take as it is: {constants}")
        entry = (sql, columns, constants)
        out.append(f"    {name!r}: (\n" + "".join(f"        {part!r},\n" for part in entry) + "    ),\n")
    out.append("}\n")
    return "".join(out)
