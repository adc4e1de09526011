"""Mail headers and calendar objects as records: odd input gives a record or nothing, never a crash."""

from __future__ import annotations

from datetime import date

from keepwarm.sync.records import parse_calendar, parse_header


def test_a_header_block_becomes_a_mail_record():
    h = parse_header(b"From: \"Lee, Ann\" <Ann@Example.com>\r\nTo: a@x.example, B <b@x.example>\r\n"
                     b"Cc: c@x.example\r\nMessage-ID: <abc@x>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0100\r\n"
                     b"Subject: =?utf-8?q?caf=C3=A9?=\r\n\r\n", "INBOX", "fallback")
    assert (h.message_id, h.sender) == ("abc@x", "ann@example.com")
    assert (h.to, h.cc) == (["a@x.example", "b@x.example"], ["c@x.example"])
    assert h.date is not None and h.date.date() == date(2026, 11, 23)
    assert h.subject == "café" and not h.bulk


def test_bulk_mail_is_told_by_its_headers():
    assert parse_header(b"From: a@x\r\nList-Unsubscribe: <mailto:u@x>\r\n\r\n", "INBOX", "f").bulk
    assert parse_header(b"From: a@x\r\nAuto-Submitted: auto-generated\r\n\r\n", "INBOX", "f").bulk
    assert not parse_header(b"From: a@x\r\nAuto-Submitted: no\r\n\r\n", "INBOX", "f").bulk


def test_a_message_with_broken_headers_still_gives_a_record():
    h = parse_header(b"From: \r\nDate: yesterday-ish\r\n\r\n", "INBOX", "sha1:1")
    assert (h.message_id, h.sender, h.date) == ("sha1:1", None, None)


def test_a_moved_occurrence_keeps_its_series_uid_and_gets_its_own_key():
    text = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:s1\r\nDTSTART;VALUE=DATE:20261102\r\n"
            "RRULE:FREQ=WEEKLY\r\nATTENDEE;CUTYPE=ROOM:mailto:room@x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:s1\r\n"
            "RECURRENCE-ID;VALUE=DATE:20261109\r\nDTSTART;VALUE=DATE:20261110\r\n"
            "ATTENDEE;PARTSTAT=DECLINED:MAILTO:Bob@X\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    series, moved = parse_calendar(text)
    assert series.key == "s1|" and moved.key == "s1|20261109" and moved.start == date(2026, 11, 10)
    assert series.attendees[0].cutype == "ROOM"
    assert (moved.attendees[0].email, moved.attendees[0].partstat) == ("bob@x", "DECLINED")
