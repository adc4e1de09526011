"""The daily command: today."""

from __future__ import annotations

import click

from keepwarm.cli.env import Env
from keepwarm.cli.options import json_option, pass_env


@click.command()
@click.option("--days", type=click.IntRange(0, 60), default=7, show_default=True,
              help="Look this many days ahead for birthdays, events and plans.")
@click.option("--minutes", type=click.IntRange(1, 600), default=None,
              help="Pick the best set of suggestions that fits this many minutes.")
@click.option("--limit", type=click.IntRange(1, 200), default=15, show_default=True,
              help="At most this many suggestions.")
@click.option("--drafts", "with_drafts", is_flag=True, help="Add a message draft to each suggestion.")
@json_option
@pass_env
def today(env: Env, days: int, minutes: int | None, limit: int, with_drafts: bool, as_json: bool) -> None:
    """Who to reach out to today, with which micro-action, and why."""
    from keepwarm.store.owners import catalog

    drafts: list[str] | None = None
    with env.store() as store:
        ag = store.agenda.build(days=days, minutes=minutes, limit=limit)
        labels = {name: a.label for name, a in catalog(store.session, store.owner_id).items()}
        if with_drafts:
            from keepwarm.cli.commands.drafts import my_name_of, template_dirs
            from keepwarm.store.drafts import for_agenda

            drafts = for_agenda(store.session, store.owner_id, store.today, ag.items, template_dirs(env),
                                my_name_of(env))
    if as_json:
        out = [item.to_json() for item in ag.items]
        for item, text in zip(out, drafts or [], strict=False):
            item["draft"] = text
        env.print_json(out)
        return
    from keepwarm.cli import views

    views.agenda(env, ag, labels, drafts)


COMMANDS = [today]
