"""Real-world oddities, one fixture file per rule (``fixtures/odd/``, bytes as the devices write them): each
file is imported into a fresh database, nobody is lost, each value is kept where the table says, and the
network exports as vCard 3.0 and 4.0 that vobject and keepwarm both read back."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import vobject

from keepwarm.core.birthdays import Birthday
from keepwarm.core.people import Person
from keepwarm.formats import detect, read
from keepwarm.formats.vcard import read_vcard
from keepwarm.store import Database, Store, open_store
from keepwarm.store.exports import write_vcards
from keepwarm.store.imports import Importer

ODD = Path(__file__).parent / "fixtures" / "odd"
TODAY = date(2026, 11, 25)

# file → {person's name → {field → what is kept}}; "report" lists what the import report must say
CASES: dict[str, dict[str, dict[str, Any]]] = {
    "android-bidi-phones.vcf": {"Paula Pasted": {
        "phones": ["+442079460958", "+12075550142,,1234", "1-800-ELEPHANT"],
        "unverified": [{"field": "phone", "value": "1-800-ELEPHANT"}],
        "report": ["kept as written: phone '1-800-ELEPHANT'"]}},
    "tel-extension.vcf": {"Ext Ender": {"phones": ["+12075550142;ext=102"]}},
    "national-numbers.vcf": {
        "Bernd Berliner": {"phones": ["+4917623384942"]},  # Germany, from the card's address
        "Kamran Karachi": {"phones": ["+9221111222333", "+923212326646"]},  # Pakistan, from the other number
        "Nina Nowhere": {"phones": ["0311111111"], "report": ["kept as written: phone '0311111111'"]}},
    "emoji-zwj-and-bidi-note.vcf": {"Robin 🏳️\u200d🌈 Rainbow": {
        "notes": "Met at Pride\nphone +972 50-123-4567 \u200fשלום\u200f"}},
    "email-display-name.vcf": {"Omega Point": {
        "emails": ["omega@example.com", "placeholder@nowhere.invalid"],
        "unverified": [{"field": "email", "value": "placeholder@nowhere.invalid"}]}},
    "shift-jis.vcf": {"山田 太郎": {"given_name": "太郎", "family_name": "山田", "notes": "大学の友人",
                                  "phones": ["090-1234-5678"]}},
    "latin1-quoted-printable.vcf": {"Jürgen Müller": {
        "family_name": "Müller", "phones": ["+492211234567"],
        "notes": "Erste Zeile\nZweite Zeile mit Ärger und einem langen Ende\nDritte",
        "vcard": ["ADR;TYPE=HOME:;;Straße 1;Köln;;50667;Deutschland"]}},
    "utf16-without-bom.vcf": {"Ünal Utf": {"emails": ["unal@example.org"]}},
    "agent-nested-card.vcf": {"Betty Boss": {
        "emails": ["betty@example.com"], "phones": ["+16175550123"],
        "vcard": ["AGENT:BEGIN:VCARD\\nVERSION:2.1\\nN:Friday;Fred\\nFN:Fred Friday"
                  "\\nTEL;WORK:+1 617 555 0199\\nEND:VCARD"]}},
    "comment-lines.vcf": {"Carl Comment": {"emails": ["carl@example.com"]}},
    "cr-cr-lf-endings.vcf": {"Dora Double": {"notes": "A note folded over two lines"}},
    "odd-property-names.vcf": {"Hank Handle": {
        "vcard": ["X-messaging/twitter-All:hankhandle", "X-GOOGLE_TALK:hank@example.com"]}},
    "two-notes-two-orgs.vcf": {"Tess Twice": {
        "notes": "First note\nSecond note", "company": "Acme Corp", "title": "CTO",
        "vcard": ["ORG:Board of Widgets", "TITLE:Board member"]}},
    "cp1252-without-charset.vcf": {"Zoë Faßbender": {"notes": "“Quoted” – café"}},
    "apple-group.vcf": {"Amy Alpha": {"tags": ["Friends"]}, "Ben Beta": {"tags": ["Friends"]}},
    "bad-fields.vcf": {"Bea Broken": {
        "birthday": None, "emails": ["bea@@example.com"],
        "notes": "email: bea at example dot com\n\nphone: ask reception",
        "unverified": [{"field": "birthday", "value": "31.02.1990"},
                       {"field": "email", "value": "bea@@example.com"}],
        "report": ["kept as written: birthday '31.02.1990'",
                   "kept in the notes: email 'bea at example dot com'",
                   "kept as written: email 'bea@@example.com'", "kept in the notes: phone 'ask reception'"]}},
    "multiline-value-21.vcf": {"Lena Lines": {
        "notes": "First line of a note\nsecond line, no fold\nthird line", "phones": ["+12075550100"]}},
    "only-a-phone.vcf": {"+1 207 555 0199": {"phones": ["+12075550199"]}},
    "linkedin-older.csv": {"Ann Lee": {"met_on": date(2018, 1, 8), "emails": ["ann@example.com"]},
                           "Bo Ek": {"met_on": date(2017, 12, 31), "company": "Widgets"}},
    "outlook-action-id.csv": {"Olga Outlook": {"emails": ["olga@example.com"], "phones": ["+12075550142"]},
                              "nobody-named@example.com": {"emails": ["nobody-named@example.com"]}},
    "outlook-2003.csv": {"Renée Dubois": {
        "phones": ["+33612345678", "+33123456789"], "company": "Société X", "birthday": None,
        "unverified": [{"field": "birthday", "value": "31/12/1980"}]}},
    "email-only.csv": {"omega@example.com": {"emails": ["omega@example.com"]},
                       "Sigma Smith": {"emails": ["sigma@example.com"]}},
    "addresses-no-header.csv": {"first@example.com": {"emails": ["first@example.com"]},
                                "second@example.org": {"emails": ["second@example.org"]}},
    "google-national-phones.csv": {
        "Hans Meier": {"phones": ["+4917623384942"]},
        "Ayesha Khan": {"phones": ["+923212326646", "+9242111111111"]},
        "No Clue": {"phones": ["0311111111"], "birthday": None,
                    "report": ["kept as written: birthday 'not a date'",
                               "kept as written: phone '0311111111'"]},
        "Flower Shop": {"phones": ["1-800-FLOWERS"], "emails": ["shop@flowers.example"]}},
    "thunderbird.csv": {"Tom Bird": {"emails": ["tom@example.com", "tom.bird@example.net"],
                                     "phones": ["+12075550142"], "nickname": "tb", "notes": "hi"}},
}


@pytest.fixture
def no_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """The locale is one of the regions national numbers are tried in: none here, so the tables hold."""
    for key in ("LC_ALL", "LC_CTYPE", "LANG"):
        monkeypatch.delenv(key, raising=False)


@pytest.fixture
def fresh(sqlite_url: str) -> Iterator[Database]:
    database = Database(sqlite_url)
    yield database
    database.dispose()


def _import(db: Database, path: Path) -> dict[str, Any]:
    with open_store(db, TODAY, None) as store:
        imp = Importer(store)
        fmt = detect(path)
        imp.add(path.name, fmt, read(fmt, path, known=imp.known(fmt)))
        return imp.report.to_dict()


def _people(store: Store) -> dict[str, Person]:
    rows = store.people.rows(store.people.query())
    return {p.name: p for p in store.people.load([r.id for r in rows])}


def test_every_odd_file_has_its_row_in_the_table() -> None:
    assert sorted(p.name for p in ODD.iterdir()) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_odd_file_loses_nobody_and_keeps_every_value(name: str, fresh: Database, no_locale: None) -> None:
    report = _import(fresh, ODD / name)
    assert report["skipped"] == []
    with open_store(fresh, TODAY, None) as store:
        people = _people(store)
    assert sorted(people) == sorted(CASES[name])
    for person, fields in CASES[name].items():
        p = people[person]
        for field, want in fields.items():
            if field == "report":
                assert [n.split(": ", 1)[1] for n in report["notes"] if n.startswith(f"{name}:")
                        and n.split(": ", 1)[1] in want] == want
            elif field in ("unverified", "vcard"):
                assert p.extra.get(field) == want, field
            else:
                assert getattr(p, field) == want, field


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_every_odd_file_exports_cards_that_vobject_and_keepwarm_read_back(
        version: str, fresh: Database, no_locale: None) -> None:
    for name in sorted(CASES):
        _import(fresh, ODD / name)
    with open_store(fresh, TODAY, None) as store:
        people = _people(store)
        buf = io.StringIO()
        write_vcards(store, buf, version)
    text = buf.getvalue()
    assert "QUOTED-PRINTABLE" not in text.upper() and "CHARSET" not in text.upper()
    parsed = list(vobject.readComponents(text))
    assert sorted(c.fn.value for c in parsed) == sorted(people)
    again = {r.person.name: r for r in read_vcard(io.BytesIO(text.encode("utf-8")))}
    assert sorted(again) == sorted(people)
    for person, p in people.items():
        back = again[person]
        assert back.problem is None
        assert back.person.phones == p.phones and back.person.emails == p.emails, person
        assert back.person.notes == p.notes, person
    bea = again["Bea Broken"].person  # the birthday kept as written travels as BDAY text
    assert bea.birthday is None and bea.extra["unverified"][0] == {"field": "birthday", "value": "31.02.1990"}


def test_typed_input_stays_strict_while_the_same_file_values_are_kept(fresh: Database) -> None:
    from keepwarm.errors import InvalidInputError

    with open_store(fresh, TODAY, None) as store, pytest.raises(InvalidInputError, match="not a valid email"):
        store.people.add(Person(name="Typed Badly", emails=["bea@@example.com"]))


def test_a_set_region_reads_national_numbers_without_another_clue(fresh: Database, no_locale: None,
                                                                   tmp_path: Path) -> None:
    from keepwarm.store.catalog import change_setting

    with open_store(fresh, TODAY, None) as store:
        change_setting(store, "region", "CH")
    f = tmp_path / "c.csv"
    f.write_text("name,phones\nNina Nowhere,0311111111\n", encoding="utf-8")
    assert _import(fresh, f)["notes"] == []
    with open_store(fresh, TODAY, None) as store:
        assert _people(store)["Nina Nowhere"].phones == ["+41311111111"]


def test_the_locale_is_a_region_when_no_setting_says_otherwise(fresh: Database, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    f = tmp_path / "c.csv"
    f.write_text("name,phones,birthday\nHans Meier,030 1234567,--04-15\n", encoding="utf-8")
    _import(fresh, f)
    with open_store(fresh, TODAY, None) as store:
        hans = _people(store)["Hans Meier"]
    assert (hans.phones, hans.birthday) == (["+49301234567"], Birthday(4, 15))


def test_all_odd_files_in_one_import_lose_nobody_on_both_backends(make_store: Any, no_locale: None) -> None:
    with make_store() as store:
        imp = Importer(store)
        for path in sorted(ODD.iterdir()):
            fmt = detect(path)
            imp.add(path.name, fmt, read(fmt, path, known=imp.known(fmt)))
        report = imp.report.to_dict()
    rows = sum(len(people) for people in CASES.values())
    # every row is someone: created, or merged into whoever shares an address or a number with it
    assert report["skipped"] == [] and report["created"] + report["merged"] + report["unchanged"] == rows
    with make_store() as store:
        people = _people(store)
    assert "Omega Point" in people and "omega@example.com" not in people  # the same address, one person
    assert len(people) == report["created"]


def test_a_person_with_values_kept_as_written_can_be_edited_but_a_new_bad_value_is_refused(
        fresh: Database, no_locale: None) -> None:
    from keepwarm.errors import InvalidInputError

    _import(fresh, ODD / "android-bidi-phones.vcf")
    _import(fresh, ODD / "tel-extension.vcf")
    with open_store(fresh, TODAY, None) as store:
        people = _people(store)
        paula, ext = people["Paula Pasted"], people["Ext Ender"]
        paula.company = "Elephant Removals"
        store.people.update(paula)
        store.people.update(ext)
    with open_store(fresh, TODAY, None) as store:
        people = _people(store)
        assert people["Paula Pasted"].phones == ["+442079460958", "+12075550142,,1234", "1-800-ELEPHANT"]
        assert people["Ext Ender"].phones == ["+12075550142;ext=102"]
        paula = people["Paula Pasted"]
        paula.phones.append("12")  # typed now: checked
        with pytest.raises(InvalidInputError, match="phone"):
            store.people.update(paula)
