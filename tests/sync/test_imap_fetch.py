"""Reading FETCH answers off imaplib (``keepwarm.sync.imap.fetched`` and ``_fetch``) without a server: a
scripted imaplib connection turns the bytes a server would send into exactly what imaplib makes of them."""

from __future__ import annotations

import imaplib
from typing import Any

import pytest

from keepwarm.capture.mail import parse_headers
from keepwarm.sync import imap as kimap
from keepwarm.sync.imap import QUERY, fetched


class _Wire:
    """What the server has sent so far, read as imaplib reads a socket file."""

    def __init__(self, data: bytes) -> None:
        self.buf, self.pos = bytearray(data), 0

    def readline(self, limit: int = -1) -> bytes:
        end = self.buf.find(b"\n", self.pos)
        end = len(self.buf) if end < 0 else end + 1
        line, self.pos = bytes(self.buf[self.pos:end]), end
        return line

    def read(self, size: int) -> bytes:
        got, self.pos = bytes(self.buf[self.pos:self.pos + size]), self.pos + size
        return got

    def close(self) -> None:
        pass


class Scripted(imaplib.IMAP4):
    """imaplib against canned answers: each command sent gets the next answer, ``TAG`` replaced by its
    tag; ``log`` records what was sent and, through ``note``, what the code under test did in between."""

    def __init__(self, answers: list[bytes]) -> None:
        self.answers = [b"* CAPABILITY IMAP4rev1\r\nTAG OK done\r\n", *answers]
        self.log: list[str] = []
        super().__init__("scripted")
        self.state, self.log = "SELECTED", []  # from here on: the greeting and CAPABILITY are done

    def open(self, host: str = "", port: int = 0, timeout: float | None = None) -> None:
        self.host, self.port, self.sock = host, port, None
        self.file = _Wire(b"* OK ready\r\n")  # type: ignore[assignment]

    def send(self, data: bytes) -> None:
        tag, command = data.split(b" ", 1)
        self.log.append(command.decode().strip())
        self.file.buf += self.answers.pop(0).replace(b"TAG", tag)  # type: ignore[attr-defined]

    def shutdown(self) -> None:
        pass


def _raw(wire: bytes) -> list[Any]:
    """What imaplib collects of these untagged FETCH responses."""
    conn = Scripted([wire + b"TAG OK fetched\r\n"])
    typ, data = conn.uid("FETCH", "1:*", QUERY)
    assert typ == "OK"
    return data


def _lit(block: bytes) -> bytes:
    return b"{%d}\r\n" % len(block) + block


A = (b"From: Ann <ann@example.com>\r\nTo: me@example.com\r\nMessage-ID: <a@x>\r\n"
     b"Date: 2 Nov 2026 10:00 +0000\r\n\r\n")
B = b"From: bob@work.com\r\nSubject: =?utf-8?q?Caf=C3=A9?=\r\n\r\n"
SECTION = b"BODY[HEADER.FIELDS (FROM TO)]"


def test_the_uid_is_read_before_or_after_the_header_block():
    wire = (b"* 1 FETCH (UID 7 " + SECTION + b" " + _lit(A) + b")\r\n"  # Dovecot, Gmail
            b"* 2 FETCH (" + SECTION + b" " + _lit(B) + b" UID 9)\r\n")  # pymap
    assert fetched(_raw(wire)) == {7: A, 9: B}


def test_flags_the_server_volunteers_are_no_message_and_an_empty_block_is_one():
    wire = (b"* 3 FETCH (FLAGS (\\Seen) UID 8)\r\n"
            b"* 1 FETCH (UID 7 " + SECTION + b" NIL)\r\n"
            b"* 2 FETCH (UID 9 FLAGS () " + SECTION + b' "")\r\n'
            b"* 4 FETCH (UID 10 " + SECTION + b" {0}\r\n)\r\n"
            b"* 12 EXISTS\r\n")
    assert fetched(_raw(wire)) == {7: b"", 9: b"", 10: b""}


def test_a_literal_that_is_not_the_header_block_is_not_taken_for_it():
    wire = (b"* 1 FETCH (UID 7 X-GM-LABELS (" + _lit(b"Inbox") + b") " + SECTION + b" " + _lit(A)
            + b" FLAGS ())\r\n")
    assert fetched(_raw(wire)) == {7: A}


def test_no_answer_at_all_is_no_message():
    assert fetched(_raw(b"")) == {} and fetched([None]) == {}


def test_the_blocks_read_as_imapclient_would_have_handed_them_over():
    from imapclient.response_parser import parse_fetch_response

    wire = (b"* 1 FETCH (UID 7 " + SECTION + b" " + _lit(A) + b")\r\n"
            b"* 2 FETCH (" + SECTION + b" " + _lit(B) + b" UID 9)\r\n"
            b"* 3 FETCH (UID 11 " + SECTION + b" NIL)\r\n")
    data = _raw(wire)
    theirs = {uid: next((v for k, v in d.items() if k.startswith(b"BODY[") and isinstance(v, bytes)), b"")
              for uid, d in parse_fetch_response(data, True, True).items()}
    assert fetched(data) == theirs
    assert [parse_headers(b, "x") for b in fetched(data).values()] == [parse_headers(b, "x")
                                                                      for b in theirs.values()]


class _Client:
    def __init__(self, conn: Scripted) -> None:
        self._imap = conn


def _answer(uids: list[int], extra: bytes = b"") -> bytes:
    return b"".join(b"* %d FETCH (UID %d " % (u, u) + SECTION + b" " + _lit(b"Message-ID: <%d@x>\r\n\r\n" % u)
                    + b")\r\n" for u in uids) + extra + b"TAG OK done\r\n"


def test_blocks_are_fetched_by_uid_range_and_each_handed_on_before_the_rest_of_the_answer_is_read():
    # the server also answers a message outside the range (volunteered, or the newest for "n:*")
    stray = _answer([99]).removesuffix(b"TAG OK done\r\n")
    conn = Scripted([_answer([3, 5], stray), _answer([8, 9]), _answer([12], _answer([2]).split(b"TAG")[0])])
    got = []
    for uid, block in kimap._fetch(_Client(conn), [(3, 5), (8, 9), (10, None)]):
        still = any(result is None for result in conn.tagged_commands.values())
        conn.log.append(f"got {uid}" + (" early" if still else ""))  # before the answer's end was read
        got.append(block)
    assert conn.log == [f"UID FETCH 3:5 {QUERY}", "got 3 early", "got 5 early",
                        f"UID FETCH 8:9 {QUERY}", "got 8 early", "got 9 early",
                        f"UID FETCH 10:* {QUERY}", "got 12 early"]
    assert [parse_headers(b, "x").key for b in got] == ["3@x", "5@x", "8@x", "9@x", "12@x"]
    assert not conn.tagged_commands and not conn.untagged_responses.get("FETCH")


def test_the_ranges_one_fetch_for_a_small_folder_none_for_an_empty_one_else_searched(monkeypatch):
    class Searching:
        def search(self, criteria: list[str]) -> list[int]:
            assert criteria == ["UID", "8:*"]
            return [12, 9, 10, 7, 11, 15]  # any order; 7: the newest below 8 ("8:*" when nothing is new)

    monkeypatch.setattr(kimap, "CHUNK", 2)
    assert kimap._ranges(Searching(), {b"EXISTS": 0}, 7) == []
    assert kimap._ranges(Searching(), {b"EXISTS": 2}, 7) == [(8, None)]
    assert kimap._ranges(Searching(), {b"EXISTS": 3}, 7) == [(9, 10), (11, 12), (15, 15)]
    assert kimap._ranges(Searching(), {}, 7) == [(9, 10), (11, 12), (15, 15)]  # no EXISTS: searched


def test_a_fetch_the_server_refuses_is_an_error_and_nothing_is_handed_on(monkeypatch):
    conn = Scripted([b"TAG NO [SERVERBUG] sorry\r\n"])
    with pytest.raises(imaplib.IMAP4.error, match="fetch failed"):
        list(kimap._fetch(_Client(conn), [(1, None)]))


def test_imapclients_debug_formatting_is_off_while_fetching_and_back_after():
    conn = Scripted([_answer([1])])
    conn.debug = 5  # what imapclient sets, for its debug log

    def spy() -> Any:
        for item in kimap._fetch(_Client(conn), [(1, 1)]):
            assert conn.debug == 0
            yield item

    assert len(list(spy())) == 1 and conn.debug == 5
