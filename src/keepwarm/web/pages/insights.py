"""Insights: network health per circle, strength distribution, touches per week, action usage.

All counts are computed in SQL (one indexed query per rhythm, one aggregate per chart), never by loading
every person.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import case, func, select

from keepwarm.web.context import Account, web_of
from keepwarm.web.security import page_user

router = APIRouter(include_in_schema=False)


def health(store: Any) -> list[dict[str, Any]]:
    """Per circle: how many people, and the share touched within their rhythm."""
    from keepwarm.store.models import PersonRow as P

    totals: dict[int | None, int] = dict(store.session.execute(
        select(P.circle_id, func.count()).where(P.owner_id == store.owner_id).group_by(P.circle_id))
        .all())
    within: dict[int | None, int] = {}
    for every in store.people.cadences():
        rows = store.session.execute(
            select(P.circle_id, func.count()).where(P.owner_id == store.owner_id, P.cadence_days == every,
                                                    P.last_touch > store.today - timedelta(days=every))
            .group_by(P.circle_id)).all()
        for cid, n in rows:
            within[cid] = within.get(cid, 0) + n
    out = []
    for c in store.people.circles():
        total = totals.get(c.id, 0)
        out.append({"circle": c.name, "people": total, "within": within.get(c.id, 0),
                    "share": round(100 * within.get(c.id, 0) / total) if total else 0})
    if totals.get(None):
        out.append({"circle": "(none)", "people": totals[None], "within": within.get(None, 0),
                    "share": round(100 * within.get(None, 0) / totals[None])})
    return out


def strength_buckets(store: Any, size: int = 10) -> list[tuple[str, int]]:
    """How many people fall in each strength band (0–10, 10–20, …), counted on the stored base."""
    from keepwarm.core import strength
    from keepwarm.store.models import PersonRow as P

    factor = strength.decayed_sum(1.0, store.today, store.touches.half_life())
    # strength ≥ s  ⇔  base ≥ −SCALE·ln(1 − s/100) / factor: one threshold per band, one query in all
    edges = [0.0] + [-strength.SCALE * math.log(1 - s / 100) / factor for s in range(size, 100, size)]
    cols = [func.sum(case((P.strength_base >= e, 1), else_=0)) for e in edges]
    at_least = [int(v or 0) for v in store.session.execute(
        select(*cols).where(P.owner_id == store.owner_id)).one()]
    at_least[0] = int(store.session.scalar(select(func.count()).where(P.owner_id == store.owner_id)) or 0)
    bands = []
    for i, lo in enumerate(range(0, 100, size)):
        nxt = at_least[i + 1] if i + 1 < len(at_least) else 0
        bands.append((f"{lo}–{lo + size}", at_least[i] - nxt))
    return bands


def weekly(store: Any, weeks: int = 52) -> list[tuple[str, float]]:
    """Touches per week over the last year, oldest first, empty weeks included."""
    from keepwarm.core.dates import monday_of

    counts = store.touches.weekly_counts(weeks)
    monday = monday_of(store.today)
    days = [monday - timedelta(weeks=w) for w in range(weeks - 1, -1, -1)]
    return [(d.isoformat(), float(counts.get(d, 0))) for d in days]


def action_usage(store: Any, days: int = 365) -> list[tuple[str, float]]:
    """How often each micro-action was used in the last year, most used first."""
    from keepwarm.store.models import TouchRow as T

    rows = store.session.execute(
        select(T.action, func.count()).where(T.owner_id == store.owner_id,
                                             T.on_date > store.today - timedelta(days=days))
        .group_by(T.action).order_by(func.count().desc(), T.action)).all()
    return [(name, float(n)) for name, n in rows]


@router.get("/insights")
def insights_page(request: Request, account: Account = Depends(page_user)) -> Response:
    """Charts about the network."""
    web = web_of(request)
    with web.store(account) as store:
        circles, buckets = health(store), strength_buckets(store)
        weeks, usage = weekly(store), action_usage(store)
    bars = [(f"{h['circle']} {h['within']}/{h['people']}", h["share"]) for h in circles]
    return web.render(request, "insights.html", {
        "health": circles, "health_bars": bars, "buckets": buckets, "weekly": weeks, "usage": usage,
        "weekly_total": int(sum(v for _, v in weeks)), "page_name": "insights"})
