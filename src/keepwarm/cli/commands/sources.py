"""Live sources: keepwarm sources add / rm / conflicts, and keepwarm sync."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from keepwarm.cli.env import Env
from keepwarm.cli.options import json_option, pass_env
from keepwarm.config import LOOPBACK
from keepwarm.errors import InvalidInputError

PASSWORD_ENV = "KEEPWARM_SOURCE_PASSWORD"


def _password(from_stdin: bool) -> str:
    """From standard input (one line) or KEEPWARM_SOURCE_PASSWORD: never from the command line, where
    every other user of the machine could read it."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    raise InvalidInputError("no password given", hint=f"pass --password-stdin or set {PASSWORD_ENV}")


def _check_url(url: str) -> str:
    """An http(s) URL; plain http only to this machine, where no one can read the password on the way."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInputError(f"--url {url!r}: give an https:// address")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        raise InvalidInputError(f"--url {url!r}: http sends the password in clear; use https://")
    return url


def _add(env: Env, name: str, kind: str, config: dict[str, Any], password_stdin: bool) -> None:
    from keepwarm.sync.registry import add_source

    password = _password(password_stdin)
    with env.store() as store:
        add_source(store.session, store.owner_id, name, kind, config, password, env.settings.config_dir)
    env.say(f"Added {kind} source {name}; run `keepwarm sync {name}` to read it.")


password_option = click.option("--password-stdin", is_flag=True,
                               help=f"Read the password from standard input (else {PASSWORD_ENV}).")


@click.group(invoke_without_command=True)
@json_option
@click.pass_context
def sources(ctx: click.Context, as_json: bool) -> None:
    """List the live sources (IMAP, CalDAV, CardDAV) that `keepwarm sync` reads."""
    if ctx.invoked_subcommand:
        return
    env: Env = ctx.obj
    from keepwarm.sync.registry import describe, rows

    with env.store() as store:
        found = [describe(r) for r in rows(store.session, store.owner_id)]
    if as_json:
        env.print_json(found)
        return
    if not found:
        env.say("No sources yet; add one with `keepwarm sources add imap|caldav|carddav NAME`.")
    for s in found:
        where = s.get("url") or f"{s.get('host')}:{s.get('port') or 'default'}"
        last = s["last_sync_at"] or "never synced"
        env.say(f"{s['name']}  {s['kind']}  {s['user']} at {where}  {last}")


@sources.group("add")
def sources_add() -> None:
    """Add a source: imap, caldav or carddav."""


@sources_add.command("imap")
@click.argument("name")
@click.option("--host", required=True, help="The IMAP server.")
@click.option("--port", type=int, help="Its port (default 993 with TLS, 143 otherwise).")
@click.option("--user", required=True, help="The login name.")
@click.option("--tls", "security", flag_value="tls", default=True, help="TLS from the start (default).")
@click.option("--starttls", "security", flag_value="starttls",
              help="A plain connection upgraded with STARTTLS.")
@click.option("--plain", "security", flag_value="plain",
              help="No encryption: only for a server on this machine (localhost).")
@click.option("--folder", "folders", multiple=True,
              help="A folder to read (repeatable; default INBOX and the \\Sent folder).")
@password_option
@pass_env
def add_imap(env: Env, name: str, host: str, port: int | None, user: str, security: str,
             folders: tuple[str, ...], password_stdin: bool) -> None:
    """Read the headers of your mail (never the bodies) and log touches with the people in it."""
    if security == "plain" and host not in LOOPBACK:
        raise InvalidInputError(f"--plain sends the password in clear; refused for {host}",
                                hint="use --tls or --starttls")
    _add(env, name, "imap", {"host": host, "port": port, "user": user, "security": security,
                             "folders": list(folders)}, password_stdin)


@sources_add.command("caldav")
@click.argument("name")
@click.option("--url", required=True, help="The calendar's URL, or the URL of the folder of calendars.")
@click.option("--user", required=True, help="The login name.")
@password_option
@pass_env
def add_caldav(env: Env, name: str, url: str, user: str, password_stdin: bool) -> None:
    """Read meetings from CalDAV calendars and log touches with the people who came."""
    _add(env, name, "caldav", {"url": _check_url(url), "user": user}, password_stdin)


@sources_add.command("carddav")
@click.argument("name")
@click.option("--url", required=True, help="The address book's URL (or its parent's).")
@click.option("--user", required=True, help="The login name.")
@password_option
@pass_env
def add_carddav(env: Env, name: str, url: str, user: str, password_stdin: bool) -> None:
    """Keep a CardDAV address book and your network in step, both ways."""
    _add(env, name, "carddav", {"url": _check_url(url), "user": user}, password_stdin)


@sources.command("rm")
@click.argument("name")
@pass_env
def sources_rm(env: Env, name: str) -> None:
    """Forget a source and its sync state; the people and touches it brought stay."""
    from keepwarm.sync.registry import remove_source

    with env.store() as store:
        remove_source(store.session, store.owner_id, name)
    env.say(f"Removed source {name}.")


@sources.command("conflicts")
@json_option
@pass_env
def sources_conflicts(env: Env, as_json: bool) -> None:
    """Fields changed on both sides, and people whose card was deleted on the phone (unlinked)."""
    from keepwarm.sync.links import open_items

    with env.store() as store:
        items = open_items(store.session, store.owner_id)
    if as_json:
        env.print_json(items)
        return
    if not items:
        env.say("No conflicts and no unlinked cards.")
    for it in items:
        if it["kind"] == "conflict":
            env.say(f"{it['source']}: {it['person']}: {it['field']}: keepwarm has {it['keepwarm']!r}, "
                    f"the card has {it['card']!r}")
        else:
            env.say(f"{it['source']}: {it['person']}: the card was deleted on the server; the person "
                    f"and their history are kept, unlinked")


def source_line(r: dict[str, Any]) -> str:
    if "error" in r:
        return f"{r['name']}: error: {r['error']}"
    dry = " (dry run: nothing stored or sent)" if r.get("dry_run") else ""
    if r["kind"] == "carddav":
        return (f"{r['name']}: {r['pulled']} cards read, {len(r['created_people'])} people added, "
                f"{len(r['updated_people'])} updated, {len(r['sent'])} cards sent, {len(r['unlinked'])} "
                f"unlinked, {len(r['conflicts'])} conflicts{dry}")
    return (f"{r['name']}: {r['read']} read, {r['touches']} touches logged, {r['no_touch']} no touch by the "
            f"capture rules, {r['unmatched']} people not in your network{dry}")


@click.command("worker")
@click.option("--cron", default=None, metavar="CRON",
              help="When to sync every account's sources (a cron schedule, server time; default "
                   "'15 7 * * *').")
@click.option("--once", is_flag=True, help="Sync every account now, wait for the jobs, and stop.")
@pass_env
def worker(env: Env, cron: str | None, once: bool) -> None:
    """On a shared server (PostgreSQL): sync each account's sources as periodic jobs."""
    import logging

    from keepwarm.sync.worker import DEFAULT_CRON, serve

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    n = serve(env.settings, cron or DEFAULT_CRON, once=once)
    if once:
        env.say(f"Synced the sources of {n} account{'s' if n != 1 else ''}.")


COMMANDS = [sources, worker]
