"""The demo network."""

from __future__ import annotations

import click

from keepwarm.cli.env import Env
from keepwarm.cli.options import pass_env


@click.command()
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when the network has people.")
@pass_env
def demo(env: Env, if_empty: bool) -> None:
    """Fill an empty database with a demo network that shows every kind of suggestion."""
    from keepwarm.store.demo import is_empty, load

    with env.store() as store:
        if if_empty and not is_empty(store):
            return
        n = load(store)
    env.print(f"Loaded a demo network of {n} people. Now run: keepwarm today")


COMMANDS = [demo]
