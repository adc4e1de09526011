"""Accounts: keepwarm user add / list / passwd."""

from __future__ import annotations

import sys

import click

from keepwarm.cli.env import Env
from keepwarm.cli.options import json_option, pass_env


def _read_password(from_stdin: bool, confirm: bool = True) -> str:
    """The password from standard input (one line, for scripts) or a hidden prompt."""
    if from_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=confirm))


@click.group()
def user() -> None:
    """Manage the accounts that can log in to the web app."""


@user.command("add")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@pass_env
def user_add(env: Env, email: str, password_stdin: bool) -> None:
    """Create an account (the first one takes over the network made with the CLI)."""
    from keepwarm.store.accounts import add_user

    password = _read_password(password_stdin)
    with env.db.session() as session:
        account, claimed = add_user(session, email, password)
        address = account.email
    if claimed:
        env.say(f"Created {address}; it owns the network you made with the CLI.")
    else:
        env.say(f"Created {address}.")


@user.command("list")
@json_option
@pass_env
def user_list(env: Env, as_json: bool) -> None:
    """List the accounts."""
    from keepwarm.store.accounts import list_users

    with env.db.session() as session:
        users = list_users(session)
    if as_json:
        env.print_json([{"id": u.id, "email": u.email, "has_password": u.has_password, "people": u.people}
                        for u in users])
        return
    from rich.table import Table

    table = Table("id", "email", "can log in", "people")
    for u in users:
        table.add_row(str(u.id), u.email, "yes" if u.has_password else "no (CLI only)", str(u.people))
    env.print(table)


@user.command("passwd")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@pass_env
def user_passwd(env: Env, email: str, password_stdin: bool) -> None:
    """Set a new password for an account (its web sessions end)."""
    from keepwarm.store.accounts import set_password

    password = _read_password(password_stdin)
    with env.db.session() as session:
        set_password(session, email, password)
    env.say(f"Changed the password of {email.lower()}.")


COMMANDS = [user]
