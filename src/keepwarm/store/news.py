"""News: texts that entered keepwarm, the people of the network they mention, and the review of those.

A text is read once (by its feed id, its link, or a hash of a pasted text) and only its title, link,
source and date are kept, never its body. The matching itself is :mod:`keepwarm.core.mentions`; the
automaton over the owner's names is built once and kept while their people are unchanged (keyed by how
many there are, the latest ``updated_at`` and the latest new-job event), not rebuilt per text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keepwarm.core import mentions as core
from keepwarm.core import occasions as occ
from keepwarm.errors import ConflictError, NotFoundError
from keepwarm.store.models import LifeEventRow, Mention, NewsItem, PersonRow
from keepwarm.store.occasions import done_ids, mark_done

_CACHE: dict[tuple[Any, ...], core.Matcher] = {}
_CACHE_SIZE = 4


def text_key(text: str) -> str:
    """The key of a pasted text with no link: its content's hash, so pasting it twice reads it once."""
    return "sha256:" + hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def _version(session: Session, owner_id: int) -> tuple[Any, ...]:
    people = session.execute(select(func.count(PersonRow.id), func.max(PersonRow.updated_at))
                             .where(PersonRow.owner_id == owner_id)).one()
    events = session.execute(select(func.count(LifeEventRow.id), func.max(LifeEventRow.id))
                             .where(LifeEventRow.owner_id == owner_id,
                                    LifeEventRow.prev_company.is_not(None))).one()
    bind = session.get_bind()
    return (str(getattr(bind, "url", id(bind))), owner_id, *people, *events)


def candidates(session: Session, owner_id: int) -> list[core.Candidate]:
    """Every person of the owner with their names and context (company, previous companies, title,
    city, school): two queries, read only when the automaton has to be rebuilt."""
    prev: dict[int, list[str]] = {}
    for pid, company in session.execute(select(LifeEventRow.person_id, LifeEventRow.prev_company).where(
            LifeEventRow.owner_id == owner_id, LifeEventRow.prev_company.is_not(None))):
        if company:
            prev.setdefault(pid, []).append(company)
    out = []
    q = select(PersonRow.id, PersonRow.name, PersonRow.given_name, PersonRow.family_name, PersonRow.nickname,
               PersonRow.company, PersonRow.title, PersonRow.location, PersonRow.extra)
    for r in session.execute(q.where(PersonRow.owner_id == owner_id)):
        school = (r.extra or {}).get("school")
        context = {"company": [r.company] if r.company else [], "prev_company": prev.get(r.id, []),
                   "title": [r.title] if r.title else [], "location": [r.location] if r.location else [],
                   "school": [school] if isinstance(school, str) and school else []}
        out.append(core.Candidate(r.id, r.name, r.given_name, r.family_name, r.nickname, context))
    return out


def matcher(session: Session, owner_id: int) -> core.Matcher:
    """The owner's automaton, rebuilt only when their people (or new-job events) changed."""
    key = _version(session, owner_id)
    found = _CACHE.get(key)
    if found is None:
        found = core.Matcher(candidates(session, owner_id))
        while len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = found
    return found


@dataclass
class Read:
    """What reading one text gave: its item, the mentions found, and whether it was new."""

    item: NewsItem
    mentions: list[Mention] = field(default_factory=list)
    new: bool = True


class NewsRepo:
    """One owner's news items and mentions."""

    def __init__(self, session: Session, owner_id: int, today: date) -> None:
        self.session, self.owner, self.today = session, owner_id, today

    def seen(self, keys: list[str]) -> set[str]:
        """Which of ``keys`` were read already (a feed's items are read once)."""
        out: set[str] = set()
        for start in range(0, len(keys), 500):
            out.update(self.session.scalars(select(NewsItem.key).where(
                NewsItem.owner_id == self.owner, NewsItem.key.in_(keys[start:start + 500]))))
        return out

    def read(self, text: str, *, title: str, key: str, link: str | None = None, source: str | None = None,
             published: date | None = None, feed_id: int | None = None,
             resource_id: int | None = None) -> Read:
        """Find the people ``text`` mentions and keep the item (title, link, date) with its mentions.

        A text read before gives its stored item and mentions back and adds nothing."""
        old = self.session.scalar(select(NewsItem).where(NewsItem.owner_id == self.owner,
                                                         NewsItem.key == key[:2000]))
        if old is not None:
            return Read(old, list(self.session.scalars(select(Mention).where(Mention.item_id == old.id))),
                        new=False)
        found = matcher(self.session, self.owner).find(text, title)
        item = NewsItem(owner_id=self.owner, feed_id=feed_id, resource_id=resource_id, key=key[:2000],
                        title=(title.strip() or "(untitled)")[:500], link=link[:2000] if link else None,
                        source=source[:200] if source else None, published=published,
                        created_at=datetime.now())
        self.session.add(item)
        self.session.flush()
        rows = [Mention(owner_id=self.owner, item_id=item.id, person_id=f.person_id, matched=f.matched[:300],
                        good_news=f.good_news, found_on=self.today, state="new") for f in found]
        self.session.add_all(rows)
        self.session.flush()
        return Read(item, rows)

    def describe(self, read: Read) -> list[dict[str, Any]]:
        """The mentions of one read, as JSON-ready rows with the people's names."""
        ids = [m.person_id for m in read.mentions]
        names = {r.id: r.name for r in self.session.execute(
            select(PersonRow.id, PersonRow.name).where(PersonRow.id.in_(ids)))} if ids else {}
        return [mention_json(m, read.item, names.get(m.person_id, "")) for m in read.mentions]

    def mention(self, mention_id: int) -> Mention:
        """One of the owner's mentions, or a clear error."""
        row = self.session.get(Mention, mention_id)
        if row is None or row.owner_id != self.owner:
            raise NotFoundError(f"no mention #{mention_id}", hint="`keepwarm news` lists them")
        return row

    def one(self, mention_id: int) -> dict[str, Any]:
        """One mention as a JSON-ready row."""
        m = self.mention(mention_id)
        item = self.session.get(NewsItem, m.item_id)
        assert item is not None  # a mention goes with its item (ON DELETE CASCADE)
        return mention_json(m, item, self.session.get(PersonRow, m.person_id).name)  # type: ignore[union-attr]

    def dismiss(self, mention_id: int) -> Mention:
        """A wrong match (a namesake): the pairing of that article and that person never comes back, and
        the suggestion it made is dismissed."""
        row = self.mention(mention_id)
        row.state = "dismissed"
        oid = occ.occasion_id("news", row.person_id, row.id)
        if oid not in done_ids(self.session, self.owner, [oid]):
            o = occ.Occasion("news", row.person_id, row.found_on, str(row.id))
            mark_done(self.session, self.owner, o, None, self.today, dismissed=True)
        self.session.flush()
        return row

    def confirm(self, mention_id: int) -> Mention:
        """The user says the match is right."""
        row = self.mention(mention_id)
        if row.state == "dismissed":
            raise ConflictError(f"mention #{mention_id} was dismissed", hint="a dismissed pairing stays so")
        row.state = "confirmed"
        self.session.flush()
        return row

    def recent(self, days: int | None = 30, person_id: int | None = None, *,
               dismissed: bool = False, limit: int = 200) -> list[dict[str, Any]]:
        """Mentions found lately (or of one person), newest first, as JSON-ready rows."""
        q = (select(Mention, NewsItem, PersonRow.name).join(NewsItem, NewsItem.id == Mention.item_id)
             .join(PersonRow, PersonRow.id == Mention.person_id).where(Mention.owner_id == self.owner))
        if days is not None:
            q = q.where(Mention.found_on >= self.today - timedelta(days=days))
        if person_id is not None:
            q = q.where(Mention.person_id == person_id)
        if not dismissed:
            q = q.where(Mention.state != "dismissed")
        q = q.order_by(Mention.found_on.desc(), Mention.id.desc()).limit(limit)
        return [mention_json(m, item, name) for m, item, name in self.session.execute(q)]


def mention_json(m: Mention, item: NewsItem, name: str) -> dict[str, Any]:
    """The stable JSON shape of a mention (`keepwarm news --json`, `/api/v1/mentions`)."""
    return {"id": m.id, "person": {"id": m.person_id, "name": name}, "matched": m.matched,
            "good_news": m.good_news, "state": m.state, "found_on": m.found_on.isoformat(),
            "occasion": occ.occasion_id("news", m.person_id, m.id),
            "item": {"id": item.id, "title": item.title, "link": item.link, "source": item.source,
                     "published": item.published.isoformat() if item.published else None}}
