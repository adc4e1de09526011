"""`keepwarm sync`: bring in what changed elsewhere. Today that is the feeds you follow; other sources
add their own step here, each a function over the store."""

from __future__ import annotations

import click

from keepwarm.cli.env import Env
from keepwarm.cli.options import json_option, pass_env


@click.command()
@json_option
@pass_env
def sync(env: Env, as_json: bool) -> None:
    """Poll your feeds for mentions of your people (a feed that fails is reported; the others go on)."""
    from keepwarm.news.feeds import poll_feeds

    with env.store() as store:
        results = [r.to_json() for r in poll_feeds(store)]
    if as_json:
        env.print_json({"feeds": results})
        return
    if not results:
        env.print("Nothing to sync: follow a feed with `keepwarm feeds add URL`.")
    for r in results:
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
