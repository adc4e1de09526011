"""When a person is due for a touch: one definition for `list --due`, `show`, the People page and the API.

The rule, in full:

* Someone touched before is due once their rhythm has passed since the last touch
  (``last_touch + every_days``).
* Someone never touched is due from the day they joined the network: the day you met them when that is
  known, else the day they were added. Nothing has been said yet, so there is nothing to wait for; such
  a person is shown as "new, never contacted" rather than with a date.
* A snooze moves the due day to the snooze's end, never earlier.

The agenda paces never-touched people (a few introductions a day, see :mod:`keepwarm.core.agenda`); that
decides when they are *suggested*, not whether they are *due*, so `list --due` lists them all.
"""

from __future__ import annotations

from datetime import date, timedelta

from keepwarm.core.dates import format_day

NEVER_CONTACTED = "new, never contacted"


def due_on(last_touch: date | None, since: date, every_days: int,
           snoozed_until: date | None = None) -> date:
    """The day a person is (or was) due: see the module's rule."""
    due = last_touch + timedelta(days=every_days) if last_touch is not None else since
    return max(due, snoozed_until) if snoozed_until is not None else due


def is_due(last_touch: date | None, since: date, every_days: int, today: date,
           snoozed_until: date | None = None) -> bool:
    """Whether a person is due or overdue on ``today``."""
    return due_on(last_touch, since, every_days, snoozed_until) <= today


def due_text(due: date, today: date, never_touched: bool) -> str:
    """How a person's due day reads: ``new, never contacted``, ``now`` (overdue since a day), or a day.

    ``now`` covers today and every day before it; a future day reads as ``15 December``.
    """
    if due <= today:
        if never_touched:
            return NEVER_CONTACTED
        return "now" if due == today else f"now (since {format_day(due, today)})"
    return format_day(due, today)
