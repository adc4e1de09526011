"""Readers for the CSV exports people have: LinkedIn Connections, Google Contacts, Outlook, and any CSV
with a column mapping."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, partial

from keepwarm.core import events as life
from keepwarm.core.birthdays import Birthday
from keepwarm.core.people import Link, Person
from keepwarm.errors import InvalidInputError
from keepwarm.formats.common import (
    Known,
    cell,
    csv_rows,
    keyed_record,
    lenient,
    new_uid,
    parse_birthday,
    parse_day,
    row_key,
    split_multi,
)
from keepwarm.formats.records import Event, Record
from keepwarm.formats.text import Source, open_text

LINKEDIN_HEADER = ("First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On")


def _full_name(*parts: str | None) -> str | None:
    name = " ".join(p for p in parts if p)
    return name or None


def _name_or_problem(name: str | None, *fallbacks: str | None) -> str:
    """The name, else the first fallback (an organisation, an email, a phone): only a row with nothing to
    know the person by is refused."""
    chosen = name or next((f for f in fallbacks if f), None)
    if not chosen:
        raise InvalidInputError("no name, email or phone")
    return chosen


# -- LinkedIn -------------------------------------------------------------------------------------------
def read_linkedin(src: Source, known: Known | None = None) -> Iterator[Record]:
    """LinkedIn's Connections.csv: a ``Notes:`` preamble, then the header, then one connection a row."""
    stream, name = open_text(src)
    with stream:
        rows = csv_rows(stream, name, _is_linkedin, "LinkedIn Connections")
        for line, row in rows:
            yield keyed_record(line, row_key(*row, *row.values()), known,
                               lambda row=row, line=line: _linkedin_record(row, line))  # type: ignore[misc]


def _is_linkedin(cells: list[str]) -> bool:
    """Today's header, or the older one without a URL column (``…,Position,Connected On``)."""
    return tuple(cells[:3]) == LINKEDIN_HEADER[:3] or (
        tuple(cells[:2]) == LINKEDIN_HEADER[:2] and "Connected On" in cells)


def _linkedin_record(row: dict[str, str], line: int) -> Record:
    # the hot path of a 30,000-row import: plain dict access instead of cell()
    first, last, url, email, company, position, connected = [
        (row.get(k) or "").strip() or None for k in LINKEDIN_HEADER]
    name = _name_or_problem(_full_name(first, last), email or url)
    p = Person(name=name, uid=new_uid(), given_name=first, family_name=last, company=company, title=position,
               how_met="LinkedIn")
    if url:
        p.links.append(Link(url, "linkedin"))
    if email:
        p.emails.append(email)
    rec = Record(p, line)
    if connected:
        p.met_on = lenient(rec, "met on", connected, linkedin_day)
    return rec


_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                       "nov", "dec"), 1)}


def linkedin_day(text: str) -> date:
    """``15 Mar 2024`` (LinkedIn's form, read without strptime: it is the hot path of a big import)."""
    parts = text.split()
    if len(parts) == 3 and parts[0].isdigit() and parts[2].isdigit() and parts[1][:3].lower() in _MONTHS:
        try:
            return date(int(parts[2]), _MONTHS[parts[1][:3].lower()], int(parts[0]))
        except ValueError:
            raise InvalidInputError(f"not a date: {text!r}") from None
    # older exports: ``1/8/18, 6:14 PM`` (month first, as LinkedIn's US site wrote it)
    return parse_day(text, ("%d-%b-%y", "%Y-%m-%d", "%d %B %Y", "%m/%d/%y, %I:%M %p", "%m/%d/%Y, %I:%M %p",
                            "%m/%d/%y", "%m/%d/%Y"))


# -- Google ---------------------------------------------------------------------------------------------
_GROUP = re.compile(r"^(E-mail|Phone|Address|Website|Event|Relation|Custom Field|Organization) (\d+) - (.+)$")


def _is_google(cells: list[str]) -> bool:
    s = set(cells)
    return ("E-mail 1 - Value" in s or "Labels" in s or "Group Membership" in s) and (
        "First Name" in s or "Given Name" in s or "Name" in s)


def read_google(src: Source, known: Known | None = None) -> Iterator[Record]:
    """Google Contacts CSV: numbered column groups, `` ::: `` multi-values, labels as tags."""
    stream, name = open_text(src)
    plan: _GooglePlan | None = None
    with stream:
        for line, row in csv_rows(stream, name, _is_google, "Google Contacts"):
            if plan is None or len(row) > plan.width:  # a short first row names fewer columns
                plan = _google_plan(tuple(row))
            yield keyed_record(line, row_key(*row, *row.values()), known,
                               lambda row=row, line=line, plan=plan: _google_record(row, line, plan))  # type: ignore[misc]


@lru_cache(maxsize=512)
def _group_of(key: str | None) -> tuple[str, int, str] | None:
    """``Phone 2 - Value`` → (``Phone``, 2, ``Value``); parsed once per header, not once per cell."""
    m = _GROUP.match(key or "")
    return (m.group(1), int(m.group(2)), m.group(3)) if m else None


@dataclass(frozen=True)
class _GooglePlan:
    """Which of the columns a Google reader looks for a file has (worked out once per header: a 30,000-row
    file would otherwise look up each absent column 30,000 times)."""

    width: int
    given: tuple[str, ...]
    middle: tuple[str, ...]
    family: tuple[str, ...]
    prefix: tuple[str, ...]
    suffix: tuple[str, ...]
    full: tuple[str, ...]
    nickname: tuple[str, ...]
    org_name: tuple[str, ...]
    org_title: tuple[str, ...]
    notes: tuple[str, ...]
    labels: tuple[str, ...]
    birthday: tuple[str, ...]
    groups: tuple[tuple[str, str, int, str], ...]  # (column, kind, number, field) in header order


@lru_cache(maxsize=16)
def _google_plan(header: tuple[str, ...]) -> _GooglePlan:
    has = set(header)

    def pick(*names: str) -> tuple[str, ...]:
        return tuple(n for n in names if n in has)

    return _GooglePlan(
        len(header), pick("First Name", "Given Name"), pick("Middle Name", "Additional Name"),
        pick("Last Name", "Family Name"), pick("Name Prefix"), pick("Name Suffix"), pick("Name", "File As"),
        pick("Nickname"), pick("Organization Name"), pick("Organization Title"), pick("Notes"),
        pick("Labels", "Group Membership"), pick("Birthday"),
        tuple((k, *g) for k in header if (g := _group_of(k)) is not None))


def _cells(row: dict[str, str], names: tuple[str, ...]) -> str | None:
    """:func:`cell` over the columns a plan found (most often one, or none)."""
    for n in names:
        v = row.get(n)
        if v is not None and v.strip():
            return v.strip()
    return None


def _groups(row: dict[str, str], plan: _GooglePlan) -> dict[tuple[str, int], dict[str, str]]:
    out: dict[tuple[str, int], dict[str, str]] = {}
    for key, kind, number, part in plan.groups:
        value = row.get(key)
        if value:
            v = value.strip()
            if v:
                out.setdefault((kind, number), {})[part] = v
    return dict(sorted(out.items()))


def _google_record(row: dict[str, str], line: int, plan: _GooglePlan) -> Record:
    given = _full_name(_cells(row, plan.given), _cells(row, plan.middle))
    family = _cells(row, plan.family)
    groups = _groups(row, plan)
    emails = [e for (kind, _), g in groups.items() if kind == "E-mail" for e in split_multi(g.get("Value"))]
    phones = [v for (kind, _), g in groups.items() if kind == "Phone" for v in split_multi(g.get("Value"))]
    org = groups.get(("Organization", 1), {})
    name = _name_or_problem(_full_name(_cells(row, plan.prefix), given, family, _cells(row, plan.suffix))
                            if (given or family) else _cells(row, plan.full),
                            _cells(row, plan.nickname), _cells(row, plan.org_name) or org.get("Name"),
                            *emails[:1], *phones[:1])
    p = Person(name=name, uid=new_uid(), given_name=given, family_name=family,
               nickname=_cells(row, plan.nickname), company=_cells(row, plan.org_name) or org.get("Name"),
               title=_cells(row, plan.org_title) or org.get("Title"), notes=_cells(row, plan.notes),
               emails=emails)
    labels = split_multi(_cells(row, plan.labels))
    p.tags = [t for t in labels if not t.startswith("*")]  # ``* myContacts``, ``* starred`` are Google's own
    rec = Record(p, line)
    bday = _cells(row, plan.birthday)
    if bday:
        p.birthday = lenient(rec, "birthday", bday, parse_birthday)
    extra_dates, relations, custom = [], [], []  # type: ignore[var-annotated]
    for (kind, _number), g in groups.items():
        values = split_multi(g.get("Value"))
        if kind == "Phone":
            p.phones += values
        elif kind == "Website":
            for url in values:
                p.links.append(Link(url, "linkedin" if "linkedin.com" in url.lower() else "website"))
        elif kind == "Address" and not p.location:
            p.location = _full_name(*(v for v in (g.get("City"), g.get("Region"), g.get("Country")) if v)) \
                or g.get("Formatted")
            rec.country = g.get("Country")
        elif kind == "Event":
            label = g.get("Label") or "event"
            for v in values:
                lenient(rec, label.strip("* ").lower(), v, partial(_event, rec, extra_dates, label))
        elif kind == "Relation":
            relations += [{"label": g.get("Label") or "", "value": v} for v in values]
        elif kind == "Custom Field":
            custom += [{"label": g.get("Label") or "", "value": v} for v in values]
    for key, items in (("dates", extra_dates), ("relations", relations), ("custom", custom)):
        if items:
            p.extra[key] = items
    return rec


def _event(rec: Record, extra_dates: list[dict[str, str]], label: str, value: str) -> None:
    """A Google event: a known life event kind (``Moving``) becomes an event, others dated extras."""
    try:
        kind = life.check_kind(label)
    except InvalidInputError:
        kind = None
    if kind:
        rec.events.append(Event(kind, parse_day(value, ("%Y-%m-%d",)), None))
    else:
        b = parse_birthday(value)
        extra_dates.append({"label": label.strip("* ").lower(), "date": b.iso()})


# -- Outlook --------------------------------------------------------------------------------------------
_OUTLOOK_PHONES = ("Mobile Phone", "Primary Phone", "Business Phone", "Business Phone 2", "Home Phone",
                   "Home Phone 2", "Other Phone", "Car Phone", "Company Main Phone")


_PHONE_COLUMN = re.compile(r"phone|mobile|pager|fax", re.I)


def _is_outlook(cells: list[str]) -> bool:
    """Outlook's many CSV variants share the ``E-mail Address`` column (``Action,ID,Name,E-mail Address``
    has no First Name at all)."""
    return "E-mail Address" in cells


def read_outlook(src: Source, known: Known | None = None) -> Iterator[Record]:
    """Outlook.com and Outlook desktop CSV (often cp1252); US dates like ``7/9/1988``."""
    stream, name = open_text(src)
    with stream:
        for line, row in csv_rows(stream, name, _is_outlook, "Outlook contacts"):
            yield keyed_record(line, row_key(*row, *row.values()), known,
                               lambda row=row, line=line: _outlook_record(row, line))  # type: ignore[misc]


def _outlook_date(text: str | None) -> str | None:
    # Outlook desktop writes "0/0/00" for "no date"
    return None if not text or text.startswith("0/0/") else text


def _us_birthday(text: str) -> Birthday:
    return parse_birthday(text, us=True)


def _outlook_record(row: dict[str, str], line: int) -> Record:
    given = _full_name(cell(row, "First Name"), cell(row, "Middle Name"))
    family = cell(row, "Last Name")
    emails = [e for e in (cell(row, k) for k in ("E-mail Address", "E-mail 2 Address", "E-mail 3 Address"))
              if e]
    phones = [v for v in (cell(row, k) for k in _OUTLOOK_PHONES) if v]
    phones += [v.strip() for k, v in row.items()  # variants name them otherwise (``Phone``, ``Pager``)
               if k not in _OUTLOOK_PHONES and v and v.strip() and _PHONE_COLUMN.search(k or "")]
    name = _name_or_problem(_full_name(given, family, cell(row, "Suffix")),
                            cell(row, "Name", "Display Name", "Full Name", "File As"), cell(row, "Nickname"),
                            cell(row, "Company"), *emails[:1], *phones[:1])
    p = Person(name=name, uid=new_uid(), given_name=given, family_name=family, nickname=cell(row, "Nickname"),
               company=cell(row, "Company"), title=cell(row, "Job Title"), notes=cell(row, "Notes"),
               emails=emails, phones=phones)
    rec = Record(p, line, country=cell(row, "Home Country/Region", "Business Country/Region",
                                       "Other Country/Region", "Home Country", "Business Country"))
    p.location = _full_name(*(v for v in (cell(row, "Home City", "Business City"),
                                          cell(row, "Home State", "Business State")) if v))
    for key in ("Web Page", "Personal Web Page"):
        url = cell(row, key)
        if url:
            p.links.append(Link(url, "linkedin" if "linkedin.com" in url.lower() else "website"))
    p.tags = split_multi(cell(row, "Categories"), ";")
    bday = _outlook_date(cell(row, "Birthday"))
    if bday:
        p.birthday = lenient(rec, "birthday", bday, _us_birthday)
    ann = _outlook_date(cell(row, "Anniversary"))
    anniversary = lenient(rec, "anniversary", ann, _us_birthday) if ann else None
    if anniversary:
        p.extra["dates"] = [{"label": "anniversary", "date": anniversary.iso()}]
    spouse = cell(row, "Spouse")
    if spouse:
        p.extra["relations"] = [{"label": "spouse", "value": spouse}]
    return rec
