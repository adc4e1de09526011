"""Checking a person read from a file: one bad field never costs the person.

``keepwarm add`` refuses a bad email, because the user is there to type it again. A file's author is not:
a phone, email or label that fails a check is kept as written (its value in its list, and a mark in
``extra["unverified"]`` so exports still carry it and the user can see what to look at), and the import
reports it. Only a person with nothing to know them by (no name, email or phone) is refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from email.utils import parseaddr

from keepwarm.core import people as core
from keepwarm.core.people import Link, Person
from keepwarm.core.phones import imported_phone, regions_for, strip_marks
from keepwarm.errors import InvalidInputError

UNVERIFIED = "unverified"  # extra key: [{"field": "phone", "value": "1-800-ELEPHANT"}, …]
MAX_EMAIL, MAX_PHONE, MAX_URL = 320, 40, 2000  # what the emails, phones and links columns hold
IMPORT_NOTES_LIMIT = 1_000_000  # a file's notes are kept whole; the 10,000 of typed notes is for typing
# control characters a file may hold in text (vertical tabs from Outlook, stray NULs); bidi embeddings
_JUNK = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
_LINE_JUNK = re.compile(r"[\r\n\t\u2028\u2029]+")


def mark(p: Person, what: str, value: str) -> str:
    """Record in ``p`` that ``value`` of field ``what`` was kept unverified; the report's message."""
    item = {"field": what, "value": value}
    marks = p.extra.setdefault(UNVERIFIED, [])
    if item not in marks:
        marks.append(item)
    return f"kept as written: {what} {value!r}"


def _to_notes(p: Person, what: str, value: str) -> str:
    """Keep a value that fits no field in the notes; the report's message."""
    line = f"{what}: {value}"
    if not p.notes or line not in p.notes:
        p.notes = f"{p.notes}\n\n{line}" if p.notes else line
    return f"kept in the notes: {what} {value!r}"


def plain_text(value: str, *, multiline: bool = False) -> str:
    """Text with control characters and bidi embeddings removed (a file's text is never refused)."""
    text = _JUNK.sub("", value.replace("\r\n", "\n"))
    return text.strip() if multiline else _LINE_JUNK.sub(" ", text).strip()


def bare_email(value: str) -> str:
    """``"Omega" <omega@example.com>`` → ``omega@example.com``; a ``mailto:`` prefix goes too."""
    text = strip_marks(value).removeprefix("mailto:").removeprefix("MAILTO:")
    if "<" in text and ">" in text:
        addr = parseaddr(text)[1]
        if "@" in addr:
            return addr
    return text.strip().strip("<>")


def _texts(p: Person) -> None:
    values = p.__dict__
    for attr, what, limit in core._TEXTS:
        v = values[attr]
        if v is None:
            continue
        if v.__class__ is str and len(v) <= limit and v.isprintable():
            values[attr] = v.strip() or None  # clean_text's usual case, without the call (the hot path)
            continue
        try:
            values[attr] = core.clean_text(v, what, limit=limit)
        except InvalidInputError:
            text = plain_text(str(v))
            if len(text) > limit:  # the whole text goes to the notes, the field keeps its start
                p.notes = f"{p.notes}\n\n{what}: {text}" if p.notes else f"{what}: {text}"
                text = text[:limit].rstrip()
            values[attr] = text or None
    notes = p.notes
    if notes is not None:
        try:
            p.notes = core.clean_text(notes, "notes", multiline=True, limit=IMPORT_NOTES_LIMIT)
        except InvalidInputError:
            p.notes = plain_text(notes, multiline=True)[:IMPORT_NOTES_LIMIT] or None


def _name(p: Person) -> None:
    name = plain_text(p.name or "")
    if not name or name == "?":
        name = plain_text(p.nickname or p.company or (p.emails[:1] or p.phones[:1] or [""])[0])
    if not name:
        raise InvalidInputError("no name, email or phone")
    if len(name) > core.MAX_NAME:
        p.notes = f"{p.notes}\n\nname: {name}" if p.notes else f"name: {name}"
        name = name[:core.MAX_NAME].rstrip()
    p.name = name


def _emails(p: Person, messages: list[str], normalize: object) -> None:
    out: list[str] = []
    for raw in p.emails:
        bare = bare_email(raw)
        if not bare:
            continue
        try:
            out.append(normalize(bare))  # type: ignore[operator]
        except InvalidInputError:
            kept = plain_text(bare)
            if "@" in kept and len(kept) <= MAX_EMAIL:
                messages.append(mark(p, "email", kept))
                out.append(kept)
            elif kept:  # not an address at all ("n/a"): as a key it would join strangers
                messages.append(_to_notes(p, "email", kept))
    p.emails = list(dict.fromkeys(out))


def _phones(p: Person, messages: list[str], regions: tuple[str, ...]) -> None:
    out: list[str] = []
    for raw in p.phones:
        text = plain_text(strip_marks(raw))
        if not text:
            continue
        e164 = imported_phone(text, regions)
        if e164 is not None and len(e164) <= MAX_PHONE:
            out.append(e164)
        elif len(text) <= MAX_PHONE and any(c.isdigit() for c in text):
            messages.append(mark(p, "phone", text))
            out.append(text)
        else:  # no digit ("ask Bob") or longer than a phone column holds
            messages.append(_to_notes(p, "phone", text))
    p.phones = list(dict.fromkeys(out))


def _links(p: Person, messages: list[str]) -> None:
    seen: set[str] = set()
    links = []
    for link in p.links:
        try:
            url = core.normalize_url(link.url)
            if len(url) > MAX_URL:
                raise InvalidInputError("too long")
        except InvalidInputError:
            text = plain_text(link.url)
            if text:
                messages.append(_to_notes(p, "link", text))
            continue
        if url not in seen:
            seen.add(url)
            links.append(Link(url, link.kind if link.kind != "website" else core.link_kind(url)))
    p.links = links


def _labels(items: list[str], what: str, messages: list[str]) -> list[str]:
    out = []
    for item in items:
        text = plain_text(item)
        if len(text) > 100:
            messages.append(f"{what} shortened to 100 characters: {text[:40]!r}…")
            text = text[:100].rstrip()
        if text:
            out.append(text)
    return list(dict.fromkeys(out))


def validate_imported(p: Person, *, countries: Sequence[str | None] = (), fallbacks: Sequence[str] = ("US",),
                      normalize_email: object = core.normalize_email) -> list[str]:
    """Normalise ``p`` as :func:`keepwarm.core.people.validate` does, keeping what fails a check instead of
    refusing the person; returns one message per value kept as written. ``countries`` are the contact's
    address countries and ``fallbacks`` the owner's phone regions, surest first (see
    :func:`keepwarm.core.phones.regions_for`); ``normalize_email`` may be a faster equivalent."""
    messages: list[str] = []
    _texts(p)
    _emails(p, messages, normalize_email)
    if p.phones:
        p.phones = [strip_marks(x) for x in p.phones]
        national = any(x[:1] != "+" for x in p.phones)  # (most files: international numbers only)
        _phones(p, messages, regions_for(countries, p.phones, fallbacks) if national else tuple(fallbacks))
    _name(p)
    if p.given_name is None and p.family_name is None:
        p.given_name, p.family_name = core.split_name(p.name)
    if p.links:
        _links(p, messages)
    if p.tags:
        p.tags = _labels(p.tags, "tag", messages)
    if p.interests:
        p.interests = _labels(p.interests, "interest", messages)
    if p.circle is not None:
        p.circle = plain_text(p.circle).lower()[:100] or None
    if p.every_days is not None and p.every_days <= 0:
        messages.append(f"left out: a keep-in-touch rhythm of {p.every_days} days")
        p.every_days = None
    return messages
