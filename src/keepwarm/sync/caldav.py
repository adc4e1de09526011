"""Reading meetings from CalDAV calendars, incrementally.

Per calendar the state keeps the sync token (RFC 6578) or, from a server without one, the ETag of every
event; only events new or changed since are fetched. Each calendar object goes through the same reader as
an .ics file (:func:`keepwarm.capture.calendar.parse_ics`), so an occurrence has the same key (UID and
recurrence id) whether it came from an export or from the server, and a moved occurrence stays the same
meeting to ``capture_seen``.

An object with something still to come (a meeting next week, a series that goes on) is kept ``waiting``
in the state and read again on later syncs, so its occurrences count once their day has passed even if
the server never reports the object as changed again.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import islice
from typing import Any

from keepwarm.capture import Contact
from keepwarm.capture.calendar import parse_ics
from keepwarm.errors import FormatError
from keepwarm.sync.dav import Dav
from keepwarm.sync.errors import SyncError
from keepwarm.sync.registry import Source

_OLD_STATE = ("pending", "series")  # the waiting meetings' keys before they became ``waiting``


def read_caldav(src: Source, today: date) -> tuple[list[Contact], dict[str, Any]]:
    """Every occurrence up to today of the objects new or changed since the last sync, plus those of
    waiting objects that happened since; and the state to keep once they are stored."""
    cfg = src.config
    old: dict[str, Any] = dict(src.state.get("calendars") or {})
    new: dict[str, Any] = {}
    waiting: dict[str, dict[str, Any]] = dict(src.state.get("waiting") or {})
    records: list[Contact] = []
    fresh: set[str] = set()
    with Dav(src.name, cfg["url"], cfg["user"], src.password) as dav:
        for cal in dav.collections("cal"):
            before = old.get(cal) or {}
            ch = dav.changes(cal, before.get("token"))
            etags = dict(before.get("etags") or {}) if not ch.complete else {}
            wanted = [h for h, e in ch.changed if (before.get("etags") or {}).get(h) != e or ch.token]
            got = dav.multiget(cal, wanted, "cal")
            fresh |= set(got)
            for href in set(ch.deleted) | set(got):
                waiting.pop(href, None)  # newer news replaces it
            for href, (_etag, text) in got.items():
                found, later = _read(src.name, href, text, today)
                records += found
                if later:
                    waiting[href] = {"text": text, "through": today.isoformat()}
            if ch.token:
                new[cal] = {"token": ch.token}
            else:
                etags.update(dict(ch.changed))
                for h in ch.deleted:
                    etags.pop(h, None)
                new[cal] = {"etags": etags}
    records += _waiting_due(src.name, waiting, today, fresh)
    kept = {k: v for k, v in src.state.items() if k not in _OLD_STATE}
    return records, {**kept, "calendars": new, "waiting": waiting}


def _read(name: str, href: str, text: str, today: date) -> tuple[list[Contact], bool]:
    """The object's occurrences up to today, and whether it has one after today."""
    import icalendar
    import recurring_ical_events

    data = text.encode()
    try:
        found = list(parse_ics(data, href, today))
        cal = icalendar.Calendar.from_ical(data.removeprefix(b"\xef\xbb\xbf"))
        later = any(True for _ in islice(recurring_ical_events.of(cal).after(today + timedelta(days=1)), 1))
    except FormatError as exc:
        raise SyncError(f"source {name!r}: {href}: not a calendar object ({exc.reason}); "
                        f"nothing was stored") from None
    except Exception as exc:  # noqa: BLE001 (icalendar raises ValueError, KeyError, TypeError...)
        raise SyncError(f"source {name!r}: {href}: not a calendar object ({exc}); "
                        f"nothing was stored") from None
    return found, later


def _waiting_due(name: str, waiting: dict[str, dict[str, Any]], today: date, fresh: set[str]
                 ) -> list[Contact]:
    """The occurrences of unchanged waiting objects that happened since they were last read; an object
    with nothing left to come is let go."""
    out: list[Contact] = []
    for href in [h for h in waiting if h not in fresh]:
        w = waiting[href]
        through = date.fromisoformat(w["through"])
        if through >= today:
            continue
        found, later = _read(name, href, w["text"], today)
        out += [c for c in found if c.on > through]
        if later:
            waiting[href] = {**w, "through": today.isoformat()}
        else:
            del waiting[href]
    return out
