"""Running keepwarm as a service: keepwarm migrate, backup and restore."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from keepwarm.cli.env import Env
from keepwarm.cli.options import pass_env


@click.command()
@pass_env
def migrate(env: Env) -> None:
    """Bring the database schema up to date (run it before starting several servers)."""
    from keepwarm.store.db import HEAD, make_engine, migrate

    engine = make_engine(env.settings.database_url)
    try:
        changed = migrate(engine)  # under a lock: servers starting meanwhile wait, then find it done
    finally:
        engine.dispose()
    env.say(f"Migrated the database to {HEAD}." if changed else f"The database schema is at {HEAD}.")


@click.command()
@click.option("--to", "target", type=click.Path(dir_okay=False, path_type=Path),
              help="The backup file to write (default: backups/keepwarm-DATE-TIME.sqlite3 beside the "
                   "database).")
@pass_env
def backup(env: Env, target: Path | None) -> None:
    """Copy the SQLite database to a backup file, safely while the server runs."""
    from keepwarm.store import snapshots

    url = env.settings.database_url
    target = target or snapshots.default_target(url, datetime.now())  # PostgreSQL: how to use pg_dump
    env.db  # noqa: B018 - a database that is missing or behind is made and migrated first
    written = snapshots.backup(url, target)
    env.say(f"Backed up the database to {written}.")


@click.command()
@click.argument("snapshot", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the whole database without asking.")
@pass_env
def restore(env: Env, snapshot: Path, yes: bool) -> None:
    """Replace the whole SQLite database with a backup made by `keepwarm backup`."""
    from keepwarm.errors import ConflictError
    from keepwarm.store import snapshots

    snapshots.default_target(env.settings.database_url, datetime.now())  # PostgreSQL: pg_restore
    if not yes and not click.confirm("Replace every account and all data with the backup?", default=False):
        raise ConflictError("nothing restored", hint="pass --yes to restore without asking")
    snapshots.restore(env.settings.database_url, snapshot)
    env.db  # noqa: B018 - a backup from an older keepwarm is migrated now
    env.say(f"Restored the database from {snapshot}.")


COMMANDS = [migrate, backup, restore]
