"""The library in the store: resources, their topics, shares, and precomputed matches for the agenda.

Matching is TF-IDF over the stems and phrases of every resource and person (core.matching.match). It
runs when a resource is added or its topics edited, when ``library suggest`` or ``library rematch`` asks,
never on the agenda's hot path: the agenda reads the stored ``resource_matches`` through the (owner,
score) index and drops pairs already shared.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session

from keepwarm.core import library as core
from keepwarm.core.occasions import Occasion, occasion_id
from keepwarm.core.people import clean_text
from keepwarm.errors import AmbiguousError, ConflictError, InvalidInputError, NotFoundError
from keepwarm.store.models import PersonInterest, PersonRow, PersonTag, Resource, ResourceTopic, Share
from keepwarm.store.models.library import ResourceMatch
from keepwarm.store.occasions import done_ids, mark_done
from keepwarm.store.touches import TouchRepo

MATCHES_PER_RESOURCE = 25  # stored per resource; the agenda only ever wants the best few
MAX_TOPICS = 20


class LibraryRepo:
    """Resources, shares and matches of one owner."""

    def __init__(self, session: Session, owner_id: int, today: date) -> None:
        self.s, self.owner, self.today = session, owner_id, today

    # -- writing -----------------------------------------------------------------------------------
    def add(self, *, kind: str, title: str, url: str | None = None, author: str | None = None,
            published: date | None = None, text: str | None = None, summary: list[str] | None = None,
            review: str | None = None, topics: Sequence[str] = (), extra: dict[str, Any] | None = None
            ) -> Resource:
        """Store a resource with its topics, then match it to the network."""
        clean_title = clean_text(title, "title", limit=500)
        if not clean_title:
            raise InvalidInputError("a resource needs a title (give --title)")
        tops = _clean_topics(topics)
        if url:
            same = self.s.scalar(select(Resource).where(Resource.owner_id == self.owner, Resource.url == url))
            if same is not None:
                raise ConflictError(f"{url} is already in your library as #{same.id} {same.title}")
        row = Resource(owner_id=self.owner, kind=core.check_kind(kind), url=url, title=clean_title,
                       author=clean_text(author, "author", limit=300), published=published, text=text,
                       summary="\n".join(summary or []) or None,
                       review=clean_text(review, "review", multiline=True), extra=dict(extra or {}),
                       created_at=datetime.now())
        self.s.add(row)
        self.s.flush()
        self.s.add_all([ResourceTopic(resource_id=row.id, topic=t, owner_id=self.owner) for t in tops])
        self.s.flush()
        self.rematch([row.id])
        return row

    def set_topics(self, resource_id: int, topics: Sequence[str]) -> list[str]:
        """Replace a resource's topics and rematch it in the same transaction; returns the new topics.

        Topics are how the user steers matching, so the stored matches must never lag behind them.
        """
        row = self.get(resource_id)
        tops = _clean_topics(topics)
        self.s.execute(delete(ResourceTopic).where(ResourceTopic.resource_id == row.id))
        self.s.add_all([ResourceTopic(resource_id=row.id, topic=t, owner_id=self.owner) for t in tops])
        self.s.flush()
        self.rematch([row.id])
        return sorted(tops)

    def edit_topics(self, resource_id: int, add: Sequence[str] = (), remove: Sequence[str] = ()
                    ) -> list[str]:
        """Add and remove topics of a resource; a topic to remove that it does not have is an error."""
        now = self.topics([self.get(resource_id).id]).get(resource_id, [])
        drop = _clean_topics(remove)
        unknown = [t for t in drop if t not in now]
        if unknown:  # a typo must not pass for a change
            raise InvalidInputError(f"resource #{resource_id} has no topic {unknown[0]!r} "
                                    f"(its topics: {', '.join(now) or 'none'})")
        return self.set_topics(resource_id, [t for t in now if t not in drop] + list(add))

    def remove(self, resource_id: int) -> None:
        """Delete a resource, its topics, matches and shares."""
        row = self.get(resource_id)
        for model in (ResourceTopic, ResourceMatch, Share):
            self.s.execute(delete(model).where(model.resource_id == row.id))
        self.s.delete(row)

    def share(self, resource_id: int, person_ids: Sequence[int], on: date | None = None,
              note: str | None = None, action: str = "recommend") -> Any:
        """Log the share as one touch with everyone, and remember who has it."""
        res = self.get(resource_id)
        ids = list(dict.fromkeys(person_ids))
        touch = TouchRepo(self.s, self.owner, self.today).log(action, ids, on, note, attach=False)
        self.s.add_all([Share(owner_id=self.owner, resource_id=res.id, person_id=pid, touch_id=touch.id,
                              on_date=touch.on_date) for pid in ids])
        for pid in ids:  # the library occasion of this pair is done, whether or not it was suggested
            oid = occasion_id("library", pid, res.id)
            if not done_ids(self.s, self.owner, [oid]):
                mark_done(self.s, self.owner, Occasion("library", pid, touch.on_date, str(res.id)), touch.id,
                          touch.on_date, shared=True)
        self.s.execute(delete(ResourceMatch).where(ResourceMatch.resource_id == res.id,
                                                   ResourceMatch.person_id.in_(ids)))
        self.s.flush()
        return touch

    # -- reading -----------------------------------------------------------------------------------
    def get(self, resource_id: int) -> Resource:
        """One resource by id."""
        row = self.s.get(Resource, resource_id)
        if row is None or row.owner_id != self.owner:
            raise NotFoundError(f"no resource #{resource_id}", hint="see `keepwarm library`")
        return row

    def resolve(self, token: str) -> Resource:
        """A resource by id, exact title, or a unique part of its title."""
        token = token.strip()
        if token.lstrip("#").isdigit():
            return self.get(int(token.lstrip("#")))
        base = select(Resource).where(Resource.owner_id == self.owner)
        for cond in (func.lower(Resource.title) == token.lower(),
                     func.lower(Resource.title).contains(token.lower(), autoescape=True)):
            rows = list(self.s.scalars(base.where(cond).order_by(Resource.id).limit(10)))
            if len(rows) == 1:
                return rows[0]
            if rows:
                raise AmbiguousError(f"{token!r} matches more than one resource",
                                     [f"#{r.id} {r.title}" for r in rows])
        raise NotFoundError(f"no resource matches {token!r}", hint="see `keepwarm library`")

    def all(self) -> list[Resource]:
        """Every resource, newest first."""
        return list(self.s.scalars(select(Resource).where(Resource.owner_id == self.owner)
                                   .order_by(Resource.created_at.desc(), Resource.id.desc())))

    def topics(self, ids: Sequence[int]) -> dict[int, list[str]]:
        """The topics of each resource."""
        out: dict[int, list[str]] = defaultdict(list)
        for rid, topic in self.s.execute(select(ResourceTopic.resource_id, ResourceTopic.topic)
                                         .where(ResourceTopic.resource_id.in_(ids))
                                         .order_by(ResourceTopic.topic)):
            out[rid].append(topic)
        return out

    def shared_with(self, ids: Sequence[int]) -> dict[int, list[int]]:
        """Who each resource was shared with."""
        out: dict[int, list[int]] = defaultdict(list)
        for rid, pid in self.s.execute(select(Share.resource_id, Share.person_id).distinct()
                                       .where(Share.resource_id.in_(ids))):
            out[rid].append(pid)
        return out

    def to_json(self, row: Resource, topics: list[str] | None = None,
                shared: list[int] | None = None) -> dict[str, Any]:
        """The JSON shape of a resource."""
        return {"id": row.id, "kind": row.kind, "title": row.title, "url": row.url, "author": row.author,
                "published": row.published.isoformat() if row.published else None,
                "review": row.review, "summary": summary_lines(row),
                "topics": topics if topics is not None else self.topics([row.id])[row.id],
                "shared_with": sorted(shared or []), "added": row.created_at.date().isoformat()}

    # -- matching ----------------------------------------------------------------------------------
    def resource_docs(self, ids: Sequence[int] | None = None) -> list[core.Doc]:
        """Resources as documents for matching."""
        q = select(Resource).where(Resource.owner_id == self.owner)
        rows = list(self.s.scalars(q if ids is None else q.where(Resource.id.in_(ids))))
        tops = self.topics([r.id for r in rows])
        return [core.Doc(r.id, {"topics": tops[r.id], "title": [r.title], "review": [r.review or ""],
                                "summary": [r.summary or ""], "text": [r.text or ""]}) for r in rows]

    def person_docs(self, ids: Sequence[int] | None = None) -> list[core.Doc]:
        """People (some, or everyone) as documents for matching (interests, tags, title, company, notes)."""
        kids: dict[str, dict[int, list[str]]] = {"interests": defaultdict(list), "tags": defaultdict(list)}
        for key, model, col in (("interests", PersonInterest, PersonInterest.topic),
                                ("tags", PersonTag, PersonTag.tag)):
            kq = select(model.person_id, col).where(model.owner_id == self.owner)
            for pid, value in self.s.execute(kq if ids is None else kq.where(model.person_id.in_(ids))):
                kids[key][pid].append(value)
        pq = (select(PersonRow.id, PersonRow.title, PersonRow.company, PersonRow.notes)
              .where(PersonRow.owner_id == self.owner).order_by(PersonRow.id))
        rows = self.s.execute(pq if ids is None else pq.where(PersonRow.id.in_(ids)))
        # the order of the fields is the order in which a tie between two reasons is settled
        return [core.Doc(r.id, {"interests": kids["interests"][r.id], "tags": kids["tags"][r.id],
                                "title": [r.title or ""], "company": [r.company or ""],
                                "notes": [r.notes or ""]}) for r in rows]

    def _shared_pairs(self) -> set[tuple[int, int]]:
        return set(self.s.execute(select(Share.resource_id, Share.person_id)
                                  .where(Share.owner_id == self.owner)).all())

    def matches(self, resource_ids: Sequence[int] | None = None, top: int | None = None
                ) -> list[core.Match]:
        """Unshared (resource, person) matches of some resources (or all), best first.

        The TF-IDF weights are fitted on the network and the resources being matched, so adding one
        resource costs one pass over the network, not one per resource in the library.
        """
        shared = self._shared_pairs()
        # ask for a few more than ``top`` so that shared pairs dropped below still leave ``top``
        extra = None if top is None else top + len(shared)
        found = [m for m in core.match(self.resource_docs(resource_ids), self.person_docs(), top=extra)
                 if (m.resource_id, m.person_id) not in shared]
        return found

    def rematch(self, resource_ids: Sequence[int] | None = None,
                found: list[core.Match] | None = None) -> int:
        """Recompute the stored matches (of some resources, or all); returns how many were stored."""
        found = self.matches(resource_ids, top=MATCHES_PER_RESOURCE) if found is None else found
        q = delete(ResourceMatch).where(ResourceMatch.owner_id == self.owner)
        if resource_ids is not None:
            wanted = set(resource_ids)
            found = [m for m in found if m.resource_id in wanted]
            q = q.where(ResourceMatch.resource_id.in_(wanted))
        self.s.execute(q)
        kept: dict[int, int] = defaultdict(int)
        rows = []
        for m in found:
            if kept[m.resource_id] < MATCHES_PER_RESOURCE:
                kept[m.resource_id] += 1
                rows.append(ResourceMatch(resource_id=m.resource_id, person_id=m.person_id,
                                          owner_id=self.owner, score=m.score, because=m.because[:1000]))
        self.s.add_all(rows)
        self.s.flush()
        return len(rows)

    def rematch_people(self, person_ids: Sequence[int]) -> int:
        """Refresh the stored matches of a few people (added or edited) against the whole library.

        Cheap enough to run on every add or edit: the TF-IDF weights are fitted on the library and these
        people only, so the scores are close to, not identical with, those of a full ``rematch``.
        """
        ids = list(dict.fromkeys(person_ids))
        if not ids:
            return 0
        shared = self._shared_pairs()
        found = [m for m in core.match(self.resource_docs(), self.person_docs(ids))
                 if (m.resource_id, m.person_id) not in shared]
        self.s.execute(delete(ResourceMatch).where(ResourceMatch.owner_id == self.owner,
                                                   ResourceMatch.person_id.in_(ids)))
        self.s.add_all([ResourceMatch(resource_id=m.resource_id, person_id=m.person_id, owner_id=self.owner,
                                      score=m.score, because=m.because[:1000]) for m in found])
        self.s.flush()
        return len(found)

    def suits(self, resource_ids: Sequence[int], top: int = 3) -> dict[int, list[dict[str, Any]]]:
        """The best ``top`` stored, unshared matches of each resource with the people's names.

        No matching here: the stored matches are refreshed whenever resources or people change.
        """
        out: dict[int, list[dict[str, Any]]] = defaultdict(list)
        if not resource_ids:
            return out
        rows = self.s.execute(
            select(ResourceMatch.resource_id, ResourceMatch.person_id, ResourceMatch.because, PersonRow.name)
            .join(PersonRow, PersonRow.id == ResourceMatch.person_id)
            .where(ResourceMatch.owner_id == self.owner, PersonRow.owner_id == self.owner,
                   ResourceMatch.resource_id.in_(resource_ids))
            .order_by(ResourceMatch.resource_id, ResourceMatch.score.desc(), ResourceMatch.person_id))
        for r in rows:
            if len(out[r.resource_id]) < top:
                out[r.resource_id].append({"id": r.person_id, "name": r.name,
                                           "because": core.public_reason(r.because)})
        return out

    def because(self, resource_id: int, person_id: int) -> str | None:
        """Why a resource suits a person, when they were matched."""
        found = self.s.scalar(select(ResourceMatch.because).where(ResourceMatch.resource_id == resource_id,
                                                                  ResourceMatch.person_id == person_id))
        return None if found is None else core.public_reason(found)

    def best_for_person(self, person_id: int) -> tuple[Resource, str] | None:
        """The stored best unshared resource for a person, with why it suits them."""
        row = self.s.execute(select(ResourceMatch.resource_id, ResourceMatch.because)
                             .where(ResourceMatch.owner_id == self.owner,
                                    ResourceMatch.person_id == person_id)
                             .order_by(ResourceMatch.score.desc(), ResourceMatch.resource_id)
                             .limit(1)).first()
        return (self.get(row.resource_id), core.public_reason(row.because)) if row else None


def _clean_topics(topics: Sequence[str]) -> list[str]:
    """Topics as stored: cleaned, lower-case, each once, at most MAX_TOPICS."""
    cleaned = (clean_text(x, "topic", limit=100) for x in topics)
    tops = list(dict.fromkeys(t.lower() for t in cleaned if t))
    if len(tops) > MAX_TOPICS:
        raise InvalidInputError(f"at most {MAX_TOPICS} topics, not {len(tops)}")
    return tops


def summary_lines(row: Resource) -> list[str]:
    """A resource's summary sentences."""
    return [s for s in (row.summary or "").splitlines() if s.strip()]


def refresh_people(session: Session, owner_id: int, today: date, person_ids: Sequence[int]) -> None:
    """After people were added or edited: refresh their library matches, when there is a library at all.

    The check comes first so that a network without a library never loads the matcher (scikit-learn).
    """
    if session.scalar(select(exists().where(Resource.owner_id == owner_id))):
        LibraryRepo(session, owner_id, today).rematch_people(person_ids)
