"""Polling feeds that misbehave: each bad feed is one clear reason, the others are read, nothing
half-written."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

from feedserver import FeedServer, Route
from sqlalchemy import func, select

from keepwarm.news.feeds import MAX_ITEMS, add_feed, poll_feeds
from keepwarm.store.models import FeedRow, NewsItem

RSS = """<?xml version="1.0" encoding="{enc}"?>
<rss version="2.0"><channel><title>T</title><link>http://t/</link><description>d</description>
{items}</channel></rss>"""
ITEM = "<item><title>Item {n}</title><link>http://t/{n}</link><description>{text}</description></item>"


def _rss(items: list[str], enc: str = "utf-8") -> bytes:
    return RSS.format(enc=enc, items="\n".join(items)).encode("utf-8")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _poll(make_store: Callable, server: FeedServer, paths: list[str], timeout: float = 2.0) -> dict:
    with make_store() as store:
        for path in paths:
            add_feed(store.session, store.owner_id, path if "://" in path else server.url + path, path)
    with make_store() as store:
        return {r.name: r for r in poll_feeds(store, timeout=timeout)}


def _items(make_store: Callable, name: str) -> int:
    with make_store() as store:
        fid = store.session.scalar(select(FeedRow.id).where(FeedRow.name == name))
        return store.session.scalar(select(func.count(NewsItem.id)).where(NewsItem.feed_id == fid))


def test_bad_feeds_are_reported_one_line_each_and_the_good_one_is_read(
        cli: Callable, make_store: Callable, feed_server: FeedServer, fixtures_dir: Path) -> None:
    cli("add", "José Núñez", "--company", "Acme Robotics")
    feed_server.routes["/good"] = Route((fixtures_dir / "news" / "rss.xml").read_bytes())
    feed_server.routes["/page"] = Route(b"<!doctype html><html><body><p>Hello</p></body></html>", "text/html")
    feed_server.routes["/huge"] = Route(b"<html>" + b"x" * 20_000_000 + b"</html>", "text/html")
    feed_server.routes["/slow"] = Route(_rss([]), delay=3.0)
    down = f"http://127.0.0.1:{_free_port()}/feed"
    got = _poll(make_store, feed_server, ["/good", "/page", "/huge", "/slow", "/missing", down], timeout=1.0)
    assert (got["/good"].error, got["/good"].new_items, got["/good"].mentions) == (None, 2, 1)
    assert got["/page"].error == "not an RSS or Atom feed"
    assert got["/huge"].error == "larger than 5 MB: not read"
    assert got["/slow"].error == "timed out after 1 s"
    assert got["/missing"].error == "the server answered HTTP 404 Not Found"
    assert got[down].error.startswith("could not reach it")
    assert all("\n" not in (r.error or "") for r in got.values())
    assert _items(make_store, "/page") == 0
    with make_store() as store:
        rows = store.session.execute(select(FeedRow.name, FeedRow.last_error, FeedRow.etag)).all()
    errors = {r.name: r.last_error for r in rows}
    etags = {r.name: r.etag for r in rows}
    assert errors["/page"] == "not an RSS or Atom feed" and errors["/good"] is None
    assert etags["/good"] == '"v1"' and etags["/page"] is None  # a failed feed is asked in full again


def test_a_feed_of_ten_thousand_items_reads_the_first_thousand_and_says_so(
        make_store: Callable, feed_server: FeedServer) -> None:
    feed_server.routes["/big"] = Route(_rss([ITEM.format(n=n, text="news") for n in range(10_000)]))
    got = _poll(make_store, feed_server, ["/big"], timeout=30.0)["/big"]
    assert got.error is None and got.new_items == MAX_ITEMS
    assert got.skipped == [f"{10_000 - MAX_ITEMS} items beyond the first {MAX_ITEMS} not read"]
    assert _items(make_store, "/big") == MAX_ITEMS


def test_items_without_id_or_link_are_skipped_with_a_reason(make_store: Callable,
                                                           feed_server: FeedServer) -> None:
    items = [ITEM.format(n=1, text="a"), "<item><title>No way to know it again</title></item>"]
    feed_server.routes["/odd"] = Route(_rss(items))
    got = _poll(make_store, feed_server, ["/odd"])["/odd"]
    assert got.new_items == 1 and got.skipped == ["item 2: it has neither an id nor a link"]


def test_a_feed_in_a_broken_encoding_is_still_read_for_names(cli: Callable, make_store: Callable,
                                                            feed_server: FeedServer) -> None:
    cli("add", "José Núñez", "--company", "Acme Robotics")
    body = RSS.format(enc="utf-8", items=ITEM.format(n=1, text="José Núñez of Acme Robotics spoke."))
    # declared UTF-8, written in Latin-1: the accents are invalid bytes
    feed_server.routes["/latin"] = Route(body.encode("latin-1"))
    got = _poll(make_store, feed_server, ["/latin"])["/latin"]
    assert got.error is None and got.new_items == 1 and got.mentions == 1
