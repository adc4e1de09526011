"""The fields a CardDAV card and a person share, merged three ways and written back into the raw card.

Only these fields travel: names, company, title, emails, phones and birthday. Notes, circles, how you met
and everything else of keepwarm's stay private; everything else on the card (photos, addresses, unknown
``X-`` properties) is kept as the phone wrote it, because a push patches only the lines of changed fields.

The merge is the import rule made two-way: a field changed on one side since the last agreed value (the
*base*) follows that side; changed on both sides to different values, it is a conflict, and both values are
kept (keepwarm's on the person, the phone's on the card) until one side agrees with the other. A list
merges by item: an item added on either side is added, an item removed on either side is removed.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from keepwarm.core.birthdays import Birthday
from keepwarm.core.people import Person, _has_suffix, normalize_email, normalize_phone
from keepwarm.errors import KeepwarmError
from keepwarm.formats.vcard import read_vcard
from keepwarm.formats.vcardlines import _logical_lines, escape, fold, split_escaped

SCALARS = ("name", "given_name", "family_name", "nickname", "company", "title", "birthday")
LISTS = ("emails", "phones")
FIELDS = SCALARS + LISTS
_PROPS = {"name": "FN", "nickname": "NICKNAME", "title": "TITLE", "birthday": "BDAY", "emails": "EMAIL",
          "phones": "TEL"}


def fields_of(p: Person) -> dict[str, Any]:
    """The shared fields of a person, JSON-ready (empty ones left out)."""
    out: dict[str, Any] = {}
    for f in SCALARS:
        value = getattr(p, f)
        if value not in (None, ""):
            out[f] = value.iso() if isinstance(value, Birthday) else value
    for f in LISTS:
        if getattr(p, f):
            out[f] = list(getattr(p, f))
    return out


def apply_fields(p: Person, values: dict[str, Any]) -> None:
    """Set the shared fields of ``p`` to ``values`` (a missing one is emptied; the name stays)."""
    for f in SCALARS:
        value = values.get(f)
        if f == "name":
            p.name = value or p.name
        elif f == "birthday":
            p.birthday = Birthday.parse(value) if value else None
        else:
            setattr(p, f, value)
    for f in LISTS:
        setattr(p, f, list(values.get(f) or []))


def merge3(base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]
           ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The merged fields and the conflicts ({field, keepwarm, card}); a conflicted field keeps ours."""
    out: dict[str, Any] = {}
    conflicts: list[dict[str, Any]] = []
    for f in SCALARS:
        b, o, t = base.get(f), ours.get(f), theirs.get(f)
        if o == t or t == b:
            value = o
        elif o == b:
            value = t
        else:
            value = o
            conflicts.append({"field": f, "keepwarm": o, "card": t})
        if value not in (None, ""):
            out[f] = value
    for f in LISTS:
        b_l, o_l, t_l = base.get(f) or [], ours.get(f) or [], theirs.get(f) or []
        kept = [x for x in o_l if x in t_l or x not in b_l]
        kept += [x for x in t_l if x not in kept and x not in b_l]
        if kept:
            out[f] = kept
    return out, conflicts


def _stored(value: str, normalise: Callable[[str], str]) -> str:
    try:
        return normalise(value)
    except KeepwarmError:
        return value  # kept as written, as the importer keeps a value it cannot check


def card_fields(text: str, region: str = "US") -> dict[str, Any]:
    """The shared fields of one card, read as keepwarm's importer reads them and in the form keepwarm
    stores them (E.164 phones, normalised emails): a card and a person that say the same compare equal."""
    records = list(read_vcard(io.BytesIO(text.encode())))
    if not records:
        return {}
    out = fields_of(records[0].person)
    if out.get("emails"):
        out["emails"] = list(dict.fromkeys(_stored(e, normalize_email) for e in out["emails"]))
    if out.get("phones"):
        out["phones"] = list(dict.fromkeys(
            p if _has_suffix(p) else _stored(p, lambda v: normalize_phone(v, region)) for p in out["phones"]))
    return out


def _prop(line: str) -> str:
    return line.split(":", 1)[0].split(";", 1)[0].split(".")[-1].upper()


def _one(line: str, field: str, region: str) -> Any:
    """The value keepwarm reads from one EMAIL or TEL line (normalised as the importer does)."""
    got = card_fields(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:x\r\n{line}\r\nEND:VCARD\r\n", region)
    return (got.get(field) or [None])[0]


def _set_list(lines: list[str], field: str, wanted: list[str], region: str) -> list[str]:
    prop, out, have = _PROPS[field], [], []
    for line in lines:
        if _prop(line) == prop:
            value = _one(line, field, region)
            if value not in wanted or value in have:
                continue
            have.append(value)
        out.append(line)
    end = len(out) - 1 if out and _prop(out[-1]) == "END" else len(out)
    add = [f"{prop}{';TYPE=INTERNET' if prop == 'EMAIL' else ''}:{v}" for v in wanted if v not in have]
    return out[:end] + add + out[end:]


def _set_line(lines: list[str], prop: str, line: str | None) -> list[str]:
    out = [x for x in lines if _prop(x) != prop]
    if line is not None:
        out.insert(len(out) - 1 if out and _prop(out[-1]) == "END" else len(out), line)
    return out


def _n_line(lines: list[str], given: str | None, family: str | None) -> list[str]:
    old = next((x for x in lines if _prop(x) == "N"), None)
    parts = split_escaped(old.split(":", 1)[1], ";") if old else []
    parts += [""] * (5 - len(parts))
    parts[0], parts[1] = family or "", given or ""
    return _set_line(lines, "N", "N:" + ";".join(escape(p) for p in parts))


def _org_line(lines: list[str], company: str | None) -> list[str]:
    old = next((x for x in lines if _prop(x) == "ORG"), None)
    rest = split_escaped(old.split(":", 1)[1], ";")[1:] if old else []
    if not company and not any(rest):
        return _set_line(lines, "ORG", None)
    return _set_line(lines, "ORG", "ORG:" + ";".join(escape(p) for p in [company or "", *rest]))


def patch_card(raw: str, before: dict[str, Any], after: dict[str, Any], region: str = "US") -> str:
    """``raw`` with the lines of the fields that differ between ``before`` and ``after`` rewritten; every
    other line as it was."""
    lines = [text for _, text in _logical_lines(raw) if text.strip()]
    changed = [f for f in FIELDS if before.get(f) != after.get(f)]
    if "given_name" in changed or "family_name" in changed:
        lines = _n_line(lines, after.get("given_name"), after.get("family_name"))
    if "company" in changed:
        lines = _org_line(lines, after.get("company"))
    for f in ("name", "nickname", "title", "birthday"):
        if f in changed:
            value = after.get(f)
            text = escape(str(value)) if f != "birthday" else value
            lines = _set_line(lines, _PROPS[f], f"{_PROPS[f]}:{text}" if value else None)
    for f in LISTS:
        if f in changed:
            lines = _set_list(lines, f, list(after.get(f) or []), region)
    return "".join(fold(line) for line in lines)


def same(a: dict[str, Any], b: dict[str, Any], skip: tuple[str, ...] = ()) -> bool:
    """Whether two sets of fields say the same (list order does not matter: cards reorder freely)."""
    for f in FIELDS:
        if f in skip:
            continue
        x, y = a.get(f), b.get(f)
        if f in LISTS:
            x, y = sorted(x or []), sorted(y or [])
        if x != y:
            return False
    return True
