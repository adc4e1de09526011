"""keepwarm user add / list / passwd, and the demo login of keepwarm serve --demo."""

from __future__ import annotations

import io
import sys


def _stdin(monkeypatch, text):
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def test_the_first_user_claims_the_network_made_with_the_cli(cli, monkeypatch):
    assert cli("add", "Ada Lovelace").code == 0
    _stdin(monkeypatch, "correct horse battery\n")
    r = cli("user", "add", "Me@Example.com", "--password-stdin")
    assert r.code == 0 and "owns the network" in r.out
    users = cli("user", "list", "--json").json()
    assert users == [{"id": users[0]["id"], "email": "me@example.com", "has_password": True, "people": 1}]
    assert cli("--user", "me@example.com", "show", "Ada", "--json").json()["name"] == "Ada Lovelace"


def test_a_second_user_gets_an_empty_network_of_their_own(cli, monkeypatch):
    _stdin(monkeypatch, "password-one\n")
    cli("user", "add", "a@example.com", "--password-stdin")
    cli("add", "Ada Lovelace")
    _stdin(monkeypatch, "password-two\n")
    assert cli("user", "add", "b@example.com", "--password-stdin").code == 0
    assert cli("--user", "b@example.com", "list", "--json").json() == []
    assert [u["people"] for u in cli("user", "list", "--json").json()] == [1, 0]


def test_bad_accounts_are_one_line_errors(cli, monkeypatch):
    _stdin(monkeypatch, "short\n")
    r = cli("user", "add", "a@example.com", "--password-stdin")
    assert r.code != 0 and "at least 8 characters" in r.err and "Traceback" not in r.err
    _stdin(monkeypatch, "long enough\n")
    assert cli("user", "add", "not an email", "--password-stdin").code != 0
    _stdin(monkeypatch, "long enough\n")
    cli("user", "add", "a@example.com", "--password-stdin")
    _stdin(monkeypatch, "long enough\n")
    r = cli("user", "add", "a@example.com", "--password-stdin")
    assert r.code != 0 and "already a user" in r.err
    _stdin(monkeypatch, "long enough\n")
    assert "no user" in cli("user", "passwd", "nobody@example.com", "--password-stdin").err


def test_passwd_changes_the_password(cli, monkeypatch, db_url):
    from keepwarm.store import Database
    from keepwarm.store.accounts import authenticate

    _stdin(monkeypatch, "first-password\n")
    cli("user", "add", "a@example.com", "--password-stdin")
    _stdin(monkeypatch, "second-password\n")
    assert cli("user", "passwd", "A@example.com", "--password-stdin").code == 0
    db = Database(db_url)
    with db.session() as session:
        assert authenticate(session, "a@example.com", "second-password") is not None
        assert authenticate(session, "a@example.com", "first-password") is None
    db.dispose()


def test_serve_demo_loads_the_demo_and_sets_a_fresh_demo_password(db_url, tmp_path):
    from datetime import date

    from keepwarm.cli.commands.serve import DEMO_EMAIL, prepare_demo
    from keepwarm.cli.env import Env
    from keepwarm.config import Settings
    from keepwarm.core.demo import network
    from keepwarm.store.accounts import authenticate, list_users

    env = Env(Settings(database_url=db_url, today=date(2026, 11, 25), config_dir=tmp_path))
    email, first = prepare_demo(env)
    email2, second = prepare_demo(env)  # a second start keeps the data, makes a new password
    assert email == email2 == DEMO_EMAIL and first != second
    with env.db.session() as session:
        assert authenticate(session, email, second) is not None
        assert authenticate(session, email, first) is None
        demo_size = len(network(env.settings.today).people)
        assert [(u.email, u.people) for u in list_users(session)] == [(DEMO_EMAIL, demo_size)]
    env.close()
