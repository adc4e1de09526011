"""`keepwarm serve` as a real process: several workers share one database and see each other's changes."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_two_server_processes_show_a_touch_logged_through_either_one(sqlite_url, tmp_path):
    import httpx

    temp = tmp_path / "temp"  # where serve makes the folder its workers share their cache in
    temp.mkdir()
    env = {**os.environ, "KEEPWARM_DB": sqlite_url, "KEEPWARM_TODAY": "2026-11-25",
           "KEEPWARM_CONFIG_DIR": str(tmp_path), "KEEPWARM_SECRET_KEY": "serve-test", "TMPDIR": str(temp)}
    env.pop("KEEPWARM_WEB_SHARED_CACHE", None)
    run = [sys.executable, "-m", "keepwarm.cli.app"]
    subprocess.run([*run, "demo"], env=env, check=True, capture_output=True, timeout=60)
    subprocess.run([*run, "user", "add", "a@example.com", "--password-stdin"], env=env, check=True,
                   input="password-of-a\n", text=True, capture_output=True, timeout=60)
    port = _free_port()
    server = subprocess.Popen([*run, "serve", "--port", str(port), "--workers", "2"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(base + "/login", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and server.poll() is None, "the server did not start"
                time.sleep(0.2)
        # one connection per request: the kernel spreads them over both worker processes
        with httpx.Client(base_url=base, headers={"Connection": "close"}) as c:
            token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)
            r = c.post("/login", data={"email": "a@example.com", "password": "password-of-a",
                                       "csrf_token": token, "next": "/"})
            assert r.status_code == 303
            pages = [c.get("/").text for _ in range(6)]  # both processes cache today's agenda
            assert all("Jonas Weber" in p for p in pages)
            pid = re.search(r'<a class="who" id="s-\d+-who" href="/people/(\d+)">Jonas Weber</a>',
                            pages[0]).group(1)
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', pages[0]).group(1)
            r = c.post("/today/snooze", data={"person_id": pid, "duration": "1w", "csrf_token": csrf})
            assert r.status_code == 303
            assert not any("Jonas Weber" in c.get("/").text for _ in range(6))
            [shared] = temp.glob("keepwarm-web-*")
            assert shared.stat().st_mode & 0o777 == 0o700 and any(shared.iterdir())
    finally:
        server.terminate()
        server.wait(timeout=15)
    assert not any(temp.iterdir())  # the shared cache went with the workers


def test_serve_suggests_making_a_login_only_when_there_is_none(sqlite_url, tmp_path):
    env = {**os.environ, "KEEPWARM_DB": sqlite_url, "KEEPWARM_TODAY": "2026-11-25",
           "KEEPWARM_CONFIG_DIR": str(tmp_path), "KEEPWARM_SECRET_KEY": "serve-test"}
    run = [sys.executable, "-m", "keepwarm.cli.app"]

    def first_line() -> str:
        server = subprocess.Popen([*run, "serve", "--port", str(_free_port()), "--no-access-log"], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            return server.stdout.readline() if server.stdout else ""
        finally:
            server.terminate()
            server.wait(timeout=15)

    assert "create a login with: keepwarm user add" in first_line()
    subprocess.run([*run, "user", "add", "a@example.com", "--password-stdin"], env=env, check=True,
                   input="password-of-a\n", text=True, capture_output=True, timeout=60)
    line = first_line()
    assert "keepwarm is running at" in line and "create a login" not in line
