"""The catalog of micro-actions: small touches, each a deposit, a withdrawal or neutral."""

from __future__ import annotations

import re
from dataclasses import dataclass

from keepwarm.errors import InvalidInputError

GIVE, ASK, NEUTRAL, RECEIVED = "give", "ask", "neutral", "received"
KINDS = (GIVE, ASK, NEUTRAL, RECEIVED)
_NAME = re.compile(r"^[a-z][a-z0-9-]{0,39}$")


@dataclass(frozen=True)
class Action:
    """A micro-action: its weight feeds strength and balance; minutes feed the daily time budget.

    ``kind`` says which way it moves the give/ask balance: a ``give`` is a deposit, an ``ask`` a
    withdrawal, a ``received`` favour is a withdrawal that also leaves a thank-you owed, and a ``neutral``
    touch is a light deposit of half its weight.
    """

    name: str
    label: str
    weight: float
    minutes: int
    kind: str = GIVE
    personal: bool = False
    builtin: bool = True

    @property
    def balance_delta(self) -> float:
        """How much one such touch moves the give/ask balance."""
        return {GIVE: self.weight, NEUTRAL: self.weight / 2, ASK: -self.weight,
                RECEIVED: -self.weight}[self.kind]


BUILTIN_ACTIONS: tuple[Action, ...] = (
    Action("like", "Like a post", 0.5, 1),
    Action("comment", "Comment on a post", 1.5, 3),
    Action("share", "Share their post", 2.0, 3),
    Action("repost", "Repost an article with your own summary", 2.5, 15),
    Action("message", "Send a short check-in message", 2.0, 5, personal=True),
    Action("congrats", "Congratulate them on their news", 2.5, 5, personal=True),
    Action("recommend", "Recommend a book or article", 3.0, 10, personal=True),
    Action("thanks", "Send a thank-you note just because", 3.0, 10, personal=True),
    Action("birthday", "Send a private birthday note", 3.0, 5, personal=True),
    Action("call", "Give them a phone call", 5.0, 20, personal=True),
    Action("gift", "A small gift or treat (bring cookies to the meeting)", 5.0, 30, personal=True),
    Action("video", "A video meet-up", 6.0, 30, personal=True),
    Action("coffee", "Meet for coffee", 8.0, 60, personal=True),
    Action("intro", "Make an introduction", 6.0, 15, GIVE, personal=True),
    Action("ask", "Ask a favour", 5.0, 10, ASK, personal=True),
    Action("received", "Received a favour (a thank-you is owed)", 4.0, 0, RECEIVED),
)


def make_action(name: str, label: str | None, weight: float, minutes: int, kind: str,
                personal: bool = False) -> Action:
    """Build and check a user-defined action."""
    if not _NAME.match(name):
        raise InvalidInputError(
            f"an action name is lower-case letters, digits and dashes, starting with a letter: {name!r}")
    if kind not in KINDS:
        raise InvalidInputError(f"an action's kind is one of {', '.join(KINDS)}, not {kind!r}")
    if not 0 < weight <= 20:
        raise InvalidInputError(f"an action's weight is between 0 and 20, not {weight}")
    if not 0 <= minutes <= 600:
        raise InvalidInputError(f"an action's effort is between 0 and 600 minutes, not {minutes}")
    from keepwarm.core.people import clean_text

    text = clean_text(label, "label", limit=200) or name
    return Action(name, text, float(weight), int(minutes), kind, personal, builtin=False)
