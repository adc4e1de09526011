"""Reading meetings from CalDAV calendars, incrementally.

Per calendar the state keeps the sync token (RFC 6578) or, from a server without one, the ETag of every
event; only events new or changed since are fetched. A moved occurrence keeps its UID and recurrence id, so
it is the same meeting to ``capture_seen``.
"""

from __future__ import annotations

from typing import Any

from keepwarm.sync.dav import Dav
from keepwarm.sync.errors import SyncError
from keepwarm.sync.records import Meeting, parse_calendar
from keepwarm.sync.registry import Source


def read_caldav(src: Source) -> tuple[list[Meeting], dict[str, Any]]:
    """Every meeting new or changed since the last sync, and the state to keep once they are stored."""
    cfg = src.config
    old: dict[str, Any] = dict(src.state.get("calendars") or {})
    new: dict[str, Any] = {}
    meetings: list[Meeting] = []
    with Dav(src.name, cfg["url"], cfg["user"], src.password) as dav:
        for cal in dav.collections("cal"):
            before = old.get(cal) or {}
            ch = dav.changes(cal, before.get("token"))
            etags = dict(before.get("etags") or {}) if not ch.complete else {}
            wanted = [h for h, e in ch.changed if (before.get("etags") or {}).get(h) != e or ch.token]
            got = dav.multiget(cal, wanted, "cal")
            for href, (_etag, text) in got.items():
                try:
                    meetings += parse_calendar(text)
                except ValueError as exc:
                    raise SyncError(f"source {src.name!r}: {href}: not a calendar object ({exc}); "
                                    f"nothing was stored") from None
            if ch.token:
                new[cal] = {"token": ch.token}
            else:
                etags.update(dict(ch.changed))
                for h in ch.deleted:
                    etags.pop(h, None)
                new[cal] = {"etags": etags}
    return meetings, {**src.state, "calendars": new}
