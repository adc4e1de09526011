"""Today: the agenda with its reasons, one-click done and snooze, and a quick "log a touch" form."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from keepwarm.web.context import Account, web_of
from keepwarm.web.errors import is_htmx
from keepwarm.web.forms import FormId, own_person, resolve_person
from keepwarm.web.security import page_user

router = APIRouter(include_in_schema=False)


def agenda_view(store, config_dir: Path, days: int = 7,  # type: ignore[no-untyped-def]
                minutes: int | None = None) -> dict:
    """The agenda with a message draft for each suggestion, and the catalog labels, as the templates
    need them."""
    from keepwarm.store.owners import catalog

    agenda = store.agenda.build(days=days, minutes=minutes)
    cat = catalog(store.session, store.owner_id)
    week = {"touches": agenda.week_touches, "goal": agenda.weekly_goal, "streak": agenda.streak_weeks}
    texts, drafts_error = agenda_drafts(store, config_dir, agenda.items)
    # an empty agenda asks whether there is anyone at all: an empty network shows the ways to start
    anyone = bool(agenda.items) or store.people.has_anyone()
    return {"agenda": agenda, "anyone": anyone, "week": week, "labels": {n: a.label for n, a in cat.items()},
            "actions": sorted(cat.values(), key=lambda a: (a.minutes, a.name)),
            "drafts": texts, "drafts_error": drafts_error}


def agenda_drafts(store, config_dir: Path, items: list) -> tuple[list[dict], str | None]:  # type: ignore[no-untyped-def]
    """The drafts `keepwarm today --drafts` prints, one per suggestion (the same store function, the same
    template folder and signature); a broken user template or config costs the drafts, not the page.

    Each is escaped here, once, so that the cached view serves every request without escaping it again.
    """
    from markupsafe import escape

    from keepwarm.errors import KeepwarmError
    from keepwarm.mail import load_config, my_name
    from keepwarm.store.drafts import for_agenda

    try:
        me = my_name(load_config(config_dir))
        texts = for_agenda(store.session, store.owner_id, store.today, items, [config_dir / "templates"], me)
    except KeepwarmError as exc:
        return [], exc.message
    return [{"html": escape(t.strip()), "rows": min(t.strip().count("\n") + 2, 12)} for t in texts], None


def week_progress(store) -> dict:  # type: ignore[no-untyped-def]
    """This week's touches against the weekly goal, and the streak (cheap: maintained weekly counts)."""
    from keepwarm.core.agenda import streak
    from keepwarm.core.dates import monday_of
    from keepwarm.store.owners import get_setting

    goal = int(get_setting(store.session, store.owner_id, "weekly_goal"))
    weeks = store.touches.weekly_counts()
    monday = monday_of(store.today)
    return {"touches": weeks.get(monday, 0), "goal": goal, "streak": streak(weeks, monday, goal)}


@router.get("/")
async def today_page(request: Request, minutes: int | None = Query(None, ge=1, le=600),
                     account: Account = Depends(page_user)) -> Response:
    """Today's agenda (async: a cached agenda is served without a trip through the thread pool)."""
    from starlette.concurrency import run_in_threadpool

    web = web_of(request)

    def build() -> dict:
        with web.store(account) as store:
            return agenda_view(store, web.settings.config_dir, minutes=minutes)

    # the agenda is the costly part of the page; it is reused until the account's data changes
    key = ("today", minutes)
    view = web.peek(account, key)
    if view is None:
        view = await run_in_threadpool(web.cached, account, key, build)
    return web.render(request, "today.html", {**view, "minutes": minutes, "page": "today"})


@router.get("/today", dependencies=[Depends(page_user)])
def today_alias() -> Response:
    """An old-style address for the Today page."""
    return RedirectResponse("/", status_code=307)


@router.post("/today/done")
def mark_done(request: Request, person_id: FormId, action: str = Form(..., max_length=40),
              account: Account = Depends(page_user)) -> Response:
    """Log the suggested touch (the same store call as `keepwarm log`) and show it as done."""
    web = web_of(request)
    with web.store(account) as store:
        row = own_person(store, person_id)
        touch = store.touches.log(action, [row.id])
        item = {"id": row.id, "name": row.name, "action": touch.action, "date": touch.on_date.isoformat()}
        week = week_progress(store)
    if not is_htmx(request):
        return RedirectResponse("/", status_code=303)
    # the week's progress line is updated out of band, beside the item that turned into "done"
    return web.render(request, "partials/done.html", {"item": item, "week": week, "oob": True})


@router.post("/today/snooze")
def snooze(request: Request, person_id: FormId, duration: str = Form("2w", max_length=20),
           account: Account = Depends(page_user)) -> Response:
    """Hide a person from the agenda for a while."""
    from keepwarm.core.dates import parse_duration

    web = web_of(request)
    days = parse_duration(duration)
    with web.store(account) as store:
        row = own_person(store, person_id)
        until = store.touches.snooze(row.id, days)
        item = {"id": row.id, "name": row.name, "until": until.isoformat()}
    if not is_htmx(request):
        return RedirectResponse("/", status_code=303)
    return web.render(request, "partials/snoozed.html", {"item": item})


@router.post("/touches")
def quick_log(request: Request, person: str = Form(..., max_length=300),
              action: str = Form(..., max_length=40),
              when: str = Form("today", max_length=40), note: str = Form("", max_length=10_000),
              account: Account = Depends(page_user)) -> Response:
    """Log a touch from the quick form (person by autocomplete, name, email or id)."""
    from keepwarm.core.dates import parse_date

    web = web_of(request)
    with web.store(account) as store:
        on = parse_date(when or "today", store.today)
        row = resolve_person(store, person)
        touch = store.touches.log(action, [row.id], on, note or None)
        item = {"id": row.id, "name": row.name, "action": touch.action, "date": on.isoformat()}
    if not is_htmx(request):
        return RedirectResponse(f"/people/{item['id']}", status_code=303)
    return web.render(request, "partials/logged.html", {"item": item})


@router.get("/people/suggest")
def suggest(request: Request, person: str = Query("", max_length=200),
            account: Account = Depends(page_user)) -> Response:
    """Autocomplete options for a person field: ``Name (#id)``."""
    web = web_of(request)
    text = person.strip()
    rows = []
    if text:
        from keepwarm.store.models import PersonRow

        with web.store(account) as store:
            q = store.people.query(text=text).order_by(PersonRow.name_folded).limit(10)
            rows = [(r.id, r.name, r.company) for r in store.people.rows(q)]
    return web.render(request, "partials/suggest.html", {"rows": rows})
