"""The capture rules: each table in keepwarm.capture.rules, the same table in docs/capture.md, one test
per row."""

import re
from datetime import date
from pathlib import Path

import pytest

from keepwarm.capture import CALENDAR, LINKEDIN, MAIL, Contact, Party, rules

DOC = (Path(__file__).resolve().parents[2] / "docs" / "capture.md").read_text()
TODAY = date(2026, 11, 25)
ME = rules.Me(frozenset({"me@example.com", "me@alias.org"}), frozenset({"me-myself"}))
MINE = Party(address="me@example.com")
ALICE = Party(address="alice@acme.com", name="Alice")


def table(heading: str) -> list[list[str]]:
    """The rows (cells stripped of backticks) of the first table under ``## heading``."""
    section = DOC.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    first = next(ln for ln in section.splitlines() if ln.startswith("|"))
    return _tables_after(first)


def mail(**kw) -> Contact:
    base = {"source": MAIL, "key": "k", "on": date(2026, 11, 2), "kind": "mail", "sender": MINE,
            "others": (ALICE,)}
    return Contact(**(base | kw))


# -- bulk headers ---------------------------------------------------------------------------------------
BULK_CASES = {
    "List-Unsubscribe": ({"List-Unsubscribe": "<mailto:x@y>"}, None),
    "List-Id": ({"List-Id": "<dev.example.net>"}, None),
    "Precedence": ({"Precedence": "Bulk"}, {"Precedence": "first-class"}),
    "Auto-Submitted": ({"Auto-Submitted": "auto-replied"}, {"Auto-Submitted": "no"}),
}


def test_the_bulk_table_in_the_docs_is_the_table_in_the_code():
    assert [r[0] for r in table("Bulk mail")] == list(rules.BULK_NAMES) == list(BULK_CASES)


@pytest.mark.parametrize("header", list(BULK_CASES))
def test_each_bulk_header_makes_a_mail_bulk_and_its_harmless_values_do_not(header):
    bulk, harmless = BULK_CASES[header]
    assert rules.bulk_reason(bulk) == header
    if harmless is not None:
        assert rules.bulk_reason(harmless) is None
    assert rules.bulk_reason({"Subject": "hi"}) is None


# -- robots -----------------------------------------------------------------------------------------------
def test_the_robot_table_in_the_docs_is_the_set_in_the_code():
    assert {r[0] for r in table("Role and robot addresses")} == rules.ROBOT_LOCAL_PARTS


@pytest.mark.parametrize("local", sorted(rules.ROBOT_LOCAL_PARTS))
def test_each_role_or_robot_local_part_is_a_robot_with_or_without_a_tag(local):
    assert rules.is_robot(f"{local}@example.com")
    assert rules.is_robot(f"{local.upper()}+tag@example.com")


@pytest.mark.parametrize("address", ["noreply-42@github.com", "bounces-7@lists.org", "notifications-x@a.io",
                                     "mailer-daemon@mx.example.com"])
def test_robot_prefixes_are_robots(address):
    assert rules.is_robot(address)


@pytest.mark.parametrize("address", ["alice@acme.com", "informatics.prof@uni.edu", "newsom@state.gov"])
def test_people_whose_names_start_like_a_role_are_not_robots(address):
    assert not rules.is_robot(address)


# -- conference links -------------------------------------------------------------------------------------
def test_the_conference_table_in_the_docs_is_the_list_in_the_code():
    hosts = [r[0] for r in _tables_after("| conference host |")]
    assert hosts == list(rules.VIDEO_HOSTS)


def _tables_after(header_line: str) -> list[list[str]]:
    lines = DOC.split(header_line, 1)[1].splitlines()[2:]
    rows = []
    for ln in lines:
        if not ln.startswith("|"):
            break
        rows.append([c.strip().strip("`") for c in ln.strip("|").split("|")])
    return rows


@pytest.mark.parametrize("host", rules.VIDEO_HOSTS)
def test_a_meeting_with_each_conference_host_is_a_video_call(host):
    assert rules.has_video_link(None, f"Join: https://{host}/j/123")
    meeting = Contact(CALENDAR, "u", date(2026, 11, 2), "meeting", MINE, (ALICE,),
                      video=rules.has_video_link(f"https://{host}/x"))
    assert rules.decide(meeting, ME, TODAY).action == "video"


def test_a_meeting_without_a_link_is_a_coffee():
    assert not rules.has_video_link("Café Central", None)


# -- LinkedIn slugs ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["https://www.linkedin.com/in/Frank-F/", "www.linkedin.com/in/frank-f",
                                 "linkedin.com/in/frank-f?trk=x", "http://de.linkedin.com/in/frank-f"])
def test_a_linkedin_profile_slug_ignores_scheme_www_case_and_trailing_slash(url):
    assert rules.linkedin_slug(url) == "frank-f"


# -- touch kinds ------------------------------------------------------------------------------------------
KIND_OF = {(MAIL, "mail"): "mail", (CALENDAR, "meeting"): "meeting", (CALENDAR, "video"): "meeting",
           (LINKEDIN, "message"): "message", (LINKEDIN, "invitation"): "invitation",
           (LINKEDIN, "endorsement"): "endorsement", (LINKEDIN, "recommendation"): "recommendation"}


def test_the_touch_kinds_table_in_the_docs_is_the_table_in_the_code():
    rows = table("Touch kinds")
    assert {(r[0], r[1], r[2]): r[3] for r in rows} == rules.ACTIONS


@pytest.mark.parametrize(("source", "kind", "direction"), list(rules.ACTIONS))
def test_each_touch_kind_gives_its_action_and_initiator(source, kind, direction):
    me = Party(address="me@example.com", slug="me-myself")
    other = Party(address="bob@b.org" if source != LINKEDIN else None, slug="bob-b", name="Bob")
    sender = me if direction == "me" else other
    c = Contact(source, "k", date(2026, 11, 2), KIND_OF[(source, kind)], sender,
                (other,) if direction == "me" else (me,), direction=direction if source == LINKEDIN else None,
                video=kind == "video")
    d = rules.decide(c, ME, TODAY)
    assert (d.action, d.initiated_by, d.people) == (rules.ACTIONS[(source, kind, direction)], direction,
                                                    (other,))


def test_mail_they_sent_is_a_touch_with_the_writer_not_the_cc():
    c = mail(sender=ALICE, others=(MINE, Party(address="carl@c.org")))
    assert rules.decide(c, ME, TODAY).people == (ALICE,)


def test_mail_i_sent_is_one_touch_with_everyone_i_wrote_to():
    carl = Party(address="carl@c.org")
    assert rules.decide(mail(others=(ALICE, carl)), ME, TODAY).people == (ALICE, carl)


# -- not a touch ------------------------------------------------------------------------------------------
def _crowd(n):
    return tuple(Party(address=f"p{i}@crowd.org") for i in range(n))


SKIP_CASES = {
    "future": mail(on=date(2026, 11, 26)),
    "bulk": mail(flags=("bulk: List-Id",)),
    "cancelled": Contact(CALENDAR, "u", date(2026, 11, 2), "meeting", MINE, (ALICE,), flags=("cancelled",)),
    "draft": Contact(LINKEDIN, "c", date(2026, 11, 2), "message", Party(slug="me-myself"),
                     (Party(slug="bob"),), flags=("draft",)),
    "status": Contact(LINKEDIN, "e", date(2026, 11, 2), "endorsement", None, (Party(slug="bob"),),
                      direction="me", flags=("status: rejected",)),
    "unreadable": mail(flags=("unreadable: no readable Date header",)),
    "declined": Contact(CALENDAR, "u", date(2026, 11, 2), "meeting", ALICE,
                        (Party(address="me@example.com", partstat="DECLINED"),)),
    "self": mail(others=(Party(address="me@alias.org"),)),
    "robot": mail(sender=Party(address="noreply@github.com"), others=(MINE,)),
    "crowd": mail(others=_crowd(11)),
    "nobody": Contact(CALENDAR, "u", date(2026, 11, 2), "meeting", MINE,
                      (Party(address="room4@example.com", cutype="ROOM"),
                       Party(address="c_1@resource.calendar.google.com", cutype="RESOURCE"))),
}


def test_the_not_a_touch_table_in_the_docs_is_the_table_in_the_code():
    assert [r[0] for r in table("Not a touch")] == list(rules.SKIPS) == list(SKIP_CASES)


@pytest.mark.parametrize("code", list(SKIP_CASES))
def test_each_not_a_touch_rule_skips_with_its_reason(code):
    d = rules.decide(SKIP_CASES[code], ME, TODAY)
    assert d.action is None
    head = rules.SKIPS[code].split("{")[0]
    assert d.skip is not None and d.skip.startswith(head)


def test_ten_other_people_are_still_a_touch_and_the_limit_is_a_setting():
    assert rules.decide(mail(others=_crowd(10)), ME, TODAY).action == "message"
    assert rules.decide(mail(others=_crowd(3)), ME, TODAY, max_people=2).skip == "more than 2 other people"


def test_a_room_does_not_count_toward_the_limit_nor_get_a_touch():
    room = Party(address="room4@example.com", cutype="ROOM")
    c = Contact(CALENDAR, "u", date(2026, 11, 2), "meeting", MINE, (ALICE, room))
    assert rules.decide(c, ME, TODAY).people == (ALICE,)


def test_an_attendee_who_declined_gets_no_touch_and_those_who_came_do():
    bob = Party(address="bob@b.org", partstat="DECLINED")
    c = Contact(CALENDAR, "u", date(2026, 11, 2), "meeting", MINE, (ALICE, bob))
    assert rules.decide(c, ME, TODAY).people == (ALICE,)
    alone = Contact(CALENDAR, "u", date(2026, 11, 2), "meeting", MINE, (bob,))
    assert rules.decide(alone, ME, TODAY).skip == rules.SKIPS["nobody"]


def test_every_skip_reason_in_the_docs_reads_as_the_code_says():
    for row in table("Not a touch"):
        assert row[2] == rules.SKIPS[row[0]].replace("{detail}", "…")
        assert re.sub(r"\s+", " ", row[1])
