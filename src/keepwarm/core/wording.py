"""How drafts say things: dates as people write them and events in words, never as stored values.

A draft goes to another person, so nothing in it may read like a database: no ISO dates, no action or
event names with dashes, no field values pasted in parentheses. These helpers are the Jinja filters of
the draft templates (see :func:`keepwarm.core.drafts.environment`).
"""

from __future__ import annotations

from datetime import date

from keepwarm.core.dates import format_day

# What a congratulation or a condolence calls each life event, in a sentence ("Congratulations on …").
_EVENT_WORDS = {
    "new-job": "the new job",
    "promotion": "your promotion",
    "retirement": "your retirement",
    "graduation": "your graduation",
    "new-baby": "the new baby",
    "wedding": "your wedding",
    "moving": "the move",
    "loss": "your loss",
}

# The last real conversation, as a draft refers back to it ("since our coffee on 3 September").
_TALKS = {"coffee": "our coffee", "call": "our call", "video": "our video call", "gift": "we last met"}


def day(d: date, today: date) -> str:
    """``15 December``, or ``15 December 2027`` when the year is not this one: how a person writes it."""
    return format_day(d, today)


def on_day(d: date, today: date) -> str:
    """``today``, ``tomorrow``, ``yesterday`` or ``on 15 December``: a date as the end of a sentence."""
    n = (d - today).days
    if n == 0:
        return "today"
    if n == 1:
        return "tomorrow"
    if n == -1:
        return "yesterday"
    return f"on {day(d, today)}"


def event_words(kind: str) -> str:
    """A life event in words (``new-job`` → ``the new job``); an unknown kind is just "your news"."""
    return _EVENT_WORDS.get(kind, "your news")


def last_talk(action: str) -> str | None:
    """How to refer back to a past touch that was a real conversation, or None for lighter ones."""
    return _TALKS.get(action)


def job(title: str | None, company: str | None) -> str | None:
    """``Staff Engineer at Indeed``, ``Indeed`` or ``Staff Engineer``: a new role in words."""
    if title and company:
        return f"{title} at {company}"
    return title or company or None
