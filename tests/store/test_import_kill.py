"""A real `keepwarm import` process killed with SIGKILL in the middle leaves the database as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from keepwarm.core.people import Person
from keepwarm.store import Database, open_store
from keepwarm.store.backup import dump

ROWS = 120_000


def write_connections(path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        fh.write("Notes:\n\"preamble\"\n\n")
        fh.write("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n")
        for i in range(ROWS):
            fh.write(f"Ann{i},Lee{i},https://www.linkedin.com/in/ann-{i},,Acme,CTO,01 Jan 2020\n")


def test_sigkill_during_a_large_import_leaves_the_database_unchanged(sqlite_url: str,
                                                                     tmp_path: Path) -> None:
    db = Database(sqlite_url)
    with open_store(db, date(2026, 11, 25)) as store:
        store.people.add(Person(name="Already Here", emails=["here@example.com"]))
    with open_store(db, date(2026, 11, 25)) as store:
        before = dump(store)
    db.dispose()
    big = tmp_path / "Connections.csv"
    write_connections(big)
    path = sqlite_url.split(":///", 1)[1]
    wal = Path(path + "-wal")
    cmd = [sys.executable, "-m", "keepwarm.cli.app", "--db", sqlite_url, "import", str(big)]
    proc = subprocess.Popen(cmd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "KEEPWARM_TODAY": "2026-11-25"})
    deadline = time.monotonic() + 120
    start_size = wal.stat().st_size if wal.exists() else 0
    while time.monotonic() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > start_size + 512 * 1024:
            break  # the import is writing its rows
        time.sleep(0.01)
    assert proc.poll() is None, "the import finished before it could be killed; make the file larger"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    db = Database(sqlite_url)
    with open_store(db, date(2026, 11, 25)) as store:
        assert dump(store) == before
    db.dispose()
