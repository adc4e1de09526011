"""News on the web: the Feeds page, mentions on the Person page, news on Today with its draft, the API."""

from __future__ import annotations

import html
import re

ARTICLE = ("Acme Robotics launches a warehouse robot\n\n"
           "Dr. Ravi K. Patel, head of product at Acme Robotics, was named to lead the launch.\n\n"
           "Jonas Weber, the painter, opened a show in Berlin.")


def _read(web, email: str, text: str = ARTICLE) -> list[dict]:
    from keepwarm.news.texts import from_text
    from keepwarm.store.news import NewsRepo, text_key

    article = from_text(text, "pasted")
    pid = _pid(web, email, "Ravi Patel")
    with web.store(email) as store:
        store.people.row(pid).company = "Acme Robotics"
        repo = NewsRepo(store.session, store.owner_id, store.today)
        read = repo.read(article.text, title=article.title, key=text_key(text),
                         link="https://news.example/acme", source="Portland Business Daily")
        return repo.describe(read)


def _pid(web, email: str, name: str) -> int:
    from sqlalchemy import select

    from keepwarm.store.models import PersonRow

    with web.store(email) as store:
        return store.session.scalar(select(PersonRow.id).where(PersonRow.owner_id == store.owner_id,
                                                               PersonRow.name == name))


def test_a_mention_shows_on_today_with_a_link_and_a_draft_that_names_no_article_text(web, alice):
    found = _read(web, "a@example.com")
    assert [m["person"]["name"] for m in found] == ["Ravi Patel"]  # Jonas Weber: a namesake
    page = alice.get("/").text
    card = re.search(r'<li class="card" id="s-\d+" data-trigger="news".*?</li>\s*</ul>', page, re.S)
    assert card and "Ravi Patel" in card.group(0)
    assert "in the news: *Acme Robotics launches a warehouse robot* (Portland Business Daily, 25 November)" \
        in html.unescape(card.group(0))
    assert 'href="https://news.example/acme"' in card.group(0)
    url = html.unescape(re.search(r'hx-get="(/today/draft\?[^"]*trigger=news[^"]*)"', page).group(1))
    draft = html.unescape(alice.get(url, headers={"HX-Request": "true"}).text)
    assert "I just read about your news at Acme Robotics in Portland Business Daily" in draft
    assert "warehouse robot" not in draft and "lead the launch" not in draft


def test_the_person_page_lists_mentions_and_not_them_dismisses_for_good(web, alice):
    mid = _read(web, "a@example.com")[0]["id"]
    pid = _pid(web, "a@example.com", "Ravi Patel")
    page = alice.get(f"/people/{pid}").text
    assert "matched their company (Acme Robotics)" in html.unescape(page)
    back = alice.http.post(f"/mentions/{mid}/dismiss", data={"csrf_token": alice.csrf},
                           headers={"Referer": f"http://testserver/people/{pid}"})
    assert (back.status_code, back.headers["location"]) == (303, f"/people/{pid}")
    assert "matched their company" not in alice.get(f"/people/{pid}").text
    assert 'data-trigger="news"' not in alice.get("/").text
    assert alice.api("GET", "/api/v1/mentions").json() == []
    gone = alice.api("GET", "/api/v1/mentions?dismissed=true").json()
    assert [(m["id"], m["state"]) for m in gone] == [(mid, "dismissed")]


def test_review_goes_back_to_a_person_page_and_never_to_another_site(web, alice):
    mid = _read(web, "a@example.com")[0]["id"]
    away = alice.http.post(f"/mentions/{mid}/confirm", data={"csrf_token": alice.csrf},
                           headers={"Referer": "https://evil.example/people/1"})
    assert (away.status_code, away.headers["location"]) == (303, "/people/1")  # this site's page
    odd = alice.http.post(f"/mentions/{mid}/confirm", data={"csrf_token": alice.csrf},
                          headers={"Referer": "https://evil.example/login"})
    assert odd.headers["location"] == "/feeds"
    assert alice.api("GET", "/api/v1/mentions").json()[0]["state"] == "confirmed"


def test_the_feeds_page_adds_and_removes_a_feed(alice):
    added = alice.form("/feeds", {"url": "https://news.example/feed.xml", "name": "Example"})
    assert added.status_code == 303
    page = alice.get("/feeds").text
    assert "Example" in page and "not polled yet" in page
    fid = re.search(r'action="/feeds/(\d+)/remove"', page).group(1)
    assert alice.form(f"/feeds/{fid}/remove").status_code == 303
    assert "Example" not in alice.get("/feeds").text


def test_the_mentions_api_is_scoped_to_the_account(web, alice, bob):
    found = _read(web, "a@example.com")
    api = alice.api("GET", "/api/v1/mentions").json()
    assert [(m["id"], m["item"]["source"], m["good_news"]) for m in api] == \
        [(found[0]["id"], "Portland Business Daily", True)]
    assert bob.api("GET", "/api/v1/mentions").json() == []
    assert bob.api("POST", f"/api/v1/mentions/{found[0]['id']}/dismiss").status_code == 404
