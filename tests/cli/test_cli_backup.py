"""keepwarm backup and restore: a consistent copy of a live SQLite database, and putting it back."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

from keepwarm.core.people import Person

RUN = [sys.executable, "-m", "keepwarm.cli.app"]


def _counts(path: Path) -> tuple[int, int]:
    """(people, data version) of the only account in the SQLite file ``path``."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        people = conn.execute("SELECT count(*) FROM people").fetchone()[0]
        version = conn.execute("SELECT value FROM settings WHERE key = 'data_version'").fetchone()
        return people, int(version[0]) if version else 0
    finally:
        conn.close()


def test_a_backup_taken_during_writes_is_one_consistent_moment(sqlite_url, tmp_path):
    from keepwarm.store import Database, open_store

    db = Database(sqlite_url)
    stop = threading.Event()
    added: list[int] = []

    def writer() -> None:  # each transaction adds one person and moves the data version by one
        while not stop.is_set():
            with open_store(db, date(2026, 11, 25)) as store:
                store.people.add(Person(f"Person {len(added)}"))
            added.append(1)

    env = {**os.environ, "KEEPWARM_DB": sqlite_url, "KEEPWARM_CONFIG_DIR": str(tmp_path)}
    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(added) < 20:
            thread.join(0.05)
        targets = [tmp_path / f"b{i}.sqlite3" for i in range(3)]
        for target in targets:
            r = subprocess.run([*RUN, "backup", "--to", str(target)], env=env, capture_output=True,
                               text=True, timeout=120)
            assert r.returncode == 0 and f"Backed up the database to {target}" in r.stdout, r.stderr
    finally:
        stop.set()
        thread.join()
        db.dispose()
    for target in targets:
        people, version = _counts(target)
        assert people >= 20 and people == version  # never a person without its transaction's bump
        assert not target.with_name(target.name + ".partial").exists()
    assert _counts(targets[-1])[0] <= len(added)


def test_restore_puts_back_exactly_what_was_backed_up(cli, db_url, tmp_path):
    if not db_url.startswith("sqlite"):
        r = cli("backup")
        assert r.code == 6 and "pg_dump" in r.err  # PostgreSQL: its own tools, explained
        return
    assert cli("add", "Kept Person").code == 0
    target = tmp_path / "snap.sqlite3"
    assert cli("backup", "--to", str(target)).code == 0
    assert cli("backup", "--to", str(target)).code != 0  # never over an existing file
    assert cli("add", "Added Later").code == 0
    assert cli("rm", "Kept Person", "--yes").code == 0
    assert cli("restore", str(target), "--yes").code == 0
    listed = cli("list").out
    assert "Kept Person" in listed and "Added Later" not in listed
    not_a_backup = tmp_path / "junk.sqlite3"
    not_a_backup.write_bytes(b"not a database at all, just some bytes" * 200)
    r = cli("restore", str(not_a_backup), "--yes")
    assert r.code != 0 and "not a keepwarm database backup" in r.err
    assert "Kept Person" in cli("list").out
