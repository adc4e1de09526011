"""Importing records into a network: matching, merging, bulk writing, and the report.

One import is one transaction (the caller's). Records stream through in batches: each batch is matched
against an in-memory index of the network's keys (emails, LinkedIn URLs, phones, uids and folded names,
loaded with one query each), merged into the people it matches, and the rest is inserted with one
executemany per table. Memory stays bounded by the batch size plus the index.
"""

from __future__ import annotations

import gc
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from keepwarm.core import people as core
from keepwarm.core.checks import validate_imported
from keepwarm.core.events import check_kind
from keepwarm.core.merging import IMPORTED, merge_into, snapshot
from keepwarm.core.people import Person
from keepwarm.core.phones import locale_region
from keepwarm.errors import KeepwarmError
from keepwarm.formats.common import row_key
from keepwarm.formats.records import Event, Record
from keepwarm.store.importreports import Created, Merged, Report, Skipped, field_of, key_kind
from keepwarm.store.models import LifeEventRow, PersonEmail, PersonLink, PersonPhone, PersonRow
from keepwarm.store.models.people_extra import ImportRow
from keepwarm.store.personrows import PeopleWriter, bulk_insert, fast_fold, fetch, insert_values

if TYPE_CHECKING:
    from keepwarm.store import Store

BATCH = 2000
CACHE_KIB = 16 * 1024  # SQLite's page cache during an import (default 2 MB; 32 MB was no faster and cost RAM)
# Above this many people touched, matching the whole library again costs less than matching those people
# (and keeps the list of ids out of an IN clause)
REMATCH_ALL = 2000
# Addresses this plain are valid and already normalised once lower-cased; anything else goes through
# email-validator (which costs 30 µs an address: a second of a 30,000-row Google import).
_PLAIN_EMAIL = re.compile(r"^[a-z0-9_+-]{1,64}(?:\.[a-z0-9_+-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
                          r"[a-z]{2,24}$")

# email-validator's SPECIAL_USE_DOMAIN_NAMES (a test keeps them equal), so importing it is not needed here
SPECIAL_USE_DOMAINS = ("arpa", "invalid", "local", "localhost", "onion", "test")


def _email(raw: str) -> str:
    """An email address normalised as :func:`keepwarm.core.people.normalize_email` does, faster."""
    low = raw.strip().lower()
    if len(low) <= 254 and _PLAIN_EMAIL.match(low) and low.index("@") <= 64:
        domain = low.rsplit("@", 1)[1]
        # "--" in a label is IDNA's (xn--, shown in Unicode) or reserved (refused): email-validator decides
        if "--" not in domain and not any(domain == d or domain.endswith("." + d)
                                          for d in SPECIAL_USE_DOMAINS):
            return low
    return core.normalize_email(raw)


def _phone_regions(store: Store, setting: str) -> tuple[str, ...]:
    """The regions an imported national number is tried in after the contact's own (see
    :func:`keepwarm.core.phones.regions_for`): the owner's region when they set one, the locale's, then
    the default region."""
    import os

    from keepwarm.store.models import SettingRow

    chosen = store.session.get(SettingRow, (store.owner_id, "region")) is not None
    found = [setting] if chosen else []
    found += [r for r in (locale_region(os.environ),) if r]
    return tuple(dict.fromkeys([*found, setting]))


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: an import makes hundreds of thousands of short-lived objects,
    none of them in cycles (reference counting frees them), and the collector's passes over them cost a
    tenth of a 30,000-row import."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@contextmanager
def _page_cache(conn: Connection) -> Iterator[None]:
    """On SQLite, a page cache of CACHE_KIB while importing: the default 2 MB holds a small part of the
    indexes an import writes to (a tenth of its statements' time goes to re-reading pages). Then the
    connection's own size again (pages the transaction changed stay until it ends)."""
    if conn.dialect.name != "sqlite":
        yield
        return
    was = int(conn.exec_driver_sql("PRAGMA cache_size").scalar() or -2000)
    conn.exec_driver_sql(f"PRAGMA cache_size = -{CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {was}")


@dataclass
class _Pending:
    person: Person
    events: list[Event]
    new: bool
    changed: bool = False
    before: Any = None


class Importer:
    """Imports records into one owner's network, inside the store's transaction; with ``preview`` the
    report also lists who is created and who is merged into whom (for a dry run)."""

    def __init__(self, store: Store, *, tags: Iterable[str] = (), batch: int = BATCH,
                 preview: bool = False) -> None:
        self.store, self.s, self.owner = store, store.session, store.owner_id
        self.region = store.people.region
        self.regions = _phone_regions(store, self.region)
        self.tags = list(tags)
        self.batch = batch
        self.writer = PeopleWriter(self.s, self.owner, store.today)
        self.report = Report(preview=preview)
        self.preview = preview
        self._created: set[str] = set()  # uids this import creates (kept for a preview only)
        self._rows: dict[int, Any] = {}
        self._batch: set[str] = set()  # uids created in the batch being imported
        self._keys_seen: dict[str, set[str]] = {}
        self.touched: list[int] = []  # ids of the people created or changed, for the library
        self.s.flush()  # the index is read from the connection, which does not autoflush
        self._indexed = False  # loaded on the first row to match: a re-import of known rows never needs it
        self._load_index(load=False)

    # -- the index of what the network already has ----------------------------------------------------
    def _load_index(self, load: bool = True) -> None:
        o = self.owner
        self._indexed = load
        # emails, LinkedIn URLs and E.164 phones → uid, in one dict without prefixes: the three cannot be
        # confused (only an email has "@", only a URL "://", only a phone starts with "+"), and the keys
        # stay the very strings the rows hold (a 300,000-person index must fit in memory)
        self.by_key: dict[str, str] = {}
        self.names: dict[str, str] = {}  # folded name → uid (a plain str: no list per person)
        self.more_names: dict[str, list[str]] = defaultdict(list)  # namesakes beyond the first
        self.ids: dict[str, int] = {}  # uid → people.id of stored people
        self.company: dict[str, str] = {}
        self.linkedin: dict[str, str] = {}
        if not load:
            return
        conn = self.s.connection()
        for pid, uid, folded, company in fetch(conn, select(
                PersonRow.id, PersonRow.uid, PersonRow.name_folded, PersonRow.company)
                .where(PersonRow.owner_id == o)):
            self.ids[uid] = pid
            self._add_name(folded, uid)
            if company:
                self.company[uid] = fast_fold(company)
        uid_of = {pid: uid for uid, pid in self.ids.items()}
        for email, pid in fetch(conn, select(PersonEmail.email, PersonEmail.person_id)
                                .where(PersonEmail.owner_id == o)):
            self.by_key[email] = uid_of[pid]
        for phone, pid in fetch(conn, select(PersonPhone.phone, PersonPhone.person_id)
                                .where(PersonPhone.owner_id == o)):
            self.by_key.setdefault(phone, uid_of[pid])
        for url, pid in fetch(conn, select(PersonLink.url, PersonLink.person_id)
                              .where(PersonLink.owner_id == o, PersonLink.kind == "linkedin")):
            self.by_key.setdefault(url, uid_of[pid])
            self.linkedin[uid_of[pid]] = url

    def _add_name(self, folded: str, uid: str) -> None:
        first = self.names.setdefault(folded, uid)
        if first != uid and uid not in self.more_names.get(folded, ()):
            self.more_names[folded].append(uid)

    def _keys(self, p: Person) -> list[str]:
        keys = list(p.emails)
        keys += [k.url for k in p.links if k.kind == "linkedin"]
        # a phone kept as written (no "+") is no key: "0311111111" in two countries is two numbers
        keys += [n for n in p.phones if n[:1] == "+"]
        return keys

    def _match(self, p: Person, keys: list[str], folded: str) -> str | None:
        """The uid of the person ``p`` is, by uid, email, LinkedIn URL, phone, then a confident name match
        (``keys`` are p's emails, LinkedIn URLs and phones, ``folded`` its folded name)."""
        if p.uid in self.ids or p.uid in self._batch:
            return p.uid
        found = [u for u in map(self.by_key.get, keys) if u is not None]
        if found:
            if len(set(found)) > 1:  # keys of different people: the one with this name, else the first
                named = [u for u in found
                         if self.names.get(folded) == u or u in self.more_names.get(folded, ())]
                return (named or found)[0]
            return found[0]
        first = self.names.get(folded)
        if not first or self.more_names.get(folded) or len(p.name.split()) < 2:
            return None  # nobody, several people of that name, or a single word: left to `keepwarm dupes`
        uid = first
        mine = next((k.url for k in p.links if k.kind == "linkedin"), None)
        if mine and self.linkedin.get(uid) and self.linkedin[uid] != mine:
            return None  # two different LinkedIn profiles: two people
        theirs, company = self.company.get(uid), fast_fold(p.company) if p.company else None
        if theirs and company and theirs != company:
            from rapidfuzz import fuzz

            if fuzz.token_set_ratio(theirs, company) < 80:
                return None
        return uid

    def _register(self, uid: str, p: Person, keys: list[str], folded: str) -> None:
        setdefault = self.by_key.setdefault
        for key in keys:
            setdefault(key, uid)
        self._add_name(folded, uid)
        if p.company:
            self.company.setdefault(uid, fast_fold(p.company))
        for link in p.links:
            if link.kind == "linkedin":
                self.linkedin.setdefault(uid, link.url)
                break

    # -- running --------------------------------------------------------------------------------------
    def add(self, file: str, source: str, records: Iterable[Record]) -> None:
        """Import the records of one file (a reader's output) as coming from ``source``."""
        self.report.files.append(file)
        batch: list[tuple[Record, str]] = []
        with _gc_paused(), _page_cache(self.s.connection()):
            for rec in records:
                batch.append((rec, source))
                if len(batch) >= self.batch:
                    self._run(file, batch)
                    batch = []
            self._run(file, batch)

    def _prepare(self, file: str, rec: Record) -> Person | None:
        if rec.problem:
            self.report.skipped.append(Skipped(file, rec.line, rec.problem, rec.field))
            return None
        p = rec.person
        p.tags += self.tags
        try:  # one bad field never costs the person: it is kept as written, and said so
            kept = rec.kept + validate_imported(p, countries=(rec.country,), fallbacks=self.regions,
                                                normalize_email=_email)
            if p.circle and p.circle not in self.writer.circles:
                kept.append(f"kept as a tag: unknown circle {p.circle!r}")
                p.tags.append(p.circle)
                p.circle = None
            for e in rec.events:
                e.kind = check_kind(e.kind)
            self.report.notes += [f"{file}:{rec.line}: {m}" for m in kept]
        except KeepwarmError as exc:
            self.report.skipped.append(Skipped(file, rec.line, exc.message, field_of(exc.message)))
            return None
        except (TypeError, ValueError, AttributeError) as exc:  # a value of the wrong type in a JSON file
            self.report.skipped.append(Skipped(file, rec.line, f"unreadable value ({exc})"))
            return None
        return p

    def _run(self, file: str, batch: list[tuple[Record, str]]) -> None:
        pending: dict[str, _Pending] = {}
        # (person, source, events, where it came from and how it matched: for a preview only)
        incoming: dict[str, list[tuple[Person, str, list[Event], Merged | None]]] = defaultdict(list)
        seen: list[tuple[str, str]] = []  # (row key, uid) of the rows imported in this batch
        known: set[str] = set()
        known_source = None
        for rec, source in batch:
            if source != known_source:  # (one source a file: looked up once a batch)
                known, known_source = self._known(source), source
            key = self._row_key(rec, source)
            if key is not None and key in known:
                self.report.unchanged += 1  # the very row imported before: nothing can have changed
                continue
            p = self._prepare(file, rec)
            if p is None:
                continue
            if not self._indexed:
                self._load_index()
            keys, folded = self._keys(p), fast_fold(p.name)
            uid = self._match(p, keys, folded)
            if key is not None:  # not added to the known set: a 300,000-row import need not hold them
                seen.append((key, uid or p.uid))
            if uid is None:  # someone new
                p.extra[IMPORTED] = {source: snapshot(p)}
                pending[p.uid] = _Pending(p, list(rec.events), new=True)
                self._batch.add(p.uid)
                self._register(p.uid, p, keys, folded)
                self.report.created += 1
                if self.preview:
                    self._created.add(p.uid)
                    self.report.new_people.append(Created(p.name, p.company, file, rec.line))
            else:
                how = self._how(p, keys, uid, file, rec.line) if self.preview else None
                if self._drop_foreign(file, rec.line, p, uid):
                    keys = self._keys(p)
                incoming[uid].append((p, source, list(rec.events), how))
                self._register(uid, p, keys, folded)
        self._merge(pending, incoming)
        new = [x.person for x in pending.values() if x.new]
        changed = [(x.person, x.before) for x in pending.values() if not x.new and x.changed]
        self.writer.insert(new)
        self.writer.update(changed)  # type: ignore[arg-type]
        for x in new:
            self.ids[x.uid] = x.id  # type: ignore[assignment]
        self.touched += [x.id for x in new] + [p.id for p, _ in changed]  # type: ignore[misc,arg-type]
        self._batch.clear()
        self._events(pending)
        if seen:  # rows already known are skipped: the same row may come twice in one file
            conn, table, source = self.s.connection(), ImportRow.__table__, batch[0][1]
            rows = [(self.owner, source, k, self.ids[u]) for k, u in seen]
            names = ("owner_id", "source", "row_hash", "person_id")
            if conn.dialect.name == "sqlite":
                insert_values(conn, table, names, rows, verb="INSERT OR IGNORE")
            else:
                bulk_insert(conn, table, [dict(zip(names, r, strict=True)) for r in rows], skip_existing=True)

    def refresh_library(self) -> None:
        """After a (non-dry-run) import: match the people it created or changed to the owner's library,
        when there is one (a network without a library never loads the matcher)."""
        if not self.touched:
            return
        from sqlalchemy import exists

        from keepwarm.store.library import LibraryRepo, refresh_people
        from keepwarm.store.models import Resource

        if len(self.touched) <= REMATCH_ALL:
            refresh_people(self.s, self.owner, self.store.today, self.touched)
        elif self.s.scalar(select(exists().where(Resource.owner_id == self.owner))):
            LibraryRepo(self.s, self.owner, self.store.today).rematch()

    def _known(self, source: str) -> set[str]:
        """The row keys already imported from ``source`` (loaded once per source)."""
        if source not in self._keys_seen:
            q = select(ImportRow.row_hash).where(ImportRow.owner_id == self.owner, ImportRow.source == source)
            self._keys_seen[source] = {k for k, in fetch(self.s.connection(), q)}
        return self._keys_seen[source]

    def known(self, source: str) -> Callable[[str], bool]:
        """For a reader (``formats.read(..., known=)``): whether a row, by the reader's key, was imported
        from ``source`` before; the reader then skips reading it, and :meth:`add` counts it unchanged."""
        keys = self._known(source)
        if not self.tags:
            return keys.__contains__
        tags = self.tags
        return lambda key: row_key(key, *tags) in keys

    def _row_key(self, rec: Record, source: str) -> str | None:
        """The reader's row key, combined with the tags this import adds (they change the outcome)."""
        if rec.key is None or rec.problem:
            return None
        return row_key(rec.key, *self.tags) if self.tags else rec.key

    def _how(self, p: Person, keys: list[str], uid: str, file: str, line: int) -> Merged:
        """How ``p`` matched ``uid`` (as :meth:`_match` found it), for a preview; ``into`` is filled in by
        :meth:`_merge`, which has the person."""
        how, key = "name", p.name
        if p.uid == uid:
            how, key = "uid", uid
        else:
            for k in keys:
                if self.by_key.get(k) == uid:
                    how, key = key_kind(k), k
                    break
        return Merged(p.name, "", None, how, key, file, line)

    def _drop_foreign(self, file: str, line: int, p: Person, uid: str) -> bool:
        """Keep emails and LinkedIn URLs that belong to someone else away from this match (a phone may be
        shared, by a household or an office, so it stays); True when some were left out."""
        keys = [*p.emails, *(k.url for k in p.links if k.kind == "linkedin")]
        foreign = [k for k in keys if self.by_key.get(k, uid) != uid]
        if foreign:
            p.emails = [e for e in p.emails if e not in foreign]
            p.links = [k for k in p.links if k.url not in foreign]
            self.report.notes.append(f"{file}:{line}: {', '.join(foreign)} already belongs to someone else; "
                                     "left out (see `keepwarm dupes`)")
        return bool(foreign)

    def _merge(self, pending: dict[str, _Pending], incoming: dict[str, list]) -> None:
        stored = self._unchanged_shortcut([uid for uid in incoming if uid not in pending], incoming)
        loaded = self.writer.load([self.ids[u] for u in stored], self._rows) if stored else []
        for person in loaded:
            pending[person.uid] = _Pending(person, [], new=False, before=self.writer.state(person))
        for uid, items in incoming.items():
            target = pending[uid]
            for person, source, events, how in items:
                last = (target.person.extra.get(IMPORTED) or {}).get(source)
                into = target.person.name
                changed = merge_into(target.person, person, source)
                # a new snapshot alone (the source changed what you had edited) is written too
                target.changed = target.changed or changed or last != target.person.extra[IMPORTED][source]
                target.events += events
                if changed:
                    self.report.merged += 1
                    if how is not None:
                        how.into = into
                        how.into_id = None if uid in self._created else target.person.id
                        self.report.merges.append(how)
                else:
                    self.report.unchanged += 1

    def _unchanged_shortcut(self, stored: list[str], incoming: dict[str, list]) -> list[str]:
        """Drop rows whose source says exactly what it said last time (a re-import): nothing to merge, so
        the person need not be loaded. Returns the uids that still need the full merge."""
        if not stored:
            return stored
        self._rows = self.writer.read_rows([self.ids[u] for u in stored])
        extras = {pid: r["extra"] for pid, r in self._rows.items()}
        rest = []
        for uid in stored:
            items = incoming[uid]
            person, source, events, _ = items[0]
            last = ((extras.get(self.ids[uid]) or {}).get(IMPORTED) or {}).get(source)
            if len(items) == 1 and not events and last is not None and last == snapshot(person):
                self.report.unchanged += 1
                del incoming[uid]
            else:
                rest.append(uid)
        return rest

    def _events(self, pending: dict[str, _Pending]) -> None:
        with_events = {p.person.id: p.events for p in pending.values() if p.events}
        if not with_events:
            return
        have = {(pid, k, d) for pid, k, d in self.s.execute(
            select(LifeEventRow.person_id, LifeEventRow.kind, LifeEventRow.on_date)
            .where(LifeEventRow.owner_id == self.owner, LifeEventRow.person_id.in_(list(with_events))))}
        rows = []
        now = datetime.now()
        for pid, events in with_events.items():
            for e in events:
                if (pid, e.kind, e.on) not in have:
                    have.add((pid, e.kind, e.on))  # type: ignore[arg-type]
                    rows.append({"owner_id": self.owner, "person_id": pid, "kind": e.kind, "on_date": e.on,
                                 "note": e.note, "created_at": now})
        if rows:
            bulk_insert(self.s.connection(), LifeEventRow.__table__, rows)
            self.report.events += len(rows)
