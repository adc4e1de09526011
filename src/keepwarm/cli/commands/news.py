"""In the news: read a text for mentions of your people, review the mentions, and follow feeds."""

from __future__ import annotations

from typing import Any

import click

from keepwarm.cli.env import Env
from keepwarm.cli.options import json_option, pass_env


@click.group(invoke_without_command=True)
@click.option("--days", type=click.IntRange(1, 3650), default=30, show_default=True,
              help="How far back to list mentions.")
@json_option
@pass_env
@click.pass_context
def news(ctx: click.Context, env: Env, days: int, as_json: bool) -> None:
    """Your people in the news: recent mentions and what tied each to them (without a subcommand)."""
    if ctx.invoked_subcommand is not None:
        return
    from keepwarm.store.news import NewsRepo

    with env.store() as store:
        data = NewsRepo(store.session, store.owner_id, store.today).recent(days)
    if as_json:
        env.print_json(data)
        return
    if not data:
        env.print(f"No mentions in the last {days} days. Read a text with `keepwarm news add FILE|URL|-` "
                  "or follow a feed with `keepwarm feeds add URL`.")
    for m in data:
        _print_mention(env, m)


def _print_mention(env: Env, m: dict[str, Any]) -> None:
    item = m["item"]
    where = ", ".join(x for x in (item["source"], item["published"] or m["found_on"]) if x)
    state = {"confirmed": " [green]confirmed[/]", "dismissed": " [dim]dismissed[/]"}.get(m["state"], "")
    env.print(f"#{m['id']} [bold]{env.esc(m['person']['name'])}[/] in [italic]{env.esc(item['title'])}[/]"
              f" [dim]({env.esc(where)})[/]{state}")
    env.print(f"    [dim]·[/] matched {env.esc(m['matched'])}{' · good news' if m['good_news'] else ''}")
    if item["link"]:
        env.print(f"    [dim]·[/] {env.esc(item['link'])}")


@news.command("add")
@click.argument("source", metavar="FILE|URL|-")
@click.option("--title", help="Title (else the page's, or a text's first line).")
@json_option
@pass_env
def add(env: Env, source: str, title: str | None, as_json: bool) -> None:
    """Read an article or a pasted text (`-` reads standard input) for mentions of your people.

    Only its title, link and date are kept, never its text; a text read before adds nothing."""
    import sys

    from keepwarm import fetch
    from keepwarm.news import texts
    from keepwarm.store.news import NewsRepo, text_key

    if source == "-":
        article = texts.from_text(sys.stdin.read(), "standard input")
    else:
        article = texts.from_source(fetch.load(source))
    with env.store() as store:
        repo = NewsRepo(store.session, store.owner_id, store.today)
        read = repo.read(article.text, title=title or article.title,
                         key=article.link or text_key(article.title + "\n" + article.text),
                         link=article.link, source=article.source, published=article.published)
        data: dict[str, Any] = {"item": read.item.id, "new": read.new, "mentions": repo.describe(read)}
    if as_json:
        env.print_json(data)
        return
    if not read.new:
        env.print("Read before: nothing new.")
    elif not data["mentions"]:
        env.print("No one of your network is mentioned in it.")
    for m in data["mentions"]:
        _print_mention(env, m)


@news.command("dismiss")
@click.argument("mention", type=int)
@pass_env
def dismiss(env: Env, mention: int) -> None:
    """A wrong match (a namesake): that article and that person never pair again."""
    from keepwarm.store.news import NewsRepo

    with env.store() as store:
        NewsRepo(store.session, store.owner_id, store.today).dismiss(mention)
    env.print(f"Dismissed mention #{mention}.")


@news.command("confirm")
@click.argument("mention", type=int)
@pass_env
def confirm(env: Env, mention: int) -> None:
    """The match is right: it is your contact."""
    from keepwarm.store.news import NewsRepo

    with env.store() as store:
        NewsRepo(store.session, store.owner_id, store.today).confirm(mention)
    env.print(f"Confirmed mention #{mention}.")


@click.group(invoke_without_command=True)
@json_option
@pass_env
@click.pass_context
def feeds(ctx: click.Context, env: Env, as_json: bool) -> None:
    """The feeds you follow (lists them without a subcommand); `keepwarm sync` polls them."""
    if ctx.invoked_subcommand is not None:
        return
    from keepwarm.news import feeds as lib

    with env.store() as store:
        data = [lib.feed_json(r) for r in lib.feeds(store.session, store.owner_id)]
    if as_json:
        env.print_json(data)
        return
    if not data:
        env.print("You follow no feeds. Add one with `keepwarm feeds add URL`.")
    for f in data:
        polled = f"last polled {f['last_polled_at']}" if f["last_polled_at"] else "not polled yet"
        error = f" [red]{env.esc(f['last_error'])}[/]" if f["last_error"] else ""
        env.print(f"#{f['id']} [bold]{env.esc(f['name'] or f['url'])}[/] {env.esc(f['url'])} "
                  f"[dim]({polled})[/]{error}")


@feeds.command("add")
@click.argument("url")
@click.option("--name", help="What to call it (else the feed's own title).")
@json_option
@pass_env
def feeds_add(env: Env, url: str, name: str | None, as_json: bool) -> None:
    """Follow an RSS or Atom feed."""
    from keepwarm.news import feeds as lib

    with env.store() as store:
        data = lib.feed_json(lib.add_feed(store.session, store.owner_id, url, name))
    if as_json:
        env.print_json(data)
        return
    env.print(f"Following #{data['id']} {env.esc(data['name'] or data['url'])}; `keepwarm sync` polls it.")


@feeds.command("rm")
@click.argument("feed", metavar="ID|URL|NAME")
@pass_env
def feeds_rm(env: Env, feed: str) -> None:
    """Stop following a feed (the mentions it found stay)."""
    from keepwarm.news import feeds as lib

    with env.store() as store:
        row = lib.remove_feed(store.session, store.owner_id, feed)
        label = row.name or row.url
    env.print(f"No longer following {env.esc(label)}.")


COMMANDS = [news, feeds]
