"""Turning form fields into domain values, with the same checks as the CLI."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Annotated

from fastapi import Form, Path

from keepwarm.core.people import Link, Person
from keepwarm.errors import InvalidInputError

if TYPE_CHECKING:
    from keepwarm.store import Store
    from keepwarm.store.models import PersonRow

# ids fit a 32-bit integer column: a larger number is a 422, never a database error
MAX_ID = 2_147_483_647
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
FormId = Annotated[int, Form(ge=1, le=MAX_ID)]
_ID_SUFFIX = re.compile(r"\(#(\d+)\)\s*$")
PERSON_FIELDS = ("name", "nickname", "company", "title", "location", "emails", "phones", "linkedin",
                 "tags", "interests", "circle", "every", "birthday", "how_met", "met_on", "notes")


def split_list(text: str | None, *, lines: bool = False) -> list[str]:
    """Items of a comma- (or line-) separated field, stripped, empty ones dropped."""
    if not text:
        return []
    parts = re.split(r"[\r\n]+" if lines else r"[,\r\n]+", text)
    return [p.strip() for p in parts if p.strip()]


def apply_person_form(person: Person, form: dict[str, str], today: date) -> Person:
    """Set every field of ``person`` from the edit form (lists replace what was there)."""
    from keepwarm.core.birthdays import Birthday
    from keepwarm.core.dates import parse_date, parse_duration

    def opt(key: str) -> str | None:
        value = (form.get(key) or "").strip()
        return value or None

    person.name = form.get("name") or ""
    for attr in ("nickname", "company", "title", "location", "how_met"):
        setattr(person, attr, opt(attr))
    person.notes = (form.get("notes") or "").strip() or None
    person.circle = opt("circle")
    person.every_days = parse_duration(opt("every") or "") if opt("every") else None
    person.birthday = Birthday.parse(opt("birthday") or "") if opt("birthday") else None
    person.met_on = parse_date(opt("met_on") or "", today) if opt("met_on") else None
    person.emails = split_list(form.get("emails"))
    person.phones = split_list(form.get("phones"))
    person.tags = split_list(form.get("tags"))
    person.interests = split_list(form.get("interests"))
    others = [k for k in person.links if k.kind != "linkedin"]
    person.links = ([Link(opt("linkedin") or "", "linkedin")] if opt("linkedin") else []) + others
    return person


def person_form_values(person: Person | None) -> dict[str, str]:
    """The edit form's fields for ``person`` (empty for a new one)."""
    if person is None:
        return dict.fromkeys(PERSON_FIELDS, "")
    return {
        "name": person.name, "nickname": person.nickname or "", "company": person.company or "",
        "title": person.title or "", "location": person.location or "", "emails": ", ".join(person.emails),
        "phones": ", ".join(person.phones), "linkedin": person.linkedin or "", "tags": ", ".join(person.tags),
        "interests": ", ".join(person.interests), "circle": person.circle or "",
        "every": f"{person.every_days}d" if person.every_days else "",
        "birthday": person.birthday.iso() if person.birthday else "", "how_met": person.how_met or "",
        "met_on": person.met_on.isoformat() if person.met_on else "", "notes": person.notes or "",
    }


def resolve_person(store: Store, text: str) -> PersonRow:
    """A person from the autocomplete field: ``Name (#12)`` picks #12, else the CLI's resolution."""
    m = _ID_SUFFIX.search(text or "")
    if m and int(m.group(1)) <= MAX_ID:
        return store.people.row(int(m.group(1)))
    bare = (text or "").strip()
    if not bare:
        raise InvalidInputError("name a person")
    if bare.lstrip("#").isdigit() and int(bare.lstrip("#")) > MAX_ID:
        from keepwarm.errors import NotFoundError

        raise NotFoundError(f"no person {bare}")
    return store.people.resolve(text)


def own_person(store: Store, person_id: int) -> PersonRow:
    """The owner's person #id, or NotFoundError (404): another user's ids are not found, never shown."""
    return store.people.row(person_id)
