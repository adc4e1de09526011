"""What keepwarm reads from elsewhere: your own addresses, sources (IMAP, CalDAV, CardDAV) with their sync
state, correspondents not yet in your network, address-book cards linked to people, feeds and the news
mentions found in what you read."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from keepwarm.store.models.base import Base

OWNER_FK = "users.id"
PERSON_FK = "people.id"


class MeAddress(Base):
    """One of my own addresses (email, alias, LinkedIn profile): mail between them is not a touch."""

    __tablename__ = "me_addresses"
    __table_args__ = (UniqueConstraint("owner_id", "address"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey(OWNER_FK, ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # email | linkedin
    address: Mapped[str] = mapped_column(String(320))


class SourceRow(Base):
    """A live server to sync from (imap, caldav, carddav): its settings, its password encrypted at rest,
    and its sync state (UIDVALIDITY and last UID per folder, sync tokens or ETags per collection)."""

    __tablename__ = "sources"
    __table_args__ = (UniqueConstraint("owner_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey(OWNER_FK, ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    config: Mapped[dict] = mapped_column(JSON, default=dict)
    secret: Mapped[bytes | None] = mapped_column(LargeBinary)
    state: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_sync_at: Mapped[datetime | None] = mapped_column(DateTime)


class CaptureSeen(Base):
    """A captured item's source key (Message-ID, event UID plus recurrence id, conversation id plus date):
    capturing the same data again creates nothing, and a copy in two folders counts once."""

    __tablename__ = "capture_seen"
    __table_args__ = (UniqueConstraint("owner_id", "source", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey(OWNER_FK, ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(40))  # mail | calendar | linkedin
    key: Mapped[str] = mapped_column(String(500))
    touch_id: Mapped[int | None] = mapped_column(ForeignKey("touches.id", ondelete="SET NULL"))
    seen_on: Mapped[date] = mapped_column(Date)


class Correspondent(Base):
    """Someone I exchanged mail or meetings with who is not in my network (for `capture review`)."""

    __tablename__ = "correspondents"
    __table_args__ = (UniqueConstraint("owner_id", "key"),
                      Index("ix_correspondents_owner_count", "owner_id", "count"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey(OWNER_FK, ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(320))  # a lower-cased address or LinkedIn slug
    name: Mapped[str | None] = mapped_column(String(200))
    sent: Mapped[int] = mapped_column(Integer, default=0)  # I wrote to them
    received: Mapped[int] = mapped_column(Integer, default=0)  # they wrote to me
    count: Mapped[int] = mapped_column(Integer, default=0)
    last_on: Mapped[date | None] = mapped_column(Date)
    dismissed: Mapped[bool] = mapped_column(Boolean, default=False)


class CardLink(Base):
    """A CardDAV card linked to a person: its href and ETag at the last sync and the card's fields then
    (the base of the three-way merge), with the raw card so unknown properties and photos survive."""

    __tablename__ = "card_links"
    __table_args__ = (UniqueConstraint("source_id", "href"), Index("ix_card_links_person", "person_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey(OWNER_FK, ondelete="CASCADE"))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey(PERSON_FK, ondelete="SET NULL"))
    href: Mapped[str] = mapped_column(String(1000))
    uid: Mapped[str | None] = mapped_column(String(300))
    etag: Mapped[str | None] = mapped_column(String(300))
    base: Mapped[dict] = mapped_column(JSON, default=dict)
    raw: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default="linked")  # linked | unlinked | conflict
    conflicts: Mapped[list] = mapped_column(JSON, default=list)


class FeedRow(Base):
    """A feed I follow, polled with its ETag and Last-Modified."""

    __tablename__ = "feeds"
    __table_args__ = (UniqueConstraint("owner_id", "url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey(OWNER_FK, ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2000))
    name: Mapped[str | None] = mapped_column(String(200))
    etag: Mapped[str | None] = mapped_column(String(300))
    modified: Mapped[str | None] = mapped_column(String(100))
    last_polled_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class NewsItem(Base):
    """A text that entered keepwarm (a feed item, an article, a pasted text): only its title, link, date
    and source are kept, never its body; read once by its id or link."""

    __tablename__ = "news_items"
    __table_args__ = (UniqueConstraint("owner_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey(OWNER_FK, ondelete="CASCADE"))
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("feeds.id", ondelete="SET NULL"))
    resource_id: Mapped[int | None] = mapped_column(ForeignKey("resources.id", ondelete="SET NULL"))
    key: Mapped[str] = mapped_column(String(2000))  # the item's id, link, or a hash of a pasted text
    title: Mapped[str] = mapped_column(String(500))
    link: Mapped[str | None] = mapped_column(String(2000))
    source: Mapped[str | None] = mapped_column(String(200))
    published: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Mention(Base):
    """A person of my network named in a news item, with the context that tied it to them."""

    __tablename__ = "mentions"
    __table_args__ = (UniqueConstraint("item_id", "person_id"),
                      Index("ix_mentions_owner_on", "owner_id", "found_on"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey(OWNER_FK, ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("news_items.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), index=True)
    matched: Mapped[str] = mapped_column(String(300))  # what tied it to them: "their company (Acme)"
    good_news: Mapped[bool] = mapped_column(Boolean, default=False)
    found_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20), default="new")  # new | confirmed | dismissed
