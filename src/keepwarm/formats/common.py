"""Helpers the readers share: CSV rows with line numbers, header scanning, dates, multi-value cells."""

from __future__ import annotations

import csv
import hashlib
import os
import re
import sys
from collections.abc import Callable, Iterator
from datetime import date, datetime
from functools import lru_cache
from typing import TypeVar

from keepwarm.core.birthdays import Birthday
from keepwarm.core.checks import mark
from keepwarm.core.people import Person
from keepwarm.errors import FormatError, KeepwarmError
from keepwarm.formats.records import Record

_KNOWN_PERSON = Person(name="", uid="")
T = TypeVar("T")

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # long notes are real; the CSV module's 128 KiB is not
HEADER_SCAN_LINES = 50  # how far a preamble (LinkedIn's ``Notes:``) may push the header down
MULTI = " ::: "  # Google's separator for several values in one cell


def csv_rows(stream, name: str,  # type: ignore[no-untyped-def]
             is_header: Callable[[list[str]], bool | list[str]],
             what: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Scan for the header row (never a fixed number of lines), then yield (line, row) for non-empty rows.
    ``is_header`` may answer with column names instead: the file has no header, and that row is data."""
    reader = csv.reader(stream)
    header: list[str] | None = None
    try:
        for cells in reader:
            if header is None:
                found = is_header([c.strip().lstrip("\ufeff") for c in cells])
                if isinstance(found, list):  # no header row: the reader named the columns itself
                    header = found
                    yield reader.line_num, dict(zip(header, cells, strict=False))
                elif found:
                    header = [c.strip().lstrip("\ufeff") for c in cells]
                elif reader.line_num > HEADER_SCAN_LINES:
                    break
                continue
            if not "".join(cells).strip():
                continue  # padding rows (blank cells only)
            yield reader.line_num, dict(zip(header, cells, strict=False))
    except csv.Error as exc:
        raise FormatError(f"broken CSV: {exc}", file=name, line=reader.line_num) from None
    if header is None:
        raise FormatError(f"no {what} header found in the first {HEADER_SCAN_LINES} lines", file=name,
                          line=1)


def new_uid() -> str:
    """A random (version 4) UUID string, made without the ``uuid`` module's slow constructor (hot path)."""
    h = bytearray(os.urandom(16))
    h[6] = (h[6] & 0x0F) | 0x40
    h[8] = (h[8] & 0x3F) | 0x80
    x = h.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


KEY_VERSION = "2"  # bump when a reader reads the same row differently, so old row keys stop matching


def row_key(*parts: str) -> str:
    """A short hash of a source row (its cells, or a card's lines) and what else shapes its reading."""
    text = "\x1f".join((KEY_VERSION, *parts))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


# says whether a row key was imported before (see :func:`keepwarm.formats.read`)
Known = Callable[[str], bool]


def keyed_record(line: int, key: str, known: Known | None, build: Callable[[], Record]) -> Record:
    """One source row's record, carrying the row's key: ``build()``'s (see :func:`guarded`), or for a row
    ``known`` says was imported before, its key and line only, as the importer needs nothing else (all such
    records share one placeholder person, never validated, merged or stored)."""
    if known is not None and known(key):
        return Record(_KNOWN_PERSON, line, key=key)
    rec = guarded(line, build)
    rec.key = key
    return rec


def cell(row: dict[str, str], *names: str) -> str | None:
    """The first non-empty cell among ``names``, stripped."""
    for n in names:
        v = row.get(n)
        if v is not None and v.strip():
            return v.strip()
    return None


def split_multi(value: str | None, sep: str = MULTI) -> list[str]:
    """Split a multi-value cell; empty parts are dropped."""
    if not value:
        return []
    sep = sep.strip()
    if sep not in value:  # the usual case: one value
        v = value.strip()
        return [v] if v else []
    return [p.strip() for p in value.split(sep) if p.strip()]


def parse_day(text: str, formats: tuple[str, ...]) -> date:
    """A date in one of ``formats`` (strptime), or an InvalidInputError naming the text."""
    from keepwarm.errors import InvalidInputError

    t = text.strip()
    for fmt in formats:
        try:
            return datetime.strptime(t, fmt).date()
        except ValueError:
            continue
    raise InvalidInputError(f"not a date: {t!r}")


def in_field(column: str, parse: Callable[[str], T], text: str) -> T:
    """``parse(text)``, a bad value reported as the value of ``column`` (so a skipped row names it)."""
    try:
        return parse(text)
    except FormatError:
        raise
    except KeepwarmError as exc:
        raise FormatError(exc.message, field=column) from None


_ISO_DAY = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:[T ].*)?$")
_NO_YEAR = re.compile(r"^--(\d{2})-?(\d{2})$")


@lru_cache(maxsize=1 << 12)  # Birthday is immutable, and a big file repeats dates (year-less ones above all)
def parse_birthday(text: str, *, us: bool = False) -> Birthday:
    """Birthdays as files write them: ``1996-04-15``, ``19960415``, ``--0415``, ``--04-15``, date-times,
    and with ``us`` ``7/9/1988`` (month first, as Outlook writes)."""
    from keepwarm.errors import InvalidInputError

    t = text.strip()
    m = _ISO_DAY.match(t)
    if m:
        return Birthday(int(m.group(2)), int(m.group(3)), int(m.group(1)))
    m = _NO_YEAR.match(t)
    if m:
        return Birthday(int(m.group(1)), int(m.group(2)))
    if us:
        parts = t.split("/")
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            month, day, year = (int(p) for p in parts)
            if year < 100:
                year += 1900 if year > 30 else 2000
            return Birthday(month, day, year)
    raise InvalidInputError(f"not a birthday: {t!r}")


def lenient(rec: Record, what: str, value: str, parse: Callable[[str], T]) -> T | None:
    """``parse(value)``, or None with the value kept as written (marked unverified in the person, and
    said in the record) when it fails: one bad field never costs the person."""
    try:
        return parse(value)
    except (KeepwarmError, ValueError, OverflowError):
        rec.kept.append(mark(rec.person, what, value))
        return None


def guarded(line: int, build: Callable[[], Record]) -> Record:
    """Build a record; a bad value makes it a skipped record with the reason (and the field, when the error
    names one: see :func:`in_field`) instead of an exception."""
    try:
        return build()
    except FormatError as exc:
        if exc.field and exc.file is None:
            return Record(Person(name="?"), line, problem=exc.reason, field=exc.field)
        return Record(Person(name="?"), line, problem=exc.message)
    except KeepwarmError as exc:
        return Record(Person(name="?"), line, problem=exc.message)
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
        return Record(Person(name="?"), line, problem=f"unreadable value ({exc})")
