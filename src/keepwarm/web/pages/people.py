"""People: search, filter by circle, tag and due, sort, paginate; and adding a person."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from keepwarm.web.context import Account, web_of
from keepwarm.web.forms import apply_person_form, person_form_values
from keepwarm.web.security import page_user

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
SORTS = ("name", "strength", "overdue", "last-touch")


def overdue_ids(store: Any, query: Any, limit: int, offset: int) -> list[int]:
    """One page of ``query``'s people, most overdue first (days since the last touch ÷ rhythm), then the
    never touched by name.

    Within one rhythm that order is simply the oldest last touch first, which the (owner, cadence, last
    touch) index gives; so each distinct rhythm is read in index order up to the page's end and the lists
    are merged by ratio, as the agenda does, instead of computing a ratio for everyone and sorting.
    """
    from keepwarm.store.models import PersonRow as P

    want = offset + limit
    touched: list[tuple[float, str, int]] = []
    for every in store.people.cadences():
        q = (query.with_only_columns(P.id, P.name_folded, P.last_touch)
             .where(P.cadence_days == every, P.last_touch.is_not(None))
             .order_by(P.last_touch, P.id).limit(want))
        touched += [(-(store.today - r.last_touch).days / every, r.name_folded, r.id)
                    for r in store.session.execute(q)]
    touched.sort()
    ids = [i for _, _, i in touched[:want]]
    if len(ids) < want:  # the never touched come last, by name
        q = (query.with_only_columns(P.id).where(P.last_touch.is_(None))
             .order_by(P.name_folded, P.id).limit(want - len(ids)))
        ids += list(store.session.scalars(q))
    return ids[offset:want]


def people_view(store: Any, *, q: str | None, circle: str | None, tag: str | None, due: bool, sort: str,
                limit: int = PAGE_SIZE, offset: int = 0) -> dict[str, Any]:
    """One page of people summaries, filtered and sorted (the read model the CLI uses)."""
    from keepwarm.store.profiles import summaries

    query = store.people.query(circle=circle or None, tag=tag or None, due=due, text=q or None)
    total = store.people.count(query)
    if sort == "overdue":
        from keepwarm.store.models import PersonRow

        ids = overdue_ids(store, query, limit, offset)
        found = {r["id"]: r for r in summaries(store, query.where(PersonRow.id.in_(ids)))}
        rows = [found[i] for i in ids]
    else:
        rows = summaries(store, query, sort=sort, limit=limit, offset=offset)
    return {"people": rows, "total": total, "page": offset // limit + 1,
            "pages": max((total + limit - 1) // limit, 1),
            "circles": [c.name for c in store.people.circles()]}


@router.get("/people")
def people_page(request: Request, q: str = Query("", max_length=200), circle: str = Query("", max_length=100),
                tag: str = Query("", max_length=100), due: bool = False,
                sort: str = Query("name", pattern="^(name|strength|overdue|last-touch)$"),
                page: int = Query(1, ge=1, le=100_000),
                changed: int | None = Query(None, ge=0, le=10_000_000),
                account: Account = Depends(page_user)) -> Response:
    """The people list (``changed``: how many a bulk edit just changed, to say so)."""
    web = web_of(request)
    with web.store(account) as store:
        view = people_view(store, q=q, circle=circle, tag=tag, due=due, sort=sort,
                           offset=(page - 1) * PAGE_SIZE)
    filters = {"q": q, "circle": circle, "tag": tag, "due": due, "sort": sort}
    template = "partials/people_rows.html" if request.headers.get("HX-Target") == "people-results" \
        else "people.html"
    return web.render(request, template, {**view, "filters": filters, "sorts": SORTS, "page_name": "people",
                                          "changed": changed})


@router.post("/people/bulk")
async def bulk_edit(request: Request, account: Account = Depends(page_user)) -> Response:
    """Set the circle or rhythm of the selected people, or add or remove a tag, in one transaction (each
    through PeopleRepo's edit path); bad input shows the page again with one message, changing nothing."""
    from starlette.concurrency import run_in_threadpool

    from keepwarm.errors import KeepwarmError, NotFoundError

    form = await request.form()
    fields = {k: v.strip() for k, v in form.items() if isinstance(v, str) and k != "ids"}
    ids = form.getlist("ids")
    web = web_of(request)

    def save() -> tuple[int, str | None, dict]:  # type: ignore[type-arg]
        """(people changed, the error, the page to show again with it): all in the thread pool."""
        try:
            with web.store(account) as store:
                results = store.people.edit_many(bulk_ids(ids), bulk_change(fields))
            return sum(1 for before, after in results if before != after), None, {}
        except NotFoundError:
            raise  # someone else's or a removed person: 404
        except KeepwarmError as exc:
            with web.store(account) as store:
                return 0, exc.message, people_view(store, q=None, circle=None, tag=None, due=False,
                                                   sort="name")

    changed, error, view = await run_in_threadpool(save)
    if error is None:
        return RedirectResponse(f"/people?changed={changed}", status_code=303)
    filters = {"q": "", "circle": "", "tag": "", "due": False, "sort": "name"}
    return web.render(request, "people.html", {**view, "filters": filters, "sorts": SORTS,
                                               "page_name": "people", "error": error}, status_code=422)


def bulk_ids(values: list[Any]) -> list[int]:
    """The selected people's ids from the form's checkboxes; none selected is an error."""
    from keepwarm.errors import InvalidInputError
    from keepwarm.web.forms import MAX_ID

    if not values:
        raise InvalidInputError("select at least one person")
    ids = []
    for v in values:
        ok = isinstance(v, str) and v.isascii() and v.isdigit() and len(v) <= 10
        if not ok or not 1 <= int(v) <= MAX_ID:
            raise InvalidInputError(f"not a person id in the selection: {str(v)[:20]!r}")
        ids.append(int(v))
    return list(dict.fromkeys(ids))


def bulk_change(fields: dict[str, str]) -> Any:
    """The bulk form as an edit: a circle, a rhythm, a tag to add and one to remove (blank: unchanged)."""
    from keepwarm.core.dates import parse_duration
    from keepwarm.core.edits import PersonEdit

    every = fields.get("every")
    return PersonEdit(circle=fields.get("circle") or None,
                      every_days=parse_duration(every) if every else None,
                      add_tags=[fields["add_tag"]] if fields.get("add_tag") else [],
                      drop_tags=[fields["remove_tag"]] if fields.get("remove_tag") else [])


@router.get("/people/new")
def new_person_page(request: Request, account: Account = Depends(page_user)) -> Response:
    """The form for a new person."""
    web = web_of(request)
    with web.store(account) as store:
        circles = [c.name for c in store.people.circles()]
    return web.render(request, "person_new.html", {"form": person_form_values(None), "circles": circles,
                                                   "page_name": "people"})


@router.post("/people/new")
async def add_person(request: Request, account: Account = Depends(page_user)) -> Response:
    """Add a person; bad input shows the form again with one clear message."""
    from starlette.concurrency import run_in_threadpool

    from keepwarm.core.people import Person
    from keepwarm.errors import KeepwarmError

    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    web = web_of(request)

    def save() -> tuple[int | None, str | None, list[str]]:
        try:
            with web.store(account) as store:
                circles = [c.name for c in store.people.circles()]
                person = apply_person_form(Person(name=""), form, store.today)
                store.people.add(person)
                return person.id, None, circles
        except KeepwarmError as exc:
            with web.store(account) as store:
                return None, exc.message, [c.name for c in store.people.circles()]

    pid, error, circles = await run_in_threadpool(save)
    if pid is None:
        return web.render(request, "person_new.html", {"form": {**person_form_values(None), **form},
                                                       "circles": circles, "error": error,
                                                       "page_name": "people"}, status_code=422)
    return RedirectResponse(f"/people/{pid}", status_code=303)
