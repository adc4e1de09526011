"""Settings: circles and rhythms, the action catalog, preferences, calendar feed, API tokens, password."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from keepwarm.errors import InvalidInputError
from keepwarm.web.context import Account, web_of
from keepwarm.web.forms import PathId
from keepwarm.web.security import log_in, page_user

router = APIRouter(include_in_schema=False)


def settings_view(request: Request, store: Any) -> dict[str, Any]:
    """Everything the settings page shows."""
    from keepwarm.store import accounts
    from keepwarm.store.catalog import circle_summaries, list_settings
    from keepwarm.store.models import User
    from keepwarm.store.owners import catalog

    user = store.session.get(User, store.owner_id)
    base = str(request.base_url).rstrip("/")
    actions = sorted(catalog(store.session, store.owner_id).values(), key=lambda a: (not a.builtin, a.name))
    return {"circles": circle_summaries(store), "actions": actions,
            "prefs": list_settings(store), "feed_url": f"{base}/feed/{user.feed_token}.ics",
            "tokens": [{"id": t.id, "name": t.name, "created_at": t.created_at,
                        "last_used_at": t.last_used_at}
                       for t in accounts.api_tokens(store.session, store.owner_id)],
            "email": user.email}


def _page(request: Request, account: Account, **extra: Any) -> Response:
    web = web_of(request)
    with web.store(account) as store:
        view = settings_view(request, store)
    return web.render(request, "settings.html", {**view, **extra, "page_name": "settings"})


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
        rotate_feed_token(session, user)
    return _back("feed")


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


@router.post("/settings/password")
def change_password(request: Request, current: str = Form(..., max_length=1024),
                    new: str = Form(..., max_length=1024), repeat: str = Form(..., max_length=1024),
                    account: Account = Depends(page_user)) -> Response:
    """Change the password (other sessions end; this one continues)."""
    from keepwarm.store.accounts import hash_password, session_version, verify_password
    from keepwarm.store.models import User

    if new != repeat:
        raise InvalidInputError("the new passwords do not match")
    with web_of(request).db.session() as session:
        user = session.get(User, account.id)
        assert user is not None
        if not verify_password(user.password_hash, current):
            raise InvalidInputError("the current password is wrong")
        user.password_hash = hash_password(new)
        version = session_version(user)
    log_in(request, account.id, version)
    return _page(request, account, message="Password changed.")
