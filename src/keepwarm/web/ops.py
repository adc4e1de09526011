"""What an operator needs: a health check for the proxy or orchestrator, and access logs without
personal data.

The access log names the route template (``/people/{person_id}``, ``/feed/{token}.ics``), never the path
as sent nor its query string: a search for a name, an email or a feed token never reaches a log file.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import MutableMapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

access_log = logging.getLogger("keepwarm.access")
router = APIRouter(include_in_schema=False)


@router.get("/healthz")
def healthz(request: Request) -> JSONResponse:
    """200 when the database answers, 503 when it does not (no login: it tells nothing private)."""
    from sqlalchemy import text

    from keepwarm.web.context import web_of

    try:
        with web_of(request).db.session(write=False) as session:
            session.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to reach the database means "not healthy", never a 500
        logging.getLogger("keepwarm.web").warning("health check failed: %s", type(exc).__name__)
        return JSONResponse({"status": "unavailable"}, status_code=503, headers={"Retry-After": "5"})
    return JSONResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})


class AccessLog:
    """One JSON line per request at INFO on ``keepwarm.access``: method, route, status, milliseconds."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not access_log.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = [500]

        async def noting(message: Any) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting)
        finally:
            access_log.info(json.dumps({"method": scope["method"], "route": route_of(scope),
                                        "status": status[0],
                                        "ms": round((time.perf_counter() - start) * 1000, 1)}))


def route_of(scope: MutableMapping[str, Any]) -> str:
    """The matched route's template, or a fixed word for anything unmatched (a 404 path may be a name)."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return path
    return "/static/…" if scope.get("path", "").startswith("/static/") else "(unmatched)"


class Admission:
    """At most ``slots`` requests in progress in this process at once; the rest wait at the door in
    arrival order, and none is turned away.

    A request crosses the thread pool more than once (who is asking, then the page or the write). Without
    the door each crossing queued behind every request that had arrived meanwhile, so under load a page
    that needed two crossings waited about twice as long as one that needed one: with 32 clients, a Today
    page whose agenda had to be rebuilt took 2.3 times the median. An admitted request now finishes
    before new ones start. A slot is held while the request's body is read and its answer is sent;
    behind the documented reverse proxy, the proxy buffers both.
    """

    def __init__(self, app: Any, slots: int) -> None:
        import threading
        import weakref

        self.app, self.slots = app, slots
        # one door per event loop: a server process has one; a test client may run each request on a
        # loop of its own, in threads of its own, and an asyncio semaphore belongs to one loop
        self._gates: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        import asyncio

        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        with self._lock:
            gate = self._gates.get(loop)
            if gate is None:
                gate = self._gates[loop] = asyncio.Semaphore(self.slots)
        async with gate:
            await self.app(scope, receive, send)
