"""The vCard reader against the fixtures, its edge cases, and the vCard → keepwarm → vCard round trip."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
import vobject

from keepwarm.core.birthdays import Birthday
from keepwarm.core.people import Link, validate
from keepwarm.errors import FormatError
from keepwarm.formats.vcard import read_vcard, write_card
from keepwarm.formats.vcardlines import cards

HERE = Path(__file__).parent / "fixtures"


def one(path: Path):  # type: ignore[no-untyped-def]
    [rec] = read_vcard(path)
    assert rec.problem is None
    return rec.person


def test_apple_card_reads_omit_year_labels_anniversary_note_and_categories(fixtures_dir: Path) -> None:
    p = one(fixtures_dir / "vcard" / "apple-sabrina.vcf")
    assert p.name == "Sabrina Woods" and (p.given_name, p.family_name) == ("Sabrina", "Woods")
    assert p.company == "Woods Career Services" and p.title == "Founder & Coach"
    assert p.emails == ["sabrina.woods@example.org"]
    assert p.phones == ["+1 (207) 555-0142"]
    assert p.links == [Link("https://www.linkedin.com/in/sabrina-woods", "linkedin")]
    assert p.birthday == Birthday(4, 15)  # year 1604 means "unknown"
    assert p.extra["dates"] == [{"label": "anniversary", "date": "2012-06-30"}]
    assert p.notes == "Met at the NCDA conference, Portland.\nAsk about her new workshop."
    assert p.tags == ["Coaches", "Maine"]
    assert p.uid == "6B29FC40-CA47-1067-B31D-00DD010662DA"
    assert "vcard" not in p.extra  # everything on this card has a field


def test_v4_card_keeps_the_photo_data_uri_and_reads_basic_dates(fixtures_dir: Path) -> None:
    p = one(fixtures_dir / "vcard" / "v4-dawn.vcf")
    assert p.title == "Director, Career Management"  # not split at the comma
    assert p.birthday == Birthday(3, 22)
    assert p.extra["dates"] == [{"label": "anniversary", "date": "2010-09-01"}]
    assert p.extra["name_prefix"] == "Dr."
    assert p.tags == ["Authors", "Career switching"]
    [photo] = p.extra["vcard"]
    assert photo == ("PHOTO:data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42m"
                     "P8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def test_v21_quoted_printable_with_a_soft_line_break(fixtures_dir: Path) -> None:
    p = one(fixtures_dir / "vcard" / "v21-juergen.vcf")
    assert p.name == "Jürgen Müller" and p.family_name == "Müller" and p.given_name == "Jürgen"
    assert p.notes == ("Kennengelernt auf der Messe in Köln. Sehr hilfsbereit, hat mir einen Kontakt bei "
                       "Siemens vermittelt.")
    assert p.phones == ["+49 30 1234567"]
    assert p.emails == ["juergen.mueller@example.de"]


def test_three_cards_with_a_folded_note_and_basic_and_leap_birthdays(fixtures_dir: Path) -> None:
    recs = list(read_vcard(fixtures_dir / "vcard" / "multi-three.vcf"))
    assert [(r.person.name, r.line) for r in recs] == [("Lorene Goins", 1), ("Claire Peters", 9),
                                                       ("Nadia Haddad", 19)]
    assert recs[1].person.birthday == Birthday(7, 9, 1988)
    assert recs[1].person.notes.endswith("we met at a workshop on informational interviews and kept in "
                                         "touch ever since.")
    assert recs[2].person.birthday == Birthday(2, 29, 2000)
    assert recs[0].person.tags == ["Coaches"]


def test_truncated_file_fails_as_a_whole_naming_file_and_line(fixtures_dir: Path) -> None:
    with pytest.raises(FormatError, match=r"malformed-truncated\.vcf:7: card starting on line 1 has no END"):
        list(read_vcard(fixtures_dir / "vcard" / "malformed-truncated.vcf"))


def test_edge_cases_every_bday_form_structured_values_and_unknown_properties() -> None:
    recs = list(read_vcard(HERE / "edge-cases.vcf"))
    jim, mei, tom, bad = (r.person for r in recs)
    assert jim.given_name == "Jim Ade"
    assert (jim.extra["name_prefix"], jim.extra["name_suffix"]) == ("Mr.", "Jr.")
    assert jim.company == "Okafor Talent" and jim.extra["department"] == "Search"
    assert jim.title == "Principal, Search"
    assert jim.birthday == Birthday(5, 20, 1975)  # a date-time
    assert jim.location == "Boston MA USA"
    assert jim.notes == "Line one\nLine two; with semicolon, and comma \\ backslash"
    assert jim.extra["dates"] == [{"label": "first coffee", "date": "--09-01"}]
    kept = jim.extra["vcard"]
    assert "X-CUSTOM-THING;X-PARAM=1:kept as it is" in kept
    assert "item3.X-ABRELATEDNAMES:Ada Okafor" in kept and "item3.X-ABLabel:_$!<Spouse>!$_" in kept
    assert any(k.startswith("ADR;TYPE=HOME:") for k in kept)
    assert mei.birthday == Birthday(4, 15, 1996)
    assert tom.birthday == Birthday(4, 15)
    # one bad field never costs the person: the birthday is kept as written, and the record says so
    assert recs[3].problem is None and recs[3].line == 33  # the card's first line
    assert bad.name == "No Date" and bad.birthday is None
    assert bad.extra["unverified"] == [{"field": "birthday", "value": "not-a-date"}]
    assert recs[3].kept == ["kept as written: birthday 'not-a-date'"]


def _props(text: str) -> dict[str, list[str]]:
    """Every property of a card except the ones a writer may renumber or add, for comparisons."""
    [card] = cards(text, "x")
    out: dict[str, list[str]] = {}
    for cl in card.lines:
        if cl.name in ("VERSION", "PRODID") or cl.name.startswith("X-KEEPWARM-"):
            continue
        out.setdefault(cl.name, []).append(cl.value)
    return {k: sorted(v) for k, v in out.items()}


@pytest.mark.parametrize("name", ["apple-sabrina.vcf", "v4-dawn.vcf", "v21-juergen.vcf", "multi-three.vcf",
                                  "edge-cases.vcf"])
def test_round_trip_vcard_to_keepwarm_to_vcard_loses_no_field(name: str, fixtures_dir: Path) -> None:
    path = HERE / name if (HERE / name).exists() else fixtures_dir / "vcard" / name
    for rec in read_vcard(path):
        if rec.problem:
            continue
        p = validate(rec.person)
        again = list(read_vcard(io.BytesIO(write_card(p).encode())))[0].person
        validate(again)
        for f in ("name", "given_name", "family_name", "nickname", "emails", "phones", "links", "company",
                  "title", "location", "birthday", "tags", "notes", "uid"):
            assert getattr(again, f) == getattr(p, f), f
        assert again.extra == p.extra
        v4 = list(read_vcard(io.BytesIO(write_card(p, "4.0").encode())))[0].person
        validate(v4)
        assert (v4.birthday, v4.emails, v4.extra.get("dates"), v4.notes) == (
            p.birthday, p.emails, p.extra.get("dates"), p.notes)


def test_written_cards_parse_with_vobject_and_fold_at_75_octets() -> None:
    [rec] = [r for r in read_vcard(HERE / "edge-cases.vcf")][:1]
    p = validate(rec.person)
    p.notes = "ü" * 200
    text = write_card(p)
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    card = vobject.readOne(text)
    assert card.fn.value == "Jim Okafor"
    assert card.note.value == "ü" * 200
    assert card.bday.value == "1975-05-20"


def test_year_less_birthday_is_written_the_apple_way_in_3_and_basic_in_4() -> None:
    [_, _, tom, _] = read_vcard(HERE / "edge-cases.vcf")
    p = validate(tom.person)
    assert "BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15\r\n" in write_card(p)
    assert "BDAY:--0415\r\n" in write_card(p, "4.0")


def test_photo_converts_between_versions() -> None:
    [jim, *_] = read_vcard(HERE / "edge-cases.vcf")
    p = validate(jim.person)
    v4 = write_card(p, "4.0").replace("\r\n ", "")
    assert "PHOTO:data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAA=" in v4
    again = list(read_vcard(io.BytesIO(write_card(p, "4.0").encode())))[0].person
    assert "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAA=" in write_card(again).replace("\r\n ", "")


def test_met_on_and_circle_survive_as_keepwarm_properties() -> None:
    [rec] = list(read_vcard(io.BytesIO(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A B\r\nEND:VCARD\r\n")))
    p = rec.person
    p.met_on, p.how_met, p.circle = date(2020, 1, 2), "LinkedIn", "close"
    p.every_days, p.interests = 30, ["x"]
    again = list(read_vcard(io.BytesIO(write_card(p).encode())))[0].person
    assert (again.met_on, again.how_met, again.circle, again.every_days, again.interests) == (
        date(2020, 1, 2), "LinkedIn", "close", 30, ["x"])


def test_text_outside_cards_is_refused() -> None:
    with pytest.raises(FormatError, match=":1: not a vCard"):
        list(read_vcard(io.BytesIO(b"hello\r\nBEGIN:VCARD\r\nEND:VCARD\r\n")))
