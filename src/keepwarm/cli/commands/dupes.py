"""Commands for duplicates: dupes, merge, not-dupes."""

from __future__ import annotations

import click

from keepwarm.cli.env import Env
from keepwarm.cli.options import json_option, pass_env


@click.command()
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True)
@json_option
@pass_env
def dupes(env: Env, limit: int, as_json: bool) -> None:
    """People who are probably the same person, with a score and the evidence."""
    from rich.markup import escape

    from keepwarm.store.dupes import candidates

    with env.store() as store:
        found = candidates(store, limit)
    if as_json:
        env.print_json([c.to_dict() for c in found])
        return
    if not found:
        env.print("No likely duplicates.")
        return
    for c in found:
        env.print(f"{c.score:>3}%  #{c.a} {escape(c.names[0])}  ~  #{c.b} {escape(c.names[1])}  "
                  f"[dim]({escape('; '.join(c.evidence))})[/]")
    env.print("[dim]Merge with `keepwarm merge A B`, or say they differ with `keepwarm not-dupes A B`.[/]")


@click.command()
@click.argument("keep")
@click.argument("other")
@pass_env
def merge(env: Env, keep: str, other: str) -> None:
    """Merge OTHER into KEEP: every email, phone, tag, note, event and touch of both is kept."""
    from keepwarm.store.dupes import merge as do_merge

    with env.store() as store:
        a, b = store.people.resolve(keep), store.people.resolve(other)
        names = (a.name, b.name, b.id)
        do_merge(store, a.id, b.id)
    env.say(f"Merged {names[1]} (#{names[2]}) into {names[0]} (#{a.id}).")


@click.command(name="not-dupes")
@click.argument("a")
@click.argument("b")
@pass_env
def not_dupes(env: Env, a: str, b: str) -> None:
    """Say that A and B are different people, so `keepwarm dupes` stops proposing them."""
    from keepwarm.store.dupes import dismiss

    with env.store() as store:
        ra, rb = store.people.resolve(a), store.people.resolve(b)
        dismiss(store, ra.id, rb.id)
    env.say(f"Noted: {ra.name} and {rb.name} are different people.")


COMMANDS = [dupes, merge, not_dupes]
