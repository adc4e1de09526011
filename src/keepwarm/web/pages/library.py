"""The library: what you have read, who it suits (the store's precomputed matches), and sharing it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from keepwarm.web.context import Account, web_of
from keepwarm.web.errors import is_htmx
from keepwarm.web.forms import PathId, resolve_person
from keepwarm.web.security import page_user

router = APIRouter(include_in_schema=False)

SUITS_SHOWN = 3  # people listed as "suits" per resource; the store keeps more


def library_items(store: Any, ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Resources (all, newest first, or the given ones) as the library page shows them."""
    from keepwarm.fetch import is_url
    from keepwarm.store.library import LibraryRepo
    from keepwarm.store.models import PersonRow

    lib = LibraryRepo(store.session, store.owner_id, store.today)
    rows = lib.all() if ids is None else [lib.get(i) for i in ids]
    rids = [r.id for r in rows]
    topics, shared, matched = lib.topics(rids), lib.shared_with(rids), lib.suits(rids, SUITS_SHOWN)
    shared_ids = {p for ps in shared.values() for p in ps}
    names = {r.id: r.name for r in store.people.rows(store.people.query().where(
        PersonRow.id.in_(shared_ids)))} if shared_ids else {}
    items = []
    for r in rows:
        item = lib.to_json(r, topics[r.id], shared[r.id])
        # only web addresses become links: a stored "javascript:" address must not be clickable
        item["href"] = r.url if r.url and is_url(r.url) else None
        item["suits"] = matched[r.id]
        item["shared_names"] = sorted(names[p] for p in shared[r.id] if p in names)
        items.append(item)
    return items


@router.get("/library")
def library_page(request: Request, account: Account = Depends(page_user)) -> Response:
    """Every resource with its topics, summary, who it suits and a share form."""
    web = web_of(request)
    with web.store(account) as store:
        items = library_items(store)
    return web.render(request, "library.html", {"items": items, "page_name": "library"})


@router.post("/library/{resource_id}/share")
def share(request: Request, resource_id: PathId, person: str = Form(..., max_length=300),
          note: str = Form("", max_length=10_000), account: Account = Depends(page_user)) -> Response:
    """Share a resource with one person: logs the share touch (the same store call as `keepwarm share`)."""
    from keepwarm.store.library import LibraryRepo

    web = web_of(request)
    with web.store(account) as store:
        lib = LibraryRepo(store.session, store.owner_id, store.today)
        res = lib.get(resource_id)  # another owner's resource is not found (404) before anything else
        row = resolve_person(store, person)
        touch = lib.share(res.id, [row.id], note=note.strip() or None)
        done = {"id": row.id, "name": row.name, "date": touch.on_date.isoformat(), "title": res.title}
        item = library_items(store, [res.id])[0]
    if not is_htmx(request):
        return RedirectResponse(f"/library#r-{resource_id}", status_code=303)
    return web.render(request, "partials/library_item.html", {"r": item, "shared_now": done})


@router.post("/library/{resource_id}/topics")
def topics(request: Request, resource_id: PathId, topics: str = Form("", max_length=2_100),
           account: Account = Depends(page_user)) -> Response:
    """Replace a resource's topics (comma-separated) and show who it suits now (`keepwarm library edit`)."""
    from keepwarm.store.library import LibraryRepo

    web = web_of(request)
    with web.store(account) as store:
        lib = LibraryRepo(store.session, store.owner_id, store.today)
        lib.set_topics(lib.get(resource_id).id, [t for t in topics.split(",") if t.strip()])
        item = library_items(store, [resource_id])[0]
    if not is_htmx(request):
        return RedirectResponse(f"/library#r-{resource_id}", status_code=303)
    return web.render(request, "partials/library_item.html", {"r": item, "topics_saved": True})
