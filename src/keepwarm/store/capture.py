"""The store side of capture: records in, touches logged with the people they match, strangers kept
for review, and every item remembered so that capturing the same data again creates nothing.

Idempotency is per record *and* person: ``capture_seen`` holds ``<record key>|<person key>``. A person
not in the network yet is remembered without a touch; once added (``keepwarm capture add``), capturing
again logs their past touches, and only theirs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from sqlalchemy import Table, insert, select, update

from keepwarm.capture import LINKEDIN, MAIL, Contact, Party
from keepwarm.capture.rules import MAX_PEOPLE, Me, decide, linkedin_slug
from keepwarm.core.people import fold
from keepwarm.errors import InvalidInputError
from keepwarm.store import owners
from keepwarm.store.models import PersonEmail, PersonLink, PersonRow, TouchPerson, TouchRow
from keepwarm.store.models.capture import CaptureSeen, Correspondent, MeAddress
from keepwarm.store.store import Store

MAX_KEY = 500  # capture_seen.key's length


@dataclass
class CaptureReport:
    """What a capture did (or, in a dry run, would do)."""

    dry_run: bool = False
    logged: list[dict[str, Any]] = field(default_factory=list)
    unmatched: dict[str, dict[str, Any]] = field(default_factory=dict)
    skipped: list[dict[str, str]] = field(default_factory=list)
    already: int = 0  # items captured before
    same_day: int = 0  # further exchanges with someone already touched that day from that source

    def to_dict(self) -> dict[str, Any]:
        unmatched = sorted(self.unmatched.values(), key=lambda u: (-u["count"], u["key"]))
        return {"dry_run": self.dry_run, "logged": self.logged, "unmatched": unmatched,
                "skipped": self.skipped, "already_captured": self.already, "same_day": self.same_day}


def me_of(store: Store) -> Me:
    """My own addresses and LinkedIn slugs, from ``keepwarm me add``."""
    rows = store.session.execute(select(MeAddress.kind, MeAddress.address)
                                 .where(MeAddress.owner_id == store.owner_id)).all()
    return Me(frozenset(a for k, a in rows if k == "email"),
              frozenset(s for k, a in rows if k == "linkedin" and (s := linkedin_slug(a))))


class Capturer:
    """Matches records to people and logs their touches inside the store's one transaction."""

    def __init__(self, store: Store, me: Iterable[str] = ()) -> None:
        self.store, self.s, self.owner = store, store.session, store.owner_id
        mine = me_of(store)
        self.me = Me(mine.emails | {m.lower() for m in me}, mine.slugs)
        self.max_people = int(owners.get_setting(self.s, self.owner, "capture_max_people") or MAX_PEOPLE)
        self.subjects = bool(owners.get_setting(self.s, self.owner, "capture_subjects"))
        self._index()
        from keepwarm.store.capturelog import BulkToucher

        self.bulk = BulkToucher(self.s, self.owner, store.touches)
        self._new_seen: list[dict[str, Any]] = []
        self._seen_updates: list[tuple[str, str, int | None]] = []

    def _index(self) -> None:
        s, o = self.s, self.owner
        self.emails = {e.lower(): pid for e, pid in s.execute(
            select(PersonEmail.email, PersonEmail.person_id).where(PersonEmail.owner_id == o))}
        self.slugs: dict[str, int] = {}
        for url, pid in s.execute(select(PersonLink.url, PersonLink.person_id).where(
                PersonLink.owner_id == o, PersonLink.url.ilike("%linkedin.com/in/%"))):
            slug = linkedin_slug(url)
            if slug:
                self.slugs.setdefault(slug, pid)
        self.names: dict[tuple[str, str], list[int]] = {}
        for pid, name, company in s.execute(select(PersonRow.id, PersonRow.name_folded, PersonRow.company)
                                            .where(PersonRow.owner_id == o, PersonRow.company.is_not(None))):
            self.names.setdefault((name, fold(company or "")), []).append(pid)
        seen = select(CaptureSeen.source, CaptureSeen.key, CaptureSeen.touch_id)
        self.seen: dict[tuple[str, str], int | None] = {
            (src, k): t for src, k, t in s.execute(seen.where(CaptureSeen.owner_id == o))}
        self.days: dict[tuple[str, int, date], int] = {
            (src or "", pid, on): tid for src, pid, on, tid in s.execute(
                select(TouchRow.source, TouchPerson.person_id, TouchRow.on_date, TouchRow.id)
                .join(TouchPerson, TouchPerson.touch_id == TouchRow.id)
                .where(TouchRow.owner_id == o, TouchRow.source.is_not(None)))}
        self.strangers = {c.key: c for c in s.scalars(select(Correspondent)
                                                      .where(Correspondent.owner_id == o))}

    def match(self, p: Party) -> int | None:
        """A person of the network: by any email on file, by LinkedIn slug, else by name plus company."""
        if p.address and p.address in self.emails:
            return self.emails[p.address]
        if p.slug and p.slug in self.slugs:
            return self.slugs[p.slug]
        if not p.address and not p.slug and p.name and p.company:
            found = self.names.get((fold(p.name), fold(p.company)), [])
            return found[0] if len(found) == 1 else None
        return None

    def add(self, records: Iterable[Contact], dry_run: bool = False) -> CaptureReport:
        """Capture the records (all of them read first, then logged oldest first so no touch lands behind
        a newer one); a dry run reports and writes nothing."""
        report = CaptureReport(dry_run=dry_run)
        todo = sorted(records, key=lambda c: c.on)
        self._check_me(todo)
        for c in todo:
            self._one(c, report, dry_run)
        if not dry_run:
            self._write()
        self._name_people(report)
        return report

    def _write(self) -> None:
        """Insert the queued touches, then the seen keys with the touches' ids (a negative number stood for
        the n-th queued touch until now)."""
        ids = self.bulk.write()

        def real(tid: int | None) -> int | None:
            return ids[-tid - 1] if tid is not None and tid < 0 else tid

        if self._new_seen:
            # a Core executemany: no per-row ORM bookkeeping
            self.s.execute(insert(cast(Table, CaptureSeen.__table__)),
                           [r | {"touch_id": real(r["touch_id"])} for r in self._new_seen])
        for source, key, tid in self._seen_updates:
            self.s.execute(update(CaptureSeen).where(CaptureSeen.owner_id == self.owner,
                                                     CaptureSeen.source == source, CaptureSeen.key == key)
                           .values(touch_id=real(tid)))
        self._new_seen, self._seen_updates = [], []
        self.s.flush()

    def _check_me(self, records: list[Contact]) -> None:
        if not self.me.emails and any(c.source == MAIL for c in records):
            raise InvalidInputError("capturing mail needs your own address, to tell what you sent",
                                    hint="keepwarm me add you@example.com")
        if not self.me.slugs and any(c.source == LINKEDIN and c.kind == "message" for c in records):
            raise InvalidInputError("capturing LinkedIn messages needs your own profile, to tell what you "
                                    "sent", hint="keepwarm me add https://www.linkedin.com/in/you")

    def _one(self, c: Contact, report: CaptureReport, dry_run: bool) -> None:
        d = decide(c, self.me, self.store.today, self.max_people)
        if d.skip or d.action is None:
            report.skipped.append({"where": c.where, "reason": d.skip or "no action"})
            return
        to_log: list[tuple[int, str]] = []
        for p in d.people:
            key = _seen_key(c, p)
            seen = (c.source, key) in self.seen
            if seen and (self.seen[(c.source, key)] is not None or self.match(p) is None):
                report.already += 1
                continue
            pid = self.match(p)
            if pid is None:
                self._stranger(p, c, d.initiated_by, report, dry_run)
                self._remember(key, c, None, dry_run)
            elif (c.source, pid, c.on) in self.days:
                report.same_day += 1
                self._remember(key, c, self.days[(c.source, pid, c.on)], dry_run)
            else:
                to_log.append((pid, key))
        if to_log:
            self._log(c, d.action, d.initiated_by, to_log, report, dry_run)

    def _log(self, c: Contact, action: str, by: str, to_log: list[tuple[int, str]], report: CaptureReport,
             dry_run: bool) -> None:
        pids = list(dict.fromkeys(pid for pid, _ in to_log))
        tid = 0
        if not dry_run:
            tid = self._touch(c, action, pids, by)
        for pid, key in to_log:
            self.days[(c.source, pid, c.on)] = tid
            self._remember(key, c, tid, dry_run)
        report.logged.append({"on": c.on.isoformat(), "action": action, "initiated_by": by,
                              "people": pids, "source": c.source, "where": c.where})

    def _touch(self, c: Contact, name: str, pids: list[int], by: str) -> int:
        """Log one touch: through ``TouchRepo.log`` when it may close an occasion, else queued for the bulk
        insert (a negative reference until then); see :mod:`keepwarm.store.capturelog`."""
        action = self.store.touches.action(name)
        note = c.subject if self.subjects else None
        if any(self.bulk.may_have_occasion(pid, action, c.on, by) for pid in pids):
            self.bulk.settle(pids)
            touch = self.store.touches.log(name, pids, c.on, note, by, attach=True, record=False)
            touch.source = c.source
            return touch.id
        return -self.bulk.add(action, pids, c.on, note, by, c.source) - 1

    def _name_people(self, report: CaptureReport) -> None:
        """The report's person ids become names, read in a few queries at the end."""
        wanted = sorted({pid for t in report.logged for pid in t["people"]})
        names: dict[int, str] = {}
        for i in range(0, len(wanted), 1000):
            names.update((pid, n) for pid, n in self.s.execute(
                select(PersonRow.id, PersonRow.name).where(PersonRow.id.in_(wanted[i:i + 1000]))))
        for t in report.logged:
            t["people"] = [names[pid] for pid in t["people"]]

    def _remember(self, key: str, c: Contact, touch_id: int | None, dry_run: bool) -> None:
        known = (c.source, key) in self.seen
        self.seen[(c.source, key)] = touch_id
        if dry_run:
            return
        if known:
            self._seen_updates.append((c.source, key, touch_id))
        else:
            self._new_seen.append({"owner_id": self.owner, "source": c.source, "key": key,
                                   "touch_id": touch_id, "seen_on": self.store.today})

    def _stranger(self, p: Party, c: Contact, by: str, report: CaptureReport, dry_run: bool) -> None:
        """Someone not in the network: counted for ``capture review``, never created."""
        key = p.address or (f"linkedin.com/in/{p.slug}" if p.slug else None)
        if key is None:
            report.skipped.append({"where": c.where, "reason": f"no one named {p.name} at {p.company} "
                                   "in your network"})
            return
        entry = report.unmatched.setdefault(key, {"key": key, "name": p.name, "count": 0})
        entry["count"] += 1
        if dry_run:
            return
        row = self.strangers.get(key)
        if row is None:
            row = Correspondent(owner_id=self.owner, key=key, name=p.name, sent=0, received=0, count=0,
                                dismissed=False)
            self.s.add(row)
            self.strangers[key] = row
        meeting = c.kind == "meeting"
        row.sent += 1 if by == "me" or meeting else 0
        row.received += 1 if by == "them" or meeting else 0
        row.count += 1
        row.name = row.name or p.name
        row.last_on = max(row.last_on or c.on, c.on)


def _seen_key(c: Contact, p: Party) -> str:
    key = f"{c.key}|{p.key}"
    if len(key) > MAX_KEY:
        key = "sha1:" + hashlib.sha1(key.encode()).hexdigest()
    return key


def capture_records(store: Store, records: Iterable[Contact], *, dry_run: bool = False,
                    me: Iterable[str] = ()) -> CaptureReport:
    """Capture records from any reader (files here, IMAP or CalDAV in a sync) into the store; ``me``: my
    addresses besides those of ``keepwarm me add`` (a mail account's own login, say)."""
    return Capturer(store, me).add(records, dry_run)


def capture_files(store: Store, paths: Iterable[str], *, dry_run: bool = False) -> dict[str, Any]:
    """Capture files of any kind ``keepwarm capture`` knows; a LinkedIn archive's Connections.csv goes
    through the contacts importer first, so the people it brings are matched at once. A dry run happens
    inside a savepoint that is rolled back (the importer's preview writes its people)."""
    if not dry_run:
        return _capture_files(store, paths, dry_run=False)
    savepoint = store.session.begin_nested()
    try:
        return _capture_files(store, paths, dry_run=True)
    finally:
        savepoint.rollback()


def _capture_files(store: Store, paths: Iterable[str], *, dry_run: bool) -> dict[str, Any]:
    import io
    from itertools import chain

    from keepwarm import formats
    from keepwarm.capture import files, linkedin
    from keepwarm.store.imports import Importer

    chosen = [(p, files.detect(p)) for p in paths]
    out: dict[str, Any] = {}
    for path, kind in chosen:
        found = linkedin.connections(path) if kind == "linkedin" else None
        if found is not None:
            importer = Importer(store, preview=dry_run)
            src = io.BytesIO(found[1])
            src.name = found[0]
            known = importer.known("linkedin")
            importer.add(found[0], "linkedin", formats.read("linkedin", src, known=known))
            if not dry_run:
                importer.refresh_library()
            r = importer.report.to_dict()
            out["connections"] = {k: r[k] for k in ("created", "merged", "unchanged")}
    records = chain.from_iterable(files.read(p, k, store.today) for p, k in chosen)
    report = capture_records(store, records, dry_run=dry_run).to_dict()
    report["files"] = [{"file": p, "kind": k} for p, k in chosen]
    return report | out
