"""Reading meetings from CalDAV calendars, incrementally.

Per calendar the state keeps the sync token (RFC 6578) or, from a server without one, the ETag of every
event; only events new or changed since are fetched. A moved occurrence keeps its UID and recurrence id, so
it is the same meeting to ``capture_seen``.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from keepwarm.sync.dav import Dav
from keepwarm.sync.errors import SyncError
from keepwarm.sync.records import Attendee, Meeting, parse_calendar, recurs_after
from keepwarm.sync.registry import Source


def _revive(d: dict[str, Any]) -> Meeting:
    return Meeting(**{**d, "start": date.fromisoformat(d["start"]),
                      "attendees": [Attendee(**a) for a in d["attendees"]]})


def read_caldav(src: Source, today: date) -> tuple[list[Meeting], dict[str, Any]]:
    """Every meeting new or changed since the last sync, plus those kept waiting that have now happened;
    and the state to keep once they are stored (with the meetings still to come, so a meeting that
    never changes again still counts once its day has passed)."""
    cfg = src.config
    old: dict[str, Any] = dict(src.state.get("calendars") or {})
    new: dict[str, Any] = {}
    pending: dict[str, dict[str, Any]] = dict(src.state.get("pending") or {})
    series: dict[str, dict[str, Any]] = dict(src.state.get("series") or {})
    meetings: list[Meeting] = []
    got_all: dict[str, Any] = {}
    with Dav(src.name, cfg["url"], cfg["user"], src.password) as dav:
        for cal in dav.collections("cal"):
            before = old.get(cal) or {}
            ch = dav.changes(cal, before.get("token"))
            etags = dict(before.get("etags") or {}) if not ch.complete else {}
            wanted = [h for h, e in ch.changed if (before.get("etags") or {}).get(h) != e or ch.token]
            got = dav.multiget(cal, wanted, "cal")
            got_all.update(got)
            gone = set(ch.deleted) | set(got)
            pending = {k: v for k, v in pending.items() if v["href"] not in gone}  # newer news replaces it
            series = {k: v for k, v in series.items() if k not in gone}
            for href, (_etag, text) in got.items():
                try:
                    found = parse_calendar(text, until=today)
                    if recurs_after(text, today):
                        series[href] = {"text": text, "through": today.isoformat()}
                except ValueError as exc:
                    raise SyncError(f"source {src.name!r}: {href}: not a calendar object ({exc}); "
                                    f"nothing was stored") from None
                for m in found:
                    if m.start > today:
                        pending[m.key] = {**asdict(m), "start": m.start.isoformat(), "href": href}
                    else:
                        meetings.append(m)
            if ch.token:
                new[cal] = {"token": ch.token}
            else:
                etags.update(dict(ch.changed))
                for h in ch.deleted:
                    etags.pop(h, None)
                new[cal] = {"etags": etags}
    meetings += _series_due(series, today, set(got_all))
    due = [k for k, v in pending.items() if date.fromisoformat(v["start"]) <= today]
    meetings += [_revive({f: v for f, v in pending.pop(k).items() if f != "href"}) for k in due]
    return meetings, {**src.state, "calendars": new, "pending": pending, "series": series}


def _series_due(series: dict[str, dict[str, Any]], today: date, fresh: set[str]) -> list[Meeting]:
    """The occurrences of unchanged recurring meetings that happened since the last sync; a series with
    nothing left to come is let go."""
    out: list[Meeting] = []
    for href in [h for h in series if h not in fresh]:
        s = series[href]
        through = date.fromisoformat(s["through"])
        if through >= today:
            continue
        since = date.fromordinal(through.toordinal() + 1)
        out += [m for m in parse_calendar(s["text"], since=since, until=today) if since <= m.start <= today]
        if recurs_after(s["text"], today):
            series[href] = {**s, "through": today.isoformat()}
        else:
            del series[href]
    return out
