"""Files uploaded for an import, kept server-side between the dry run and the confirmation.

The confirm form carries only the upload's id: a form field holding the whole file (base64) was refused
above 1 MB, so files over ~760 KB could be checked but never imported. An upload belongs to one account,
expires after TTL, and is taken (deleted) by the confirmation that imports it, in the import's own
transaction: confirming twice, or two confirmations at once, import it once; a failed import keeps it.
Expired uploads are deleted whenever someone uploads, so no job is needed.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from keepwarm.errors import NotFoundError
from keepwarm.store.models import Upload

TTL = timedelta(hours=1)
KEEP = 3  # pending uploads an account may have (each up to 5 MB); older ones make way


def utcnow() -> datetime:
    """Now in UTC, naive (as the uploads table stores it), so server time zones do not shift expiry."""
    return datetime.now(UTC).replace(tzinfo=None)


def save(session: Session, owner_id: int, filename: str, data: bytes, *, now: datetime | None = None) -> str:
    """Keep ``data`` for ``owner_id`` until the confirmation or TTL, and return its id (unguessable)."""
    now = now or utcnow()
    purge(session, now)
    token = secrets.token_urlsafe(32)
    session.add(Upload(id=token, owner_id=owner_id, filename=filename, created_at=now, expires_at=now + TTL,
                       data=data))
    session.flush()
    older = list(session.scalars(select(Upload.id).where(Upload.owner_id == owner_id)
                                 .order_by(Upload.created_at.desc(), Upload.id).offset(KEEP)))
    if older:
        session.execute(delete(Upload).where(Upload.id.in_(older)).execution_options(synchronize_session=False))
    return token


def purge(session: Session, now: datetime | None = None) -> int:
    """Delete every expired upload (of any account); returns how many."""
    result = session.execute(delete(Upload).where(Upload.expires_at <= (now or utcnow()))
                             .execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def take(session: Session, owner_id: int, upload_id: str, *,
         now: datetime | None = None) -> tuple[str, bytes]:
    """The file name and bytes of one of ``owner_id``'s uploads, deleted in the caller's transaction (the
    first statement of it, so a concurrent confirmation waits for this one and then finds nothing).

    Another account's id, an expired one and one already imported are all "not found": which of them it
    was is nobody's business but the owner's, and the remedy is the same.
    """
    row = session.execute(
        delete(Upload).where(Upload.id == upload_id, Upload.owner_id == owner_id,
                             Upload.expires_at > (now or utcnow()))
        .returning(Upload.filename, Upload.data).execution_options(synchronize_session=False)).first()
    if row is None:
        raise NotFoundError("this upload was already imported or has expired (uploads are kept for "
                            f"{TTL.seconds // 60} minutes); choose the file again")
    return row[0], row[1]
