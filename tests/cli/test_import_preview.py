"""`keepwarm import --dry-run`: who would be created, who merged into whom (and on what), what is skipped
(file, line, field) — as tables and as JSON — and not one row written, on both backends."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from keepwarm.store.models import Base

KNOWN = """BEGIN:VCARD\r
VERSION:3.0\r
FN:Ann Lee\r
EMAIL:ann@example.com\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
FN:Bo Ek\r
URL:https://www.linkedin.com/in/bo-ek\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
FN:Cy Ng\r
TEL:+1 415 555 0100\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
FN:Dana Fox\r
ORG:Acme\r
END:VCARD\r
"""

# cards on line 1: Ann by email, 6: Bo by LinkedIn URL, 11: Cy by phone, 16: Dana by name, 22: someone
# new, 27: a bad BDAY (on line 30)
INCOMING = """BEGIN:VCARD\r
VERSION:3.0\r
FN:Annie Lee\r
EMAIL:ANN@example.com\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
FN:Bob Ek\r
URL:https://www.linkedin.com/in/bo-ek\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
FN:Cyrus Ng\r
TEL:(415) 555-0100\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
FN:Dana Fox\r
ORG:Acme Inc\r
TITLE:CFO\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
FN:Eve Park\r
ORG:Globex\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
FN:Finn Roe\r
BDAY:not-a-date\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
NOTE:a card with nothing to know anyone by\r
END:VCARD\r
"""


def snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to show that a dry run leaves the database exactly as it was."""
    from sqlalchemy import select

    from keepwarm.store.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {t.name: sorted((tuple(r) for r in conn.execute(select(t))), key=repr)
                    for t in Base.metadata.sorted_tables}
    finally:
        engine.dispose()


def test_a_dry_run_lists_who_is_created_merged_on_what_and_skipped_and_writes_nothing(
        cli: Any, db_url: str, tmp_path: Path) -> None:
    (tmp_path / "known.vcf").write_text(KNOWN, newline="")
    incoming = tmp_path / "incoming.vcf"
    incoming.write_text(INCOMING, newline="")
    assert cli("import", str(tmp_path / "known.vcf")).code == 0
    ids = {p["name"]: p["id"] for p in cli("list", "--json").json()}
    before = snapshot(db_url)

    r = cli("import", str(incoming), "--dry-run", "--json")
    assert r.code == 0, r.err
    report = r.json()
    assert snapshot(db_url) == before
    assert [(m["name"], m["into"], m["into_id"], m["matched_on"], m["key"], m["line"])
            for m in report["merges"]] == [
        ("Annie Lee", "Ann Lee", ids["Ann Lee"], "email", "ann@example.com", 1),
        ("Bob Ek", "Bo Ek", ids["Bo Ek"], "linkedin", "https://www.linkedin.com/in/bo-ek", 6),
        ("Cyrus Ng", "Cy Ng", ids["Cy Ng"], "phone", "+14155550100", 11),
        ("Dana Fox", "Dana Fox", ids["Dana Fox"], "name", "Dana Fox", 16)]
    assert report["new_people"] == [
        {"name": "Eve Park", "company": "Globex", "file": str(incoming), "line": 22},
        {"name": "Finn Roe", "company": None, "file": str(incoming), "line": 27}]  # a bad birthday is kept
    nothing = "card without a name, email or phone"
    assert [(s["line"], s["reason"]) for s in report["skipped"]] == [(32, nothing)]
    assert (report["created"], report["merged"]) == (2, 4)

    table = cli("import", str(incoming), "--dry-run")
    assert table.code == 0, table.err
    assert snapshot(db_url) == before
    lines = [" ".join(line.split()) for line in table.out.splitlines()]
    assert "Would be created (2)" in lines and "Would be merged (4)" in lines and "Skipped (1)" in lines
    assert f"Annie Lee Ann Lee email ann@example.com {incoming}:1" in lines
    assert f"Bob Ek Bo Ek LinkedIn URL https://www.linkedin.com/in/bo-ek {incoming}:6" in lines
    assert f"Eve Park Globex {incoming}:22" in lines
    assert any(line.startswith(f"{incoming} 32") and "card without a name" in line for line in lines)


def test_the_real_import_does_what_its_dry_run_said(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "known.vcf").write_text(KNOWN, newline="")
    incoming = tmp_path / "incoming.vcf"
    incoming.write_text(INCOMING, newline="")
    cli("import", str(tmp_path / "known.vcf"))
    dry = cli("import", str(incoming), "--dry-run", "--json").json()
    real = cli("import", str(incoming), "--json").json()
    assert "new_people" not in real and "merges" not in real
    assert {k: v for k, v in dry.items() if k not in ("new_people", "merges", "dry_run")} == \
        {k: v for k, v in real.items() if k != "dry_run"}
    after = {p["id"]: p["name"] for p in cli("list", "--json").json()}
    merged_into = {m["into_id"] for m in dry["merges"]}
    assert len(merged_into) == 4 and merged_into < set(after)  # nobody merged was created twice
    assert sorted(n for i, n in after.items() if i not in merged_into) == ["Eve Park", "Finn Roe"]
    assert cli("show", "Dana Fox", "--json").json()["title"] == "CFO"


def test_a_row_merged_into_someone_the_same_file_creates_says_so(cli: Any, tmp_path: Path) -> None:
    f = tmp_path / "Connections.csv"
    f.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                 "Ann,Lee,,ann@example.com,Acme,,01 Jan 2020\n"
                 "Annie,Lee,,ann@example.com,Acme,CTO,01 Jan 2020\n")
    report = cli("import", str(f), "--dry-run", "--json").json()
    assert [c["name"] for c in report["new_people"]] == ["Ann Lee"]
    assert [(m["name"], m["into"], m["into_id"], m["matched_on"]) for m in report["merges"]] == [
        ("Annie Lee", "Ann Lee", None, "email")]
    out = cli("import", str(f), "--dry-run").out
    assert "Ann Lee (new)" in out


def test_a_long_preview_is_capped_in_the_terminal_and_complete_in_json(cli: Any, tmp_path: Path) -> None:
    f = tmp_path / "Connections.csv"
    f.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                 + "".join(f"Person,Number{n:03},,p{n}@example.com,Acme,,01 Jan 2020\n" for n in range(40)))
    report = cli("import", str(f), "--dry-run", "--json").json()
    assert len(report["new_people"]) == report["created"] == 40
    out = cli("import", str(f), "--dry-run").out
    shown = [line for line in out.splitlines() if line.startswith("Person Number")]
    assert len(shown) == 25 and shown[0].startswith("Person Number000")
    assert "+15 more (--json lists them all)" in out
    assert cli("list", "--json").json() == []
