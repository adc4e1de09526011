"""News benchmark: finding mentions against a bare pyahocorasick pass, and polling feeds with nothing new.

Prints, measured in the same run:
- finding the mentions of a 5,000-word article in a 30,000-person network (automaton built once) against
  a bare pyahocorasick pass (``text.lower()`` then ``iter``) over the same text with the same names (also
  built once): the ratio, goal 3x;
- polling 50 feeds that answer 304 Not Modified from a real HTTP server on loopback: goal under 1 s.

    python bench/news.py
    python bench/news.py --people 30000 --words 5000 --feeds 50
"""

from __future__ import annotations

import argparse
import http.server
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import ahocorasick

from keepwarm.core.mentions import Candidate, Matcher, name_variants

FIRST = ("Ana", "Ben", "Chen", "Dana", "Elif", "Farid", "Grace", "Hugo", "Ines", "José", "Kenji", "Lena",
         "Maria", "Nadia", "Omar", "Priya", "Quinn", "Ravi", "Sofia", "Tomás", "Uma", "Viktor", "Wen", "Yara")
LAST = ("Alvarez", "Brown", "Costa", "Dubois", "Eriksen", "Fischer", "García", "Haddad", "Ito", "Jensen",
        "Kowalski", "Lopez", "Müller", "Nakamura", "Okafor", "Patel", "Quintero", "Rossi", "Schmidt",
        "Tanaka", "Umarov", "Virtanen", "Weber", "Xu", "Yilmaz", "Zhang")
WORDS = ("the", "company", "announced", "market", "growth", "team", "new", "product", "said", "year",
         "city", "report", "board", "plans", "customers", "quarter", "launch", "shares", "industry", "local")


def network(n: int, rng: random.Random) -> list[Candidate]:
    out = []
    for i in range(n):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}{'' if i < 600 else i}"  # mostly unique surnames
        out.append(Candidate(i + 1, name, context={"company": [f"Company {i % 5000}"],
                                                   "location": [rng.choice(("Lisbon", "Oslo", "Austin"))]}))
    return out


def article(words: int, people: list[Candidate], rng: random.Random) -> str:
    paragraphs, para = [], []
    for n in range(words):
        if n % 400 == 5:  # a network name now and then, with and without context
            p = rng.choice(people)
            para += p.name.split() + (p.context["company"][0].split() if n % 800 == 5 else [])
        para.append(rng.choice(WORDS))
        if len(para) >= 80:
            paragraphs.append(" ".join(para) + ".")
            para = []
    return "\n\n".join(paragraphs + [" ".join(para)])


def median_ms(fn, runs: int = 20) -> float:  # type: ignore[no-untyped-def]
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def bench_matching(n_people: int, n_words: int) -> float:
    rng = random.Random(13)
    people = network(n_people, rng)
    text = article(n_words, people, rng)
    t0 = time.perf_counter()
    matcher = Matcher(people)
    build = time.perf_counter() - t0
    bare = ahocorasick.Automaton()
    for p in people:
        for form in name_variants(p.name):
            bare.add_word(form.strip(), p.person_id)
    bare.make_automaton()
    # the floor lower-cases the text too: a bare pass that missed "JOSÉ" would not be doing the same job
    floor = median_ms(lambda: sum(1 for _ in bare.iter(text.lower())))
    ours = median_ms(lambda: matcher.find(text, "A day in the market"))
    found = len(matcher.find(text, "A day in the market"))
    ratio = ours / floor
    print(f"mentions: {n_words:,}-word article, {n_people:,} people ({matcher.size:,} name forms; automaton "
          f"built once in {build:.2f} s)")
    print(f"  keepwarm find {ours:.2f} ms ({found} mentions) vs bare pyahocorasick pass {floor:.2f} ms: "
          f"{ratio:.2f}x (goal 3x) {'OK' if ratio <= 3 else 'SLOW'}")
    return ratio


class _Feeds(http.server.BaseHTTPRequestHandler):
    """Every path is a feed with one version: a client that has it gets 304 Not Modified."""

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        if self.headers.get("If-None-Match") == '"same"':
            self.send_response(304)
            self.end_headers()
            return
        body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
        self.send_response(200)
        self.send_header("ETag", '"same"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
        pass


class _Server(http.server.ThreadingHTTPServer):
    request_queue_size = 128  # the standard library's 5 drops parallel connections (a 1 s SYN retry)


def _serve(port: Any) -> None:
    server = _Server(("127.0.0.1", 0), _Feeds)
    server.daemon_threads = True
    port.put(server.server_address[1])
    server.serve_forever()


def bench_polling(n_feeds: int) -> float:
    """The feed server runs in a process of its own, as a real one would (in this process its threads
    would compete with the client's for the interpreter lock)."""
    from keepwarm.news.feeds import add_feed, poll_feeds
    from keepwarm.store import Database, open_store

    port: Any = multiprocessing.Queue()
    proc = multiprocessing.Process(target=_serve, args=(port,), daemon=True)
    proc.start()
    base = f"http://127.0.0.1:{port.get(timeout=30)}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = Database(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
            today = date(2026, 11, 25)
            with open_store(db, today) as store:
                for i in range(n_feeds):
                    add_feed(store.session, store.owner_id, f"{base}/feed/{i}")
            with open_store(db, today) as store:
                poll_feeds(store)  # the first poll reads each feed and keeps its ETag
            runs = []
            for _ in range(5):
                t0 = time.perf_counter()
                with open_store(db, today) as store:
                    results = poll_feeds(store)
                runs.append(time.perf_counter() - t0)
                assert all(r.not_modified for r in results), results
            db.dispose()
    finally:
        proc.terminate()
        proc.join()
    took = statistics.median(runs)
    print(f"feeds: polling {n_feeds} feeds with nothing new (304) on loopback: {took * 1000:.0f} ms "
          f"(goal under 1 s) {'OK' if took < 1 else 'SLOW'}")
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--words", type=int, default=5_000)
    parser.add_argument("--feeds", type=int, default=50)
    args = parser.parse_args()
    ratio = bench_matching(args.people, args.words)
    took = bench_polling(args.feeds)
    return 0 if ratio <= 3 and took < 1 else 1


if __name__ == "__main__":
    sys.exit(main())
