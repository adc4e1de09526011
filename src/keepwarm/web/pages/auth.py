"""Logging in and out."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from keepwarm.web.context import web_of
from keepwarm.web.csrf import check_csrf
from keepwarm.web.errors import respond
from keepwarm.web.security import client_key, log_in, page_user

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    # only a path on this site: never an open redirect to another host
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    """The login form."""
    return web_of(request).render(request, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/login", dependencies=[Depends(check_csrf)])
def login(request: Request, email: str = Form(..., max_length=320),
          password: str = Form(..., max_length=1024),
          next: str = Form("/")) -> Response:
    """Check the credentials; too many failures from one address or for one email wait a while."""
    from keepwarm.store.accounts import authenticate, session_version

    web = web_of(request)
    keys = (client_key(request), "email:" + email.strip().lower())
    wait = web.limiter.blocked(*keys)
    if wait > 0:
        return respond(request, 429, "TooManyRequests",
                       f"too many failed logins; try again in {int(wait) + 1} seconds",
                       headers={"Retry-After": str(int(wait) + 1)})
    with web.db.session() as session:
        user = authenticate(session, email, password)
        found = (user.id, session_version(user)) if user else None
    if found is None:
        web.limiter.fail(*keys)
        return web.render(request, "login.html", {"next": _safe_next(next),
                                                  "error": "Wrong email or password.", "email": email},
                          status_code=401)
    web.limiter.clear(keys[1])
    log_in(request, *found)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", dependencies=[Depends(page_user)])
def logout(request: Request) -> Response:
    """End the session."""
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
