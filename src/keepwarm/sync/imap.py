"""Reading message headers from an IMAP server, incrementally.

Per folder the state keeps UIDVALIDITY and the last UID read; a folder whose UIDVALIDITY changed is read
again from the start (``capture_seen`` keeps that from adding anything twice). Only the header fields the
capture rules read are fetched, with ``BODY.PEEK`` so nothing is marked read, and each block goes through
the same reader as an mbox (:func:`keepwarm.capture.mail.parse_headers`): a message read from a file and
then over IMAP has the same key (its Message-ID) and counts once. Everything is fetched before anything
is stored: a connection dropped half-way stores nothing and leaves the state where it was.

imapclient opens the connection, logs in, lists, selects (and searches a large folder); the headers are
fetched over its imaplib connection underneath and read by :func:`fetched`, because imapclient's general
response parser costs more than the rest of a first sync of a large mailbox. They come in as few FETCH
commands as the server's latency allows (one for a folder of up to ``CHUNK`` messages, without a SEARCH
first), each message read while the server sends the next, and a sync logs out only after storing, so a
server still busy after its last answer is not waited for first.
"""

from __future__ import annotations

import contextlib
import logging
import re
import socket
import ssl
from collections.abc import Iterator
from typing import Any

from keepwarm.capture import Contact
from keepwarm.capture.mail import WANTED, parse_headers
from keepwarm.sync.errors import SyncError, refused, unreachable
from keepwarm.sync.registry import Source

FIELDS = " ".join(sorted(h.upper() for h in WANTED))  # every header the capture rules look at
QUERY = f"(BODY.PEEK[HEADER.FIELDS ({FIELDS})])"
CHUNK = 20_000  # messages a FETCH: a few large commands are answered faster; none makes us wait long


def _connect(src: Source) -> Any:
    from imapclient import IMAPClient
    from imapclient.exceptions import LoginError

    cfg = src.config
    host, security = cfg["host"], cfg.get("security", "tls")
    port = int(cfg.get("port") or (993 if security == "tls" else 143))
    try:
        client = IMAPClient(host, port=port, ssl=security == "tls", timeout=30)
        # imapclient writes some commands (SEARCH) in pieces: without this each waits for the server's
        # delayed acknowledgement of the first piece (40 ms on Linux)
        client.socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if security == "starttls":
            client.starttls(ssl.create_default_context())
        client.login(cfg["user"], src.password)
    except LoginError:
        raise refused(src.name) from None
    except (OSError, ssl.SSLError) as exc:
        raise unreachable(src.name, f"{host}:{port}", exc) from None
    except Exception as exc:  # imapclient's protocol errors: the server said no or hung up
        raise unreachable(src.name, f"{host}:{port}", exc) from None
    return client


SENT_NAMES = ("sent", "sent items", "sent messages", "sent mail", "[gmail]/sent mail", "inbox.sent")


def _folders(client: Any, configured: list[str]) -> list[str]:
    """The configured folders, else INBOX and the folder the server marks ``\\Sent`` (RFC 6154), or, from
    a server without special-use flags, the folder with the usual name of sent mail."""
    if configured:
        return configured
    listed = client.list_folders()
    marked = [name for flags, _, name in listed if b"\\Sent" in flags]
    named = [name for _, _, name in listed if name.lower() in SENT_NAMES]
    return ["INBOX", *(marked or named)[:1]]


_START = re.compile(rb"\d+ \(")  # "* 12 FETCH (" as imaplib keeps it: a response's first line
_UID = re.compile(rb"[( ]UID (\d+)", re.I)
_BODY = re.compile(rb"BODY\[[^\]]*\](?:<\d+>)? *\{\d+\}$", re.I)  # a line ending in our literal


def fetched(data: list[Any]) -> dict[int, bytes]:
    """The header block of each message (by UID) in the untagged FETCH responses imaplib collected: every
    response starts with a line ``<n> (``; a literal comes as ``(line up to it, literal)`` and the rest of
    the line after it as the next item. The UID may come before or after the header block. A response
    without our ``BODY[...]`` (flags the server volunteers) is not a message read; ``NIL`` or ``""`` instead
    of a literal is an empty header block."""
    out: dict[int, bytes] = {}
    uid: int | None = None
    block: bytes | None = None

    def done() -> None:
        if uid is not None and block is not None:
            out[uid] = block

    for item in data:
        text, literal = (item[0], item[1]) if isinstance(item, tuple) else (item, None)
        if not isinstance(text, bytes):
            continue  # imaplib's [None]: no response at all
        if _START.match(text):
            done()
            uid, block = None, None
        if uid is None and (m := _UID.search(text)):
            uid = int(m.group(1))
        if literal is not None and _BODY.search(text):
            block = literal
        elif block is None and b"BODY[" in text.upper():
            block = b""  # BODY[...] NIL or "": no such header lines
    done()
    return out


def _fetch(client: Any, ranges: list[tuple[int, int | None]]) -> Iterator[tuple[int, bytes]]:
    """The header blocks of the messages in these UID ranges (``None``: up to the newest), a FETCH a range,
    each handed on as soon as imaplib has read it (as its ``_get_tagged_response`` would, one response at a
    time), so what is done with it overlaps the server's sending the rest. A message outside its range
    (``n:*`` answers the newest even below ``n``; a server may volunteer others) is left out."""
    imap = client._imap  # imapclient's imaplib.IMAP4
    # imapclient has imaplib format every line and header block it reads for its debug log: not unless
    # someone reads that log
    debug = imap.debug
    if not logging.getLogger("imapclient.imaplib").isEnabledFor(logging.DEBUG):
        imap.debug = 0
    try:
        for lo, hi in ranges:
            tag = imap._command("UID", "FETCH", f"{lo}:{'*' if hi is None else hi}", QUERY)
            while imap.tagged_commands[tag] is None:
                imap._check_bye()  # the server said BYE: the connection is going
                imap._get_response()  # one whole response, its literals included
                for uid, block in fetched(imap.untagged_responses.pop("FETCH", [])).items():
                    if lo <= uid and (hi is None or uid <= hi):
                        yield uid, block
            typ, dat = imap.tagged_commands.pop(tag)
            if typ != "OK":
                raise imap.error(f"fetch failed: {typ} {dat!r}")
    finally:
        imap.debug = debug


def _ranges(client: Any, info: dict[bytes, Any], last: int) -> list[tuple[int, int | None]]:
    """The UID ranges to fetch after ``last``: none from an empty folder; everything in one FETCH from a
    folder of up to CHUNK messages (no SEARCH first); else the new UIDs, searched, CHUNK a range."""
    exists = info.get(b"EXISTS")
    if exists == 0:
        return []  # and some servers refuse "1:*" in an empty folder
    if exists is not None and int(exists) <= CHUNK:
        return [(last + 1, None)]
    uids = sorted(u for u in client.search(["UID", f"{last + 1}:*"]) if u > last)
    return [(uids[i], uids[min(i + CHUNK, len(uids)) - 1]) for i in range(0, len(uids), CHUNK)]


def _read_folder(client: Any, folder: str, state: dict[str, Any], name: str
                 ) -> tuple[list[Contact], dict[str, Any]]:
    from imapclient.exceptions import IMAPClientAbortError, IMAPClientError

    try:
        info = client.select_folder(folder, readonly=True)
    except IMAPClientError as exc:
        if isinstance(exc, IMAPClientAbortError) or "select failed" not in str(exc):
            raise  # the connection itself failed: said as such by the caller
        raise SyncError(f"source {name!r}: cannot open the folder {folder!r} ({exc}); nothing was stored",
                        hint="list the folders with your mail program and give one with --folder") from None
    validity = int(info.get(b"UIDVALIDITY", 0))
    last = int(state.get("last_uid", 0)) if int(state.get("uidvalidity", -1)) == validity else 0
    ranges = _ranges(client, info, last)
    read = {uid: parse_headers(block, f"{folder}/{uid}") for uid, block in _fetch(client, ranges)}
    return [read[uid] for uid in sorted(read)], {"uidvalidity": validity, "last_uid": max(read, default=last)}


def read_imap(src: Source, until: contextlib.ExitStack | None = None
              ) -> tuple[list[Contact], dict[str, Any]]:
    """Every new message of the source's folders as a capture record, and the state to keep once they
    are stored. The connection is closed before returning, or with ``until`` when that closes: after the
    records are stored, so that a server still busy with its last answer is not waited for first."""
    client = _connect(src)
    where = f"{src.config['host']}:{src.config.get('port') or ''}".rstrip(":")

    def close() -> None:
        with contextlib.suppress(Exception):  # already gone: nothing to close politely
            client.logout()

    try:
        folders = _folders(client, list(src.config.get("folders") or []))
        old: dict[str, Any] = dict(src.state.get("folders") or {})
        headers: list[Contact] = []
        new: dict[str, Any] = dict(old)
        for folder in folders:
            got, new[folder] = _read_folder(client, folder, old.get(folder) or {}, src.name)
            headers += got
    except BaseException as exc:
        close()
        if isinstance(exc, SyncError) or not isinstance(exc, Exception):
            raise
        # OSError and ssl.SSLError (TimeoutError included), or the server dropped us mid-command, or
        # answered nonsense
        raise unreachable(src.name, where, exc) from None
    if until is None:
        close()
    else:
        until.callback(close)
    return headers, {**src.state, "folders": new}
