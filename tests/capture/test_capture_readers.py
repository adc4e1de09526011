"""The pure readers over the fixture files: what each record says, and one-line errors for bad input."""

from datetime import date

import pytest

from keepwarm.capture import files as kinds
from keepwarm.capture import linkedin, mail
from keepwarm.errors import FormatError

TODAY = date(2026, 11, 25)


def records(path):
    return list(kinds.read(path, kinds.detect(path), TODAY))


@pytest.mark.parametrize(("name", "kind"), [("mail.mbox", "mbox"), ("eml", "eml-folder"),
                                            ("eml/one.eml", "eml"), ("calendar.ics", "ics"),
                                            ("linkedin", "linkedin"), ("linkedin.zip", "linkedin")])
def test_the_kind_of_each_file_is_read_from_its_content(files, name, kind):
    assert kinds.detect(files / name) == kind


def test_a_renamed_mbox_is_still_an_mbox(files, tmp_path):
    copy = tmp_path / "mail.txt"
    copy.write_bytes((files / "mail.mbox").read_bytes())
    assert kinds.detect(copy) == "mbox"


def test_the_mbox_reader_keeps_headers_and_never_the_body(files):
    found = records(files / "mail.mbox")
    assert len(found) == 16
    first = found[0]
    assert (first.key, first.on, first.sender.address, [p.address for p in first.others], first.subject) == (
        "m1@x", date(2026, 11, 2), "me@example.com", ["alice@acme.com"], "Lunch next week?")
    assert "SECRET" not in repr(found)


def test_an_escaped_from_line_in_a_body_does_not_start_a_message(files):
    keys = [c.key for c in records(files / "mail.mbox")]
    assert keys.count("m2@x") == 2 and keys[2] == "m3@x"


def test_addresses_are_lower_cased_and_a_missing_message_id_becomes_a_stable_hash(files):
    found = records(files / "mail.mbox")
    assert found[1].sender.address == "alice@acme.com"
    assert found[-1].key.startswith("sha1:") and found[-1].key == records(files / "mail.mbox")[-1].key


def test_an_eml_folder_reads_every_message(files):
    assert sorted(c.key for c in records(files / "eml")) == ["e1@x", "e2@x", "m1@x"]


def test_a_truncated_mbox_is_one_line_naming_the_file_and_line(files):
    with pytest.raises(FormatError) as exc:
        records(files / "truncated.mbox")
    assert str(exc.value).startswith(f"{files / 'truncated.mbox'}:153: truncated mbox")
    assert "\n" not in str(exc.value)


def test_a_file_that_is_no_mailbox_is_refused_before_anything_is_read(files):
    with pytest.raises(FormatError, match=r"not-a-capture.txt:1: not a mailbox"):
        kinds.detect(files / "not-a-capture.txt")


def test_text_starting_like_an_mbox_but_not_one_is_refused(tmp_path):
    bad = tmp_path / "bad.mbox"
    bad.write_text("hello\nFrom x\n")
    with pytest.raises(FormatError, match="not an mbox"):
        list(mail.read_mbox(bad))


def test_a_broken_calendar_is_one_line_naming_the_file(files):
    with pytest.raises(FormatError) as exc:
        records(files / "broken.ics")
    assert str(exc.value).startswith(f"{files / 'broken.ics'}: broken calendar")
    assert "\n" not in str(exc.value)


def test_recurring_meetings_expand_to_occurrences_up_to_today_each_with_its_own_key(files):
    weekly = [c for c in records(files / "calendar.ics") if c.key.startswith("weekly-1on1")]
    assert [c.on.day for c in weekly] == [2, 9, 16, 23]
    assert len({c.key for c in weekly}) == 4 and all(c.video for c in weekly)


def test_future_events_are_not_read(files):
    assert not [c for c in records(files / "calendar.ics") if c.key.startswith("future")]


def test_rooms_and_google_resources_are_marked_as_such(files):
    coffee = next(c for c in records(files / "calendar.ics") if c.key == "coffee-bob@example.com")
    assert coffee.sender.address == "bob@work.com" and not coffee.video
    assert sorted((p.address, p.cutype) for p in coffee.others) == [
        ("c_123@resource.calendar.google.com", "ROOM"), ("me@example.com", "INDIVIDUAL"),
        ("room4@example.com", "ROOM")]


def test_cancelled_events_are_flagged_and_declines_kept_on_the_attendee(files):
    found = {c.key: c for c in records(files / "calendar.ics")}
    assert found["cancelled@example.com"].flags == ("cancelled",)
    assert found["declined@example.com"].others[0].partstat == "DECLINED"


@pytest.mark.parametrize("name", ["linkedin", "linkedin.zip"])
def test_the_linkedin_archive_reads_the_same_from_its_folder_and_its_zip_despite_boms(files, name):
    found = records(files / name)
    assert [c.kind for c in found] == ["message"] * 4 + ["invitation"] + ["endorsement"] * 3 + [
        "recommendation"] * 2
    assert found[0].sender.slug == "me-myself" and found[0].others[0].slug == "frank-f"
    assert found[1].sender.slug == "frank-f"  # Frank-F/ with a trailing slash
    assert found[2].flags == ("draft",)
    assert "SECRET" not in repr(found)


def test_linkedin_dates_in_every_form_are_read(files):
    found = records(files / "linkedin")
    assert [c.on.day for c in found] == [4, 5, 6, 7, 8, 9, 10, 11, 12, 13]


def test_recommendations_carry_name_and_company_and_no_url(files):
    erin = records(files / "linkedin")[8]
    assert (erin.others[0].name, erin.others[0].company, erin.others[0].slug) == ("Erin Example", "Globex",
                                                                                  None)


def test_a_linkedin_date_that_is_no_date_names_file_line_and_field(tmp_path):
    (tmp_path / "Invitations.csv").write_text("\ufeffFrom,To,Sent At,Message,Direction,inviterProfileUrl,"
                                              "inviteeProfileUrl\nA,B,yesterday,,OUTGOING,,x\n")
    with pytest.raises(FormatError, match=r"Invitations.csv:2: field 'Sent At': not a date"):
        list(linkedin.read_archive(tmp_path))


def test_a_folder_without_archive_files_or_eml_is_refused(tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n")
    with pytest.raises(FormatError, match="neither .eml files nor a LinkedIn archive"):
        kinds.detect(tmp_path)


def test_connections_csv_is_handed_over_not_read_as_touches(files):
    name, data = linkedin.connections(files / "linkedin.zip")
    assert name.endswith("Connections.csv") and b"Ivy,Newcomer" in data


def test_a_calendar_with_a_byte_order_mark_is_read(files, tmp_path):
    bom = tmp_path / "bom.ics"
    bom.write_bytes(b"\xef\xbb\xbf" + (files / "calendar.ics").read_bytes())
    assert kinds.detect(bom) == "ics" and len(records(bom)) == len(records(files / "calendar.ics"))


def test_a_header_block_from_a_server_reads_like_a_message_in_a_file(files):
    from keepwarm.capture.calendar import parse_ics

    block = (b"From: Bob Baker <bob@work.com>\r\nTo: me@example.com\r\n"
             b"Date: Fri, 13 Nov 2026 10:00:00 +0000\r\nMessage-ID: <e2@x>\r\nSubject: Re: Plan\r\n\r\n")
    got = mail.parse_headers(block, "INBOX/4711")
    from_file = mail.read_eml(files / "eml" / "two.eml")
    assert (got.key, got.on, got.sender, got.others, got.where) == (
        from_file.key, from_file.on, from_file.sender, from_file.others, "INBOX/4711")
    assert len(list(parse_ics((files / "calendar.ics").read_bytes(), "cal/1.ics", TODAY))) == 9


TRICKY_BLOCKS = {
    "folded": (b"From: \"Lee, Ann\"\r\n <ann@example.com>\r\nTo: me@example.com,\r\n\tbob@work.com\r\n"
               b"Date: Fri, 13 Nov 2026\r\n 10:00:00 +0100\r\nMessage-ID:\r\n <f1@x>\r\n"
               b"Subject: a long\r\n   subject\r\n\r\n"),
    "encoded": (b"From: =?utf-8?q?Ren=C3=A9e_Dupr=C3=A9?= <RENEE@Example.FR>\r\nTo: me@example.com\r\n"
                b"Date: 2 Nov 2026 09:00:00 -0500\r\nMessage-ID: <enc@x>\r\n"
                b"Subject: =?utf-8?b?Q2Fmw6k=?= tomorrow?\r\n\r\n"),
    "many": (b"From: me@example.com\r\n"
             b"To: Ann <ann@example.com>, \"Bob B.\" <bob@work.com>, ann@example.com\r\n"
             b"Cc: carol@other.org, Me Again <ME@example.com>\r\nDate: Mon, 16 Nov 2026 18:00:00 +0000\r\n"
             b"Message-ID: <many@x>\r\n\r\n"),
    "no-id": (b"From: bob@work.com\nTo: me@example.com\nDate: Tue, 17 Nov 2026 08:00:00 +0000\n"
              b"Subject: hi\n\n"),
    "bulk-and-bad-date": (b"From: news@shop.com\r\nTo: me@example.com\r\nDate: someday\r\n"
                          b"List-Unsubscribe: <mailto:x@shop.com>\r\nMessage-ID: <n@x>\r\n\r\n"),
    "broken-utf8": (b"From: J\xc3\xb6rg \xe2\x82 <jorg@example.de>\r\nTo: me@example.com\r\n"
                    b"Date: 3 Nov 2026 10:00 +0000\r\nSubject: caf\xe9\r\nMessage-ID: <u@x>\r\n"),
    "repeated-and-unwanted": (b"Received: from a\r\n by b\r\nFrom: ann@example.com\r\nFrom: bob@work.com\r\n"
                              b"X-Other: x\r\n\tcontinued\r\nTo: me@example.com\r\n"
                              b"Date: 4 Nov 2026 10:00 +0000\r\n"
                              b"Message-ID: <r@x>\r\n\r\nFrom: not@a.header\r\n"),
}


def _same(a, b):
    def seen(c):
        return (c.key, c.on, c.sender, c.others, c.subject, c.flags)

    return seen(a) == seen(b)


@pytest.mark.parametrize("name", sorted(TRICKY_BLOCKS))
def test_a_header_block_from_a_server_reads_like_the_same_message_in_an_eml_file(name, tmp_path):
    block = TRICKY_BLOCKS[name]
    eml = tmp_path / "m.eml"
    eml.write_bytes(block + b"the body\r\n")
    got = mail.parse_headers(block, "INBOX/1")
    assert _same(got, mail.read_eml(eml)) and got.where == "INBOX/1"
    assert _same(mail.parse_headers(block, "INBOX/1"), got)  # the second time from the address cache


def test_what_the_header_reader_makes_of_tricky_blocks():
    got = {name: mail.parse_headers(block, "INBOX/1") for name, block in TRICKY_BLOCKS.items()}
    folded = got["folded"]
    assert (folded.key, folded.on, folded.subject) == ("f1@x", date(2026, 11, 13), "a long subject")
    assert (folded.sender.address, folded.sender.name) == ("ann@example.com", "Lee, Ann")
    assert [p.address for p in folded.others] == ["me@example.com", "bob@work.com"]
    enc = got["encoded"]
    assert (enc.sender.address, enc.sender.name, enc.subject, enc.on) == (
        "renee@example.fr", "Renée Dupré", "Café tomorrow?", date(2026, 11, 2))
    assert [(p.address, p.name) for p in got["many"].others] == [
        ("ann@example.com", "Ann"), ("bob@work.com", "Bob B."), ("carol@other.org", None),
        ("me@example.com", "Me Again")]  # not the sender's Party (a name): the rules take me out
    no_id = got["no-id"]
    assert no_id.key.startswith("sha1:") and no_id.key == mail.parse_headers(TRICKY_BLOCKS["no-id"], "x").key
    assert got["bulk-and-bad-date"].flags == ("bulk: List-Unsubscribe", "unreadable: no readable Date header")
    broken = got["broken-utf8"]
    assert (broken.sender.address, broken.subject) == ("jorg@example.de", "caf\ufffd")
    assert got["repeated-and-unwanted"].sender.address == "ann@example.com"  # the first From counts


def test_an_empty_header_block_is_a_record_with_nothing_readable():
    got = mail.parse_headers(b"", "INBOX/9")
    assert got.sender is None and got.others == () and got.key.startswith("sha1:")
    assert got.flags == ("unreadable: no readable Date header",)
