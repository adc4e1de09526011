"""The daily command: today."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from keepwarm.cli.env import Env
from keepwarm.cli.options import json_option, pass_env

if TYPE_CHECKING:
    from keepwarm.core.actions import Action
    from keepwarm.core.agenda import Agenda


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
    found = None if with_drafts else agenda_without_sqlalchemy(env, days=days, minutes=minutes, limit=limit)
    drafts: list[str] | None = None
    if found is None:
        with env.store() as store:
            built = store.agenda.build(days=days, minutes=minutes, limit=limit)
            # only an empty agenda asks whether there is anyone at all
            found = built, store.agenda.catalog(), bool(built.items) or store.people.has_anyone()
            if with_drafts:
                from keepwarm.cli.commands.drafts import my_name_of, template_dirs
                from keepwarm.store.drafts import for_agenda

                drafts = for_agenda(store.session, store.owner_id, store.today, found[0].items,
                                    template_dirs(env), my_name_of(env))
    ag, catalog, anyone = found
    if as_json:
        out = [item.to_json() for item in ag.items]
        for item, text in zip(out, drafts or [], strict=False):
            item["draft"] = text
        env.print_json(out)
        return
    from keepwarm.cli import views

    views.agenda(env, ag, {name: a.label for name, a in catalog.items()}, drafts, anyone=anyone)


def agenda_without_sqlalchemy(env: Env, **options: Any) -> tuple[Agenda, dict[str, Action], bool] | None:
    """The agenda read straight from an SQLite file that needs nothing done (see keepwarm.store.lite),
    its catalog, and whether the network has anyone (asked only when the agenda is empty).

    None when the database does not qualify or cannot be read that way: the caller then takes the
    SQLAlchemy path, which creates, migrates, and explains errors. Importing SQLAlchemy would cost this
    process more than its whole time budget.
    """
    from keepwarm.store import lite
    from keepwarm.store.agenda import AgendaQueries

    try:
        with lite.open_reader(env.settings.database_url, env.settings.user_email) as found:
            if found is None:
                return None
            run, owner = found
            queries = AgendaQueries(run, owner, env.settings.today)
            built = queries.build(**options)
            return built, queries.catalog(), bool(built.items) or lite.has_people(run, owner)
    except lite.Error:
        return None


COMMANDS = [today]
