"""The library: add what you read, list it, see who would benefit, and share it."""

from __future__ import annotations

from typing import Any

import click

from keepwarm.cli.env import Env
from keepwarm.cli.options import json_option, pass_env


@click.group(invoke_without_command=True)
@json_option
@pass_env
@click.pass_context
def library(ctx: click.Context, env: Env, as_json: bool) -> None:
    """Books, articles and podcasts you can share (lists them without a subcommand)."""
    if ctx.invoked_subcommand is not None:
        return
    from keepwarm.store.library import LibraryRepo

    with env.store() as store:
        repo = LibraryRepo(store.session, store.owner_id, store.today)
        rows = repo.all()
        ids = [r.id for r in rows]
        topics, shared = repo.topics(ids), repo.shared_with(ids)
        data = [repo.to_json(r, topics[r.id], shared[r.id]) for r in rows]
    if as_json:
        env.print_json(data)
        return
    if not data:
        env.print("Your library is empty. Add something with `keepwarm library add URL|FILE`.")
    for r in data:
        tops = f" [dim]({env.esc(', '.join(r['topics']))})[/]" if r["topics"] else ""
        env.print(f"#{r['id']} [bold]{env.esc(r['title'])}[/] — {r['kind']}{tops}"
                  f"{' [dim]shared with ' + str(len(r['shared_with'])) + '[/]' if r['shared_with'] else ''}")
        for line in ([r["review"]] if r["review"] else []) + r["summary"]:
            env.print(f"    [dim]·[/] {env.esc(line)}")


@library.command("add")
@click.argument("source", required=False, metavar="URL|FILE")
@click.option("--title", help="Title (else taken from the page).")
@click.option("--topic", "topics", multiple=True, help="A topic (repeatable).")
@click.option("--review", help="Your own review or summary; it comes first.")
@click.option("--kind", type=click.Choice(["article", "book", "podcast"]), default=None,
              help="What it is (default: article, or book when there is no URL or file).")
@click.option("--author", help="Author (else taken from the page).")
@click.option("--sentences", type=click.IntRange(1, 10), default=3, show_default=True,
              help="Sentences in the automatic summary.")
@json_option
@pass_env
def add(env: Env, source: str | None, title: str | None, topics: tuple[str, ...], review: str | None,
        kind: str | None, author: str | None, sentences: int, as_json: bool) -> None:
    """Add a book, article or podcast from a URL, an HTML or text file, or just a --title."""
    from keepwarm.core import library as core
    from keepwarm.errors import InvalidInputError
    from keepwarm.store.library import LibraryRepo

    fields: dict[str, Any] = {"title": title, "author": author, "url": None, "text": None, "summary": []}
    if source:
        from keepwarm import fetch

        src = fetch.load(source)
        if src.is_html:
            ex = core.extract_html(src.content, src.label)
            fields.update(title=title or ex.title, author=author or ex.author, published=ex.published,
                          text=ex.text)
        else:
            lines = [ln.strip() for ln in src.content.splitlines() if ln.strip()]
            if not title and len(lines) > 1:  # the first line is the title, not a sentence of the body
                title, lines = lines[0][:300], lines[1:]
            if not core.sentences("\n".join(lines)):
                raise InvalidInputError(f"{src.label}: no text found in it")
            fields.update(title=title or lines[0][:300], text="\n".join(lines))
        fields["url"] = src.url
        fields["summary"] = core.summarize(fields["text"], sentences)
        fields["extra"] = {"source": source}
    elif not title:
        raise InvalidInputError("give a URL or a file, or at least --title for a book or podcast")
    with env.store() as store:
        repo = LibraryRepo(store.session, store.owner_id, store.today)
        row = repo.add(kind=kind or ("article" if source else "book"), topics=topics, review=review,
                       **fields)
        data = repo.to_json(row, sorted({t.lower() for t in topics}), [])
        if source:  # what you read may name your people: the news trigger picks it up
            from keepwarm.store.news import NewsRepo, text_key

            news = NewsRepo(store.session, store.owner_id, store.today)
            text = src.content if not src.is_html else "\n\n".join(fields["text"].splitlines())
            read = news.read(text, title=fields["title"], link=src.url, resource_id=row.id,
                             key=src.url or text_key(fields["title"] + "\n" + text),
                             published=fields.get("published"))
            data["mentions"] = news.describe(read)
    if as_json:
        env.print_json(data)
        return
    env.print(f"Added #{data['id']} [bold]{env.esc(data['title'])}[/] ({data['kind']}).")
    for line in ([data["review"]] if data["review"] else []) + data["summary"]:
        env.print(f"    [dim]·[/] {env.esc(line)}")
    for m in data.get("mentions", []):
        env.print(f"    [dim]·[/] mentions {env.esc(m['person']['name'])} [dim](matched "
                  f"{env.esc(m['matched'])}; `keepwarm news` to review)[/]")


@library.command("edit")
@click.argument("resource")
@click.option("--topic", "topics", multiple=True, help="Add a topic (repeatable).")
@click.option("--untopic", "untopics", multiple=True, help="Remove a topic (repeatable).")
@json_option
@pass_env
def edit(env: Env, resource: str, topics: tuple[str, ...], untopics: tuple[str, ...], as_json: bool) -> None:
    """Steer who a resource suits by adding or removing topics; its matches are recomputed at once."""
    from keepwarm.errors import InvalidInputError
    from keepwarm.store.library import LibraryRepo

    if not topics and not untopics:
        raise InvalidInputError("nothing to change: give --topic or --untopic")
    with env.store() as store:
        repo = LibraryRepo(store.session, store.owner_id, store.today)
        row = repo.resolve(resource)
        now = repo.edit_topics(row.id, add=topics, remove=untopics)
        data = repo.to_json(row, now, repo.shared_with([row.id])[row.id])
        data["suits"] = repo.suits([row.id])[row.id]
    if as_json:
        env.print_json(data)
        return
    env.print(f"Updated #{data['id']} [bold]{env.esc(data['title'])}[/]: topics "
              f"{env.esc(', '.join(now) or 'none')}.")
    for p in data["suits"]:
        env.print(f"    [dim]·[/] suits {env.esc(p['name'])} [dim]({env.esc(p['because'])})[/]")


@library.command("suggest")
@click.argument("resource", required=False)
@click.option("--person", help="Rank resources for this person instead.")
@click.option("--limit", type=click.IntRange(1, 200), default=10, show_default=True)
@json_option
@pass_env
def suggest(env: Env, resource: str | None, person: str | None, limit: int, as_json: bool) -> None:
    """Who would benefit from a resource (or what would benefit a person), best first."""
    from sqlalchemy import select

    from keepwarm.store.library import LibraryRepo
    from keepwarm.store.models import PersonRow

    with env.store() as store:
        repo = LibraryRepo(store.session, store.owner_id, store.today)
        found = repo.matches()
        repo.rematch(None, found)  # the agenda's stored matches get fresh on the way
        if resource:
            rid = repo.resolve(resource).id
            found = [m for m in found if m.resource_id == rid]
        if person:
            pid = store.people.resolve(person).id
            found = [m for m in found if m.person_id == pid]
        found = found[:limit]
        names = dict(store.session.execute(select(PersonRow.id, PersonRow.name).where(
            PersonRow.id.in_({m.person_id for m in found}))).all())
        titles = {r.id: r.title for r in repo.all()}
    data: list[dict[str, Any]] = [{"resource": {"id": m.resource_id, "title": titles[m.resource_id]},
             "person": {"id": m.person_id, "name": names[m.person_id]}, "score": round(m.score, 4),
             "because": m.because} for m in found]
    if as_json:
        env.print_json(data)
        return
    if not data:
        env.print("No good match. Add interests and tags to people, or topics to resources.")
    for n, d in enumerate(data, 1):
        env.print(f"{n:>2}. [bold]{env.esc(d['person']['name'])}[/] ← {env.esc(d['resource']['title'])} "
                  f"[dim]({d['score']:.2f}{'; ' + env.esc(d['because']) if d['because'] else ''})[/]")


@library.command("rematch")
@click.option("--person", "people", multiple=True, metavar="PERSON",
              help="Only refresh these people (quick, after adding or editing someone).")
@pass_env
def rematch(env: Env, people: tuple[str, ...]) -> None:
    """Recompute who each resource suits (after editing people's interests, tags or notes)."""
    from keepwarm.store.library import LibraryRepo

    with env.store() as store:
        repo = LibraryRepo(store.session, store.owner_id, store.today)
        ids = [store.people.resolve(p).id for p in people]
        n = repo.rematch_people(ids) if ids else repo.rematch()
    env.print(f"Stored {n} matches.")


@library.command("rm")
@click.argument("resource")
@pass_env
def rm(env: Env, resource: str) -> None:
    """Remove a resource from the library (the touches you logged stay)."""
    from keepwarm.store.library import LibraryRepo

    with env.store() as store:
        repo = LibraryRepo(store.session, store.owner_id, store.today)
        row = repo.resolve(resource)
        title = row.title
        repo.remove(row.id)
    env.print(f"Removed {env.esc(title)}.")


@click.command()
@click.argument("resource")
@click.argument("people", nargs=-1, required=True, metavar="PERSON...")
@click.option("--date", "when", default="today", help="ISO date, 'yesterday' or '3 days ago'.")
@click.option("--note", help="What you wrote with it.")
@pass_env
def share(env: Env, resource: str, people: tuple[str, ...], when: str, note: str | None) -> None:
    """Log that you shared a resource with people (a 'recommend' touch); it is not suggested to them again."""
    from keepwarm.core.dates import parse_date
    from keepwarm.store.library import LibraryRepo

    on = parse_date(when, env.settings.today)
    with env.store() as store:
        repo = LibraryRepo(store.session, store.owner_id, store.today)
        res = repo.resolve(resource)
        rows = [store.people.resolve(p) for p in people]
        repo.share(res.id, [r.id for r in rows], on, note)
        title = res.title
    env.print(f"Shared {env.esc(title)} with {env.esc(', '.join(r.name for r in rows))} on {on.isoformat()}.")


COMMANDS = [library, share]
