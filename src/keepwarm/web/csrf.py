"""CSRF protection: a per-session token that every state-changing form and htmx request carries.

Kept apart from the login code so that rendering (web.context) and checking (web.security) can both use it.
"""

from __future__ import annotations

import secrets

from fastapi import Request

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfError(Exception):
    """A change without the session's CSRF token: refused with 403."""


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use."""
    if "session" not in request.scope:
        return ""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


async def check_csrf(request: Request) -> None:
    """Refuse a state-changing request whose CSRF token (header or form field) is not the session's."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not secrets.compare_digest(str(expected), sent):
        raise CsrfError()
