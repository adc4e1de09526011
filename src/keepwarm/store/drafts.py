"""Gathering what a draft needs about one person: a handful of indexed reads.

Only facts that may be said to the person leave this module: no note of a touch, an event, a plan or the
person, except the note of the planned ask, and only when the ask draft is the one wanted.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from keepwarm.core import drafts as core
from keepwarm.core.actions import ASK
from keepwarm.core.agenda import Suggestion
from keepwarm.store import owners
from keepwarm.store.library import LibraryRepo, summary_lines
from keepwarm.store.models import LifeEventRow, Mention, NewsItem, PlanRow, Resource
from keepwarm.store.people import PeopleRepo
from keepwarm.store.touches import TouchRepo

EVENT_HORIZON = 45  # days either side of today an event still colours a message


def resource_info(row: Resource, because: str | None = None) -> core.ResourceInfo:
    """A stored resource as drafts see it; a match explained by the person's notes gives no reason."""
    said = because if because and because.startswith("interested in") else None
    return core.ResourceInfo(kind=row.kind, title=row.title, url=row.url, author=row.author,
                             review=row.review, summary=summary_lines(row), because=said)


def context(session: Session, owner_id: int, today: date, person_id: int, *,
            resource_id: int | None = None, event_id: int | None = None, action: str | None = None,
            me: str | None = None, mention_id: int | None = None) -> core.DraftContext:
    """The facts about a person that drafts use (``event_id``: the event the draft is about)."""
    repo = PeopleRepo(session, owner_id, today)
    person, row = repo.get(person_id), repo.row(person_id)
    touches = TouchRepo(session, owner_id, today)
    ctx = core.DraftContext(name=person.name, first_name=person.first_name, today=today,
                            how_met=person.how_met, met_on=person.met_on, company=person.company,
                            title=person.title, interests=list(person.interests), action=action, me=me)
    if person.birthday is not None:
        ctx.birthday_on = person.birthday.next_on_or_after(today)
    last = next((t for t in touches.of_person(person_id, limit=20) if t.action != "received"), None)
    if last is not None:
        ctx.last_touch = core.TouchInfo(last.action, last.on_date)
    if row.thanks_owed_since is not None:
        ctx.favour = core.TouchInfo("received", row.thanks_owed_since)
    ctx.event = _event(session, owner_id, person_id, event_id, touches, today)
    ctx.news = _news(session, owner_id, person_id, mention_id)
    lib = LibraryRepo(session, owner_id, today)
    if resource_id is not None:
        ctx.resource = resource_info(lib.get(resource_id), lib.because(resource_id, person_id))
    else:
        best = lib.best_for_person(person_id)
        if best is not None:
            ctx.resource = resource_info(*best)
    return ctx


def _event(session: Session, owner_id: int, person_id: int, event_id: int | None, touches: TouchRepo,
           today: date) -> core.EventInfo | None:
    """The event a suggestion names, else the person's event nearest to today within the horizon."""
    e = session.get(LifeEventRow, event_id) if event_id else None
    if e is None or e.owner_id != owner_id or e.person_id != person_id:
        near = [x for x in touches.events_of(person_id) if abs((x.on_date - today).days) <= EVENT_HORIZON]
        if not near:
            return None
        e = min(near, key=lambda x: (abs((x.on_date - today).days), x.id))
    return core.EventInfo(e.kind, e.on_date, e.company, e.title)


def latest_news(session: Session, owner_id: int, person_id: int) -> core.NewsInfo | None:
    """The person's latest mention not dismissed, for `keepwarm draft PERSON news`."""
    q = select(Mention.id).where(Mention.owner_id == owner_id, Mention.person_id == person_id,
                                 Mention.state != "dismissed")
    mid = session.scalar(q.order_by(Mention.found_on.desc(), Mention.id.desc()).limit(1))
    return _news(session, owner_id, person_id, mid)


def _news(session: Session, owner_id: int, person_id: int, mention_id: int | None) -> core.NewsInfo | None:
    """The mention a news draft is about (title, source, link: the article's text is never stored)."""
    if mention_id is None:
        return None
    m = session.get(Mention, mention_id)
    if m is None or m.owner_id != owner_id or m.person_id != person_id:
        return None
    item = session.get(NewsItem, m.item_id)
    return core.NewsInfo(item.title, item.source, item.link, m.good_news) if item is not None else None


def ask_note(session: Session, owner_id: int, person_id: int, plan_id: int | None = None) -> str | None:
    """What the user plans to ask: the note of the plan named, else of the person's next open ask."""
    asks = {name for name, a in owners.catalog(session, owner_id).items() if a.kind == ASK}
    q = select(PlanRow).where(PlanRow.owner_id == owner_id, PlanRow.person_id == person_id,
                              PlanRow.action.in_(asks))
    plan = session.scalars(q.where(PlanRow.id == plan_id)).first() if plan_id is not None else None
    if plan is None:  # no plan named, or the one named is not an ask (a merged suggestion's other plan)
        plan = session.scalars(q.where(PlanRow.done_on.is_(None))
                               .order_by(PlanRow.on_date, PlanRow.id).limit(1)).first()
    return plan.note if plan is not None and plan.note else None


def for_suggestion(session: Session, owner_id: int, today: date, person_id: int, trigger: str, action: str,
                   template_dirs: list[Path], me: str | None = None, *, event_id: int | None = None,
                   resource_id: int | None = None, plan_id: int | None = None,
                   mention_id: int | None = None) -> tuple[str, str]:
    """The kind and text of one agenda suggestion's draft, about the action it suggests, from the fields
    that identify the suggestion: the web renders a draft only when it is opened.

    Every read is scoped by the owner: another account's person or resource is not found, and another
    account's event does not colour the message."""
    event_kind = None
    if event_id:
        event = session.get(LifeEventRow, event_id)
        if event is not None and event.owner_id == owner_id and event.person_id == person_id:
            event_kind = event.kind
        else:
            event_id = None
    found = owners.catalog(session, owner_id).get(action)
    kind = core.kind_for(trigger, action, event_kind, is_ask=found is not None and found.kind == ASK)
    ctx = context(session, owner_id, today, person_id, resource_id=resource_id, event_id=event_id,
                  action=action, me=me, mention_id=mention_id)
    if kind == "ask":
        ctx.ask = ask_note(session, owner_id, person_id, plan_id)
    return kind, core.render(kind, ctx, template_dirs)


def for_agenda(session: Session, owner_id: int, today: date, items: list[Suggestion],
               template_dirs: list[Path], me: str | None = None) -> list[str]:
    """A draft for each agenda suggestion, in the same order (the CLI and the digest show them all)."""
    return [for_suggestion(session, owner_id, today, item.person.id, item.trigger, item.action,
                           template_dirs, me, event_id=item.extra.get("event_id"),
                           resource_id=item.extra.get("resource_id"), plan_id=item.extra.get("plan_id"),
                           mention_id=item.extra.get("mention_id"))[1]
            for item in items]
