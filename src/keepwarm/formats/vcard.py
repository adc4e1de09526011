"""vCard 2.1, 3.0 and 4.0: reading cards into people and writing people as cards (3.0 or 4.0).

Fields keepwarm has no column for (addresses, photos, unknown ``X-`` properties, Apple's labelled items)
are kept as their content lines in ``extra["vcard"]`` and written back unchanged, so a round trip loses
nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from keepwarm.core.birthdays import Birthday
from keepwarm.core.checks import UNVERIFIED, mark
from keepwarm.core.people import Link, Person
from keepwarm.errors import FormatError, InvalidInputError, KeepwarmError
from keepwarm.formats.common import Known, keyed_record, parse_birthday, row_key
from keepwarm.formats.records import Record
from keepwarm.formats.text import Source, decode, read_bytes, source_name, utf16
from keepwarm.formats.vcardlines import Card, ContentLine, cards, escape, fold, split_escaped, unescape

APPLE_ANNIVERSARY = "_$!<Anniversary>!$_"
OMIT_YEAR = 1604  # Apple writes year-less birthdays as 1604 with X-APPLE-OMIT-YEAR=1604
DROPPED = {"VERSION", "PRODID", "REV", "KIND", "X-ABLABEL", "X-ABUID"}
KW = "X-KEEPWARM-"


def _text_of(src: Source, name: str) -> tuple[str, bool]:
    """The file as text, and whether that text is still its bytes one character each (decoded per value,
    in each property's CHARSET, by the line parser): everything but UTF-16, which is decoded whole."""
    data = read_bytes(src)
    codec = utf16(data)
    if codec:
        return decode(data, name), False
    nul = data.find(b"\x00")
    if nul >= 0:
        raise FormatError("binary data, not a text file", file=name, line=data.count(b"\n", 0, nul) + 1)
    return data.removeprefix(b"\xef\xbb\xbf").decode("latin-1"), True


def read_vcard(src: Source, known: Known | None = None) -> Iterator[Record]:
    """People from a file of one or many cards. A structurally broken file fails as a whole; Apple's group
    cards become a tag on their members."""
    name = source_name(src)
    text, raw_bytes = _text_of(src, name)
    found = list(cards(text, name, raw_bytes=raw_bytes))  # the whole file is checked before anything
    if not found:
        raise FormatError("no BEGIN:VCARD found; not a vCard file", file=name, line=1)
    groups = _groups(found)
    for card in found:
        if _is_group(card):
            continue
        tags = groups.get(_uid(card) or "", [])
        yield keyed_record(card.line, row_key(*(cl.raw for cl in card.lines), *tags), known,
                           lambda card=card, tags=tags: _record(card, tags))  # type: ignore[misc]



def _is_group(card: Card) -> bool:
    return any(cl.name in ("X-ADDRESSBOOKSERVER-KIND", "KIND") and cl.value.strip().lower() == "group"
               for cl in card.lines)


def _uid(card: Card) -> str | None:
    return next((cl.value.strip() for cl in card.lines if cl.name == "UID"), None)


def _groups(found: list[Card]) -> dict[str, list[str]]:
    """Member UID → the names of the groups it is in (``X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:…``)."""
    out: dict[str, list[str]] = {}
    for card in found:
        if not _is_group(card):
            continue
        label = next((unescape(cl.value).strip() for cl in card.lines if cl.name in ("FN", "N")), "")
        label = label.strip(";") or "group"
        for cl in card.lines:
            if cl.name in ("X-ADDRESSBOOKSERVER-MEMBER", "MEMBER"):
                uid = cl.value.strip().removeprefix("urn:uuid:")
                out.setdefault(uid, []).append(label)
    return out


def _date_text(cl: ContentLine) -> str:
    value = cl.value.strip()
    if cl.param("X-APPLE-OMIT-YEAR") and value[:4] == cl.param("X-APPLE-OMIT-YEAR")[0]:
        value = "--" + value[5:]
    return value


def _bday(cl: ContentLine) -> Birthday:
    b = parse_birthday(_date_text(cl))
    return Birthday(b.month, b.day) if b.year == OMIT_YEAR else b


def _record(card: Card, tags: list[str] | None = None) -> Record:
    p = Person(name="?")
    rec = Record(p, card.line)
    labels = {cl.group: unescape(cl.value) for cl in card.lines if cl.name == "X-ABLABEL" and cl.group}
    handled_groups: set[str] = set()
    raw: list[str] = []
    dates: list[dict[str, str]] = []
    n_parts: list[str] = []
    seen: set[str] = set()
    for cl in card.lines:
        try:
            handled = _apply(p, cl, labels, dates, seen)  # type: ignore[arg-type]
        except (KeepwarmError, ValueError):
            handled = _keep_bad(rec, cl)
        if cl.name == "ADR" and rec.country is None:
            rec.country = (split_escaped(cl.value, ";") + [""] * 7)[6].strip() or None
        seen.add(cl.name)
        if handled and cl.group and cl.name != "X-ABLABEL":
            handled_groups.add(cl.group)
        elif not handled:
            raw.append(convert_photo(cl.raw, v4=True))  # photos are kept as data: URIs, written per version
        if cl.name == "N":
            n_parts = split_escaped(cl.value, ";")
    # labels of groups whose main property we did not map travel with the raw lines
    raw += [cl.raw for cl in card.lines if cl.name == "X-ABLABEL" and cl.group not in handled_groups]
    p.tags += tags or []
    return _finish(rec, n_parts, dates, raw)


_FIELD_NAMES = {"BDAY": "birthday", "ANNIVERSARY": "anniversary", "X-ANNIVERSARY": "anniversary",
                "X-ABDATE": "date"}


def _keep_bad(rec: Record, cl: ContentLine) -> bool:
    """A value that fails its check is kept as written: a birthday as an unverified mark (written back as
    BDAY text), anything else as its line; the record says so. Returns whether the line is handled."""
    what = _FIELD_NAMES.get(cl.name, cl.name.lower())
    value = unescape(cl.value).strip()
    if cl.name == "BDAY":
        rec.kept.append(mark(rec.person, what, value))
        return True
    rec.kept.append(f"kept as written: {what} {value!r}")
    return False


def _apply(p: Person, cl: ContentLine, labels: dict[str | None, str], dates: list[dict[str, str]],
           seen: set[str] = frozenset()) -> bool:  # type: ignore[assignment]
    """Map one property onto ``p``; False when it has no field (it is then kept as its line)."""
    n, v = cl.name, cl.value
    handled = True
    if n == "FN":
        p.name = unescape(v).strip() or p.name
    elif n == "N":
        pass  # split after the loop, when every line is known
    elif n == "NICKNAME":
        p.nickname = p.nickname or (split_escaped(v, ",") or [""])[0] or None
    elif n == "EMAIL":
        p.emails.append(v.strip())
    elif n == "TEL":
        p.phones.append(v.strip().removeprefix("tel:"))
    elif n == "URL":
        label = (labels.get(cl.group) or "").lower()
        url = unescape(v).strip()
        p.links.append(Link(url, "linkedin" if "linkedin" in label or "linkedin.com" in url.lower()
                            else "website"))
    elif n in ("ORG", "TITLE") and n in seen:
        handled = False  # a second organisation or title is kept as its line
    elif n == "ORG":
        org = [o for o in split_escaped(v, ";")]
        p.company = org[0] or None
        if len(org) > 1 and any(org[1:]):
            p.extra["department"] = ";".join(o for o in org[1:] if o)
    elif n == "TITLE":
        p.title = unescape(v)
    elif n == "BDAY":
        p.birthday = _bday(cl)
    elif n in ("ANNIVERSARY", "X-ANNIVERSARY"):
        dates.append({"label": "anniversary", "date": parse_birthday(_date_text(cl)).iso()})
    elif n == "X-ABDATE":
        label = labels.get(cl.group, "other")
        label = "anniversary" if label == APPLE_ANNIVERSARY else label.strip("_$!<>").lower()
        dates.append({"label": label, "date": parse_birthday(_date_text(cl)).iso()})
    elif n == "CATEGORIES":
        p.tags += [t.strip() for t in split_escaped(v, ",") if t.strip()]
    elif n == "NOTE":
        note = unescape(v)
        p.notes = f"{p.notes}\n{note}" if p.notes and note else (p.notes or note)
    elif n == "UID":
        p.uid = v.strip()
    elif n.startswith(KW):
        _keepwarm_field(p, n[len(KW):], unescape(v))
    elif n == "ADR" and not p.location:
        adr = split_escaped(v, ";") + [""] * 7
        p.location = " ".join(x for x in (adr[3], adr[4], adr[6]) if x.strip()) or None
        handled = False  # the full address is kept as its line
    else:
        handled = n in DROPPED
    return handled


def _finish(rec: Record, n_parts: list[str], dates: list[dict[str, str]], raw: list[str]) -> Record:
    p = rec.person
    if len(n_parts) >= 2:
        p.family_name = n_parts[0] or None
        p.given_name = " ".join(x for x in (n_parts[1], n_parts[2] if len(n_parts) > 2 else "") if x) or None
        for i, key in ((3, "name_prefix"), (4, "name_suffix")):
            if len(n_parts) > i and n_parts[i]:
                p.extra[key] = n_parts[i]
    elif len(n_parts) == 1 and n_parts[0].strip():
        p.family_name = n_parts[0].strip()
    if p.name == "?":
        # a card may be known by its name parts, nickname, organisation, an email or a phone alone
        p.name = " ".join(x for x in (p.given_name, p.family_name) if x) or p.nickname or p.company \
            or (p.emails[:1] or p.phones[:1] or ["?"])[0]
    if not p.name.strip() or p.name == "?":
        raise InvalidInputError("card without a name, email or phone")
    if dates:
        p.extra["dates"] = dates
    if raw:
        p.extra["vcard"] = raw
    return rec


def _keepwarm_field(p: Person, key: str, value: str) -> None:
    """Fields only keepwarm has, written as ``X-KEEPWARM-…`` so they survive a trip through a phone."""
    if key == "HOW-MET":
        p.how_met = value
    elif key == "MET-ON":
        p.met_on = date.fromisoformat(value)
    elif key == "CIRCLE":
        p.circle = value
    elif key == "EVERY-DAYS":
        p.every_days = int(value)
    elif key == "INTERESTS":
        p.interests += [i for i in value.split(",") if i]
    elif key == "LOCATION":
        p.location = value


# -- writing --------------------------------------------------------------------------------------------
def write_card(p: Person, version: str = "3.0") -> str:
    """One person as a vCard ``version`` (3.0 for Apple, or 4.0), CRLF lines folded at 75 octets."""
    if version not in ("3.0", "4.0"):
        raise InvalidInputError(f"vCard version {version!r} is not supported; use 3.0 or 4.0")
    v4 = version == "4.0"
    out = ["BEGIN:VCARD", f"VERSION:{version}", "PRODID:-//keepwarm//keepwarm//EN", f"UID:{p.uid}",
           f"FN:{escape(p.name)}",
           f"N:{escape(p.family_name or '')};{escape(p.given_name or '')};;"
           f"{escape(str(p.extra.get('name_prefix') or ''))};{escape(str(p.extra.get('name_suffix') or ''))}"]
    if p.nickname:
        out.append(f"NICKNAME:{escape(p.nickname)}")
    if p.company or p.extra.get("department"):
        dept = ";".join(escape(d) for d in str(p.extra.get("department") or "").split(";") if d)
        out.append(f"ORG:{escape(p.company or '')}" + (f";{dept}" if dept else ""))
    if p.title:
        out.append(f"TITLE:{escape(p.title)}")
    out += [f"EMAIL{'' if v4 else ';TYPE=INTERNET'}:{e}" for e in p.emails]
    out += [_tel(n, v4) for n in p.phones]
    item = 0
    for link in p.links:
        if link.kind == "linkedin" and not v4:
            item += 1
            out += [f"item{item}.URL:{link.url}", f"item{item}.X-ABLabel:LinkedIn"]
        else:
            out.append(f"URL:{link.url}")
    if p.birthday:
        b = p.birthday
        if b.year:
            out.append(f"BDAY:{b.iso()}" if not v4 else f"BDAY:{b.year:04d}{b.month:02d}{b.day:02d}")
        elif v4:
            out.append(f"BDAY:--{b.month:02d}{b.day:02d}")
        else:
            out.append(f"BDAY;X-APPLE-OMIT-YEAR={OMIT_YEAR}:{OMIT_YEAR}-{b.month:02d}-{b.day:02d}")
    elif (kept := _unverified_birthday(p)) is not None:  # as written, so the export loses nothing
        out.append(f"BDAY{';VALUE=text' if v4 else ''}:{escape(kept)}")
    for d in p.extra.get("dates") or []:
        item = _write_date(out, d, v4, item)
    if p.tags:
        out.append("CATEGORIES:" + ",".join(escape(t) for t in p.tags))
    if p.notes:
        out.append(f"NOTE:{escape(p.notes)}")
    for key, value in (("HOW-MET", p.how_met), ("MET-ON", p.met_on.isoformat() if p.met_on else None),
                       ("CIRCLE", p.circle), ("EVERY-DAYS", str(p.every_days) if p.every_days else None),
                       ("INTERESTS", ",".join(p.interests) if p.interests else None)):
        if value:
            out.append(f"{KW}{key}:{escape(value, comma=key != 'INTERESTS')}")
    raw = [_exportable(convert_photo(r, v4)) for r in p.extra.get("vcard") or []]
    if p.location and not any(r.split(":", 1)[0].split(";")[0].split(".")[-1].upper() == "ADR" for r in raw):
        out.append(f"{KW}LOCATION:{escape(p.location)}")
    out += raw
    out.append("END:VCARD")
    return "".join(fold(line) for line in out)


def _tel(number: str, v4: bool) -> str:
    """A TEL line: a ``tel:`` URI in 4.0 for a number in international form (with its extension), the
    number as written (4.0 allows text) otherwise: pause digits, vanity and national numbers."""
    if v4 and _URI_SAFE.match(number):
        return f"TEL;VALUE=uri:tel:{number}"
    return f"TEL:{number}"


_URI_SAFE = re.compile(r"^\+[0-9]+(?:;ext=[0-9]+)?$")


_BAD_NAME_CHARS = re.compile(r"[^A-Za-z0-9-]")


def _exportable(raw: str) -> str:
    """A kept line with its property name made of the characters RFC 6350 allows (``X-messaging/twitter-All``
    → ``X-messaging-twitter-All``): other readers, vobject among them, refuse the line otherwise."""
    head, sep, value = raw.partition(":")
    name, semi, params = head.partition(";")
    group, dot, prop = name.rpartition(".")
    clean = (_BAD_NAME_CHARS.sub("-", group) + dot if dot else "") + _BAD_NAME_CHARS.sub("-", prop)
    return raw if clean == name else clean + semi + params + sep + value


def _unverified_birthday(p: Person) -> str | None:
    return next((str(m.get("value")) for m in p.extra.get(UNVERIFIED) or []
                 if isinstance(m, dict) and m.get("field") == "birthday"), None)


def _write_date(out: list[str], d: dict[str, str], v4: bool, item: int) -> int:
    label, value = str(d.get("label") or "other"), str(d.get("date") or "")
    if not value:
        return item
    if v4 and label == "anniversary":
        out.append(f"ANNIVERSARY:{_basic(value)}")
        return item
    item += 1
    if value.startswith("--"):
        value = f"{OMIT_YEAR}-{value[2:]}"
        out.append(f"item{item}.X-ABDATE;X-APPLE-OMIT-YEAR={OMIT_YEAR}:{value}")
    else:
        out.append(f"item{item}.X-ABDATE:{value}")
    out.append(f"item{item}.X-ABLabel:{APPLE_ANNIVERSARY if label == 'anniversary' else escape(label)}")
    return item


def _basic(value: str) -> str:
    """``2010-09-01`` → ``20100901`` and ``--03-22`` → ``--0322`` (vCard 4 basic format)."""
    return "--" + value[2:].replace("-", "") if value.startswith("--") else value.replace("-", "")


def convert_photo(raw: str, v4: bool) -> str:
    """PHOTO lines between 3.0 (``ENCODING=b;TYPE=JPEG``) and 4.0 (``data:`` URI) forms; others unchanged."""
    head, _, value = raw.partition(":")
    name = head.split(";")[0].split(".")[-1].upper()
    if name != "PHOTO":
        return raw
    params = {k.upper(): v for k, _, v in (p.partition("=") for p in head.split(";")[1:])}
    if v4 and params.get("ENCODING", "").lower() in ("b", "base64"):
        mime = "image/" + (params.get("TYPE") or "jpeg").lower()
        return f"PHOTO:data:{mime};base64,{value}"
    if not v4 and value.startswith("data:") and ";base64," in value:
        mime, data = value[5:].split(";base64,", 1)
        return f"PHOTO;ENCODING=b;TYPE={mime.split('/')[-1].upper()}:{data}"
    return raw


def write_cards(people: list[Person], version: str = "3.0") -> Iterator[str]:
    """Cards for many people, one string each."""
    for p in people:
        yield write_card(p, version)
