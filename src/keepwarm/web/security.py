"""Who is asking: session logins for pages, bearer tokens for the API, and CSRF checks on every change.

Sessions live in a signed, HttpOnly, SameSite=Lax cookie (Starlette's SessionMiddleware over
itsdangerous). The session holds the user id, a fingerprint of the password hash (a new password ends old
sessions) and a random CSRF token that every form carries as a hidden field and htmx sends as a header.
"""

from __future__ import annotations

import secrets

from fastapi import Request

from keepwarm.web.context import Account, web_of
from keepwarm.web.csrf import SAFE_METHODS, check_csrf


class LoginRequired(Exception):
    """No valid session: pages redirect to the login page, the API answers 401."""


def _session_account(request: Request) -> Account | None:
    from keepwarm.store.accounts import data_version, session_version
    from keepwarm.store.models import User

    uid = request.session.get("uid")
    if not isinstance(uid, int):
        return None
    with web_of(request).db.session() as session:
        user = session.get(User, uid)
        if user is None or request.session.get("ver") != session_version(user):
            request.session.clear()
            return None
        return Account(user.id, user.email, version=data_version(session, user.id),
                       writes=request.method not in SAFE_METHODS)


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
    from keepwarm.store.accounts import data_version, user_for_token

    with web_of(request).db.session() as session:
        user = user_for_token(session, secret)
        return Account(user.id, user.email, via_token=True, version=data_version(session, user.id),
                       writes=request.method not in SAFE_METHODS) if user else None


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


def log_in(request: Request, user_id: int, version: str) -> None:
    """Start a fresh session for the user (a new CSRF token too: no session fixation)."""
    request.session.clear()
    request.session.update({"uid": user_id, "ver": version, "csrf": secrets.token_urlsafe(32)})


def client_key(request: Request) -> str:
    """The client's address for rate limiting."""
    return f"ip:{request.client.host if request.client else 'unknown'}"

