"""Who I am (my own addresses) and who I exchanged mail or meetings with outside my network.

Strangers are never made into people silently: ``keepwarm capture review`` and the web's review page list
them, and one command or click adds one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from keepwarm.capture.rules import is_robot, linkedin_slug
from keepwarm.core.people import Link, Person, normalize_email
from keepwarm.errors import InvalidInputError, NotFoundError
from keepwarm.store.models import PersonEmail, PersonLink
from keepwarm.store.models.capture import Correspondent, MeAddress
from keepwarm.store.store import Store

REVIEW_LIMIT = 50


def parse_me(text: str) -> tuple[str, str]:
    """(kind, address) of one of my addresses: an email, or a LinkedIn profile (stored by its slug)."""
    slug = linkedin_slug(text)
    if slug:
        return "linkedin", f"linkedin.com/in/{slug}"
    if "@" in text:
        return "email", normalize_email(text)
    raise InvalidInputError(f"not an email address or a LinkedIn profile URL: {text!r}")


def me_list(store: Store) -> list[dict[str, str]]:
    """My own addresses, emails first."""
    rows = store.session.execute(select(MeAddress.kind, MeAddress.address)
                                 .where(MeAddress.owner_id == store.owner_id)
                                 .order_by(MeAddress.kind, MeAddress.address)).all()
    return [{"kind": k, "address": a} for k, a in rows]


def me_add(store: Store, text: str) -> tuple[str, str, bool]:
    """Add one of my addresses; (kind, address, whether it was new)."""
    kind, address = parse_me(text)
    exists = store.session.scalar(select(MeAddress.id).where(MeAddress.owner_id == store.owner_id,
                                                            MeAddress.address == address))
    if exists is None:
        store.session.add(MeAddress(owner_id=store.owner_id, kind=kind, address=address))
        store.session.flush()
    return kind, address, exists is None


def me_rm(store: Store, text: str) -> str:
    """Forget one of my addresses."""
    _, address = parse_me(text)
    done = store.session.execute(delete(MeAddress).where(MeAddress.owner_id == store.owner_id,
                                                         MeAddress.address == address))
    if not getattr(done, "rowcount", 0):
        raise NotFoundError(f"{address} is not one of your addresses", hint="`keepwarm me` lists them")
    return address


def _known_keys(store: Store) -> set[str]:
    """Addresses and LinkedIn keys of people already in the network (added since they were counted)."""
    o = store.owner_id
    known = {e.lower() for e in store.session.scalars(select(PersonEmail.email)
                                                      .where(PersonEmail.owner_id == o))}
    for url in store.session.scalars(select(PersonLink.url).where(PersonLink.owner_id == o,
                                                                  PersonLink.url.ilike("%linkedin.com/in/%"))):
        slug = linkedin_slug(url)
        if slug:
            known.add(f"linkedin.com/in/{slug}")
    return known


def review(store: Store, limit: int = REVIEW_LIMIT) -> list[dict[str, Any]]:
    """Strangers I exchanged with both ways (I wrote and they wrote, or we met), most exchanges first."""
    rows = store.session.scalars(
        select(Correspondent).where(Correspondent.owner_id == store.owner_id,
                                    Correspondent.dismissed.is_(False), Correspondent.sent > 0,
                                    Correspondent.received > 0)
        .order_by(Correspondent.count.desc(), Correspondent.key).limit(limit * 2 + 20))
    known = _known_keys(store)
    out = [{"key": r.key, "name": r.name, "sent": r.sent, "received": r.received, "count": r.count,
            "last_on": r.last_on.isoformat() if r.last_on else None}
           for r in rows if r.key not in known and not is_robot(r.key)]
    return out[:limit]


def add_correspondent(store: Store, key: str) -> Person:
    """Make a stranger of the review list a person (with their address or profile) and drop them from it."""
    row = store.session.scalar(select(Correspondent).where(Correspondent.owner_id == store.owner_id,
                                                           Correspondent.key == key.strip().lower()))
    if row is None:
        raise NotFoundError(f"no one to review with the key {key!r}",
                            hint="`keepwarm capture review` lists the keys")
    if is_robot(row.key):
        raise InvalidInputError(f"{row.key} is a role or robot address, not a person")
    slug = linkedin_slug(row.key)
    name = row.name or (slug or row.key.split("@", 1)[0])
    person = Person(name=name, how_met="captured from mail and meetings" if not slug else "LinkedIn")
    if slug:
        person.links.append(Link(f"https://www.linkedin.com/in/{slug}", "linkedin"))
    else:
        person.emails.append(row.key)
    store.people.add(person)
    store.session.delete(row)
    store.session.flush()
    return person
