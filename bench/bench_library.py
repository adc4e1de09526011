"""Benchmark of the library's part of the agenda and of matching a new resource to the network.

For each network size it prints:
- the latency of ``store.library.occasions`` (the agenda's library items) inside the process, next to
  the same top-matches query written by hand with the stdlib ``sqlite3`` module on the same file, and
  their ratio;
- the time ``LibraryRepo.rematch`` takes to match one new resource against everyone (TF-IDF), which runs
  on ``library add``, not on the agenda's hot path, and ``rematch_people`` for one added or edited person.

Run: ``.venv/bin/python bench/bench_library.py [SIZE ...]`` (default 1000 30000).
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from keepwarm.core import library as corelib
from keepwarm.store import Database, open_store
from keepwarm.store.library import LibraryRepo
from keepwarm.store.models import PersonInterest, PersonRow

TODAY = date(2026, 11, 25)
WORDS = ["product", "management", "career", "change", "machine", "learning", "leadership", "hiring", "design",
         "research", "data", "marketing", "sales", "finance", "design", "systems", "public", "speaking",
         "writing", "negotiation", "mentoring", "cloud", "security", "startups", "fundraising",
         "analytics", "operations", "strategy", "coaching", "ux", "devops", "testing"]
TOPICS = sorted({f"{a} {b}" for a in WORDS for b in WORDS if a != b})[:300]
TITLES = ("Engineer", "Product Manager", "Designer", "Recruiter", "Data Scientist", "Founder", "Coach")
RESOURCES = 40


def build(path: Path, n: int) -> None:
    """A network of ``n`` people with three interests each, and a library of RESOURCES matched to it."""
    rnd = random.Random(n)
    db = Database(f"sqlite:///{path}")
    with open_store(db, TODAY) as store:
        now = datetime.now()
        rows = [{"owner_id": store.owner_id, "uid": str(uuid.uuid4()), "name": f"Person {i}",
                 "name_folded": f"person {i}", "title": rnd.choice(TITLES), "cadence_days": 182,
                 "created_on": TODAY - timedelta(days=400), "updated_at": now, "extra": {},
                 "strength_base": 0.0, "balance": 0.0, "intro_score": 0,
                 "last_touch": TODAY - timedelta(days=rnd.randint(8, 400))} for i in range(n)]
        store.session.execute(insert(PersonRow), rows)
        ids = list(store.session.scalars(PersonRow.__table__.select().with_only_columns(PersonRow.id)))
        interests = [{"owner_id": store.owner_id, "person_id": pid, "topic": t, "position": k}
                     for pid in ids for k, t in enumerate(rnd.sample(TOPICS, 3))]
        store.session.execute(insert(PersonInterest), interests)
        repo = LibraryRepo(store.session, store.owner_id, TODAY)
        for r in range(RESOURCES):
            topics = rnd.sample(TOPICS, 2)
            repo.add(kind="article", title=f"Notes on {topics[0]} #{r}", topics=topics,
                     text=f"A practical article about {topics[0]} and {topics[1]} for busy people.")
    db.dispose()


FLOOR_SQL = """
SELECT m.resource_id, m.person_id, m.score, m.because, r.kind, r.title, p.name
FROM resource_matches m JOIN people p ON p.id = m.person_id JOIN resources r ON r.id = m.resource_id
WHERE m.owner_id = ? AND m.score >= ? AND (p.snoozed_until IS NULL OR p.snoozed_until <= ?)
  AND (p.last_touch IS NULL OR p.last_touch < ?)
  AND NOT EXISTS (SELECT 1 FROM shares s WHERE s.owner_id = ? AND s.person_id = m.person_id
                  AND s.resource_id = m.resource_id)
ORDER BY m.score DESC LIMIT 30
"""


def timed(fn, repeat: int = 30) -> float:  # type: ignore[no-untyped-def]
    """The median wall time of ``fn`` in milliseconds."""
    fn()
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def run(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        t = time.perf_counter()
        build(path, n)
        built = time.perf_counter() - t
        db = Database(f"sqlite:///{path}")
        with open_store(db, TODAY) as store:
            ours = timed(lambda: store.agenda.library(45))
            found = store.agenda.library(45)
            repo = LibraryRepo(store.session, store.owner_id, TODAY)
            t = time.perf_counter()
            repo.rematch([repo.all()[0].id])
            match_ms = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            repo.rematch_people([1])
            person_ms = (time.perf_counter() - t) * 1000
            owner = store.owner_id
        raw = sqlite3.connect(path)
        recent = (TODAY - timedelta(days=corelib.RECENT_DAYS)).isoformat()
        floor = timed(lambda: raw.execute(FLOOR_SQL, (owner, 0.04, TODAY.isoformat(), recent, owner))
                      .fetchall())
        raw.close()
        db.dispose()
    print(f"{n:>7} people: library agenda items {ours:7.2f} ms  raw-SQL floor {floor:6.2f} ms  "
          f"ratio {ours / floor:5.1f}x  ({len(found)} items)  |  match one new resource "
          f"{match_ms:7.0f} ms  |  rematch one person {person_ms:5.0f} ms  (setup {built:.0f} s)")


if __name__ == "__main__":
    for size in [int(a) for a in sys.argv[1:]] or [1000, 30000]:
        run(size)
