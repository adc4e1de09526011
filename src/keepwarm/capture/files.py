"""Which kind of file ``keepwarm capture`` was given, and its records.

The kind comes from the content (an mbox's ``From `` line, ``BEGIN:VCALENDAR``, a message's headers, the
archive's known CSV names), so a renamed file still works and a wrong one is refused in one line.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

from keepwarm.capture import Contact, calendar, linkedin, mail
from keepwarm.errors import FormatError

KINDS = ("mbox", "eml", "eml-folder", "ics", "linkedin")


def detect(path: str | Path) -> str:
    """The kind of a file or folder, or a one-line error naming it."""
    p = Path(path)
    if not p.exists():
        raise FormatError("no such file or folder", file=str(path))
    if p.is_dir():
        if linkedin.is_archive(p):
            return "linkedin"
        if any(p.rglob("*.eml")):
            return "eml-folder"
        raise FormatError("a folder with neither .eml files nor a LinkedIn archive", file=str(path))
    try:
        with p.open("rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise FormatError(f"cannot read the file: {exc.strerror or exc}", file=str(path)) from None
    if mail.looks_like_mbox(head):
        return "mbox"
    if calendar.looks_like_ics(head):
        return "ics"
    if head.startswith(b"PK") and linkedin.is_archive(p):
        return "linkedin"
    if mail.looks_like_eml(head):
        return "eml"
    raise FormatError("not a mailbox, an .eml message, an .ics calendar or a LinkedIn archive",
                      file=str(path), line=1)


def read(path: str | Path, kind: str, today: date) -> Iterator[Contact]:
    """The records of a file of a known kind."""
    if kind == "mbox":
        return mail.read_mbox(path)
    if kind == "eml":
        return iter([mail.read_eml(path)])
    if kind == "eml-folder":
        return mail.read_eml_folder(path)
    if kind == "ics":
        return calendar.read_ics(path, today)
    if kind == "linkedin":
        return linkedin.read_archive(path)
    raise FormatError(f"unknown kind {kind!r}", file=str(path))
