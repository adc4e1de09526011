"""`keepwarm library`, `share`, `draft`, `post` and `today --drafts`, end to end through the CLI."""

from __future__ import annotations

import http.server
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ARTICLE = "informational-interviews.html"
BOOK = "career-switch-book-review.html"


@pytest.fixture
def site(fixtures_dir: Path, tmp_path: Path) -> Iterator[str]:
    """A real HTTP server on loopback serving the article fixtures and an image."""
    root = tmp_path / "site"
    shutil.copytree(fixtures_dir / "articles", root)
    (root / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw):  # type: ignore[no-untyped-def]
            super().__init__(*a, directory=str(root), **kw)

        def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _people(cli: Callable) -> None:
    for args in (("Ravi Patel", "--interest", "product management", "--interest", "career change",
                  "--note", "Switching into product management.", "--circle", "close"),
                 ("Priya Raman", "--interest", "machine learning", "--title", "Data Scientist",
                  "--circle", "active"),
                 ("Sam Okafor", "--interest", "hiring", "--title", "Recruiter", "--circle", "warm")):
        assert cli("add", *args).code == 0


def test_adding_an_html_file_stores_title_author_and_summary(cli: Callable, fixtures_dir: Path) -> None:
    r = cli("library", "add", str(fixtures_dir / "articles" / ARTICLE), "--topic", "career change",
            "--review", "Read this before any coffee chat.", "--json")
    assert r.code == 0, r.err
    data = r.json()
    assert data["title"].startswith("Five Questions That Make an Informational Interview")
    assert "Alvarez" in data["author"] and data["published"] == "2025-09-14"
    assert data["review"] == "Read this before any coffee chat."
    assert len(data["summary"]) == 3
    listed = cli("library", "--json").json()
    assert [x["id"] for x in listed] == [data["id"]]
    assert listed[0]["summary"] == data["summary"] and listed[0]["topics"] == ["career change"]
    text = cli("library").out
    assert "Read this before any coffee chat." in text and "Five Questions" in text


def test_adding_a_url_fetches_it_from_a_real_server(cli: Callable, site: str) -> None:
    r = cli("library", "add", f"{site}/{BOOK}", "--kind", "book", "--json")
    assert r.code == 0, r.err
    data = r.json()
    assert data["url"] == f"{site}/{BOOK}" and data["kind"] == "book"
    assert data["title"].startswith("Book review: Switchers")
    assert not any("Great review" in s or "comments" in s for s in data["summary"])


def test_a_url_that_fails_is_one_line_and_stores_nothing(cli: Callable, site: str) -> None:
    r = cli("library", "add", f"{site}/missing.html")
    assert r.code == 2
    assert r.err.strip().splitlines() == [f"keepwarm: error: {site}/missing.html: the server answered "
                                          "HTTP 404 File not found"]
    r = cli("library", "add", f"{site}/logo.png")
    assert r.code == 2
    assert r.err.strip() == (f"keepwarm: error: {site}/logo.png: not a web page or text "
                             "(content type image/png)")
    r = cli("library", "add", "http://127.0.0.1:9/nothing")
    assert r.code == 2 and "could not fetch it" in r.err and len(r.err.strip().splitlines()) == 1
    assert cli("library", "--json").json() == []


def test_an_html_page_without_text_or_a_binary_file_is_refused(cli: Callable, tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><nav><a href='/'>Home</a> | <a href='/x'>Blog</a></nav>"
                     "<div class='ad'>Buy now!</div></body></html>")
    r = cli("library", "add", str(empty))
    assert r.code == 2 and r.err.strip() == f"keepwarm: error: {empty}: no article text found in the page"
    blob = tmp_path / "photo.jpg"
    blob.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 8)
    r = cli("library", "add", str(blob))
    assert r.code == 2 and r.err.strip() == f"keepwarm: error: {blob}: a binary file, not HTML or text"
    r = cli("library", "add", str(tmp_path / "nope.html"))
    assert r.code == 2 and "cannot read it" in r.err
    assert cli("library", "--json").json() == []


def test_a_text_file_is_summarised_from_its_own_sentences(cli: Callable, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    body = ["Small touches keep a network warm between the big moments of a career.",
            "A short note after a talk shows that you listened and remember the details.",
            "Sharing an article with a line of your own helps more than a bare link ever could.",
            "Asking for favours works better when you have given value to people first."]
    notes.write_text("Notes on keeping in touch\n\n" + "\n".join(body) + "\n", encoding="utf-8")
    data = cli("library", "add", str(notes), "--json").json()
    assert data["title"] == "Notes on keeping in touch" and data["url"] is None
    assert len(data["summary"]) == 3 and set(data["summary"]) <= set(body)


def test_a_book_needs_only_a_title(cli: Callable) -> None:
    r = cli("library", "add", "--title", "The Manager's Path", "--topic", "leadership", "--json")
    assert r.code == 0 and r.json()["kind"] == "book" and r.json()["summary"] == []
    assert cli("library", "add").code == 2


def test_suggest_ranks_people_and_share_ends_the_suggestion(cli: Callable, fixtures_dir: Path) -> None:
    _people(cli)
    rid = cli("library", "add", str(fixtures_dir / "articles" / BOOK), "--topic", "career change",
              "--json").json()["id"]
    ranked = cli("library", "suggest", str(rid), "--json").json()
    assert ranked[0]["person"]["name"] == "Ravi Patel"
    assert ranked[0]["because"] == "interested in career change"
    assert cli("library", "suggest", "--person", "Ravi", "--json").json()[0]["resource"]["id"] == rid
    today = cli("today", "--json").json()
    ravi = next(i for i in today if i["person"]["name"] == "Ravi Patel")
    assert ravi["trigger"] == "library" and ravi["resource_id"] == rid
    assert ravi["reasons"][0].startswith("share the article “Book review: Switchers")

    r = cli("share", str(rid), "Ravi")
    assert r.code == 0, r.err
    shown = cli("show", "Ravi", "--json").json()
    assert shown["touches"][0]["action"] == "recommend"
    assert all(m["person"]["name"] != "Ravi Patel" for m in cli("library", "suggest", "--json").json())
    assert all(i["trigger"] != "library" for i in cli("today", "--json").json()
               if i["person"]["name"] == "Ravi Patel")
    assert cli("library", "--json").json()[0]["shared_with"] == [shown["id"]]


def test_share_with_an_unknown_person_logs_nothing(cli: Callable) -> None:
    _people(cli)
    cli("library", "add", "--title", "Inspired", "--topic", "product management")
    r = cli("share", "Inspired", "Ravi", "Nobody Here")
    assert r.code == 3 and "no person matches 'Nobody Here'" in r.err
    assert cli("show", "Ravi", "--json").json()["touches"] == []


def test_draft_picks_the_fitting_kind_and_uses_the_resource(cli: Callable, fixtures_dir: Path) -> None:
    _people(cli)
    cli("library", "add", str(fixtures_dir / "articles" / ARTICLE), "--topic", "career change",
        "--review", "The checklist I use myself.")
    r = cli("draft", "Ravi", "--json")
    assert r.code == 0, r.err
    data = r.json()
    assert data["kind"] == "share"
    assert data["text"].startswith("Hi Ravi,")
    assert "The checklist I use myself." in data["text"] and "Five Questions" in data["text"]
    cli("log", "Priya", "coffee", "--note", "her talk on model monitoring", "--date", "yesterday")
    r = cli("draft", "Priya", "call")
    assert r.code == 0, r.err
    assert "It was good to catch up yesterday. Do you have twenty minutes for a phone call" in r.out
    assert "model monitoring" not in r.out  # a touch's note is private
    r = cli("draft", "Priya", "share")  # nothing in the library suits her: the user picks
    assert r.code == 0 and "[pick an article for them]" in r.out
    assert "meet for a coffee" in cli("draft", "Priya", "meetup").out  # the old name still works


def test_draft_uses_the_users_own_template(cli: Callable, tmp_path: Path) -> None:
    _people(cli)
    own = tmp_path / "config" / "templates" / "drafts"
    own.mkdir(parents=True)
    (own / "checkin.txt.j2").write_text("Hey {{ first_name }}, long time!\n")
    assert cli("draft", "Priya", "checkin").out == "Hey Priya, long time!\n"


def test_post_logs_a_repost_with_everyone_in_the_circle(cli: Callable, fixtures_dir: Path) -> None:
    _people(cli)
    cli("add", "Lena Ortiz", "--circle", "warm")
    cli("library", "add", str(fixtures_dir / "articles" / ARTICLE), "--review", "Worth five minutes.")
    r = cli("post", "Five Questions")
    assert r.code == 0 and r.out.startswith("Worth five minutes.\n\nI just read “Five Questions")
    assert cli("show", "Sam", "--json").json()["touches"] == []
    r = cli("post", "Five Questions", "--circle", "warm", "--log")
    assert r.code == 0, r.err
    for name in ("Sam Okafor", "Lena Ortiz"):
        touches = cli("show", name, "--json").json()["touches"]
        assert [t["action"] for t in touches] == ["repost"]
    assert cli("show", "Ravi", "--json").json()["touches"] == []
    assert cli("post", "Five Questions", "--log").code == 2


def test_today_with_drafts_adds_a_message_to_each_item(cli: Callable) -> None:
    assert cli("demo").code == 0
    items = cli("today", "--drafts", "--json").json()
    assert items and all(i["draft"].strip() for i in items)
    jonas = next(i for i in items if i["trigger"] == "birthday")
    assert jonas["draft"].startswith("Happy birthday, Jonas!")
    out = cli("today", "--drafts").out
    assert "Happy birthday, Jonas!" in out


def test_someone_added_after_the_resource_is_matched_at_once(cli: Callable) -> None:
    cli("library", "add", "--title", "Inspired", "--topic", "product management", "--kind", "book")
    cli("add", "Omar Haddad", "--interest", "product management")
    cli("add", "Ann Other", "--interest", "gardening")
    [item] = [i for i in cli("today", "--json").json() if i["trigger"] == "library"]
    assert item["person"]["name"] == "Omar Haddad"
    cli("edit", "ann", "--interest", "product management")
    cli("share", "Inspired", "Omar")  # the agenda shows one person per resource a day: Ann is next
    [item] = [i for i in cli("today", "--json").json() if i["trigger"] == "library"]
    assert item["person"]["name"] == "Ann Other"


def test_rematch_refreshes_stored_matches(cli: Callable) -> None:
    cli("add", "Omar Haddad", "--interest", "product management")
    cli("library", "add", "--title", "Inspired", "--topic", "product management", "--kind", "book")
    r = cli("library", "rematch", "--person", "Omar")
    assert r.code == 0 and "Stored 1 matches." in r.out
    [item] = [i for i in cli("today", "--json").json() if i["trigger"] == "library"]
    assert item["person"]["name"] == "Omar Haddad"
    assert cli("library", "rematch").code == 0
    assert [i["person"]["name"] for i in cli("today", "--json").json() if i["trigger"] == "library"] \
        == ["Omar Haddad"]


def test_a_share_draft_for_a_named_resource_says_why_it_suits_them(cli: Callable) -> None:
    _people(cli)
    cli("library", "add", "--title", "Inspired", "--topic", "product management", "--kind", "book")
    cli("library", "add", "--title", "Deep Learning", "--topic", "machine learning", "--kind", "book")
    text = cli("draft", "Ravi", "share", "--resource", "Inspired").out
    assert "Since you are interested in product management, I thought of you when I read this book:" in text
    text = cli("draft", "Ravi", "share", "--resource", "Deep Learning").out
    assert "I came across this book and thought of you:\n“Deep Learning”" in text


def test_more_summary_sentences_on_request_and_removal(cli: Callable, fixtures_dir: Path) -> None:
    data = cli("library", "add", str(fixtures_dir / "articles" / ARTICLE), "--sentences", "5",
               "--kind", "podcast", "--json").json()
    assert len(data["summary"]) == 5 and data["kind"] == "podcast"
    r = cli("library", "rm", "Informational Interview")
    assert r.code == 0 and "Removed Five Questions" in r.out
    assert cli("library", "--json").json() == []
    assert cli("library", "rm", "Informational Interview").code == 3


def test_suggest_prints_a_ranked_list_for_people(cli: Callable) -> None:
    _people(cli)
    cli("library", "add", "--title", "Who: the A method for hiring", "--topic", "hiring")
    out = cli("library", "suggest", "Who:").out
    assert out.lstrip().startswith("1. Sam Okafor ← Who: the A method for hiring")
    assert "interested in hiring" in out


def test_edit_adds_and_removes_topics_and_shows_who_it_suits_now(cli: Callable) -> None:
    _people(cli)
    rid = cli("library", "add", "--title", "Field notes", "--topic", "hiring", "--json").json()["id"]
    assert cli("library", "suggest", str(rid), "--json").json()[0]["person"]["name"] == "Sam Okafor"
    r = cli("library", "edit", str(rid), "--topic", "Machine Learning", "--untopic", "hiring", "--json")
    assert r.code == 0, r.err
    data = r.json()
    assert data["topics"] == ["machine learning"]
    suits = [(p["name"], p["because"]) for p in data["suits"]]
    assert suits == [("Priya Raman", "interested in machine learning")]
    out = cli("library", "edit", "Field notes", "--topic", "career change").out
    assert "topics career change, machine learning." in out
    assert "suits Ravi Patel (interested in career change)" in out and "suits Priya Raman" in out


def test_edit_with_a_topic_it_lacks_or_nothing_to_do_is_a_one_line_error(cli: Callable) -> None:
    rid = cli("library", "add", "--title", "Inspired", "--topic", "product management", "--json").json()["id"]
    r = cli("library", "edit", str(rid), "--untopic", "product mgmt", "--topic", "leadership")
    assert r.code == 2
    assert r.err.strip() == (f"keepwarm: error: resource #{rid} has no topic 'product mgmt' "
                             "(its topics: product management)")
    r = cli("library", "edit", str(rid))
    assert r.code == 2 and r.err.strip() == "keepwarm: error: nothing to change: give --topic or --untopic"
    assert cli("library", "--json").json()[0]["topics"] == ["product management"]
    assert cli("library", "edit", "no such thing", "--topic", "x").code == 3


def test_the_switchers_review_goes_to_the_career_changer_not_the_book_club_fan(cli: Callable,
                                                                              fixtures_dir: Path) -> None:
    """The bug report: the review of "Switchers" went to someone interested in book clubs."""
    assert cli("add", "Maya Chen", "--interest", "career change", "--title", "Senior Auditor").code == 0
    assert cli("add", "Tom Becker", "--interest", "book clubs", "--interest", "reading",
               "--note", "Runs a book club for people at work.").code == 0
    rid = cli("library", "add", str(fixtures_dir / "articles" / BOOK), "--json").json()["id"]
    ranked = cli("library", "suggest", str(rid), "--json").json()
    who = [(m["person"]["name"], m["because"]) for m in ranked]
    assert who == [("Maya Chen", "interested in career change")]
