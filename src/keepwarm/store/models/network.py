"""People, circles, actions, touches, life events and plans."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from keepwarm.store.models.base import Base

OWNER_FK = "users.id"
PERSON_FK = "people.id"


class SettingRow(Base):
    __tablename__ = "settings"

    owner_id: Mapped[int] = mapped_column(ForeignKey(OWNER_FK, ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class CircleRow(Base):
    __tablename__ = "circles"
    __table_args__ = (UniqueConstraint("owner_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey(OWNER_FK, ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    every_days: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class ActionRow(Base):
    __tablename__ = "actions"
    __table_args__ = (UniqueConstraint("owner_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey(OWNER_FK, ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    weight: Mapped[float] = mapped_column(Float)
    minutes: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    personal: Mapped[bool] = mapped_column(Boolean, default=False)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    duration: Mapped[int | None] = mapped_column(Integer)  # how long the touch itself lasts (minutes)


class PersonRow(Base):
    """A person, with maintained columns (last touch, strength base, balance) that feed the agenda."""

    __tablename__ = "people"
    __table_args__ = (
        UniqueConstraint("owner_id", "uid"),
        Index("ix_people_cadence", "owner_id", "cadence_days", "last_touch"),
        Index("ix_people_birthday", "owner_id", "bday_mmdd"),
        Index("ix_people_thanks", "owner_id", "thanks_owed_since"),
        # never-contacted people in the agenda's order (intro score, then id): a partial index
        Index("ix_people_intro", "owner_id", text("intro_score DESC"), "id",
              postgresql_where=text("last_touch IS NULL"), sqlite_where=text("last_touch IS NULL")),
        Index("ix_people_name", "owner_id", "name_folded"),
        Index("ix_people_strength", "owner_id", "strength_base"),
        Index("ix_people_override", "owner_id", "every_days"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey(OWNER_FK, ondelete="CASCADE"))
    uid: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    name_folded: Mapped[str] = mapped_column(String(200))
    given_name: Mapped[str | None] = mapped_column(String(200))
    family_name: Mapped[str | None] = mapped_column(String(200))
    nickname: Mapped[str | None] = mapped_column(String(200))
    company: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    location: Mapped[str | None] = mapped_column(String(200))
    how_met: Mapped[str | None] = mapped_column(String(1000))
    met_on: Mapped[date | None] = mapped_column(Date)
    bday_month: Mapped[int | None] = mapped_column(Integer)
    bday_day: Mapped[int | None] = mapped_column(Integer)
    bday_year: Mapped[int | None] = mapped_column(Integer)
    bday_mmdd: Mapped[int | None] = mapped_column(Integer)
    circle_id: Mapped[int | None] = mapped_column(ForeignKey("circles.id", ondelete="SET NULL"))
    every_days: Mapped[int | None] = mapped_column(Integer)
    cadence_days: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict] = mapped_column(JSON, default=dict)
    created_on: Mapped[date] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    last_touch: Mapped[date | None] = mapped_column(Date)
    last_action: Mapped[str | None] = mapped_column(String(40))
    last_personal_touch: Mapped[date | None] = mapped_column(Date)
    strength_base: Mapped[float] = mapped_column(Float, default=0.0)
    balance: Mapped[float] = mapped_column(Float, default=0.0)
    thanks_owed_since: Mapped[date | None] = mapped_column(Date)
    snoozed_until: Mapped[date | None] = mapped_column(Date)
    intro_score: Mapped[int] = mapped_column(Integer, default=0)


class _PersonChild:
    """Columns shared by the per-person lists."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class PersonEmail(_PersonChild, Base):
    __tablename__ = "person_emails"
    __table_args__ = (UniqueConstraint("owner_id", "email"),)

    owner_id: Mapped[int] = mapped_column(ForeignKey(OWNER_FK, ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(320))


class PersonPhone(_PersonChild, Base):
    __tablename__ = "person_phones"
    __table_args__ = (Index("ix_person_phones_owner_phone", "owner_id", "phone"),)

    owner_id: Mapped[int] = mapped_column(ForeignKey(OWNER_FK, ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), index=True)
    phone: Mapped[str] = mapped_column(String(40))


class PersonLink(_PersonChild, Base):
    __tablename__ = "person_links"
    __table_args__ = (Index("ix_person_links_owner_url", "owner_id", "url"),)

    owner_id: Mapped[int] = mapped_column(ForeignKey(OWNER_FK, ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    kind: Mapped[str] = mapped_column(String(40))


class PersonTag(Base):
    __tablename__ = "person_tags"
    __table_args__ = (Index("ix_person_tags_owner_tag", "owner_id", "tag"),)

    person_id: Mapped[int] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(100), primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey(OWNER_FK, ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)


class PersonInterest(Base):
    __tablename__ = "person_interests"
    __table_args__ = (Index("ix_person_interests_owner_topic", "owner_id", "topic"),)

    person_id: Mapped[int] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(100), primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey(OWNER_FK, ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)


class TouchRow(Base):
    __tablename__ = "touches"
    __table_args__ = (Index("ix_touches_owner_date", "owner_id", "on_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey(OWNER_FK, ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(40))
    on_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    initiated_by: Mapped[str] = mapped_column(String(10), default="me")
    weight: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    source: Mapped[str | None] = mapped_column(String(40))  # where a captured touch came from (mail…)


class TouchPerson(Base):
    __tablename__ = "touch_people"

    touch_id: Mapped[int] = mapped_column(ForeignKey("touches.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), primary_key=True,
                                           index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey(OWNER_FK, ondelete="CASCADE"))


class LifeEventRow(Base):
    __tablename__ = "life_events"
    __table_args__ = (Index("ix_life_events_owner_date", "owner_id", "on_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey(OWNER_FK, ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    on_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    # a new job: the new employer and title, and what the person had before (kept as history)
    company: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    prev_company: Mapped[str | None] = mapped_column(String(200))
    prev_title: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime | None] = mapped_column(DateTime)


class PlanRow(Base):
    __tablename__ = "plans"
    __table_args__ = (Index("ix_plans_owner_open", "owner_id", "done_on", "on_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey(OWNER_FK, ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    on_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    done_on: Mapped[date | None] = mapped_column(Date)


class WeekCount(Base):
    """Touches logged per ISO week, maintained per touch, so the weekly goal and streak cost no scan."""

    __tablename__ = "week_counts"

    owner_id: Mapped[int] = mapped_column(ForeignKey(OWNER_FK, ondelete="CASCADE"), primary_key=True)
    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    touches: Mapped[int] = mapped_column(Integer, default=0)


class OccasionDone(Base):
    """A dated occasion (a birthday occurrence, a life event, a thank-you owed, a plan…) that was acted on
    or dismissed: it never comes back. ``occasion_id`` is the stable id of :mod:`keepwarm.core.occasions`."""

    __tablename__ = "occasions_done"
    __table_args__ = (
        UniqueConstraint("owner_id", "occasion_id"),
        Index("ix_occasions_done_owner_on", "owner_id", "on_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey(OWNER_FK, ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), index=True)
    occasion_id: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    on_date: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date] = mapped_column(Date)
    touch_id: Mapped[int | None] = mapped_column(ForeignKey("touches.id", ondelete="CASCADE"), index=True)
    dismissed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ChangeRow(Base):
    """The journal of changes that ``keepwarm undo`` (and the web's Undo) can reverse."""

    __tablename__ = "changes"
    __table_args__ = (Index("ix_changes_owner", "owner_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey(OWNER_FK, ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(String(300))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)
