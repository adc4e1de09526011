"""capture_records and capture_files against a real database (SQLite and PostgreSQL): touches logged with
the people matched, idempotency, strangers kept for review, privacy, dry runs and all-or-nothing."""

from datetime import date

import pytest
from sqlalchemy import func, select, text
from tests.capture.conftest import known_people

from keepwarm.capture import LINKEDIN, MAIL, Contact, Party
from keepwarm.errors import FormatError, InvalidInputError, NotFoundError
from keepwarm.store.capture import capture_files, capture_records
from keepwarm.store.catalog import change_setting
from keepwarm.store.correspondents import add_correspondent, review
from keepwarm.store.models import ChangeRow, TouchPerson, TouchRow
from keepwarm.store.models.capture import CaptureSeen, Correspondent


@pytest.fixture
def people(make_store):
    with make_store() as store:
        return known_people(store)


def touches(store, pid=None):
    q = select(TouchRow.on_date, TouchRow.action, TouchRow.initiated_by, TouchRow.source, TouchRow.note)
    if pid is not None:
        q = q.join(TouchPerson, TouchPerson.touch_id == TouchRow.id).where(TouchPerson.person_id == pid)
    return [tuple(r) for r in store.session.execute(q.order_by(TouchRow.on_date, TouchRow.id))]


def test_mail_logs_one_touch_per_person_and_day_with_its_direction_and_source(make_store, files, people):
    with make_store() as store:
        report = capture_files(store, [str(files / "mail.mbox")])
        alice = touches(store, people["alice"])
        bob = touches(store, people["bob"])
    assert alice == [(date(2026, 11, 2), "message", "me", "mail", None),
                     (date(2026, 11, 3), "message", "them", "mail", None)]
    # Bob wrote from his second address, then from his first: any address on file matches
    assert [(t[0], t[2]) for t in bob] == [(date(2026, 11, 9), "them"), (date(2026, 11, 11), "them")]
    assert report["same_day"] == 1  # Alice's second mail of 2 November
    assert report["already_captured"] == 1  # the copy of m2


def test_skipped_mail_says_why(make_store, files, people):
    with make_store() as store:
        report = capture_files(store, [str(files / "mail.mbox")])
    reasons = sorted(s["reason"] for s in report["skipped"])
    assert reasons == sorted(["bulk mail (List-Unsubscribe)", "bulk mail (List-Id)",
                              "bulk mail (Auto-Submitted)", "bulk mail (Precedence)",
                              "from a role or robot address", "more than 10 other people",
                              "between my own addresses", "no other person in it"])


def test_capturing_the_same_data_again_creates_nothing(make_store, files, people):
    paths = [str(files / "mail.mbox"), str(files / "calendar.ics"), str(files / "linkedin")]
    def state(store):
        strangers = store.session.scalars(select(Correspondent).order_by(Correspondent.key))
        return (touches(store), store.session.scalar(select(func.count()).select_from(CaptureSeen)),
                [(c.key, c.count) for c in strangers])

    with make_store() as store:
        capture_files(store, paths)
    with make_store() as store:
        before = state(store)
        again = capture_files(store, paths)
        after = state(store)
    assert again["logged"] == [] and after == before and again["already_captured"] > 0


def test_a_copy_of_the_same_message_in_two_files_counts_once(make_store, files, people):
    with make_store() as store:
        capture_files(store, [str(files / "mail.mbox"), str(files / "eml")])
        alice = touches(store, people["alice"])
    assert [t[0] for t in alice] == [date(2026, 11, 2), date(2026, 11, 3)]


def test_meetings_are_video_or_coffee_and_declined_cancelled_crowded_and_future_ones_are_not(
        make_store, files, people):
    with make_store() as store:
        capture_files(store, [str(files / "calendar.ics")])
        alice = touches(store, people["alice"])
        bob = touches(store, people["bob"])
    assert [(t[0].day, t[1], t[2], t[3]) for t in alice] == [(d, "video", "me", "calendar")
                                                             for d in (2, 9, 16, 23)]
    assert [(t[0].day, t[1], t[2]) for t in bob] == [(10, "coffee", "them")]


def test_linkedin_touches_follow_the_kinds_table(make_store, files, people):
    with make_store() as store:
        report = capture_files(store, [str(files / "linkedin.zip")])
        got = {name: [(t[0].day, t[1], t[2], t[3]) for t in touches(store, pid)]
               for name, pid in people.items()}
        thanks_owed = store.people.row(people["bob"]).thanks_owed_since
    assert got["frank"] == [(4, "message", "me", "linkedin"), (5, "message", "them", "linkedin"),
                            (9, "comment", "me", "linkedin")]
    assert got["alice"] == [(8, "message", "me", "linkedin"), (11, "like", "them", "linkedin")]
    assert got["erin"] == [(12, "intro", "me", "linkedin")]  # matched by name and company
    assert got["bob"] == [(13, "received", "them", "linkedin")]
    assert thanks_owed == date(2026, 11, 13)  # a recommendation received leaves a thank-you owed
    assert report["connections"]["created"] == 1


def test_the_archive_connections_are_imported_and_matched_at_once(make_store, files, people):
    with make_store() as store:
        capture_files(store, [str(files / "linkedin")])
        ivy = store.people.resolve("Ivy Newcomer")
        assert ivy.company == "Umbrella"


def test_captured_touches_stay_out_of_the_undo_journal(make_store, files, people):
    with make_store() as store:
        before = store.session.scalar(select(func.count()).select_from(ChangeRow))
        capture_files(store, [str(files / "mail.mbox")])
        assert store.session.scalar(select(func.count()).select_from(ChangeRow)) == before


def test_bodies_and_subjects_never_reach_the_database_unless_subjects_are_on(make_store, files, people, db):
    with make_store() as store:
        capture_files(store, [str(files / "mail.mbox"), str(files / "linkedin")])
        assert {t[4] for t in touches(store)} == {None}
    with db.engine.connect() as conn:
        dump = " ".join(str(r) for t in ("touches", "capture_seen", "correspondents")
                        for r in conn.execute(text(f"SELECT * FROM {t}")))
    assert "SECRET" not in dump and "Lunch" not in dump


def test_with_capture_subjects_on_the_subject_is_the_note(make_store, files, people):
    with make_store() as store:
        change_setting(store, "capture_subjects", "on")
        capture_files(store, [str(files / "mail.mbox")])
        assert touches(store, people["alice"])[0][4] == "Lunch next week?"


def test_the_people_limit_is_a_setting(make_store, files, people):
    with make_store() as store:
        change_setting(store, "capture_max_people", "20")
        report = capture_files(store, [str(files / "mail.mbox")])
    assert "more than 10 other people" not in {s["reason"] for s in report["skipped"]}
    assert {u["key"] for u in report["unmatched"]} >= {f"p{i}@crowd.org" for i in range(11)}


def test_a_dry_run_reports_and_writes_nothing(make_store, files, people):
    with make_store() as store:
        report = capture_files(store, [str(files / "mail.mbox")], dry_run=True)
        assert report["dry_run"] and len(report["logged"]) == 4
        assert touches(store) == []
        assert store.session.scalar(select(func.count()).select_from(CaptureSeen)) == 0
        assert store.session.scalar(select(func.count()).select_from(Correspondent)) == 0


def test_bad_input_writes_nothing_not_even_the_good_files_before_it(make_store, files, people):
    with pytest.raises(FormatError), make_store() as store:
        capture_files(store, [str(files / "mail.mbox"), str(files / "truncated.mbox")])
    with make_store() as store:
        assert touches(store) == []
        assert store.session.scalar(select(func.count()).select_from(CaptureSeen)) == 0


def test_mail_without_my_address_is_refused_with_a_hint(make_store, files):
    with pytest.raises(InvalidInputError, match="needs your own address") as exc, make_store() as store:
        capture_files(store, [str(files / "mail.mbox")])
    assert exc.value.hint == "keepwarm me add you@example.com"


def test_strangers_are_kept_for_review_two_way_by_volume_and_never_created(make_store, files, people):
    with make_store() as store:
        capture_files(store, [str(files / "mail.mbox"), str(files / "calendar.ics")])
        listed = review(store)
    assert [(r["key"], r["sent"], r["received"]) for r in listed] == [("carol@other.org", 2, 2)]
    with make_store() as store, pytest.raises(NotFoundError):
        store.people.resolve("carol@other.org")


def test_a_stranger_added_from_review_gets_past_touches_on_the_next_capture_and_only_those(
        make_store, files, people):
    with make_store() as store:
        capture_files(store, [str(files / "mail.mbox")])
        carol = add_correspondent(store, "carol@other.org")
        assert review(store) == []
    with make_store() as store:
        again = capture_files(store, [str(files / "mail.mbox")])
        assert [(t[0].day, t[2]) for t in touches(store, carol.id)] == [(6, "me"), (7, "them")]
    assert [t["people"] for t in again["logged"]] == [["Carol Stranger"], ["Carol Stranger"]]


def test_records_from_any_reader_go_through_capture_records(make_store, people):
    rec = Contact(MAIL, "imap-1", date(2026, 11, 20), "mail", Party(address="BOB@work.com".lower()),
                  (Party(address="me@example.com"),))
    with make_store() as store:
        report = capture_records(store, [rec])
        assert [t[0] for t in touches(store, people["bob"])] == [date(2026, 11, 20)]
    assert report.to_dict()["logged"][0]["people"] == ["Bob Baker"]


def test_a_captured_touch_closes_the_open_occasion_it_fits(make_store, people):
    with make_store() as store:
        store.touches.add_event(people["alice"], "new-job", date(2026, 11, 18))
    rec = Contact(MAIL, "congrats-1", date(2026, 11, 20), "mail", Party(address="me@example.com"),
                  (Party(address="alice@acme.com"),))
    with make_store() as store:
        capture_records(store, [rec])
        assert [o.kind for o in store.touches.done] == ["life_event"]


def columns(store, pid):
    r = store.people.row(pid)
    return (r.last_touch, r.last_action, r.last_personal_touch, round(r.strength_base, 6),
            round(r.balance, 6), r.thanks_owed_since)


def test_touches_logged_in_bulk_leave_the_same_columns_and_week_counts_as_logging_them_one_by_one(
        make_store, files, people):
    with make_store() as store:
        store.touches.log("call", [people["alice"]], date(2026, 11, 20))  # newer than most captured ones
        capture_files(store, [str(files / f) for f in ("mail.mbox", "linkedin", "calendar.ics")])
    with make_store() as store:
        captured = {pid: columns(store, pid) for pid in people.values()}
        weeks = store.touches.weekly_counts()
        store.touches.recompute(list(people.values()))  # rebuilt from the touches, one by one
        assert {pid: columns(store, pid) for pid in people.values()} == captured
        n = store.session.scalar(select(func.count()).select_from(TouchRow)
                                 .where(TouchRow.action != "received"))
        assert sum(weeks.values()) == n
    assert captured[people["alice"]][:2] == (date(2026, 11, 23), "video") and captured[people["bob"]][5]


def test_a_touch_near_a_birthday_goes_through_the_occasion_rules(make_store, people):
    from keepwarm.core.birthdays import Birthday

    with make_store() as store:
        bob = store.people.get(people["bob"])
        bob.birthday = Birthday(11, 21)
        store.people.update(bob)
    rec = Contact(MAIL, "bday-1", date(2026, 11, 21), "mail", Party(address="me@example.com"),
                  (Party(address="bob@work.com"),))
    far = Contact(MAIL, "plain-1", date(2026, 11, 2), "mail", Party(address="me@example.com"),
                  (Party(address="bob@work.com"),))
    with make_store() as store:
        capture_records(store, [rec, far])
        done = store.session.execute(text("SELECT occasion_id FROM occasions_done")).scalars().all()
    assert done == [f"birthday:{people['bob']}:2026-11-21"]


def test_a_name_and_company_shared_by_two_people_matches_no_one(make_store, people):
    from keepwarm.core.people import Person

    with make_store() as store:
        store.people.add(Person(name="Erin Example", company="Globex", emails=["erin2@globex.com"]))
    rec = Contact(LINKEDIN, "recommendation|me|erin", date(2026, 11, 12), "recommendation", None,
                  (Party(name="Erin Example", company="globex"),), direction="me")
    with make_store() as store:
        report = capture_records(store, [rec]).to_dict()
    assert report["logged"] == [] and "no one named Erin Example at globex" in report["skipped"][0]["reason"]


def test_a_dry_run_of_an_archive_creates_no_connection(make_store, files, people):
    with make_store() as store:
        report = capture_files(store, [str(files / "linkedin.zip")], dry_run=True)
        assert report["connections"]["created"] == 1
        with pytest.raises(NotFoundError):
            store.people.resolve("Ivy Newcomer")
