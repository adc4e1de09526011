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
    duration: int | None = None  # how long the touch itself lasts; ``minutes`` is what it costs today

    @property
    def lasts(self) -> int:
        """Minutes the touch itself lasts (a coffee: an hour), as opposed to ``minutes`` of effort today
        (sending the invitation: two)."""
        return self.duration if self.duration is not None else self.minutes

    @property
    def balance_delta(self) -> float:
        """How much one such touch moves the give/ask balance."""
        return {GIVE: self.weight, NEUTRAL: self.weight / 2, ASK: -self.weight,
                RECEIVED: -self.weight}[self.kind]


# ``minutes`` is the effort it takes *today* (what the daily time budget spends: proposing a coffee is a
# two-minute message); ``duration`` is how long the touch itself lasts once it happens.
BUILTIN_ACTIONS: tuple[Action, ...] = (
    Action("like", "Like a post", 0.5, 1, duration=1),
    Action("comment", "Comment on a post", 1.5, 3, duration=3),
    Action("share", "Share their post", 2.0, 3, duration=3),
    Action("repost", "Repost an article with your own summary", 2.5, 15, duration=15),
    Action("message", "Send a short check-in message", 2.0, 5, personal=True, duration=5),
    Action("congrats", "Congratulate them on their news", 2.5, 5, personal=True, duration=5),
    Action("recommend", "Recommend a book or article", 3.0, 10, personal=True, duration=10),
    Action("thanks", "Send a thank-you note just because", 3.0, 5, personal=True, duration=5),
    Action("birthday", "Send a private birthday note", 3.0, 5, personal=True, duration=5),
    Action("call", "Give them a phone call", 5.0, 3, personal=True, duration=20),
    Action("gift", "A small gift or treat (bring cookies to the meeting)", 5.0, 10, personal=True,
           duration=30),
    Action("video", "A video meet-up", 6.0, 2, personal=True, duration=30),
    Action("coffee", "Meet for coffee", 8.0, 2, personal=True, duration=60),
    Action("intro", "Make an introduction", 6.0, 15, GIVE, personal=True, duration=15),
    Action("ask", "Ask a favour", 5.0, 10, ASK, personal=True, duration=10),
    Action("received", "Received a favour (a thank-you is owed)", 4.0, 0, RECEIVED, duration=0),
)
# What the effort of the built-in actions was before effort and duration were told apart (migration 0005).
OLD_BUILTIN_MINUTES = {"thanks": 10, "call": 20, "gift": 30, "video": 30, "coffee": 60}


def make_action(name: str, label: str | None, weight: float, minutes: int, kind: str,
                personal: bool = False, duration: int | None = None) -> Action:
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
    if duration is not None and not 0 <= duration <= 1440:
        raise InvalidInputError(f"an action's duration is between 0 and 1440 minutes, not {duration}")
    from keepwarm.core.people import clean_text

    text = clean_text(label, "label", limit=200) or name
    return Action(name, text, float(weight), int(minutes), kind, personal, builtin=False,
                  duration=int(duration) if duration is not None else int(minutes))
