"""User accounts: passwords (argon2), calendar feed tokens and personal access tokens for the API.

Personal access tokens are random 256-bit strings; only their SHA-256 is stored (a slow hash buys nothing
for a secret with that much entropy, and a fast one keeps every API request cheap).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keepwarm.errors import ConflictError, InvalidInputError, NotFoundError
from keepwarm.store.models import ApiToken, PersonRow, User
from keepwarm.store.owners import LOCAL_EMAIL, create_owner
from keepwarm.store.reads import Runner

MIN_PASSWORD = 8
TOKEN_PREFIX = "kw_"


def _hasher():  # type: ignore[no-untyped-def]
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` after checking it is long enough."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInputError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > 1024:
        raise InvalidInputError("a password has at most 1024 characters")
    return str(_hasher().hash(password))


def verify_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches the stored hash (a passwordless account never matches)."""
    if not stored:
        return False
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_hasher().verify(stored, password))
    except (VerificationError, InvalidHashError):
        return False


def normalize_account_email(email: str) -> str:
    """An account email, validated and lower-cased (``localhost`` addresses are allowed)."""
    value = email.strip().lower()
    if value.endswith("@localhost") and value.count("@") == 1 and len(value) > len("@localhost"):
        return value
    from keepwarm.core.people import normalize_email

    return normalize_email(value)


def by_email(session: Session, email: str) -> User | None:
    """The account with this email, if any."""
    return session.scalar(select(User).where(User.email == email.strip().lower()))


def add_user(session: Session, email: str, password: str) -> tuple[User, bool]:
    """Create an account; when the only one is the passwordless local owner the CLI made, claim it.

    Claiming keeps everything entered through the CLI: the local owner gets this email and password.
    Returns the account and whether it was claimed.
    """
    email = normalize_account_email(email)
    if by_email(session, email) is not None:
        raise ConflictError(f"there is already a user {email}", hint="change the password with: "
                            f"keepwarm user passwd {email}")
    pw_hash = hash_password(password)
    users = list(session.scalars(select(User).order_by(User.id).limit(2)))
    if len(users) == 1 and users[0].email == LOCAL_EMAIL and users[0].password_hash is None:
        users[0].email, users[0].password_hash = email, pw_hash
        session.flush()
        return users[0], True
    return create_owner(session, email, pw_hash), False


def set_password(session: Session, email: str, password: str) -> User:
    """Change an account's password; every web session of the account ends (API tokens stay)."""
    from keepwarm.store.websessions import revoke_all

    user = by_email(session, email)
    if user is None:
        raise NotFoundError(f"no user {email!r}")
    user.password_hash = hash_password(password)
    revoke_all(session, user.id, datetime.now())
    return user


def stored_hash(session: Session, email: str) -> tuple[int, str | None] | None:
    """The account id and password hash for an email, read without checking anything: the slow check
    runs after the session is closed, so no database connection waits on argon2."""
    user = by_email(session, email)
    return (user.id, user.password_hash) if user is not None else None


def check_password(found: tuple[int, str | None] | None, password: str) -> int | None:
    """The account id when ``password`` matches (the same work is done for an unknown email)."""
    if found is None:
        verify_password(_DUMMY_HASH.get(), password)  # costs like a real check: no timing oracle
        return None
    return found[0] if verify_password(found[1], password) else None


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The account for these credentials, or None (the same work is done for an unknown email)."""
    uid = check_password(stored_hash(session, email), password)
    return session.get(User, uid) if uid is not None else None


class _Dummy:
    """A lazily made hash to verify against for unknown emails."""

    value: str | None = None

    def get(self) -> str:
        if self.value is None:
            self.value = str(_hasher().hash(secrets.token_hex(16)))
        return self.value


_DUMMY_HASH = _Dummy()


@dataclass
class UserSummary:
    """One line of ``keepwarm user list``."""

    id: int
    email: str
    has_password: bool
    people: int
    created_at: datetime


def list_users(session: Session) -> list[UserSummary]:
    """Every account with how many people it holds."""
    counts = dict(session.execute(select(PersonRow.owner_id, func.count()).group_by(PersonRow.owner_id))
                  .all())
    return [UserSummary(u.id, u.email, u.password_hash is not None, counts.get(u.id, 0), u.created_at)
            for u in session.scalars(select(User).order_by(User.id))]


# -- calendar feed --------------------------------------------------------------------------------
# Only the SHA-256 of a feed token is stored (64 hex digits); the address is shown once, when made.
# Databases from before keep a plain 43-character token until it is rotated; it still opens its feed.
def new_feed_token() -> tuple[str, str]:
    """A fresh feed token and what the database keeps of it."""
    token = secrets.token_urlsafe(32)
    return token, _digest(token)


def rotate_feed_token(session: Session, user: User) -> str:
    """Give the account a new calendar feed token; the old feed URL stops working."""
    token, user.feed_token = new_feed_token()
    session.flush()
    return token


def feed_token_shown(user: User) -> str | None:
    """The feed token when the database still holds it in plain text (made before tokens were hashed)."""
    return user.feed_token if len(user.feed_token) != 64 else None


def by_feed_token(session: Session, token: str) -> User | None:
    """The account whose calendar feed this is."""
    if not token or len(token) > 64:
        return None
    user = session.scalar(select(User).where(User.feed_token.in_([_digest(token), token])))
    if user is None:
        return None
    # compare again in constant time: the index lookup alone could leak a prefix through timing
    if secrets.compare_digest(user.feed_token, _digest(token)):
        return user
    return user if feed_token_shown(user) and secrets.compare_digest(user.feed_token, token) else None


# -- personal access tokens -----------------------------------------------------------------------
def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(session: Session, owner_id: int, name: str) -> tuple[ApiToken, str]:
    """A new personal access token; the secret is returned once and only its hash is stored."""
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInputError("a token needs a name of 1 to 100 characters")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(owner_id=owner_id, name=name, token_hash=_digest(secret), created_at=datetime.now())
    session.add(row)
    session.flush()
    return row, secret


def api_tokens(session: Session, owner_id: int) -> list[ApiToken]:
    """The account's tokens, newest first."""
    return list(session.scalars(select(ApiToken).where(ApiToken.owner_id == owner_id)
                                .order_by(ApiToken.id.desc())))


def revoke_api_token(session: Session, owner_id: int, token_id: int) -> None:
    """Delete one of the account's tokens."""
    row = session.get(ApiToken, token_id)
    if row is None or row.owner_id != owner_id:
        raise NotFoundError(f"no token #{token_id}")
    session.delete(row)


def revoke_all_api_tokens(session: Session, owner_id: int) -> int:
    """Delete every token of the account (a new password does not: scripts keep working unless asked)."""
    from sqlalchemy import delete

    return int(session.execute(delete(ApiToken).where(ApiToken.owner_id == owner_id))
               .rowcount)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class TokenAccount:
    """The account a bearer token opens, and the token's id when its use should be noted."""

    owner_id: int
    email: str
    version: int
    note_use: int | None


def token_owner(run: Runner, secret: str) -> TokenAccount | None:
    """The account a bearer token belongs to (read with its data version in one statement), and the
    token's id when its use should be noted: at most once a minute, in a write of its own, since a write
    on every request would serialise reads. ``run``: ``Database.read``, or a ``SessionRunner``."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    row = next(iter(run("token_account", hash=_digest(secret), version_key=VERSION_KEY)), None)
    if row is None:
        return None
    due = row.last_used_at is None or (datetime.now() - row.last_used_at).total_seconds() > 60
    return TokenAccount(row.owner_id, row.email, int(row.version or 0), row.id if due else None)


def note_token_use(session: Session, token_id: int) -> None:
    """Remember when a token was last used."""
    from sqlalchemy import update

    session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=datetime.now()))


# -- data version ---------------------------------------------------------------------------------
# A counter per account, kept as a setting (no schema change), that the web app moves with every change
# it makes; web processes cache the costly Today agenda per account and rebuild it when it moves.
VERSION_KEY = "data_version"


def data_version(session: Session, owner_id: int) -> int:
    """The account's data version (0 before its first change through the web app)."""
    from keepwarm.store.models import SettingRow

    raw = session.scalar(select(SettingRow.value).where(SettingRow.owner_id == owner_id,
                                                        SettingRow.key == VERSION_KEY))
    return int(raw) if raw is not None else 0


@cache
def _bump() -> Any:
    """The data version's UPDATE, built once (every write request runs it)."""
    from sqlalchemy import Integer, Text, bindparam, cast, update

    from keepwarm.store.models import SettingRow

    table = SettingRow.__table__
    return (update(table).where(table.c.owner_id == bindparam("owner"), table.c.key == VERSION_KEY)
            .values(value=cast(cast(table.c.value, Integer) + 1, Text)))


def bump_data_version(session: Session, owner_id: int) -> None:
    """Move the account's data version on, atomically (one UPDATE; the row is made on first use)."""
    from sqlalchemy.exc import IntegrityError

    from keepwarm.store.models import SettingRow
    from keepwarm.store.sql import execute

    session.flush()
    if execute(session.connection(), _bump(), {"owner": owner_id}).rowcount == 0:
        try:
            with session.begin_nested():
                session.add(SettingRow(owner_id=owner_id, key=VERSION_KEY, value="1"))
        except IntegrityError:  # another request made it first: count on from there
            bump_data_version(session, owner_id)
