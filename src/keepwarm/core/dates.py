"""Parsing the dates and durations people type: ``2026-03-01``, ``yesterday``, ``3 days ago``, ``6w``."""

from __future__ import annotations

import re
from datetime import date, timedelta

from keepwarm.errors import InvalidInputError

_UNIT_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}
_UNIT_WORDS = {
    "day": "d", "days": "d", "week": "w", "weeks": "w",
    "month": "m", "months": "m", "year": "y", "years": "y",
}
_DURATION = re.compile(r"^\s*(-?\d{1,6})\s*([a-z]+)\s*$")
_AGO = re.compile(r"^\s*(\d{1,6})\s*([a-z]+)\s+ago\s*$")
_IN = re.compile(r"^\s*in\s+(\d{1,6})\s*([a-z]+)\s*$")


def _unit(word: str, text: str) -> int:
    code = _UNIT_WORDS.get(word, word)
    if code not in _UNIT_DAYS:
        raise InvalidInputError(f"unknown unit in {text!r}: use d, w, m or y (e.g. 30d, 6w, 3m, 1y)")
    return _UNIT_DAYS[code]


def parse_duration(text: str) -> int:
    """Parse ``30d``, ``6w``, ``3m``, ``1y`` (or ``2 weeks``) into a positive number of days."""
    m = _DURATION.match(text.lower())
    if not m:
        raise InvalidInputError(f"not a duration: {text!r} (use e.g. 30d, 6w, 3m, 1y)")
    n = int(m.group(1))
    if n <= 0:
        raise InvalidInputError(f"a duration must be positive, not {text!r}")
    days = n * _unit(m.group(2), text)
    if days > 365 * 20:
        raise InvalidInputError(f"a duration of more than 20 years is not a rhythm: {text!r}")
    return days


def format_days(days: int) -> str:
    """Say a number of days the way a person would: ``3w``, ``3m``, ``1y``, ``10d``; a calendar month's
    worth reads as months too (182 days, the warm circle's rhythm, is ``6m``, not ``26w``)."""
    for unit, size in (("y", 365), ("m", 30)):
        if days % size == 0:
            return f"{days // size}{unit}"
    months = round(days / 30.44)
    if 2 <= months <= 11 and abs(days - months * 30.44) < 1:
        return f"{months}m"
    if days % 7 == 0:
        return f"{days // 7}w"
    return f"{days}d"


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def format_day(day: date, today: date | None = None) -> str:
    """A day as people say it: ``15 December``; ``15 December 2024`` when that is not ``today``'s year
    (a last touch two years ago must not read as this year's). Without ``today``, never the year.

    ISO dates stay in JSON and the API's values; this is for text meant to be read.
    """
    text = f"{day.day} {MONTHS[day.month - 1]}"
    return text if today is None or day.year == today.year else f"{text} {day.year}"


def parse_date(text: str, today: date) -> date:
    """Parse an ISO date, ``today``, ``yesterday``, ``tomorrow``, ``3 days ago`` or ``in 2 weeks``."""
    t = text.strip().lower()
    named = {"today": 0, "yesterday": -1, "tomorrow": 1}
    if t in named:
        return today + timedelta(days=named[t])
    for pattern, sign in ((_AGO, -1), (_IN, 1)):
        m = pattern.match(t)
        if m:
            try:
                return today + timedelta(days=sign * int(m.group(1)) * _unit(m.group(2), text))
            except OverflowError:
                raise InvalidInputError(f"{text!r} is too far from today") from None
    try:
        return date.fromisoformat(t)
    except ValueError:
        raise InvalidInputError(
            f"not a valid date: {text!r} (use YYYY-MM-DD, 'yesterday' or '3 days ago')"
        ) from None


def is_leap(year: int) -> bool:
    """Whether ``year`` has a 29 February."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def monday_of(day: date) -> date:
    """The Monday that starts ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())

