"""Readers and writers for the files people keep their contacts in.

Readers are pure: they take a path or a binary file object and yield :class:`Record` objects (a core
Person, its life events and the source line). The only exception a reader lets escape is a KeepwarmError
(a :class:`~keepwarm.errors.FormatError` naming the file and line for a file that is not what it claims).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from keepwarm.errors import FormatError, InvalidInputError
from keepwarm.formats.records import Event, Record
from keepwarm.formats.text import Source, source_name, utf16

if TYPE_CHECKING:
    from keepwarm.formats.common import Known

READERS = ("linkedin", "google", "outlook", "vcard", "csv", "json")


def _head(src: Source, size: int = 8192) -> bytes:
    if isinstance(src, str | Path):
        try:
            with Path(src).open("rb") as fh:
                return fh.read(size)
        except OSError as exc:
            raise FormatError(f"cannot read the file: {exc.strerror or exc}", file=str(src)) from None
    pos = src.tell()
    data = src.read(size)
    src.seek(pos)
    return data if isinstance(data, bytes) else data.encode("utf-8")


def detect(src: Source) -> str:
    """Guess a file's format from its first bytes (and its name when that settles it)."""
    name = source_name(src)
    head = _head(src)
    codec = utf16(head)
    if b"\x00" in head and not codec:
        line = head.count(b"\n", 0, head.index(b"\x00")) + 1
        raise FormatError("binary data, not a contacts file", file=name, line=line)
    text = head[:len(head) & ~1].decode(codec, "replace") if codec else head.decode("utf-8-sig", "replace")
    text = text.lstrip("\ufeff \t\r\n")
    if text[:11].upper() == "BEGIN:VCARD":
        return "vcard"
    if text[:1] in "{[" and text:
        return "json"
    lowered = name.lower()
    if lowered.endswith((".vcf", ".vcard")):
        return "vcard"
    if lowered.endswith(".json"):
        return "json"
    first_lines = text.splitlines()[:5]
    joined = "\n".join(first_lines)
    if "First Name,Last Name,URL," in text or text.startswith("Notes:") or (
            "First Name,Last Name," in joined and "Connected On" in joined):  # older exports have no URL
        return "linkedin"
    if "E-mail 1 - Value" in joined or "Group Membership" in joined or ",Labels," in joined:
        return "google"
    if "E-mail Address" in joined:  # every Outlook variant, ``Action,ID,Name,E-mail Address,…`` too
        return "outlook"
    if "," in joined or ";" in joined or "@" in joined or "mail" in joined.lower():
        return "csv"  # (a list of addresses may have a single column)
    raise FormatError("cannot tell the format; name it: keepwarm import FORMAT FILE", file=name, line=1)


def read(fmt: str | None, src: Source, mapping: dict[str, str] | None = None, *,
         known: Known | None = None) -> Iterator[Record]:
    """Records from ``src`` in format ``fmt`` (detected when None).

    ``known`` says whether a row key was imported before: such rows are yielded as bare records (line and
    key, a placeholder person) without being read further, which makes re-importing a file cheap.
    """
    fmt = (fmt or detect(src)).lower()
    if fmt == "linkedin":
        from keepwarm.formats.csvfiles import read_linkedin as reader
    elif fmt == "google":
        from keepwarm.formats.csvfiles import read_google as reader
    elif fmt == "outlook":
        from keepwarm.formats.csvfiles import read_outlook as reader
    elif fmt == "vcard":
        from keepwarm.formats.vcard import read_vcard as reader
    elif fmt == "json":
        from keepwarm.formats.jsonfmt import read_people

        return read_people(src)
    elif fmt == "csv":
        from keepwarm.formats.generic import read_csv

        return read_csv(src, mapping, known)
    else:
        raise InvalidInputError(f"unknown format {fmt!r}; use one of {', '.join(READERS)}")
    return reader(src, known)


__all__ = ["READERS", "Event", "Record", "detect", "read"]
