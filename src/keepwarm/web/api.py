"""The JSON API under /api/v1: people, touches, life events, actions and the agenda.

The same store functions as the CLI and the pages; every route declares each status it can answer.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response, Security
from fastapi.security import HTTPBearer

from keepwarm.errors import NotFoundError
from keepwarm.web import records
from keepwarm.web.context import Account, web_of
from keepwarm.web.schemas import (
    ActionIn,
    ActionOut,
    AgendaOut,
    Day,
    ErrorOut,
    EventIn,
    EventOut,
    PeopleBulkIn,
    PeopleBulkOut,
    PeoplePage,
    PersonIn,
    PersonOut,
    PersonPatch,
    TouchIn,
    TouchOut,
)
from keepwarm.web.security import api_user

bearer = HTTPBearer(auto_error=False, description="A personal access token from Settings → API tokens.")
router = APIRouter(prefix="/api/v1", tags=["api"], dependencies=[Security(bearer)])

_E = {"model": ErrorOut}
READ: dict[int | str, dict[str, Any]] = {401: _E | {"description": "Not logged in"},
                                         422: _E | {"description": "Invalid input"}}
ONE = READ | {404: _E | {"description": "Not found (or not yours)"}}
WRITE = READ | {400: _E | {"description": "The body is not JSON (or not UTF-8)"},
                403: _E | {"description": "Missing CSRF header (session logins only)"},
                409: _E | {"description": "Conflicts with existing data"}}
WRITE_ONE = WRITE | ONE


def _id() -> Any:
    # a new Path() per parameter: FastAPI binds a parameter's name to its FieldInfo
    return Path(..., ge=1, le=2_147_483_647)


def _person_out(store: Any, person_id: int) -> dict[str, Any]:
    from keepwarm.store.profiles import profile

    data = profile(store, person_id, touch_limit=0)
    for key in ("touches", "events", "plans", "extra"):
        data.pop(key, None)
    return data


def _known_circle(store: Any, name: str | None) -> None:
    """A circle is one of the account's own (Settings adds more): another name is not found."""
    if name and name.strip().lower() not in {c.name for c in store.people.circles()}:
        raise NotFoundError(f"no circle {name.strip()!r}",
                            hint="known circles: " + ", ".join(c.name for c in store.people.circles()))


def _to_person(data: dict[str, Any]) -> Any:
    from keepwarm.core.people import from_dict

    return from_dict({k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items()})


# -- people -----------------------------------------------------------------------------------------
@router.get("/people", response_model=PeoplePage, responses=ONE)
def list_people(request: Request, q: str = Query("", max_length=200, pattern=r"^[^\x00]*$"),
                circle: str = Query("", max_length=100, pattern=r"^[^\x00]*$"),
                tag: str = Query("", max_length=100, pattern=r"^[^\x00]*$"), due: bool = False,
                sort: str = Query("name", pattern="^(name|strength|overdue|last-touch)$"),
                limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0, le=10_000_000),
                account: Account = Depends(api_user)) -> dict[str, Any]:
    """Your people, filtered (text, circle, tag, due) and sorted, one page at a time; 404 for a circle
    you do not have."""
    from keepwarm.web.pages.people import people_view

    with web_of(request).store(account) as store:
        _known_circle(store, circle)
        view = people_view(store, q=q, circle=circle, tag=tag, due=due, sort=sort, limit=limit, offset=offset)
    return {"items": view["people"], "total": view["total"], "limit": limit, "offset": offset}


@router.post("/people", response_model=PersonOut, status_code=201, responses=WRITE_ONE)
def create_person(request: Request, body: PersonIn, account: Account = Depends(api_user)) -> dict[str, Any]:
    """Add a person (in one of your circles: another circle is 404)."""
    with web_of(request).store(account) as store:
        _known_circle(store, body.circle)
        person = store.people.add(_to_person(body.model_dump()))
        assert person.id is not None
        return _person_out(store, person.id)


@router.post("/bulk/people", response_model=PeopleBulkOut, responses=WRITE_ONE)
def bulk_edit_people(request: Request, body: PeopleBulkIn,
                     account: Account = Depends(api_user)) -> dict[str, Any]:
    """Change the circle, rhythm, tags or interests of several people at once (by ids or by a filter),
    all or nothing: the same as `keepwarm edit --where …`."""
    from keepwarm.core.edits import PersonEdit
    from keepwarm.errors import InvalidInputError

    if (body.ids is None) == (body.where is None):
        raise InvalidInputError("give either ids or where")
    change = PersonEdit(circle=body.circle, every_days=body.every_days, drop_every=body.no_every,
                        add_tags=list(body.add_tags), drop_tags=list(body.remove_tags),
                        add_interests=list(body.add_interests), drop_interests=list(body.remove_interests))
    with web_of(request).store(account) as store:
        if body.where is not None:
            filters = body.where.model_dump(exclude_none=True)
            if not filters:
                raise InvalidInputError("where needs a tag, a circle or a company")
            ids = [r.id for r in store.people.rows(store.people.query(**filters))]
        else:
            ids = list(dict.fromkeys(body.ids or []))
        results = store.people.edit_many(ids, change)
    changed = [after.id for before, after in results if before != after]
    return {"matched": len(results), "changed": len(changed), "ids": changed}


@router.get("/people/{person_id}", response_model=PersonOut, responses=ONE)
def get_person(request: Request, person_id: int = _id(),
               account: Account = Depends(api_user)) -> dict[str, Any]:
    """One person."""
    with web_of(request).store(account) as store:
        return _person_out(store, person_id)


@router.patch("/people/{person_id}", response_model=PersonOut, responses=WRITE_ONE)
def patch_person(request: Request, body: PersonPatch, person_id: int = _id(),
                 account: Account = Depends(api_user)) -> dict[str, Any]:
    """Change the fields sent (lists replace the old ones)."""
    from keepwarm.core.people import to_dict

    with web_of(request).store(account) as store:
        current = to_dict(store.people.get(person_id))
        changes = body.model_dump(exclude_unset=True)
        _known_circle(store, changes.get("circle"))
        if changes.get("name") is None:
            changes.pop("name", None)
        store.people.update(_to_person({**current, **changes}))
        return _person_out(store, person_id)


@router.delete("/people/{person_id}", status_code=204, response_class=Response, responses=WRITE_ONE)
def delete_person(request: Request, person_id: int = _id(), account: Account = Depends(api_user)) -> Response:
    """Remove a person and everything only theirs."""
    with web_of(request).store(account) as store:
        records.remove_person(store, person_id)
    return Response(status_code=204)


@router.get("/people/{person_id}/touches", response_model=list[TouchOut], responses=ONE)
def person_touches(request: Request, person_id: int = _id(), limit: int = Query(100, ge=1, le=1000),
                   account: Account = Depends(api_user)) -> list[dict[str, Any]]:
    """A person's touches, newest first."""
    with web_of(request).store(account) as store:
        return records.touches(store, person_id=person_id, limit=limit)


# -- touches ----------------------------------------------------------------------------------------
@router.get("/touches", response_model=list[TouchOut], responses=ONE)
def list_touches(request: Request, person_id: int | None = Query(None, ge=1, le=2_147_483_647),
                 since: Day | None = None, limit: int = Query(100, ge=1, le=1000),
                 offset: int = Query(0, ge=0, le=10_000_000),
                 account: Account = Depends(api_user)) -> list[dict[str, Any]]:
    """Your touches, newest first (of one person, or since a day)."""
    with web_of(request).store(account) as store:
        return records.touches(store, person_id=person_id, since=since, limit=limit, offset=offset)


@router.post("/touches", response_model=TouchOut, status_code=201, responses=WRITE_ONE)
def log_touch(request: Request, body: TouchIn, account: Account = Depends(api_user)) -> dict[str, Any]:
    """Log a touch (the same as `keepwarm log`)."""
    with web_of(request).store(account) as store:
        ids = list(body.people)  # anyone not yours is refused by log (404)

        row = store.touches.log(body.action, ids, body.date, body.note, body.initiated_by,
                                occasion_id=body.occasion)
        return records.touch_json(row, list(dict.fromkeys(ids)))


@router.get("/touches/{touch_id}", response_model=TouchOut, responses=ONE)
def get_touch(request: Request, touch_id: int = _id(),
              account: Account = Depends(api_user)) -> dict[str, Any]:
    """One touch."""
    with web_of(request).store(account) as store:
        return records.touch_json(records.touch(store, touch_id), records.touch_people(store, touch_id))


@router.delete("/touches/{touch_id}", status_code=204, response_class=Response, responses=WRITE_ONE)
def delete_touch(request: Request, touch_id: int = _id(), account: Account = Depends(api_user)) -> Response:
    """Remove a touch; strength and balance are rebuilt."""
    with web_of(request).store(account) as store:
        records.touch(store, touch_id)
        store.touches.delete(touch_id)
    return Response(status_code=204)


# -- life events ------------------------------------------------------------------------------------
@router.get("/events", response_model=list[EventOut], responses=ONE)
def list_events(request: Request, person_id: int | None = Query(None, ge=1, le=2_147_483_647),
                limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0, le=10_000_000),
                account: Account = Depends(api_user)) -> list[dict[str, Any]]:
    """Life events by date (of one person, or all)."""
    with web_of(request).store(account) as store:
        return records.events(store, person_id, limit, offset)


@router.post("/events", response_model=EventOut, status_code=201, responses=WRITE_ONE)
def add_event(request: Request, body: EventIn, account: Account = Depends(api_user)) -> dict[str, Any]:
    """Record a life event: moving, new-job, promotion, retirement, graduation, new-baby, wedding, loss,
    custom."""
    with web_of(request).store(account) as store:
        row = store.touches.add_event(store.people.row(body.person_id).id, body.kind, body.date, body.note,
                                      company=body.company, title=body.title)
        return records.event_json(row)


@router.get("/events/{event_id}", response_model=EventOut, responses=ONE)
def get_event(request: Request, event_id: int = _id(),
              account: Account = Depends(api_user)) -> dict[str, Any]:
    """One life event."""
    with web_of(request).store(account) as store:
        return records.event_json(records.event(store, event_id))


@router.delete("/events/{event_id}", status_code=204, response_class=Response, responses=WRITE_ONE)
def delete_event(request: Request, event_id: int = _id(), account: Account = Depends(api_user)) -> Response:
    """Remove a life event."""
    with web_of(request).store(account) as store:
        records.remove_event(store, event_id)
    return Response(status_code=204)


# -- actions and agenda -----------------------------------------------------------------------------
@router.get("/actions", response_model=list[ActionOut], responses=READ)
def list_actions(request: Request, account: Account = Depends(api_user)) -> list[dict[str, Any]]:
    """Your micro-action catalog."""
    from dataclasses import asdict

    from keepwarm.store.owners import catalog

    with web_of(request).store(account) as store:
        actions = sorted(catalog(store.session, store.owner_id).values(), key=lambda a: a.name)
        return [asdict(a) for a in actions]


@router.post("/actions", response_model=ActionOut, status_code=201, responses=WRITE)
def add_action(request: Request, body: ActionIn, account: Account = Depends(api_user)) -> dict[str, Any]:
    """Add a micro-action of your own."""
    from dataclasses import asdict

    from keepwarm.store.catalog import add_action as add

    with web_of(request).store(account) as store:
        return asdict(add(store, body.name, body.label, body.weight, body.minutes, body.kind, body.personal))


@router.get("/agenda", response_model=AgendaOut, responses=READ)
def agenda(request: Request, days: int = Query(7, ge=0, le=60),
           minutes: int | None = Query(None, ge=1, le=600),
           limit: int = Query(15, ge=1, le=200), account: Account = Depends(api_user)) -> dict[str, Any]:
    """Today's suggestions (the same as `keepwarm today --json`) with the week's progress."""
    web = web_of(request)

    def build() -> dict[str, Any]:
        with web.store(account) as store:
            ag = store.agenda.build(days=days, minutes=minutes, limit=limit)
        return {"date": ag.today, "items": [i.to_json() for i in ag.items], "week_touches": ag.week_touches,
                "weekly_goal": ag.weekly_goal, "streak_weeks": ag.streak_weeks, "minutes": ag.minutes}

    return web.cached(account, ("api-agenda", days, minutes, limit), build)  # type: ignore[no-any-return]
