"""Finding people who are probably the same, merging two people, and remembering "not the same".

Candidates come from shared keys (a phone or a LinkedIn URL on two people) and from fuzzy names. Names are
compared only within blocks (people sharing a folded name token prefix); an oversized block is compared
by sorted neighbourhood (each name against the next few in sorted order), so the cost stays near-linear
in the number of people, never all pairs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, or_, select, update

from keepwarm.core.merging import combine
from keepwarm.errors import InvalidInputError
from keepwarm.store.models import (
    LifeEventRow,
    NotDuplicate,
    PersonLink,
    PersonPhone,
    PersonRow,
    PlanRow,
    Share,
    TouchPerson,
)
from keepwarm.store.models.people_extra import ImportRow
from keepwarm.store.personrows import fetch

if TYPE_CHECKING:
    from keepwarm.store import Store

THRESHOLD = 85  # name similarity (0-100) from which a pair is worth a look
COMPANY_BONUS = 5  # added to the names' score when the companies are alike (taken off 10 when not)
BLOCK_MAX = 200  # larger blocks (a very common first name) fall back to sorted neighbourhood
WINDOW = 15


@dataclass
class Candidate:
    """Two people who may be one, with a score (0-100) and the evidence."""

    a: int
    b: int
    score: int
    evidence: list[str] = field(default_factory=list)
    names: tuple[str, str] = ("", "")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"a": {"id": self.a, "name": self.names[0]}, "b": {"id": self.b, "name": self.names[1]},
                "score": self.score, "evidence": self.evidence}


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def candidates(store: Store, limit: int | None = None) -> list[Candidate]:
    """Likely duplicates, best first, without pairs the user said are different people."""
    s, o = store.session, store.owner_id
    conn = s.connection()
    q = select(PersonRow.id, PersonRow.name_folded, PersonRow.name, PersonRow.company)
    people = {pid: (folded, name, company) for pid, folded, name, company in fetch(
        conn, q.where(PersonRow.owner_id == o))}
    dismissed = {(a, b) for a, b in fetch(conn, select(NotDuplicate.person_a, NotDuplicate.person_b)
                                           .where(NotDuplicate.owner_id == o))}
    found: dict[tuple[int, int], Candidate] = {}

    def note(a: int, b: int, score: int, why: str) -> None:
        key = _pair(a, b)
        if key in dismissed or a == b:
            return
        c = found.setdefault(key, Candidate(key[0], key[1], 0, [],
                                            (people[key[0]][1], people[key[1]][1])))
        c.score = max(c.score, score)
        if why not in c.evidence:
            c.evidence.append(why)

    for model, col, label in ((PersonPhone, PersonPhone.phone, "same phone"),
                              (PersonLink, PersonLink.url, "same link")):
        owners: dict[str, list[int]] = defaultdict(list)
        for value, pid in fetch(conn, select(col, model.person_id).where(model.owner_id == o)):
            owners[value].append(pid)
        for value, pids in owners.items():
            for i, a in enumerate(pids):
                for b in pids[i + 1:]:
                    note(a, b, 95, f"{label} {value}")
    for a, b, score, why in _similar_names(people):
        note(a, b, score, why)
    out = sorted(found.values(), key=lambda c: (-c.score, c.a, c.b))
    return out[:limit] if limit else out


def _similar_names(people: dict[int, tuple[str, str, str | None]]) -> list[tuple[int, int, int, str]]:
    """Pairs of people (ids, score, evidence) whose folded names are alike, companies taken into account.

    Names are compared only within blocks (people sharing a name token's first four letters); a block
    larger than BLOCK_MAX by sorted neighbourhood (each name against the next WINDOW ones). Scores are
    computed in vectorised rapidfuzz calls (the same scorer as ``fuzz.token_sort_ratio``, in 64-bit floats),
    and only pairs that can still reach THRESHOLD (a company in common adds COMPANY_BONUS) are kept.
    """
    import numpy as np
    from rapidfuzz import fuzz, process

    ids = list(people)
    names = [people[i][0] for i in ids]
    blocks: dict[str, list[int]] = defaultdict(list)
    for n, folded in enumerate(names):
        for token in set(folded.replace("-", " ").split()):
            if len(token) >= 2:
                blocks[token[:4]].append(n)
    cutoff = THRESHOLD - COMPANY_BONUS
    found: list[tuple[Any, Any, Any]] = []  # (indexes of a, of b, name scores) of each call
    for members in blocks.values():
        if len(members) < 2:
            continue
        if len(members) <= BLOCK_MAX:  # the whole block in one call
            m = np.array(members)
            block = [names[i] for i in members]
            scores = process.cdist(block, block, scorer=fuzz.token_sort_ratio, score_cutoff=cutoff,
                                   dtype=np.float64)
            rows, cols = np.nonzero(np.triu(scores, k=1))
            found.append((m[rows], m[cols], scores[rows, cols]))
        else:  # sorted neighbourhood: one call per distance 1..WINDOW
            m = np.array(sorted(members, key=lambda i: names[i]))
            block = [names[i] for i in m.tolist()]
            for k in range(1, min(WINDOW, len(block) - 1) + 1):
                scores = process.cpdist(block[:-k], block[k:], scorer=fuzz.token_sort_ratio,
                                        score_cutoff=cutoff, dtype=np.float64)
                hit = np.nonzero(scores)[0]
                found.append((m[hit], m[hit + k], scores[hit]))
    if not found:
        return []
    a, b, score = (np.concatenate(part) for part in zip(*found, strict=True))
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    _, first = np.unique(lo * len(ids) + hi, return_index=True)  # a pair met in several blocks: once
    lo, hi, whole = lo[first], hi[first], score[first].astype(np.int64)  # int() of each score, as before
    # companies: one score per pair of companies met (a network has few), then the adjustment in one go
    codes: dict[str, int] = {}
    company = np.array([codes.setdefault(c, len(codes)) if (c := people[i][2]) else -1 for i in ids])
    ca, cb = company[lo], company[hi]
    both = (ca >= 0) & (cb >= 0)
    alike = np.full(len(lo), -1, dtype=np.int64)
    if both.any():
        named, k = [c.lower() for c in codes], len(codes)
        combos, where = np.unique(ca[both] * k + cb[both], return_inverse=True)
        scored = np.array([int(fuzz.token_set_ratio(named[c // k], named[c % k])) for c in combos.tolist()],
                          dtype=np.int64)
        alike[both] = scored[where.reshape(-1)]
    final = np.where(both, whole + np.where(alike >= 85, COMPANY_BONUS, -10), whole)
    keep = np.nonzero(final >= THRESHOLD)[0]
    out = []
    for x, y, sc, name_sc, co in zip(lo[keep].tolist(), hi[keep].tolist(), final[keep].tolist(),
                                     whole[keep].tolist(), alike[keep].tolist(), strict=True):
        why = f"names {name_sc}% alike" + (f", companies {co}% alike" if co >= 0 else "")
        out.append((ids[x], ids[y], min(sc, 100), why))
    return out


def dismiss(store: Store, a: int, b: int) -> None:
    """Remember that ``a`` and ``b`` are different people."""
    if a == b:
        raise InvalidInputError("that is one person")
    store.people.row(a), store.people.row(b)
    lo, hi = _pair(a, b)
    if store.session.get(NotDuplicate, (store.owner_id, lo, hi)) is None:
        store.session.add(NotDuplicate(owner_id=store.owner_id, person_a=lo, person_b=hi))
        store.session.flush()


def merge(store: Store, keep_id: int, other_id: int) -> int:
    """Merge ``other`` into ``keep``: every email, phone, link, tag, interest, note, event, plan, share and
    touch of both ends up on ``keep``; the maintained columns are rebuilt from the touches."""
    if keep_id == other_id:
        raise InvalidInputError("cannot merge a person with themselves")
    s, o = store.session, store.owner_id
    keep, other = store.people.get(keep_id), store.people.get(other_id)
    other_row = store.people.row(other_id)
    snoozed = other_row.snoozed_until
    merged = combine(keep, other)
    # touches with both of them keep one link; the others move over
    both = select(TouchPerson.touch_id).where(TouchPerson.person_id == keep_id)
    s.execute(delete(TouchPerson).where(TouchPerson.person_id == other_id, TouchPerson.touch_id.in_(both)))
    s.execute(update(TouchPerson).where(TouchPerson.person_id == other_id).values(person_id=keep_id))
    for model in (LifeEventRow, PlanRow, Share, ImportRow):
        s.execute(update(model).where(model.owner_id == o, model.person_id == other_id)
                  .values(person_id=keep_id))
    s.execute(delete(NotDuplicate).where(NotDuplicate.owner_id == o, or_(
        NotDuplicate.person_a == other_id, NotDuplicate.person_b == other_id,
        and_(NotDuplicate.person_a == keep_id, NotDuplicate.person_b == other_id))))
    store.people.remove(other_id)
    s.flush()
    store.people.update(merged)
    row = store.people.row(keep_id)
    if snoozed and (row.snoozed_until is None or row.snoozed_until < snoozed):
        row.snoozed_until = snoozed
    store.touches.recompute([keep_id])
    return keep_id
