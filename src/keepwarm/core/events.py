"""Life events (moving, a new job, a loss…) and the touch each one calls for, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from keepwarm.core.dates import format_day
from keepwarm.errors import InvalidInputError


@dataclass(frozen=True)
class EventRule:
    """When an event of a kind shows in the agenda, and what it suggests."""

    before: int  # days before the date it starts to show
    after: int  # days after the date it keeps showing
    action: str
    priority: int
    upcoming: str  # reason while the date is ahead
    past: str  # reason once the date has come


RULES: dict[str, EventRule] = {
    "moving": EventRule(30, 3, "coffee", 85, "moving away on {on} ({n} days): meet up before they go",
                        "moved on {on}: wish them well in the new place"),
    "new-job": EventRule(3, 21, "congrats", 75, "starts a new job on {on}",
                         "started a new job on {on}: congratulate them"),
    "promotion": EventRule(0, 21, "congrats", 72, "", "was promoted on {on}: congratulate them"),
    "retirement": EventRule(14, 21, "congrats", 70, "retires on {on} ({n} days)", "retired on {on}"),
    "graduation": EventRule(7, 21, "congrats", 70, "graduates on {on} ({n} days)",
                            "graduated on {on}: congratulate them"),
    "new-baby": EventRule(0, 30, "gift", 78, "", "had a baby on {on}: a small gift or a note"),
    "wedding": EventRule(7, 21, "congrats", 72, "gets married on {on} ({n} days)",
                         "got married on {on}: congratulate them"),
    "loss": EventRule(0, 30, "message", 95, "", "suffered a loss on {on}: send a personal note"),
    "custom": EventRule(7, 7, "message", 60, "{note} on {on} ({n} days)", "{note} on {on}"),
}
KINDS = tuple(RULES)


JOB_KINDS = ("new-job", "promotion")  # the events that carry a company and a title


@dataclass
class LifeEvent:
    """Something that happens in a person's life, with a date."""

    person_id: int
    kind: str
    on: date
    note: str | None = None
    id: int | None = None


def check_kind(kind: str) -> str:
    """Normalise an event kind (``new job`` → ``new-job``); refuse unknown ones."""
    k = kind.strip().lower().replace(" ", "-").replace("_", "-")
    if k not in RULES:
        raise InvalidInputError(f"unknown life event {kind!r}: use one of {', '.join(KINDS)}")
    return k


def window(event: LifeEvent) -> tuple[date, date]:
    """The days during which the event shows in the agenda."""
    rule = RULES[event.kind]
    return event.on - timedelta(days=rule.before), event.on + timedelta(days=rule.after)


def reason(event: LifeEvent, today: date) -> str:
    """Why the event is in today's agenda, in words."""
    rule = RULES[event.kind]
    n = (event.on - today).days
    template = rule.upcoming if n > 0 and rule.upcoming else rule.past
    return template.format(on=format_day(event.on, today), n=n, note="something you noted")


def action(event: LifeEvent, today: date) -> str:
    """The touch an event calls for today: after a move, a message to the new place, not a coffee."""
    rule = RULES[event.kind]
    if event.kind == "moving" and today > event.on:
        return "message"
    return rule.action


def longest_lookback() -> int:
    """How many days after its date any event can still show (for querying candidates)."""
    return max(r.after for r in RULES.values())


def longest_lookahead() -> int:
    """How many days before its date any event can start to show."""
    return max(r.before for r in RULES.values())


def check_job(kind: str, company: str | None, title: str | None) -> None:
    """A company or title belongs to a new job or a promotion; on any other event it is a mistake."""
    if (company or title) and kind not in JOB_KINDS:
        raise InvalidInputError(f"a company and title go with a new-job or promotion event, not {kind!r}")


def after_job_change(old_company: str | None, old_title: str | None, company: str | None,
                     title: str | None) -> tuple[str | None, str | None]:
    """The person's company and title once a new job or promotion is recorded.

    What is given replaces what was; a new employer without a title clears the old title, which
    belonged to the old employer. The old values stay on the event (``prev_company``, ``prev_title``)."""
    new_company = company or old_company
    if title:
        new_title: str | None = title
    elif company and company != old_company:
        new_title = None
    else:
        new_title = old_title
    return new_company, new_title
