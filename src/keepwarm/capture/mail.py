"""Mail headers as capture records: an mbox (Google Takeout, Thunderbird, mutt), a folder of .eml files,
or one .eml file.

Only headers are read: a message's body and attachments are skipped byte by byte and never decoded, which
keeps private text out of keepwarm and makes a 50,000-message mbox quick. The mbox scanner is our own,
not :mod:`mailbox`, because that module parses every whole message.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from datetime import date
from email.header import decode_header, make_header
from email.utils import getaddresses, parsedate_to_datetime
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from keepwarm.capture import MAIL, Contact, Party
from keepwarm.capture.rules import BULK_NAMES, bulk_reason
from keepwarm.errors import FormatError

WANTED = frozenset(h.lower() for h in ("From", "To", "Cc", "Date", "Message-ID", "Subject", *BULK_NAMES))
_BULK_LOWER = {h.lower(): h for h in BULK_NAMES}


def looks_like_mbox(head: bytes) -> bool:
    """An mbox starts with a ``From `` separator line."""
    return head.lstrip(b"\r\n").startswith(b"From ")


def looks_like_eml(head: bytes) -> bool:
    """A single message starts with header lines (``Name: value``) and has a From or Message-ID."""
    top = head[:4096].lower()
    return (b"\nfrom:" in b"\n" + top or b"\nmessage-id:" in b"\n" + top) and b":" in top.split(b"\n", 1)[0]


def read_mbox(path: str | Path) -> Iterator[Contact]:
    """Every message of an mbox, as records; a file cut off inside a message's headers is an error."""
    name = str(path)
    try:
        fh = Path(path).open("rb")  # noqa: SIM115 (closed below; opening is what may fail)
    except OSError as exc:
        raise FormatError(f"cannot read the file: {exc.strerror or exc}", file=name) from None
    with fh:
        yield from _scan(fh, name)


def _scan(fh: BinaryIO, name: str) -> Iterator[Contact]:
    headers: list[bytes] | None = None  # None: in a body (or before the first message)
    start = lineno = 0
    first = True
    for lineno, line in enumerate(fh, 1):  # noqa: B007 (lineno is read after the loop)
        if line.startswith(b"From "):
            if headers is not None:
                yield _record(headers, name, start)
            headers, start, first = [], lineno, False
            continue
        if first:
            if line.strip():
                raise FormatError("not an mbox: it does not start with a 'From ' line", file=name,
                                  line=lineno)
            continue
        if headers is None:
            continue
        if line in (b"\n", b"\r\n"):
            yield _record(headers, name, start)
            headers = None
            continue
        headers.append(line)
    if headers is not None:
        raise FormatError("truncated mbox: the last message ends inside its headers", file=name,
                          line=lineno)


def read_eml(path: str | Path) -> Contact:
    """One .eml file's headers as a record."""
    name = str(path)
    try:
        with Path(path).open("rb") as fh:
            lines: list[bytes] = []
            for line in fh:
                if line in (b"\n", b"\r\n"):
                    break
                lines.append(line)
    except OSError as exc:
        raise FormatError(f"cannot read the file: {exc.strerror or exc}", file=name) from None
    if not lines or b":" not in lines[0]:
        raise FormatError("not a mail message: no headers", file=name, line=1)
    return _record(lines, name, 1)


def read_eml_folder(folder: str | Path) -> Iterator[Contact]:
    """Every ``*.eml`` file of a folder (and its subfolders), in name order."""
    files = sorted(Path(folder).rglob("*.eml"))
    if not files:
        raise FormatError("no .eml files in this folder", file=str(folder))
    for f in files:
        yield read_eml(f)


def parse_headers(data: bytes, where: str) -> Contact:
    """One message's header block (as IMAP's ``BODY.PEEK[HEADER]`` gives it) as a record; ``where`` names
    it in reports (``INBOX/4711``)."""
    lines = data.decode("utf-8", "replace").split("\n")  # as decoding line by line: "\n" is ASCII
    end = next((i for i, ln in enumerate(lines) if ln in ("", "\r")), len(lines))
    return _record_of(_fields(lines[:end]), where)


def headers_of(lines: Iterable[bytes]) -> dict[str, str]:
    """The wanted headers of a header block (folded lines joined), first occurrence of each."""
    return _fields(raw.decode("utf-8", "replace") for raw in lines)


def _fields(lines: Iterable[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    current: str | None = None
    for line in lines:
        text = line.rstrip("\r\n")
        if text[:1] in (" ", "\t"):
            if current is not None:
                out[current] += " " + text.strip()
            continue
        key, sep, value = text.partition(":")
        key = key.strip().lower()
        current = key if sep and key in WANTED and key not in out else None
        if current is not None:
            out[current] = value.strip()
    return out


def _decoded(value: str | None) -> str | None:
    if not value:
        return None
    if "=?" not in value:
        return value
    try:
        return str(make_header(decode_header(value)))
    except (ValueError, LookupError, UnicodeError):
        return value


def parties(*values: str | None) -> tuple[Party, ...]:
    """The people of address headers, lower-cased and without duplicates."""
    return _parties(tuple(v for v in values if v))


@lru_cache(maxsize=8192)  # the same From and To come back again and again in a mailbox
def _parties(values: tuple[str, ...]) -> tuple[Party, ...]:
    found: dict[str, Party] = {}
    for name, addr in getaddresses(list(values)):
        addr = addr.strip().lower()
        if "@" in addr and addr not in found:
            found[addr] = Party(address=addr, name=_decoded(name) or None)
    return tuple(found.values())


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).date()  # the sender's own calendar day
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _record(lines: list[bytes], name: str, line: int) -> Contact:
    return _record_of(headers_of(lines), f"{name}:{line}")


def _record_of(h: dict[str, str], where: str) -> Contact:
    sender = parties(h.get("from"))
    others = tuple(p for p in parties(h.get("to"), h.get("cc")) if not sender or p != sender[0])
    msgid = (h.get("message-id") or "").strip().strip("<>").strip()
    if not msgid:  # no Message-ID: the same headers make the same key in any file
        msgid = "sha1:" + hashlib.sha1("\x1f".join(
            h.get(k, "") for k in ("from", "to", "cc", "date", "subject")).encode()).hexdigest()
    flags: list[str] = []
    bulk = bulk_reason({_BULK_LOWER[k]: v for k, v in h.items() if k in _BULK_LOWER})
    if bulk:
        flags.append(f"bulk: {bulk}")
    on = _day(h.get("date"))
    if on is None:
        flags.append("unreadable: no readable Date header")
    return Contact(source=MAIL, key=msgid, on=on or date.min, kind="mail",
                   sender=sender[0] if sender else None, others=others,
                   subject=_decoded(h.get("subject")), flags=tuple(flags),
                   where=where)
