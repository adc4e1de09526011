"""Importing into a real database (SQLite and PostgreSQL): merging across sources, idempotence, edits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from keepwarm.core.birthdays import Birthday
from keepwarm.core.people import Person
from keepwarm.formats import detect, read
from keepwarm.store.backup import dump
from keepwarm.store.imports import Importer

FILES = ("linkedin/Connections.csv", "google/contacts.csv", "outlook/contacts.csv", "vcard/apple-sabrina.vcf",
         "vcard/multi-three.vcf", "vcard/v21-juergen.vcf", "vcard/v4-dawn.vcf")


def run(make_store: Any, *paths: Path, tags: tuple[str, ...] = (), known: bool = True) -> dict[str, Any]:
    """Import ``paths`` as the CLI does: readers skip the rows imported before (unless not ``known``)."""
    with make_store() as store:
        imp = Importer(store, tags=tags)
        for p in paths:
            kind = detect(p)
            imp.add(str(p), kind, read(kind, p, known=imp.known(kind) if known else None))
        return imp.report.to_dict()


def everyone(make_store: Any) -> dict[str, Person]:
    with make_store() as store:
        rows = store.people.rows(store.people.query())
        return {p.name: p for p in store.people.load([r.id for r in rows])}


def test_every_fixture_imports_and_the_same_people_merge_across_sources(make_store: Any,
                                                                        fixtures_dir: Path) -> None:
    report = run(make_store, *(fixtures_dir / f for f in FILES))
    assert report["skipped"] == []
    people = everyone(make_store)
    assert report["created"] == len(people) == 15
    s = people["Sabrina Woods"]  # in LinkedIn, Google and the Apple card
    assert s.emails == ["sabrina.woods@example.org", "swoods@example.com"]
    assert s.phones == ["+12075550142"]
    assert [k.url for k in s.links] == ["https://www.linkedin.com/in/sabrina-woods"]
    assert s.company == "Woods Career Services" and s.title == "Founder & Coach"
    assert s.birthday == Birthday(4, 15)
    assert s.how_met == "LinkedIn" and s.met_on.isoformat() == "2020-06-17"
    assert s.tags == ["Coaches", "Maine"]
    assert s.extra["dates"] == [{"label": "anniversary", "date": "2012-06-30"}]
    assert "Loves mystery novels." in s.notes and "Ask about her new workshop." in s.notes
    scott = people["Scott Woodard"]  # Google has no key in common with LinkedIn: the name and no conflict
    assert scott.phones == ["+12075550199"] and scott.birthday == Birthday(10, 3, 1971)
    assert scott.company == "Maine Workforce Board"
    claire = people["Claire Peters"]  # LinkedIn, Outlook and a vCard, by email
    assert claire.phones == ["+447700900123", "+442079460958"]
    assert claire.company == "Peters & Co" and claire.birthday == Birthday(7, 9, 1988)
    assert people["Bob McIntosh"].nickname == "Bobby"
    assert people["Dawn Graham"].extra["vcard"][0].startswith("PHOTO:data:image/png;base64,")
    assert people["Jürgen Müller"].phones == ["+49301234567"]
    with make_store() as store:
        events = store.touches.events_of(store.people.resolve("Scott Woodard").id)
        assert [(e.kind, e.on_date.isoformat()) for e in events] == [("moving", "2026-12-15")]


def test_reimporting_every_fixture_changes_nothing(make_store: Any, fixtures_dir: Path) -> None:
    run(make_store, *(fixtures_dir / f for f in FILES))
    with make_store() as store:
        before = dump(store)
    again = run(make_store, *(fixtures_dir / f for f in FILES))
    assert (again["created"], again["merged"], again["events"]) == (0, 0, 0)
    assert again["unchanged"] == 24
    # readers that read every row again (as the web import's do) come to the same
    assert run(make_store, *(fixtures_dir / f for f in FILES), known=False) == again
    with make_store() as store:
        assert dump(store) == before


def test_a_reader_yields_rows_imported_before_as_bare_records(fixtures_dir: Path) -> None:
    for name in FILES:
        f = fixtures_dir / name
        kind = detect(f)
        if kind == "json":
            continue
        full = list(read(kind, f))
        some = {r.key for r in full[::2] if r.key}
        bare = list(read(kind, f, known=some.__contains__))
        assert [(r.line, r.key) for r in bare] == [(r.line, r.key) for r in full], name
        for a, b in zip(full, bare, strict=True):
            assert (b.person.name == "") == (a.key in some), name  # known rows: a placeholder person
            if a.key not in some:
                assert b.person.name == a.person.name and b.problem == a.problem


def test_your_edits_survive_a_reimport(make_store: Any, fixtures_dir: Path) -> None:
    linkedin, google = fixtures_dir / "linkedin/Connections.csv", fixtures_dir / "google/contacts.csv"
    run(make_store, linkedin, google)
    with make_store() as store:
        p = store.people.get(store.people.resolve("Sabrina Woods").id)
        p.company = "Woods & Partners"
        p.emails = ["sabrina.woods@example.org"]  # dropped swoods@example.com
        p.tags = ["Mentors"]  # dropped Coaches
        p.notes = None
        store.people.update(p)
    report = run(make_store, linkedin, google)
    assert report["created"] == 0
    s = everyone(make_store)["Sabrina Woods"]
    assert s.company == "Woods & Partners"
    assert s.emails == ["sabrina.woods@example.org"]
    assert s.tags == ["Mentors"]
    assert s.notes is None


def test_a_changed_source_value_flows_in_when_you_did_not_edit_it(make_store: Any, tmp_path: Path) -> None:
    header = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    f = tmp_path / "Connections.csv"
    f.write_text(header + "Ann,Lee,https://www.linkedin.com/in/ann,,Acme,CTO,01 Jan 2020\n")
    run(make_store, f)
    f.write_text(header + "Ann,Lee,https://www.linkedin.com/in/ann,ann@example.com,Globex,CEO,01 Jan 2020\n")
    report = run(make_store, f)
    assert (report["created"], report["merged"]) == (0, 1)
    ann = everyone(make_store)["Ann Lee"]
    assert (ann.company, ann.title, ann.emails) == ("Globex", "CEO", ["ann@example.com"])


def test_bulk_import_keeps_maintained_columns_like_adding_by_hand(make_store: Any, tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_text("name,emails,circle,birthday,every_days\nJosé Núñez,jose@example.com,close,--02-29,\n")
    run(make_store, f)
    with make_store() as store:
        store.people.add(Person(name="Hand Made", emails=["hand@example.com"], circle="close",
                                birthday=Birthday(2, 29)))
    with make_store() as store:
        imported, hand = (store.people.resolve(n) for n in ("José Núñez", "Hand Made"))
        assert imported.name_folded == "jose nunez"
        for col in ("cadence_days", "intro_score", "bday_mmdd", "circle_id", "created_on", "strength_base",
                    "balance"):
            assert getattr(imported, col) == getattr(hand, col), col


def test_a_bad_field_is_kept_as_written_and_reported_with_file_line_and_field(make_store: Any,
                                                                             tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_text("name,emails,circle\nGood One,good@example.com,\nBad Mail,not-an-email,\n"
                 "Bad Circle,,nowhere\n,,\n")
    report = run(make_store, f, tags=("imported",))
    assert report["created"] == 3
    assert report["notes"] == [f"{f}:3: kept in the notes: email 'not-an-email'",
                               f"{f}:4: kept as a tag: unknown circle 'nowhere'"]
    people = everyone(make_store)
    assert people["Bad Mail"].notes == "email: not-an-email"
    assert people["Bad Circle"].tags == ["imported", "nowhere"]
    assert everyone(make_store)["Good One"].tags == ["imported"]


def test_the_same_person_twice_in_one_file_is_one_person(make_store: Any, tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_text("name,emails,phones\nAnn Lee,ann@example.com,\nAnn Lee,ann@example.com,+1 207 555 0100\n")
    report = run(make_store, f)
    assert (report["created"], report["merged"]) == (1, 1)
    assert everyone(make_store)["Ann Lee"].phones == ["+12075550100"]


def test_two_people_with_one_name_and_different_companies_stay_apart(make_store: Any, tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_text("name,company\nSam Green,Acme Robotics\n")
    g = tmp_path / "d.csv"
    g.write_text("name,company\nSam Green,Blue Bakery\n")
    run(make_store, f, g)
    with make_store() as store:
        assert store.people.count(store.people.query(text="Sam Green")) == 2


def test_keepwarm_csv_export_columns_reimport_by_uid(make_store: Any, tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_text("uid,name,every_days,circle\nabc-123,Ann Lee,30,close\n")
    run(make_store, f)
    f.write_text("uid,name,every_days,circle\nabc-123,Ann Leigh,30,close\n")  # renamed at the source
    report = run(make_store, f)
    assert (report["created"], report["merged"]) == (0, 1)
    with make_store() as store:
        [ann] = store.people.load([r.id for r in store.people.rows(store.people.query())])
    assert (ann.uid, ann.name, ann.every_days, ann.circle) == ("abc-123", "Ann Leigh", 30, "close")


def test_an_email_of_someone_else_is_left_out_with_a_note(make_store: Any, tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_text("name,emails,linkedin\nAnn Lee,ann@example.com,https://www.linkedin.com/in/ann\n"
                 "Bo Ek,bo@example.com,\n")
    run(make_store, f)
    g = tmp_path / "d.csv"
    g.write_text("name,emails,linkedin\nAnn Lee,bo@example.com,https://www.linkedin.com/in/ann\n")
    report = run(make_store, g)
    assert report["notes"] == [f"{g}:2: bo@example.com already belongs to someone else; left out "
                               "(see `keepwarm dupes`)"]
    people = everyone(make_store)  # the row is Ann's by name and LinkedIn URL; Bo keeps his email
    assert people["Ann Lee"].emails == ["ann@example.com"] and people["Bo Ek"].emails == ["bo@example.com"]
    assert people["Bo Ek"].links == []


def test_the_fast_email_path_agrees_with_email_validator() -> None:
    from email_validator import SPECIAL_USE_DOMAIN_NAMES

    from keepwarm.core.people import normalize_email
    from keepwarm.errors import InvalidInputError
    from keepwarm.store.imports import SPECIAL_USE_DOMAINS, _email

    assert tuple(SPECIAL_USE_DOMAIN_NAMES) == SPECIAL_USE_DOMAINS
    for raw in ("Ann.Lee@Example.COM", "a+b@sub.example.org", "x_y-z@a-b.co", "a@b.test",
                "a..b@example.com", "ünïcode@example.com", "a@example", ".a@example.com", "a@-x.com",
                "a@x.onion", "a" * 65 + "@x.com"):
        try:
            expected = normalize_email(raw)
        except InvalidInputError:
            expected = None
        try:
            got = _email(raw)
        except InvalidInputError:
            got = None
        assert got == expected, raw


def test_rows_already_imported_are_skipped_until_their_person_is_removed(make_store: Any,
                                                                         fixtures_dir: Path) -> None:
    linkedin = fixtures_dir / "linkedin/Connections.csv"
    run(make_store, linkedin)
    with make_store() as store:
        store.people.remove(store.people.resolve("Li Wei").id)
    report = run(make_store, linkedin)
    assert (report["created"], report["unchanged"]) == (1, 10)  # Li Wei comes back, nobody else changes
    tagged = run(make_store, linkedin, tags=("2026",))  # new options: the rows are read again
    assert tagged["merged"] == 11
    assert everyone(make_store)["Li Wei"].tags == ["2026"]


def test_merging_two_people_keeps_their_imported_rows_known(make_store: Any, tmp_path: Path) -> None:
    from keepwarm.store.dupes import merge

    f = tmp_path / "c.csv"
    f.write_text("name,emails\nAnn Lee,ann@example.com\nAnn Leigh,ann.leigh@example.com\n")
    run(make_store, f)
    with make_store() as store:
        merge(store, store.people.resolve("Ann Lee").id, store.people.resolve("Ann Leigh").id)
    report = run(make_store, f)
    assert (report["created"], report["unchanged"]) == (0, 2)
    assert everyone(make_store)["Ann Lee"].emails == ["ann@example.com", "ann.leigh@example.com"]


def test_the_same_row_twice_in_one_file(make_store: Any, tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_text("name,emails\nAnn Lee,ann@example.com\nAnn Lee,ann@example.com\n")
    report = run(make_store, f)
    assert (report["created"], report["unchanged"]) == (1, 1)
    assert run(make_store, f)["unchanged"] == 2


def test_an_import_leaves_the_sqlite_page_cache_as_it_found_it(make_store: Any, fixtures_dir: Path) -> None:
    with make_store() as store:
        conn = store.session.connection()
        if conn.dialect.name != "sqlite":
            return  # the page cache is SQLite's
        before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        imp = Importer(store)
        f = fixtures_dir / "linkedin/Connections.csv"
        imp.add(str(f), "linkedin", read("linkedin", f))
        assert imp.report.created > 0
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == before


def test_an_import_normalises_emails_as_adding_does_and_keeps_the_others_unverified(
        make_store: Any, tmp_path: Path) -> None:
    """Domains with "--" in a label: IDNA ones (``xn--``) are stored in Unicode, as ``keepwarm add``
    stores them; reserved ones (``ab--cd``), which ``keepwarm add`` refuses, are kept as written."""
    f = tmp_path / "c.csv"
    f.write_text("name,emails\nAnn Lee,ann@xn--mnchen-3ya.de\nBo Ek,bo@ab--cd.com\n", encoding="utf-8")
    report = run(make_store, f)
    assert report["skipped"] == [] and report["notes"] == [f"{f}:3: kept as written: email 'bo@ab--cd.com'"]
    assert everyone(make_store)["Ann Lee"].emails == ["ann@münchen.de"]
    bo = everyone(make_store)["Bo Ek"]
    assert bo.emails == ["bo@ab--cd.com"]
    assert bo.extra["unverified"] == [{"field": "email", "value": "bo@ab--cd.com"}]
    g = tmp_path / "d.csv"  # the same address as written in Unicode is the same person
    g.write_text("name,emails\nAnnie Lee,ann@münchen.de\n", encoding="utf-8")
    assert run(make_store, g)["merged"] == 1
