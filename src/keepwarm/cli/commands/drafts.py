"""The words: message drafts, posts for your network, and the daily digest by email."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from keepwarm.cli.env import Env
from keepwarm.cli.options import json_option, pass_env

# the kinds of keepwarm.core.drafts (KINDS, then ALIASES), written out so that --help imports no Jinja
DRAFT_KINDS = ("birthday", "thanks", "share", "coffee", "video", "call", "checkin", "comment", "congrats",
               "gift", "intro", "ask", "deposit", "move", "sympathy", "news", "meetup", "message",
               "recommend")


def template_dirs(env: Env) -> list[Path]:
    """Where the user's own templates live (they override the shipped ones)."""
    return [env.settings.config_dir / "templates"]


def _config(env: Env) -> dict[str, Any]:
    from keepwarm.mail import load_config

    return load_config(env.settings.config_dir)


def my_name_of(env: Env) -> str | None:
    """The user's name from keepwarm.toml, to sign drafts."""
    from keepwarm.mail import my_name

    return my_name(_config(env))


@click.command()
@click.argument("person")
@click.argument("kind", required=False, type=click.Choice(DRAFT_KINDS, case_sensitive=False))
@click.option("--resource", help="The resource to share (default: the best match for them).")
@json_option
@pass_env
def draft(env: Env, person: str, kind: str | None, resource: str | None, as_json: bool) -> None:
    """A short personal message for someone, from templates you can override.

    KIND is the touch the message is for: birthday, thanks, share (a resource), coffee, video, call,
    checkin, comment, congrats, gift, intro, ask (states your planned ask), deposit (a give before an
    ask), move, sympathy or news (you read about them); without it the most fitting one is chosen.
    Your own templates go in <config dir>/templates/drafts/KIND.txt.j2.
    """
    from keepwarm.core import drafts as core
    from keepwarm.mail import my_name
    from keepwarm.store import drafts
    from keepwarm.store.library import LibraryRepo

    me = my_name(_config(env))
    with env.store() as store:
        row = store.people.resolve(person)
        lib = LibraryRepo(store.session, store.owner_id, store.today)
        rid = lib.resolve(resource).id if resource else None
        ctx = drafts.context(store.session, store.owner_id, store.today, row.id, resource_id=rid, me=me)
        chosen = core.check_kind(kind) if kind else core.infer_kind(ctx)
        if chosen == "ask":
            ctx.ask = drafts.ask_note(store.session, store.owner_id, row.id)
        if chosen == "news":
            ctx.news = drafts.latest_news(store.session, store.owner_id, row.id)
    text = core.render(chosen, ctx, template_dirs(env))
    if as_json:
        env.print_json({"person": {"id": row.id, "name": row.name}, "kind": chosen, "text": text})
        return
    click.echo(text, nl=False)


@click.command()
@click.argument("resource")
@click.option("--circle", "circles", multiple=True, help="Who the post is for (repeatable).")
@click.option("--log", "log_it", is_flag=True,
              help="Log the post as a light touch (repost) with everyone in the circles.")
@pass_env
def post(env: Env, resource: str, circles: tuple[str, ...], log_it: bool) -> None:
    """A post for your network that shares a resource with your summary."""
    from sqlalchemy import select

    from keepwarm.core import drafts as core
    from keepwarm.errors import InvalidInputError
    from keepwarm.mail import my_name
    from keepwarm.store.drafts import resource_info
    from keepwarm.store.library import LibraryRepo
    from keepwarm.store.models import PersonRow

    if log_it and not circles:
        raise InvalidInputError("--log needs at least one --circle: whom the post reaches")
    with env.store() as store:
        repo = LibraryRepo(store.session, store.owner_id, store.today)
        res = repo.resolve(resource)
        text = core.render_post(resource_info(res), template_dirs(env), my_name(_config(env)))
        ids: list[int] = []
        if log_it:
            circle_ids = [store.people.circle(c).id for c in circles]
            ids = list(store.session.scalars(select(PersonRow.id).where(
                PersonRow.owner_id == store.owner_id, PersonRow.circle_id.in_(circle_ids))
                .order_by(PersonRow.id)))
            if not ids:
                raise InvalidInputError(f"nobody is in {', '.join(circles)}; nothing logged")
            repo.share(res.id, ids, note=f"posted: {res.title}"[:10_000], action="repost")
    click.echo(text, nl=False)
    if log_it:
        click.echo(f"\nLogged a repost with {len(ids)} people in {', '.join(circles)}.", err=True)


@click.command()
@click.option("--send", "send_it", is_flag=True, help="Send it by email instead of printing it.")
@click.option("--to", "to", metavar="EMAIL", help="Recipient (default: [smtp] to, else from).")
@click.option("--html", "show_html", is_flag=True, help="Print the HTML part instead of the text.")
@click.option("--days", type=click.IntRange(0, 60), default=7, show_default=True)
@click.option("--limit", type=click.IntRange(1, 200), default=15, show_default=True)
@pass_env
def digest(env: Env, send_it: bool, to: str | None, show_html: bool, days: int, limit: int) -> None:
    """Today's agenda with drafts, as an email (text and HTML); --send mails it over SMTP."""
    from keepwarm import mail
    from keepwarm.core.drafts import digest_data, render_template
    from keepwarm.errors import ConfigError
    from keepwarm.store import drafts
    from keepwarm.store.owners import catalog

    config = _config(env)
    smtp = mail.smtp_settings(config)
    dirs = template_dirs(env)
    with env.store() as store:
        ag = store.agenda.build(days=days, limit=limit)
        labels = {name: a.label for name, a in catalog(store.session, store.owner_id).items()}
        texts = drafts.for_agenda(store.session, store.owner_id, store.today, ag.items, dirs,
                                  mail.my_name(config))
    data = digest_data(ag, labels, texts)
    text = render_template("digest/digest.txt.j2", data, dirs)
    html = render_template("digest/digest.html.j2", data, dirs)
    if not send_it:
        click.echo(html if show_html else text, nl=False)
        return
    mail.check_server(smtp)
    from keepwarm.core.dates import format_day
    from keepwarm.core.people import normalize_email

    recipient = to or smtp.to or smtp.sender
    if recipient:
        recipient = normalize_email(recipient)
    if not recipient or not smtp.sender:
        raise ConfigError("no sender or recipient for the digest",
                          hint="set [smtp] from and to in keepwarm.toml, or pass --to")
    n = len(ag.items)
    subject = f"keepwarm: {n} touch{'es' if n != 1 else ''} for {format_day(ag.today)}"
    mail.send(mail.compose(subject, text, html, smtp.sender, recipient), smtp)
    env.say(f"Sent today's digest to {recipient}.")


COMMANDS = [draft, post, digest]
