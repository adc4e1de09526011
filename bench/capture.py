"""Benchmark of ``keepwarm capture`` on a generated mbox, next to a stdlib ``mailbox`` pass that reads the
same headers of the same file, and their ratio (the goal: capture within 3x of that pass).

The mailbox is five years of mail: 40% bulk (lists, newsletters), 10% robots, 20% strangers, 30% with 500
people of the network, half sent and half received, a few with many recipients.

Run: ``.venv/bin/python bench/capture.py [MESSAGES]`` (default 50000; run the full size once, not in a loop).
"""

from __future__ import annotations

import mailbox
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from keepwarm.core.people import Person
from keepwarm.store import Database, open_store
from keepwarm.store.capture import capture_files
from keepwarm.store.correspondents import me_add

TODAY = date(2026, 11, 25)
PEOPLE = 500
STRANGERS = 2000
HEADERS = ("From", "To", "Cc", "Date", "Message-ID", "Subject", "List-Unsubscribe", "List-Id", "Precedence",
           "Auto-Submitted")


def generate(path: Path, n: int) -> None:
    """An mbox of ``n`` messages with short bodies."""
    rnd = random.Random(n)
    start = datetime(TODAY.year - 5, TODAY.month, TODAY.day, tzinfo=UTC)
    span = int((datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=UTC) - start).total_seconds())
    with path.open("w") as out:
        for i in range(n):
            when = start + timedelta(seconds=rnd.randrange(span))
            roll = rnd.random()
            extra = ""
            if roll < 0.4:
                frm, to, extra = f"news{i % 50}@shop{i % 50}.com", "me@example.com", "List-Unsubscribe: <x>\n"
            elif roll < 0.5:
                frm, to = f"noreply@service{i % 20}.io", "me@example.com"
            elif roll < 0.7:
                other = f"stranger{rnd.randrange(STRANGERS)}@elsewhere.org"
                frm, to = (other, "me@example.com") if rnd.random() < 0.5 else ("me@example.com", other)
            else:
                other = f"person{rnd.randrange(PEOPLE)}@network.org"
                frm, to = (other, "me@example.com") if rnd.random() < 0.5 else ("me@example.com", other)
                if rnd.random() < 0.05:
                    to += ", " + ", ".join(f"person{rnd.randrange(PEOPLE)}@network.org" for _ in range(4))
            out.write(f"From {frm} {when:%a %b %d %H:%M:%S %Y}\nFrom: {frm}\nTo: {to}\n"
                      f"Date: {format_datetime(when)}\nMessage-ID: <{i}.{n}@bench>\nSubject: Message {i}\n"
                      f"{extra}\nHello,\n\nthis is message {i}, a short body.\n\n-- \nSomeone\n\n")


def stdlib_pass(path: Path) -> float:
    """Seconds for :mod:`mailbox` to read the same headers of every message."""
    t = time.perf_counter()
    for msg in mailbox.mbox(str(path), create=False):
        for h in HEADERS:
            msg.get(h)
    return time.perf_counter() - t


def capture_pass(path: Path, dbfile: Path) -> tuple[float, int]:
    """Seconds for a full capture into a fresh SQLite database with PEOPLE people, and touches logged."""
    db = Database(f"sqlite:///{dbfile}")
    with open_store(db, TODAY) as store:
        for i in range(PEOPLE):
            store.people.add(Person(name=f"Person {i}", emails=[f"person{i}@network.org"]))
        me_add(store, "me@example.com")
    t = time.perf_counter()
    with open_store(db, TODAY) as store:
        report = capture_files(store, [str(path)])
    took = time.perf_counter() - t
    db.dispose()
    return took, len(report["logged"])


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.mbox"
        generate(path, n)
        base = stdlib_pass(path)
        took, logged = capture_pass(path, Path(tmp) / "bench.sqlite3")
    print(f"{n} messages: stdlib mailbox pass "
          f"{base:.2f}s, keepwarm capture {took:.2f}s ({logged} touches logged), ratio {took / base:.2f}x "
          f"(goal: within 3x)")


if __name__ == "__main__":
    main()
