"""Birthdays with an optional year; a 29 February birthday is celebrated on 28 February otherwise."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from keepwarm.core.dates import MONTHS, is_leap
from keepwarm.errors import InvalidInputError

_FULL = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NO_YEAR = re.compile(r"^(?:--)?(\d{1,2})-(\d{1,2})$")


@dataclass(frozen=True, order=True)
class Birthday:
    """A month and day, with the year when it is known."""

    month: int
    day: int
    year: int | None = None

    def __post_init__(self) -> None:
        check_year = self.year if self.year is not None else 2000  # a leap year admits 29 Feb
        try:
            date(check_year, self.month, self.day)
        except (ValueError, TypeError):
            raise InvalidInputError(f"not a valid birthday: {self.iso()!r}") from None

    @classmethod
    def parse(cls, text: str) -> Birthday:
        """Parse ``YYYY-MM-DD``, ``MM-DD`` or ``--MM-DD``."""
        t = text.strip()
        m = _FULL.match(t)
        if m:
            return cls(int(m.group(2)), int(m.group(3)), int(m.group(1)))
        m = _NO_YEAR.match(t)
        if m:
            return cls(int(m.group(1)), int(m.group(2)))
        raise InvalidInputError(f"not a valid birthday: {text!r} (use YYYY-MM-DD or MM-DD)")

    def iso(self) -> str:
        """``1988-07-09``, or ``--07-09`` when the year is unknown (as vCard 4 writes it)."""
        md = f"{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{md}" if self.year else f"--{md}"

    def spoken(self) -> str:
        """``3 December``, or ``3 December 1980`` when the year is known."""
        md = f"{self.day} {MONTHS[self.month - 1]}"
        return f"{md} {self.year}" if self.year else md

    @property
    def mmdd(self) -> int:
        """Month and day as one sortable number, 229 for 29 February."""
        return self.month * 100 + self.day

    def in_year(self, year: int) -> date:
        """The day it is celebrated in ``year``."""
        if (self.month, self.day) == (2, 29) and not is_leap(year):
            return date(year, 2, 28)
        return date(year, self.month, self.day)

    def next_on_or_after(self, today: date) -> date:
        """The next celebration on or after ``today``."""
        this_year = self.in_year(today.year)
        return this_year if this_year >= today else self.in_year(today.year + 1)

    def age_on(self, day: date) -> int | None:
        """The age turned on the celebration in ``day``'s year, when the year is known."""
        return day.year - self.year if self.year else None


def mmdd_windows(today: date, days: int) -> list[tuple[int, int]]:
    """The (from, to) ranges of ``mmdd`` values celebrated in the next ``days`` days, wrap-around split.

    In a year without 29 February, a window that covers 28 February also covers 229.
    """
    from datetime import timedelta

    end = today + timedelta(days=days)
    spans: list[tuple[date, date]] = []
    if end.year == today.year:
        spans.append((today, end))
    elif end.year > today.year + 1:  # a window of more than a year covers every day
        return [(101, 1231)]
    else:
        spans.append((today, date(today.year, 12, 31)))
        spans.append((date(end.year, 1, 1), end))
    out = []
    for a, b in spans:
        lo, hi = a.month * 100 + a.day, b.month * 100 + b.day
        if not is_leap(a.year) and lo <= 228 <= hi:
            hi = max(hi, 229)
        out.append((lo, hi))
    return out
