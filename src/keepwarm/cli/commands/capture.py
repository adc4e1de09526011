"""Touches that log themselves: capture mail, calendar and LinkedIn files; review strangers; say who
you are."""

from __future__ import annotations

from typing import Any

import click

from keepwarm.cli.env import Env
from keepwarm.cli.options import json_option, pass_env

PREVIEW_ROWS = 25


class _DryRun(Exception):
    """Raised inside the transaction so that a dry run commits nothing at all: the store undoes the capture
    in a savepoint, and this keeps the transaction's end from counting it as a change of the data."""


class CaptureGroup(click.Group):
    """``capture FILE...`` reads files; ``capture review`` and ``capture add KEY`` are subcommands. A
    first argument that names no subcommand is a file, so the plain form needs no extra word."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["files", *args]
        return super().parse_args(ctx, args)


@click.group(cls=CaptureGroup, subcommand_metavar="FILE... [--dry-run] [--json] | COMMAND [ARGS]...")
def capture() -> None:
    """Log touches from mail, calendar and LinkedIn files: `keepwarm capture FILE...`.

    FILE is an mbox (Google Takeout, Thunderbird, mutt), an .eml file or a folder of them, an .ics
    calendar export, or LinkedIn's data archive (the .zip or its folder). Only headers are read; bodies
    never enter keepwarm. Capturing the same data again logs nothing new. Rules: docs/capture.md.

    --dry-run shows what would be logged and writes nothing; --json prints the report as JSON. First
    say who you are: `keepwarm me add ADDRESS`.
    """


@capture.command(name="files", hidden=True)
@click.argument("paths", nargs=-1, required=True, metavar="FILE...")
@click.option("--dry-run", is_flag=True, help="Show what would be logged; write nothing.")
@json_option
@pass_env
def capture_files(env: Env, paths: tuple[str, ...], dry_run: bool, as_json: bool) -> None:
    """Capture touches from FILE... (see `keepwarm capture --help`)."""
    from keepwarm.store.capture import capture_files as run

    report: dict[str, Any] = {}
    try:
        with env.store() as store:
            report = run(store, paths, dry_run=dry_run)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    if as_json:
        env.print_json(report)
    else:
        _print(env, report)


def _print(env: Env, r: dict[str, Any]) -> None:
    from keepwarm.cli.views import capped_table

    head = "Dry run, nothing written: would have logged" if r["dry_run"] else "Logged"
    env.say(f"{head} {len(r['logged'])} touches; {r['already_captured']} already captured, "
            f"{r['same_day']} on a day already touched, {len(r['unmatched'])} people not in your network, "
            f"{len(r['skipped'])} skipped.")
    if "connections" in r:
        c = r["connections"]
        env.say(f"Connections: {c['created']} created, {c['merged']} merged, {c['unchanged']} unchanged.")
    capped_table(env, "Logged" if not r["dry_run"] else "Would log", ("date", "action", "with", "by", "from"),
                 [(t["on"], t["action"], ", ".join(t["people"]), t["initiated_by"], t["where"])
                  for t in r["logged"]], PREVIEW_ROWS)
    capped_table(env, "Not in your network", ("key", "name", "exchanges"),
                 [(u["key"], u["name"] or "", str(u["count"])) for u in r["unmatched"]], PREVIEW_ROWS)
    capped_table(env, "Skipped", ("where", "reason"), [(s["where"], s["reason"]) for s in r["skipped"]],
                 PREVIEW_ROWS)
    if r["unmatched"] and not r["dry_run"]:
        env.say("Add the people you know with `keepwarm capture review`, then capture again.")


@capture.command()
@click.option("--limit", type=click.IntRange(1, 500), default=50, show_default=True)
@json_option
@pass_env
def review(env: Env, limit: int, as_json: bool) -> None:
    """People outside your network you exchanged mail or meetings with, both ways, most first."""
    from keepwarm.cli.views import capped_table
    from keepwarm.store.correspondents import review as listing

    with env.store() as store:
        rows = listing(store, limit)
    if as_json:
        env.print_json(rows)
        return
    if not rows:
        env.say("No one to review: everyone you exchanged with both ways is in your network.")
        return
    capped_table(env, "To review", ("key", "name", "sent", "received", "last"),
                 [(r["key"], r["name"] or "", str(r["sent"]), str(r["received"]), r["last_on"] or "")
                  for r in rows], limit)
    env.say("Add one with: keepwarm capture add KEY")


@capture.command(name="add")
@click.argument("key")
@pass_env
def add_(env: Env, key: str) -> None:
    """Add someone of `capture review` to your network by their KEY (address or LinkedIn profile)."""
    from keepwarm.store.correspondents import add_correspondent

    with env.store() as store:
        person = add_correspondent(store, key)
    env.say(f"Added {person.name} (#{person.id}). Capture your files again to log your past touches "
            "with them.")


@click.group(invoke_without_command=True)
@click.pass_context
def me(ctx: click.Context) -> None:
    """Your own addresses (emails, aliases, your LinkedIn profile): mail between them is not a touch."""
    if ctx.invoked_subcommand is None:
        env: Env = ctx.obj
        from keepwarm.store.correspondents import me_list

        with env.store() as store:
            rows = me_list(store)
        if not rows:
            env.say("No addresses of yours yet: keepwarm me add you@example.com")
        for r in rows:
            env.say(f"{r['kind']}: {r['address']}")


@me.command(name="add")
@click.argument("addresses", nargs=-1, required=True, metavar="ADDRESS...")
@pass_env
def me_add(env: Env, addresses: tuple[str, ...]) -> None:
    """Add your email addresses or LinkedIn profile URL."""
    from keepwarm.store.correspondents import me_add as add

    with env.store() as store:
        done = [add(store, a) for a in addresses]
    for kind, address, new in done:
        env.say(f"{'Added' if new else 'Already known'}: {kind} {address}")


@me.command(name="rm")
@click.argument("address")
@pass_env
def me_rm(env: Env, address: str) -> None:
    """Forget one of your addresses."""
    from keepwarm.store.correspondents import me_rm as rm

    with env.store() as store:
        gone = rm(store, address)
    env.say(f"Removed {gone}.")


COMMANDS = [capture, me]
