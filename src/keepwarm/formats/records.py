"""What every reader yields: one person (as a core Person) with its life events and the line it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from keepwarm.core.people import Person


@dataclass
class Event:
    """A dated life event that came with a person (for example Google's ``Event 1`` moving)."""

    kind: str
    on: date
    note: str | None = None


@dataclass
class Record:
    """One person read from a file; ``problem`` says why the row cannot be used (it is then skipped), and
    ``field`` which column or property held the bad value, when one did (a skipped row should point at it)."""

    person: Person
    line: int
    events: list[Event] = field(default_factory=list)
    problem: str | None = None
    key: str | None = None  # a hash of the source row, to skip it cheaply when it is imported again
    kept: list[str] = field(default_factory=list)  # "kept as written: birthday '31.02.'", one per field
    country: str | None = None  # the country of the person's address, as written: the region of its phones
    field: str | None = None  # (declared last: the name hides dataclasses.field in the class body)
