"""`keepwarm import`, `export`, `dupes`, `merge` and `not-dupes` from the command line."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from icalendar import Calendar

FILES = ("linkedin/Connections.csv", "google/contacts.csv", "outlook/contacts.csv", "vcard/apple-sabrina.vcf",
         "vcard/multi-three.vcf", "vcard/v21-juergen.vcf", "vcard/v4-dawn.vcf")


def count(cli: Any) -> int:
    return len(cli("list", "--json").json())


def test_import_detects_formats_and_reports(cli: Any, fixtures_dir: Path) -> None:
    r = cli("import", *(str(fixtures_dir / f) for f in FILES), "--json")
    assert r.code == 0, r.err
    report = r.json()
    assert (report["created"], report["skipped"]) == (15, [])
    r = cli("import", *(str(fixtures_dir / f) for f in FILES))
    assert r.code == 0 and "0 created, 0 merged, 24 unchanged, 0 skipped" in r.out


def test_dry_run_reports_the_same_and_writes_nothing(cli: Any, fixtures_dir: Path) -> None:
    path = str(fixtures_dir / "linkedin/Connections.csv")
    dry = cli("import", "linkedin", path, "--dry-run", "--json").json()
    assert count(cli) == 0
    real = cli("import", "linkedin", path, "--json").json()
    dry.pop("dry_run")
    assert real.pop("dry_run") is False
    assert len(dry.pop("new_people")) == dry["created"] and len(dry.pop("merges")) == dry["merged"]
    assert dry == real
    assert count(cli) == 11


def test_a_truncated_card_is_one_line_and_nothing_is_written(cli: Any, fixtures_dir: Path) -> None:
    bad = fixtures_dir / "vcard/malformed-truncated.vcf"
    r = cli("import", str(fixtures_dir / "linkedin/Connections.csv"), str(bad))
    assert r.code != 0
    assert r.err.strip().splitlines() == [
        f"keepwarm: error: {bad}:7: card starting on line 1 has no END:VCARD"]
    assert count(cli) == 0


def test_wrong_header_binary_and_wrong_encoding_are_one_line_errors(cli: Any, tmp_path: Path,
                                                                    fixtures_dir: Path) -> None:
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    mojibake = tmp_path / "google.csv"
    mojibake.write_bytes(b"First Name,Labels\nAnn \x81\x8d,x\n")
    latin = tmp_path / "contacts.vcf"
    latin.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ren\xe9\r\n")
    for args, expected in (
        (("linkedin", str(fixtures_dir / "google/contacts.csv")),
         "contacts.csv:1: no LinkedIn Connections header"),
        (("google", str(binary)), "photo.csv:3: binary data"),
        ((str(binary),), "photo.csv:3: binary data"),
        (("google", str(mojibake)), "google.csv:2: neither UTF-8 nor cp1252 text"),
        (("vcard", str(latin)), "contacts.vcf:1: card starting on line 1 has no END:VCARD"),
    ):
        r = cli("import", *args)
        assert r.code != 0 and len(r.err.strip().splitlines()) == 1, r.err
        assert expected in r.err
    assert count(cli) == 0


def test_csv_import_with_a_map_and_tag(cli: Any, tmp_path: Path) -> None:
    f = tmp_path / "crm.csv"
    f.write_text("Full Name,Mail,Firm\nAnn Lee,ann@example.com,Acme\n")
    r = cli("import", "csv", str(f), "--map", "Full Name=name", "--map", "Mail=email",
            "--map", "Firm=company", "--tag", "crm")
    assert r.code == 0, r.err
    shown = cli("show", "Ann Lee", "--json").json()
    assert (shown["emails"], shown["company"], shown["tags"]) == (["ann@example.com"], "Acme", ["crm"])
    bad = cli("import", "csv", str(f), "--map", "Mail=shoe size")
    assert bad.code != 0 and "unknown field 'shoe size'" in bad.err


def test_export_vcard_vdir_csv_and_json_round_trip(cli: Any, fixtures_dir: Path, tmp_path: Path) -> None:
    cli("import", *(str(fixtures_dir / f) for f in FILES))
    card = tmp_path / "all.vcf"
    assert cli("export", "vcard", "-o", str(card)).code == 0
    assert card.read_text().count("BEGIN:VCARD") == 15
    vdir = tmp_path / "contacts"
    assert cli("export", "vcard", "--vdir", str(vdir), "--version", "4.0").code == 0
    files = sorted(vdir.glob("*.vcf"))
    assert len(files) == 15
    stamps = {f.name: f.stat().st_mtime_ns for f in files}
    assert cli("export", "vcard", "--vdir", str(vdir), "--version", "4.0").code == 0
    assert {f.name: f.stat().st_mtime_ns for f in sorted(vdir.glob("*.vcf"))} == stamps  # nothing rewritten
    assert "VERSION:4.0" in files[0].read_text()
    sabrina = next(f for f in files if "Sabrina" in f.read_text())
    assert sabrina.name == "6B29FC40-CA47-1067-B31D-00DD010662DA.vcf" or sabrina.name.endswith(".vcf")
    # the CSV export re-imports without a mapping and changes nothing
    out = tmp_path / "people.csv"
    assert cli("export", "csv", "-o", str(out)).code == 0
    r = cli("import", "csv", str(out), "--json").json()
    assert (r["created"], r["skipped"]) == (0, [])
    # so does the vCard export
    r = cli("import", str(card), "--json").json()
    assert (r["created"], r["merged"], r["skipped"]) == (0, 0, [])


def test_ics_feed_parses_back_with_birthdays_events_and_stable_uids(cli: Any, fixtures_dir: Path,
                                                                    tmp_path: Path) -> None:
    cli("import", *(str(fixtures_dir / f) for f in FILES))
    cli("log", "Bob McIntosh", "coffee", "--date", "2026-05-01")
    cli("plan", "Li Wei", "coffee", "--on", "2026-12-01")
    out = tmp_path / "k.ics"
    assert cli("export", "ics", "-o", str(out), "--name", "My network").code == 0
    cal = Calendar.from_ical(out.read_bytes())
    assert str(cal["X-WR-CALNAME"]) == "My network"
    assert "REFRESH-INTERVAL" in cal
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    nadia = next(e for e in events.values() if "Nadia Haddad" in str(e["SUMMARY"]))
    assert nadia["DTSTART"].dt.isoformat() == "2000-02-29"
    assert nadia["RRULE"]["BYMONTHDAY"] == [-1]  # shows on 28 February in common years
    from dateutil.rrule import rrulestr

    rule = rrulestr(nadia["RRULE"].to_ical().decode(), dtstart=datetime(2000, 2, 29))
    assert [d.date().isoformat() for d in rule.between(datetime(2026, 1, 1), datetime(2028, 12, 31))] == [
        "2026-02-28", "2027-02-28", "2028-02-29"]
    sabrina = next(e for e in events.values() if "Sabrina Woods" in str(e["SUMMARY"]))
    assert sabrina["DTSTART"].dt.isoformat() == "2000-04-15"  # year unknown
    assert any("Scott Woodard" in str(e["SUMMARY"]) and e["DTSTART"].dt.isoformat() == "2026-12-15"
               for e in events.values())
    assert any(str(e["SUMMARY"]) == "coffee: Li Wei" for e in events.values())
    assert any(str(e["SUMMARY"]) == "Touch base: Bob McIntosh" for e in events.values())
    again = tmp_path / "k2.ics"
    cli("export", "ics", "-o", str(again), "--name", "My network")
    assert again.read_bytes() == out.read_bytes()


def test_dupes_merge_and_not_dupes(cli: Any, tmp_path: Path) -> None:
    cli("add", "Sabrina Woods", "--company", "Woods Career Services", "--email", "s@example.org")
    cli("add", "Sabrina Wood", "--company", "Woods Career Services", "--phone", "+1 207 555 0142")
    cli("add", "Sam Green", "--company", "Acme")
    cli("add", "Sam Greene", "--company", "Acme")
    found = cli("dupes", "--json").json()
    assert len(found) == 2 and all(c["score"] >= 85 and c["evidence"] for c in found)
    assert cli("not-dupes", "Sam Green", "Sam Greene").code == 0
    [left] = cli("dupes", "--json").json()
    assert {left["a"]["name"], left["b"]["name"]} == {"Sabrina Woods", "Sabrina Wood"}
    r = cli("merge", "Sabrina Woods", "Sabrina Wood")
    assert r.code == 0, r.err
    shown = cli("show", "Sabrina Woods", "--json").json()
    assert shown["emails"] == ["s@example.org"] and shown["phones"] == ["+12075550142"]
    assert cli("dupes", "--json").json() == []
    assert "No likely duplicates" in cli("dupes").out


def test_json_backup_restores_through_the_cli_and_merges_with_people_only(cli: Any, tmp_path: Path) -> None:
    assert cli("demo").code == 0
    backup = tmp_path / "backup.json"
    assert cli("export", "json", "-o", str(backup)).code == 0
    before = cli("today", "--json").json()
    refused = cli("import", str(backup))
    assert refused.code != 0 and "only into an empty network" in refused.err
    merged = cli("import", "json", str(backup), "--people-only", "--json").json()
    assert merged["created"] == 0 and merged["unchanged"] == len(cli("list", "--json").json())
    fresh = tmp_path / "fresh.sqlite3"
    r = cli("--db", f"sqlite:///{fresh}", "import", str(backup))
    assert r.code == 0 and "restored the backup" in r.out
    assert cli("--db", f"sqlite:///{fresh}", "today", "--json").json() == before


def test_export_to_standard_output(cli: Any, fixtures_dir: Path) -> None:
    cli("import", str(fixtures_dir / "vcard/v4-dawn.vcf"))
    r = cli("export", "vcard", "--version", "4.0")
    assert r.code == 0 and "VERSION:4.0" in r.out and "PHOTO:data:image/png;base64," in r.out
    r = cli("export", "csv")
    assert r.out.splitlines()[0].startswith("uid,name,given_name")
    assert "Dawn Graham" in r.out
