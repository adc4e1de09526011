"""The news part of the JSON API: ``/api/v1/mentions`` (the same rows as `keepwarm news --json`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request, Security
from pydantic import BaseModel

from keepwarm.web.api import ONE, WRITE_ONE, bearer
from keepwarm.web.context import Account, web_of
from keepwarm.web.schemas import PersonRefOut
from keepwarm.web.security import api_user

router = APIRouter(prefix="/api/v1", tags=["api"], dependencies=[Security(bearer)])


class NewsItemOut(BaseModel):
    """What was read: only its title, link, source and date are kept, never its text."""

    id: int
    title: str
    link: str | None
    source: str | None
    published: date | None


class MentionOut(BaseModel):
    """A person named in a news item, with what tied it to them; ``occasion`` is the suggestion's id."""

    id: int
    person: PersonRefOut
    matched: str
    good_news: bool
    state: str
    found_on: date
    occasion: str
    item: NewsItemOut


@router.get("/mentions", response_model=list[MentionOut], responses=ONE)
def list_mentions(request: Request, person_id: int | None = Query(None, ge=1, le=2_147_483_647),
                  days: int | None = Query(None, ge=1, le=36_500), dismissed: bool = Query(False),
                  limit: int = Query(100, ge=1, le=1000),
                  account: Account = Depends(api_user)) -> list[dict[str, Any]]:
    """Mentions, newest first (of one person, within ``days``; dismissed ones only when asked)."""
    from keepwarm.store.news import NewsRepo

    with web_of(request).store(account) as store:
        if person_id is not None:
            store.people.row(person_id)  # another account's person is not found (404)
        return NewsRepo(store.session, store.owner_id, store.today).recent(
            days, person_id, dismissed=dismissed, limit=limit)


@router.post("/mentions/{mention_id}/dismiss", response_model=MentionOut, responses=WRITE_ONE)
def dismiss_mention(request: Request, mention_id: int = Path(..., ge=1, le=2_147_483_647),
                    account: Account = Depends(api_user)) -> dict[str, Any]:
    """Not them: that article and that person never pair again, and the suggestion is dismissed."""
    from keepwarm.store.news import NewsRepo

    with web_of(request).store(account) as store:
        repo = NewsRepo(store.session, store.owner_id, store.today)
        repo.dismiss(mention_id)
        return repo.one(mention_id)
