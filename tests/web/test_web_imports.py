"""Web imports of any documented size: the file is kept server-side between the dry run and the confirm,
owned by one account, taken once, and expiring; on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta

from keepwarm.store.models import Upload
from keepwarm.web.importing import MAX_BYTES

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def connections(size: int) -> tuple[bytes, int]:
    """A LinkedIn Connections.csv of about ``size`` bytes with every row a different person, and its rows."""
    rows, total, n = [HEADER], len(HEADER), 0
    while total < size:
        row = (f"Given{n},Family{n},https://www.linkedin.com/in/given-family-{n:06},given.family{n}@example.com,"
               f"Company {n % 700} International Holdings,Head of Partnerships {n % 40},"
               f"{n % 28 + 1:02} {MONTHS[n % 12]} {2010 + n % 15}\r\n")
        rows.append(row)
        total += len(row)
        n += 1
    return "".join(rows).encode("utf-8"), n


def dry_run(client, data: bytes, name: str = "Connections.csv"):
    return client.http.post("/import", data={"csrf_token": client.csrf},
                            files={"file": (name, data, "text/csv")})


def upload_id(page: str) -> str:
    return re.search(r'name="upload_id" value="([^"]+)"', page).group(1)


def people(web, email: str) -> int:
    with web.store(email) as store:
        return store.people.count(store.people.query())


def uploads(web) -> list[tuple[str, int]]:
    from sqlalchemy import select

    with web.app.state.web.db.session() as session:
        return [tuple(r) for r in session.execute(select(Upload.id, Upload.owner_id))]


def test_a_4_5_mb_connections_file_is_checked_then_imported_row_for_row(web, bob):
    data, rows = connections(4_500_000)
    assert 4_400_000 < len(data) <= MAX_BYTES
    r = dry_run(bob, data)
    assert r.status_code == 200, r.text[:500]
    assert f"<strong>{rows}</strong> created" in r.text
    assert f"+{rows - 100} more" in r.text  # the page lists the first 100 people
    assert people(web, "b@example.com") == 0 and len(uploads(web)) == 1
    r = bob.form("/import/confirm", {"upload_id": upload_id(r.text)})
    assert r.status_code == 200 and "Imported Connections.csv" in r.text
    assert people(web, "b@example.com") == rows
    assert uploads(web) == []  # taken by the import


def test_another_accounts_upload_is_not_found_and_stays_its_owners(web, alice, bob):
    data, rows = connections(3000)
    token = upload_id(dry_run(bob, data).text)
    r = alice.form("/import/confirm", {"upload_id": token})
    assert r.status_code == 404
    assert people(web, "b@example.com") == 0
    assert bob.form("/import/confirm", {"upload_id": token}).status_code == 200
    assert people(web, "b@example.com") == rows


def test_confirming_twice_imports_once(web, bob):
    data, rows = connections(3000)
    token = upload_id(dry_run(bob, data).text)
    assert bob.form("/import/confirm", {"upload_id": token}).status_code == 200
    again = bob.form("/import/confirm", {"upload_id": token})
    assert again.status_code == 404 and "choose the file again" in again.text
    assert people(web, "b@example.com") == rows


def test_an_expired_upload_is_refused_and_deleted_by_the_next_upload(web, bob):
    from keepwarm.store import uploads as kept

    data, _ = connections(3000)
    token = upload_id(dry_run(bob, data).text)
    with web.app.state.web.db.session() as session:
        row = session.get(Upload, token)
        row.expires_at = kept.utcnow() - timedelta(seconds=1)
    assert bob.form("/import/confirm", {"upload_id": token}).status_code == 404
    assert people(web, "b@example.com") == 0
    fresh = upload_id(dry_run(bob, data).text)
    assert [t for t, _ in uploads(web)] == [fresh]


def test_an_account_keeps_only_its_last_few_uploads(web, alice, bob):
    from keepwarm.store.uploads import KEEP

    data, _ = connections(2000)
    alices = upload_id(dry_run(alice, data).text)
    tokens = [upload_id(dry_run(bob, data).text) for _ in range(KEEP + 2)]
    assert sorted(uploads(web)) == sorted([(alices, _owner(web, "a@example.com"))]
                                          + [(t, _owner(web, "b@example.com")) for t in tokens[-KEEP:]])


def _owner(web, email: str) -> int:
    with web.store(email) as store:
        return store.owner_id


def test_a_file_over_5_mb_is_refused_with_the_limit_and_not_kept(web, bob):
    r = dry_run(bob, HEADER.encode() + b"x" * MAX_BYTES)
    assert r.status_code == 422
    assert "Connections.csv: the file is larger than 5 MB" in r.text and "keepwarm import" in r.text
    assert uploads(web) == []


def test_an_unreadable_file_is_refused_and_not_kept(web, bob):
    r = dry_run(bob, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", name="photo.csv")
    assert r.status_code == 422 and "photo.csv" in r.text
    assert uploads(web) == []


def test_the_dry_run_page_shows_merges_and_skipped_rows_and_writes_nothing(web, bob):
    first = (HEADER + "Ann,Lee,,ann@example.com,Acme,,01 Jan 2020\r\n").encode()
    bob.form("/import/confirm", {"upload_id": upload_id(dry_run(bob, first).text)})
    second = (HEADER + "Annie,Lee,,ann@example.com,Acme,CTO,01 Jan 2020\r\n"
              ",,,,Initech,,01 Jan 2020\r\n").encode()
    r = dry_run(bob, second)
    merged = re.search(r'<table id="merged".*?</table>', r.text, re.S).group(0)
    assert re.search(r"<td>Annie Lee</td><td>Ann Lee</td><td>email ann@example.com</td><td>2</td>", merged)
    skipped = re.search(r'<table id="skipped".*?</table>', r.text, re.S).group(0)
    assert "<td>3</td>" in skipped and "no name, email or phone" in skipped
    with web.store("b@example.com") as store:
        assert store.people.get(store.people.resolve("Ann Lee").id).title is None
