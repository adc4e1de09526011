"""The web application factory: pages (Jinja2 + htmx), the JSON API, the calendar feed."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from keepwarm.config import Settings, count_env
from keepwarm.fetch import is_url
from keepwarm.store.websessions import Lifetime
from keepwarm.web.context import HERE, Account, Web, secret_key
from keepwarm.web.limits import Guard
from keepwarm.web.security import api_user

_CSP = (b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        b"frame-ancestors 'none'; form-action 'self'")
_HEADERS = [(b"content-security-policy", _CSP), (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin")]
_HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


class SecurityHeaders:
    """Adds the security headers to every response (plain ASGI: no per-request task like BaseHTTPMiddleware).

    No inline scripts and no third-party origins: a stored <script> could not run even if it were unescaped.
    With secure cookies on, the site is served over HTTPS only, so browsers are told to never try plain
    HTTP again (HSTS), which would expose the cookie's first request.
    """

    def __init__(self, app: Any, hsts: bool = False) -> None:
        self.app = app
        self.headers = [*_HEADERS, _HSTS] if hsts else _HEADERS

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], *self.headers]
            await send(message)

        await self.app(scope, receive, with_headers)


def _templates() -> Jinja2Templates:
    from keepwarm.web import charts

    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.autoescape = True  # every template, whatever its name: all user text is escaped
    env.auto_reload = False  # templates ship with the package: no stat of each file on every render
    env.globals.update(bar_chart=charts.bar_chart, line_chart=charts.line_chart,
                       column_chart=charts.column_chart)
    env.filters.update(_text_filters(), draft_query=draft_query)
    env.tests["web_address"] = is_url
    return templates


def draft_query(suggestion: Any) -> str:
    """The query string of a suggestion's draft (``/today/draft?…``): who, why, which action and the
    occasion's own record, as the draft route reads them."""
    from urllib.parse import quote

    extra = suggestion.extra
    q = (f"person_id={suggestion.person.id}&trigger={quote(suggestion.trigger, safe='/')}"
         f"&action={quote(suggestion.action, safe='/')}")
    for key in ("event_id", "resource_id", "plan_id", "mention_id"):
        if extra.get(key):
            q += f"&{key}={extra[key]}"
    return q


def _text_filters() -> dict[str, Any]:
    """Days, birthdays, rhythms and due days in words, as the CLI shows them (the same functions)."""
    from keepwarm.core.birthdays import Birthday
    from keepwarm.core.cadence import due_text
    from keepwarm.core.dates import format_day, format_days

    def as_date(value: Any) -> date:
        return value if isinstance(value, date) else date.fromisoformat(value)

    def day(value: Any, today: date | None = None, never: str = "never") -> str:
        return format_day(as_date(value), today) if value else never

    def due(p: dict[str, Any], today: date) -> str:
        return due_text(as_date(p["due_on"]), today, p["last_touch"] is None)

    def birthday(iso: str | None) -> str:
        return Birthday.parse(iso).spoken() if iso else ""

    return {"day": day, "rhythm": format_days, "birthday": birthday, "due": due}


def create_app(settings: Settings, *, pin_today: bool | None = None, secret: str | None = None,
               guard: Guard | None = None, life: Lifetime | None = None, https_only: bool | None = None,
               cache_ttl: float | None = None, settle: bool = False) -> FastAPI:
    """Build the app for ``settings``. ``pin_today`` keeps ``settings.today`` as the day (default: when
    KEEPWARM_TODAY is set or settings.today is not the real date); the session key comes from ``secret``,
    KEEPWARM_SECRET_KEY, or a key file generated in the data dir. ``cache_ttl`` bounds how long the Today
    agenda may miss changes made outside the web app (the web app's own changes show at once); default
    KEEPWARM_CACHE_TTL or 10 seconds, 0 turns the cache off. ``guard`` sets the password-check limits and
    ``life`` how long web sessions last. ``settle`` readies a server process before it serves (see
    :func:`settle_memory`)."""
    from keepwarm import __version__
    from keepwarm.web import api, errors, feed, news, ops, pages, sharedcache

    if pin_today is None:
        pin_today = bool(os.environ.get("KEEPWARM_TODAY")) or settings.today != date.today()
    if https_only is None:
        https_only = os.environ.get("KEEPWARM_SECURE_COOKIES") == "1"
    if cache_ttl is None:
        cache_ttl = _float_env("KEEPWARM_CACHE_TTL", 10.0)
    life = life or Lifetime()
    session_key = secret_key(settings, secret)
    shared = sharedcache.from_env(session_key, cache_ttl, sharedcache.scope_of(settings.database_url))
    web = Web(settings, pin_today=pin_today, templates=_templates(), guard=guard or Guard(), life=life,
              cache_ttl=cache_ttl, shared=shared)
    threads = web_threads()  # read here: a bad value is a one-line error before the server starts

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        if settle:
            settle_memory(web)
        yield
        web.close()

    app = FastAPI(title="keepwarm", version=__version__, docs_url=None, redoc_url=None, openapi_url=None,
                  description="Keep a professional network warm. Authenticate with a personal access "
                              "token (Settings → API tokens) as `Authorization: Bearer kw_…`.",
                  lifespan=lifespan)
    app.state.web = web
    app.add_middleware(SessionMiddleware, secret_key=session_key,
                       session_cookie="kw_session",
                       same_site="lax", https_only=https_only, max_age=int(life.absolute.total_seconds()))
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    errors.install(app)
    for router in (*pages.routers(), api.router, news.router, feed.router, ops.router):
        app.include_router(router)

    @app.get("/api/v1/openapi.json", include_in_schema=False)
    async def openapi(account: Account = Depends(api_user)) -> JSONResponse:
        # served behind login like every other API route (no docs page: it would load a CDN)
        return JSONResponse(app.openapi())

    app.add_middleware(SecurityHeaders, hsts=https_only)
    app.add_middleware(ops.Admission, slots=web_slots())
    app.add_middleware(ops.AccessLog)  # outermost: a request's time includes its wait at the door
    return app


def settle_memory(web: Web) -> None:
    """Ready a server process before its first request: load the modules and templates every request
    uses, then take all that is loaded out of the garbage collector's sight (``gc.freeze``) and let it
    run less often. Python's collector otherwise walks every object of the process, the libraries
    included, about every few seconds under load: a pause of about 100 ms, in which every request
    waits (it set the slowest twentieth of Today pages). What requests allocate is still collected."""
    import gc

    import keepwarm.store.agenda
    import keepwarm.store.store  # noqa: F401  (the repositories every request opens)

    env = web.templates.env
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, *gc.get_threshold()[1:])


def web_threads() -> int:
    """How many requests one server process works on at once: ``KEEPWARM_WEB_THREADS``, default 2; the
    rest wait their turn in order. Python runs one thread at a time, so more threads add no throughput,
    and each hand-over of the interpreter costs time: on SQLite one thread served 244 Today pages a
    second to 16 clients, eight threads 100; on PostgreSQL two server processes of two threads served
    328 requests a second where processes of four served 266. A second thread keeps one slow request (a
    large import, a write waiting for the CLI's lock) from holding up the pages."""
    return count_env("KEEPWARM_WEB_THREADS", 2)


def web_slots() -> int:
    """How many requests one server process has in progress at once: ``KEEPWARM_WEB_SLOTS``, default 4
    (see :class:`keepwarm.web.ops.Admission`). Enough to keep the threads busy while others are being
    read or answered; 2, 4 and 8 served the same on two cores, 16 a quarter less."""
    return count_env("KEEPWARM_WEB_SLOTS", 4)


def _float_env(name: str, default: float) -> float:
    from keepwarm.errors import ConfigError

    raw = os.environ.get(name)
    try:
        return float(raw) if raw else default
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, not {raw!r}") from None


def create_app_from_env() -> FastAPI:
    """The app with settings from the environment (KEEPWARM_DB, KEEPWARM_TODAY, …), for
    ``uvicorn --factory keepwarm.web.app:create_app_from_env`` and ``keepwarm serve --workers N``."""
    return create_app(Settings.from_env(), settle=True)
