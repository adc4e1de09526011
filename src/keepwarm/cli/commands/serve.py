"""keepwarm serve: the web app on this machine."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from keepwarm.cli.env import Env
from keepwarm.cli.options import pass_env
from keepwarm.config import LOOPBACK

DEMO_EMAIL = "demo@localhost"


def prepare_demo(env: Env) -> tuple[str, str]:
    """Load the demo network into an empty database and make sure a demo login exists.

    The passwordless local owner (the CLI's) becomes the demo account; an account that already has a
    password is left alone and a separate demo account is used. A fresh password is set on every start.
    """
    import secrets

    from sqlalchemy import select

    from keepwarm.store import Store
    from keepwarm.store.accounts import by_email, hash_password
    from keepwarm.store.demo import is_empty, load
    from keepwarm.store.models import User
    from keepwarm.store.owners import create_owner

    password = secrets.token_urlsafe(9)
    with env.db.session() as session:
        first = session.scalar(select(User).order_by(User.id).limit(1))
        if first is not None and first.password_hash is None and by_email(session, DEMO_EMAIL) is None:
            first.email = DEMO_EMAIL
        account = by_email(session, DEMO_EMAIL) or create_owner(session, DEMO_EMAIL)
        account.password_hash = hash_password(password)
        store = Store(session, account.id, env.settings.today)
        if is_empty(store):
            load(store)
        return account.email, password


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port.")
@click.option("--demo", is_flag=True, help="Load the demo network if empty and print a demo login.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes; sessions, login limits and changes are shared through the database.")
@click.option("--access-log/--no-access-log", default=True, show_default=True,
              help="Log one line per request (method, route, status, time; no query strings) to stderr.")
@pass_env
def serve(env: Env, host: str, port: int, demo: bool, workers: int, access_log: bool) -> None:
    """Run the web app (loopback only unless you choose another --host)."""
    import uvicorn

    from keepwarm.web import create_app

    env.db  # noqa: B018 - migrate once, under a lock, before any worker serves a request
    if host not in LOOPBACK:
        env.print(f"[yellow]warning:[/] listening on {host}: others on the network can reach this server; "
                  "put it behind a TLS reverse proxy (see docs/web.md)")
    pinned = bool(click.get_current_context().find_root().params.get("today")
                  or os.environ.get("KEEPWARM_TODAY"))
    app = create_app(env.settings, pin_today=pinned, settle=True)
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    if demo:
        email, password = prepare_demo(env)
        env.print(f"keepwarm is running at [bold]{url}[/]\n  log in as [bold]{email}[/] "
                  f"with password [bold]{password}[/]")
    elif has_login(env):
        env.print(f"keepwarm is running at [bold]{url}[/]")
    else:
        env.print(f"keepwarm is running at [bold]{url}[/] (create a login with: keepwarm user add EMAIL)")
    env.db.dispose()  # workers open their own connections; none is carried across the fork
    options: dict[str, Any] = {"host": host, "port": port, "log_level": "warning", "proxy_headers": True,
                               "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
                               "access_log": False, "log_config": log_config(access_log)}
    if workers == 1:
        uvicorn.run(app, **options)
        return
    # worker processes build their own app from the environment: hand them this command's settings
    os.environ["KEEPWARM_DB"] = env.settings.database_url
    if pinned:
        os.environ["KEEPWARM_TODAY"] = env.settings.today.isoformat()
    with shared_cache_folder():
        _run_workers(workers, options)


@contextmanager
def shared_cache_folder() -> Iterator[None]:
    """A private folder for the workers' shared cache (see :mod:`keepwarm.web.sharedcache`), named to
    them by the environment and removed when they stop; one named by KEEPWARM_WEB_SHARED_CACHE is used
    as it is, and kept (``off``: none). Made in memory (``/dev/shm``) where the machine has it: on a
    disk's file system, each entry replaced would start writing to the disk."""
    import shutil
    import tempfile

    from keepwarm.web.sharedcache import ENV

    if os.environ.get(ENV):
        yield
        return
    memory = Path("/dev/shm")
    in_memory = memory.is_dir() and os.access(memory, os.W_OK | os.X_OK) and not os.environ.get("TMPDIR")
    folder = tempfile.mkdtemp(prefix="keepwarm-web-", dir=memory if in_memory else None)  # owner-only
    os.environ[ENV] = folder
    try:
        yield
    finally:
        del os.environ[ENV]
        shutil.rmtree(folder, ignore_errors=True)


def has_login(env: Env) -> bool:
    """Whether any account can log in already (then there is no need to tell how to make one)."""
    from sqlalchemy import func, select

    from keepwarm.store.models import User

    with env.db.session(write=False) as session:
        return bool(session.scalar(select(func.count()).select_from(User)
                                   .where(User.password_hash.is_not(None))))


def log_config(access: bool) -> dict[str, Any]:
    """uvicorn's logging with keepwarm's loggers added: each worker process applies it on start."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = {**LOGGING_CONFIG, "loggers": dict(LOGGING_CONFIG["loggers"])}
    config["handlers"] = {**LOGGING_CONFIG["handlers"],
                          "keepwarm": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                                       "formatter": "keepwarm"}}
    config["formatters"] = {**LOGGING_CONFIG["formatters"],
                            "keepwarm": {"format": "%(asctime)s %(name)s %(levelname)s %(message)s"}}
    config["loggers"]["keepwarm"] = {"handlers": ["keepwarm"], "level": "WARNING", "propagate": False}
    level = "INFO" if access else "WARNING"
    config["loggers"]["keepwarm.access"] = {"handlers": ["keepwarm"], "level": level, "propagate": False}
    return config


def _run_workers(workers: int, options: dict) -> None:
    """uvicorn's worker supervisor on a listening socket made here.

    uvicorn's own socket for workers is made without IPPROTO_TCP, so asyncio never sets TCP_NODELAY on
    its connections, and every keep-alive response then waits ~40 ms for a delayed ACK (Nagle).
    """
    import socket

    from uvicorn import Config
    from uvicorn.supervisors import Multiprocess

    config = Config("keepwarm.web.app:create_app_from_env", factory=True, workers=workers, **options)
    host = str(options["host"])
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, int(options["port"])))
    sock.set_inheritable(True)
    Multiprocess(config, sockets=[sock]).run()


COMMANDS = [serve]
