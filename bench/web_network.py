"""Generate a large network for the web benchmark with SQLAlchemy Core bulk inserts.

Every maintained column the agenda reads (last touch, last action, last personal touch, strength base,
balance, thank-you owed, cadence, folded name, birthday key, intro score, weekly counts) is computed here
exactly as TouchRepo would maintain it, so queries see what a real network of that size looks like.

    python bench/web_network.py --people 30000 --db bench/out/web-30000.sqlite3
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from keepwarm.core import strength
from keepwarm.core.actions import BUILTIN_ACTIONS, RECEIVED
from keepwarm.core.dates import monday_of
from keepwarm.core.people import fold
from keepwarm.store import Database
from keepwarm.store.accounts import add_user
from keepwarm.store.models import (
    CircleRow,
    PersonEmail,
    PersonRow,
    TouchPerson,
    TouchRow,
    WeekCount,
)

TODAY = date(2026, 11, 25)
EMAIL, PASSWORD = "bench@example.com", "bench-password"
FIRST = ["Ada", "Ben", "Chloé", "Dev", "Eva", "Femi", "Gus", "Hana", "Ivan", "Jo", "Kai", "Lena", "Mo",
         "Nia", "Omar", "Pia", "Quinn", "Rosa", "Sami", "Tess", "Uma", "Vik", "Wen", "Xavi", "Yara", "Zoe"]
LAST = ["Smith", "Okafor", "Chen", "Núñez", "Weber", "Patel", "Kowalski", "Haddad", "Silva", "Ito",
        "Larsen", "Moreau", "Abara", "Rossi", "Kim", "Novak", "Berg", "Diaz", "Fischer", "Mensah"]
CIRCLE_WEIGHTS = {"inner": 1, "close": 3, "active": 10, "warm": 40, "occasional": 46}


def generate(url: str, people: int, touches_each: int = 20, seed: int = 7, email: str = EMAIL,
             first_id: int = 0) -> None:
    """Add to the database at ``url`` one account (``email``) with ``people`` people, their ids and touch
    ids counted from ``first_id`` (several accounts in one database take turns)."""
    rng = random.Random(seed)
    db = Database(url)
    with db.session() as s:
        owner = add_user(s, email, PASSWORD)[0].id
        circles = {c.name: (c.id, c.every_days) for c in s.scalars(select(CircleRow).where(
            CircleRow.owner_id == owner))}
    actions = [a for a in BUILTIN_ACTIONS if a.name not in ("ask",)]
    half_life = 90
    weeks: Counter[date] = Counter()
    person_rows, email_rows, touch_rows, link_rows = [], [], [], []
    touch_id = first_id * touches_each
    names = list(circles)
    weights = [CIRCLE_WEIGHTS[n] for n in names]
    for pid in range(first_id + 1, first_id + people + 1):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {pid}"
        circle = rng.choices(names, weights)[0]
        cid, every = circles[circle]
        row = dict(id=pid, owner_id=owner, uid=f"bench-{pid}", name=name, name_folded=fold(name),
                   company=f"Company {pid % 500}", title="Engineer", circle_id=cid, every_days=None,
                   cadence_days=every, created_on=TODAY - timedelta(days=900), updated_at=TODAY, extra={},
                   strength_base=0.0, balance=0.0, intro_score=0, last_touch=None, last_action=None,
                   last_personal_touch=None, thanks_owed_since=None, bday_month=None, bday_day=None,
                   bday_year=None, bday_mmdd=None, snoozed_until=None)
        if rng.random() < 0.6:
            m, d = rng.randint(1, 12), rng.randint(1, 28)
            row.update(bday_month=m, bday_day=d, bday_mmdd=m * 100 + d)
        email_rows.append(dict(owner_id=owner, person_id=pid, email=f"p{pid}@example.com", position=0))
        if rng.random() < 0.05:  # never touched: fresh imports
            row["intro_score"] = rng.randint(0, 80)
            person_rows.append(row)
            continue
        for _ in range(touches_each):
            a = rng.choice(actions)
            on = TODAY - timedelta(days=int(rng.expovariate(1 / (every * 0.8))) % 730)
            touch_id += 1
            touch_rows.append(dict(id=touch_id, owner_id=owner, action=a.name, on_date=on, weight=a.weight,
                                   note=None, initiated_by="me", created_at=TODAY))
            link_rows.append(dict(touch_id=touch_id, person_id=pid, owner_id=owner))
            weeks[monday_of(on)] += 1
            if row["last_touch"] is None or row["last_touch"] <= on:
                row["last_touch"], row["last_action"] = on, a.name
            if a.personal and (row["last_personal_touch"] is None or row["last_personal_touch"] < on):
                row["last_personal_touch"] = on
            row["strength_base"] += strength.base_term(a.weight, on, half_life)
            row["balance"] += a.balance_delta
            if a.kind == RECEIVED and row["thanks_owed_since"] is None:
                row["thanks_owed_since"] = on
        person_rows.append(row)
    with db.engine.begin() as conn:
        for table, rows in ((PersonRow, person_rows), (PersonEmail, email_rows), (TouchRow, touch_rows),
                            (TouchPerson, link_rows)):
            for i in range(0, len(rows), 5000):
                conn.execute(insert(table), rows[i:i + 5000])
        conn.execute(insert(WeekCount),
                     [dict(owner_id=owner, week_start=w, touches=n) for w, n in weeks.items()])
        if conn.dialect.name == "postgresql":  # explicit ids: move the sequences past them
            for table in ("people", "touches", "person_emails"):
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT MAX(id) FROM {table}))")
    db.dispose()


def ensure(path: Path, people: int) -> str:
    """The URL of a generated network of ``people`` at ``path``, generating it once."""
    url = f"sqlite:///{path.resolve()}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        generate(url, people)
        print(f"generated {people} people in {time.perf_counter() - t0:.1f} s -> {path}")
    return url


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--people", type=int, default=30_000)
    ap.add_argument("--db", default=None, help="a SQLite file (default bench/out/web-N.sqlite3) or a URL")
    args = ap.parse_args()
    if args.db and "://" in args.db:
        generate(args.db, args.people)
    else:
        ensure(Path(args.db or f"bench/out/web-{args.people}.sqlite3"), args.people)


if __name__ == "__main__":
    main()
