"""Benchmark: importing LinkedIn and Google exports, against a stdlib floor measured in the same run.

    python bench/imports.py [--rows 30000] [--big 300000]

Prints, each as a whole process (interpreter start included):
- the first import of a LinkedIn-shaped CSV (`keepwarm import`), the floor (plain `csv` reading plus one
  `executemany` into SQLite of the same rows) and their ratio (target: < 2 s and within 4x);
- re-importing the same file plus a Google CSV of as many overlapping people, with duplicate matching
  (target: < 6 s together);
- the peak memory of importing a file of ``--big`` rows (target: < 300 MB).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIRST = ["Ana", "Bob", "Chen", "Dana", "Eli", "Fatima", "Gus", "Hana", "Ivan", "José", "Kemal", "Lena", "Mia",
         "Noor", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Vera", "Wei", "Xavi", "Yara",
         "Zoë"]
LAST = ["Smith", "García", "Müller", "Okafor", "Nguyen", "Kowalski", "O'Brien", "Haddad", "Silva", "Ivanova",
        "Tanaka", "Johansson", "Rossi", "Dubois", "Khan", "Cohen", "Novak", "Popescu", "Lindqvist", "Park"]
COMPANIES = ["Acme, Inc.", "Globex", "Initech", "Umbrella Corp", "Stark Industries", "Wayne Enterprises",
             "Tate \"Careers\" Group", "Hooli", "Vehement Capital", "Soylent"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
FLOOR = r'''
import csv, sqlite3, sys
rows = []
with open(sys.argv[1], encoding="utf-8-sig", newline="") as fh:
    reader = csv.reader(fh)
    for cells in reader:
        if cells[:3] == ["First Name", "Last Name", "URL"]:
            break
    rows = [tuple(c) for c in reader if any(c)]
db = sqlite3.connect(sys.argv[2])
db.execute("PRAGMA journal_mode=WAL")
db.execute("CREATE TABLE people (first TEXT, last TEXT, url TEXT, email TEXT, company TEXT, position TEXT,"
           " connected TEXT)")
db.executemany("INSERT INTO people VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
db.commit()
'''
SCHEMA_FLOOR = r'''
import sqlite3, sys, time
src, dst = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
dst.execute("PRAGMA journal_mode=WAL"); dst.execute("PRAGMA synchronous=NORMAL")
names = [r[0] for r in dst.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
rows = {}
for name in names:
    if dst.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == 0:
        rows[name] = src.execute(f'SELECT * FROM "{name}"').fetchall()
start = time.perf_counter()
for name, values in rows.items():
    if values:
        dst.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" * len(values[0]))})', values)
dst.commit()
print(time.perf_counter() - start, sum(map(len, rows.values())))
'''
MEASURE = r'''
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
'''


def person(i: int) -> tuple[str, str, str, str, str, str]:
    rnd = random.Random(i)
    first, last = rnd.choice(FIRST), rnd.choice(LAST)
    slug = f"{first}-{last}-{i}".lower().replace("'", "").replace(" ", "-")
    email = f"{slug}@example.com" if i % 10 == 0 else ""
    return first, f"{last} {i}", f"https://www.linkedin.com/in/{slug}", email, rnd.choice(COMPANIES), \
        rnd.choice(["Engineer, Platform", "Coach", "Director", "Recruiter", "Founder & CEO"])


def write_linkedin(path: Path, rows: int) -> None:
    """A LinkedIn Connections.csv with a BOM, the Notes preamble and padding rows."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        fh.write('Notes:\r\n"When exporting your connection data, you may notice that some of the email '
                 'addresses are missing."\r\n\r\n')
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i in range(rows):
            first, last, url, email, company, position = person(i)
            day = f"{1 + i % 28:02d} {MONTHS[i % 12]} {2010 + i % 15}"
            w.writerow([first, last, url, email, company, position, day])
            if i % 5000 == 4999:
                w.writerow([""] * 7)


def write_google(path: Path, rows: int) -> None:
    """A Google Contacts CSV: two thirds of the people overlap the LinkedIn file (by email, LinkedIn URL or
    name and company), the rest are new; phones, labels and birthdays included."""
    header = ["First Name", "Last Name", "Organization Name", "Organization Title", "Birthday", "Labels",
              "E-mail 1 - Label", "E-mail 1 - Value", "Phone 1 - Label", "Phone 1 - Value",
              "Website 1 - Label",
              "Website 1 - Value"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for i in range(rows):
            n = i if i % 3 else rows + i  # every third person is new
            first, last, url, email, company, position = person(n)
            kind = i % 3
            website = url if kind == 1 else ""
            email = email or (f"g{n}@example.org" if kind == 2 else "")
            phone = f"+1 207 555 {n % 10000:04d}" if i % 4 == 0 else ""
            bday = (f"19{60 + n % 40}-{1 + n % 12:02d}-{1 + n % 28:02d}" if i % 2
                    else f" --{1 + n % 12:02d}-15")
            w.writerow([first, last, company, position, bday, "* myContacts ::: Friends", "* Work", email,
                        "Mobile", phone, "Profile", website])


class Timing:
    """Wall-clock and CPU (user + system) seconds of one child process."""

    def __init__(self, wall: float, cpu: float) -> None:
        self.wall, self.cpu = wall, cpu

    def __str__(self) -> str:
        return f"{self.wall:.2f} s (CPU {self.cpu:.2f} s)"


def run(cmd: list[str]) -> Timing:
    """Run a command as a whole process; CPU time is reported too, as it suffers less from a busy
    machine than wall-clock time."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    proc.returncode = 0
    return Timing(wall, usage.ru_utime + usage.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=30_000)
    ap.add_argument("--big", type=int, default=300_000)
    args = ap.parse_args()
    kw = [sys.executable, "-m", "keepwarm.cli.app"]
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        linkedin, google, big = d / "Connections.csv", d / "google.csv", d / "big.csv"
        write_linkedin(linkedin, args.rows)
        write_google(google, args.rows)
        db = d / "kw.sqlite3"
        env = ["--db", str(db), "--today", "2026-11-25"]
        run([*kw, *env, "list", "--limit", "1"])  # create and migrate the database outside the timing
        shutil.copy(db, d / "empty.sqlite3")
        floor = run([sys.executable, "-c", FLOOR, str(linkedin), str(d / "floor.sqlite3")])
        first = run([*kw, *env, "import", "linkedin", str(linkedin)])
        print(f"first import of {args.rows:,} LinkedIn rows (whole process): {first}")
        print(f"floor, csv + one executemany into SQLite (whole process): {floor}")
        print(f"ratio: {first.wall / floor.wall:.1f}x wall, {first.cpu / floor.cpu:.1f}x CPU"
              "   (targets: < 2 s, within 4x)")
        one = d / "one.csv"
        one.write_text(",".join(HEADER) + "\nAna,Smith,,,,,15 Mar 2024\n", encoding="utf-8")
        fixed = run([*kw, "--db", str(d / "empty.sqlite3"), "import", "linkedin", str(one), "--dry-run"])
        print(f"  of which fixed: a one-row import, whole process: {fixed} = {fixed.wall / floor.wall:.1f}x "
              "the floor")
        copy = subprocess.run([sys.executable, "-c", SCHEMA_FLOOR, str(db), str(d / "empty.sqlite3")],
                              check=True, capture_output=True, text=True).stdout.split()
        print(f"  and the rows that import stored ({int(copy[1]):,} in keepwarm's tables, with the indexes "
              f"the agenda reads), written again by one raw executemany per table: {float(copy[0]):.2f} s "
              f"= {float(copy[0]) / floor.wall:.1f}x the floor")
        again = run([*kw, *env, "import", "linkedin", str(linkedin)])
        goog = run([*kw, *env, "import", "google", str(google)])
        print(f"re-import of the same file: {again}")
        print(f"Google CSV of {args.rows:,} overlapping people, duplicates matched and merged: {goog}")
        print(f"together: {again.wall + goog.wall:.2f} s (CPU {again.cpu + goog.cpu:.2f} s)"
              "   (target: < 6 s)")
        dupes = run([*kw, *env, "dupes", "--json"])
        print(f"`keepwarm dupes` over the {args.rows * 4 // 3:,} people that makes: {dupes}")
        if args.big:
            write_linkedin(big, args.big)
            bigdb = ["--db", str(d / "big.sqlite3"), "--today", "2026-11-25"]
            out = subprocess.run([sys.executable, "-c", MEASURE, *kw, *bigdb, "import", "linkedin", str(big)],
                                 check=True, capture_output=True, text=True).stdout
            print(f"peak memory importing {args.big:,} rows: {int(out.split()[-1]) / 1024:.0f} MB "
                  f"(target: < 300 MB)")


if __name__ == "__main__":
    main()
