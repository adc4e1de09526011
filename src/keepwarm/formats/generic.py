"""Any CSV, with ``--map "column=field"`` saying which column holds what."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from keepwarm.core.dates import parse_date
from keepwarm.core.people import Link, Person
from keepwarm.errors import FormatError, InvalidInputError
from keepwarm.formats.common import Known, csv_rows, keyed_record, parse_birthday, row_key
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

    def header(cells: list[str]) -> bool:
        chosen.clear()
        for c in cells:
            if mapping and c in mapping:
                chosen[c] = mapping[c]
            elif not mapping:
                try:
                    chosen[c] = field_name(c)
                except InvalidInputError:
                    continue
        fields = set(chosen.values())
        return bool(fields & {"name", "given_name", "family_name"})

    with stream:
        for line, row in csv_rows(stream, name, header, "CSV with a name column (use --map COLUMN=name)"):
            yield keyed_record(line, row_key(repr(sorted(chosen.items())), *row, *row.values()), known,
                               lambda row=row, line=line: _record(row, chosen, line))  # type: ignore[misc]


def _apply(p: Person, values: dict[str, object], lists: dict[str, list[str]], target: str, raw: str) -> None:
    """Put one cell's value where its mapping says (a bad value raises InvalidInputError)."""
    if target in LISTS:
        lists[target] += [v for v in _SEP.split(raw) if v] if target != "links" else raw.split()
    elif target == "linkedin":
        p.links.append(Link(raw, "linkedin"))
    elif target == "birthday":
        p.birthday = parse_birthday(raw, us="/" in raw)
    elif target == "met_on":
        from datetime import date

        p.met_on = parse_date(raw, date.today())
    elif target == "uid":
        p.uid = raw  # keepwarm's own CSV export: the same person, whatever else changed
    elif target == "every_days":
        if not raw.isdigit():
            raise InvalidInputError(f"every_days must be a number of days, not {raw!r}")
        p.every_days = int(raw)
    else:
        values[target] = raw


def _record(row: dict[str, str], chosen: dict[str, str], line: int) -> Record:
    values: dict[str, object] = {}
    lists: dict[str, list[str]] = {k: [] for k in LISTS}
    p = Person(name="?")
    for column, target in chosen.items():
        raw = (row.get(column) or "").strip()
        if not raw:
            continue
        try:
            _apply(p, values, lists, target, raw)
        except InvalidInputError as exc:
            raise FormatError(exc.message, field=column) from None
    name = values.get("name") or " ".join(str(values[k]) for k in ("given_name", "family_name")
                                          if k in values)
    if not name:
        raise FormatError("no name", field="name")
    for k, v in values.items():
        setattr(p, k, v)
    p.name = str(name)
    p.emails, p.phones = lists["emails"], lists["phones"]
    p.tags, p.interests = lists["tags"], lists["interests"]
    p.links += [Link(u) for u in lists["links"]]
    return Record(p, line)
