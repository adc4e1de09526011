"""The web's capture review: listed by volume, one click adds, CSRF required, each account sees its own."""

from sqlalchemy import select
from tests.capture.conftest import CAPTURE_FIXTURES, MY_ADDRESSES

from keepwarm.store.models.capture import Correspondent


def capture_mail(web, email, files=CAPTURE_FIXTURES):
    from keepwarm.store.capture import capture_files
    from keepwarm.store.correspondents import me_add

    with web.store(email) as store:
        for a in MY_ADDRESSES:
            me_add(store, a)
        capture_files(store, [str(files / "mail.mbox"), str(files / "calendar.ics")])


def test_the_review_page_lists_two_way_strangers_and_adds_one_with_a_click(web, bob):
    capture_mail(web, "b@example.com")
    page = bob.get("/capture/review")
    assert page.status_code == 200 and "carol@other.org" in page.text
    assert "noreply" not in page.text and "p1@crowd.org" not in page.text  # robots and one-way never
    r = bob.form("/capture/add", {"key": "carol@other.org"})
    assert r.status_code == 303
    after = bob.get(r.headers["location"])
    assert "Added Carol Stranger" in after.text and "carol@other.org</div>" not in after.text
    with web.store("b@example.com") as store:
        assert store.people.resolve("carol@other.org").name == "Carol Stranger"


def test_adding_without_the_csrf_token_is_refused(web, bob):
    capture_mail(web, "b@example.com")
    r = bob.http.post("/capture/add", data={"key": "carol@other.org"})
    assert r.status_code in (400, 403)
    with web.store("b@example.com") as store:
        assert store.session.scalar(select(Correspondent.key).where(Correspondent.key == "carol@other.org"))


def test_another_accounts_stranger_is_not_found_nor_shown(web, alice, bob):
    capture_mail(web, "b@example.com")
    assert "carol@other.org" not in alice.get("/capture/review").text
    r = alice.form("/capture/add", {"key": "carol@other.org"})
    assert r.status_code == 404
    with web.store("b@example.com") as store:
        assert store.session.scalar(select(Correspondent.key).where(Correspondent.key == "carol@other.org"))


def test_the_review_page_needs_a_login(web):
    r = web.client().get("/capture/review")
    assert r.status_code in (302, 303, 401)


def test_the_import_page_links_to_the_review(web, bob):
    assert 'href="/capture/review"' in bob.get("/import").text
