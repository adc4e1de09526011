"""Live sources: IMAP mail headers and CalDAV meetings in, CardDAV address books both ways.

``run`` syncs each named source (all by default) in its own transaction: one that fails stores nothing and
keeps its state, the others go on. The network code lives in ``imap``, ``caldav``, ``carddav`` (over
``dav``); what reaches the store goes through ``sink`` (touches, by the capture rules) and ``carddav``
(people).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from keepwarm.errors import KeepwarmError


class _DryRun(Exception):
    """Raised inside a dry run's transaction to roll it back with the report in hand."""

    def __init__(self, result: dict[str, Any]) -> None:
        super().__init__("dry run")
        self.result = result


def sync_one(store: Any, name: str, config_dir: Path, *, dry_run: bool = False) -> dict[str, Any]:
    """Sync one source inside the caller's transaction; what it did, for people and for JSON."""
    from contextlib import ExitStack
    from dataclasses import asdict

    from keepwarm.sync import registry
    from keepwarm.sync.sink import sink

    row = registry.rows(store.session, store.owner_id, [name])[0]
    src = registry.load(row, config_dir)
    out: dict[str, Any] = {"name": src.name, "kind": src.kind}
    if src.kind == "carddav":
        from keepwarm.sync.carddav import sync_carddav

        out.update(asdict(sync_carddav(store, src, dry_run=dry_run)))
        return out
    me = [src.config["user"]] if "@" in src.config.get("user", "") else []
    with ExitStack() as connection:
        if src.kind == "imap":
            from keepwarm.sync.imap import read_imap

            records, state = read_imap(src, connection)  # logged out once the records are stored
        else:
            from keepwarm.sync.caldav import read_caldav

            records, state = read_caldav(src, store.today)
        out.update(asdict(sink(store, records, me)))
    if not dry_run:
        row.state, row.last_sync_at = state, datetime.now()
    return out


def run(db: Any, today: date, user_email: str | None, config_dir: Path, names: list[str] | None = None,
        *, dry_run: bool = False) -> list[dict[str, Any]]:
    """Sync the named sources (all when none is named), each in its own transaction. A source that fails
    gets ``error`` (one line) in its result and stores nothing; the others are synced all the same."""
    from keepwarm.store import open_store
    from keepwarm.sync import registry

    with open_store(db, today, user_email) as store:
        wanted = [r.name for r in registry.rows(store.session, store.owner_id, names)]
    results = []
    for name in wanted:
        try:
            with open_store(db, today, user_email) as store:
                result = sync_one(store, name, config_dir, dry_run=dry_run)
                if dry_run:
                    raise _DryRun(result)
        except _DryRun as done:
            result = {**done.result, "dry_run": True}
        except KeepwarmError as exc:
            result = {"name": name, "error": exc.message, "hint": exc.hint, "exit_code": exc.exit_code}
        results.append(result)
    return results
