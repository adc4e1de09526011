"""IMAP sources against a real IMAP server (pymap) on loopback, filled through APPEND."""

from __future__ import annotations

from typing import Any

import pytest
from imapclient import IMAPClient
from sqlalchemy import select
from syncservers import PASSWORD, USER, Relay

from keepwarm.store.models.capture import SourceRow


def _message(n: int, sender: str, to: str, day: int, extra: str = "") -> bytes:
    return (f"From: {sender}\r\nTo: {to}\r\nMessage-ID: <m{n}@example.org>\r\n"
            f"Date: {day:02d} Nov 2026 10:00:00 +0000\r\nSubject: note {n}\r\n{extra}\r\n"
            f"body {n}\r\n").encode()


def _append(port: int, folder: str, messages: list[bytes]) -> None:
    with IMAPClient("127.0.0.1", port=port, ssl=False) as c:
        c.login(USER, PASSWORD)
        if not c.folder_exists(folder):
            c.create_folder(folder)
        for m in messages:
            c.append(folder, m)


def _people(cli: Any) -> None:
    for name, email in (("Ann Lee", "ann@example.com"), ("Bob Roe", "bob@example.com")):
        assert cli("add", name, "--email", email).code == 0


def _add_source(cli: Any, port: int, *folders: str) -> None:
    args = ["sources", "add", "imap", "mail", "--host", "127.0.0.1", "--port", str(port), "--user", USER,
            "--plain"]
    for f in folders:
        args += ["--folder", f]
    r = cli(*args)
    assert r.code == 0, r.err


def _touches(make_store: Any, name: str) -> list[tuple[str, str, str | None]]:
    with make_store() as store:
        pid = store.people.resolve(name).id
        return [(t.on_date.isoformat(), t.initiated_by, t.source) for t in store.touches.of_person(pid)]


def _state(make_store: Any) -> dict[str, Any]:
    with make_store() as store:
        return dict(store.session.scalar(select(SourceRow.state)) or {})


def test_mail_becomes_one_touch_per_person_and_day_and_a_second_sync_reads_nothing(cli, make_store,
                                                                                    imap_port):
    _people(cli)
    _append(imap_port, "INBOX", [
        _message(1, "Ann Lee <ann@example.com>", USER, 20),
        _message(2, "Ann Lee <ann@example.com>", USER, 20),  # same day: still one touch
        _message(3, "News <ann@example.com>", USER, 21, "List-Id: <news.example.com>\r\n"),
        _message(4, "Ann <ann@example.com>", USER, 22, "Auto-Submitted: auto-replied\r\n"),
        _message(5, "Stranger <who@example.net>", USER, 22),
    ])
    _append(imap_port, "Sent", [_message(6, USER, "Bob Roe <bob@example.com>, ann@example.com", 23)])
    _add_source(cli, imap_port, "INBOX", "Sent")

    first = cli("sync", "--json")
    assert first.code == 0, first.err
    # the capture rules: the list mail and the auto-reply are bulk, no touch; the stranger waits for review
    got = first.json()[0]
    assert (got["read"], got["no_touch"], got["unmatched"], got["same_day"]) == (6, 2, 1, 1)
    assert _touches(make_store, "Ann Lee") == [("2026-11-23", "me", "mail"), ("2026-11-20", "them", "mail")]
    assert _touches(make_store, "Bob Roe") == [("2026-11-23", "me", "mail")]

    second = cli("sync", "mail", "--json")
    assert second.json()[0]["read"] == 0 and second.json()[0]["touches"] == 0
    assert len(_touches(make_store, "Ann Lee")) == 2


def test_a_mail_captured_from_an_mbox_and_then_seen_over_imap_counts_once(cli, make_store, imap_port,
                                                                          tmp_path):
    _people(cli)
    with_id = _message(1, "Ann Lee <ann@example.com>", USER, 20)
    without_id = _message(2, "Bob Roe <bob@example.com>", USER, 21).replace(
        b"Message-ID: <m2@example.org>\r\n", b"")  # known by a hash of its headers instead
    mbox = tmp_path / "export.mbox"
    mbox.write_bytes(b"".join(b"From x@y Fri Nov 20 10:00:00 2026\n" + m.replace(b"\r\n", b"\n") + b"\n"
                              for m in (with_id, without_id)))
    assert cli("me", "add", USER).code == 0
    captured = cli("capture", str(mbox), "--json")
    assert captured.code == 0, captured.err
    assert len(captured.json()["logged"]) == 2
    _append(imap_port, "INBOX", [with_id, without_id])
    _add_source(cli, imap_port, "INBOX")

    r = cli("sync", "--json")
    assert r.code == 0, r.err
    assert (r.json()[0]["read"], r.json()[0]["touches"], r.json()[0]["seen_before"]) == (2, 0, 2)
    assert _touches(make_store, "Ann Lee") == [("2026-11-20", "them", "mail")]
    assert _touches(make_store, "Bob Roe") == [("2026-11-21", "them", "mail")]


def test_a_changed_uidvalidity_rereads_the_folder_and_adds_nothing_twice(cli, make_store, imap_port):
    _people(cli)
    old = [_message(1, "ann@example.com", USER, 10), _message(2, "bob@example.com", USER, 11)]
    _append(imap_port, "Work", old)
    _add_source(cli, imap_port, "Work")
    assert cli("sync").code == 0
    validity = _state(make_store)["folders"]["Work"]["uidvalidity"]

    with IMAPClient("127.0.0.1", port=imap_port, ssl=False) as c:  # the server rebuilt the folder
        c.login(USER, PASSWORD)
        c.delete_folder("Work")
    _append(imap_port, "Work", [*old, _message(3, "ann@example.com", USER, 12)])

    r = cli("sync", "--json")
    assert r.code == 0, r.err
    assert r.json()[0]["read"] == 3 and r.json()[0]["seen_before"] == 2 and r.json()[0]["touches"] == 1
    assert _state(make_store)["folders"]["Work"]["uidvalidity"] != validity
    assert [t[0] for t in _touches(make_store, "Ann Lee")] == ["2026-11-12", "2026-11-10"]
    assert len(_touches(make_store, "Bob Roe")) == 1


def test_a_connection_dropped_mid_fetch_stores_nothing_and_the_next_sync_gets_everything(
        cli, make_store, imap_port):
    _people(cli)
    _append(imap_port, "INBOX", [_message(n, "ann@example.com" if n % 2 else "bob@example.com", USER,
                                          1 + n % 20) for n in range(1, 81)])
    relay = Relay(imap_port)
    try:
        _add_source(cli, relay.port, "INBOX")
        relay.cut_after = 6000  # past the greeting, login and SELECT; inside the headers
        r = cli("sync")
        assert r.code != 0
        assert r.err.startswith("keepwarm: error: source 'mail': cannot talk to 127.0.0.1:")
        assert "Traceback" not in r.err and "nothing was stored" in r.err
        assert _touches(make_store, "Ann Lee") == [] and _state(make_store) == {}

        relay.cut_after = None
        r = cli("sync", "--json")
        assert r.code == 0, r.err
        assert r.json()[0]["read"] == 80
        assert _state(make_store)["folders"]["INBOX"]["last_uid"] > 0
        assert len(_touches(make_store, "Ann Lee")) == 10  # odd messages, ten distinct days
    finally:
        relay.close()


def test_a_wrong_password_is_one_clear_line(cli, make_store, imap_port, monkeypatch):
    monkeypatch.setenv("KEEPWARM_SOURCE_PASSWORD", "wrong")
    _add_source(cli, imap_port, "INBOX")
    r = cli("sync")
    assert r.code == 10
    assert r.err.splitlines()[0] == ("keepwarm: error: source 'mail': the server refused the user name or "
                                     "password; nothing was stored")
    assert _state(make_store) == {}


def test_a_server_that_is_down_is_one_clear_line(cli):
    from syncservers import free_port

    _add_source(cli, free_port(), "INBOX")
    r = cli("sync")
    assert r.code == 10
    assert r.err.startswith("keepwarm: error: source 'mail': cannot talk to 127.0.0.1:")
    assert "Traceback" not in r.err


@pytest.mark.parametrize("host", ["imap.example.com", "10.0.0.5"])
def test_plain_imap_is_refused_off_this_machine(cli, host):
    r = cli("sources", "add", "imap", "mail", "--host", host, "--user", USER, "--plain")
    assert r.code == 2 and "--plain sends the password in clear" in r.err


def test_by_default_the_inbox_and_the_sent_folder_are_read_and_no_other(cli, make_store, imap_port):
    _people(cli)
    _append(imap_port, "INBOX", [_message(1, "ann@example.com", USER, 20)])
    _append(imap_port, "Sent", [_message(2, USER, "bob@example.com", 21)])
    _append(imap_port, "Newsletters", [_message(3, "ann@example.com", USER, 22)])
    _add_source(cli, imap_port)  # no --folder

    r = cli("sync", "--json")
    assert r.code == 0, r.err
    assert r.json()[0]["read"] == 2
    assert sorted(_state(make_store)["folders"]) == ["INBOX", "Sent"]
    assert _touches(make_store, "Bob Roe") == [("2026-11-21", "me", "mail")]


def test_a_folder_that_does_not_exist_is_named_in_one_line(cli, make_store, imap_port):
    _add_source(cli, imap_port, "INBOX", "Archive/2019")
    r = cli("sync")
    assert r.code == 10
    assert r.err.splitlines()[0].startswith("keepwarm: error: source 'mail': cannot open the folder "
                                            "'Archive/2019' (select failed")
    assert _state(make_store) == {}


def test_the_headers_read_over_imap_are_the_records_imapclients_own_fetch_gives(imap_port):
    from keepwarm.capture.mail import parse_headers
    from keepwarm.sync.imap import FIELDS, read_imap
    from keepwarm.sync.registry import Source

    tricky = [
        b"From: \"Lee, Ann\"\r\n <ann@example.com>\r\nTo: me@example.org,\r\n\tbob@example.com\r\n"
        b"Date: Fri, 13 Nov 2026\r\n 10:00:00 +0100\r\nMessage-ID: <f1@x>\r\n"
        b"Subject: a long\r\n   subject\r\n\r\nbody\r\n",
        b"From: =?utf-8?q?Ren=C3=A9e?= <RENEE@Example.FR>\r\nTo: me@example.org\r\n"
        b"Date: 2 Nov 2026 09:00 -0500\r\nSubject: =?utf-8?b?Q2Fmw6k=?=\r\nMessage-ID: <enc@x>\r\n"
        b"List-Id: <l.example.com>\r\n\r\nbody\r\n",
        b"From: me@example.org\r\nTo: Ann <ann@example.com>, \"Bob B.\" <bob@example.com>\r\n"
        b"Cc: carol@other.org\r\nDate: Mon, 16 Nov 2026 18:00:00 +0000\r\nMessage-ID: <many@x>\r\n"
        b"\r\nbody\r\n",
        b"From: bob@example.com\r\nTo: me@example.org\r\nDate: Tue, 17 Nov 2026 08:00:00 +0000\r\n"
        b"Subject: no id\r\n\r\nbody\r\n",
        b"X-Nothing-We-Read: 1\r\n\r\nbody\r\n",
    ]
    _append(imap_port, "INBOX", tricky)
    src = Source(1, "mail", "imap", {"host": "127.0.0.1", "port": imap_port, "user": USER,
                                     "security": "plain", "folders": ["INBOX"]}, PASSWORD, {})
    records, state = read_imap(src)

    with IMAPClient("127.0.0.1", port=imap_port, ssl=False) as c:  # the way the headers were read before
        c.login(USER, PASSWORD)
        c.select_folder("INBOX", readonly=True)
        answer = c.fetch(c.search(["ALL"]), [f"BODY.PEEK[HEADER.FIELDS ({FIELDS})]"])
    before = [parse_headers(next(v for k, v in data.items() if k.startswith(b"BODY[")), f"INBOX/{uid}")
              for uid, data in sorted(answer.items())]
    assert records == before and len(records) == 5
    assert records[3].key.startswith("sha1:") and records[0].subject == "a long subject"
    assert state["folders"]["INBOX"]["last_uid"] == max(answer)


def test_the_connection_is_closed_once_the_records_are_stored_and_at_once_when_reading_fails(
        cli, make_store, imap_port, monkeypatch):
    from keepwarm.sync import sink as sink_module

    events: list[str] = []
    logout, store = IMAPClient.logout, sink_module.sink

    def logging_out(self: Any) -> Any:
        events.append("logout")
        return logout(self)

    def storing(*args: Any, **kwargs: Any) -> Any:
        events.append("store")
        return store(*args, **kwargs)

    monkeypatch.setattr(IMAPClient, "logout", logging_out)
    monkeypatch.setattr(sink_module, "sink", storing)
    _people(cli)
    _append(imap_port, "INBOX", [_message(1, "ann@example.com", USER, 20)])
    _add_source(cli, imap_port, "INBOX", "Nowhere")
    events.clear()  # the APPENDs' own connection
    assert cli("sync").code == 10  # the second folder does not exist: closed, nothing stored
    assert events == ["logout"] and _touches(make_store, "Ann Lee") == []

    events.clear()
    assert cli("sources", "rm", "mail").code == 0
    _add_source(cli, imap_port, "INBOX")
    r = cli("sync", "--json")
    assert r.code == 0 and r.json()[0]["touches"] == 1
    assert events == ["store", "logout"]  # the server finishes its last answer while we store


def test_a_folder_larger_than_one_fetch_is_read_in_ranges_with_the_same_records(imap_port, monkeypatch):
    from keepwarm.sync import imap as kimap
    from keepwarm.sync.registry import Source

    _append(imap_port, "INBOX", [_message(n, "ann@example.com", USER, n) for n in range(1, 8)])
    src = Source(1, "mail", "imap", {"host": "127.0.0.1", "port": imap_port, "user": USER,
                                     "security": "plain", "folders": ["INBOX"]}, PASSWORD, {})
    whole, state = kimap.read_imap(src)
    monkeypatch.setattr(kimap, "CHUNK", 3)  # seven messages: searched, then three ranges
    ranged, ranged_state = kimap.read_imap(src)
    assert ranged == whole and ranged_state == state and len(whole) == 7
    src.state = state
    _append(imap_port, "INBOX", [_message(8, "bob@example.com", USER, 8)])
    assert [r.key for r in kimap.read_imap(src)[0]] == ["m8@example.org"]  # only what is new
    monkeypatch.setattr(kimap, "CHUNK", 20_000)
    assert [r.key for r in kimap.read_imap(src)[0]] == ["m8@example.org"]
