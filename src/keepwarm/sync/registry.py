"""The sources of one owner: adding, listing and removing them, and reading their password back."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from keepwarm.errors import ConflictError, InvalidInputError, NotFoundError
from keepwarm.store.models.capture import CardLink, SourceRow
from keepwarm.sync.secrets import decrypt, encrypt

KINDS = ("imap", "caldav", "carddav")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$")


@dataclass
class Source:
    """A source as the sync code sees it: settings, the password in clear (in memory only), its state."""

    id: int
    name: str
    kind: str
    config: dict[str, Any]
    password: str
    state: dict[str, Any]


def add_source(s: Session, owner: int, name: str, kind: str, config: dict[str, Any], password: str,
               config_dir: Path) -> SourceRow:
    """A new source; its password is stored only encrypted."""
    if not _NAME.match(name):
        raise InvalidInputError(f"source name {name!r}: use letters, digits, dot, dash or underscore")
    if kind not in KINDS:
        raise InvalidInputError(f"unknown source kind {kind!r}; known: {', '.join(KINDS)}")
    if not password:
        raise InvalidInputError("a source needs a password",
                                hint="pass --password-stdin or set KEEPWARM_SOURCE_PASSWORD")
    if s.scalar(select(SourceRow.id).where(SourceRow.owner_id == owner, SourceRow.name == name)):
        raise ConflictError(f"a source named {name!r} already exists",
                            hint=f"remove it first with `keepwarm sources rm {name}`")
    row = SourceRow(owner_id=owner, name=name, kind=kind, config=config,
                    secret=encrypt(password, config_dir), state={}, created_at=datetime.now())
    s.add(row)
    s.flush()
    return row


def rows(s: Session, owner: int, names: list[str] | None = None) -> list[SourceRow]:
    """The owner's sources (those named, in that order, when names are given)."""
    found = {r.name: r for r in s.scalars(select(SourceRow).where(SourceRow.owner_id == owner)
                                          .order_by(SourceRow.name))}
    if not names:
        return list(found.values())
    missing = [n for n in names if n not in found]
    if missing:
        raise NotFoundError(f"no source named {missing[0]!r}", candidates=sorted(found))
    return [found[n] for n in dict.fromkeys(names)]


def remove_source(s: Session, owner: int, name: str) -> None:
    """Forget a source, its state and its card links; the people and touches it brought stay."""
    row = rows(s, owner, [name])[0]
    s.execute(delete(CardLink).where(CardLink.source_id == row.id))
    s.delete(row)


def load(row: SourceRow, config_dir: Path) -> Source:
    """The source with its password decrypted."""
    return Source(row.id, row.name, row.kind, dict(row.config or {}),
                  decrypt(row.secret or b"", config_dir), dict(row.state or {}))


def describe(row: SourceRow) -> dict[str, Any]:
    """What `sources` shows: never the password, not even encrypted."""
    return {"name": row.name, "kind": row.kind, **{k: v for k, v in (row.config or {}).items()},
            "last_sync_at": row.last_sync_at.isoformat(timespec="seconds") if row.last_sync_at else None}
