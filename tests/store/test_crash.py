"""A writer killed with SIGKILL in the middle of its work never leaves a partial touch or person behind."""

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from keepwarm.core import strength

WRITER = r'''
import sys
from datetime import date, timedelta
from keepwarm.core.people import Person
from keepwarm.store import Database, open_store

db = Database(sys.argv[1])
today = date(2026, 11, 25)
n = 0
while True:
    with open_store(db, today) as store:
        p = store.people.add(Person(f"Person {sys.argv[2]}-{n}", emails=[f"a{sys.argv[2]}-{n}@x.org",
                                    f"b{sys.argv[2]}-{n}@x.org"], tags=["one", "two", "three"]))
        recent = store.people.rows(store.people.query().order_by(None), limit=30)
        others = list({p.id, *(r.id for r in recent)})
        store.touches.log("coffee", others, today - timedelta(days=n % 300), note="x" * 2000)
    n += 1
    if n == 1:
        print("ready", flush=True)
'''


def _check_invariants(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as c:
        q = lambda sql: c.execute(text(sql)).all()  # noqa: E731
        assert q("SELECT id FROM touches WHERE id NOT IN (SELECT touch_id FROM touch_people)") == []
        assert q("SELECT touch_id FROM touch_people WHERE touch_id NOT IN (SELECT id FROM touches)") == []
        assert q("SELECT id FROM people WHERE id NOT IN (SELECT person_id FROM person_emails)") == []
        assert q("SELECT person_id FROM person_tags GROUP BY person_id HAVING COUNT(*) != 3") == []
        people = q("SELECT id, last_touch, strength_base FROM people")
        for pid, last, base in people:
            rows = q("SELECT t.on_date, t.weight, "
                     "(SELECT COUNT(*) FROM touch_people n WHERE n.touch_id = t.id) "
                     f"FROM touches t JOIN touch_people tp ON tp.touch_id = t.id WHERE tp.person_id = {pid}")
            expected = sum(strength.base_term(w / n, _d(d)) for d, w, n in rows)
            assert base == pytest.approx(expected, rel=1e-9)
            assert (_d(last) if last else None) == (max(_d(d) for d, _w, _n in rows) if rows else None)
    engine.dispose()
    return len(people)


def _d(value):
    from datetime import date

    return value if isinstance(value, date) else date.fromisoformat(str(value))


def test_sigkill_during_writes_leaves_no_partial_rows(db_url: str, tmp_path: Path):
    rng = random.Random(7)
    for round_ in range(6):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, db_url, str(round_)],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.4))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert proc.returncode == -signal.SIGKILL
    assert _check_invariants(db_url) >= 6
