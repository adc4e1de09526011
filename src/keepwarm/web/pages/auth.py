"""Logging in and out."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from keepwarm.web.context import Account, web_of
from keepwarm.web.csrf import check_csrf
from keepwarm.web.limits import checked
from keepwarm.web.security import client_key, log_in, log_out, page_user

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
    """Check the credentials; too many failures for one account, or from one address, wait a while."""
    from keepwarm.store.accounts import check_password, stored_hash

    web = web_of(request)
    account_key = "email:" + email.strip().lower()

    def check() -> int | None:
        with web.db.session(write=False) as session:
            found = stored_hash(session, email)
        return check_password(found, password)

    uid = checked(web, {account_key: web.guard.account, client_key(request): web.guard.address}, check,
                  clear=account_key, what="logins")
    if uid is None:
        return web.render(request, "login.html", {"next": _safe_next(next),
                                                  "error": "Wrong email or password.", "email": email},
                          status_code=401)
    log_in(request, uid)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, account: Account = Depends(page_user)) -> Response:
    """End the session: the cookie, and the session row it points to."""
    log_out(request, account)
    return RedirectResponse("/login", status_code=303)
