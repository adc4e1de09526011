"""Owners (user accounts), their settings, circles and action catalog."""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from keepwarm.core.actions import BUILTIN_ACTIONS, Action
from keepwarm.core.circles import DEFAULT_CIRCLES
from keepwarm.errors import NotFoundError
from keepwarm.store import reads
from keepwarm.store.models import ActionRow, CircleRow, SettingRow, User
from keepwarm.store.sql import SessionRunner

LOCAL_EMAIL = "me@localhost"


def create_owner(session: Session, email: str, password_hash: str | None = None) -> User:
    """A new account with the built-in circles and actions."""
    # a feed token nobody knows (only hashes are stored): Settings makes one to show when asked
    unknown = hashlib.sha256(secrets.token_bytes(32)).hexdigest()
    user = User(email=email.lower(), password_hash=password_hash, feed_token=unknown,
                created_at=datetime.now())
    session.add(user)
    session.flush()
    for pos, c in enumerate(DEFAULT_CIRCLES):
        session.add(CircleRow(owner_id=user.id, name=c.name, every_days=c.every_days,
                              description=c.description, position=pos))
    for a in BUILTIN_ACTIONS:
        session.add(ActionRow(owner_id=user.id, name=a.name, label=a.label, weight=a.weight,
                              minutes=a.minutes, kind=a.kind, personal=a.personal, builtin=True,
                              duration=a.duration))
    session.flush()
    return user


def find_owner(session: Session, email: str | None) -> int:
    """The id of the account the CLI acts for: by email, else the only or first one, else a new local one
    (the lookup is :func:`keepwarm.store.reads.owner_id`, which the cold ``keepwarm today`` uses too)."""
    found = reads.owner_id(SessionRunner(session), email)
    if found is not None:
        return found
    if email:
        raise NotFoundError(f"no user {email!r}", hint="create one with: keepwarm user add EMAIL")
    return create_owner(session, LOCAL_EMAIL).id


def catalog(session: Session, owner_id: int) -> dict[str, Action]:
    """The owner's action catalog by name (read once per session; see forget_catalog)."""
    key = ("catalog", owner_id)
    if key not in session.info:
        session.info[key] = reads.catalog(SessionRunner(session), owner_id)
    return dict(session.info[key])


def forget_catalog(session: Session, owner_id: int) -> None:
    """Drop the session's cached catalog after the catalog changed."""
    session.info.pop(("catalog", owner_id), None)


def get_setting(session: Session, owner_id: int, key: str) -> Any:
    """A setting's value, or its default (all settings are read once per session)."""
    cache = ("settings", owner_id)
    if cache not in session.info:
        session.info[cache] = reads.settings(SessionRunner(session), owner_id)
    return session.info[cache].get(key)


def set_setting(session: Session, owner_id: int, key: str, value: Any) -> None:
    """Store a setting."""
    session.info.pop(("settings", owner_id), None)
    row = session.get(SettingRow, (owner_id, key))
    if row is None:
        session.add(SettingRow(owner_id=owner_id, key=key, value=json.dumps(value)))
    else:
        row.value = json.dumps(value)
