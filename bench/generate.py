"""Generate a realistic network of N people with ~20 touches each into a keepwarm SQLite database.

The schema comes from keepwarm's own migrations; rows go in through the DB-API's executemany for speed,
with every maintained column (last touch, strength base, balance, thanks owed, cadence, intro score)
computed exactly as keepwarm computes it, so the agenda sees a consistent database.

    python bench/generate.py 30000 bench/out/net-30000.sqlite3
"""

from __future__ import annotations

import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from keepwarm.core import strength
from keepwarm.core.actions import BUILTIN_ACTIONS, RECEIVED
from keepwarm.core.dates import monday_of
from keepwarm.core.people import fold
from keepwarm.store import Database
from keepwarm.store.owners import create_owner

TODAY = date(2026, 11, 25)
FIRST = [
    "Ada",
    "Ben",
    "Chloé",
    "Dev",
    "Eva",
    "Femi",
    "Gao",
    "Hana",
    "Ivan",
    "José",
    "Kira",
    "Liam",
    "Mia",
    "Noor",
    "Omar",
    "Priya",
    "Quinn",
    "Ravi",
    "Sara",
    "Tomás",
    "Uma",
    "Vik",
    "Wen",
    "Xavi",
    "Yara",
    "Zoe",
]
LAST = [
    "Smith",
    "Núñez",
    "Chen",
    "Patel",
    "Okafor",
    "Müller",
    "Rossi",
    "Kim",
    "Novak",
    "Silva",
    "Cohen",
    "Dubois",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Moreau",
    "Nakamura",
    "O'Brien",
]
COMPANIES = ["Acme", "Initech", "Globex", "Umbrella", "Hooli", "Stark", "Wayne", "Tyrell", "Cyberdyne"]
CIRCLES = [("inner", 0.02), ("close", 0.08), ("active", 0.2), ("warm", 0.4), ("occasional", 0.3)]
ACTIONS = {a.name: a for a in BUILTIN_ACTIONS}
TOUCH_ACTIONS = [n for n in ACTIONS if n not in ("ask",)]


def generate(n: int, path: Path, touches_per_person: int = 20, seed: int = 1) -> None:
    """Write a network of ``n`` people into a new database at ``path``."""
    rng = random.Random(seed)
    path.unlink(missing_ok=True)
    db = Database(f"sqlite:///{path}")
    with db.session() as s:
        owner = create_owner(s, "bench@example.com")
        rows = s.execute(
            text("SELECT name, id, every_days FROM circles WHERE owner_id = :o"), {"o": owner.id}
        )
        circles = {name: (cid, every) for name, cid, every in rows}
    raw = db.engine.raw_connection()
    cur = raw.cursor()
    now = datetime.now().isoformat(" ")
    people, emails, touches, links, weeks = [], [], [], [], {}
    touch_id = 0
    names = [c for c, _ in CIRCLES]
    weights = [w for _, w in CIRCLES]
    for pid in range(1, n + 1):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {pid}"
        circle = rng.choices(names, weights)[0]
        cid, every = circles[circle]
        override = rng.choice([30, 60, 120]) if rng.random() < 0.05 else None
        cadence = override or every
        bday = (rng.randint(1, 12), rng.randint(1, 28)) if rng.random() < 0.3 else (None, None)
        last = last_personal = thanks = None
        last_action = None
        base = balance = 0.0
        k = 0 if rng.random() < 0.1 else touches_per_person
        history = sorted(TODAY - timedelta(days=rng.randint(0, 1100)) for _ in range(k))
        for on in history:
            action = ACTIONS[rng.choice(TOUCH_ACTIONS)]
            touch_id += 1
            touches.append(
                (touch_id, owner.id, action.name, on.isoformat(), None, "me", action.weight, now, pid)
            )
            weeks[monday_of(on)] = weeks.get(monday_of(on), 0) + 1
            base += strength.base_term(action.weight, on)
            balance += action.balance_delta
            last, last_action = on, action.name
            if action.personal:
                last_personal = on
            if action.kind == RECEIVED and thanks is None:
                thanks = on
            if action.name == "thanks" and thanks is not None:
                thanks = None
        people.append(
            (
                pid,
                owner.id,
                f"uid-{pid}",
                name,
                fold(name),
                name.split()[0],
                name.split()[1],
                rng.choice(COMPANIES),
                "Engineer",
                None,
                None,
                None,
                bday[0],
                bday[1],
                None,
                bday[0] * 100 + bday[1] if bday[0] else None,
                cid,
                override,
                cadence,
                None,
                "{}",
                (TODAY - timedelta(days=1200)).isoformat(),
                now,
                last.isoformat() if last else None,
                last_action,
                last_personal.isoformat() if last_personal else None,
                base,
                balance,
                thanks.isoformat() if thanks else None,
                None,
                rng.randint(0, 60),
            )
        )
        if rng.random() < 0.5:
            emails.append((owner.id, pid, f"p{pid}@example.com", 0))
        if rng.random() < 0.7:
            links.append((owner.id, pid, f"https://www.linkedin.com/in/p{pid}", "linkedin", 0))
    cur.executemany(
        "INSERT INTO people (id, owner_id, uid, name, name_folded, given_name, family_name, company,"
        " title, location, how_met, met_on, bday_month, bday_day, bday_year, bday_mmdd, circle_id,"
        " every_days, cadence_days, notes, extra, created_on, updated_at, last_touch, last_action,"
        " last_personal_touch, strength_base, balance, thanks_owed_since, snoozed_until,"
        " intro_score) VALUES (" + ",".join("?" * 31) + ")",
        people,
    )
    cur.executemany(
        "INSERT INTO person_emails (owner_id, person_id, email, position) VALUES (?,?,?,?)", emails
    )
    cur.executemany(
        "INSERT INTO person_links (owner_id, person_id, url, kind, position) VALUES (?,?,?,?,?)", links
    )
    cur.executemany(
        "INSERT INTO touches (id, owner_id, action, on_date, note, initiated_by, weight,"
        " created_at) VALUES (?,?,?,?,?,?,?,?)",
        [t[:8] for t in touches],
    )
    cur.executemany(
        "INSERT INTO touch_people (touch_id, person_id, owner_id) VALUES (?,?,?)",
        [(t[0], t[8], t[1]) for t in touches],
    )
    cur.executemany(
        "INSERT INTO week_counts (owner_id, week_start, touches) VALUES (?,?,?)",
        [(owner.id, w.isoformat(), c) for w, c in weeks.items()],
    )
    events = [
        (
            owner.id,
            pid,
            rng.choice(["moving", "new-job", "promotion", "loss"]),
            (TODAY + timedelta(days=rng.randint(-20, 40))).isoformat(),
            None,
        )
        for pid in rng.sample(range(1, n + 1), max(1, n // 200))
    ]
    cur.executemany(
        "INSERT INTO life_events (owner_id, person_id, kind, on_date, note) VALUES (?,?,?,?,?)", events
    )
    plans = [
        (
            owner.id,
            pid,
            rng.choice(["ask", "coffee"]),
            (TODAY + timedelta(days=rng.randint(0, 30))).isoformat(),
            None,
            None,
        )
        for pid in rng.sample(range(1, n + 1), max(1, n // 1000))
    ]
    cur.executemany(
        "INSERT INTO plans (owner_id, person_id, action, on_date, note, done_on) VALUES (?,?,?,?,?,?)", plans
    )
    raw.commit()
    cur.execute("ANALYZE")
    raw.close()
    db.dispose()


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
