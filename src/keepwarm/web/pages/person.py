"""One person: profile, timeline, strength over time, balance, birthdays and events, edit and quick log."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from keepwarm.web.context import Account, web_of
from keepwarm.web.errors import is_htmx
from keepwarm.web.forms import PathId, apply_person_form, own_person, person_form_values
from keepwarm.web.security import page_user

router = APIRouter(include_in_schema=False)


def strength_series(touches: list[dict[str, Any]], today: date, half_life: int,
                    weeks: int = 52) -> list[tuple[str, float]]:
    """Strength at the end of each of the last ``weeks`` weeks, from the person's touches."""
    from keepwarm.core.strength import strength_on

    history = [(date.fromisoformat(t["date"]), float(t["weight"])) for t in touches]
    days = [today - timedelta(weeks=w) for w in range(weeks, -1, -1)]
    return [(d.isoformat(), strength_on(history, d, half_life)) for d in days]


def person_view(store: Any, person_id: int) -> dict[str, Any]:
    """Everything the person page shows."""
    from keepwarm.core import events as life
    from keepwarm.core.people import from_dict
    from keepwarm.store.models import PersonRow
    from keepwarm.store.news import NewsRepo
    from keepwarm.store.owners import catalog
    from keepwarm.store.profiles import profile

    data = profile(store, person_id)
    cat = catalog(store.session, store.owner_id)
    with_ids = {pid for t in data["touches"] for pid in t["with"]}
    names = {r.id: r.name for r in store.people.rows(store.people.query().where(
        PersonRow.id.in_(with_ids)))} if with_ids else {}
    person = from_dict({k: data[k] for k in ("id", "uid", "name", "given_name", "family_name", "nickname",
                                             "emails", "phones", "links", "company", "title", "location",
                                             "how_met", "met_on", "birthday", "interests", "circle",
                                             "every_days", "tags", "notes", "extra")})
    next_bday = person.birthday.next_on_or_after(store.today) if person.birthday else None
    from keepwarm.web.records import linked

    news = NewsRepo(store.session, store.owner_id, store.today)
    mentions = linked(news.recent(None, person_id, limit=20))
    return {
        "mentions": mentions,
        "p": data, "names": names, "labels": {n: a.label for n, a in cat.items()},
        "actions": sorted(cat.values(), key=lambda a: (a.minutes, a.name)),
        "series": strength_series(data["touches"], store.today, store.touches.half_life()),
        "form": person_form_values(person), "circles": [c.name for c in store.people.circles()],
        "event_kinds": life.KINDS, "next_birthday": next_bday,
        "days_to_birthday": (next_bday - store.today).days if next_bday else None,
    }


@router.get("/people/{person_id}")
def person_page(request: Request, person_id: PathId, account: Account = Depends(page_user)) -> Response:
    """A person's page."""
    web = web_of(request)
    with web.store(account) as store:
        view = person_view(store, person_id)
    return web.render(request, "person.html", {**view, "page_name": "people"})


@router.post("/people/{person_id}/edit")
async def edit_person(request: Request, person_id: PathId, account: Account = Depends(page_user)) -> Response:
    """Save the edit form; bad input shows the page again with one clear message, changing nothing."""
    from starlette.concurrency import run_in_threadpool

    from keepwarm.errors import KeepwarmError

    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    web = web_of(request)

    def save() -> tuple[str | None, dict[str, Any] | None]:
        try:
            with web.store(account) as store:
                person = store.people.get(own_person(store, person_id).id)
                store.people.update(apply_person_form(person, form, store.today))
            return None, None
        except KeepwarmError as exc:
            if "NotFound" in type(exc).__name__:
                raise
            with web.store(account) as store:
                return exc.message, person_view(store, person_id)

    error, view = await run_in_threadpool(save)
    if error and view is not None:
        view["form"].update(form)
        return web.render(request, "person.html", {**view, "error": error, "page_name": "people"},
                          status_code=422)
    return RedirectResponse(f"/people/{person_id}", status_code=303)


@router.post("/people/{person_id}/log")
def log_touch(request: Request, person_id: PathId, action: str = Form(..., max_length=40),
              when: str = Form("today", max_length=40), note: str = Form("", max_length=10_000),
              them: bool = Form(False), account: Account = Depends(page_user)) -> Response:
    """Log a touch with this person."""
    from keepwarm.core.dates import parse_date

    web = web_of(request)
    with web.store(account) as store:
        row = own_person(store, person_id)
        on = parse_date(when or "today", store.today)
        store.touches.log(action, [row.id], on, note or None, "them" if them else "me")
    return RedirectResponse(f"/people/{person_id}#timeline", status_code=303)


@router.post("/people/{person_id}/events")
def add_event(request: Request, person_id: PathId, kind: str = Form(..., max_length=40),
              on: str = Form(..., max_length=40), note: str = Form("", max_length=10_000),
              company: str = Form("", max_length=200), title: str = Form("", max_length=200),
              account: Account = Depends(page_user)) -> Response:
    """Record a life event (a new job or promotion may name the new company and title)."""
    from keepwarm.core.dates import parse_date

    web = web_of(request)
    with web.store(account) as store:
        row = own_person(store, person_id)
        store.touches.add_event(row.id, kind, parse_date(on, store.today), note or None,
                                company=company or None, title=title or None)
    return RedirectResponse(f"/people/{person_id}#events", status_code=303)


@router.post("/people/{person_id}/delete")
def delete_person(request: Request, person_id: PathId, account: Account = Depends(page_user)) -> Response:
    """Remove a person and everything only theirs."""
    from keepwarm.web.records import remove_person

    web = web_of(request)
    with web.store(account) as store:
        remove_person(store, person_id)
    return RedirectResponse("/people", status_code=303)


@router.post("/touches/{touch_id}/delete")
def delete_touch(request: Request, touch_id: PathId, account: Account = Depends(page_user)) -> Response:
    """Remove a logged touch (the person's strength and balance are rebuilt)."""
    from keepwarm.web.records import touch_people

    web = web_of(request)
    with web.store(account) as store:
        people = touch_people(store, touch_id)
        store.touches.delete(touch_id)
    if is_htmx(request):
        return Response("", status_code=200)
    return RedirectResponse(f"/people/{people[0]}#timeline" if people else "/", status_code=303)


@router.post("/events/{event_id}/delete")
def delete_event(request: Request, event_id: PathId, account: Account = Depends(page_user)) -> Response:
    """Remove a life event."""
    from keepwarm.web.records import remove_event

    web = web_of(request)
    with web.store(account) as store:
        person_id = remove_event(store, event_id)
    return RedirectResponse(f"/people/{person_id}#events", status_code=303)
