"""Folding what a file says about a person into what keepwarm knows, without undoing the user's edits.

Each person remembers, per source (``linkedin``, ``google``…), the values that source last gave
(``extra["imported"][source]``). A value is written only when the user has not changed it since:
an empty field is filled, a field still equal to the last imported value follows the source, and an email
or tag the user removed does not come back on the next import.
"""

from __future__ import annotations

from typing import Any

from keepwarm.core.birthdays import Birthday
from keepwarm.core.people import Link, Person, fold

SCALARS = ("name", "given_name", "family_name", "nickname", "company", "title", "location", "how_met",
           "met_on", "birthday", "notes", "circle", "every_days")
LISTS = ("emails", "phones", "tags", "interests")
EXTRA_LISTS = ("dates", "relations", "custom", "vcard", "unverified")
EXTRA_SCALARS = ("department", "name_prefix", "name_suffix")
IMPORTED = "imported"
_DATED = ("met_on", "birthday")
_EXTRA = EXTRA_SCALARS + EXTRA_LISTS


def _plain(value: Any) -> Any:
    """A JSON-ready form of a field value, for snapshots and comparisons."""
    cls = type(value)
    if value is None or cls is str or cls is int:  # the usual cases, without isinstance
        return value
    if isinstance(value, Birthday):
        return value.iso()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def snapshot(p: Person) -> dict[str, Any]:
    """What a source said about a person, in JSON-ready form (empty values left out)."""
    values = p.__dict__
    out: dict[str, Any] = {f: v for f in SCALARS if (v := values[f]) is not None and v != ""}
    for f in _DATED:  # the only scalars that are not str or int already
        if f in out:
            out[f] = _plain(out[f])
    for f in LISTS:
        if values[f]:
            out[f] = list(values[f])
    if p.links:
        out["links"] = [k.url for k in p.links]
    if p.extra:
        for f in _EXTRA:
            if p.extra.get(f):
                out["x." + f] = p.extra[f]
    return out


def _set(p: Person, f: str, value: Any) -> None:
    if f == "birthday":
        value = Birthday.parse(value)
    elif f == "met_on":
        from datetime import date

        value = date.fromisoformat(value)
    setattr(p, f, value)


def _has(items: list[str], item: str, casefold: bool) -> bool:
    return fold(item) in {fold(i) for i in items} if casefold else item in items


def merge_into(target: Person, incoming: Person, source: str) -> bool:
    """Fold ``incoming`` (already validated) into ``target``; True when a field of target changed.

    The source's snapshot is updated either way (callers compare ``extra`` to see if it moved).
    """
    imported = target.extra.setdefault(IMPORTED, {})
    last: dict[str, Any] = imported.get(source) or {}
    new = snapshot(incoming)
    changed = False
    values = target.__dict__
    for f in SCALARS:
        value = new.get(f)
        if value is None:
            continue  # the source says nothing about it (most fields of most rows)
        current = _plain(values[f])
        if value == current:
            continue
        before = last.get(f)
        if (current in (None, "") and before is None) or (current == before and before is not None):
            _set(target, f, getattr(incoming, f) if f not in ("birthday", "met_on") else value)
            changed = True
        elif f == "notes" and value != before and value not in current:
            target.notes = f"{current}\n\n{value}"  # notes are never thrown away: a second source adds
            changed = True
    for f in LISTS:
        if f not in new:
            continue
        current_list: list[str] = values[f]
        for item in new[f]:
            if not _has(current_list, item, f in ("tags", "interests")) and item not in last.get(f, []):
                current_list.append(item)
                changed = True
    if incoming.links:
        urls = [k.url for k in target.links]
        for link in incoming.links:
            if link.url not in urls and link.url not in last.get("links", []):
                target.links.append(Link(link.url, link.kind))
                changed = True
    if incoming.extra:  # (most records bring no extras)
        for f in EXTRA_SCALARS:
            value = incoming.extra.get(f)
            if value and not target.extra.get(f) and last.get("x." + f) is None:
                target.extra[f] = value
                changed = True
        for f in EXTRA_LISTS:
            have, before_x = target.extra.get(f) or [], last.get("x." + f, [])
            add = [v for v in incoming.extra.get(f) or [] if v not in have and v not in before_x]
            if add:
                target.extra[f] = have + add
                changed = True
    imported[source] = new
    return changed


def combine(keep: Person, other: Person) -> Person:
    """Two records of the same person as one (for ``keepwarm merge``): every email, phone, link, tag,
    interest and dated extra of both; ``keep``'s scalar fields win, ``other`` fills the gaps; notes of
    both."""
    for f in SCALARS:
        if f != "notes" and getattr(keep, f) in (None, "") and getattr(other, f) not in (None, ""):
            setattr(keep, f, getattr(other, f))
    if other.notes and other.notes != keep.notes:
        keep.notes = f"{keep.notes}\n\n{other.notes}" if keep.notes else other.notes
    for f in LISTS:
        items: list[str] = getattr(keep, f)
        items += [i for i in getattr(other, f) if not _has(items, i, f in ("tags", "interests"))]
    urls = {k.url for k in keep.links}
    keep.links += [k for k in other.links if k.url not in urls]
    for f in EXTRA_SCALARS:
        if other.extra.get(f) and not keep.extra.get(f):
            keep.extra[f] = other.extra[f]
    for f in EXTRA_LISTS:
        have = keep.extra.get(f) or []
        add = [v for v in other.extra.get(f) or [] if v not in have]
        if add:
            keep.extra[f] = have + add
    sources = keep.extra.setdefault(IMPORTED, {})
    for src, snap in (other.extra.get(IMPORTED) or {}).items():
        sources.setdefault(src, snap)
    return keep
