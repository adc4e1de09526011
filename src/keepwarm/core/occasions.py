"""Occasions: the dated reasons to reach out, each with a stable id, and which touch fits which occasion.

An occasion is a birthday occurrence, a life event, a thank-you owed, a plan, a deposit before a planned
ask, a library match or a news mention; the agenda's cadence and hello-to-a-newcomer reasons get ids too, so
every suggestion carries one. An occasion is *done* when a touch is logged for it: by `keepwarm done`, the
web's Done, or a plain `keepwarm log PERSON ACTION` whose action fits the person's open occasion (the table
below, which ``docs/agenda.md`` repeats and a test checks row by row). A done occasion never comes back.

Only a touch logged *for* an occasion, while it is open, satisfies it: a call last week was not the
goodbye to someone whose move you learn of today, and a like is never a birthday note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from keepwarm.core.actions import ASK, GIVE, RECEIVED, Action
from keepwarm.errors import InvalidInputError

KINDS = ("birthday", "life_event", "thanks", "plan", "deposit", "library", "news", "cadence", "intro")
DATED = frozenset({"birthday", "life_event", "thanks", "plan", "deposit", "library", "news"})

BIRTHDAY_NOTE_EARLY = 7  # a birthday note may be sent this many days ahead (it shows a week ahead)
BIRTHDAY_LATE = 3  # ... and up to this many days late
BIRTHDAY_OTHER_LATE = 1  # another fitting touch counts on the day or the day after: a call three days
#                          before a birthday is a call, not the birthday wishes
PLAN_EARLY_DAYS = 14  # a touch this many days before a plan's date fulfils it
BELATED = 2  # days a missed birthday still shows in the agenda, for a belated note
ASK_HORIZON = 14  # a planned ask shows this far ahead when a deposit should come first
NEWS_DAYS = 7  # a news mention is open (shown, and closed by a fitting touch) this long after it was found

_MEET = frozenset({"call", "video", "coffee", "gift"})
_NEWS = frozenset({"congrats", "message"}) | _MEET
# What fits each occasion. Built-in actions by name; a custom *personal* give fits wherever a call does.
FITS: dict[str, frozenset[str]] = {
    "birthday": frozenset({"birthday", "message", "congrats"}) | _MEET,
    "life_event:moving": frozenset({"message"}) | _MEET,
    "life_event:new-job": _NEWS,
    "life_event:promotion": _NEWS,
    "life_event:retirement": _NEWS,
    "life_event:graduation": _NEWS,
    "life_event:wedding": _NEWS,
    "life_event:new-baby": frozenset({"gift", "congrats", "message", "call", "video"}),
    "life_event:loss": frozenset({"message", "call", "video", "coffee", "gift"}),
    "life_event:custom": _NEWS,
    "thanks": frozenset({"thanks", "message"}) | _MEET,
    "library": frozenset({"recommend", "share", "repost"}),
    "news": _NEWS,
}
NEVER_PERSONAL = frozenset({"like", "comment", "share"})  # never a birthday note, a goodbye or a thank-you


@dataclass
class Occasion:
    """A reason to reach out found by the store: who, what kind, on which day, and what it refers to.

    ``key`` makes the id stable: the birthday's date, the event's, plan's or resource's id, the date the
    thank-you has been owed since, the day a rhythm fell due.
    """

    kind: str
    person_id: int
    on: date
    key: str
    event_kind: str | None = None  # for life events
    action: str | None = None  # a plan's action

    @property
    def id(self) -> str:
        return occasion_id(self.kind, self.person_id, self.key)

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "kind": self.kind, "on": self.on.isoformat()}


def occasion_id(kind: str, person_id: int, key: object) -> str:
    """``kind:person:key``, e.g. ``birthday:12:2026-12-03`` or ``event:12:40``."""
    return f"{'event' if kind == 'life_event' else kind}:{person_id}:{key}"


def parse_id(text: str) -> tuple[str, int, str]:
    """(kind, person id, key) of an occasion id; a clear error for anything else."""
    parts = text.strip().split(":", 2)
    kind = "life_event" if parts[0] == "event" else parts[0]
    if len(parts) != 3 or kind not in KINDS or not parts[1].isdigit() or not parts[2]:
        raise InvalidInputError(f"not an occasion id: {text!r} (ids look like birthday:12:2026-12-03; "
                                "`keepwarm today --json` shows them)")
    return kind, int(parts[1]), parts[2]


def fits_action(occasion: Occasion, action: Action) -> bool:
    """Whether a touch of ``action`` can be the one an occasion asks for (the table above)."""
    kind = occasion.kind
    if kind in ("cadence", "intro"):
        return action.kind != RECEIVED  # any touch you make keeps a rhythm
    if kind == "plan":
        return action.name == occasion.action
    if kind == "deposit":  # a real give: not a like or a comment
        return action.kind == GIVE and action.name not in NEVER_PERSONAL and action.weight >= 2
    key = f"life_event:{occasion.event_kind}" if kind == "life_event" else kind
    table = FITS.get(key, FITS.get("life_event:custom", frozenset()))
    if action.name in table:
        return True
    custom = not action.builtin and action.personal and action.kind == GIVE
    return custom and kind != "library" and action.name not in NEVER_PERSONAL


@cache
def kinds_fitting(action: Action) -> frozenset[str]:
    """The dated occasion kinds a touch of ``action`` could be for, by :func:`fits_action` itself (a
    plan fits by its own action, so it is always among them): a lookup can skip the others."""
    events = [k.split(":", 1)[1] for k in FITS if k.startswith("life_event:")]
    kinds = ("birthday", "thanks", "deposit", "library", "news")
    probes = [Occasion(kind, 0, date.min, "") for kind in kinds]
    probes += [Occasion("life_event", 0, date.min, "", event_kind=e) for e in events]
    return frozenset({"plan"} | {o.kind for o in probes if fits_action(o, action)})


def fits_date(occasion: Occasion, action: Action, touched: date,
              window: tuple[date, date] | None = None) -> bool:
    """Whether a touch on ``touched`` falls when it can count for the occasion.

    A birthday note counts from a week ahead to three days late; another fitting touch (a call, a gift)
    only on the day or the day after. A life event counts within its window (``window``); a plan from
    two weeks before; a deposit only before the ask; a thank-you once the favour was received.
    """
    on, kind = occasion.on, occasion.kind
    if kind == "birthday":
        if action.name == "birthday":
            return on - timedelta(days=BIRTHDAY_NOTE_EARLY) <= touched <= on + timedelta(days=BIRTHDAY_LATE)
        return on <= touched <= on + timedelta(days=BIRTHDAY_OTHER_LATE)
    if kind == "life_event" and window is not None:
        return window[0] <= touched <= window[1]
    if kind == "plan":
        return touched >= on - timedelta(days=PLAN_EARLY_DAYS)
    if kind == "deposit":
        return touched <= on
    if kind == "thanks":
        return touched >= on
    return True


def is_withdrawal(action: Action) -> bool:
    """Asks and favours received take from the relationship rather than give to it."""
    return action.kind in (ASK, RECEIVED)
