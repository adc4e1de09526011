"""`keepwarm worker`: on a shared server, each account's sources synced as periodic jobs (procrastinate).

A periodic job (``--cron``, every morning by default) defers one ``sync_account`` job per account that has
sources; jobs of one account never run twice at once (a queueing lock), a failed source is logged and the
others still sync (as `keepwarm sync` does). Procrastinate keeps its queue in the same PostgreSQL database,
in its own ``procrastinate_*`` tables, created on the worker's first start.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import make_url

from keepwarm.config import Settings
from keepwarm.errors import ConfigError

QUEUE = "keepwarm"
DEFAULT_CRON = "15 7 * * *"
log = logging.getLogger("keepwarm.worker")


def _conninfo(database_url: str) -> str:
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise ConfigError("the worker needs PostgreSQL (its job queue lives there)",
                          hint="on one machine, run `keepwarm sync` from cron or a systemd timer instead")
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def accounts(settings: Settings) -> list[str]:
    """The emails of the accounts that have at least one source."""
    from keepwarm.store import Database
    from keepwarm.store.models import User
    from keepwarm.store.models.capture import SourceRow

    db = Database(settings.database_url)
    try:
        with db.session(write=False) as s:
            return list(s.scalars(select(User.email).where(
                User.id.in_(select(SourceRow.owner_id))).order_by(User.email)))
    finally:
        db.dispose()


def sync_account_now(settings: Settings, user_email: str) -> list[dict[str, Any]]:
    """Every source of one account, as `keepwarm sync` would; failures are logged, not raised."""
    from keepwarm.store import Database
    from keepwarm.sync import run

    fresh = Settings.from_env(settings.database_url)  # today, as of this run
    db = Database(settings.database_url)
    try:
        results = run(db, fresh.today, user_email, settings.config_dir)
    finally:
        db.dispose()
    for r in results:
        if "error" in r:
            log.warning("%s: %s", user_email, r["error"])
        else:
            log.info("%s: %s synced", user_email, r["name"])
    return results


def make_app(settings: Settings, cron: str = DEFAULT_CRON) -> Any:
    """The procrastinate app with keepwarm's two tasks, on the settings' PostgreSQL database."""
    import procrastinate

    connector = procrastinate.PsycopgConnector(conninfo=_conninfo(settings.database_url))
    app = procrastinate.App(connector=connector)

    @app.task(name="keepwarm.sync_account", queue=QUEUE)
    def sync_account(user_email: str) -> None:
        sync_account_now(settings, user_email)

    @app.periodic(cron=cron, periodic_id="sync_all")
    @app.task(name="keepwarm.sync_all", queue=QUEUE, queueing_lock="keepwarm.sync_all")
    async def sync_all(timestamp: int) -> None:
        await defer_all(settings, sync_account)

    app.sync_account = sync_account  # type: ignore[attr-defined]
    return app


async def defer_all(settings: Settings, task: Any) -> int:
    """One sync job per account with sources (one waiting job per account at most)."""
    from procrastinate.exceptions import AlreadyEnqueued

    emails = await asyncio.to_thread(accounts, settings)
    for email in emails:
        try:
            await task.configure(queueing_lock=f"keepwarm.sync:{email}").defer_async(user_email=email)
        except AlreadyEnqueued:
            log.info("%s: a sync is already waiting", email)
    return len(emails)


async def _ensure_schema(app: Any) -> None:
    connector = app.connector
    found = await connector.execute_query_one_async("SELECT to_regclass('procrastinate_jobs') AS t")
    if found["t"] is None:
        await app.schema_manager.apply_schema_async()


def serve(settings: Settings, cron: str = DEFAULT_CRON, *, once: bool = False) -> int:
    """Run the worker until stopped; ``once``: sync every account now, wait for the jobs, return how many
    accounts were synced."""
    app = make_app(settings, cron)

    async def main() -> int:
        async with app.open_async():
            await _ensure_schema(app)
            n = 0
            if once:
                n = await defer_all(settings, app.sync_account)
            await app.run_worker_async(queues=[QUEUE], wait=not once, install_signal_handlers=not once)
            return n

    from procrastinate.exceptions import ConnectorException

    try:
        return asyncio.run(main())
    except ConnectorException as exc:  # the job queue's connection failed: one line, not a traceback
        cause = str(exc.__cause__ or exc).strip().splitlines()
        raise ConfigError(f"the worker lost its job queue on the database: {cause[0] if cause else exc!r}",
                          hint="check that PostgreSQL is running and KEEPWARM_DATABASE_URL") from None
