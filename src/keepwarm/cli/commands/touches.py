"""Commands that record what happens: log, event, plan, snooze."""

from __future__ import annotations

import click

from keepwarm.cli.env import Env
from keepwarm.cli.options import pass_env


@click.command()
@click.argument("person")
@click.argument("action")
@click.option("--with", "others", multiple=True, metavar="PERSON", help="Someone else in the same touch.")
@click.option("--date", "when", default="today", help="ISO date, 'yesterday' or '3 days ago'.")
@click.option("--note", help="What it was about.")
@click.option("--them", is_flag=True, help="They reached out (default: you did).")
@pass_env
def log(env: Env, person: str, action: str, others: tuple[str, ...], when: str, note: str | None,
        them: bool) -> None:
    """Log a micro-action you took with one or more people."""
    from keepwarm.core.dates import parse_date

    on = parse_date(when, env.settings.today)
    with env.store() as store:
        rows = list({r.id: r for r in (store.people.resolve(p) for p in (person, *others))}.values())
        touch = store.touches.log(action, [r.id for r in rows], on, note, "them" if them else "me")
    names = ", ".join(r.name for r in rows)
    env.say(f"Logged {touch.action} with {names} on {on.isoformat()}.")


@click.command()
@click.argument("person")
@click.argument("kind")
@click.option("--on", "when", required=True, help="The date of the event.")
@click.option("--note", help="Details (private: never shown in drafts).")
@click.option("--company", help="new-job/promotion: the new employer (becomes theirs).")
@click.option("--title", help="new-job/promotion: the new job title (becomes theirs).")
@pass_env
def event(env: Env, person: str, kind: str, when: str, note: str | None, company: str | None,
          title: str | None) -> None:
    """Record a life event: moving, new-job, promotion, retirement, graduation, new-baby, wedding,
    loss, custom.

    A new job or promotion with --company/--title updates the person's company and title; the old ones
    stay on the event and show in `keepwarm show`."""
    from keepwarm.core.dates import parse_date
    from keepwarm.core.wording import job

    on = parse_date(when, env.settings.today)
    with env.store() as store:
        row = store.people.resolve(person)
        ev = store.touches.add_event(row.id, kind, on, note, company=company, title=title)
        now = job(row.title, row.company) if company or title else None
    env.say(f"Noted: {row.name}, {ev.kind} on {on.isoformat()}" + (f"; now {now}." if now else "."))


@click.command()
@click.argument("person")
@click.argument("action")
@click.option("--on", "when", required=True, help="The date you plan it for.")
@click.option("--note", help="What for.")
@pass_env
def plan(env: Env, person: str, action: str, when: str, note: str | None) -> None:
    """Plan a touch or an ask for a date; it shows in the agenda in time."""
    from keepwarm.core.dates import parse_date

    on = parse_date(when, env.settings.today)
    with env.store() as store:
        row = store.people.resolve(person)
        p = store.touches.add_plan(row.id, action, on, note)
    env.say(f"Planned {p.action} with {row.name} on {on.isoformat()}.")


@click.command()
@click.argument("person")
@click.argument("duration")
@pass_env
def snooze(env: Env, person: str, duration: str) -> None:
    """Hide a person from the agenda for a while (e.g. 2w, 30d, 3m)."""
    from keepwarm.core.dates import parse_duration

    days = parse_duration(duration)
    with env.store() as store:
        row = store.people.resolve(person)
        until = store.touches.snooze(row.id, days)
    env.say(f"Snoozed {row.name} until {until.isoformat()}.")



COMMANDS = [log, event, plan, snooze]
