"""The one error handler: every failure becomes JSON under /api, an error partial for htmx, a page otherwise.

No traceback reaches a user: unexpected exceptions are logged and answered with a plain 500.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from keepwarm.errors import (
    AmbiguousError,
    BusyError,
    ConflictError,
    DeliveryError,
    InvalidInputError,
    KeepwarmError,
    NotFoundError,
    TooManyTriesError,
)
from keepwarm.web.context import web_of
from keepwarm.web.csrf import CsrfError
from keepwarm.web.ops import route_of
from keepwarm.web.security import LoginRequired

log = logging.getLogger("keepwarm.web")


def _busy(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "database is locked" in text or "database is busy" in text or "busy" in text

_STATUS: list[tuple[type[KeepwarmError], int]] = [
    (NotFoundError, 404), (InvalidInputError, 422), (AmbiguousError, 409), (ConflictError, 409),
    (DeliveryError, 502), (TooManyTriesError, 429), (BusyError, 503),
]
_TITLES = {400: "Bad request", 401: "Please log in", 403: "Not allowed", 404: "Not found",
           405: "Method not allowed", 409: "Conflict", 413: "Too large", 422: "Invalid input",
           429: "Too many tries", 500: "Something went wrong", 502: "Delivery failed",
           503: "Busy, try again"}


def status_of(exc: KeepwarmError) -> int:
    """The HTTP status for a domain error."""
    return next((code for cls, code in _STATUS if isinstance(exc, cls)), 400)


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def respond(request: Request, status: int, kind: str, message: str, hint: str | None = None,
            details: list[Any] | None = None, headers: dict[str, str] | None = None) -> Response:
    """An error answer in the shape the caller understands."""
    if is_api(request):
        body: dict[str, Any] = {"error": kind, "message": message, "hint": hint}
        if details is not None:
            body["details"] = details
        return JSONResponse(body, status_code=status, headers=headers)
    ctx = {"status": status, "title": _TITLES.get(status, "Error"), "message": message, "hint": hint,
           "details": details or []}
    web = web_of(request)
    if is_htmx(request):
        # shown in the page's flash area instead of replacing the element that asked
        resp = web.render(request, "partials/error.html", ctx, status_code=status)
        resp.headers.update({"HX-Retarget": "#flash", "HX-Reswap": "innerHTML", **(headers or {})})
        return resp  # type: ignore[no-any-return]
    resp = web.render(request, "error.html", ctx, status_code=status)
    resp.headers.update(headers or {})
    return resp  # type: ignore[no-any-return]


def allowed_methods(request: Request) -> list[str]:
    """Every method some route answers on this path: FastAPI has a route per method, and the 405 of
    the first one that matched the path names only its own."""
    from starlette.routing import Match

    scope = {**request.scope, "method": "GET"}
    methods: set[str] = set()

    def walk(routes: Any) -> None:
        for route in routes:
            if hasattr(route, "original_router"):  # an included router keeps its own routes
                walk(route.original_router.routes)
            elif getattr(route, "methods", None) and route.matches(scope)[0] != Match.NONE:
                methods.update(route.methods)

    walk(request.app.router.routes)
    return sorted(methods)


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    @app.exception_handler(KeepwarmError)
    async def domain_error(request: Request, exc: KeepwarmError) -> Response:
        details = getattr(exc, "candidates", None)
        wait = getattr(exc, "retry_after", None)
        return respond(request, status_of(exc), type(exc).__name__, exc.message, exc.hint, details,
                       headers={"Retry-After": str(wait)} if wait else None)

    @app.exception_handler(OperationalError)
    @app.exception_handler(SQLAlchemyTimeout)
    async def database_busy(request: Request, exc: Exception) -> Response:
        # a database that stays locked (SQLite) or out of connections: wait and retry, not a 500; a
        # handler of its own, so the answer is sent normally and the keep-alive connection stays open
        if isinstance(exc, OperationalError) and not _busy(exc):
            log.error("database unavailable on %s %s: %s", request.method, route_of(request.scope),
                      str(exc.orig).splitlines()[0] if exc.orig else type(exc).__name__)
        else:
            log.warning("database busy on %s %s", request.method, route_of(request.scope))
        return respond(request, 503, "BusyError", "the database is busy; try again in a moment",
                       headers={"Retry-After": str(BusyError.retry_after)})

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if is_api(request):
            return respond(request, 401, "Unauthorized", "log in or send a bearer token",
                           headers={"WWW-Authenticate": "Bearer"})
        target = "/login?next=" + quote(request.url.path, safe="/")
        if is_htmx(request):
            return Response(status_code=401, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(CsrfError)
    async def csrf_error(request: Request, exc: CsrfError) -> Response:
        return respond(request, 403, "CsrfError", "the form has expired or did not come from this site; "
                       "reload the page and try again")

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        details = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
                   for e in exc.errors()]
        loc: list[str] = list(details[0]["loc"]) if details else []
        msg = str(details[0]["msg"]) if details else "invalid request"
        where = ".".join(loc[1:] or loc)
        return respond(request, 422, "InvalidInputError", f"{where}: {msg}" if where else msg,
                       details=details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else _TITLES.get(exc.status_code, "error")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request))
        return respond(request, exc.status_code, _TITLES.get(exc.status_code, "Error").replace(" ", ""),
                       message, headers=headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, route_of(request.scope))
        return respond(request, 500, "InternalError", "an unexpected error happened; it was logged")
