"""Who is asking: session logins for pages, bearer tokens for the API, and CSRF checks on every change.

Sessions are rows in the database (:mod:`keepwarm.store.websessions`); the signed, HttpOnly,
SameSite=Lax cookie (Starlette's SessionMiddleware over itsdangerous) carries the session's random id and a
random CSRF token that every form carries as a hidden field and htmx sends as a header. Logging out, "log
out everywhere" and a new password revoke the rows, so a copy of an old cookie opens nothing.
"""

from __future__ import annotations

import secrets
from contextlib import suppress
from datetime import datetime

from fastapi import Request
from sqlalchemy.exc import OperationalError  # noting a use skips a busy database: done again next time

from keepwarm.web.context import Account, web_of
from keepwarm.web.csrf import SAFE_METHODS, check_csrf


class LoginRequired(Exception):
    """No valid session: pages redirect to the login page, the API answers 401."""


def _session_account(request: Request) -> Account | None:
    from keepwarm.store import websessions

    raw = request.session.get("sid")
    if not isinstance(raw, str):
        return None
    web = web_of(request)
    now = datetime.now()
    live = websessions.lookup(web.db.read, raw, now, web.life)
    if live is None:
        request.session.clear()
        return None
    if now - live.last_seen_at >= websessions.SEEN_EVERY:
        with suppress(OperationalError), web.db.session() as session:
            websessions.seen(session, live.id_hash, now)
    return Account(live.owner_id, live.email, version=live.version,
                   writes=request.method not in SAFE_METHODS, session_hash=live.id_hash)


async def page_user(request: Request) -> Account:
    """The logged-in account of a page request (and a valid CSRF token on changes)."""
    from starlette.concurrency import run_in_threadpool

    account = await run_in_threadpool(_session_account, request)
    if account is None:
        raise LoginRequired()
    await check_csrf(request)
    request.state.account = account
    return account


def _token_account(request: Request, secret: str) -> Account | None:
    from keepwarm.store.accounts import note_token_use, token_owner

    db = web_of(request).db
    found = token_owner(db.read, secret)
    if found is None:
        return None
    if found.note_use is not None:
        with suppress(OperationalError), db.session() as session:
            note_token_use(session, found.note_use)
    return Account(found.owner_id, found.email, via_token=True, version=found.version,
                   writes=request.method not in SAFE_METHODS)


async def api_user(request: Request) -> Account:
    """The account of an API request: a bearer token, or a session (with the CSRF header on changes)."""
    from starlette.concurrency import run_in_threadpool

    auth = request.headers.get("authorization", "")
    if not auth:
        return await page_user(request)
    scheme, _, secret = auth.partition(" ")
    account = (await run_in_threadpool(_token_account, request, secret.strip())
               if scheme.lower() == "bearer" else None)
    if account is None:
        raise LoginRequired()
    request.state.account = account
    return account


def log_in(request: Request, user_id: int) -> None:
    """Start a fresh session for the user: a new id and a new CSRF token (no session fixation)."""
    from keepwarm.store import websessions

    web = web_of(request)
    device = websessions.device_of(request.headers.get("user-agent", ""))
    with web.db.session() as session:
        raw = websessions.start(session, user_id, device, datetime.now(), web.life)
    request.session.clear()
    request.session.update({"sid": raw, "csrf": secrets.token_urlsafe(32)})


def log_out(request: Request, account: Account) -> None:
    """End this browser's session: the cookie is cleared and its id no longer opens anything."""
    from keepwarm.store import websessions

    if account.session_hash is not None:
        with web_of(request).db.session() as session:
            websessions.revoke(session, account.id, account.session_hash, datetime.now())
    request.session.clear()


def client_key(request: Request) -> str:
    """The client's address for rate limiting."""
    return f"ip:{request.client.host if request.client else 'unknown'}"

