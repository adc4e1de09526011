"""Touches from what live sources read: the records of IMAP and CalDAV go through the capture rules and
store path (:func:`keepwarm.store.capture.capture_records`), exactly as ``keepwarm capture`` files do.

So what becomes a touch is one set of rules (``docs/capture.md``), one item counts once whether it came
from a file or a server (``capture_seen``), and a first sync of years of mail is written in bulk.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from keepwarm.capture import Contact
from keepwarm.store import Store
from keepwarm.store.capture import capture_records


@dataclass
class Counts:
    """What one sync's records did: ``read`` of them, ``touches`` logged, ``seen_before`` (a person of
    an item captured before), ``same_day`` (someone already touched that day from that source),
    ``no_touch`` (none by the rules: bulk, robot, cancelled, declined…) and ``unmatched`` (people not
    in the network, kept for ``keepwarm capture review``)."""

    read: int = 0
    touches: int = 0
    seen_before: int = 0
    same_day: int = 0
    no_touch: int = 0
    unmatched: int = 0


def sink(store: Store, records: Iterable[Contact], me: Iterable[str] = ()) -> Counts:
    """Capture the records in the store's transaction (``me``: my addresses besides the stored ones)."""
    todo = list(records)
    if not todo:
        return Counts()  # nothing new: no need to load the network's addresses and seen keys
    report = capture_records(store, todo, me=me)
    return Counts(read=len(todo), touches=len(report.logged), seen_before=report.already,
                  same_day=report.same_day, no_touch=len(report.skipped), unmatched=len(report.unmatched))
