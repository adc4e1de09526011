"""Relationship strength: the time-decayed, weighted sum of touches, squashed into 0–100.

    S(t)      = Σ weight_i · 2^(−(t − t_i) / half_life)        (touches on or before t)
    strength  = 100 · (1 − e^(−S / SCALE))                      (SCALE = 20)

One coffee today scores 33; a coffee a month for a year scores about 86; silence halves S every
half-life (90 days by default).

Summing every touch on every read is slow for large networks, and unnecessary: the decay factor is the
same for everyone, so ``S(t) = B · 2^(−(t − EPOCH) / half_life)`` with a stored base
``B = Σ weight_i · 2^((t_i − EPOCH) / half_life)``, maintained in O(1) per logged touch. Ordering people
by B orders them by strength on any day.
"""

from __future__ import annotations

import math
from datetime import date

EPOCH = date(2000, 1, 1)
SCALE = 20.0
DEFAULT_HALF_LIFE = 90
MIN_HALF_LIFE = 45  # 2^((2126 − 2000)·365/45) still fits a double; shorter half-lives would overflow


def base_term(weight: float, on: date, half_life: int = DEFAULT_HALF_LIFE) -> float:
    """What one touch adds to a person's stored base."""
    try:
        return weight * 2.0 ** ((on - EPOCH).days / half_life)
    except OverflowError:
        from keepwarm.errors import ConfigError

        raise ConfigError(f"a half-life of {half_life} days is too short for touches on {on.isoformat()}; "
                          f"use at least {MIN_HALF_LIFE}") from None


def decayed_sum(base: float, today: date, half_life: int = DEFAULT_HALF_LIFE) -> float:
    """S on ``today`` from a stored base."""
    return base * 2.0 ** (-(today - EPOCH).days / half_life)


def score(total: float) -> float:
    """Squash a decayed sum into 0–100."""
    return round(100.0 * (1.0 - math.exp(-max(total, 0.0) / SCALE)), 1)


def strength_on(touches: list[tuple[date, float]], day: date, half_life: int = DEFAULT_HALF_LIFE) -> float:
    """Strength on ``day`` from (date, weight) pairs, counting only touches on or before it."""
    total = sum(w * 2.0 ** (-(day - d).days / half_life) for d, w in touches if d <= day)
    return score(total)


def trend(touches: list[tuple[date, float]], today: date, half_life: int = DEFAULT_HALF_LIFE,
          days: int = 30) -> float:
    """Strength now minus strength ``days`` ago."""
    from datetime import timedelta

    then = today - timedelta(days=days)
    return round(strength_on(touches, today, half_life) - strength_on(touches, then, half_life), 1)


WITHDRAWAL_CAP = 1.0  # an ask or a favour received adds to strength at most what a small deposit does


def touch_weight(weight: float, kind: str, people: int = 1) -> float:
    """What one touch adds to one person's strength: a touch with several people gives each a share, and a
    withdrawal (an ask, a favour received) never counts for more than a small deposit."""
    if kind in ("ask", "received"):
        weight = min(weight, WITHDRAWAL_CAP)
    return weight / max(people, 1)
