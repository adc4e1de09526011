"""Two-way CardDAV: cards in, people out, decided per card from three states (vdirsyncer's way).

Each card linked to a person remembers its href, its ETag and the fields both sides last agreed on (the
base). A sync pulls what changed on the server (sync-collection, else ETags), merges every card that moved
on either side with :func:`keepwarm.sync.cardfields.merge3`, writes back only cards whose fields now differ
from what the server holds (``If-Match`` the ETag it had), and creates cards for people the address book
does not have yet. A card deleted on the phone unlinks the person and keeps their history. The whole sync is
one transaction: a 412 or a dropped connection stores nothing, and the next run starts from the same state.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from keepwarm.core import people as core
from keepwarm.core.people import Person
from keepwarm.errors import KeepwarmError
from keepwarm.formats.vcard import read_vcard, write_card
from keepwarm.store import Store
from keepwarm.store.models.capture import CardLink, SourceRow
from keepwarm.store.models.network import PersonEmail, PersonRow
from keepwarm.sync.cardfields import FIELDS, apply_fields, card_fields, fields_of, merge3, patch_card, same
from keepwarm.sync.dav import Dav
from keepwarm.sync.registry import Source


@dataclass
class CardReport:
    """What a CardDAV sync did (or, dry, would do)."""

    pulled: int = 0
    created_people: list[str] = field(default_factory=list)
    updated_people: list[str] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)  # {method, href, person, fields}
    unlinked: list[str] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # cards that cannot be read, with the reason


class CardSync:
    def __init__(self, store: Store, src: Source, dav: Dav, dry_run: bool) -> None:
        self.store, self.s, self.src, self.dav, self.dry = store, store.session, src, dav, dry_run
        self.report = CardReport()
        self.links = {x.href: x for x in self.s.scalars(select(CardLink).where(CardLink.source_id == src.id))}
        self.touched: set[str] = set()  # hrefs pulled this run

    # -- pull ---------------------------------------------------------------------------------------
    def pull(self, book: str) -> str | None:
        token = self.src.state.get("token") if self.src.state.get("book") == book else None
        ch = self.dav.changes(book, token)
        listed = {h for h, _ in ch.changed}
        gone = list(ch.deleted) + ([h for h in self.links if h not in listed] if ch.complete else [])
        for href in gone:
            self._unlink(href)
        wanted = [h for h, e in ch.changed if (x := self.links.get(h)) is None or x.etag != e
                  or x.state == "unlinked"]
        got = self.dav.multiget(book, wanted, "card")
        if got:
            self._index()
        for href, (etag, text) in got.items():
            self._take(href, etag, text)
        self._create()
        return ch.token

    def _index(self) -> None:
        """Who a new card may be: people by UID and by email (read once, not once per card)."""
        owner = self.store.owner_id
        self.by_uid: dict[str, int | Person] = {u: i for u, i in self.s.execute(
            select(PersonRow.uid, PersonRow.id).where(PersonRow.owner_id == owner))}
        self.by_email: dict[str, int | Person] = {e.lower(): i for e, i in self.s.execute(
            select(PersonEmail.email, PersonEmail.person_id).where(PersonEmail.owner_id == owner))}
        self.new: list[tuple[Person, CardLink]] = []

    def _unlink(self, href: str) -> None:
        link = self.links.get(href)
        if link is None or link.state == "unlinked":
            return
        link.state, link.etag, link.conflicts = "unlinked", None, []
        row = self.s.get(PersonRow, link.person_id) if link.person_id else None
        name = row.name if row is not None else href
        self.report.unlinked.append(name)

    def _take(self, href: str, etag: str, text: str) -> None:
        self.report.pulled += 1
        try:
            records = list(read_vcard(io.BytesIO(text.encode())))
        except KeepwarmError as exc:
            self.report.skipped.append(f"{href}: {exc.message}")
            return
        if not records or records[0].problem:
            self.report.skipped.append(f"{href}: {records[0].problem if records else 'no card'}")
            return
        card = records[0].person
        link = self.links.get(href)
        if link is None or link.state == "unlinked":
            link = self._link(href, card)
            if link is None:
                return
        link.etag, link.raw = etag, text
        if link.state == "unlinked":
            link.state = "linked"
        if link.person_id is not None:  # (a person made from this very card agrees with it already)
            self.touched.add(href)

    def _link(self, href: str, card: Person) -> CardLink | None:
        """A new card: the person with its UID or one of its emails (base empty: every difference is
        looked at), else a new person made from it, created with the others in :meth:`_create`."""
        found = self.by_uid.get(card.uid)
        for email in card.emails:
            found = found if found is not None else self.by_email.get(email.lower())
        if isinstance(found, Person):
            self.report.skipped.append(f"{href}: the same person as another new card ({found.name})")
            return None
        person = None
        if found is None:
            person = Person(name=card.name, uid=card.uid)
            apply_fields(person, fields_of(card))
            try:
                core.validate(person, self.store.people.region, self.store.today)
            except KeepwarmError as exc:
                self.report.skipped.append(f"{href}: {exc.message}")
                return None
            self.by_uid[person.uid] = person
            self.by_email.update(dict.fromkeys(person.emails, person))
        link = self.links.get(href) or CardLink(owner_id=self.store.owner_id, source_id=self.src.id,
                                                href=href, state="linked", conflicts=[])
        link.person_id, link.uid, link.state = found, card.uid, "linked"
        link.base = fields_of(person) if person is not None else {}
        if link.id is None:
            self.s.add(link)
            self.links[href] = link
        if person is not None:
            self.new.append((person, link))
        return link

    def _create(self) -> None:
        """The people of new cards, in one bulk insert (as an import makes them)."""
        from keepwarm.store.library import refresh_people
        from keepwarm.store.personrows import PeopleWriter

        new = getattr(self, "new", [])
        if not new:
            return
        PeopleWriter(self.s, self.store.owner_id, self.store.today).insert([p for p, _ in new])
        for person, link in new:
            link.person_id = person.id
            self.report.created_people.append(person.name)
        refresh_people(self.s, self.store.owner_id, self.store.today, [p.id for p, _ in new if p.id])

    # -- merge and push -----------------------------------------------------------------------------
    def reconcile(self) -> None:
        linked = [x for x in self.links.values() if x.state != "unlinked" and x.person_id and x.raw]
        people = {p.id: p for p in self.store.people.load([x.person_id for x in linked if x.person_id])}
        for link in linked:
            person = people.get(link.person_id)
            if person is None:
                continue
            ours = fields_of(person)
            if link.href not in self.touched and same(ours, link.base or {}) and not link.conflicts:
                continue  # nothing moved on either side: nothing to read, nothing to send
            self._merge(link, person, ours)

    def _merge(self, link: CardLink, person: Person, ours: dict[str, Any]) -> None:
        region = self.store.people.region
        theirs = card_fields(link.raw or "", region)
        merged, conflicts = merge3(link.base or {}, ours, theirs)
        if not same(merged, ours):
            apply_fields(person, merged)
            try:
                with self.s.begin_nested():
                    self.store.people.update(person)
            except KeepwarmError as exc:
                self.report.skipped.append(f"{link.href}: {exc.message}")
                return
            self.report.updated_people.append(person.name)
        held = {c["field"] for c in conflicts}
        desired = {f: (theirs if f in held else merged).get(f) for f in FIELDS}
        desired = {f: v for f, v in desired.items() if v not in (None, "", [])}
        base = {f: ((link.base or {}) if f in held else merged).get(f) for f in FIELDS}
        link.base = {f: v for f, v in base.items() if v not in (None, "", [])}
        link.conflicts = [{**c, "person": person.name} for c in conflicts]
        link.state = "conflict" if conflicts else "linked"
        self.report.conflicts += link.conflicts
        if not same(desired, theirs):
            changed = [f for f in FIELDS if not same({f: desired.get(f)}, {f: theirs.get(f)}, ())]
            text = patch_card(link.raw or "", theirs, desired, region)
            self._send("PUT", link, text, person.name, changed)

    def push_new(self, book: str) -> None:
        """Cards for the people this address book has never had (not those whose card was deleted)."""
        known = set(self.s.scalars(select(CardLink.person_id).where(CardLink.source_id == self.src.id,
                                                                    CardLink.person_id.is_not(None))))
        ids = [i for i in self.s.scalars(select(PersonRow.id).where(
            PersonRow.owner_id == self.store.owner_id).order_by(PersonRow.id)) if i not in known]
        for person in self.store.people.load(ids):
            shared = Person(name=person.name, uid=person.uid)
            apply_fields(shared, fields_of(person))  # only the shared fields: notes stay in keepwarm
            text = write_card(shared)
            href = self.dav.absolute(f"{book.rstrip('/')}/{uuid.uuid4()}.vcf")
            href = href.split("://", 1)[1].split("/", 1)[1]
            link = CardLink(owner_id=self.store.owner_id, source_id=self.src.id, href="/" + href,
                            person_id=person.id, uid=person.uid, etag=None, base=fields_of(shared), raw=text,
                            state="linked", conflicts=[])
            self.s.add(link)
            self.links[link.href] = link
            self._send("PUT", link, text, person.name, list(fields_of(shared)), new=True)

    def _send(self, method: str, link: CardLink, text: str, name: str, fields: list[str],
              new: bool = False) -> None:
        self.report.sent.append({"method": method, "href": link.href, "person": name, "fields": fields,
                                 "new": new})
        if self.dry:
            return
        etag = self.dav.put(link.href, text, None if new else link.etag)
        link.raw = text
        if etag is None:  # the server did not say: read it back so the next sync does not fetch it again
            found = self.dav.propfind(link.href, "<d:getetag/>", depth="0")
            etag = found[0][1].findtext("{DAV:}getetag") if found else None
        link.etag = etag


def sync_carddav(store: Store, src: Source, *, dry_run: bool = False) -> CardReport:
    """Pull, merge and push one CardDAV source inside the caller's transaction."""
    cfg = src.config
    with Dav(src.name, cfg["url"], cfg["user"], src.password) as dav:
        book = dav.collections("card")[0]
        sync = CardSync(store, src, dav, dry_run)
        token = sync.pull(book)
        store.session.flush()
        sync.reconcile()
        sync.push_new(book)
        store.session.flush()
        row = store.session.get(SourceRow, src.id)
        if row is not None and not dry_run:
            # a token taken before our own writes: the next sync lists them, sees their ETags and skips them
            row.state = {**src.state, "book": book, "token": token}
            row.last_sync_at = datetime.now()
    return sync.report
