"""The CSV readers against the sample export files (tests/fixtures), field by field, and their edge cases."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from keepwarm.core.birthdays import Birthday
from keepwarm.core.people import Link
from keepwarm.errors import FormatError
from keepwarm.formats import detect, read
from keepwarm.formats.csvfiles import read_google, read_linkedin, read_outlook

HERE = Path(__file__).parent / "fixtures"


def by_name(records):  # type: ignore[no-untyped-def]
    return {r.person.name: r for r in records}


def test_linkedin_fixture_reads_every_connection_with_its_line(fixtures_dir: Path) -> None:
    recs = list(read_linkedin(fixtures_dir / "linkedin" / "Connections.csv"))
    people = by_name(recs)
    assert len(recs) == 11  # the all-empty padding row is not a connection
    assert all(r.problem is None for r in recs)
    bob = people["Bob McIntosh"]
    assert bob.line == 5
    assert (bob.person.given_name, bob.person.family_name) == ("Bob", "McIntosh")
    assert bob.person.company == "Career Coaching Partners, LLC"
    assert bob.person.title == "Career Strategist"
    assert bob.person.links == [Link("https://www.linkedin.com/in/bob-mcintosh-career", "linkedin")]
    assert bob.person.met_on == date(2019, 2, 4)
    assert bob.person.how_met == "LinkedIn"
    assert bob.person.emails == []
    assert people["Sabrina Woods"].person.emails == ["sabrina.woods@example.org"]
    assert people["Amy Tate Berenson"].person.company == 'Tate "Careers" Group'
    assert people["José Núñez"].person.title == "Profesor, Departamento de Ingeniería"
    assert people["Li Wei"].person.company == "Shenzhen Tech 深圳科技"
    assert people["Ravi Patel"].person.links == []
    assert people["Siobhán O'Brien"].person.met_on == date(2020, 2, 29)
    assert people["Siobhán O'Brien"].line == 16


def test_linkedin_header_is_found_after_a_preamble_of_any_length() -> None:
    preamble = "Notes:\n" + "\n".join(f'"line {i}"' for i in range(7)) + "\n\n"
    data = (preamble + "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
            "Ann,Lee,https://linkedin.com/in/ann/,,Acme,CTO,01 Jan 2020\n").encode("utf-8-sig")
    [rec] = read_linkedin(io.BytesIO(data))
    assert rec.person.name == "Ann Lee"
    assert rec.line == 11


def test_linkedin_bad_date_keeps_the_row_and_the_date_as_written() -> None:
    data = (b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
            b"Ann,Lee,,,,,31 Feb 2020\nBo,Ek,,,,,01 Mar 2020\n")
    recs = list(read_linkedin(io.BytesIO(data)))
    assert recs[0].problem is None and recs[0].line == 2 and recs[0].person.met_on is None
    assert recs[0].kept == ["kept as written: met on '31 Feb 2020'"]
    assert recs[0].person.extra["unverified"] == [{"field": "met on", "value": "31 Feb 2020"}]
    assert recs[1].problem is None and recs[1].person.met_on == date(2020, 3, 1)


def test_a_file_without_the_linkedin_header_is_refused_with_file_and_line() -> None:
    f = io.BytesIO(b"name,email\nAnn,ann@example.com\n")
    f.name = "other.csv"
    with pytest.raises(FormatError, match=r"other\.csv:1: no LinkedIn Connections header"):
        list(read_linkedin(f))


def test_google_fixture_maps_groups_labels_birthdays_and_events(fixtures_dir: Path) -> None:
    people = by_name(read_google(fixtures_dir / "google" / "contacts.csv"))
    s = people["Sabrina Woods"].person
    assert s.emails == ["sabrina.woods@example.org", "swoods@example.com"]
    assert s.phones == ["+1 207-555-0142"]
    assert s.company == "Woods Career Services" and s.title == "Founder"
    assert s.birthday == Birthday(4, 15)
    assert s.tags == ["Coaches"]  # `* myContacts` is Google's own label
    assert s.notes == "Met at NCDA conference.\nLoves mystery novels."
    scott = people["Scott Woodard"]
    assert scott.person.birthday == Birthday(10, 3, 1971)
    assert scott.person.location == "Portland ME US"
    assert [(e.kind, e.on) for e in scott.events] == [("moving", date(2026, 12, 15))]
    bob = people["Bob McIntosh"].person
    assert bob.nickname == "Bobby"
    assert bob.tags == ["Coaches", "Starred"]
    assert bob.links == [Link("https://www.linkedin.com/in/bob-mcintosh-career", "linkedin")]
    assert people["Mark Lindqvist"].person.phones == ["207.555.0110"]
    assert people["Nadia Haddad"].person.birthday == Birthday(2, 29, 2000)


def test_outlook_fixture_reads_us_dates_and_anniversary(fixtures_dir: Path) -> None:
    people = by_name(read_outlook(fixtures_dir / "outlook" / "contacts.csv"))
    claire = people["Claire Peters"].person
    assert claire.birthday == Birthday(7, 9, 1988)
    assert claire.phones == ["+44 7700 900123"]
    assert claire.company == "Peters & Co" and claire.title == "HR Business Partner"
    assert claire.notes == "Reads every blog post; thank her."
    jim = people["Jim Okafor"].person
    assert jim.extra["dates"] == [{"label": "anniversary", "date": "2010-05-20"}]
    assert jim.emails == ["jim.okafor@example.com"]


def test_outlook_cp1252_file_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "outlook.csv"
    path.write_bytes("First Name,Last Name,E-mail Address,Job Title,Company,Birthday\r\n"
                     "Zoë,Müller,zoe@example.com,Café owner,Crème Ltd,0/0/00\r\n".encode("cp1252"))
    [rec] = read(None, path)
    assert rec.person.name == "Zoë Müller"
    assert rec.person.title == "Café owner"
    assert rec.person.birthday is None


def test_detection_names_every_fixture_format(fixtures_dir: Path) -> None:
    assert detect(fixtures_dir / "linkedin" / "Connections.csv") == "linkedin"
    assert detect(fixtures_dir / "google" / "contacts.csv") == "google"
    assert detect(fixtures_dir / "outlook" / "contacts.csv") == "outlook"
    for card in (fixtures_dir / "vcard").glob("*.vcf"):
        assert detect(card) == "vcard"


def test_generic_csv_with_a_mapping() -> None:
    data = (b"Full Name,Mail,Org,Bday,Labels\n"
            b"Ann Lee,ann@example.com,Acme,1990-05-01,a; b\n"
            b",nobody@example.com,,,\n")
    recs = list(read("csv", io.BytesIO(data), {"Full Name": "name", "Mail": "emails", "Org": "company",
                                               "Bday": "birthday", "Labels": "tags"}))
    assert recs[0].person.name == "Ann Lee"
    assert recs[0].person.emails == ["ann@example.com"]
    assert recs[0].person.company == "Acme"
    assert recs[0].person.birthday == Birthday(5, 1, 1990)
    assert recs[0].person.tags == ["a", "b"]
    assert recs[1].person.name == "nobody@example.com" and recs[1].line == 3  # named by the address


def test_binary_data_is_refused_with_its_line() -> None:
    f = io.BytesIO(b"First Name,Last Name\nab\x00cd\n")
    f.name = "x.csv"
    with pytest.raises(FormatError, match=r"x\.csv:2: binary data"):
        list(read("google", f))


def test_a_bad_cell_is_kept_and_named_in_every_csv_reader() -> None:
    google = (b"Name,Given Name,Family Name,Birthday,E-mail 1 - Value,Event 1 - Label,Event 1 - Value,"
              b"Labels\n"
              b"Ann Lee,Ann,Lee,not-a-day,ann@example.com,,,\n"
              b"Bo Ek,Bo,Ek,,bo@example.com,Moving,someday,\n")
    outlook = (b"First Name,Last Name,E-mail Address,Birthday,Anniversary\n"
               b"Ann,Lee,ann@example.com,13/45/1990,\nBo,Ek,bo@example.com,,99/99/99\n")
    mapped = b"Full Name,Bday\nAnn Lee,someday\n"
    got = [(r.line, r.problem, r.kept) for r in read_google(io.BytesIO(google))]
    got += [(r.line, r.problem, r.kept) for r in read_outlook(io.BytesIO(outlook))]
    mapping = {"Full Name": "name", "Bday": "birthday"}
    got += [(r.line, r.problem, r.kept) for r in read("csv", io.BytesIO(mapped), mapping)]
    # a bad cell never costs the row: it is kept as written, and the record names the field
    assert got == [(2, None, ["kept as written: birthday 'not-a-day'"]),
                   (3, None, ["kept as written: moving 'someday'"]),
                   (2, None, ["kept as written: birthday '13/45/1990'"]),
                   (3, None, ["kept as written: anniversary '99/99/99'"]),
                   (2, None, ["kept as written: birthday 'someday'"])]
