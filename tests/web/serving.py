"""Real ``keepwarm serve`` processes for tests: start one on a free port, wait until it is healthy, and
make an account with a password and an API token through the CLI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

RUN = [sys.executable, "-m", "keepwarm.cli.app"]
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def env_for(url: str, tmp_path) -> dict[str, str]:
    return {**os.environ, "KEEPWARM_DB": url, "KEEPWARM_TODAY": "2026-11-25",
            "KEEPWARM_CONFIG_DIR": str(tmp_path), "KEEPWARM_SECRET_KEY": "concurrency-test"}


@contextmanager
def served(env: dict[str, str], workers: int = 1) -> Iterator[str]:
    """``keepwarm serve`` in its own process until the block ends; yields the base URL."""
    port = _free_port()
    server = subprocess.Popen([*RUN, "serve", "--port", str(port), "--workers", str(workers),
                               "--no-access-log"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, server.stderr.read() if server.stderr else "server exited"
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        _, err = server.communicate(timeout=20)
        assert "Traceback" not in err, err


def setup_account(env: dict[str, str]) -> str:
    """An account with a password and an API token; returns the token."""
    subprocess.run([*RUN, "user", "add", "a@example.com", "--password-stdin"], env=env, check=True,
                   input="password-of-a\n", text=True, capture_output=True, timeout=120)
    code = ("import sys; from keepwarm.store import Database; from keepwarm.store.accounts import "
            "by_email, create_api_token\ndb = Database(sys.argv[1])\nwith db.session() as s:\n"
            "    print(create_api_token(s, by_email(s, 'a@example.com').id, 'load')[1])")
    out = subprocess.run([sys.executable, "-c", code, env["KEEPWARM_DB"]], env=env, check=True,
                         capture_output=True, text=True, timeout=120)
    return out.stdout.strip()


