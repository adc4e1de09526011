"""Web sessions kept in the database, so that logging out ends a session for good.

A signed cookie alone cannot be taken back: a copy saved before logout would keep working until it
expires. Here the cookie carries a random id and the database keeps only its SHA-256, with the device,
when it was last seen and when it expires; logout, "log out everywhere" and a password change revoke rows.
A session ends after ``idle`` without use, and at the latest ``absolute`` after the login.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from keepwarm.store.models import WebSession
from keepwarm.store.reads import Runner

IDLE = timedelta(days=7)
ABSOLUTE = timedelta(days=30)
SEEN_EVERY = timedelta(minutes=1)  # note use at most this often: a write per request would serialise reads


@dataclass(frozen=True)
class Lifetime:
    """How long sessions last without use (idle) and at most (absolute)."""

    idle: timedelta = IDLE
    absolute: timedelta = ABSOLUTE


def id_hash(raw: str) -> str:
    """What the database keeps of a session id."""
    return hashlib.sha256(raw.encode()).hexdigest()


_BROWSERS = (("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"),
             ("curl/", "curl"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iOS"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("Linux", "Linux"))


def device_of(user_agent: str) -> str:
    """A short, recognisable name of the browser ("Firefox on Linux"), not the whole User-Agent."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), None)
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or re.sub(r"[^\w ./-]", "", user_agent)[:40] or "unknown device"


def start(session: Session, owner_id: int, device: str, now: datetime, life: Lifetime) -> str:
    """A new session for the account; returns the id for the cookie (only its hash is stored)."""
    raw = secrets.token_urlsafe(32)
    session.add(WebSession(id_hash=id_hash(raw), owner_id=owner_id, device=device[:300], created_at=now,
                           last_seen_at=now, expires_at=now + life.absolute))
    if secrets.randbelow(50) == 0:  # now and then, forget sessions long over
        purge(session, now - life.absolute)
    return raw


@dataclass(frozen=True)
class Live:
    """A live session and its account, as a request needs them."""

    id_hash: str
    owner_id: int
    email: str
    version: int  # the account's data version (see keepwarm.store.accounts)
    last_seen_at: datetime


def lookup(run: Runner, raw: str, now: datetime, life: Lifetime) -> Live | None:
    """The live session with this id: not revoked, not expired, used within the idle time; read with its
    account in one statement (``run``: ``Database.read``, or a ``SessionRunner``)."""
    from keepwarm.store.accounts import VERSION_KEY

    if not raw or len(raw) > 100:
        return None
    row = next(iter(run("session_account", hash=id_hash(raw), version_key=VERSION_KEY)), None)
    if row is None or row.revoked_at is not None or row.expires_at <= now \
            or row.last_seen_at <= now - life.idle:
        return None
    return Live(row.id_hash, row.owner_id, row.email, int(row.version or 0), row.last_seen_at)


def seen(session: Session, hashed: str, now: datetime) -> None:
    """Note that the session was used (the idle time starts again)."""
    session.execute(update(WebSession).where(WebSession.id_hash == hashed).values(last_seen_at=now))


def active(session: Session, owner_id: int, now: datetime, life: Lifetime) -> list[WebSession]:
    """The account's live sessions, most recently used first."""
    return list(session.scalars(
        select(WebSession).where(WebSession.owner_id == owner_id, WebSession.revoked_at.is_(None),
                                 WebSession.expires_at > now, WebSession.last_seen_at > now - life.idle)
        .order_by(WebSession.last_seen_at.desc())))


def revoke(session: Session, owner_id: int, hashed: str, now: datetime) -> bool:
    """End one of the account's sessions; False when it has no such session."""
    done = session.execute(update(WebSession).where(WebSession.id_hash == hashed,
                                                    WebSession.owner_id == owner_id,
                                                    WebSession.revoked_at.is_(None)).values(revoked_at=now))
    return bool(done.rowcount)  # type: ignore[attr-defined]


def revoke_all(session: Session, owner_id: int, now: datetime) -> int:
    """End every session of the account ("log out everywhere", a new password); returns how many."""
    done = session.execute(update(WebSession).where(WebSession.owner_id == owner_id,
                                                    WebSession.revoked_at.is_(None)).values(revoked_at=now))
    return int(done.rowcount)  # type: ignore[attr-defined]


def purge(session: Session, before: datetime) -> None:
    """Delete sessions that expired or were revoked before ``before``."""
    session.execute(delete(WebSession).where(or_(WebSession.expires_at < before,
                                                 WebSession.revoked_at < before)))
