"""`keepwarm worker`: the accounts' syncs as procrastinate jobs on the real PostgreSQL server."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import create_engine, text
from syncservers import PASSWORD, USER, make_collection

EVENT = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//phone//EN\r\nBEGIN:VEVENT\r\nUID:w1\r\n"
         "DTSTAMP:20261101T000000Z\r\nDTSTART:20261120T100000Z\r\nDTEND:20261120T110000Z\r\n"
         f"ORGANIZER:mailto:{USER}\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:ann@example.com\r\n"
         "END:VEVENT\r\nEND:VCALENDAR\r\n")


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_the_worker_syncs_every_account_as_jobs_once(cli, make_store, dav_base, db_url):
    assert cli("add", "Ann Lee", "--email", "ann@example.com").code == 0
    cal = make_collection(dav_base, "work", "cal")
    assert httpx.put(cal + "w1.ics", content=EVENT, auth=(USER, PASSWORD)).status_code == 201
    assert cli("sources", "add", "caldav", "cal", "--url", cal, "--user", USER).code == 0

    r = cli("worker", "--once")
    assert r.code == 0, r.err
    assert "Synced the sources of 1 account." in r.out
    with make_store() as store:
        pid = store.people.resolve("Ann Lee").id
        assert [t.on_date.isoformat() for t in store.touches.of_person(pid)] == ["2026-11-20"]
    engine = create_engine(db_url)
    with engine.connect() as conn:
        jobs = conn.execute(text("SELECT task_name, status FROM procrastinate_jobs")).all()
    engine.dispose()
    assert [(j.task_name, j.status) for j in jobs] == [("keepwarm.sync_account", "succeeded")]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_worker_refuses_sqlite_with_a_hint(cli):
    r = cli("worker", "--once")
    assert r.code == 6
    assert r.err.splitlines() == ["keepwarm: error: the worker needs PostgreSQL (its job queue lives there)",
                                  "  hint: on one machine, run `keepwarm sync` from cron or a systemd timer "
                                  "instead"]
