"""Two-way CardDAV against a real Radicale on loopback; the phone is raw HTTP PUTs and DELETEs."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select
from syncservers import PASSWORD, USER, make_collection

from keepwarm.store.models.capture import CardLink, SourceRow

PHOTO = ("PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8"
         "UHRofHh0a")


def _card(uid: str, name: str, email: str, *extra: str) -> str:
    given, family = name.split()
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{name}", f"N:{family};{given};;;",
             f"EMAIL;TYPE=WORK:{email}", *extra, "END:VCARD"]
    return "\r\n".join(lines) + "\r\n"


class Phone:
    """What a phone does to the address book: plain HTTP with the user's password."""

    def __init__(self, book: str) -> None:
        self.book, self.auth = book, (USER, PASSWORD)

    def put(self, name: str, text: str) -> str:
        r = httpx.put(self.book + name, content=text, auth=self.auth,
                      headers={"Content-Type": "text/vcard; charset=utf-8"})
        assert r.status_code in (201, 204), r.text
        return r.headers["ETag"]

    def get(self, name: str) -> tuple[str, str]:
        r = httpx.get(self.book + name, auth=self.auth)
        assert r.status_code == 200, r.status_code
        return r.headers["ETag"], r.text

    def delete(self, name: str) -> None:
        assert httpx.delete(self.book + name, auth=self.auth).status_code in (200, 204)

    def names(self) -> list[str]:
        body = "<?xml version='1.0'?><D:propfind xmlns:D='DAV:'><D:prop><D:getetag/></D:prop></D:propfind>"
        r = httpx.request("PROPFIND", self.book, content=body, auth=self.auth, headers={"Depth": "1"})
        import re

        return sorted(h.rsplit("/", 1)[1] for h in re.findall(r"<[^>]*href>([^<]+\.vcf)</", r.text))


@pytest.fixture
def phone(dav_base: str) -> Phone:
    return Phone(make_collection(dav_base, "contacts", "card"))


@pytest.fixture
def synced(cli: Any, phone: Phone, dav_base: str) -> Any:
    """An address book source 'phone' on Radicale; returns a function that syncs and gives the JSON."""
    r = cli("sources", "add", "carddav", "phone", "--url", f"{dav_base}/{USER}/", "--user", USER)
    assert r.code == 0, r.err

    def sync(*args: str) -> dict[str, Any]:
        got = cli("sync", "phone", "--json", *args)
        assert got.code == 0, got.err
        return dict(got.json()[0])

    return sync


def _person(make_store: Any, name: str) -> Any:
    with make_store() as store:
        return store.people.get(store.people.resolve(name).id)


def test_cards_from_the_phone_become_people_and_a_second_sync_sends_nothing(phone, synced, make_store):
    phone.put("ann.vcf", _card("ann-1", "Ann Lee", "ann@example.com", "TITLE:Engineer", PHOTO, "X-FOO:bar"))
    phone.put("bob.vcf", _card("bob-1", "Bob Roe", "Bob@Example.com", "TEL;TYPE=CELL:(415) 555-0100"))

    first = synced()
    assert first["pulled"] == 2 and sorted(first["created_people"]) == ["Ann Lee", "Bob Roe"]
    assert first["sent"] == []
    ann = _person(make_store, "Ann Lee")
    assert ann.emails == ["ann@example.com"] and ann.title == "Engineer"

    assert _person(make_store, "Bob Roe").phones == ["+14155550100"]  # stored as keepwarm stores phones

    etags = phone.get("ann.vcf")[0], phone.get("bob.vcf")[0]
    for _ in range(2):  # a phone written as people write it is the same phone: nothing to send, ever
        again = synced()
        assert again["pulled"] == 0 and again["sent"] == [] and again["updated_people"] == []
    assert (phone.get("ann.vcf")[0], phone.get("bob.vcf")[0]) == etags


def test_an_edit_in_keepwarm_patches_only_that_field_and_photo_and_unknown_lines_survive(
        cli, phone, synced, make_store):
    phone.put("ann.vcf", _card("ann-1", "Ann Lee", "ann@example.com", "TITLE:Engineer", PHOTO, "X-FOO:bar"))
    synced()
    assert cli("edit", "Ann Lee", "--title", "CTO", "--note", "private: owes me a favour").code == 0

    out = synced()
    assert [(s["person"], s["fields"], s["new"]) for s in out["sent"]] == [("Ann Lee", ["title"], False)]
    etag, text = phone.get("ann.vcf")
    assert "TITLE:CTO" in text and "X-FOO:bar" in text and "/9j/4AAQSkZJRgABAQAAAQABAAD" in text
    assert "favour" not in text
    assert synced()["sent"] == [] and phone.get("ann.vcf")[0] == etag


def test_a_person_made_in_keepwarm_gets_a_card_without_private_notes(cli, phone, synced):
    assert cli("add", "Cleo Park", "--email", "cleo@example.com", "--title", "Editor",
               "--note", "met at the funeral").code == 0
    out = synced()
    assert [(s["person"], s["new"]) for s in out["sent"]] == [("Cleo Park", True)]
    [name] = phone.names()
    text = phone.get(name)[1]
    assert "FN:Cleo Park" in text and "cleo@example.com" in text and "TITLE:Editor" in text
    assert "funeral" not in text and "NOTE" not in text
    assert synced()["sent"] == []


def test_fields_edited_on_both_sides_merge_and_a_real_conflict_keeps_both_values(cli, phone, synced,
                                                                                 make_store):
    phone.put("ann.vcf", _card("ann-1", "Ann Lee", "ann@example.com", "TITLE:Engineer"))
    synced()
    assert cli("edit", "Ann Lee", "--title", "CTO", "--company", "Acme").code == 0
    phone.put("ann.vcf", _card("ann-1", "Ann Lee", "ann@example.com", "TITLE:Founder",
                               "NICKNAME:Annie", "EMAIL:ann@home.example"))

    out = synced()
    ann = _person(make_store, "Ann Lee")
    assert ann.title == "CTO" and ann.company == "Acme" and ann.nickname == "Annie"
    assert sorted(ann.emails) == ["ann@example.com", "ann@home.example"]
    assert [(c["field"], c["keepwarm"], c["card"]) for c in out["conflicts"]] == [("title", "CTO", "Founder")]
    text = phone.get("ann.vcf")[1]
    assert "TITLE:Founder" in text and "ORG:Acme" in text  # the phone's title kept, keepwarm's company sent

    listed = cli("sources", "conflicts", "--json").json()
    assert [(i["kind"], i["person"], i["field"]) for i in listed] == [("conflict", "Ann Lee", "title")]
    assert "keepwarm has 'CTO', the card has 'Founder'" in cli("sources", "conflicts").out

    assert cli("edit", "Ann Lee", "--title", "Founder").code == 0  # the user agrees with the phone
    again = synced()
    assert again["conflicts"] == [] and again["sent"] == []
    assert cli("sources", "conflicts", "--json").json() == []


def test_a_card_deleted_on_the_phone_unlinks_the_person_and_keeps_their_history(cli, phone, synced,
                                                                                make_store):
    phone.put("ann.vcf", _card("ann-1", "Ann Lee", "ann@example.com"))
    synced()
    assert cli("log", "Ann Lee", "coffee").code == 0
    phone.delete("ann.vcf")

    out = synced()
    assert out["unlinked"] == ["Ann Lee"] and out["sent"] == []
    with make_store() as store:
        pid = store.people.resolve("Ann Lee").id
        assert len(store.touches.of_person(pid)) == 1
    assert [(i["kind"], i["person"]) for i in cli("sources", "conflicts", "--json").json()] == [
        ("unlinked", "Ann Lee")]
    assert phone.names() == []  # an unlinked person is not pushed back
    assert synced()["sent"] == []


def test_dry_run_shows_what_would_be_sent_and_changes_nothing(cli, phone, synced, make_store):
    phone.put("ann.vcf", _card("ann-1", "Ann Lee", "ann@example.com"))
    synced()
    assert cli("edit", "Ann Lee", "--title", "CTO").code == 0
    assert cli("add", "Cleo Park", "--email", "cleo@example.com").code == 0
    etag = phone.get("ann.vcf")[0]

    shown = cli("sync", "phone", "--dry-run")
    assert shown.code == 0, shown.err
    assert "would update the card of Ann Lee (title)" in shown.out
    assert "would create the card of Cleo Park" in shown.out
    assert phone.get("ann.vcf")[0] == etag and phone.names() == ["ann.vcf"]
    with make_store() as store:
        assert len(list(store.session.scalars(select(CardLink)))) == 1

    assert len(synced()["sent"]) == 2


def test_a_card_changed_between_listing_and_writing_fails_with_412_and_stores_nothing(
        cli, phone, synced, make_store):
    phone.put("ann.vcf", _card("ann-1", "Ann Lee", "ann@example.com"))
    synced()
    # the phone writes after keepwarm listed the book: keepwarm still holds the ETag it listed
    with make_store() as store:
        link = store.session.scalar(select(CardLink))
        listed_etag = link.etag
    phone.put("ann.vcf", _card("ann-1", "Ann Lee", "ann@example.com", "TITLE:Founder"))
    with make_store() as store:  # pretend the listing was taken just before the phone's write
        row = store.session.scalar(select(SourceRow))
        row.state = {**row.state, "token": _token_now(phone)}
    assert cli("edit", "Ann Lee", "--title", "CTO").code == 0

    r = cli("sync", "phone")
    assert r.code == 10
    assert r.err.splitlines()[0].startswith("keepwarm: error: source 'phone': ")
    assert "changed on the server during the sync (412); nothing was stored" in r.err
    with make_store() as store:
        link = store.session.scalar(select(CardLink))
        assert link.etag == listed_etag and link.state == "linked"
    assert "TITLE:Founder" in phone.get("ann.vcf")[1]


def _token_now(phone: Phone) -> str:
    body = ("<?xml version='1.0'?><D:sync-collection xmlns:D='DAV:'><D:sync-token/><D:sync-level>1"
            "</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>")
    r = httpx.request("REPORT", phone.book, content=body, auth=phone.auth)
    import re

    return re.search(r"<[^>]*sync-token>([^<]+)<", r.text).group(1)  # type: ignore[union-attr]


def test_a_wrong_password_and_a_server_that_is_down_are_one_line_each(cli, monkeypatch, dav_base):
    monkeypatch.setenv("KEEPWARM_SOURCE_PASSWORD", "wrong")
    assert cli("sources", "add", "carddav", "phone", "--url", f"{dav_base}/{USER}/", "--user", USER).code == 0
    r = cli("sync")
    assert r.code == 10 and r.err.splitlines()[0].endswith("refused the user name or password; nothing was "
                                                           "stored")
    assert cli("sources", "rm", "phone").code == 0
    from syncservers import free_port

    assert cli("sources", "add", "carddav", "gone", "--url", f"http://127.0.0.1:{free_port()}/",
               "--user", USER).code == 0
    r = cli("sync", "gone")
    assert r.code == 10 and "cannot talk to 127.0.0.1:" in r.err and "Traceback" not in r.err


def test_a_connection_dropped_mid_sync_stores_nothing_and_the_next_sync_gets_everything(
        cli, phone, dav_base, make_store):
    from syncservers import Relay

    for n in range(40):
        phone.put(f"p{n}.vcf", _card(f"p-{n}", f"Person{n} Test", f"p{n}@example.com", PHOTO))
    relay = Relay(int(dav_base.rsplit(":", 1)[1]))
    try:
        url = f"http://127.0.0.1:{relay.port}/{USER}/"
        assert cli("sources", "add", "carddav", "phone", "--url", url, "--user", USER).code == 0
        relay.cut_after = 4000  # past the listing (about 2.7 kB gzipped), inside the cards
        r = cli("sync", "phone")
        assert r.code == 10 and r.err.startswith("keepwarm: error: source 'phone': cannot talk to ")
        assert "Traceback" not in r.err
        with make_store() as store:
            assert store.people.count(store.people.query()) == 0
            assert list(store.session.scalars(select(CardLink))) == []
            assert store.session.scalar(select(SourceRow.state)) == {}

        relay.cut_after = None
        again = cli("sync", "phone", "--json")
        assert again.code == 0, again.err
        assert again.json()[0]["pulled"] == 40 and again.json()[0]["sent"] == []
    finally:
        relay.close()


def test_a_card_of_someone_already_in_keepwarm_links_to_them_instead_of_adding_a_twin(cli, phone, synced,
                                                                                      make_store):
    added = cli("add", "Ann Lee", "--email", "ann@example.com", "--company", "Acme", "--title", "CTO")
    assert added.code == 0
    phone.put("ann.vcf", _card("other-uid", "Ann Lee", "ANN@example.com", "TITLE:Founder",
                               "TEL;TYPE=CELL:+1 415 555 0100"))
    phone.put("ann2.vcf", _card("uid-2", "Ann Lee", "ann@example.com"))  # a duplicate card on the phone

    out = synced()
    assert out["created_people"] == []
    with make_store() as store:
        assert store.people.count(store.people.query()) == 1
    ann = _person(make_store, "Ann Lee")
    assert ann.phones == ["+14155550100"] and ann.company == "Acme" and ann.title == "CTO"
    assert [(c["field"], c["keepwarm"], c["card"]) for c in out["conflicts"]] == [("title", "CTO", "Founder")]
    assert "ORG:Acme" in phone.get("ann.vcf")[1]


def test_a_card_keepwarm_cannot_read_is_skipped_and_named_and_the_others_sync(cli, phone, synced,
                                                                            make_store):
    phone.put("ann.vcf", _card("ann-1", "Ann Lee", "ann@example.com"))
    phone.put("bad.vcf", _card("bad-1", "Bad Card", "not an address"))
    r = cli("sync", "phone")
    assert r.code == 0, r.err
    assert "1 people added" in r.out
    [skipped] = [line for line in r.out.splitlines() if line.startswith("  skipped ")]
    assert "bad.vcf" in skipped and "not an address" in skipped
    with make_store() as store:
        assert store.people.count(store.people.query()) == 1
