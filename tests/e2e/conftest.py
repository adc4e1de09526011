"""A real keepwarm server (the `keepwarm serve` command in a subprocess on a free loopback port)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
EMAIL, PASSWORD = "e2e@example.com", "e2e-password-1"
# where scripts/install-browser.sh puts the pinned axe-core (KEEPWARM_AXE_DIR overrides both)
AXE_DIR = Path(os.environ.get("KEEPWARM_AXE_DIR") or ROOT / ".venv" / "axe")


@pytest.fixture
def need(request: pytest.FixtureRequest) -> Callable[[bool, str], None]:
    """The suite's need(cond, reason) helper from tests/conftest.py (skip, or fail in CI)."""
    root = Path(__file__).resolve().parents[1] / "conftest.py"
    return request.config.pluginmanager.get_plugin(str(root)).need  # type: ignore[no-any-return]


@pytest.fixture
def axe_js(need: Callable[[bool, str], None]) -> Path:
    """axe-core's script, installed outside the source tree by scripts/install-browser.sh."""
    path = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    need(path.exists(), f"axe-core is not installed at {path} (run scripts/install-browser.sh)")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _keepwarm(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    subprocess.run([sys.executable, "-m", "keepwarm.cli.app", *args], env=env, input=stdin, text=True,
                   check=True, capture_output=True, timeout=60)


@dataclass
class Server:
    url: str
    email: str = EMAIL
    password: str = PASSWORD

    def shot(self, page: Any, name: str) -> None:
        """Keep a screenshot in test-artifacts/ and check the page never scrolls sideways on a phone."""
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"web-{name}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name


@pytest.fixture
def server(sqlite_url: str, tmp_path: Path) -> Iterator[Server]:
    """A running server with the demo network and a login."""
    env = {**os.environ, "KEEPWARM_DB": sqlite_url, "KEEPWARM_TODAY": "2026-11-25",
           "KEEPWARM_CONFIG_DIR": str(tmp_path / "config"), "KEEPWARM_SECRET_KEY": "e2e-secret"}
    _keepwarm(env, "demo")
    _keepwarm(env, "user", "add", EMAIL, "--password-stdin", stdin=PASSWORD + "\n")
    port = _free_port()
    log = open(tmp_path / "server.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, "-m", "keepwarm.cli.app", "serve", "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError((tmp_path / "server.log").read_text()) from None
                time.sleep(0.1)
        yield Server(url)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


@pytest.fixture
def page(need: Callable[[bool, str], None]) -> Iterator[object]:
    """A page of real headless Chromium at phone width."""
    need(os.path.exists("/usr/bin/chromium"), "Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
        yield context.new_page()
        context.close()
        browser.close()
