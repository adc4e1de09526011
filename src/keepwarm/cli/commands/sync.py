"""`keepwarm sync`: bring in what changed elsewhere: the live sources (mail and meetings in, address books
both ways) and the feeds you follow. Each source and each feed is its own step: one that fails is reported
and the others go on."""

from __future__ import annotations

from typing import Any

import click

from keepwarm.cli.env import Env
from keepwarm.cli.options import json_option, pass_env
from keepwarm.errors import KeepwarmError


@click.command()
@click.argument("names", nargs=-1)
@click.option("--dry-run", is_flag=True, help="Show what the sources would store and send; change nothing.")
@json_option
@pass_env
def sync(env: Env, names: tuple[str, ...], dry_run: bool, as_json: bool) -> None:
    """Sync the live sources (all, or those NAMEd) and, without NAMEs, poll the feeds you follow."""
    from keepwarm.cli.commands.sources import source_line
    from keepwarm.sync import run

    s = env.settings
    results: list[dict[str, Any]] = run(env.db, s.today, s.user_email, s.config_dir, list(names),
                                        dry_run=dry_run)
    feeds: list[dict[str, Any]] = []
    if not names and not dry_run:
        from keepwarm.news.feeds import poll_feeds

        with env.store() as store:
            feeds = [r.to_json() for r in poll_feeds(store)]
    if as_json:
        env.print_json(results + feeds)
    else:
        if not results and not feeds:
            env.say("Nothing to sync yet: add a source with `keepwarm sources add imap|caldav|carddav NAME`, "
                    "or follow a feed with `keepwarm feeds add URL`.")
        for r in results:
            if "error" not in r:
                env.say(source_line(r))
                for skipped in r.get("skipped", []):
                    env.say(f"  skipped {skipped}")
            if dry_run:
                for sent in r.get("sent", []):
                    env.say(f"  would {'create' if sent['new'] else 'update'} the card of {sent['person']}"
                            f" ({', '.join(sent['fields'])})")
        for f in feeds:
            _feed_line(env, f)
    failed = [r for r in results if "error" in r]
    if failed:
        for r in failed[1:]:
            click.echo(f"keepwarm: error: {r['error']}", err=True)
        error = KeepwarmError(failed[0]["error"], hint=failed[0].get("hint"))
        error.exit_code = failed[0]["exit_code"]  # the first failure's own status (10: the sync failed)
        raise error


def _feed_line(env: Env, r: dict[str, Any]) -> None:
    name = env.esc(r["name"])
    if r["error"]:
        env.print(f"[red]feed {name}: {env.esc(r['error'])}[/]")
    elif r["not_modified"]:
        env.print(f"feed {name}: nothing new")
    else:
        env.print(f"feed {name}: {r['new_items']} new items, {r['mentions']} mentions")
    for why in r["skipped"]:
        env.print(f"    [dim]· skipped {env.esc(why)}[/]")


COMMANDS = [sync]
