"""Feeds and news: the feeds you follow (add, remove) and the mentions they found, to confirm or dismiss.

The same calls as `keepwarm feeds` and `keepwarm news`; polling stays with `keepwarm sync`, so a page load
never waits on someone else's server.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from keepwarm.web.context import Account, web_of
from keepwarm.web.forms import PathId
from keepwarm.web.security import page_user

router = APIRouter(include_in_schema=False)


@router.get("/feeds")
def feeds_page(request: Request, account: Account = Depends(page_user)) -> Response:
    """The feeds followed, with their last poll, and the mentions of the last month."""
    from keepwarm.news import feeds as lib
    from keepwarm.store.news import NewsRepo
    from keepwarm.web.records import linked

    web = web_of(request)
    with web.store(account) as store:
        rows = [lib.feed_json(r) for r in lib.feeds(store.session, store.owner_id)]
        mentions = linked(NewsRepo(store.session, store.owner_id, store.today).recent(30))
    return web.render(request, "feeds.html", {"feeds": rows, "mentions": mentions, "page_name": "feeds"})


@router.post("/feeds")
def add_feed(request: Request, url: str = Form(..., max_length=2000), name: str = Form("", max_length=200),
             account: Account = Depends(page_user)) -> Response:
    """Follow a feed (`keepwarm feeds add`)."""
    from keepwarm.news import feeds as lib

    with web_of(request).store(account) as store:
        lib.add_feed(store.session, store.owner_id, url, name or None)
    return RedirectResponse("/feeds", status_code=303)


@router.post("/feeds/{feed_id}/remove")
def remove_feed(request: Request, feed_id: PathId, account: Account = Depends(page_user)) -> Response:
    """Stop following a feed (`keepwarm feeds rm`)."""
    from keepwarm.news import feeds as lib

    with web_of(request).store(account) as store:
        lib.remove_feed(store.session, store.owner_id, str(feed_id))
    return RedirectResponse("/feeds", status_code=303)


@router.post("/mentions/{mention_id}/{verdict}")
def review_mention(request: Request, mention_id: PathId, verdict: str,
                   account: Account = Depends(page_user)) -> Response:
    """Confirm a mention, or dismiss a wrong one: that article and that person never pair again."""
    from keepwarm.errors import NotFoundError
    from keepwarm.store.news import NewsRepo

    if verdict not in ("confirm", "dismiss"):
        raise NotFoundError(f"no such review: {verdict}")
    with web_of(request).store(account) as store:
        repo = NewsRepo(store.session, store.owner_id, store.today)
        (repo.confirm if verdict == "confirm" else repo.dismiss)(mention_id)
    # back to the Person page it came from (its path only: never another site), else to Feeds
    back = urlsplit(request.headers.get("referer", "")).path
    return RedirectResponse(back if re.fullmatch(r"/people/\d+", back) else "/feeds", status_code=303)
