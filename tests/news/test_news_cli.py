"""`keepwarm news`, `feeds` and `sync` end to end through the CLI, with a real feed server on loopback."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from feedserver import FeedServer, Route


def _network(cli: Callable) -> None:
    for args in (("José Núñez", "--company", "Southern Maine Community College", "--circle", "active"),
                 ("Maria Lopez", "--company", "Globex"),
                 ("Robert Smith", "--nickname", "Bob", "--location", "Portland, Maine", "--circle", "inner"),
                 ("Priya Raman", "--title", "Staff Engineer")):
        assert cli("add", *args).code == 0


def _news_items(cli: Callable) -> list[dict]:
    return [s for s in cli("today", "--json").json() if s["trigger"] == "news"]


def test_a_pasted_article_makes_news_suggestions_with_the_reason_and_a_draft_in_your_words(
        cli: Callable, fixtures_dir: Path) -> None:
    _network(cli)
    added = cli("news", "add", str(fixtures_dir / "news" / "namesakes.txt"), "--json").json()
    assert added["new"] is True
    assert {m["person"]["name"]: m["matched"] for m in added["mentions"]} == {
        "José Núñez": "their company (Southern Maine Community College)",
        "Robert Smith": "their city (Portland)", "Priya Raman": "their title (Staff Engineer)"}
    items = {s["person"]["name"]: s for s in _news_items(cli)}
    assert set(items) == {"José Núñez", "Robert Smith", "Priya Raman"}
    nunez = items["José Núñez"]
    assert nunez["action"] == "congrats"  # appointed: good news
    assert "in the news: *Local college names new dean of engineering* (25 November)" in nunez["reasons"]
    assert nunez["occasion"]["id"].startswith("news:")
    assert items["Robert Smith"]["action"] == "call"  # inner circle, no good news
    out = cli("today", "--drafts").out
    assert "I just read about your news at Southern Maine Community College" in out
    assert "ten years of teaching" not in out and "bakery" not in out  # never the article's text


def test_news_lists_what_matched_and_a_dismissed_pairing_never_returns(cli: Callable,
                                                                       fixtures_dir: Path) -> None:
    _network(cli)
    path = str(fixtures_dir / "news" / "namesakes.txt")
    cli("news", "add", path)
    listed = cli("news").out
    assert "matched their company (Southern Maine Community College)" in listed
    smith = next(m for m in cli("news", "--json").json() if m["person"]["name"] == "Robert Smith")
    assert cli("news", "dismiss", str(smith["id"])).code == 0
    assert cli("news", "dismiss", str(smith["id"])).code == 0  # twice is once: one dismissal kept
    refused = cli("news", "confirm", str(smith["id"]))
    assert refused.code == 5 and f"mention #{smith['id']} was dismissed" in refused.err  # a conflict
    assert "Traceback" not in refused.err and "Robert Smith" not in cli("news").out
    assert "Robert Smith" not in [s["person"]["name"] for s in _news_items(cli)]
    again = cli("news", "add", path, "--json").json()
    assert again["new"] is False
    assert "Robert Smith" not in [s["person"]["name"] for s in _news_items(cli)]
    assert "Read before" in cli("news", "add", path).out


def test_a_news_suggestion_done_never_returns(cli: Callable, fixtures_dir: Path) -> None:
    _network(cli)
    cli("news", "add", str(fixtures_dir / "news" / "namesakes.txt"))
    oid = next(s for s in _news_items(cli) if s["person"]["name"] == "José Núñez")["occasion"]["id"]
    assert cli("done", "--occasion", oid).code == 0
    assert "José Núñez" not in [s["person"]["name"] for s in _news_items(cli)]
    assert "José Núñez" not in [s["person"]["name"] for s in
                                cli("today", "--json", today="2026-11-27").json()
                                if s["trigger"] == "news"]


def test_feeds_are_polled_with_their_etag_and_each_item_is_read_once(
        cli: Callable, feed_server: FeedServer, fixtures_dir: Path) -> None:
    _network(cli)
    cli("edit", "José Núñez", "--company", "Acme Robotics")
    feed_server.routes["/rss"] = Route((fixtures_dir / "news" / "rss.xml").read_bytes())
    feed_server.routes["/atom"] = Route((fixtures_dir / "news" / "atom.xml").read_bytes(),
                                        "application/atom+xml", etag='"a1"')
    assert cli("feeds", "add", feed_server.url + "/rss", "--name", "PBD").code == 0
    assert cli("feeds", "add", feed_server.url + "/atom").code == 0
    first = {f["url"].rsplit("/", 1)[1]: f for f in _feeds(cli("sync", "--json").json())}
    assert (first["rss"]["new_items"], first["rss"]["mentions"]) == (2, 1)
    assert (first["atom"]["new_items"], first["atom"]["mentions"], first["atom"]["name"]) == \
        (1, 1, "Maine Tech Notes")
    second = _feeds(cli("sync", "--json").json())
    assert all(f["not_modified"] and f["new_items"] == 0 for f in second)
    assert feed_server.statuses("/rss") == [200, 304]
    assert [inm for p, inm, _ in feed_server.seen if p == "/rss"] == [None, '"v1"']
    feed_server.routes["/rss"].etag = '"v2"'  # the server changed its version, the items did not
    assert _feeds(cli("sync", "--json").json())[0]["new_items"] == 0
    reasons = [r for s in _news_items(cli) for r in s["reasons"]]
    assert "in the news: *Acme Robotics launches its warehouse robot* (PBD, 12 March)" in reasons
    listed = cli("feeds", "--json").json()
    assert [f["name"] for f in listed] == ["PBD", "Maine Tech Notes"]
    assert cli("feeds", "rm", "PBD").code == 0
    assert [f["name"] for f in cli("feeds", "--json").json()] == ["Maine Tech Notes"]


def test_a_feed_added_twice_or_not_over_http_is_a_one_line_error(cli: Callable) -> None:
    assert cli("feeds", "add", "http://127.0.0.1:9/feed").code == 0
    twice = cli("feeds", "add", "http://127.0.0.1:9/feed")
    assert twice.code != 0 and "already follow" in twice.err and "Traceback" not in twice.err
    local = cli("feeds", "add", "file:///etc/passwd")
    assert local.code != 0 and "not a feed address" in local.err
    assert cli("news", "dismiss", "999").err.startswith("keepwarm: error: no mention #999")



def test_library_add_reads_the_article_for_mentions_too(cli: Callable, fixtures_dir: Path) -> None:
    _network(cli)
    added = cli("library", "add", str(fixtures_dir / "news" / "namesakes.txt"), "--json").json()
    assert sorted(m["person"]["name"] for m in added["mentions"]) == ["José Núñez", "Priya Raman",
                                                                      "Robert Smith"]
    assert {m["person"]["name"] for m in cli("news", "--json").json()} == {"José Núñez", "Priya Raman",
                                                                          "Robert Smith"}


def test_a_pasted_text_is_read_and_the_matcher_follows_edits_to_the_network(
        cli: Callable, monkeypatch: pytest.MonkeyPatch) -> None:
    cli("add", "Maria Lopez")
    text = "Globex news\nMaria Lopez of Globex won an award.\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert cli("news", "add", "-", "--json").json()["mentions"] == []
    cli("edit", "Maria Lopez", "--company", "Globex")
    monkeypatch.setattr("sys.stdin", io.StringIO("Later: " + text))
    again = cli("news", "add", "-", "--json").json()
    assert [m["matched"] for m in again["mentions"]] == ["their company (Globex)"]
    monkeypatch.setattr("sys.stdin", io.StringIO(" \n"))
    empty = cli("news", "add", "-")
    assert empty.code != 0 and empty.err.startswith("keepwarm: error: standard input: no text found")


def test_draft_news_names_the_latest_mention_in_your_words(cli: Callable, fixtures_dir: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    _network(cli)
    monkeypatch.setattr("sys.stdin", io.StringIO("Acme news\nMaria Lopez of Globex spoke at a dinner.\n"))
    cli("news", "add", "-")
    text = cli("draft", "Maria Lopez", "news").out
    assert text.startswith("Hi Maria,\n\nI just read about your work at Globex and thought of you.")
    assert "dinner" not in text


def _feeds(results):  # type: ignore[no-untyped-def]
    """The feed steps of `keepwarm sync --json` (the live sources come first)."""
    return [r for r in results if r["kind"] == "feed"]
