"""Circles and their keep-in-touch rhythms: how often each kind of relationship wants a touch."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Circle:
    """A named group of people with a default rhythm in days."""

    name: str
    every_days: int
    description: str = ""


DEFAULT_CIRCLES: tuple[Circle, ...] = (
    Circle("inner", 21, "closest allies: mentors, best colleagues"),
    Circle("close", 42, "people you work with or rely on"),
    Circle("active", 90, "an active professional relationship"),
    Circle("warm", 182, "good contacts to keep warm"),
    Circle("occasional", 365, "once in a great while"),
)
DEFAULT_CIRCLE = "warm"


def effective_every(person_every: int | None, circle_every: int | None) -> int:
    """A person's rhythm: their own override, else their circle's, else the default circle's."""
    if person_every:
        return person_every
    if circle_every:
        return circle_every
    return next(c.every_days for c in DEFAULT_CIRCLES if c.name == DEFAULT_CIRCLE)
