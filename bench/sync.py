"""Benchmark: live sources against raw protocol floors, on real loopback servers, measured in the same run.

- CardDAV: the first sync of ``--cards`` cards (list, fetch, parse, store people and links) against the
  floor of a raw httpx sync-collection REPORT plus multiget of the same cards; then a sync with nothing
  changed against one raw sync-collection REPORT with the token (target: no PUT, same order of time).
- IMAP: the first sync of ``--messages`` message headers (fetched, read and captured by the capture rules)
  against raw imaplib UID FETCH of the same header fields (target: x2); then a sync with nothing new.

    python bench/sync.py                         # 5,000 cards, 10,000 messages (filling takes a while)
    python bench/sync.py --cards 500 --messages 1000
    python bench/sync.py --cards 0               # IMAP only

The servers are the ones the tests use (Radicale, pymap), started on a temporary folder.
"""

from __future__ import annotations

import argparse
import imaplib
import os
import socket
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "sync"))
from syncservers import (  # noqa: E402
    PASSWORD,
    USER,
    free_port,
    start_pymap,
    start_radicale,
)

from keepwarm.core.people import Person  # noqa: E402
from keepwarm.store import Database, open_store  # noqa: E402
from keepwarm.sync import run  # noqa: E402
from keepwarm.sync.imap import FIELDS  # noqa: E402
from keepwarm.sync.registry import add_source  # noqa: E402

TODAY = date(2026, 11, 25)


def _card(n: int) -> str:
    return (f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:bench-{n}\r\nFN:Person{n} Bench\r\nN:Bench;Person{n};;;\r\n"
            f"EMAIL;TYPE=WORK:p{n}@example.com\r\nTEL;TYPE=CELL:+1 415 555 {n % 10000:04d}\r\n"
            f"TITLE:Engineer\r\nX-SOCIAL:@p{n}\r\nEND:VCARD\r\n")


def _timed(fn) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def _raw_report(book: str, token: str = "") -> tuple[list[str], str]:
    import re

    body = (f"<?xml version='1.0'?><D:sync-collection xmlns:D='DAV:'><D:sync-token>{token}</D:sync-token>"
            "<D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>")
    r = httpx.request("REPORT", book, content=body, auth=(USER, PASSWORD), timeout=300)
    hrefs = re.findall(r"<[^>]*href>([^<]+\.vcf)</", r.text)
    return hrefs, re.search(r"<[^>]*sync-token>([^<]+)<", r.text).group(1)  # type: ignore[union-attr]


def _raw_multiget(book: str, hrefs: list[str]) -> int:
    got = 0
    with httpx.Client(auth=(USER, PASSWORD), timeout=300) as c:
        for i in range(0, len(hrefs), 500):
            refs = "".join(f"<D:href>{h}</D:href>" for h in hrefs[i:i + 500])
            body = ("<?xml version='1.0'?><C:addressbook-multiget xmlns:D='DAV:' xmlns:C='urn:ietf:params:"
                    f"xml:ns:carddav'><D:prop><D:getetag/><C:address-data/></D:prop>{refs}"
                    "</C:addressbook-multiget>")
            got += c.request("REPORT", book, content=body, headers={"Depth": "1"}).text.count("BEGIN:VCARD")
    return got


def bench_carddav(tmp: Path, cards: int) -> None:
    folder = tmp / "radicale"
    folder.mkdir()
    port = free_port()
    proc = start_radicale(folder, port)
    try:
        base = f"http://127.0.0.1:{port}"
        book = f"{base}/{USER}/contacts/"
        # the whole address book in one PUT (Radicale's upload): a PUT a card costs it O(cards) each
        r = httpx.put(book, content="".join(_card(n) for n in range(cards)), auth=(USER, PASSWORD),
                      headers={"Content-Type": "text/vcard"}, timeout=600)
        assert r.status_code in (201, 204), r.text
        db = Database(f"sqlite:///{tmp / 'cards.sqlite3'}")
        with open_store(db, TODAY) as store:
            add_source(store.session, store.owner_id, "phone", "carddav", {"url": f"{base}/{USER}/",
                       "user": USER}, PASSWORD, tmp)
        first, res = _timed(lambda: run(db, TODAY, None, tmp, ["phone"]))
        floor_first, _ = _timed(lambda: _raw_multiget(book, _raw_report(book)[0]))
        again, res2 = _timed(lambda: run(db, TODAY, None, tmp, ["phone"]))
        token = _raw_report(book)[1]
        floor_again, _ = _timed(lambda: _raw_report(book, token))
        print(f"CardDAV first sync of {cards:,} cards: {first:.2f} s (raw REPORT + multiget "
              f"{floor_first:.2f} s, x{first / floor_first:.1f}); "
              f"{len(res[0]['created_people']):,} people")  # type: ignore[index]
        print(f"CardDAV sync with nothing changed: {again * 1000:.0f} ms (raw REPORT "
              f"{floor_again * 1000:.0f} ms, x{again / floor_again:.1f}); "
              f"cards sent: {len(res2[0]['sent'])}")  # type: ignore[index]
        db.dispose()
    finally:
        proc.terminate()
        proc.wait()


def bench_imap(tmp: Path, messages: int) -> None:
    port = free_port()
    proc = start_pymap(port)
    try:
        m = imaplib.IMAP4("127.0.0.1", port)
        m.login(USER, PASSWORD)
        # imaplib sends an APPEND's message and its closing CRLF apart: without this each APPEND waits for
        # a delayed ACK (40 ms; 10,000 messages took 7 minutes to fill). The floor's FETCH is one write.
        m.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for n in range(messages):
            msg = (f"From: p{n % 500}@example.com\r\nTo: {USER}\r\nMessage-ID: <b{n}@example.com>\r\n"
                   f"Date: {1 + n % 28:02d} Oct 2026 10:00:00 +0000\r\nSubject: hello {n}\r\n\r\nbody\r\n")
            m.append("INBOX", None, None, msg.encode())
        db = Database(f"sqlite:///{tmp / 'mail.sqlite3'}")
        with open_store(db, TODAY) as store:  # the 500 correspondents are people of the network
            for n in range(500):
                store.people.add(Person(name=f"Person{n} Mail", emails=[f"p{n}@example.com"]))
            add_source(store.session, store.owner_id, "mail", "imap", {"host": "127.0.0.1", "port": port,
                       "user": USER, "security": "plain", "folders": ["INBOX"]}, PASSWORD, tmp)

        def floor() -> int:
            m.select("INBOX", readonly=True)
            _, data = m.uid("FETCH", "1:*", f"(BODY.PEEK[HEADER.FIELDS ({FIELDS})])")
            return len(data)

        # Both measurements meet the server in the same state. pymap's first large command after the fill
        # pays a full garbage collection (a raw FETCH timed first measured 1.3-1.7x one timed later), so
        # one untimed FETCH goes first; and pymap renders each answer again after sending it (for its
        # debug log), so an untimed NOOP waits that out before the next timing starts.
        floor()
        m.noop()
        floor_first, _ = _timed(floor)
        m.noop()
        first, res = _timed(lambda: run(db, TODAY, None, tmp, ["mail"]))
        m.noop()
        again, res2 = _timed(lambda: run(db, TODAY, None, tmp, ["mail"]))
        print(f"IMAP first sync of {messages:,} headers: {first:.2f} s (raw imaplib FETCH "
              f"{floor_first:.2f} s, x{first / floor_first:.1f}); read {res[0]['read']:,}, "
              f"touches {res[0]['touches']:,}")  # type: ignore[index]
        print(f"IMAP sync with nothing new: {again * 1000:.0f} ms; read {res2[0]['read']:,}")  # type: ignore[index]
        m.logout()
        db.dispose()
    finally:
        proc.terminate()
        proc.wait()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cards", type=int, default=5000)
    ap.add_argument("--messages", type=int, default=10000)
    args = ap.parse_args()
    os.environ.pop("KEEPWARM_SECRET_KEY", None)
    with tempfile.TemporaryDirectory() as tmp:
        if args.cards:
            bench_carddav(Path(tmp), args.cards)
        bench_imap(Path(tmp), args.messages)


if __name__ == "__main__":
    main()
