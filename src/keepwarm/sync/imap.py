"""Reading message headers from an IMAP server, incrementally.

Per folder the state keeps UIDVALIDITY and the last UID read; a folder whose UIDVALIDITY changed is read
again from the start (``capture_seen`` keeps that from adding anything twice). Only the header fields the
capture rules read are fetched, with ``BODY.PEEK`` so nothing is marked read, and each block goes through
the same reader as an mbox (:func:`keepwarm.capture.mail.parse_headers`): a message read from a file and
then over IMAP has the same key (its Message-ID) and counts once. Everything is fetched before anything
is stored: a connection dropped half-way stores nothing and leaves the state where it was.
"""

from __future__ import annotations

import contextlib
import ssl
from typing import Any

from keepwarm.capture import Contact
from keepwarm.capture.mail import WANTED, parse_headers
from keepwarm.sync.errors import SyncError, refused, unreachable
from keepwarm.sync.registry import Source

FIELDS = " ".join(sorted(h.upper() for h in WANTED))  # every header the capture rules look at
CHUNK = 500
LOOPBACK = {"localhost", "127.0.0.1", "::1"}


def _connect(src: Source) -> Any:
    from imapclient import IMAPClient
    from imapclient.exceptions import LoginError

    cfg = src.config
    host, security = cfg["host"], cfg.get("security", "tls")
    port = int(cfg.get("port") or (993 if security == "tls" else 143))
    try:
        client = IMAPClient(host, port=port, ssl=security == "tls", timeout=30)
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


def _header_bytes(data: dict[bytes, Any]) -> bytes:
    for key, value in data.items():
        if key.startswith(b"BODY[") and isinstance(value, bytes):
            return value
    return b""


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
    uids = sorted(u for u in client.search(["UID", f"{last + 1}:*"]) if u > last)
    headers: list[Contact] = []
    for start in range(0, len(uids), CHUNK):
        chunk = uids[start:start + CHUNK]
        for uid, data in sorted(client.fetch(chunk, [f"BODY.PEEK[HEADER.FIELDS ({FIELDS})]"]).items()):
            headers.append(parse_headers(_header_bytes(data), f"{folder}/{uid}"))
    return headers, {"uidvalidity": validity, "last_uid": max(uids, default=last)}


def read_imap(src: Source) -> tuple[list[Contact], dict[str, Any]]:
    """Every new message of the source's folders as a capture record, and the state to keep once they
    are stored."""
    client = _connect(src)
    where = f"{src.config['host']}:{src.config.get('port') or ''}".rstrip(":")
    try:
        folders = _folders(client, list(src.config.get("folders") or []))
        old: dict[str, Any] = dict(src.state.get("folders") or {})
        headers: list[Contact] = []
        new: dict[str, Any] = dict(old)
        for folder in folders:
            got, new[folder] = _read_folder(client, folder, old.get(folder) or {}, src.name)
            headers += got
    except SyncError:
        raise
    except (OSError, ssl.SSLError) as exc:  # TimeoutError included
        raise unreachable(src.name, where, exc) from None
    except Exception as exc:  # the server dropped us mid-command, or answered nonsense
        raise unreachable(src.name, where, exc) from None
    finally:
        with contextlib.suppress(Exception):  # already gone: nothing to close politely
            client.logout()
    return headers, {**src.state, "folders": new}
