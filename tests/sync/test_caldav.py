"""CalDAV sources against a real Radicale on loopback; events are written by raw HTTP PUT."""

from __future__ import annotations

from typing import Any

import httpx
from syncservers import PASSWORD, USER, make_collection


def _event(uid: str, day: str, *attendees: str, status: str = "CONFIRMED", rid: str | None = None) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//phone//EN", "BEGIN:VEVENT", f"UID:{uid}",
             "DTSTAMP:20261101T000000Z", f"DTSTART:{day}T100000Z", f"DTEND:{day}T110000Z",
             "SUMMARY:Catch-up", f"STATUS:{status}", f"ORGANIZER:mailto:{USER}"]
    if rid:
        lines.append(f"RECURRENCE-ID:{rid}")
    lines += [f"ATTENDEE;{params}:mailto:{email}" for email, params in
              (a.split(" ", 1) if " " in a else (a, "PARTSTAT=ACCEPTED") for a in attendees)]
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(lines) + "\r\n"


def _put(cal: str, name: str, text: str) -> None:
    r = httpx.put(cal + name, content=text, auth=(USER, PASSWORD), headers={"Content-Type": "text/calendar"})
    assert r.status_code in (201, 204), r.text


def _days(make_store: Any, name: str) -> list[str]:
    with make_store() as store:
        pid = store.people.resolve(name).id
        return [t.on_date.isoformat() for t in store.touches.of_person(pid)]


def test_meetings_become_touches_once_and_a_second_sync_reads_nothing(cli, make_store, dav_base):
    for name, email in (("Ann Lee", "ann@example.com"), ("Bob Roe", "bob@example.com"),
                        ("Cy Day", "cy@example.com")):
        assert cli("add", name, "--email", email).code == 0
    cal = make_collection(dav_base, "work", "cal")
    _put(cal, "a.ics", _event("a", "20261118", "ann@example.com", "bob@example.com PARTSTAT=DECLINED",
                              "room1@example.com CUTYPE=ROOM"))
    _put(cal, "b.ics", _event("b", "20261119", "cy@example.com", status="CANCELLED"))
    _put(cal, "c.ics", _event("c", "20261203", "ann@example.com"))  # still to come
    assert cli("sources", "add", "caldav", "cal", "--url", f"{dav_base}/{USER}/", "--user", USER).code == 0

    first = cli("sync", "--json")
    assert first.code == 0, first.err
    assert first.json()[0]["touches"] == 1
    assert _days(make_store, "Ann Lee") == ["2026-11-18"]
    assert _days(make_store, "Bob Roe") == [] and _days(make_store, "Cy Day") == []

    second = cli("sync", "--json").json()[0]
    assert second["read"] == 0 and second["touches"] == 0

    _put(cal, "a.ics", _event("a", "20261118", "ann@example.com", "bob@example.com"))  # Bob now came
    third = cli("sync", "--json").json()[0]
    assert third["read"] == 1 and third["seen_before"] == 1  # the same meeting: nothing added twice
    assert _days(make_store, "Ann Lee") == ["2026-11-18"]
    assert _days(make_store, "Bob Roe") == ["2026-11-18"]  # capture_seen is per meeting and person


def test_a_meeting_still_to_come_counts_once_its_day_has_passed_even_unchanged(cli, make_store, dav_base):
    assert cli("add", "Ann Lee", "--email", "ann@example.com").code == 0
    cal = make_collection(dav_base, "work", "cal")
    _put(cal, "c.ics", _event("c", "20261203", "ann@example.com"))
    assert cli("sources", "add", "caldav", "cal", "--url", cal, "--user", USER).code == 0
    assert cli("sync").code == 0 and _days(make_store, "Ann Lee") == []
    assert cli("sync", today="2026-12-02").code == 0 and _days(make_store, "Ann Lee") == []
    assert cli("sync", today="2026-12-05").code == 0
    assert _days(make_store, "Ann Lee") == ["2026-12-03"]
    assert cli("sync", today="2026-12-06").code == 0 and _days(make_store, "Ann Lee") == ["2026-12-03"]


def test_a_future_meeting_moved_into_the_past_counts_on_its_new_day(cli, make_store, dav_base):
    assert cli("add", "Ann Lee", "--email", "ann@example.com").code == 0
    cal = make_collection(dav_base, "work", "cal")
    _put(cal, "c.ics", _event("c", "20261203", "ann@example.com"))
    assert cli("sources", "add", "caldav", "cal", "--url", cal, "--user", USER).code == 0
    assert cli("sync").code == 0 and _days(make_store, "Ann Lee") == []
    _put(cal, "c.ics", _event("c", "20261124", "ann@example.com"))  # moved earlier, now past
    assert cli("sync").code == 0
    assert _days(make_store, "Ann Lee") == ["2026-11-24"]


def test_a_weekly_meeting_counts_each_week_it_happened_and_a_moved_one_on_its_new_day(cli, make_store,
                                                                                      dav_base):
    assert cli("add", "Ann Lee", "--email", "ann@example.com").code == 0
    series = _event("w", "20261102", "ann@example.com").replace(
        "SUMMARY:Catch-up", "SUMMARY:Weekly\r\nRRULE:FREQ=WEEKLY;COUNT=6\r\nEXDATE:20261116T100000Z")
    moved = _event("w", "20261110", "ann@example.com", rid="20261109T100000Z")
    text = series.replace("END:VCALENDAR\r\n", "") + moved.split("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
                                                                 "PRODID:-//phone//EN\r\n")[1]
    cal = make_collection(dav_base, "work", "cal")
    _put(cal, "w.ics", text)
    assert cli("sources", "add", "caldav", "cal", "--url", cal, "--user", USER).code == 0

    assert cli("sync").code == 0  # on 2026-11-25: the 2nd, the 10th (moved from the 9th), the 23rd
    assert _days(make_store, "Ann Lee") == ["2026-11-23", "2026-11-10", "2026-11-02"]
    assert cli("sync", today="2026-12-01").code == 0  # the 30th happened since, unchanged on the server
    assert _days(make_store, "Ann Lee")[0] == "2026-11-30"
    assert cli("sync", today="2026-12-20").code == 0  # the 7th was the last one
    assert _days(make_store, "Ann Lee")[:2] == ["2026-12-07", "2026-11-30"]
    with make_store() as store:
        from sqlalchemy import select

        from keepwarm.store.models.capture import SourceRow

        assert store.session.scalar(select(SourceRow.state))["waiting"] == {}  # nothing left to come
