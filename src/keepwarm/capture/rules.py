"""The capture rules, as tables: which mail is bulk, which address is a robot, which exchange is no
touch, and which action a touch is. ``docs/capture.md`` repeats every table and a test checks each row.

Why tables: the rules are what users argue with ("why was this mail not logged?"), so each one is a row
with a reason a report can quote, not a condition buried in a loop.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from keepwarm.capture import CALENDAR, LINKEDIN, MAIL, Contact, Party

MAX_PEOPLE = 10  # default of the ``capture_max_people`` setting

# -- bulk mail: (header, test on its lower-cased value, reason) ------------------------------------------
BULK_HEADERS: tuple[tuple[str, Callable[[str], bool], str], ...] = (
    ("List-Unsubscribe", lambda v: True, "List-Unsubscribe"),
    ("List-Id", lambda v: True, "List-Id"),
    ("Precedence", lambda v: v in ("bulk", "list", "junk"), "Precedence"),
    ("Auto-Submitted", lambda v: v != "no", "Auto-Submitted"),
)
BULK_NAMES = tuple(h for h, _, _ in BULK_HEADERS)


def bulk_reason(headers: Mapping[str, str | None]) -> str | None:
    """The header that makes a mail bulk (a list, a newsletter, an auto-reply), else None."""
    for name, test, reason in BULK_HEADERS:
        value = headers.get(name)
        if value is not None and test(value.strip().lower()):
            return reason
    return None


# -- role and robot addresses: the local part (before @), after dropping "+tag" -------------------------
ROBOT_LOCAL_PARTS = frozenset({
    "noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "do_not_reply", "notifications",
    "notification", "notify", "mailer-daemon", "postmaster", "bounce", "bounces", "daemon", "alerts",
    "alert", "newsletter", "news", "info", "support", "help", "sales", "billing", "invoice", "invoices",
    "admin", "team", "contact", "hello", "marketing", "press", "jobs", "careers", "hr", "security",
    "webmaster", "hostmaster", "abuse", "calendar-notification", "calendar-server", "updates", "digest",
})
ROBOT_PREFIXES = ("noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "bounce", "mailer-daemon",
                  "notification")


def is_robot(address: str | None) -> bool:
    """A role or robot address (noreply@, notifications@, mailer-daemon@, info@…): never a person."""
    if not address or "@" not in address:
        return False
    local = address.split("@", 1)[0].lower().split("+", 1)[0]
    return local in ROBOT_LOCAL_PARTS or local.startswith(ROBOT_PREFIXES)


# -- conference links: a meeting with one of these is a video call -------------------------------------
VIDEO_HOSTS = ("meet.google.com", "zoom.us", "teams.microsoft.com", "teams.live.com", "whereby.com",
               "webex.com")
_VIDEO = re.compile("|".join(re.escape(h) for h in VIDEO_HOSTS), re.I)


def has_video_link(*texts: str | None) -> bool:
    """Whether any text (location, description, conference property) holds a conference link."""
    return any(t and _VIDEO.search(t) for t in texts)


# -- LinkedIn profile slugs ----------------------------------------------------------------------------
_SLUG = re.compile(r"linkedin\.com/in/([^/?#\s,]+)", re.I)


def linkedin_slug(url: str | None) -> str | None:
    """``/in/<slug>`` of a profile URL, with or without scheme, www or trailing slash, lower-cased."""
    if not url:
        return None
    m = _SLUG.search(url)
    if not m:
        return None
    from urllib.parse import unquote

    return unquote(m.group(1)).strip().lower() or None


# -- what action a touch is: (source, kind, direction) -> action ---------------------------------------
ACTIONS: dict[tuple[str, str, str], str] = {
    (MAIL, "mail", "me"): "message",
    (MAIL, "mail", "them"): "message",
    (CALENDAR, "meeting", "me"): "coffee",
    (CALENDAR, "meeting", "them"): "coffee",
    (CALENDAR, "video", "me"): "video",
    (CALENDAR, "video", "them"): "video",
    (LINKEDIN, "message", "me"): "message",
    (LINKEDIN, "message", "them"): "message",
    (LINKEDIN, "invitation", "me"): "message",
    (LINKEDIN, "invitation", "them"): "message",
    (LINKEDIN, "endorsement", "me"): "comment",  # a small give, like-weight
    (LINKEDIN, "endorsement", "them"): "like",  # a small favour: noted, no thank-you owed
    (LINKEDIN, "recommendation", "me"): "intro",  # a big give, intro-weight
    (LINKEDIN, "recommendation", "them"): "received",  # a favour received: a thank-you is owed
}

# -- why an exchange is no touch, in the order the rules are checked ------------------------------------
SKIPS: dict[str, str] = {
    "future": "in the future",
    "bulk": "bulk mail ({detail})",
    "cancelled": "cancelled event",
    "draft": "a draft",
    "status": "{detail} on LinkedIn",
    "unreadable": "unreadable: {detail}",
    "declined": "an event I declined",
    "self": "between my own addresses",
    "robot": "from a role or robot address",
    "crowd": "more than {detail} other people",
    "nobody": "no other person in it",
}


@dataclass(frozen=True)
class Me:
    """Who I am: my email addresses and aliases, and my LinkedIn slugs."""

    emails: frozenset[str] = frozenset()
    slugs: frozenset[str] = frozenset()

    def is_me(self, p: Party | None) -> bool:
        return p is not None and ((p.address in self.emails) or (p.slug is not None and p.slug in self.slugs))


@dataclass(frozen=True)
class Decision:
    """A touch to log (action, who started it, with whom) or the reason there is none."""

    action: str | None = None
    initiated_by: str = "me"
    people: tuple[Party, ...] = ()
    skip: str | None = None


def _skip(code: str, detail: object = "") -> Decision:
    return Decision(skip=SKIPS[code].format(detail=detail))


def _is_person(p: Party) -> bool:
    return (p.cutype or "INDIVIDUAL").upper() in ("INDIVIDUAL", "UNKNOWN") and not is_robot(p.address)


def decide(c: Contact, me: Me, today: date, max_people: int = MAX_PEOPLE) -> Decision:
    """Apply the rules to one record: the touch it is, or why it is none."""
    if c.on > today:
        return _skip("future")
    for flag in c.flags:
        code, _, detail = flag.partition(":")
        if code in SKIPS:
            return _skip(code, detail.strip())
    everyone = ((c.sender,) if c.sender else ()) + c.others
    if any(me.is_me(p) and (p.partstat or "").upper() == "DECLINED" for p in everyone):
        return _skip("declined")
    direction = c.direction or ("me" if me.is_me(c.sender) or c.sender is None else "them")
    strangers = [p for p in everyone if not me.is_me(p)]
    if c.source == MAIL and not strangers:
        return _skip("self")
    if direction == "them" and c.sender is not None and not _is_person(c.sender):
        return _skip("robot")
    if len([p for p in strangers if (p.cutype or "INDIVIDUAL").upper() == "INDIVIDUAL"]) > max_people:
        return _skip("crowd", max_people)
    if c.source in (MAIL, LINKEDIN) and direction == "them":
        people = [c.sender] if c.sender else []  # they wrote: the touch is with the writer, not the Cc
    else:
        people = strangers
    # someone who declined did not come: no touch with them (they still count toward the limit: invited)
    people = [p for p in dict.fromkeys(people) if _is_person(p) and (p.partstat or "").upper() != "DECLINED"]
    if not people:
        return _skip("nobody")
    kind = "video" if c.kind == "meeting" and c.video else c.kind
    return Decision(ACTIONS[(c.source, kind, direction)], direction, tuple(people))
