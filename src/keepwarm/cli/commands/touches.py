"""Commands that record what happens: log, done, event, plan, snooze, unsnooze, rm and undo."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from keepwarm.cli.env import Env
from keepwarm.cli.options import json_option, pass_env

if TYPE_CHECKING:
    from keepwarm.core.agenda import Suggestion


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
        done = store.touches.done
    names = ", ".join(r.name for r in rows)
    env.say(f"Logged {touch.action} with {names} on {on.isoformat()}." + _done_line(done))


def _done_line(done: list) -> str:  # type: ignore[type-arg]
    if not done:
        return ""
    return " Done: " + ", ".join(f"{o.kind.replace('_', ' ')} ({o.id})" for o in done) + "."


@click.command()
@click.argument("n", type=click.IntRange(1, 200), required=False)
@click.option("--occasion", "occasion_id", metavar="ID", help="An occasion id from `today --json`.")
@click.option("--action", "action_name", metavar="ACTION", help="What you did, if not the suggested action.")
@click.option("--note", help="What it was about (private).")
@click.option("--days", type=click.IntRange(0, 60), default=7, show_default=True,
              help="As given to `today`, so that N names the same suggestion.")
@click.option("--minutes", type=click.IntRange(1, 600), default=None, help="As given to `today`.")
@click.option("--limit", type=click.IntRange(1, 200), default=15, show_default=True,
              help="As given to `today`.")
@json_option
@pass_env
def done(env: Env, n: int | None, occasion_id: str | None, action_name: str | None, note: str | None,
         days: int, minutes: int | None, limit: int, as_json: bool) -> None:
    """Mark a suggestion done: the Nth item of today's list, or an occasion by id.

    Logs the suggested action (or --action) for that occasion; a done occasion never comes back."""
    from keepwarm.errors import InvalidInputError, NotFoundError

    if (n is None) == (occasion_id is None):
        raise InvalidInputError("give the number of a suggestion in today's list, or --occasion ID")
    with env.store() as store:
        item: Suggestion | None
        if n is not None:  # the same list `today` printed with these options
            items = store.agenda.build(days=days, minutes=minutes, limit=limit).items
            if n > len(items):
                raise NotFoundError(f"today's list has {len(items)} suggestion(s), not {n}")
            item = items[n - 1]
        else:
            items = store.agenda.build(days=days, limit=200).items
            item = next((i for i in items if i.occasion is not None and i.occasion.id == occasion_id), None)
        if item is not None:
            pid, action, oid = item.person.id, action_name or item.action, item.occasion
            chosen = oid.id if oid is not None else None
        else:  # an open occasion that is not in today's list (further ahead, or beyond the limit)
            from keepwarm.core.occasions import parse_id

            kind, pid, _ = parse_id(occasion_id or "")
            action, chosen = action_name or _default_action(kind), occasion_id
        touch = store.touches.log(action, [pid], None, note, occasion_id=chosen)
        name = store.people.row(pid).name
        result = {"person": {"id": pid, "name": name}, "action": touch.action,
                  "on": touch.on_date.isoformat(), "touch_id": touch.id,
                  "occasions": [o.to_json() for o in store.touches.done]}
    if as_json:
        env.print_json(result)
        return
    env.say(f"Done: {touch.action} with {name}." + _done_line(store.touches.done))


def _default_action(kind: str) -> str:
    return {"birthday": "birthday", "thanks": "thanks", "library": "recommend", "life_event": "message",
            "news": "congrats", "deposit": "recommend"}.get(kind, "message")


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
    """Hide a person from the agenda for a while (e.g. 2w, 30d, 3m; 0d ends a snooze)."""
    from keepwarm.core.dates import parse_duration

    days = 0 if duration.strip().lower() in ("0", "0d", "0w", "0m", "0y") else parse_duration(duration)
    with env.store() as store:
        row = store.people.resolve(person)
        until = store.touches.snooze(row.id, days)
    env.say(f"Snoozed {row.name} until {until.isoformat()}." if until
            else f"{row.name} is back in the agenda.")


@click.command()
@click.argument("person")
@pass_env
def unsnooze(env: Env, person: str) -> None:
    """Bring a snoozed person back into the agenda now."""
    with env.store() as store:
        row = store.people.resolve(person)
        store.touches.snooze(row.id, 0)
    env.say(f"{row.name} is back in the agenda.")


_REMOVABLE = ("touch", "event", "plan")


@click.command()
@click.argument("what")
@click.argument("ids", nargs=-1)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (removing a person).")
@pass_env
def rm(env: Env, what: str, ids: tuple[str, ...], yes: bool) -> None:
    """Remove a logged touch, a life event or a plan by id (`rm touch 12`; `keepwarm show PERSON` lists
    the ids), or a person and their history with you (`rm PERSON`)."""
    from keepwarm.errors import InvalidInputError

    if what in _REMOVABLE:
        if not ids or not all(i.isdigit() and int(i) > 0 for i in ids):
            raise InvalidInputError(f"`keepwarm rm {what}` takes one or more {what} ids, e.g. rm {what} 12")
        with env.store() as store:
            for i in ids:
                {"touch": store.touches.delete, "event": store.touches.remove_event,
                 "plan": store.touches.remove_plan}[what](int(i))
        env.say(f"Removed {what} {', '.join(f'#{i}' for i in ids)}. (`keepwarm undo` brings "
                f"{'them' if len(ids) > 1 else 'it'} back.)")
        return
    if ids:
        raise InvalidInputError(f"remove one person at a time, or a {'/'.join(_REMOVABLE)} by id")
    with env.store() as store:
        row = store.people.resolve(what)
        if not yes:
            click.confirm(f"Remove {row.name} (#{row.id}) and their history?", abort=True)
        name = row.name
        store.people.remove(row.id)
    env.say(f"Removed {name}.")


@click.command()
@json_option
@pass_env
def undo(env: Env, as_json: bool) -> None:
    """Reverse the last change made from the CLI or the web: a touch, done, event, plan, snooze, edit."""
    from keepwarm.store import journal

    with env.store() as store:
        what = journal.undo(store).summary
    if as_json:
        env.print_json({"undone": what})
        return
    env.say(f"Undone: {what}.")


COMMANDS = [log, done, event, plan, snooze, unsnooze, rm, undo]
