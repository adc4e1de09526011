"""A shared server under load: PostgreSQL, several accounts, Today reads mixed with touch writes.

Fills a PostgreSQL database (given by --db, emptied first) with ``--accounts`` accounts of ``--people``
people each, then for each worker count starts `keepwarm serve --workers N` on a free loopback port, and
runs ``--clients`` concurrent clients for ``--seconds`` (40) per server: 80% GET Today
of one account's session, 20% POST /api/v1/touches for a person of that account (so Today's cache is always
cold). All servers run at once, idle but for their turn: each one's time is split into ``--rounds`` rounds
taken in turn with the others', so that a drift in this machine's speed meets every server alike. Only
requests that complete inside a round's window count.

Prints requests/s, Today's p50/p95/p99, write p95, errors, the CPU per request of the server's processes,
of a local PostgreSQL and of the load generator (with the throughput the machine's cores allow at that
cost), the machine's cores and load, and the throughput ratio of each worker count to one worker.

    python bench/web_shared.py --db postgresql+psycopg://postgres@127.0.0.1:5432/kw_bench [--workers 1,2]
        [--reuse]  (the database as the last run left it: touches written then are still there)
        [--cache-off]  (each worker count again with the cache off: every Today page built and rendered)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from web_network import TODAY, generate  # noqa: E402

from web import _free_port, _pct, login  # noqa: E402  (the single-account benchmark's helpers)


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


CLIENT_PROCESSES = 4


def run_load(base: str, emails: list[str], cookies: dict[str, httpx.Cookies], api: dict[str, str],
             people: dict[str, list[int]], clients: int, seconds: float, writes_share: float = 0.2) -> dict:
    """``clients`` concurrent clients for ``seconds``: Today reads and ``writes_share`` touch writes.

    Only what completes inside the window counts: every client is connected before it opens, and a
    request still under way when it closes is left out, so setting up and winding down weigh the same
    on a fast server as on a slow one (in rounds of a fixed number of requests they did not). The
    clients are spread over ``CLIENT_PROCESSES`` processes: one process of 32 clients was starved when the
    server's processes kept both cores busy (the scheduler shares the cores by thread), and then it sent
    too few requests to keep two server processes busy. ``client_s`` is the CPU the load took."""
    import multiprocessing

    cookie_values = {e: dict(c.items()) for e, c in cookies.items()}
    before = os.times()
    fork = multiprocessing.get_context("fork")
    queue, ready = fork.Queue(), fork.Barrier(CLIENT_PROCESSES)  # the window opens once all connected
    parts = [fork.Process(target=_part, args=(queue, ready, base, emails, cookie_values, api, people,
                                              [k for k in range(clients) if k % CLIENT_PROCESSES == n],
                                              seconds, writes_share)) for n in range(CLIENT_PROCESSES)]
    for part in parts:
        part.start()
    results = [queue.get(timeout=seconds + 120) for _ in parts]  # a part that died is an error here
    for part in parts:
        part.join()
    after = os.times()
    return {"reads": [ms for r in results for ms in r["reads"]],
            "writes": [ms for r in results for ms in r["writes"]],
            "errors": [e for r in results for e in r["errors"]],
            "wall": seconds, "client_s": sum(after[:4]) - sum(before[:4])}


def _part(queue: Any, ready: Any, base: str, emails: list[str], cookies: dict[str, dict[str, str]],
          api: dict[str, str], people: dict[str, list[int]], clients: list[int], seconds: float,
          writes_share: float) -> None:
    try:
        result = asyncio.run(_load(base, emails, cookies, api, people, clients, ready, seconds, writes_share))
    except Exception as exc:  # noqa: BLE001 - reported by the parent, which would wait forever otherwise
        result = {"reads": [], "writes": [], "errors": [f"client failed: {exc!r}"]}
    queue.put(result)


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    """Send one HTTP/1.1 request on a keep-alive connection and read the whole answer; its status."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    lower = head.lower()
    at = lower.find(b"\r\ncontent-length:")
    if at >= 0:
        await reader.readexactly(int(lower[at + 17:lower.index(b"\r\n", at + 2)]))
    elif b"transfer-encoding: chunked" in lower:
        while size := int((await reader.readuntil(b"\r\n")).strip(), 16):
            await reader.readexactly(size + 2)
        await reader.readuntil(b"\r\n")
    return status


async def _load(base: str, emails: list[str], cookies: dict[str, dict[str, str]], api: dict[str, str],
                people: dict[str, list[int]], clients: list[int], ready: Any, seconds: float,
                writes_share: float) -> dict:
    """Each client keeps one keep-alive connection and sends prebuilt HTTP/1.1 bytes: the load generator
    shares the machine's cores with the server and PostgreSQL, so it is kept as light as it can be (a
    thread per client with ``http.client`` cost about three times as much CPU per request)."""
    host, port = urlsplit(base).hostname or "127.0.0.1", urlsplit(base).port or 80
    reads: list[float] = []
    writes: list[float] = []
    errors: list[Any] = []
    connections = [await asyncio.open_connection(host, port) for _ in clients]
    await asyncio.to_thread(ready.wait, 60)  # every client process has connected
    deadline = time.perf_counter() + seconds

    async def client(k: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        rng = random.Random(k)
        email = emails[k % len(emails)]
        cookie = "; ".join(f"{name}={value}" for name, value in cookies[email].items())
        today = (f"GET / HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\n\r\n").encode()
        post = (f"POST /api/v1/touches HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {api[email]}\r\n"
                "Content-Type: application/json\r\nContent-Length: ")
        try:
            while (t0 := time.perf_counter()) < deadline:
                if rng.random() >= writes_share:
                    request, bucket = today, reads
                else:
                    body = json.dumps({"people": [rng.choice(people[email])], "action": "like"}).encode()
                    request, bucket = (post + f"{len(body)}\r\n\r\n").encode() + body, writes
                try:
                    status = await _exchange(reader, writer, request)
                except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
                    status = 0  # the connection broke (counted as an error): a new one for the next
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, port)
                done = time.perf_counter()
                if done > deadline:
                    break  # finished after the window closed: not counted
                if 0 < status < 400:
                    bucket.append((done - t0) * 1000)
                else:
                    errors.append(status)
        finally:
            writer.close()

    await asyncio.gather(*(client(k, r, w) for k, (r, w) in zip(clients, connections, strict=True)))
    return {"reads": reads, "writes": writes, "errors": errors}


def pooled(runs: list[dict]) -> dict:
    """The rounds of one server together: all their latencies, requests over their summed time, and the
    CPU each request cost."""
    reads = [ms for r in runs for ms in r["reads"]]
    writes = [ms for r in runs for ms in r["writes"]]
    done = max(len(reads) + len(writes), 1)
    return {"rps": done / sum(r["wall"] for r in runs),
            "p50": statistics.median(reads) if reads else 0.0,
            "p95": _pct(reads, 95) if reads else 0.0, "p99": _pct(reads, 99) if reads else 0.0,
            "write_p95": _pct(writes, 95) if writes else 0.0,
            "errors": sum(len(r["errors"]) for r in runs),
            **{f"{k}_ms": sum(r[f"{k}_s"] for r in runs) * 1000 / done for k in ("server", "pg", "client")}}


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


def serve(url: str, workers: int, settings: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "KEEPWARM_DATABASE_URL": url, "KEEPWARM_TODAY": TODAY.isoformat(),
           "KEEPWARM_SECRET_KEY": "bench-secret", "KEEPWARM_DB": url, **(settings or {})}
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
    ap.add_argument("--seconds", type=float, default=40, help="the time each server is measured")
    ap.add_argument("--rounds", type=int, default=4,
                    help="split each server's time into this many rounds, taken in turn with the others")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--writes", type=float, default=0.2, help="the share of touch writes (0.2: 20%%)")
    ap.add_argument("--cache-off", action="store_true",
                    help="also run each worker count with the Today cache off (KEEPWARM_CACHE_TTL=0)")
    ap.add_argument("--shared-off", action="store_true",
                    help="also run each worker count over one without the cache its processes share")
    ap.add_argument("--reuse", action="store_true",
                    help="use the database as a previous run filled it (same --accounts and --people)")
    args = ap.parse_args()
    if args.reuse:
        emails = [f"bench{n}@example.com" for n in range(args.accounts)]
    else:
        emails = fill(args.db, args.accounts, args.people)
    api, people = tokens(args.db, emails), people_of(args.db, emails)
    # (label, worker processes, server settings, the label of the run its ratio is to)
    counts = [int(w) for w in args.workers.split(",")]
    configs = [(str(w), w, {}, str(counts[0])) for w in counts]
    if args.cache_off:
        configs += [(f"{w} (no cache)", w, {"KEEPWARM_CACHE_TTL": "0"}, f"{counts[0]} (no cache)")
                    for w in counts]
    if args.shared_off:
        configs += [(f"{w} (not shared)", w, {"KEEPWARM_WEB_SHARED_CACHE": "off"}, str(counts[0]))
                    for w in counts if w > 1]
    # every server runs from the start and the rounds take turns, one server at a time: this machine's
    # speed drifts over minutes, and each server then meets the same drift
    servers = []
    try:
        for _label, workers, settings, _base in configs:
            proc, base = serve(args.db, workers, settings)
            servers.append((proc, base, {e: login(base, e) for e in emails}))
            run_load(base, emails, servers[-1][2], api, people, args.clients, 3, args.writes)  # warm-up
        results: dict[int, list[dict]] = {n: [] for n in range(len(servers))}
        for _ in range(args.rounds):
            for n, (proc, base, cookies) in enumerate(servers):
                cpu0, pg0 = _tree_cpu(proc.pid), _postgres_cpu()
                r = run_load(base, emails, cookies, api, people, args.clients, args.seconds / args.rounds,
                             args.writes)
                r["server_s"] = _tree_cpu(proc.pid) - cpu0
                r["pg_s"] = _postgres_cpu() - pg0
                results[n].append(r)
                done = len(r["reads"]) + len(r["writes"])
                print(f"round {len(results[n])}, {configs[n][0]} worker(s): "
                      f"{done / r['wall']:.0f} requests/s", file=sys.stderr)
    finally:
        for proc, *_ in servers:
            stop(proc)
    rows = [(label, to, pooled(results[n])) for n, (label, _w, _s, to) in enumerate(configs)]
    load1, load5, _ = os.getloadavg()
    print(f"\nmachine: {os.cpu_count()} cores, load {load1:.2f} (1 min) {load5:.2f} (5 min); "
          f"{args.accounts} accounts x {args.people} people on PostgreSQL, {args.clients} clients, "
          f"{1 - args.writes:.0%} Today / {args.writes:.0%} touch writes, {args.rounds} rounds taken in turn")
    print("CPU per request: the server's processes, PostgreSQL's, and this load generator's; the ceiling is "
          "what the machine's cores allow at that total CPU per request")
    print(f"{'workers':>16} {'req/s':>8} {'Today p50':>10} {'Today p95':>10} {'Today p99':>10} "
          f"{'write p95':>10} {'server':>8} {'postgres':>9} "
          f"{'client':>7} {'ceiling':>8} {'errors':>7} {'x one':>6}")
    rps = {label: r["rps"] for label, _to, r in rows}
    for workers, to, r in rows:
        ceiling = (os.cpu_count() or 1) * 1000 / (r["server_ms"] + r["pg_ms"] + r["client_ms"])
        print(f"{workers:>16} {r['rps']:>8.1f} {r['p50']:>8.1f}ms {r['p95']:>8.1f}ms {r['p99']:>8.1f}ms "
              f"{r['write_p95']:>8.1f}ms {r['server_ms']:>6.1f}ms "
              f"{r['pg_ms']:>7.1f}ms {r['client_ms']:>5.1f}ms {ceiling:>6.0f}/s {r['errors']:>7} "
              f"{r['rps'] / rps[to]:>5.2f}x")


if __name__ == "__main__":
    main()
