"""People: the contacts of a network, their names, ways to reach them and what they care about."""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from keepwarm.core.birthdays import Birthday
from keepwarm.errors import InvalidInputError

MAX_NAME = 200
MAX_TEXT = 10_000
# zero-width (non-)joiners are text: emoji sequences (🏳️‍🌈) and Persian or Indic words need them
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u2028\u2029\u2060-\u2065"
                      r"\u206a-\u206f\ufeff]")
# bidi embeddings, overrides and isolates (Android wraps pasted text in them): dropped, never refused
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# letters that NFKD does not split into a base letter and an accent
_FOLD_EXTRA = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "æ": "ae",
                             "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th", "ı": "i", "ß": "ss"})
_SPACES = re.compile(r"\s+")
_LINKEDIN_HOST = re.compile(r"^https?://([a-z]{2,3}\.)?linkedin\.com", re.I)


@dataclass
class Link:
    """A web address for a person, with a kind such as ``linkedin`` or ``website``."""

    url: str
    kind: str = "website"


@dataclass
class Person:
    """A contact. Lists are kept in the order the user gave them; the first email is the primary one."""

    name: str
    id: int | None = None
    uid: str = field(default_factory=lambda: str(uuid.uuid4()))
    given_name: str | None = None
    family_name: str | None = None
    nickname: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    company: str | None = None
    title: str | None = None
    location: str | None = None
    how_met: str | None = None
    met_on: date | None = None
    birthday: Birthday | None = None
    interests: list[str] = field(default_factory=list)
    circle: str | None = None
    every_days: int | None = None
    tags: list[str] = field(default_factory=list)
    notes: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def first_name(self) -> str:
        """What to call them in a message: nickname, given name, or the first word of the name."""
        return call_name(self.name, self.given_name, self.nickname)

    @property
    def linkedin(self) -> str | None:
        """The LinkedIn profile URL, when known."""
        return next((link.url for link in self.links if link.kind == "linkedin"), None)


def call_name(name: str, given: str | None = None, nickname: str | None = None) -> str:
    """What to call someone: their nickname, given name, or the first word of their name."""
    return nickname or given or name.split()[0]


def clean_text(value: str | None, what: str, *, limit: int = MAX_TEXT, multiline: bool = False) -> str | None:
    """Strip a user-given text; refuse control characters and overlong values. Empty becomes None."""
    if value is None:
        return None
    if value.isprintable():
        # the usual case, checked in C: a printable string has no control, format or line-breaking
        # characters (every character _CONTROL refuses) and no lone surrogates
        text = value.strip()
        if len(text) > limit:
            raise InvalidInputError(f"{what} is {len(text)} characters long; at most {limit} are allowed")
        return text or None
    text = _BIDI.sub("", value.replace("\r\n", "\n")).strip()
    if not multiline and "\n" in text:
        text = _SPACES.sub(" ", text)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInputError(f"{what} is not valid text (check the terminal's encoding)") from None
    if _CONTROL.search(text.replace("\t", " ") if multiline else text):
        raise InvalidInputError(f"{what} contains control characters")
    if len(text) > limit:
        raise InvalidInputError(f"{what} is {len(text)} characters long; at most {limit} are allowed")
    return text or None


def clean_name(value: str) -> str:
    """A display name: one line, 1 to 200 characters, no control characters."""
    name = clean_text(value, "name", limit=MAX_NAME)
    if not name:
        raise InvalidInputError("a person needs a name")
    return name


def normalize_email(value: str) -> str:
    """Validate an email address (syntax only, no DNS) and return its normalised form."""
    from email_validator import EmailNotValidError, validate_email

    raw = value.strip()
    try:
        info = validate_email(raw, check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidInputError(f"not a valid email address: {raw!r} ({exc})") from None
    return info.normalized.lower()


@lru_cache(maxsize=1 << 14)  # an import meets the same office numbers again and again; parsing is slow
def normalize_phone(value: str, region: str = "US") -> str:
    """Parse a phone number and return it in E.164 (``+12075550142``)."""
    import phonenumbers

    raw = value.strip()
    try:
        num = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise InvalidInputError(f"not a phone number: {raw!r}") from None
    if not phonenumbers.is_possible_number(num):
        raise InvalidInputError(f"not a possible phone number: {raw!r}")
    return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)


_STORED_PHONE = re.compile(r"^\+[0-9]{6,15}(?:;ext=[0-9]+)?[,;0-9#*]*$")


def _has_suffix(phone: str) -> bool:
    """An international number with an extension or pause digits (``+12075550142;ext=102``), as imports
    store it: already normalised, and phonenumbers would drop the suffix."""
    return not phone[1:].isdigit() and _STORED_PHONE.match(phone) is not None


def normalize_url(value: str) -> str:
    """A web address with a scheme; LinkedIn profile URLs lose their trailing slash and query."""
    url = value.strip()
    # isprintable() (checked in C) rules out every character _CONTROL refuses, as in clean_text
    if not url or " " in url or (not url.isprintable() and _CONTROL.search(url)):
        raise InvalidInputError(f"not a web address: {value!r}")
    if "://" not in url:
        url = "https://" + url
    if "linkedin.com/" in url.lower():
        url = url.split("?")[0].rstrip("/")
        url = _LINKEDIN_HOST.sub("https://www.linkedin.com", url)
    return url


def link_kind(url: str) -> str:
    """Guess a link's kind from its address."""
    lowered = url.lower()
    for marker, kind in (("linkedin.com", "linkedin"), ("github.com", "github"),
                         ("twitter.com", "twitter"), ("x.com/", "twitter"), ("mastodon", "mastodon")):
        if marker in lowered:
            return kind
    return "website"


@lru_cache(maxsize=1 << 16)  # merges fold the same tags and names over and over
def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced text for matching names (``José Núñez`` → ``jose nunez``)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_EXTRA))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", plain.casefold()).strip()


def split_name(name: str) -> tuple[str | None, str | None]:
    """A best guess at (given, family) from a display name."""
    parts = name.split()
    if len(parts) < 2:
        return (parts[0] if parts else None), None
    return " ".join(parts[:-1]), parts[-1]


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def clean_label(value: str, what: str) -> str:
    """A tag, interest or circle name: one line, at most 100 characters."""
    label = clean_text(value, what, limit=100)
    if not label:
        raise InvalidInputError(f"an empty {what} is not allowed")
    return label


# the optional one-line texts of a person: (attribute, its name in messages, longest allowed)
_TEXTS = tuple((attr, attr.replace("_", " "), limit) for attr, limit in (
    ("given_name", MAX_NAME), ("family_name", MAX_NAME), ("nickname", MAX_NAME), ("company", MAX_NAME),
    ("title", MAX_NAME), ("location", MAX_NAME), ("how_met", 1000)))


def validate(person: Person, region: str = "US", today: date | None = None) -> Person:
    """Normalise and check every field of ``person`` in place; raise InvalidInputError on bad input.

    With ``today``, a birthday year after it is refused too.
    """
    # (an import validates every row: empty fields and lists are skipped without a call)
    values = person.__dict__
    person.name = clean_name(person.name)
    for attr, what, limit in _TEXTS:
        v = values[attr]
        if v is None:
            continue
        if v.__class__ is str and len(v) <= limit and v.isprintable():
            values[attr] = v.strip() or None  # clean_text's usual case, without the call
        else:
            values[attr] = clean_text(v, what, limit=limit)
    if person.given_name is None and person.family_name is None:
        person.given_name, person.family_name = split_name(person.name)
    if person.notes is not None:
        person.notes = clean_text(person.notes, "notes", multiline=True)
    # values an import kept as written (extra["unverified"]) stay as they are: editing someone's company
    # must not fail on the vanity number their phone gave; a value typed now is checked
    kept = {m.get("value") for m in person.extra.get("unverified") or () if isinstance(m, dict)} \
        if person.extra else set()
    if person.emails:
        person.emails = _unique([e if e in kept else normalize_email(e) for e in person.emails])
    if person.phones:
        person.phones = _unique([p if p in kept or _has_suffix(p) else normalize_phone(p, region)
                                 for p in person.phones])
    if person.links:
        seen: set[str] = set()
        links = []
        for link in person.links:
            url = normalize_url(link.url)
            if url not in seen:
                seen.add(url)
                links.append(Link(url, link.kind if link.kind != "website" else link_kind(url)))
        person.links = links
    if person.tags:
        person.tags = _unique([clean_label(t, "tag") for t in person.tags])
    if person.interests:
        person.interests = _unique([clean_label(t, "interest") for t in person.interests])
    if person.circle is not None:
        person.circle = clean_label(person.circle, "circle").lower()
    if today and person.birthday and person.birthday.year and person.birthday.year > today.year:
        raise InvalidInputError(f"a birthday in {person.birthday.year} has not happened yet")
    if person.every_days is not None and person.every_days <= 0:
        raise InvalidInputError("a keep-in-touch rhythm must be a positive number of days")
    return person


def intro_signal(person: Person, today: date) -> int:
    """How strongly a never-touched person asks to be introduced into the agenda (higher first).

    Fresh imports can bring hundreds of people at once; they enter the agenda a few a day, those with the
    most to go on first: a way to reach them, shared interests, a known birthday, a note, a recent meeting.
    """
    score = 0
    score += 30 if person.emails or person.phones else 0
    score += 10 * min(len(person.interests), 3)
    score += 10 if person.birthday else 0
    score += 10 if person.notes else 0
    score += 10 if person.how_met and person.how_met.lower() != "linkedin" else 0
    score += 5 if person.company or person.title else 0
    score += 20 if person.circle in {"inner", "close"} else 0
    if person.met_on:
        score += max(0, 20 - max(today.year - person.met_on.year, 0) * 4)
    return score


def to_dict(person: Person) -> dict[str, Any]:
    """A JSON-ready dict of every field (dates as ISO strings)."""
    return {
        "id": person.id, "uid": person.uid, "name": person.name, "given_name": person.given_name,
        "family_name": person.family_name, "nickname": person.nickname, "emails": list(person.emails),
        "phones": list(person.phones), "links": [{"url": k.url, "kind": k.kind} for k in person.links],
        "company": person.company, "title": person.title, "location": person.location,
        "how_met": person.how_met, "met_on": person.met_on.isoformat() if person.met_on else None,
        "birthday": person.birthday.iso() if person.birthday else None,
        "interests": list(person.interests), "circle": person.circle, "every_days": person.every_days,
        "tags": list(person.tags), "notes": person.notes, "extra": dict(person.extra),
    }


def from_dict(data: dict[str, Any]) -> Person:
    """The inverse of :func:`to_dict`; unknown keys are refused."""
    known = set(Person.__dataclass_fields__)
    unknown = set(data) - known
    if unknown:
        raise InvalidInputError(f"unknown person fields: {', '.join(sorted(unknown))}")
    values = dict(data)
    try:
        values["links"] = [Link(**k) for k in values.get("links") or []]
        if values.get("met_on"):
            values["met_on"] = date.fromisoformat(values["met_on"])
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"{data.get('name', 'a person')}: {exc}") from None
    if values.get("birthday"):
        values["birthday"] = Birthday.parse(values["birthday"])
    if "uid" in values and not values["uid"]:
        del values["uid"]
    return Person(**values)
