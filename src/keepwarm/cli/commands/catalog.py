"""The catalog of micro-actions, the circles and their rhythms, and settings."""

from __future__ import annotations

from typing import Any

import click

from keepwarm.cli.env import Env
from keepwarm.cli.options import json_option, pass_env


@click.group(invoke_without_command=True)
@json_option
@click.pass_context
def actions(ctx: click.Context, as_json: bool) -> None:
    """List the micro-actions you can log (and add your own with `actions add`)."""
    if ctx.invoked_subcommand:
        return
    env: Env = ctx.obj
    from keepwarm.store.owners import catalog

    with env.store() as store:
        cat = sorted(catalog(store.session, store.owner_id).values(), key=lambda a: (a.weight, a.name))
    rows: list[dict[str, Any]] = [
        {"name": a.name, "label": a.label, "weight": a.weight, "minutes": a.minutes, "kind": a.kind,
         "personal": a.personal, "builtin": a.builtin} for a in cat]
    if as_json:
        env.print_json(rows)
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for col in ("name", "what", "weight", "minutes", "kind"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["name"], escape(r["label"]), f"{r['weight']:g}", str(r["minutes"]), r["kind"])
    env.print(table)


@actions.command(name="add")
@click.argument("name")
@click.option("--label", help="What it is, in words.")
@click.option("--weight", type=float, default=2.0, show_default=True, help="How much it counts (0–20).")
@click.option("--minutes", type=int, default=5, show_default=True, help="Effort in minutes.")
@click.option("--kind", type=click.Choice(["give", "ask", "neutral", "received"]), default="give",
              show_default=True, help="A deposit (give), a withdrawal (ask), neutral, or a favour received.")
@click.option("--personal", is_flag=True, help="A personal touch (counts for birthdays and events).")
@pass_env
def actions_add(env: Env, name: str, label: str | None, weight: float, minutes: int, kind: str,
                personal: bool) -> None:
    """Add your own micro-action to the catalog."""
    from keepwarm.store.catalog import add_action

    with env.store() as store:
        action = add_action(store, name, label, weight, minutes, kind, personal)
    env.print(f"Added action {action.name}.")  # names are [a-z0-9-] only


@click.group(invoke_without_command=True)
@json_option
@click.pass_context
def circles(ctx: click.Context, as_json: bool) -> None:
    """List circles and their keep-in-touch rhythms (change one with `circles set`)."""
    if ctx.invoked_subcommand:
        return
    env: Env = ctx.obj
    from keepwarm.store.catalog import circle_summaries

    with env.store() as store:
        rows = circle_summaries(store)
    if as_json:
        env.print_json(rows)
        return
    from rich.markup import escape

    for r in rows:
        env.print(f"{escape(r['name']):<12} every {r['every']:<5} {r['people']:>6} people  "
                  f"{escape(r['description'])}")


@circles.command(name="set")
@click.argument("name")
@click.argument("every")
@pass_env
def circles_set(env: Env, name: str, every: str) -> None:
    """Change a circle's rhythm (e.g. `circles set close 4w`), or create a new circle."""
    from keepwarm.core.dates import parse_duration
    from keepwarm.store.catalog import set_circle

    days = parse_duration(every)
    with env.store() as store:
        set_circle(store, name, days)
    from rich.markup import escape

    env.print(f"Circle {escape(name.lower())} is now every {days} days.")


@click.command()
@click.argument("key", required=False)
@click.argument("value", required=False)
@pass_env
def settings(env: Env, key: str | None, value: str | None) -> None:
    """Show settings, or set one: half_life, weekly_goal, intros_per_day, region, deposit_lead,
    capture_subjects (on/off), capture_max_people."""
    from keepwarm.store.catalog import change_setting, list_settings

    with env.store() as store:
        if key and value is not None:
            change_setting(store, key, value)
        current = list_settings(store)
    for k, v in current.items():
        if key is None or k == key:
            env.print(f"{k} = {v}")


COMMANDS = [actions, circles, settings]
