"""Touches from what live sources read, kept simple until the lead routes it through the capture rules.

A message is a touch with the people it was exchanged with (``message``), a meeting with the people who
came (``video``). Only people already in the network count, matched by email; each captured item is
remembered in ``capture_seen`` so reading it again (a second folder, a re-read after UIDVALIDITY changed)
adds nothing, and one person gets at most one touch per source and day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from keepwarm.store import Store
from keepwarm.store.models.capture import CaptureSeen, MeAddress
from keepwarm.store.models.network import PersonEmail, TouchPerson, TouchRow
from keepwarm.sync.records import MailHeader, Meeting

MAIL, CALENDAR = "mail", "calendar"
_SKIPPED_STATUS = {"CANCELLED"}
_AWAY = {"DECLINED"}


@dataclass
class Counts:
    """What one batch did."""

    read: int = 0
    touches: int = 0
    seen_before: int = 0


class _Sink:
    def __init__(self, store: Store, me: Iterable[str]) -> None:
        self.store, self.s, self.owner = store, store.session, store.owner_id
        self.emails = {e.lower(): pid for e, pid in self.s.execute(
            select(PersonEmail.email, PersonEmail.person_id).where(PersonEmail.owner_id == self.owner))}
        self.me = {m.lower() for m in me} | {a.lower() for a in self.s.scalars(
            select(MeAddress.address).where(MeAddress.owner_id == self.owner, MeAddress.kind == "email"))}
        self.counts = Counts()

    def prime(self, source: str, items: list[tuple[str, date | None]]) -> None:
        """Read once what this batch needs to know: which keys were captured before, and who already has
        a touch from this source on the batch's days."""
        keys = list({k[:500] for k, _ in items})
        self.seen: set[str] = set()
        for start in range(0, len(keys), 500):
            self.seen.update(self.s.scalars(select(CaptureSeen.key).where(
                CaptureSeen.owner_id == self.owner, CaptureSeen.source == source,
                CaptureSeen.key.in_(keys[start:start + 500]))))
        days = [d for _, d in items if d is not None]
        self.touched: set[tuple[int, date]] = set()
        if days:
            q = (select(TouchPerson.person_id, TouchRow.on_date)
                 .join(TouchPerson, TouchPerson.touch_id == TouchRow.id)
                 .where(TouchRow.owner_id == self.owner, TouchRow.source == source,
                        TouchRow.on_date.between(min(days), max(days))))
            self.touched = {(pid, on) for pid, on in self.s.execute(q)}

    def take(self, source: str, key: str, on: date | None, addresses: list[str], action: str,
             initiated_by: str) -> None:
        self.counts.read += 1
        if on is not None and on > self.store.today:
            return  # a meeting still to come: it counts once it has happened, on a later sync
        if key[:500] in self.seen:
            self.counts.seen_before += 1
            return
        self.seen.add(key[:500])
        touch_id = None
        if on is not None:
            ids = [pid for a in dict.fromkeys(addresses) if a not in self.me
                   and (pid := self.emails.get(a)) is not None]
            ids = [pid for pid in dict.fromkeys(ids) if (pid, on) not in self.touched]
            self.touched.update((pid, on) for pid in ids)
            if ids:
                touch = self.store.touches.log(action, ids, on=on, initiated_by=initiated_by, record=False)
                touch.source = source
                touch_id = touch.id
                self.counts.touches += 1
        self.s.add(CaptureSeen(owner_id=self.owner, source=source, key=key[:500], touch_id=touch_id,
                               seen_on=self.store.today))


def _by_day(day: date | None) -> date:
    """Oldest first: touches logged in date order never make keepwarm replay a person's history."""
    return day or date.max


def sink_mail(store: Store, headers: Iterable[MailHeader], me: Iterable[str] = ()) -> Counts:
    """Log touches for the people in these messages (``me``: my own addresses besides the stored ones)."""
    sink = _Sink(store, me)
    batch = sorted(headers, key=lambda h: _by_day(h.date.date() if h.date else None))
    sink.prime(MAIL, [(h.message_id, h.date.date() if h.date else None) for h in batch])
    for h in batch:
        if h.bulk or h.sender is None:
            sink.counts.read += 1
            continue
        mine = h.sender in sink.me
        people = h.to + h.cc if mine else [h.sender]
        sink.take(MAIL, h.message_id, h.date.date() if h.date else None, people, "message",
                  "me" if mine else "them")
    store.session.flush()
    return sink.counts


def sink_meetings(store: Store, meetings: Iterable[Meeting], me: Iterable[str] = ()) -> Counts:
    """Log touches for the people who came to these meetings (not the declined, not rooms)."""
    sink = _Sink(store, me)
    batch = sorted(meetings, key=lambda m: m.start)
    sink.prime(CALENDAR, [(m.key, m.start) for m in batch])
    for m in batch:
        if (m.status or "").upper() in _SKIPPED_STATUS:
            sink.counts.read += 1
            continue
        people = [a.email for a in m.attendees if a.partstat not in _AWAY and a.cutype == "INDIVIDUAL"]
        if m.organizer:
            people.append(m.organizer)
        sink.take(CALENDAR, m.key, m.start, people, "video", "me")
    store.session.flush()
    return sink.counts
