"""Any CSV, with ``--map "column=field"`` saying which column holds what."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from email.utils import parseaddr

from keepwarm.core.dates import parse_date
from keepwarm.core.people import Link, Person
from keepwarm.errors import InvalidInputError
from keepwarm.formats.common import Known, csv_rows, keyed_record, lenient, parse_birthday, row_key
from keepwarm.formats.records import Record
from keepwarm.formats.text import Source, open_text

SCALARS = ("name", "given_name", "family_name", "nickname", "company", "title", "location", "how_met",
           "notes", "circle")
LISTS = ("emails", "phones", "tags", "interests", "links")
SPECIAL = ("linkedin", "birthday", "met_on", "uid", "every_days")
ALIASES = {"email": "emails", "phone": "phones", "tag": "tags", "interest": "interests", "link": "links",
           "note": "notes", "first_name": "given_name", "last_name": "family_name", "organization": "company",
           "position": "title", "website": "links", "url": "links"}
FIELDS = SCALARS + LISTS + SPECIAL
_SEP = re.compile(r"\s*(?:;|:::|\|)\s*")


def field_name(text: str) -> str:
    """A mapping target (``Email``, ``first name``) as a Person field name; unknown ones are refused."""
    key = re.sub(r"[\s-]+", "_", text.strip().lower())
    key = ALIASES.get(key, key)
    if key not in FIELDS:
        raise InvalidInputError(f"unknown field {text!r} in --map; use one of {', '.join(FIELDS)}")
    return key


# how other tools name columns (Thunderbird's "Primary Email", Mailchimp's "Email Address", a CRM's
# "Mobile"): words in a header, in order of precedence, and the field they mean
_GUESSES = (("display name", "name"), ("full name", "name"), ("contact name", "name"),
            ("first name", "given_name"), ("given", "given_name"), ("last name", "family_name"),
            ("surname", "family_name"), ("family", "family_name"), ("e-mail", "emails"), ("email", "emails"),
            ("phone", "phones"), ("mobile", "phones"), ("cell", "phones"), ("birthday", "birthday"),
            ("date of birth", "birthday"), ("compan", "company"), ("organi", "company"), ("job", "title"),
            ("position", "title"), ("note", "notes"), ("web", "links"), ("url", "links"),
            ("homepage", "links"), ("nick", "nickname"), ("city", "location"))
_NOT_A_VALUE = ("type", "label", "kind", "format", "display")  # "E-mail Type": says what, not the address
_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")


def guess_field(column: str) -> str | None:
    """The field a column holds, by its name: exactly (``email``, ``first_name``) or by its words."""
    try:
        return field_name(column)
    except InvalidInputError:
        pass
    words = column.strip().lower()
    if not words or any(w in words for w in _NOT_A_VALUE if not words.startswith("display name")):
        return None
    return next((target for word, target in _GUESSES if word in words), None)


def parse_map(items: Sequence[str]) -> dict[str, str]:
    """``["Full Name=name", "Mail=email"]`` → {column: field}."""
    out: dict[str, str] = {}
    for item in items:
        column, sep, target = item.rpartition("=")
        if not sep or not column.strip():
            raise InvalidInputError(f"--map wants COLUMN=FIELD, not {item!r}")
        out[column.strip()] = field_name(target)
    return out


def read_csv(src: Source, mapping: dict[str, str] | None = None,
             known: Known | None = None) -> Iterator[Record]:
    """Rows of a CSV whose first row is a header; columns not mapped are matched by name when they can be."""
    stream, name = open_text(src)
    chosen: dict[str, str] = {}

    def header(cells: list[str]) -> bool | list[str]:
        chosen.clear()
        for c in cells:
            if mapping and c in mapping:
                chosen[c] = mapping[c]
            elif not mapping and (target := guess_field(c)):
                chosen[c] = target
        fields = set(chosen.values())
        if fields & {"name", "given_name", "family_name", "emails", "phones"}:
            return True
        if not mapping and any(_EMAIL.match(c.strip().strip('"<>')) or "<" in c for c in cells if "@" in c):
            # a bare list of addresses, no header: the columns holding an address are emails
            names = [f"column {i}" for i in range(1, len(cells) + 1)]
            chosen.update({n: "emails" for n, c in zip(names, cells, strict=True) if "@" in c})
            return names
        return False

    with stream:
        for line, row in csv_rows(stream, name, header,
                                  "CSV with a name or email column (use --map COLUMN=name)"):
            yield keyed_record(line, row_key(repr(sorted(chosen.items())), *row, *row.values()), known,
                               lambda row=row, line=line: _record(row, chosen, line))  # type: ignore[misc]


def _record(row: dict[str, str], chosen: dict[str, str], line: int) -> Record:
    values: dict[str, object] = {}
    lists: dict[str, list[str]] = {k: [] for k in LISTS}
    p = Person(name="?")
    rec = Record(p, line)
    for column, target in chosen.items():
        raw = (row.get(column) or "").strip()
        if not raw:
            continue
        if target in LISTS:
            lists[target] += [v for v in _SEP.split(raw) if v] if target != "links" else raw.split()
        elif target == "linkedin":
            p.links.append(Link(raw, "linkedin"))
        elif target == "birthday":
            p.birthday = lenient(rec, "birthday", raw, lambda t: parse_birthday(t, us="/" in t))
        elif target == "met_on":
            from datetime import date

            p.met_on = lenient(rec, "met on", raw, lambda t: parse_date(t, date.today()))
        elif target == "uid":
            p.uid = raw  # keepwarm's own CSV export: the same person, whatever else changed
        elif target == "every_days":
            p.every_days = int(raw) if raw.isdigit() else None
            if p.every_days is None:
                rec.kept.append(f"left out: every_days must be a number of days, not {raw!r}")
        else:
            values[target] = raw
    name = values.get("name") or " ".join(str(values[k]) for k in ("given_name", "family_name")
                                          if k in values)
    if not name and lists["emails"]:  # an address list: the name from the address (or its display name)
        shown, address = parseaddr(lists["emails"][0])
        name = shown or address or lists["emails"][0]
    name = name or values.get("nickname") or values.get("company") or (lists["phones"][:1] or [""])[0]
    if not name:
        raise InvalidInputError("no name, email or phone")
    for k, v in values.items():
        setattr(p, k, v)
    p.name = str(name)
    p.emails, p.phones = lists["emails"], lists["phones"]
    p.tags, p.interests = lists["tags"], lists["interests"]
    p.links += [Link(u) for u in lists["links"]]
    return rec
