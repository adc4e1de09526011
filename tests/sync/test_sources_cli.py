"""`keepwarm sources`: adding, listing and removing sources, and passwords that are stored only encrypted."""

from __future__ import annotations

import io
import stat

import pytest
from sqlalchemy import select

from keepwarm.store.models.capture import SourceRow


def _secret(make_store) -> bytes:  # type: ignore[no-untyped-def]
    with make_store() as store:
        return bytes(store.session.scalar(select(SourceRow.secret)))


def test_a_source_is_listed_without_its_password_and_stored_only_encrypted(cli, make_store, tmp_path,
                                                                          monkeypatch):
    monkeypatch.delenv("KEEPWARM_SECRET_KEY", raising=False)
    monkeypatch.setenv("KEEPWARM_SOURCE_PASSWORD", "hunter2-very-secret")
    r = cli("sources", "add", "imap", "work", "--host", "imap.example.com", "--user", "me@example.com")
    assert r.code == 0, r.err
    listed = cli("sources", "--json").json()
    assert listed == [{"name": "work", "kind": "imap", "host": "imap.example.com", "port": None,
                       "user": "me@example.com", "security": "tls", "folders": [], "last_sync_at": None}]
    assert "hunter2" not in cli("sources").out + cli("sources", "--json").out
    assert b"hunter2" not in _secret(make_store)
    key = tmp_path / "config" / "sources.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600

    from keepwarm.sync.secrets import decrypt

    assert decrypt(_secret(make_store), tmp_path / "config") == "hunter2-very-secret"


def test_the_password_can_come_from_standard_input(cli, make_store, monkeypatch, tmp_path):
    monkeypatch.delenv("KEEPWARM_SOURCE_PASSWORD")
    monkeypatch.setenv("KEEPWARM_SECRET_KEY", "the server's secret")
    monkeypatch.setattr("sys.stdin", io.StringIO("from-stdin\n"))
    r = cli("sources", "add", "carddav", "phone", "--url", "https://dav.example.com/", "--user", "me",
            "--password-stdin")
    assert r.code == 0, r.err
    from keepwarm.sync.secrets import decrypt

    assert decrypt(_secret(make_store), tmp_path / "nowhere") == "from-stdin"
    assert not (tmp_path / "config" / "sources.key").exists()  # the environment's key was used


def test_no_password_at_all_is_refused_with_a_hint(cli, monkeypatch):
    monkeypatch.delenv("KEEPWARM_SOURCE_PASSWORD")
    r = cli("sources", "add", "caldav", "cal", "--url", "https://dav.example.com/", "--user", "me")
    assert r.code == 2
    assert r.err.splitlines() == ["keepwarm: error: no password given",
                                  "  hint: pass --password-stdin or set KEEPWARM_SOURCE_PASSWORD"]
    assert cli("sources", "--json").json() == []


def test_a_changed_secret_key_is_one_clear_line_not_a_traceback(cli, monkeypatch):
    monkeypatch.setenv("KEEPWARM_SECRET_KEY", "first")
    added = cli("sources", "add", "caldav", "cal", "--url", "https://dav.example.com/", "--user", "me")
    assert added.code == 0
    monkeypatch.setenv("KEEPWARM_SECRET_KEY", "second")
    r = cli("sync", "cal")
    assert r.code == 6
    assert r.err.splitlines()[0] == ("keepwarm: error: the stored source password cannot be decrypted "
                                     "with this key")


def test_names_are_unique_and_rm_forgets_a_source(cli):
    args = ("sources", "add", "caldav", "cal", "--url", "https://dav.example.com/", "--user", "me")
    assert cli(*args).code == 0
    again = cli(*args)
    assert again.code == 5 and "a source named 'cal' already exists" in again.err
    assert cli("sources", "rm", "cal").code == 0
    assert cli("sources", "--json").json() == []
    missing = cli("sources", "rm", "cal")
    assert missing.code == 3 and "no source named 'cal'" in missing.err
    assert cli("sync", "nope").code == 3


def test_a_bad_source_name_is_refused(cli):
    r = cli("sources", "add", "caldav", "my cal/1", "--url", "https://x.example/", "--user", "me")
    assert r.code == 2 and "source name 'my cal/1'" in r.err


@pytest.mark.parametrize(("url", "why"), [
    ("http://dav.example.com/me/", "http sends the password in clear"),
    ("ftp://dav.example.com/", "give an https:// address"),
    ("dav.example.com/me", "give an https:// address"),
])
def test_a_dav_url_that_would_leak_the_password_or_is_not_one_is_refused(cli, url, why):
    r = cli("sources", "add", "carddav", "phone", "--url", url, "--user", "me")
    assert r.code == 2 and why in r.err
    assert cli("sources", "--json").json() == []


def test_sync_without_sources_says_how_to_add_one(cli):
    r = cli("sync")
    assert r.code == 0 and "Nothing to sync yet" in r.out and "keepwarm sources add" in r.out
