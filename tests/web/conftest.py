"""Fixtures for the web app: an app on the test database, accounts, logged-in clients with CSRF."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from keepwarm.config import Settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

TODAY = date(2026, 11, 25)  # the day tests/conftest.py pins for the CLI
PASSWORD = {"a@example.com": "password-of-a", "b@example.com": "password-of-b"}
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Client:
    """A TestClient that logs in through the form and sends the CSRF token like the pages do."""

    def __init__(self, app: Any) -> None:
        self.http = TestClient(app, follow_redirects=False)
        self.csrf = ""

    def refresh_csrf(self, path: str = "/login") -> str:
        r = self.http.get(path)
        m = _CSRF.search(r.text)
        self.csrf = m.group(1) if m else self.csrf
        return self.csrf

    def login(self, email: str, password: str | None = None) -> Any:
        token = self.refresh_csrf("/login")
        r = self.http.post("/login", data={"email": email, "password": password or PASSWORD[email],
                                            "csrf_token": token, "next": "/"})
        if r.status_code == 303:
            self.refresh_csrf("/settings")
        return r

    def get(self, path: str, **kw: Any) -> Any:
        return self.http.get(path, **kw)

    def form(self, path: str, data: dict[str, Any] | None = None, htmx: bool = False, **kw: Any) -> Any:
        headers = {"HX-Request": "true"} if htmx else {}
        return self.http.post(path, data={**(data or {}), "csrf_token": self.csrf}, headers=headers, **kw)

    def api(self, method: str, path: str, **kw: Any) -> Any:
        headers = {"X-CSRF-Token": self.csrf, **kw.pop("headers", {})}
        return self.http.request(method, path, headers=headers, **kw)


@dataclass
class WebEnv:
    app: Any
    settings: Settings
    make_store: Callable[..., Any]

    def client(self) -> Client:
        return Client(self.app)

    def user(self, email: str) -> int:
        """Create the account (with the password from PASSWORD) and return its id."""
        from keepwarm.store.accounts import add_user

        db = self.app.state.web.db
        with db.session() as session:
            account, _ = add_user(session, email, PASSWORD[email])
            return account.id

    def logged_in(self, email: str) -> Client:
        c = self.client()
        assert c.login(email).status_code == 303
        return c

    def store(self, email: str) -> Any:
        from keepwarm.store import open_store

        return open_store(self.app.state.web.db, TODAY, email)


@pytest.fixture
def web(db_url: str, tmp_path: Any, make_store: Callable[..., Any]) -> Iterator[WebEnv]:
    """The app on a fresh database (both backends), acting on the tests' fixed day."""
    from keepwarm.web import create_app

    settings = Settings(database_url=db_url, today=TODAY, config_dir=tmp_path / "config")
    app = create_app(settings, pin_today=True, secret="test-secret-key")
    yield WebEnv(app, settings, make_store)
    app.state.web.close()


@pytest.fixture
def alice(web: WebEnv) -> Client:
    """User A with the demo network, logged in."""
    from keepwarm.store.demo import load

    web.user("a@example.com")
    with web.store("a@example.com") as store:
        load(store)
    return web.logged_in("a@example.com")


@pytest.fixture
def bob(web: WebEnv) -> Client:
    """User B with an empty network, logged in."""
    web.user("b@example.com")
    return web.logged_in("b@example.com")


@pytest.fixture
def need(request: pytest.FixtureRequest) -> Callable[[bool, str], None]:
    """The suite's need(cond, reason) helper from tests/conftest.py (skip, or fail in CI)."""
    root = Path(__file__).resolve().parents[1] / "conftest.py"
    return request.config.pluginmanager.get_plugin(str(root)).need  # type: ignore[no-any-return]


@pytest.fixture
def client_for() -> Callable[[Any], Client]:
    """Make a Client for another app instance (a second server process on the same database)."""
    return Client
