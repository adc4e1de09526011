"""Edits to people: what to change, applied the same way to one person or to many at once.

An edit says what to set, add and remove; it never holds a whole person, so one edit can be applied to
several people (``keepwarm edit --where tag=imported --circle warm``). Only the fields that make sense for
a group may be set in bulk: a circle, a rhythm, tags and interests. A name, an email or a birthday belong to
one person, and setting them on many is refused before anything is written.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from datetime import date

from keepwarm.core.birthdays import Birthday
from keepwarm.core.people import Link, Person
from keepwarm.errors import InvalidInputError

# the fields of an edit that may be applied to several people at once
BULK_FIELDS = frozenset({"circle", "every_days", "drop_every", "add_tags", "drop_tags", "add_interests",
                         "drop_interests"})
# how each field of an edit is spelled on the command line, for messages
OPTION_NAMES = {
    "name": "--name", "nickname": "--nickname", "company": "--company", "title": "--title",
    "location": "--location", "how_met": "--how-met", "notes": "--note", "met_on": "--met-on",
    "birthday": "--birthday", "drop_birthday": "--no-birthday", "circle": "--circle", "every_days": "--every",
    "drop_every": "--no-every", "add_emails": "--email", "drop_emails": "--drop-email",
    "add_phones": "--phone", "drop_phones": "--drop-phone", "add_tags": "--tag", "drop_tags": "--remove-tag",
    "add_interests": "--interest", "drop_interests": "--remove-interest", "add_links": "--link",
    "linkedin": "--linkedin",
}
# what --where may select people by
WHERE_KEYS = ("tag", "circle", "company")


@dataclass
class PersonEdit:
    """Changes to a person: scalars to set (None leaves them), list items to add and to remove.

    Removing compares without case (``--remove-tag Coach`` removes ``coach``); adding an item the list has
    already, in any case, adds nothing. Emails and phones to drop are compared in normalised form, which
    the caller provides.
    """

    name: str | None = None
    nickname: str | None = None
    company: str | None = None
    title: str | None = None
    location: str | None = None
    how_met: str | None = None
    notes: str | None = None
    met_on: date | None = None
    birthday: Birthday | None = None
    drop_birthday: bool = False
    circle: str | None = None
    every_days: int | None = None
    drop_every: bool = False
    add_emails: list[str] = field(default_factory=list)
    drop_emails: list[str] = field(default_factory=list)
    add_phones: list[str] = field(default_factory=list)
    drop_phones: list[str] = field(default_factory=list)
    add_tags: list[str] = field(default_factory=list)
    drop_tags: list[str] = field(default_factory=list)
    add_interests: list[str] = field(default_factory=list)
    drop_interests: list[str] = field(default_factory=list)
    add_links: list[str] = field(default_factory=list)
    linkedin: str | None = None

    def given(self) -> list[str]:
        """The names of the fields this edit sets, adds or removes."""
        return [f.name for f in fields(self) if getattr(self, f.name) not in (None, False, [])]

    def is_empty(self) -> bool:
        """Whether this edit changes nothing at all."""
        return not self.given()

    def check_bulk(self) -> None:
        """Refuse fields that belong to one person, before an edit is applied to several."""
        if self.is_empty():
            raise InvalidInputError("nothing to change: set a circle or a rhythm, or add or remove tags")
        personal = [OPTION_NAMES[f] for f in self.given() if f not in BULK_FIELDS]
        if personal:
            raise InvalidInputError(f"{', '.join(personal)} cannot be set on several people at once; "
                                    "in bulk only --circle, --every, --no-every, --tag, --remove-tag, "
                                    "--interest and --remove-interest apply")
        if self.every_days is not None and self.drop_every:
            raise InvalidInputError("--every and --no-every contradict each other")

    def apply(self, before: Person) -> Person:
        """A changed copy of ``before`` (which is left as it was)."""
        p = copy.deepcopy(before)
        for attr in ("name", "nickname", "company", "title", "location", "how_met", "notes", "met_on",
                     "circle"):
            value = getattr(self, attr)
            if value is not None:
                setattr(p, attr, value)
        if self.birthday is not None:
            p.birthday = self.birthday
        if self.drop_birthday:
            p.birthday = None
        if self.every_days is not None:
            p.every_days = self.every_days
        if self.drop_every:
            p.every_days = None
        p.emails = _without(p.emails, self.drop_emails) + list(self.add_emails)
        p.phones = _without(p.phones, self.drop_phones) + list(self.add_phones)
        p.tags = _added(_without(p.tags, self.drop_tags), self.add_tags)
        p.interests = _added(_without(p.interests, self.drop_interests), self.add_interests)
        if self.linkedin:
            p.links = [Link(self.linkedin, "linkedin")] + [k for k in p.links if k.kind != "linkedin"]
        p.links += [Link(url) for url in self.add_links]
        return p


def _without(items: list[str], drop: list[str]) -> list[str]:
    gone = {d.strip().casefold() for d in drop}
    return [i for i in items if i.casefold() not in gone] if gone else list(items)


def _added(items: list[str], add: list[str]) -> list[str]:
    have = {i.casefold() for i in items}
    out = list(items)
    for item in add:
        key = item.strip().casefold()
        if key and key not in have:
            have.add(key)
            out.append(item)
    return out


def parse_where(text: str) -> tuple[str, str]:
    """``tag=imported`` → ``("tag", "imported")``; the key must be one of :data:`WHERE_KEYS`."""
    key, sep, value = text.partition("=")
    key, value = key.strip().lower(), value.strip()
    if not sep or key not in WHERE_KEYS or not value:
        raise InvalidInputError(f"not a filter: {text!r} (use {', '.join(k + '=VALUE' for k in WHERE_KEYS)})")
    return key, value
