"""Reading an agenda from an SQLite file with the standard library only, for the cold ``keepwarm today``.

Importing SQLAlchemy costs a fresh process more than ``keepwarm today``'s whole time budget, yet the agenda
only reads. So the CLI runs the very statements of :mod:`keepwarm.store.sql`, compiled ahead of time to
SQLite's SQL (:mod:`keepwarm.store.compiled`, checked against SQLAlchemy's own compilation by a test),
through :mod:`sqlite3`, and the rows go through the same :class:`~keepwarm.store.agenda.AgendaQueries`.

Only a database that needs nothing qualifies: an existing SQLite file at the newest migration, with the
account asked for. For anything else :func:`open_reader` yields None and the caller takes the SQLAlchemy
path, which creates, migrates and explains errors. Nothing is ever written here (``query_only``).
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import date, datetime
from pathlib import Path
from typing import Any

from keepwarm.config import sqlite_file
from keepwarm.store import reads
from keepwarm.store.compiled import HEAD, STATEMENTS

Error = sqlite3.Error
_ROW_TYPES: dict[str, type] = {}


def _param(value: Any) -> Any:
    """A parameter as SQLAlchemy's SQLite types store it."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return int(value) if isinstance(value, bool) else value


def _converter(kind: str) -> Any:
    if kind == "date":
        return date.fromisoformat
    if kind == "datetime":
        return datetime.fromisoformat
    return bool if kind == "bool" else None


class LiteRunner:
    """Runs the compiled statements on one :mod:`sqlite3` connection, rows read as attributes."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __call__(self, name: str, **params: Any) -> list[Any]:
        sql, columns, constants = STATEMENTS[name]
        row_type = _ROW_TYPES.get(name)
        if row_type is None:
            row_type = _ROW_TYPES[name] = namedtuple(f"{name}_row", [c for c, _ in columns])  # type: ignore[misc]
        convert = [(i, f) for i, (_, kind) in enumerate(columns) if (f := _converter(kind)) is not None]
        args = {**constants, **{k: _param(v) for k, v in params.items()}}
        out = []
        for raw in self.conn.execute(sql, args):
            if convert:
                raw = list(raw)
                for i, f in convert:
                    if raw[i] is not None:
                        raw[i] = f(raw[i])
            out.append(row_type(*raw))
        return out


def has_people(run: LiteRunner, owner: int) -> bool:
    """Whether the owner has anyone in their network: :meth:`keepwarm.store.people.PeopleRepo.has_anyone`
    for the cold process (one probe of the people table's owner index; a test holds the two together)."""
    found = run.conn.execute("SELECT 1 FROM people WHERE owner_id = ? LIMIT 1", (owner,)).fetchone()
    return found is not None


def _lower(value: str | bytes | int | float | None) -> str | bytes | int | float | None:
    return value.lower() if isinstance(value, str) else value


def sqlite_path(url: str) -> Path | None:
    """The file behind a plain ``sqlite:///PATH`` URL, or None (another database, memory, URL options)."""
    return None if "?" in url else sqlite_file(url)


@contextmanager
def open_reader(url: str, user_email: str | None) -> Iterator[tuple[LiteRunner, int] | None]:
    """A runner and the owner's id, reading one consistent snapshot; None when the database does not qualify.

    Raises :data:`Error` (``sqlite3.Error``) when the file cannot be read; callers fall back on it too.
    """
    path = sqlite_path(url)
    try:
        qualifies = path is not None and path.is_file()
    except OSError:  # a path the system refuses (too long, a folder one may not enter): the full path says so
        qualifies = False
    if path is None or not qualifies:
        yield None
        return
    conn = sqlite3.connect(path, timeout=5.0, isolation_level=None)
    try:
        conn.execute("PRAGMA query_only=ON")
        # as keepwarm.store.db does for SQLAlchemy's connections: lower() folds every letter, not ASCII only
        conn.create_function("lower", 1, _lower, deterministic=True)
        conn.execute("BEGIN")  # every statement below reads the same snapshot
        try:
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError:  # not created by keepwarm yet
            revision = None
        run = LiteRunner(conn)
        owner = reads.owner_id(run, user_email) if revision == (HEAD,) else None
        yield None if owner is None else (run, owner)
    finally:
        with suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        conn.close()
