"""Agenda benchmark: keepwarm's agenda against the hand-written raw-SQL floor, on the same database.

For each network size it prints, measured in the same run:
- the whole agenda (cadence, birthdays, events, thanks, plans, reciprocity) inside the process, run through
  SQLAlchemy (as the web app does) and through the stdlib runner that the cold `keepwarm today` uses;
- keepwarm's "overdue by cadence, top 50" part alone;
- the floor: the best raw-SQL query for that part with the stdlib sqlite3 module (one indexed query per
  distinct rhythm on (owner, cadence_days, last_touch), merged by ratio) and, for reference, the naive
  GROUP BY MAX join over all touches;
and for 30,000 people, `keepwarm today` and `keepwarm --help` as whole processes against a stdlib-only
script that answers the floor query.

    python bench/agenda.py                 # 1,000 / 30,000 / 300,000 people (generated once into bench/out)
    python bench/agenda.py --sizes 1000,30000
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from generate import TODAY, generate

from keepwarm.store import Database, lite
from keepwarm.store.agenda import AgendaQueries
from keepwarm.store.sql import SessionRunner

OUT = Path(__file__).parent / "out"
KEEPWARM = str(Path(sys.executable).with_name("keepwarm"))


def median_ms(fn, runs: int = 30) -> float:
    fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def floor_query(conn: sqlite3.Connection, today: date, limit: int = 50) -> list[tuple]:
    """The best hand-written raw SQL for the overdue top 50."""
    cadences = [r[0] for r in conn.execute(
        "SELECT every_days FROM circles WHERE owner_id = 1 UNION "
        "SELECT DISTINCT every_days FROM people WHERE owner_id = 1 AND every_days IS NOT NULL")]
    found = []
    for c in cadences:
        cutoff = (today - timedelta(days=c)).isoformat()
        found += conn.execute(
            "SELECT id, last_touch, cadence_days FROM people WHERE owner_id = 1 AND cadence_days = ? "
            "AND last_touch <= ? AND (snoozed_until IS NULL OR snoozed_until <= ?) "
            "ORDER BY last_touch LIMIT ?", (c, cutoff, today.isoformat(), limit)).fetchall()
    found.sort(key=lambda r: -(today - date.fromisoformat(r[1])).days / r[2])
    return found[:limit]


def naive_query(conn: sqlite3.Connection, today: date) -> list[tuple]:
    """For reference: overdue by a GROUP BY MAX over all touches."""
    return conn.execute(
        "SELECT p.id, MAX(t.on_date) AS last FROM people p JOIN touch_people tp ON tp.person_id = p.id "
        "JOIN touches t ON t.id = tp.touch_id GROUP BY p.id "
        "HAVING julianday(?) - julianday(last) >= p.cadence_days "
        "ORDER BY (julianday(?) - julianday(last)) * 1.0 / p.cadence_days DESC LIMIT 50",
        (today.isoformat(), today.isoformat())).fetchall()


def in_process(path: Path) -> dict[str, float]:
    db = Database(f"sqlite:///{path}")
    conn = sqlite3.connect(path)
    with db.session() as session:
        queries = AgendaQueries(SessionRunner(session), 1, TODAY)
        result = {
            "agenda_ms": median_ms(lambda: queries.build()),
            "overdue_ms": median_ms(lambda: queries.overdue(50)),
        }
    with lite.open_reader(f"sqlite:///{path}", None) as found:
        assert found is not None, "the benchmark database is not at the newest migration"
        run, owner = found
        fast = AgendaQueries(run, owner, TODAY)
        result["lite_ms"] = median_ms(lambda: fast.build())
    result["floor_ms"] = median_ms(lambda: floor_query(conn, TODAY))
    result["naive_ms"] = median_ms(lambda: naive_query(conn, TODAY), runs=3)
    conn.close()
    db.dispose()
    return result


STDLIB_SCRIPT = r"""
import sqlite3, sys
from datetime import date, timedelta
conn = sqlite3.connect(sys.argv[1]); today = date(2026, 11, 25); found = []
for (c,) in conn.execute("SELECT every_days FROM circles WHERE owner_id = 1 UNION SELECT DISTINCT every_days FROM people WHERE owner_id = 1 AND every_days IS NOT NULL").fetchall():
    found += conn.execute("SELECT id, name, last_touch, cadence_days FROM people WHERE owner_id = 1 AND cadence_days = ? AND last_touch <= ? ORDER BY last_touch LIMIT 50", (c, (today - timedelta(days=c)).isoformat())).fetchall()
found.sort(key=lambda r: -(today - date.fromisoformat(r[2])).days / r[3])
print("\n".join(f"{r[1]} {r[2]}" for r in found[:50]))
"""  # noqa: E501


def process_ms(argv: list[str], runs: int = 10) -> float:
    env = dict(os.environ, KEEPWARM_TODAY=TODAY.isoformat())
    subprocess.run(argv, capture_output=True, env=env, check=True)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(argv, capture_output=True, env=env, check=True)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,30000,300000")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    print(f"{'people':>8} {'agenda ms':>10} {'stdlib runner':>14} {'overdue ms':>11} {'floor ms':>9} "
          f"{'ratio agenda':>13} {'ratio overdue':>14} {'naive ms':>9}")
    for size in (int(s) for s in args.sizes.split(",")):
        path = OUT / f"net-{size}.sqlite3"
        if not path.exists():
            generate(size, path)
        r = in_process(path)
        print(f"{size:>8} {r['agenda_ms']:>10.2f} {r['lite_ms']:>14.2f} {r['overdue_ms']:>11.2f} "
              f"{r['floor_ms']:>9.2f} "
              f"{r['agenda_ms'] / r['floor_ms']:>13.1f} {r['overdue_ms'] / r['floor_ms']:>14.1f} "
              f"{r['naive_ms']:>9.1f}")
    path = OUT / "net-30000.sqlite3"
    if path.exists():
        today = process_ms([KEEPWARM, "--db", str(path), "today"])
        floor = process_ms([sys.executable, "-c", STDLIB_SCRIPT, str(path)])
        helps = process_ms([KEEPWARM, "--help"])
        bare = process_ms([sys.executable, "-c", "pass"])
        print(f"\nwhole process at 30,000 people (median of 10): keepwarm today {today:.0f} ms, "
              f"stdlib-only script {floor:.0f} ms (ratio {today / floor:.1f}), "
              f"keepwarm --help {helps:.0f} ms, bare interpreter {bare:.0f} ms")


if __name__ == "__main__":
    main()
