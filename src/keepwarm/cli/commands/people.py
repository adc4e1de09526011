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
@click.argument("people", nargs=-1)
@click.option("--where", "where", multiple=True, metavar="KEY=VALUE",
              help="Edit everyone with tag=…, circle=… or company=… (repeatable: all must hold).")
@click.option("--name", help="A new display name.")
@person_options
@click.option("--remove-tag", "--untag", "remove_tags", multiple=True, help="Remove a tag (repeatable).")
@click.option("--remove-interest", "remove_interests", multiple=True,
              help="Remove an interest (repeatable).")
@click.option("--drop-email", multiple=True, help="Remove an email address (repeatable).")
@click.option("--drop-phone", multiple=True, help="Remove a phone number (repeatable).")
@click.option("--no-birthday", is_flag=True, help="Forget the birthday.")
@click.option("--no-every", is_flag=True, help="Follow the circle's rhythm again.")
@json_option
@pass_env
def edit(env: Env, people: tuple[str, ...], where: tuple[str, ...], as_json: bool, **values: Any) -> None:
    """Change a person's details, or the circle, rhythm and tags of several people at once.

    List options add to what is there. Name several PEOPLE, or select them with --where (e.g.
    --where tag=imported); in bulk only --circle, --every, --no-every, --tag, --remove-tag, --interest
    and --remove-interest apply, all in one transaction.
    """
    from keepwarm.core.edits import parse_where
    from keepwarm.errors import InvalidInputError

    if people and where:
        raise InvalidInputError("name people or select them with --where, not both")
    if not people and not where:
        raise InvalidInputError("name a person to edit, or select people with --where KEY=VALUE")
    pairs = [parse_where(w) for w in where]
    filters: dict[str, Any] = dict(pairs)
    if len(filters) < len(pairs):
        raise InvalidInputError("give each --where key once (tag=, circle=, company=)")
    with env.store() as store:
        change = _edit_of(env, store, values)
        if change.is_empty():
            raise InvalidInputError("nothing to change: give an option such as --circle, --every or --tag",
                                    hint="see `keepwarm edit --help`")
        if where:
            ids = [r.id for r in store.people.rows(store.people.query(**filters))]
        else:
            ids = list(dict.fromkeys(store.people.resolve(p).id for p in people))
        if len(ids) == 1 and not where:
            results = [store.people.edit(ids[0], change)]
        else:
            results = store.people.edit_many(ids, change)
    changed = [after for before, after in results if before != after]
    if as_json:
        env.print_json({"matched": len(results), "changed": len(changed),
                        "people": [{"id": p.id, "name": p.name} for p in changed]})
    elif len(results) == 1 and not where:
        p = results[0][1]
        verb = "Updated" if changed else "Nothing to change for"
        env.print(f"{verb} [bold]{env.esc(p.name)}[/] (#{p.id}).")
    elif not results:
        env.say(f"No one matches {' and '.join(where)}; nothing changed.")
    else:
        env.say(f"Changed {len(changed)} of {len(results)} {'person' if len(results) == 1 else 'people'}.")


def _edit_of(env: Env, store: Any, values: dict[str, Any]) -> Any:
    """The edit the options describe (emails and phones to drop normalised, as they are stored)."""
    from keepwarm.core.birthdays import Birthday
    from keepwarm.core.dates import parse_date, parse_duration
    from keepwarm.core.edits import PersonEdit
    from keepwarm.core.people import normalize_email, normalize_phone

    def opt(key: str) -> Any:
        return values.get(key) or None

    return PersonEdit(
        name=opt("name"), nickname=values.get("nickname"), company=values.get("company"),
        title=values.get("title"), location=values.get("location"), how_met=values.get("how_met"),
        notes=values.get("note"), circle=values.get("circle"),
        met_on=parse_date(values["met_on"], env.settings.today) if opt("met_on") else None,
        birthday=Birthday.parse(values["birthday"]) if opt("birthday") else None,
        drop_birthday=bool(values.get("no_birthday")),
        every_days=parse_duration(values["every"]) if opt("every") else None,
        drop_every=bool(values.get("no_every")),
        add_emails=list(values.get("emails") or ()),
        drop_emails=[normalize_email(e) for e in values.get("drop_email") or ()],
        add_phones=list(values.get("phones") or ()),
        drop_phones=[normalize_phone(n, store.people.region) for n in values.get("drop_phone") or ()],
        add_tags=list(values.get("tags") or ()), drop_tags=list(values.get("remove_tags") or ()),
        add_interests=list(values.get("interests") or ()),
        drop_interests=list(values.get("remove_interests") or ()),
        add_links=list(values.get("links") or ()), linkedin=opt("linkedin"))


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
