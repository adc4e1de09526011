"""The capture review page: people outside the network I exchanged mail or meetings with both ways, each
added with one click (never silently)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from keepwarm.web.context import Account, web_of
from keepwarm.web.security import page_user

router = APIRouter(include_in_schema=False)


@router.get("/capture/review")
def review_page(request: Request, added: str | None = None,
                account: Account = Depends(page_user)) -> Response:
    """The strangers to review, most exchanges first."""
    from keepwarm.store.correspondents import review

    web = web_of(request)
    with web.store(account) as store:
        rows = review(store)
    return web.render(request, "capture_review.html",  # type: ignore[no-any-return]
                      {"rows": rows, "added": added, "page_name": "capture"})


@router.post("/capture/add")
def add_stranger(request: Request, key: str = Form(..., max_length=320),
                 account: Account = Depends(page_user)) -> Response:
    """Add one of them to the network (the account's own list only: another's key is not found)."""
    from urllib.parse import quote

    from keepwarm.store.correspondents import add_correspondent

    with web_of(request).store(account) as store:
        person = add_correspondent(store, key)
    return RedirectResponse(f"/capture/review?added={quote(person.name)}", status_code=303)
