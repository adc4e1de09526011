"""Gathering what a draft needs about one person: a handful of indexed reads."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from keepwarm.core import drafts as core
from keepwarm.core.agenda import Suggestion
from keepwarm.store.library import LibraryRepo, summary_lines
from keepwarm.store.models import LifeEventRow, Resource, TouchPerson, TouchRow
from keepwarm.store.people import PeopleRepo
from keepwarm.store.touches import TouchRepo

EVENT_HORIZON = 45  # days either side of today an event still colours a message


def resource_info(row: Resource, because: str | None = None) -> core.ResourceInfo:
    """A stored resource as drafts see it."""
    return core.ResourceInfo(kind=row.kind, title=row.title, url=row.url, author=row.author,
                             review=row.review, summary=summary_lines(row), because=because or None)


def context(session: Session, owner_id: int, today: date, person_id: int, *,
            resource_id: int | None = None, me: str | None = None) -> core.DraftContext:
    """The facts about a person that drafts use."""
    person = PeopleRepo(session, owner_id, today).get(person_id)
    row = PeopleRepo(session, owner_id, today).row(person_id)
    touches = TouchRepo(session, owner_id, today)
    ctx = core.DraftContext(name=person.name, first_name=person.first_name, today=today,
                            how_met=person.how_met, met_on=person.met_on, company=person.company,
                            title=person.title, interests=list(person.interests), me=me)
    if person.birthday is not None:
        ctx.birthday_on = person.birthday.next_on_or_after(today)
        ctx.age = person.birthday.age_on(ctx.birthday_on)
    recent = touches.of_person(person_id, limit=20)
    noted = next((t for t in recent if t.note and t.action != "received"), None)
    if noted is not None:
        ctx.last_touch = core.TouchInfo(noted.action, noted.on_date, noted.note)
    if row.thanks_owed_since is not None:
        favour = session.execute(
            select(TouchRow.action, TouchRow.on_date, TouchRow.note)
            .join(TouchPerson, TouchPerson.touch_id == TouchRow.id)
            .where(TouchPerson.person_id == person_id, TouchRow.action == "received",
                   TouchRow.on_date >= row.thanks_owed_since)
            .order_by(TouchRow.on_date).limit(1)).first()
        ctx.favour = core.TouchInfo("received", row.thanks_owed_since, favour.note if favour else None)
    ctx.event = _nearest_event(touches.events_of(person_id), today)
    lib = LibraryRepo(session, owner_id, today)
    if resource_id is not None:
        ctx.resource = resource_info(lib.get(resource_id), lib.because(resource_id, person_id))
    else:
        best = lib.best_for_person(person_id)
        if best is not None:
            ctx.resource = resource_info(*best)
    return ctx


def _nearest_event(events: list, today: date) -> core.EventInfo | None:  # type: ignore[type-arg]
    near = [e for e in events if abs((e.on_date - today).days) <= EVENT_HORIZON]
    if not near:
        return None
    e = min(near, key=lambda e: (abs((e.on_date - today).days), e.id))
    return core.EventInfo(e.kind, e.on_date, e.note)


def for_suggestion(session: Session, owner_id: int, today: date, person_id: int, trigger: str, action: str,
                   template_dirs: list[Path], me: str | None = None, *, event_id: int | None = None,
                   resource_id: int | None = None) -> tuple[str, str]:
    """The kind and text of one agenda suggestion's draft, from the fields that identify the suggestion:
    the web renders a draft only when it is opened instead of every draft on every Today page.

    Every read is scoped by the owner: another account's person or resource is not found, and another
    account's event does not colour the message."""
    event_kind = None
    if event_id:
        event = session.get(LifeEventRow, event_id)
        if event is not None and event.owner_id == owner_id and event.person_id == person_id:
            event_kind = event.kind
    kind = core.kind_for(trigger, action, event_kind)
    ctx = context(session, owner_id, today, person_id, resource_id=resource_id, me=me)
    if kind == "share" and ctx.resource is None:
        kind = "checkin"
    return kind, core.render(kind, ctx, template_dirs)


def for_agenda(session: Session, owner_id: int, today: date, items: list[Suggestion],
               template_dirs: list[Path], me: str | None = None) -> list[str]:
    """A draft for each agenda suggestion, in the same order (the CLI and the digest show them all)."""
    return [for_suggestion(session, owner_id, today, item.person.id, item.trigger, item.action,
                           template_dirs, me, event_id=item.extra.get("event_id"),
                           resource_id=item.extra.get("resource_id"))[1]
            for item in items]
