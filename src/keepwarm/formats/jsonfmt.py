"""keepwarm's JSON backup: every table of one network, row by row, so a restore is exact.

``{"format": "keepwarm-backup", "version": 1, "tables": {"people": [...], "touches": [...], ...}}``
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

from keepwarm.core.birthdays import Birthday
from keepwarm.core.people import Link, Person
from keepwarm.errors import FormatError
from keepwarm.formats.common import guarded
from keepwarm.formats.records import Event, Record
from keepwarm.formats.text import Source, decode, read_bytes, source_name

FORMAT = "keepwarm-backup"
VERSION = 1


def load_backup(src: Source) -> dict[str, list[dict[str, Any]]]:
    """The tables of a backup file; anything else is a FormatError with the line."""
    name = source_name(src)
    text = decode(read_bytes(src), name, fallback=None)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(f"not valid JSON ({exc.msg})", file=name, line=exc.lineno) from None
    except RecursionError:
        raise FormatError("JSON nested too deeply", file=name, line=1) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise FormatError(f"not a keepwarm backup (no \"format\": \"{FORMAT}\")", file=name, line=1)
    if doc.get("version") != VERSION:
        raise FormatError(f"backup version {doc.get('version')!r} is not supported", file=name, line=1)
    tables = doc.get("tables")
    if not isinstance(tables, dict) or not all(
            isinstance(rows, list) and all(isinstance(r, dict) for r in rows) for rows in tables.values()):
        raise FormatError("\"tables\" must map table names to lists of rows", file=name, line=1)
    return tables


def read_people(src: Source) -> Iterator[Record]:
    """The people of a backup as records (for importing into a network that already has people)."""
    tables = load_backup(src)
    kids: dict[str, dict[Any, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for table in ("person_emails", "person_phones", "person_links", "person_tags", "person_interests",
                  "life_events"):
        try:
            rows = sorted(tables.get(table, []), key=lambda r: int(r.get("position") or 0))
            for row in rows:
                kids[table][row.get("person_id")].append(row)
        except (TypeError, ValueError):
            raise FormatError(f"broken rows in table {table!r}", file=source_name(src), line=1) from None
    try:
        circles = {c.get("id"): c.get("name") for c in tables.get("circles", [])}
    except TypeError:  # an unhashable id
        raise FormatError("broken rows in table 'circles'", file=source_name(src), line=1) from None
    for i, row in enumerate(tables.get("people", []), 1):
        yield guarded(i, lambda row=row, i=i: _record(row, kids, circles, i))  # type: ignore[misc]


def _record(r: dict[str, Any], kids: dict[str, Any], circles: dict[Any, Any], line: int) -> Record:
    pid = r.get("id")
    bday = None
    if r.get("bday_month") and r.get("bday_day"):
        bday = Birthday(int(r["bday_month"]), int(r["bday_day"]), r.get("bday_year"))
    p = Person(
        name=str(r["name"]), uid=str(r.get("uid") or ""), given_name=r.get("given_name"),
        family_name=r.get("family_name"), nickname=r.get("nickname"), company=r.get("company"),
        title=r.get("title"), location=r.get("location"), how_met=r.get("how_met"),
        met_on=date.fromisoformat(r["met_on"]) if r.get("met_on") else None, birthday=bday,
        circle=circles.get(r.get("circle_id")), every_days=r.get("every_days"), notes=r.get("notes"),
        extra=dict(r.get("extra") or {}),
        emails=[k["email"] for k in kids["person_emails"][pid]],
        phones=[k["phone"] for k in kids["person_phones"][pid]],
        links=[Link(k["url"], k.get("kind") or "website") for k in kids["person_links"][pid]],
        tags=[k["tag"] for k in kids["person_tags"][pid]],
        interests=[k["topic"] for k in kids["person_interests"][pid]],
    )
    if not p.uid:
        raise ValueError("a person without a uid")
    events = [Event(e["kind"], date.fromisoformat(e["on_date"]), e.get("note"))
              for e in kids["life_events"][pid]]
    return Record(p, line, events)
