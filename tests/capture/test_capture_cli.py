"""`keepwarm me`, `keepwarm capture FILE...`, `capture review` and `capture add`, in-process and as a real
process."""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from tests.capture.conftest import MY_ADDRESSES

KEEPWARM = str(Path(sys.executable).with_name("keepwarm"))


def setup(cli):
    assert cli("me", "add", *MY_ADDRESSES).code == 0
    cli("add", "Alice Archer", "--email", "alice@acme.com", "--linkedin", "https://linkedin.com/in/alice-a")
    cli("add", "Bob Baker", "--email", "bob@work.com", "--email", "bob@home.net")


def test_me_lists_adds_and_removes_my_addresses(cli):
    assert "No addresses of yours yet" in cli("me").out
    r = cli("me", "add", "Me@Example.com", "https://www.linkedin.com/in/me-myself/")
    assert r.out.splitlines() == ["Added: email me@example.com", "Added: linkedin linkedin.com/in/me-myself"]
    assert cli("me", "add", "me@example.com").out.startswith("Already known")
    assert cli("me").out.splitlines() == ["email: me@example.com", "linkedin: linkedin.com/in/me-myself"]
    assert cli("me", "rm", "me@example.com").code == 0
    assert cli("me").out.splitlines() == ["linkedin: linkedin.com/in/me-myself"]
    gone = cli("me", "rm", "me@example.com")
    assert gone.code == 3 and "is not one of your addresses" in gone.err


def test_me_refuses_what_is_neither_an_email_nor_a_profile(cli):
    r = cli("me", "add", "just-a-name")
    assert r.code == 2 and r.err.startswith("keepwarm: error: not an email address or a LinkedIn profile")


def test_capture_json_reports_logged_unmatched_and_skipped(cli, files):
    setup(cli)
    r = cli("capture", str(files / "mail.mbox"), "--json")
    assert r.code == 0, r.err
    data = r.json()
    assert [(t["on"], t["people"], t["initiated_by"]) for t in data["logged"]] == [
        ("2026-11-02", ["Alice Archer"], "me"), ("2026-11-03", ["Alice Archer"], "them"),
        ("2026-11-09", ["Bob Baker"], "them"), ("2026-11-11", ["Bob Baker"], "them")]
    assert data["unmatched"][0] == {"key": "carol@other.org", "name": "Carol Stranger", "count": 2}
    assert len(data["skipped"]) == 8
    shown = cli("show", "Alice Archer", "--json").json()
    assert shown["last_touch"] == "2026-11-03"


def test_capture_dry_run_says_so_and_the_agenda_is_untouched(cli, files):
    setup(cli)
    r = cli("capture", "--dry-run", str(files / "mail.mbox"))
    assert r.code == 0 and r.out.startswith("Dry run, nothing written: would have logged 4 touches")
    assert cli("show", "Alice Archer", "--json").json()["last_touch"] is None


def test_review_and_add_make_a_stranger_a_person(cli, files):
    setup(cli)
    cli("capture", str(files / "mail.mbox"), str(files / "calendar.ics"))
    listed = cli("capture", "review", "--json").json()
    assert [r["key"] for r in listed] == ["carol@other.org"]
    assert "carol@other.org" in cli("capture", "review").out
    r = cli("capture", "add", "carol@other.org")
    assert r.code == 0 and r.out.startswith("Added Carol Stranger")
    again = cli("capture", str(files / "mail.mbox"), str(files / "calendar.ics"), "--json").json()
    assert sorted(t["on"] for t in again["logged"]) == ["2026-11-06", "2026-11-07", "2026-11-18"]
    assert cli("capture", "review", "--json").json() == []


def test_adding_an_unknown_key_is_a_clear_error(cli):
    r = cli("capture", "add", "nobody@nowhere.org")
    assert r.code == 3 and "no one to review" in r.err


def test_a_wrong_file_is_one_line_and_writes_nothing(cli, files):
    setup(cli)
    r = cli("capture", str(files / "mail.mbox"), str(files / "not-a-capture.txt"))
    assert r.code == 2 and r.err.count("\n") == 1 and "not-a-capture.txt:1: not a mailbox" in r.err
    r = cli("capture", str(files / "mail.mbox"), str(files / "truncated.mbox"))
    assert r.code == 2 and "truncated mbox" in r.err and "Traceback" not in r.err
    assert cli("show", "Alice Archer", "--json").json()["last_touch"] is None


def test_the_settings_command_knows_the_capture_settings(cli):
    assert "capture_subjects = True" in cli("settings", "capture_subjects", "on").out
    assert cli("settings", "capture_subjects", "maybe").code == 2
    assert "capture_max_people = 4" in cli("settings", "capture_max_people", "4").out


def test_keepwarm_capture_in_a_real_process(tmp_path, files):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEEPWARM_")}
    env.update(KEEPWARM_DB=str(tmp_path / "kw.sqlite3"), KEEPWARM_TODAY="2026-11-25", HOME=str(tmp_path))

    def run(*args):
        return subprocess.run([KEEPWARM, *args], capture_output=True, text=True, env=env, timeout=120)

    assert run("me", "add", *MY_ADDRESSES).returncode == 0
    assert run("add", "Frank Fisher", "--linkedin", "linkedin.com/in/frank-f").returncode == 0
    r = run("capture", str(files / "linkedin.zip"), str(files / "calendar.ics"), "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert [t["action"] for t in data["logged"] if t["people"] == ["Frank Fisher"]] == [
        "message", "message", "comment"]
    assert data["connections"]["created"] == 1
    second = json.loads(run("capture", str(files / "linkedin.zip"), "--json").stdout)
    assert second["logged"] == []
    bad = run("capture", str(files / "broken.ics"))
    assert bad.returncode == 2 and bad.stderr.startswith("keepwarm: error: ")
    assert "broken calendar" in bad.stderr


@pytest.mark.parametrize("damage", ["a flipped byte", "an unknown compression method"])
def test_a_damaged_file_inside_a_linkedin_zip_is_one_line_and_writes_nothing(cli, files, tmp_path, damage):
    setup(cli)
    damaged = tmp_path / "linkedin.zip"
    with zipfile.ZipFile(files / "linkedin.zip") as src, zipfile.ZipFile(damaged, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
    data = bytearray(damaged.read_bytes())
    with zipfile.ZipFile(damaged) as zf:  # flip a byte inside messages.csv's stored data
        info = next(i for i in zf.infolist() if i.filename.lower().endswith("messages.csv"))
    if damage == "a flipped byte":
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        data[start + info.compress_size // 2] ^= 0xFF
    else:  # the central directory's entry of messages.csv names method 99 (zipfile: NotImplementedError)
        entry = data.find(b"PK\x01\x02")
        while data[entry + 46:entry + 46 + len(info.filename)] != info.filename.encode():
            entry = data.find(b"PK\x01\x02", entry + 4)
        data[entry + 10:entry + 12] = (99).to_bytes(2, "little")
    damaged.write_bytes(bytes(data))
    r = cli("capture", str(damaged))
    assert r.code == 2 and r.err.count("\n") == 1 and "Traceback" not in r.err
    assert "linkedin.zip!" in r.err and "messages.csv" in r.err
    assert cli("show", "Alice Archer", "--json").json()["last_touch"] is None
