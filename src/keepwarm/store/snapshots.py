"""Whole-database snapshots of an SQLite file, consistent while the server keeps writing.

SQLite's online backup API copies every page of one read snapshot, so a backup taken during writes is
the database as it was at one moment, never half a transaction. The copy goes to a temporary file that is
renamed at the end: a backup file that exists is complete. PostgreSQL has its own tools (pg_dump).
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from keepwarm.config import sqlite_file
from keepwarm.errors import ConfigError, FormatError

PG_HINT = ("for PostgreSQL use its own tools while the server runs: pg_dump --format=custom "
           "--file=keepwarm.dump DATABASE_URL, and to restore: pg_restore --clean --dbname=DATABASE_URL "
           "keepwarm.dump")


def _file_of(url: str) -> Path:
    path = sqlite_file(url)
    if path is None:
        raise ConfigError("keepwarm backup and restore copy SQLite files", hint=PG_HINT)
    return path


def default_target(url: str, now: datetime) -> Path:
    """``backups/keepwarm-YYYYMMDD-HHMMSS.sqlite3`` beside the database file."""
    return _file_of(url).parent / "backups" / f"keepwarm-{now:%Y%m%d-%H%M%S}.sqlite3"


def backup(url: str, target: Path) -> Path:
    """Copy the live database ``url`` into ``target`` (a new file) and return its path."""
    source = _file_of(url)
    if not source.exists():
        raise ConfigError(f"there is no database at {source}")
    if target.exists():
        raise ConfigError(f"{target} exists already", hint="choose another --to, or remove it first")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst)  # all pages in one step: one consistent snapshot
        dst.execute("PRAGMA journal_mode=DELETE")  # the copy is one self-contained file
    finally:
        dst.close()
        src.close()
    os.chmod(partial, 0o600)
    partial.replace(target)
    return target


def restore(url: str, snapshot: Path) -> None:
    """Replace the database ``url`` with ``snapshot``'s content, page by page under SQLite's locks, so a
    running server sees either the old database or the restored one."""
    target = _file_of(url)
    if not snapshot.is_file():
        raise ConfigError(f"there is no backup at {snapshot}")
    src = sqlite3.connect(f"file:{snapshot}?mode=ro", uri=True)
    try:
        try:
            src.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError:
            raise FormatError("not a keepwarm database backup", file=str(snapshot)) from None
        target.parent.mkdir(parents=True, exist_ok=True)
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
