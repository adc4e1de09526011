"""Options shared by several commands, and parsing of the values people type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

F = Callable[..., Any]

pass_env = click.pass_obj


def json_option(f: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(f)


def person_options(f: F) -> F:
    """The fields of a person, as options for `add` and `edit`."""
    opts = [
        click.option("--email", "emails", multiple=True, help="An email address (repeatable)."),
        click.option("--phone", "phones", multiple=True, help="A phone number (repeatable)."),
        click.option("--company", help="Company or organisation."),
        click.option("--title", help="Job title."),
        click.option("--location", help="City or region."),
        click.option("--birthday", metavar="YYYY-MM-DD|MM-DD", help="Birthday; the year is optional."),
        click.option("--circle", help="Circle (inner, close, active, warm, occasional, or yours)."),
        click.option("--every", metavar="30d|6w|3m|1y", help="Own keep-in-touch rhythm."),
        click.option("--tag", "tags", multiple=True, help="A tag (repeatable)."),
        click.option("--interest", "interests", multiple=True, help="An interest or topic (repeatable)."),
        click.option("--how-met", help="How you met."),
        click.option("--met-on", metavar="DATE", help="When you met."),
        click.option("--linkedin", metavar="URL", help="LinkedIn profile URL."),
        click.option("--link", "links", multiple=True, metavar="URL", help="Another web link (repeatable)."),
        click.option("--nickname", help="What they like to be called."),
        click.option("--note", help="Free notes."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f
