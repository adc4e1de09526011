"""What every request needs: settings, the database, templates, the day, the password-check limits.

One ``Web`` object is built by ``create_app`` and kept on ``app.state.web``; nothing here runs at import.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from keepwarm.config import Settings, key_file, sqlite_file

if TYPE_CHECKING:
    from fastapi import Request
    from fastapi.templating import Jinja2Templates

    from keepwarm.store import Database, Store
    from keepwarm.store.websessions import Lifetime
    from keepwarm.web.limits import Guard
    from keepwarm.web.sharedcache import SharedCache

HERE = Path(__file__).parent


def secret_key(settings: Settings, given: str | None = None) -> str:
    """The key that signs session cookies: given, ``KEEPWARM_SECRET_KEY``, or a generated one kept in the
    data dir (the SQLite database's folder, else the user data dir) with owner-only permissions."""
    if given:
        return given
    if os.environ.get("KEEPWARM_SECRET_KEY"):
        return os.environ["KEEPWARM_SECRET_KEY"]
    db_file = sqlite_file(settings.database_url)
    if db_file is not None:
        folder = db_file.parent
    else:
        import platformdirs

        folder = Path(platformdirs.user_data_dir("keepwarm", appauthor=False))
    return key_file(folder / "web-secret.key", lambda: secrets.token_urlsafe(48).encode()).decode()


@dataclass
class Account:
    """The logged-in user of a request."""

    id: int
    email: str
    via_token: bool = False
    version: int = 0  # the account's data version when the request began
    writes: bool = False  # a state-changing request: its changes bump the data version
    session_hash: str | None = None  # the web session of a page login (None for a bearer token)


class Web:
    """Settings, database, templates, session lifetimes and password-check limits of one app."""

    def __init__(self, settings: Settings, *, pin_today: bool, templates: Jinja2Templates,
                 guard: Guard, life: Lifetime, database: Database | None = None,
                 cache_ttl: float = 10.0, shared: SharedCache | None = None) -> None:
        self.settings, self.pin_today, self.templates = settings, pin_today, templates
        self.guard, self.life = guard, life
        self._db = database
        self._db_lock = threading.Lock()
        self.cache_ttl, self.cache_size = cache_ttl, 512
        self._cache: OrderedDict[Any, tuple[float, Any]] = OrderedDict()
        self._cache_lock = threading.Lock()
        self.shared = shared  # the other server processes' entries (see keepwarm.web.sharedcache)

    @property
    def db(self) -> Database:
        """The database, opened (and migrated) on first use."""
        if self._db is None:
            with self._db_lock:
                if self._db is None:
                    from keepwarm.store import Database

                    self._db = Database(self.settings.database_url)
        return self._db

    def today(self) -> date:
        """The day the app acts on: pinned by ``--today``/KEEPWARM_TODAY, else the real date per request."""
        return self.settings.today if self.pin_today else date.today()

    @contextmanager
    def store(self, account: Account) -> Iterator[Store]:
        """One transaction on the account's network (every query scoped by its owner id); a writing
        request that changed anything also bumps the account's data version in the same transaction
        (as :func:`keepwarm.store.open_store` does), so a refused change keeps every cache."""
        from keepwarm.store import Store
        from keepwarm.store.accounts import bump_data_version
        from keepwarm.store.db import wrote

        with self.db.session(write=account.writes) as session:
            yield Store(session, account.id, self.today())
            if account.writes:
                session.flush()
                if wrote(session):
                    bump_data_version(session, account.id)

    def _full(self, account: Account, key: Any) -> Any:
        return account.id, account.version, self.today(), key

    def peek(self, account: Account, key: Any) -> Any:
        """The cached value for this account and key, or None (never builds): this process's, else one
        another server process built (see :mod:`keepwarm.web.sharedcache`). A hit counts as a use: the
        least recently used entry is the first to go."""
        full = self._full(account, key)
        with self._cache_lock:
            hit = self._cache.get(full)
            if hit is not None and time.monotonic() - hit[0] < self.cache_ttl:
                self._cache.move_to_end(full)
                return hit[1]
        if self.shared is None or self.cache_ttl <= 0:
            return None
        found = self.shared.get(full)
        if found is None:
            return None
        age, value = found
        self._remember(full, time.monotonic() - age, value)
        return value

    def cached(self, account: Account, key: Any, build: Callable[[], Any]) -> Any:
        """``build()``'s result for this account and key, reused while the account's data version and
        the day are unchanged (and for at most ``cache_ttl`` seconds, for changes made outside the web
        app, such as the CLI)."""
        value = self.peek(account, key)
        return self.build(account, key, build) if value is None else value

    def build(self, account: Account, key: Any, make: Callable[[], Any]) -> Any:
        """``make()``'s result, kept for this account and key (for a caller that has just peeked)."""
        started = time.monotonic()  # the value is as old as the data it read
        value = make()
        self._keep(self._full(account, key), started, value)
        return value

    def keep(self, account: Account, key: Any, value: Any) -> None:
        """Remember ``value`` for this account and key, as :meth:`cached` does with what it builds."""
        self._keep(self._full(account, key), time.monotonic(), value)

    def _keep(self, full: Any, now: float, value: Any) -> None:
        if self.cache_ttl <= 0:
            return
        self._remember(full, now, value)
        if self.shared is not None:
            self.shared.put(full, value, age=time.monotonic() - now)

    def _remember(self, full: Any, now: float, value: Any) -> None:
        with self._cache_lock:
            self._cache[full] = (now, value)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)

    def render(self, request: Request, name: str, context: dict[str, Any], status_code: int = 200):  # type: ignore[no-untyped-def]
        """A template response with the request's CSRF token and account in the context."""
        from keepwarm.web.csrf import csrf_token

        ctx = {"csrf": csrf_token(request), "account": getattr(request.state, "account", None),
               "today": self.today(), **context}
        return self.templates.TemplateResponse(request, name, ctx, status_code=status_code)

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()


def web_of(request: Request) -> Web:
    """The app's ``Web`` object."""
    return request.app.state.web  # type: ignore[no-any-return]
