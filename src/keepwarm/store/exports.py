"""Exports of one network: vCard (one file or a vdir), CSV, the JSON backup and the iCalendar feed."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING

from sqlalchemy import select

from keepwarm.core import events as life
from keepwarm.core.people import Person
from keepwarm.errors import ConfigError, InvalidInputError
from keepwarm.store.models import LifeEventRow, PersonRow, PlanRow

if TYPE_CHECKING:
    from keepwarm.store import Store

CHUNK = 1000
CSV_COLUMNS = ("uid", "name", "given_name", "family_name", "nickname", "emails", "phones", "linkedin",
               "links", "company", "title", "location", "how_met", "met_on", "birthday", "circle",
               "every_days", "tags", "interests", "notes")
_SAFE = re.compile(r"^[A-Za-z0-9._@-]{1,120}$")


def people(store: Store) -> Iterator[Person]:
    """Every person of the network, by id, loaded a chunk at a time."""
    ids = list(store.session.scalars(select(PersonRow.id).where(PersonRow.owner_id == store.owner_id)
                                     .order_by(PersonRow.id)))
    for i in range(0, len(ids), CHUNK):
        yield from store.people.load(ids[i:i + CHUNK])


def write_vcards(store: Store, out: IO[str], version: str = "3.0") -> int:
    """All people as vCards in one stream; returns how many."""
    from keepwarm.formats.vcard import write_card

    n = 0
    for p in people(store):
        out.write(write_card(p, version))
        n += 1
    return n


def vdir_name(uid: str) -> str:
    """A stable file name for a person's card: the uid when it is file-safe, else its hash."""
    if _SAFE.match(uid) and not uid.startswith("."):
        return uid + ".vcf"
    return hashlib.sha1(uid.encode("utf-8")).hexdigest() + ".vcf"


def atomic_write(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file and a rename; False when it was already equal."""
    try:
        if path.read_bytes() == data:
            return False  # unchanged cards keep their mtime, so a sync tool sees nothing to do
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror}") from None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    except OSError as exc:  # the temporary file is ours; the user named the target
        raise ConfigError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def write_vdir(store: Store, folder: Path, version: str = "3.0") -> dict[str, int]:
    """One ``.vcf`` per person in ``folder`` (a vdir, as vdirsyncer syncs with CardDAV)."""
    from keepwarm.formats.vcard import write_card

    if folder.exists() and not folder.is_dir():
        raise InvalidInputError(f"{folder} is not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    written = same = 0
    for p in people(store):
        if atomic_write(folder / vdir_name(p.uid), write_card(p, version).encode("utf-8")):
            written += 1
        else:
            same += 1
    return {"written": written, "unchanged": same}


def write_csv(store: Store, out: IO[str]) -> int:
    """One row a person; the columns re-import with ``keepwarm import csv`` without a mapping."""
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    n = 0
    for p in people(store):
        w.writerow([
            p.uid, p.name, p.given_name, p.family_name, p.nickname, "; ".join(p.emails), "; ".join(p.phones),
            p.linkedin or "", " ".join(k.url for k in p.links if k.kind != "linkedin"), p.company, p.title,
            p.location, p.how_met, p.met_on.isoformat() if p.met_on else "",
            p.birthday.iso() if p.birthday else "", p.circle, p.every_days or "", "; ".join(p.tags),
            "; ".join(p.interests), p.notes])
        n += 1
    return n


def write_json(store: Store, out: IO[str]) -> int:
    """The full backup; returns the number of people."""
    from keepwarm.store.backup import dump

    doc = dump(store)
    json.dump(doc, out, ensure_ascii=False, indent=1, sort_keys=True)
    out.write("\n")
    return len(doc["tables"].get("people", []))


def write_ics(store: Store, out: IO[bytes], days: int = 60, name: str = "keepwarm") -> int:
    """The calendar feed: birthdays, life events and plans in the next ``days`` days, and due touches."""
    from keepwarm.core.birthdays import Birthday
    from keepwarm.formats.ics import Dated, calendar

    s, o, today = store.session, store.owner_id, store.today
    horizon = today + timedelta(days=days)
    p = PersonRow
    bdays = [(uid, n, Birthday(m, d, y)) for uid, n, m, d, y in s.execute(  # type: ignore[arg-type]
        select(p.uid, p.name, p.bday_month, p.bday_day, p.bday_year)
        .where(p.owner_id == o, p.bday_month.is_not(None)).order_by(p.id))]
    items: list[Dated] = []
    for eid, kind, on, note, person in s.execute(
            select(LifeEventRow.id, LifeEventRow.kind, LifeEventRow.on_date, LifeEventRow.note, p.name)
            .join(p, p.id == LifeEventRow.person_id)
            .where(LifeEventRow.owner_id == o, LifeEventRow.on_date >= today - timedelta(days=7),
                   LifeEventRow.on_date <= horizon).order_by(LifeEventRow.on_date)):
        items.append(Dated(f"event-{eid}", on, f"{person}: {note or kind.replace('-', ' ')}",
                           f"suggested: {life.action(life.LifeEvent(0, kind, on), today)}"
                           if kind in life.RULES else None))
    for pid, action, on, note, person in s.execute(
            select(PlanRow.id, PlanRow.action, PlanRow.on_date, PlanRow.note, p.name)
            .join(p, p.id == PlanRow.person_id)
            .where(PlanRow.owner_id == o, PlanRow.done_on.is_(None), PlanRow.on_date <= horizon)
            .order_by(PlanRow.on_date)):
        items.append(Dated(f"plan-{pid}", max(on, today), f"{action}: {person}", note))
    cadences = store.people.cadences()
    for c in cadences:
        for uid, person, last in s.execute(
                select(p.uid, p.name, p.last_touch).where(
                    p.owner_id == o, p.cadence_days == c, p.last_touch.is_not(None),
                    p.last_touch <= horizon - timedelta(days=c)).order_by(p.last_touch).limit(500)):
            due = last + timedelta(days=c)  # type: ignore[operator]
            items.append(Dated(f"due-{uid}", max(due, today), f"Touch base: {person}",  # type: ignore[arg-type]
                               f"last touch {last.isoformat()}, every {c} days"))  # type: ignore[union-attr]
    out.write(calendar(bdays, items, today=today, name=name))
    return len(bdays) + len(items)
