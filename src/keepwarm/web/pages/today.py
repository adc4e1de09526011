"""Today: the agenda with its reasons, one-click done and snooze, and a quick "log a touch" form."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from keepwarm.web.context import Account, web_of
from keepwarm.web.csrf import csrf_token
from keepwarm.web.errors import is_htmx
from keepwarm.web.forms import MAX_ID, FormId, own_person, resolve_person
from keepwarm.web.security import page_user

router = APIRouter(include_in_schema=False)


def agenda_view(store, days: int = 7, minutes: int | None = None) -> dict:  # type: ignore[no-untyped-def]
    """The agenda and the catalog labels, as the templates need them. No drafts: each is rendered only
    when its suggestion is opened (``/today/draft``), so the cached view stays cheap to build."""
    agenda = store.agenda.build(days=days, minutes=minutes)
    cat = store.agenda.catalog()  # read by the build already
    week = {"touches": agenda.week_touches, "goal": agenda.weekly_goal, "streak": agenda.streak_weeks}
    # an empty agenda asks whether there is anyone at all: an empty network shows the ways to start
    anyone = bool(agenda.items) or store.people.has_anyone()
    return {"agenda": agenda, "anyone": anyone, "week": week, "labels": {n: a.label for n, a in cat.items()},
            "actions": sorted(cat.values(), key=lambda a: (a.minutes, a.name))}


# the subject line of a draft sent through the mail app, by the kind of draft
SUBJECTS = {"birthday": "Happy birthday!", "thanks": "Thank you", "share": "Something you might enjoy",
            "congrats": "Congratulations!", "sympathy": "Thinking of you", "move": "Your move",
            "meetup": "Coffee soon?", "checkin": "Catching up"}


def emails_of(store, person_ids: list[int]) -> dict[int, str]:  # type: ignore[no-untyped-def]
    """The first email address of each of these people who has one, in one query."""
    from sqlalchemy import select

    from keepwarm.store.models import PersonEmail

    rows = store.session.execute(
        select(PersonEmail.person_id, PersonEmail.email)
        .where(PersonEmail.owner_id == store.owner_id, PersonEmail.person_id.in_(person_ids))
        .order_by(PersonEmail.person_id, PersonEmail.position, PersonEmail.id))
    out: dict[int, str] = {}
    for pid, email in rows:
        out.setdefault(pid, email)
    return out


def mailto(email: str, subject: str, body: str) -> str:
    """A ``mailto:`` address with the subject and body URL-encoded (line breaks as CRLF, RFC 6068)."""
    from urllib.parse import quote

    body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    return f"mailto:{quote(email, safe='@')}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"


def draft_view(store, config_dir: Path, person_id: int, trigger: str, action: str,  # type: ignore[no-untyped-def]
               event_id: int | None, resource_id: int | None, plan_id: int | None = None,
               mention_id: int | None = None) -> dict:
    """One suggestion's draft with what the page shows beside it; a broken user template or config costs
    this draft (shown as a message), not the request."""
    from keepwarm.errors import ConfigError
    from keepwarm.mail import load_config, my_name
    from keepwarm.store.drafts import for_suggestion

    row = own_person(store, person_id)  # another account's person is not found (404)
    view: dict = {"pid": row.id, "name": row.name}
    try:
        me = my_name(load_config(config_dir))
        kind, text = for_suggestion(store.session, store.owner_id, store.today, row.id, trigger, action,
                                    [config_dir / "templates"], me, event_id=event_id,
                                    resource_id=resource_id, plan_id=plan_id, mention_id=mention_id)
    except ConfigError as exc:
        return {**view, "error": exc.message}
    text = text.strip()
    email = emails_of(store, [row.id]).get(row.id)
    return {**view, "text": text, "rows": min(text.count("\n") + 2, 12),
            "mailto": mailto(email, SUBJECTS.get(kind, "Hello"), text) if email else None}


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
            return agenda_view(store, minutes=minutes)

    # the agenda is the costly part of the page; it is reused until the account's data changes, and so
    # is the page made of it, for this browser: the page's forms carry its CSRF token, and its header
    # the account's email
    key = ("today", minutes)
    page_key = ("today.html", minutes, csrf_token(request), account.email)
    body = web.peek(account, page_key)
    if body is not None:
        return HTMLResponse(body)
    view = web.peek(account, key) or await run_in_threadpool(web.build, account, key, build)
    response = web.render(request, "today.html", {**view, "minutes": minutes, "page": "today"})
    web.keep(account, page_key, response.body)
    return response


@router.get("/today", dependencies=[Depends(page_user)])
def today_alias() -> Response:
    """An old-style address for the Today page."""
    return RedirectResponse("/", status_code=307)


@router.get("/today/draft")
def draft(request: Request, person_id: int = Query(..., ge=1, le=MAX_ID),
          trigger: str = Query(..., max_length=40), action: str = Query(..., max_length=40),
          event_id: int | None = Query(None, ge=1, le=MAX_ID),
          resource_id: int | None = Query(None, ge=1, le=MAX_ID),
          plan_id: int | None = Query(None, ge=1, le=MAX_ID),
          mention_id: int | None = Query(None, ge=1, le=MAX_ID),
          account: Account = Depends(page_user)) -> Response:
    """One suggestion's message draft, fetched when its "Draft message" is opened (a page of its own
    without htmx)."""
    web = web_of(request)
    with web.store(account) as store:
        view = draft_view(store, web.settings.config_dir, person_id, trigger, action, event_id, resource_id,
                          plan_id, mention_id)
    name = "partials/draft.html" if is_htmx(request) else "draft.html"
    return web.render(request, name, {"d": view, "page": "today"})


@router.post("/today/done")
def mark_done(request: Request, person_id: FormId, action: str = Form(..., max_length=40),
              occasion_id: str = Form("", max_length=120),
              account: Account = Depends(page_user)) -> Response:
    """Log the suggested touch for its occasion (the same store call as `keepwarm done`), so that the
    occasion never comes back, and show it as done with an Undo."""
    from keepwarm.core.dates import format_day

    web = web_of(request)
    with web.store(account) as store:
        row = own_person(store, person_id)
        touch = store.touches.log(action, [row.id], occasion_id=occasion_id.strip() or None)
        item = {"id": row.id, "name": row.name, "action": touch.action,
                "date": format_day(touch.on_date, store.today)}
        week = week_progress(store)
        change_id = store.touches.change_id
    if not is_htmx(request):
        return RedirectResponse("/", status_code=303)
    # the week's progress line is updated out of band, beside the item that turned into "done"
    return web.render(request, "partials/done.html", {"item": item, "week": week, "oob": True,
                                                      "change_id": change_id})


@router.post("/today/snooze")
def snooze(request: Request, person_id: FormId, duration: str = Form("2w", max_length=20),
           account: Account = Depends(page_user)) -> Response:
    """Hide a person from the agenda for a while."""
    from keepwarm.core.dates import parse_duration

    web = web_of(request)
    days = parse_duration(duration)
    from keepwarm.core.dates import format_day

    with web.store(account) as store:
        row = own_person(store, person_id)
        until = store.touches.snooze(row.id, days)
        item = {"id": row.id, "name": row.name, "until": format_day(until, store.today) if until else ""}
        change_id = store.touches.change_id
    if not is_htmx(request):
        return RedirectResponse("/", status_code=303)
    return web.render(request, "partials/snoozed.html", {"item": item, "change_id": change_id})


@router.post("/undo")
def undo(request: Request, change_id: FormId, account: Account = Depends(page_user)) -> Response:
    """Reverse one change (a Done, a Snooze…) and put the suggestion back where it was."""
    from keepwarm.store import journal

    web = web_of(request)
    with web.store(account) as store:
        change = journal.undo(store, change_id)  # another account's change is not found (404)
        what, person_id = change.summary, journal.person_of(change)
        items = store.agenda.build().items
        back = next((i for i in items if i.person.id == person_id), None)
        labels = {n: a.label for n, a in store.agenda.catalog().items()}
        name = store.people.row(person_id).name if person_id else ""
    if not is_htmx(request):
        return RedirectResponse("/", status_code=303)
    said = f"Undone: {what}."
    if back is None:
        return web.render(request, "partials/undone.html", {"pid": person_id, "name": name, "said": said})
    return web.render(request, "partials/suggestion.html", {"i": back, "labels": labels, "announce": said})


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
