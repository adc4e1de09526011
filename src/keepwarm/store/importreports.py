"""What an import did or, in a dry run, would do: the counts, and for a preview who is created, who is merged
into whom (and matched on what), and which rows are skipped (file, line, field, reason).

The lists of people are collected only for a preview (``Importer(..., preview=True)``): a real import of
300,000 rows keeps its memory bounded by the batch size, and the counts say what it did.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# how a row found the person it is merged into, in the order the importer tries them
MATCHED_ON = ("uid", "email", "linkedin", "phone", "name")

# which field a refusal of core.people.validate (and the importer's own checks) is about, by the start
# of its message; messages that name a text field ("company is 400 characters long") name it themselves
FIELD_OF_MESSAGE = (
    ("a person needs a name", "name"),
    ("not a valid email address", "email"),
    ("not a phone number", "phone"),
    ("not a possible phone number", "phone"),
    ("not a web address", "link"),
    ("a birthday in", "birthday"),
    ("a keep-in-touch rhythm", "every_days"),
    ("unknown circle", "circle"),
    ("unknown life event", "event"),
    ("an empty tag", "tag"),
    ("an empty interest", "interest"),
    ("an empty circle", "circle"),
)
TEXT_FIELDS = ("name", "given name", "family name", "nickname", "company", "title", "location", "how met",
               "notes", "tag", "interest", "circle")


def field_of(message: str) -> str | None:
    """The person field a validation message is about, or None when it names none."""
    for start, name in FIELD_OF_MESSAGE:
        if message.startswith(start):
            return name
    for name in TEXT_FIELDS:
        if message.startswith(name + " "):
            return name.replace(" ", "_")
    return None


def key_kind(key: str) -> str:
    """Whether an index key is an email, a LinkedIn URL or a phone (only an email has "@", only a URL
    "://"; the importer's index holds the three in one dict)."""
    if "://" in key:
        return "linkedin"
    if "@" in key:
        return "email"
    return "phone"


@dataclass
class Skipped:
    """A row that was not imported: where it is, which field was wrong (when one was) and why."""

    file: str
    line: int
    reason: str
    field: str | None = None


@dataclass
class Created:
    """Someone an import creates."""

    name: str
    company: str | None
    file: str
    line: int


@dataclass
class Merged:
    """A row merged into someone: ``into`` is the person's name before the merge, ``into_id`` their id
    (None when this import creates them too), ``matched_on`` one of MATCHED_ON and ``key`` the value that
    matched (the email, URL, phone, name or uid)."""

    name: str
    into: str
    into_id: int | None
    matched_on: str
    key: str
    file: str
    line: int


@dataclass
class Report:
    """What an import did (or, in a dry run, would do)."""

    created: int = 0
    merged: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    events: int = 0
    dry_run: bool = False
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    preview: bool = False
    new_people: list[Created] = field(default_factory=list)
    merges: list[Merged] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; ``new_people`` and ``merges`` only in a preview."""
        out: dict[str, Any] = {
            "created": self.created, "merged": self.merged, "unchanged": self.unchanged,
            "skipped": [asdict(s) for s in self.skipped], "events": self.events, "dry_run": self.dry_run,
            "files": self.files, "notes": self.notes}
        if self.preview:
            out["new_people"] = [asdict(c) for c in self.new_people]
            out["merges"] = [asdict(m) for m in self.merges]
        return out
