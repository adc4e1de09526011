"""Small reads of one owner's settings, catalog, rhythms and weekly counts, over any statement runner.

A runner takes a statement name from :mod:`keepwarm.store.sql` and its parameters, and returns rows whose
columns read as attributes: :class:`keepwarm.store.sql.SessionRunner` inside the application, and
:class:`keepwarm.store.lite.LiteRunner` for the cold ``keepwarm today`` process. Nothing here imports
SQLAlchemy, so both share these conversions from rows to domain values.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, Protocol

from keepwarm.core.actions import Action
from keepwarm.core.circles import effective_every
from keepwarm.core.dates import monday_of

DEFAULT_SETTINGS: dict[str, Any] = {
    "half_life": 90,
    "weekly_goal": 5,
    "intros_per_day": 3,
    "region": "US",
    "deposit_lead": 7,  # days a deposit must precede a planned ask to count for it
    "capture_subjects": False,  # captured touches keep the mail's or meeting's subject as their note
    "capture_max_people": 10,  # mail or meetings with more other people are no touch
}


class Runner(Protocol):
    """Runs a named statement of :mod:`keepwarm.store.sql` with its parameters."""

    def __call__(self, name: str, **params: Any) -> Iterable[Any]: ...


def owner_id(run: Runner, email: str | None) -> int | None:
    """The account by email, else the first one; None when there is none."""
    rows = run("owner_by_email", email=email.lower()) if email else run("first_owner", limit=1)
    return next((r.id for r in rows), None)


def catalog(run: Runner, owner: int) -> dict[str, Action]:
    """The owner's action catalog by name."""
    return {r.name: Action(r.name, r.label, r.weight, r.minutes, r.kind, r.personal, r.builtin,
                           r.duration)
            for r in run("catalog", owner=owner)}


def settings(run: Runner, owner: int) -> dict[str, Any]:
    """Every setting of the owner, defaults filled in."""
    return DEFAULT_SETTINGS | {r.key: json.loads(r.value) for r in run("settings", owner=owner)}


def rhythms(run: Runner, owner: int, circle_rows: Iterable[Any] | None = None) -> list[int]:
    """Every rhythm in use: the circles' (from ``circle_rows`` when the caller read them already) and the
    per-person overrides (a handful, found by index)."""
    found = {r.every_days for r in (run("circles", owner=owner) if circle_rows is None else circle_rows)}
    found |= {r.every_days for r in run("person_rhythms", owner=owner)}
    return sorted(found | {effective_every(None, None)})


def weekly_counts(run: Runner, owner: int, today: date, weeks: int = 104) -> dict[date, int]:
    """Touches per ISO week for the last ``weeks`` weeks."""
    since = monday_of(today) - timedelta(weeks=weeks)
    return {r.week_start: r.touches for r in run("weeks", owner=owner, since=since)}
