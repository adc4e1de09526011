"""Limits on password guesses that hold under concurrency and across server processes.

A try is recorded *before* the slow password check, in a transaction that first counts the recent tries
of each key: thirty guesses arriving at once are counted one after the other, and only those under the
limit go on to the check. The rows live in the database, so every worker process (and every server on
the same database) sees the same counts. Keys are stored as SHA-256: no email or address is kept.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from keepwarm.store.models import LoginAttempt


@dataclass(frozen=True)
class Limit:
    """At most ``tries`` recorded tries of one key within ``window`` seconds."""

    tries: int
    window: float


def _hashed(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _lock(session: Session, hashed_keys: list[str]) -> None:
    """Serialise tries of the same keys. SQLite's write transactions already run one at a time (BEGIN
    IMMEDIATE); PostgreSQL takes a transaction-scoped advisory lock per key, in a fixed order."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for h in sorted(hashed_keys):
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": int(h[:15], 16)})


def reserve(session: Session, limits: dict[str, Limit], now: datetime) -> tuple[float, list[int]]:
    """Record a try for every key unless one of them is at its limit.

    Returns (seconds to wait, []) when a key is at its limit, else (0, ids of the recorded tries). Run it
    in a write session of its own and commit before the password check.
    """
    hashed = {_hashed(k): lim for k, lim in limits.items()}
    _lock(session, list(hashed))
    waits = []
    for h, lim in hashed.items():
        since = now - timedelta(seconds=lim.window)
        count, oldest = session.execute(select(func.count(), func.min(LoginAttempt.at))
                                        .where(LoginAttempt.key == h, LoginAttempt.at > since)).one()
        if count >= lim.tries:
            waits.append((oldest - since).total_seconds())
    if waits:
        return max(max(waits), 1.0), []
    rows = [LoginAttempt(key=h, at=now) for h in hashed]
    session.add_all(rows)
    longest = max(lim.window for lim in limits.values())
    session.execute(delete(LoginAttempt).where(LoginAttempt.key.in_(list(hashed)),
                                               LoginAttempt.at <= now - timedelta(seconds=longest)))
    session.flush()
    return 0.0, [r.id for r in rows]


def release(session: Session, ids: list[int], *, clear: str | None = None) -> None:
    """Take back the tries ``ids`` after a right password, and forget the failures of ``clear``."""
    session.execute(delete(LoginAttempt).where(LoginAttempt.id.in_(ids)))
    if clear is not None:
        session.execute(delete(LoginAttempt).where(LoginAttempt.key == _hashed(clear)))


def purge(session: Session, before: datetime) -> None:
    """Forget tries older than ``before`` (keys that stopped trying are never cleaned by ``reserve``)."""
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < before))
