"""Feeds you follow (RSS 2.0, Atom 1.0): add, list, remove, and poll them for mentions of your people.

Polling asks each feed with its ETag and Last-Modified, so a feed with nothing new costs one 304; the
answers are fetched in parallel (a slow or dead server only costs its own time-out) and written one feed
at a time, each in a savepoint: a feed that fails leaves nothing half-written and the others go on.
Each item is read once, by its id or link; only its title, link, date and the mentions found are kept.

:func:`poll_feeds` is what ``keepwarm sync`` calls; anything else that syncs can call it too.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from keepwarm.errors import ConflictError, InvalidInputError, NotFoundError
from keepwarm.fetch import is_url
from keepwarm.news import http
from keepwarm.news.texts import html_to_text
from keepwarm.store.models import FeedRow
from keepwarm.store.news import NewsRepo

MAX_ITEMS = 1000  # items read from one feed in one poll; the rest are skipped with a reason
WORKERS = 8


class StoreLike(Protocol):
    session: Session
    owner_id: int
    today: date


@dataclass
class FeedResult:
    """What polling one feed gave."""

    id: int
    name: str
    url: str
    new_items: int = 0
    mentions: int = 0
    not_modified: bool = False
    error: str | None = None
    skipped: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"kind": "feed", "id": self.id, "name": self.name, "url": self.url,
                "new_items": self.new_items, "mentions": self.mentions, "not_modified": self.not_modified,
                "error": self.error, "skipped": list(self.skipped)}


def check_url(url: str) -> str:
    """A feed address must be http(s)."""
    url = url.strip()
    if not is_url(url) or len(url) > 2000:
        raise InvalidInputError(f"not a feed address: {url!r} (give an http:// or https:// URL)")
    return url


def add_feed(session: Session, owner_id: int, url: str, name: str | None = None) -> FeedRow:
    """Follow a feed (checked when it is first polled)."""
    url = check_url(url)
    if session.scalar(select(FeedRow.id).where(FeedRow.owner_id == owner_id, FeedRow.url == url)):
        raise ConflictError(f"you already follow {url}")
    row = FeedRow(owner_id=owner_id, url=url, name=(name or "").strip()[:200] or None,
                  created_at=datetime.now())
    session.add(row)
    session.flush()
    return row


def feeds(session: Session, owner_id: int) -> list[FeedRow]:
    """The feeds followed, oldest first."""
    return list(session.scalars(select(FeedRow).where(FeedRow.owner_id == owner_id).order_by(FeedRow.id)))


def resolve(session: Session, owner_id: int, token: str) -> FeedRow:
    """A feed by its number, its URL or its name."""
    for row in feeds(session, owner_id):
        if token.strip() in (str(row.id), row.url, row.name):
            return row
    raise NotFoundError(f"no feed {token!r}", hint="`keepwarm feeds` lists them")


def remove_feed(session: Session, owner_id: int, token: str) -> FeedRow:
    """Stop following a feed (the mentions it found stay)."""
    row = resolve(session, owner_id, token)
    session.delete(row)
    session.flush()
    return row


def feed_json(row: FeedRow) -> dict[str, Any]:
    """The stable JSON shape of a feed (`keepwarm feeds --json`)."""
    return {"id": row.id, "url": row.url, "name": row.name,
            "last_polled_at": (row.last_polled_at.isoformat(timespec="seconds")
                               if row.last_polled_at else None),
            "last_error": row.last_error}


def poll_feeds(store: StoreLike, *, timeout: float = http.TIMEOUT) -> list[FeedResult]:
    """Poll every feed of the store's owner; one result per feed, errors included (never raised)."""
    rows = feeds(store.session, store.owner_id)
    if not rows:
        return []
    asks = [(r.url, r.etag, r.modified) for r in rows]
    with ThreadPoolExecutor(max_workers=min(WORKERS, len(rows))) as pool:
        answers = list(pool.map(lambda a: http.get(a[0], a[1], a[2], timeout=timeout), asks))
    repo = NewsRepo(store.session, store.owner_id, store.today)
    return [_apply(store.session, repo, row, answer) for row, answer in zip(rows, answers, strict=True)]


def _apply(session: Session, repo: NewsRepo, row: FeedRow, got: http.Fetched) -> FeedResult:
    result = FeedResult(row.id, row.name or row.url, row.url, not_modified=got.not_modified)
    if got.error is None and not got.not_modified:
        savepoint = session.begin_nested()
        try:
            _read(repo, row, got, result)
            savepoint.commit()
        except InvalidInputError as exc:
            savepoint.rollback()
            result.error, result.new_items, result.mentions = exc.message, 0, 0
        except (ValueError, LookupError, UnicodeError, AttributeError, TypeError) as exc:
            # whatever a strange feed makes the parser trip on costs that feed only, not the sync
            savepoint.rollback()
            first = (str(exc).splitlines() or [""])[0][:200]
            result.error = f"could not read it ({type(exc).__name__}: {first})"
            result.new_items = result.mentions = 0
    else:
        result.error = got.error
    row.last_polled_at = datetime.now()
    row.last_error = result.error[:500] if result.error else None
    if got.error is None and result.error is None:
        row.etag, row.modified = (got.etag or None), (got.modified or None)
    session.flush()
    return result


def _read(repo: NewsRepo, row: FeedRow, got: http.Fetched, result: FeedResult) -> None:
    import feedparser

    parsed = feedparser.parse(got.body or b"")
    if not parsed.get("version") and not parsed.entries:
        raise InvalidInputError("not an RSS or Atom feed")
    title = (parsed.feed.get("title") or "").strip()
    if row.name is None and title:
        row.name = title[:200]
        result.name = row.name
    entries = list(parsed.entries)
    if len(entries) > MAX_ITEMS:
        result.skipped.append(f"{len(entries) - MAX_ITEMS} items beyond the first {MAX_ITEMS} not read")
        entries = entries[:MAX_ITEMS]
    keyed: list[tuple[str, Any]] = []
    for n, entry in enumerate(entries, 1):
        key = (entry.get("id") or entry.get("link") or "").strip()
        if not key:
            result.skipped.append(f"item {n}: it has neither an id nor a link")
            continue
        keyed.append((key, entry))
    seen = repo.seen([k for k, _ in keyed])
    for key, entry in keyed:
        if key in seen:
            continue
        seen.add(key)
        text = "\n\n".join(html_to_text(c.get("value", "")) for c in entry.get("content", []))
        text = html_to_text(entry.get("summary", "")) + "\n\n" + text
        read = repo.read(text, title=html_to_text(entry.get("title") or "").strip(), key=key,
                         link=entry.get("link"), source=row.name or title or None,
                         published=_date(entry), feed_id=row.id)
        result.new_items += 1
        result.mentions += len(read.mentions)


def _date(entry: Any) -> date | None:
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    if not when:
        return None
    try:
        return date(when.tm_year, when.tm_mon, when.tm_mday)
    except (AttributeError, ValueError, TypeError):
        return None
