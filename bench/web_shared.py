"""A shared server under load: PostgreSQL, several accounts, Today reads mixed with touch writes.

Fills a PostgreSQL database (given by --db, emptied first) with ``--accounts`` accounts of ``--people``
people each, then for each worker count starts `keepwarm serve --workers N` on a free loopback port and
runs ``--clients`` concurrent clients for ``--requests`` requests (and at most ``--seconds``): 80% GET Today
of one account's session, 20% POST /api/v1/touches for a person of that account (so Today's cache is always
cold). Prints requests/s, Today's p50/p95, errors, the CPU per request of the server's processes, of a local
PostgreSQL and of the load generator (with the throughput the machine's cores allow at that cost), the
machine's cores and load, and the throughput ratio of each worker count to one worker (same run).

    python bench/web_shared.py --db postgresql+psycopg://postgres@127.0.0.1:5432/kw_bench [--workers 1,2]
        [--reuse]  (the database as the last run left it: touches written then are still there)
        [--cache-off]  (each worker count again with the cache off: every Today page built and rendered)
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from web_network import PASSWORD, TODAY, generate  # noqa: E402

from web import _free_port, _pct  # noqa: E402  (the single-account benchmark's helpers)


def _tree_cpu(pid: int) -> float:
    """User + system CPU seconds of a process and all its descendants (from /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{p}/task").iterdir():
                kids = (task / "children").read_text().split()
                todo += [int(k) for k in kids]
        except (OSError, IndexError, ValueError):
            continue
    return total


def fill(url: str, accounts: int, people: int) -> list[str]:
    """A fresh database with the accounts; their emails."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    emails = [f"bench{n}@example.com" for n in range(accounts)]
    t0 = time.perf_counter()
    for n, email in enumerate(emails):
        generate(url, people, email=email, first_id=n * people, seed=n)
    print(f"generated {accounts} accounts x {people} people in {time.perf_counter() - t0:.1f} s")
    return emails


def tokens(url: str, emails: list[str]) -> dict[str, str]:
    from keepwarm.store import Database
    from keepwarm.store.accounts import by_email, create_api_token

    db = Database(url)
    with db.session() as s:
        out = {e: create_api_token(s, by_email(s, e).id, "bench")[1] for e in emails}
    db.dispose()
    return out


def people_of(url: str, emails: list[str]) -> dict[str, list[int]]:
    from sqlalchemy import select

    from keepwarm.store import Database
    from keepwarm.store.accounts import by_email
    from keepwarm.store.models import PersonRow

    db = Database(url)
    with db.session() as s:
        out = {e: list(s.scalars(select(PersonRow.id).where(PersonRow.owner_id == by_email(s, e).id)
                                 .limit(500))) for e in emails}
    db.dispose()
    return out


def login(base: str, email: str) -> httpx.Cookies:
    with httpx.Client(base_url=base, timeout=60) as c:
        token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)  # type: ignore[union-attr]
        r = c.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token, "next": "/"})
        assert r.status_code == 303, r.text[:300]
        return c.cookies


def run_load(base: str, emails: list[str], cookies: dict[str, httpx.Cookies], api: dict[str, str],
             people: dict[str, list[int]], clients: int, total: int, seconds: float) -> dict:
    """``total`` requests by ``clients`` threads: 80% Today, 20% touch writes. Each client keeps one
    ``http.client`` keep-alive connection (a light client: the load generator shares the machine)."""
    import http.client
    import json
    from urllib.parse import urlsplit

    host, port = urlsplit(base).hostname, urlsplit(base).port
    reads: list[float] = []
    writes: list[float] = []
    errors: list[int] = []
    counter = iter(range(total))
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(k: int) -> None:
        rng = random.Random(k)
        email = emails[k % len(emails)]
        cookie = "; ".join(f"{name}={value}" for name, value in cookies[email].items())
        conn = http.client.HTTPConnection(host, port, timeout=60)
        for _ in counter:
            if time.perf_counter() > deadline:
                break
            t0 = time.perf_counter()
            if rng.random() < 0.8:
                conn.request("GET", "/", headers={"Cookie": cookie})
                bucket = reads
            else:
                body = json.dumps({"people": [rng.choice(people[email])], "action": "like"})
                conn.request("POST", "/api/v1/touches", body=body,
                             headers={"Authorization": f"Bearer {api[email]}",
                                      "Content-Type": "application/json"})
                bucket = writes
            r = conn.getresponse()
            r.read()
            ms = (time.perf_counter() - t0) * 1000
            with lock:
                (bucket if r.status < 400 else errors).append(r.status if r.status >= 400 else ms)
        conn.close()

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    done = len(reads) + len(writes)
    return {"requests": done, "rps": done / wall, "p50": statistics.median(reads) if reads else 0.0,
            "p95": _pct(reads, 95), "p99": _pct(reads, 99), "write_p95": _pct(writes, 95),
            "errors": len(errors), "wall": wall}


def _postgres_cpu() -> float:
    """CPU seconds of this machine's PostgreSQL processes (0 when the server runs elsewhere)."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            if "(postgres)" in text:
                fields = text.rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            continue
    return total


def serve(url: str, workers: int, cache_ttl: str | None = None) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "KEEPWARM_DATABASE_URL": url, "KEEPWARM_TODAY": TODAY.isoformat(),
           "KEEPWARM_SECRET_KEY": "bench-secret", "KEEPWARM_DB": url}
    if cache_ttl is not None:
        env["KEEPWARM_CACHE_TTL"] = cache_ttl
    proc = subprocess.Popen([sys.executable, "-m", "keepwarm.cli.app", "serve", "--port", str(port),
                             "--workers", str(workers), "--no-access-log"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return proc, base
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the server with {workers} workers did not start")
        time.sleep(0.3)


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, 15)
    proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", required=True, help="a PostgreSQL URL (the database is emptied)")
    ap.add_argument("--accounts", type=int, default=20)
    ap.add_argument("--people", type=int, default=3000)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--seconds", type=float, default=90)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--cache-off", action="store_true",
                    help="also run each worker count with the Today cache off (KEEPWARM_CACHE_TTL=0)")
    ap.add_argument("--reuse", action="store_true",
                    help="use the database as a previous run filled it (same --accounts and --people)")
    args = ap.parse_args()
    if args.reuse:
        emails = [f"bench{n}@example.com" for n in range(args.accounts)]
    else:
        emails = fill(args.db, args.accounts, args.people)
    api, people = tokens(args.db, emails), people_of(args.db, emails)
    rows = []
    runs = [(int(w), None) for w in args.workers.split(",")]
    if args.cache_off:
        runs += [(w, "0") for w, _ in runs]
    for workers, ttl in runs:
        proc, base = serve(args.db, workers, cache_ttl=ttl)
        try:
            cookies = {e: login(base, e) for e in emails}
            run_load(base, emails, cookies, api, people, args.clients, min(200, args.requests), 20)  # warm-up
            cpu0, pg0, me0 = _tree_cpu(proc.pid), _postgres_cpu(), sum(os.times()[:2])
            r = run_load(base, emails, cookies, api, people, args.clients, args.requests, args.seconds)
            n = max(r["requests"], 1)
            r["cpu_ms"] = (_tree_cpu(proc.pid) - cpu0) * 1000 / n
            r["pg_ms"] = (_postgres_cpu() - pg0) * 1000 / n
            r["client_ms"] = (sum(os.times()[:2]) - me0) * 1000 / n
        finally:
            stop(proc)
        rows.append((f"{workers}{' (no cache)' if ttl else ''}", ttl, r))
    load1, load5, _ = os.getloadavg()
    print(f"\nmachine: {os.cpu_count()} cores, load {load1:.2f} (1 min) {load5:.2f} (5 min); "
          f"{args.accounts} accounts x {args.people} people on PostgreSQL, {args.clients} clients, "
          "80% Today / 20% touch writes")
    print("CPU per request: the server's processes, PostgreSQL's, and this load generator's; the ceiling is "
          "what the machine's cores allow at that total CPU per request")
    print(f"{'workers':>13} {'req/s':>8} {'Today p50':>10} {'Today p95':>10} {'Today p99':>10} "
          f"{'write p95':>10} {'server':>8} {'postgres':>9} "
          f"{'client':>7} {'ceiling':>8} {'errors':>7} {'x one':>6}")
    base_rps = {}  # the ratio is to one worker with the same cache setting
    for workers, ttl, r in rows:
        base_rps.setdefault(ttl, r["rps"])
        ceiling = (os.cpu_count() or 1) * 1000 / (r["cpu_ms"] + r["pg_ms"] + r["client_ms"])
        print(f"{workers:>13} {r['rps']:>8.1f} {r['p50']:>8.1f}ms {r['p95']:>8.1f}ms {r['p99']:>8.1f}ms "
              f"{r['write_p95']:>8.1f}ms {r['cpu_ms']:>6.1f}ms "
              f"{r['pg_ms']:>7.1f}ms {r['client_ms']:>5.1f}ms {ceiling:>6.0f}/s {r['errors']:>7} "
              f"{r['rps'] / base_rps[ttl]:>5.2f}x")


if __name__ == "__main__":
    main()
