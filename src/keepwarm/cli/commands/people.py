"""Commands on people: add, edit, rm, show, list, search."""

from __future__ import annotations

from typing import Any

import click

from keepwarm.cli.env import Env
from keepwarm.cli.options import json_option, pass_env, person_options


def _apply(person: Any, env: Env, values: dict[str, Any]) -> None:
    """Copy the person options given on the command line onto a core Person."""
    from keepwarm.core.birthdays import Birthday
    from keepwarm.core.dates import parse_date, parse_duration
    from keepwarm.core.people import Link

    for attr in ("company", "title", "location", "how_met", "nickname", "circle"):
        if values.get(attr) is not None:
            setattr(person, attr, values[attr])
    if values.get("note") is not None:
        person.notes = values["note"]
    if values.get("birthday"):
        person.birthday = Birthday.parse(values["birthday"])
    if values.get("every"):
        person.every_days = parse_duration(values["every"])
    if values.get("met_on"):
        person.met_on = parse_date(values["met_on"], env.settings.today)
    person.emails += list(values.get("emails") or ())
    person.phones += list(values.get("phones") or ())
    person.tags += list(values.get("tags") or ())
    person.interests += list(values.get("interests") or ())
    if values.get("linkedin"):
        person.links = [k for k in person.links if k.kind != "linkedin"]
        person.links.insert(0, Link(values["linkedin"], "linkedin"))
    person.links += [Link(url) for url in values.get("links") or ()]


@click.command()
@click.argument("name")
@person_options
@json_option
@pass_env
def add(env: Env, name: str, as_json: bool, **values: Any) -> None:
    """Add a person to your network."""
    from keepwarm.core.people import Person

    with env.store() as store:
        person = Person(name=name)
        _apply(person, env, values)
        store.people.add(person)
    if as_json:
        env.print_json({"id": person.id, "name": person.name})
    else:
        env.print(f"Added [bold]{env.esc(person.name)}[/] (#{person.id}).")


@click.command()
@click.argument("person")
@click.option("--name", help="A new display name.")
@person_options
@click.option("--untag", multiple=True, help="Remove a tag (repeatable).")
@click.option("--drop-email", multiple=True, help="Remove an email address (repeatable).")
@click.option("--drop-phone", multiple=True, help="Remove a phone number (repeatable).")
@click.option("--no-birthday", is_flag=True, help="Forget the birthday.")
@click.option("--no-every", is_flag=True, help="Follow the circle's rhythm again.")
@pass_env
def edit(env: Env, person: str, name: str | None, untag: tuple[str, ...], drop_email: tuple[str, ...],
         drop_phone: tuple[str, ...], no_birthday: bool, no_every: bool, **values: Any) -> None:
    """Change a person's details. List options add to what is there."""
    from keepwarm.core.people import normalize_email, normalize_phone

    with env.store() as store:
        p = store.people.get(store.people.resolve(person).id)
        if name:
            p.name = name
        _apply(p, env, values)
        gone = {t.lower() for t in untag}
        p.tags = [t for t in p.tags if t.lower() not in gone]
        drop = {normalize_email(e) for e in drop_email}
        p.emails = [e for e in p.emails if e not in drop]
        drop = {normalize_phone(n, store.people.region) for n in drop_phone}
        p.phones = [n for n in p.phones if n not in drop]
        if no_birthday:
            p.birthday = None
        if no_every:
            p.every_days = None
        store.people.update(p)
    env.print(f"Updated [bold]{env.esc(p.name)}[/] (#{p.id}).")


@click.command()
@click.argument("person")
@json_option
@pass_env
def show(env: Env, person: str, as_json: bool) -> None:
    """Everything about one person: details, strength, balance and touches."""
    from keepwarm.cli import views
    from keepwarm.store.profiles import profile

    with env.store() as store:
        data = profile(store, store.people.resolve(person).id)
    if as_json:
        env.print_json(data)
    else:
        views.profile(env, data)


@click.command(name="list")
@click.option("--circle", help="Only this circle.")
@click.option("--tag", help="Only people with this tag.")
@click.option("--due", is_flag=True, help="Only people due or overdue by their rhythm.")
@click.option("--sort", type=click.Choice(["name", "strength", "last-touch"]), default="name")
@click.option("--limit", type=click.IntRange(1), default=None, help="At most this many.")
@json_option
@pass_env
def list_(env: Env, circle: str | None, tag: str | None, due: bool, sort: str, limit: int | None,
          as_json: bool) -> None:
    """List people, filtered by circle, tag or due."""
    _listing(env, as_json, limit, sort, circle=circle, tag=tag, due=due)


@click.command()
@click.argument("text")
@click.option("--limit", type=click.IntRange(1), default=50)
@json_option
@pass_env
def search(env: Env, text: str, limit: int, as_json: bool) -> None:
    """Find people by name, email, company, title, tag, interest or notes."""
    _listing(env, as_json, limit, "name", text=text)


def _listing(env: Env, as_json: bool, limit: int | None, sort: str, **filters: Any) -> None:
    from keepwarm.cli import views
    from keepwarm.store.profiles import summaries

    with env.store() as store:
        rows = summaries(store, store.people.query(**filters), sort=sort, limit=limit)
    if as_json:
        env.print_json(rows)
    else:
        views.people_table(env, rows)



COMMANDS = [add, edit, show, list_, search]
