"""The JSON backup restores a network exactly, into a fresh database."""

from __future__ import annotations

import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from keepwarm.core.people import Person
from keepwarm.errors import ConflictError
from keepwarm.formats.jsonfmt import load_backup, read_people
from keepwarm.store import Database, open_store
from keepwarm.store import demo as demo_store
from keepwarm.store.backup import dump, restore
from keepwarm.store.exports import write_json
from keepwarm.store.imports import Importer

TODAY = date(2026, 11, 25)


def test_backup_restores_exactly_into_a_fresh_database(sqlite_template: Path, tmp_path: Path,
                                                        db_url: str) -> None:
    shutil.copy(sqlite_template, tmp_path / "source.sqlite3")
    source = Database(f"sqlite:///{tmp_path / 'source.sqlite3'}")
    with open_store(source, TODAY) as store:
        demo_store.load(store)
        store.people.remove(2)  # a gap in the ids, so keeping them is tested
        buf = io.StringIO()
        write_json(store, buf)
    original = json.loads(buf.getvalue())
    target = Database(db_url)
    with open_store(target, TODAY) as store:
        counts = restore(store, load_backup(io.BytesIO(buf.getvalue().encode())))
    assert counts["people"] == len(original["tables"]["people"]) > 5
    with open_store(target, TODAY) as store:
        assert dump(store)["tables"] == original["tables"]
    with open_store(target, TODAY) as store:  # the id sequences moved past the restored rows
        store.people.add(Person(name="After Restore"))
        store.touches.log("call", [store.people.resolve("After Restore").id])
    source.dispose()
    target.dispose()


def test_a_backup_does_not_restore_over_people(make_store) -> None:  # type: ignore[no-untyped-def]
    with make_store() as store:
        demo_store.load(store)
        doc = dump(store)
    with make_store() as store, pytest.raises(ConflictError, match="only into an empty network"):
        restore(store, doc["tables"])


def test_backup_people_merge_into_a_network_without_duplicates(make_store):  # type: ignore[no-untyped-def]
    with make_store() as store:
        demo_store.load(store)
        buf = io.StringIO()
        write_json(store, buf)
    with make_store() as store:
        imp = Importer(store)
        imp.add("backup.json", "json", read_people(io.BytesIO(buf.getvalue().encode())))
        people = json.loads(buf.getvalue())["tables"]["people"]
        assert (imp.report.created, imp.report.unchanged) == (0, len(people))


@pytest.mark.parametrize("people", [
    [{"name": "No Id", "uid": "x"}],
    [{"id": 1, "name": "A", "uid": "a"}, {"id": 2, "uid": "b"}],
    [{"id": 1, "name": "A", "uid": "a", "met_on": "not a date"}],
])
def test_a_broken_backup_is_a_format_error_and_restores_nothing(make_store, people) -> None:  # type: ignore[no-untyped-def]
    from keepwarm.errors import FormatError

    with pytest.raises(FormatError, match="table 'people'"), make_store() as store:
        restore(store, {"people": people}, "b.json")
    with make_store() as store:  # the whole restore was rolled back: the circles are still there
        assert store.people.count(store.people.query()) == 0
        assert len(store.people.circles()) == 5


def test_a_backup_holds_no_upload_and_no_source_password_and_still_restores(make_store, tmp_path: Path  # type: ignore[no-untyped-def]
                                                                            ) -> None:
    # a web import's dry run keeps the file server-side, and a live source keeps its password encrypted:
    # neither is part of the network, and raw bytes are no JSON
    from keepwarm.store import uploads
    from keepwarm.sync.registry import add_source

    with make_store() as store:
        demo_store.load(store)
        uploads.save(store.session, store.owner_id, "Connections.csv", b"First Name,Last Name\nAda,L\n")
        add_source(store.session, store.owner_id, "mail", "imap", {"host": "imap.example.com",
                   "user": "me", "security": "tls", "folders": []}, "hunter2", tmp_path)
        buf = io.StringIO()
        write_json(store, buf)
    tables = json.loads(buf.getvalue())["tables"]
    assert "uploads" not in tables and [s["name"] for s in tables["sources"]] == ["mail"]
    assert "secret" not in tables["sources"][0] and "hunter2" not in buf.getvalue()
