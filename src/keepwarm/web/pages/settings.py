"""Settings: circles and rhythms, the action catalog, preferences, calendar feed, API tokens, password."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from keepwarm.errors import InvalidInputError, NotFoundError
from keepwarm.web.context import Account, web_of
from keepwarm.web.forms import PathId
from keepwarm.web.limits import checked
from keepwarm.web.security import log_in, page_user

router = APIRouter(include_in_schema=False)


def settings_view(request: Request, store: Any) -> dict[str, Any]:
    """Everything the settings page shows."""
    from keepwarm.store import accounts
    from keepwarm.store.catalog import circle_summaries, list_settings
    from keepwarm.store.models import User
    from keepwarm.store.owners import catalog
    from keepwarm.store.websessions import active

    user = store.session.get(User, store.owner_id)
    actions = sorted(catalog(store.session, store.owner_id).values(), key=lambda a: (not a.builtin, a.name))
    shown = accounts.feed_token_shown(user)
    web = web_of(request)
    return {"circles": circle_summaries(store), "actions": actions,
            "prefs": list_settings(store), "feed_url": feed_url(request, shown) if shown else None,
            "sessions": active(store.session, store.owner_id, datetime.now(), web.life),
            "tokens": [{"id": t.id, "name": t.name, "created_at": t.created_at,
                        "last_used_at": t.last_used_at}
                       for t in accounts.api_tokens(store.session, store.owner_id)],
            "email": user.email}


def feed_url(request: Request, token: str) -> str:
    """The calendar feed's address on this server."""
    return f"{str(request.base_url).rstrip('/')}/feed/{token}.ics"


def _page(request: Request, account: Account, **extra: Any) -> Response:
    web = web_of(request)
    with web.store(account) as store:
        view = settings_view(request, store)
    view = {**view, **{k: v for k, v in extra.items() if v is not None}}
    # the page may show a new token or feed address once: no copy of it in any cache or history
    resp = web.render(request, "settings.html", {**view, "page_name": "settings",
                                                 "this_session": account.session_hash})
    resp.headers["Cache-Control"] = "no-store"
    return resp  # type: ignore[no-any-return]


def _back(anchor: str) -> Response:
    return RedirectResponse(f"/settings#{anchor}", status_code=303)


@router.get("/settings")
def settings_page(request: Request, account: Account = Depends(page_user)) -> Response:
    """The settings page."""
    return _page(request, account)


@router.post("/settings/circles")
def save_circle(request: Request, name: str = Form(..., max_length=100),
                every: str = Form(..., max_length=20),
                account: Account = Depends(page_user)) -> Response:
    """Change a circle's rhythm, or add a circle."""
    from keepwarm.core.dates import parse_duration
    from keepwarm.store.catalog import set_circle

    with web_of(request).store(account) as store:
        set_circle(store, name, parse_duration(every))
    return _back("circles")


@router.post("/settings/actions")
def add_action(request: Request, name: str = Form(..., max_length=40), label: str = Form("", max_length=200),
               weight: float = Form(2.0), minutes: int = Form(5), kind: str = Form("give", max_length=10),
               personal: bool = Form(False), account: Account = Depends(page_user)) -> Response:
    """Add a micro-action to the catalog."""
    from keepwarm.store.catalog import add_action as add

    with web_of(request).store(account) as store:
        add(store, name.strip().lower(), label or None, weight, minutes, kind, personal)
    return _back("actions")


@router.post("/settings/prefs")
def save_pref(request: Request, key: str = Form(..., max_length=40), value: str = Form(..., max_length=40),
              account: Account = Depends(page_user)) -> Response:
    """Change one preference (weekly goal, half-life, intros per day, phone region)."""
    from keepwarm.store.catalog import change_setting

    with web_of(request).store(account) as store:
        change_setting(store, key, value.strip())
    return _back("prefs")


@router.post("/settings/feed/rotate")
def rotate_feed(request: Request, account: Account = Depends(page_user)) -> Response:
    """Give the calendar feed a new address; the old one stops working."""
    from keepwarm.store.accounts import rotate_feed_token
    from keepwarm.store.models import User

    with web_of(request).db.session() as session:
        user = session.get(User, account.id)
        assert user is not None  # the session's account was just loaded
        token = rotate_feed_token(session, user)
    return _page(request, account, feed_url=feed_url(request, token), feed_new=True)


@router.post("/settings/tokens")
def create_token(request: Request, name: str = Form(..., max_length=100),
                 account: Account = Depends(page_user)) -> Response:
    """Make a personal access token and show it once."""
    from keepwarm.store.accounts import create_api_token

    with web_of(request).db.session() as session:
        _, secret = create_api_token(session, account.id, name)
    return _page(request, account, new_token=secret)


@router.post("/settings/tokens/{token_id}/delete")
def revoke_token(request: Request, token_id: PathId, account: Account = Depends(page_user)) -> Response:
    """Revoke a token."""
    from keepwarm.store.accounts import revoke_api_token

    with web_of(request).db.session() as session:
        revoke_api_token(session, account.id, token_id)
    return _back("tokens")


@router.post("/settings/tokens/delete-all")
def revoke_all_tokens(request: Request, account: Account = Depends(page_user)) -> Response:
    """Revoke every API token (a new password leaves them working)."""
    from keepwarm.store.accounts import revoke_all_api_tokens

    with web_of(request).db.session() as session:
        revoke_all_api_tokens(session, account.id)
    return _back("tokens")


@router.post("/settings/sessions/revoke")
def revoke_session(request: Request, session_id: str = Form(..., alias="session", max_length=128),
                   account: Account = Depends(page_user)) -> Response:
    """Log out one signed-in browser of this account."""
    from keepwarm.store.websessions import revoke

    with web_of(request).db.session() as session:
        if not revoke(session, account.id, session_id, datetime.now()):
            raise NotFoundError("no such session")
    if session_id == account.session_hash:
        request.session.clear()
        return RedirectResponse("/login", status_code=303)
    return _back("sessions")


@router.post("/settings/sessions/revoke-all")
def log_out_everywhere(request: Request, account: Account = Depends(page_user)) -> Response:
    """Log out every browser of this account, this one too."""
    from keepwarm.store.websessions import revoke_all

    with web_of(request).db.session() as session:
        revoke_all(session, account.id, datetime.now())
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.post("/settings/password")
def change_password(request: Request, current: str = Form(..., max_length=1024),
                    new: str = Form(..., max_length=1024), repeat: str = Form(..., max_length=1024),
                    account: Account = Depends(page_user)) -> Response:
    """Change the password: every session ends and this browser gets a new one. The current password
    is checked under the same limits as a login (a stolen session must not guess it freely)."""
    from keepwarm.store.accounts import check_password, set_password, stored_hash
    from keepwarm.store.websessions import id_hash

    if new != repeat:
        raise InvalidInputError("the new passwords do not match")
    web = web_of(request)

    def check() -> int | None:
        with web.db.session(write=False) as session:
            found = stored_hash(session, account.email)
        return check_password(found, current)

    key = f"password:{account.id}"
    if checked(web, {key: web.guard.account}, check, clear=key, what="password checks") is None:
        raise InvalidInputError("the current password is wrong")
    with web.guard.hashing(), web.db.session() as session:
        set_password(session, account.email, new)  # a short password is refused before any change
    log_in(request, account.id)
    account.session_hash = id_hash(request.session["sid"])
    return _page(request, account, message="Password changed. You were logged out everywhere else. "
                                           "API tokens keep working: revoke them below if needed.")
