"""What a CardDAV sync leaves for the user to look at: conflicts and cards deleted on the server."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keepwarm.store.models.capture import CardLink, SourceRow
from keepwarm.store.models.network import PersonRow


def open_items(s: Session, owner: int) -> list[dict[str, Any]]:
    """One entry per conflicting field and per unlinked person, source by source."""
    q = (select(CardLink, SourceRow.name, PersonRow.name)
         .join(SourceRow, SourceRow.id == CardLink.source_id)
         .outerjoin(PersonRow, PersonRow.id == CardLink.person_id)
         .where(CardLink.owner_id == owner, CardLink.state.in_(("conflict", "unlinked")))
         .order_by(SourceRow.name, PersonRow.name))
    out: list[dict[str, Any]] = []
    for link, source, person in s.execute(q):
        if link.state == "unlinked":
            out.append({"kind": "unlinked", "source": source, "person": person or link.href,
                        "person_id": link.person_id, "href": link.href})
            continue
        for c in link.conflicts or []:
            out.append({"kind": "conflict", "source": source, "person": person, "person_id": link.person_id,
                        "field": c["field"], "keepwarm": c["keepwarm"], "card": c["card"]})
    return out
