"""The bulk import path writes exactly the rows that adding the same people one by one writes.

An import inserts and updates people with one statement per table (store/personrows.py); PeopleRepo.add
goes through the ORM. Every column of every row they write must agree, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from keepwarm.core.birthdays import Birthday
from keepwarm.core.merging import merge_into
from keepwarm.core.people import Link, Person, validate
from keepwarm.formats import read
from keepwarm.store.backup import dump
from keepwarm.store.imports import Importer
from keepwarm.store.library import LibraryRepo, refresh_people
from keepwarm.store.models import PersonEmail, PersonInterest, PersonLink, PersonPhone, PersonRow, PersonTag
from keepwarm.store.models.library import ResourceMatch

# columns that differ by nature: the row id and the moment of writing
VOLATILE = {"id", "updated_at"}
CHILDREN = (PersonEmail, PersonPhone, PersonLink, PersonTag, PersonInterest)


class _Rollback(Exception):
    pass


def people() -> list[Person]:
    """People with every field in use, and people with almost nothing."""
    return [
        Person(name="José Núñez", nickname="Pepe", emails=["jose@example.com", "j.nunez@example.org"],
               phones=["+1 617 555 0123", "+44 20 7946 0958"],
               links=[Link("https://www.linkedin.com/in/jose-nunez"), Link("https://jose.example.com")],
               company="Acme", title="CTO", location="Boston, MA", how_met="Conference in Lisbon",
               met_on=date(2025, 6, 1), birthday=Birthday(2, 29), interests=["Product Management", "Hiking"],
               circle="close", tags=["mentor", "Lisbon"], notes="Two kids.\nLoves sailing."),
        Person(name="Ann Lee", given_name="Ann", family_name="Lee", birthday=Birthday(7, 9, 1988),
               circle="inner", every_days=10, how_met="LinkedIn", met_on=date(2012, 3, 15)),
        Person(name="Zoë", company="Globex", title="Recruiter", tags=["recruiters"]),
        Person(name="Bob Smith", emails=["bob@example.com"], interests=["product management"]),
        Person(name="Li"),
    ]


def rows(store: Any, keep_imported: bool = False) -> dict[str, dict[str, Any]]:
    """Every column of each person's row, child rows and library matches, by uid (ids left out; what
    each source said, ``extra["imported"]``, too unless ``keep_imported``)."""
    s = store.session
    t = PersonRow.__table__
    out: dict[str, dict[str, Any]] = {}
    uids: dict[int, str] = {}
    for r in s.execute(select(t)).mappings():
        row = {k: v for k, v in r.items() if k not in VOLATILE}
        extra = dict(row.pop("extra") or {})
        if not keep_imported:
            extra.pop("imported", None)  # what each source said: only an import writes it
        row["extra"] = extra
        out[r["uid"]] = row
        uids[r["id"]] = r["uid"]
    for model in CHILDREN:
        mt = model.__table__
        for r in s.execute(select(mt).order_by(mt.c.person_id, mt.c.position)).mappings():
            kid = {k: v for k, v in r.items() if k not in ("id", "person_id")}
            out[uids[r["person_id"]]].setdefault(mt.name, []).append(kid)
    for r in s.execute(select(ResourceMatch.__table__)).mappings():
        out[uids[r["person_id"]]].setdefault("resource_matches", []).append(
            {k: v for k, v in r.items() if k != "person_id"})
    return out


@pytest.mark.parametrize("batch", [1, 1000])  # one person a statement (their empty columns left out), all
def test_bulk_import_writes_every_column_as_adding_each_person_does(make_store: Any, tmp_path: Path,
                                                                   batch: int) -> None:
    with make_store() as store:  # a library, so that matches are written too
        LibraryRepo(store.session, store.owner_id, store.today).add(
            kind="book", title="Inspired", text="How product teams build what customers love.",
            topics=["Product Management"], review="For product managers.")
    with pytest.raises(_Rollback), make_store() as store:
        added = [store.people.add(p).id for p in people()]
        # a library match's score depends on the people present when it is computed: match the people
        # added one by one again with all of them present, as the import does once at its end
        refresh_people(store.session, store.owner_id, store.today, added)  # type: ignore[arg-type]
        by_hand = rows(store)
        backup = dump(store)
        raise _Rollback  # nothing of this is kept: the import below starts from the same database
    f = tmp_path / "backup.json"
    f.write_text(json.dumps(backup, default=str))
    with make_store() as store:
        imp = Importer(store, batch=batch)
        imp.add(str(f), "json", read("json", f))
        imp.refresh_library()
        assert imp.report.created == len(people())
    with make_store() as store:
        imported = rows(store)
    assert set(imported) == set(by_hand)
    assert any("resource_matches" in r for r in by_hand.values())
    for uid, row in by_hand.items():
        assert imported[uid] == row, row["name"]


def test_merging_into_stored_people_writes_every_column_as_updating_each_does(make_store: Any,
                                                                            tmp_path: Path) -> None:
    full = people()
    with pytest.raises(_Rollback), make_store() as store:  # the file to import: everyone, every field
        for p in full:
            store.people.add(p)
        backup = dump(store)
        raise _Rollback
    f = tmp_path / "backup.json"
    f.write_text(json.dumps(backup, default=str))
    with make_store() as store:  # stored already: the same people (by uid) with a name only
        for p in full:
            store.people.add(Person(name=p.name, uid=p.uid))
    with pytest.raises(_Rollback), make_store() as store:  # by hand: merge each, then PeopleRepo.update
        ids = {uid: pid for uid, pid in store.session.execute(select(PersonRow.uid, PersonRow.id))}
        stored = {p.uid: p for p in store.people.load(list(ids.values()))}
        for rec in read("json", f):
            incoming, target = validate(rec.person, store.people.region), stored[rec.person.uid]
            # written when a field changed or when only what the source says did (as the import does)
            if merge_into(target, incoming, "json") or target.extra["imported"]["json"]:
                store.people.update(target)
        refresh_people(store.session, store.owner_id, store.today, list(ids.values()))
        by_hand = rows(store, keep_imported=True)
        raise _Rollback
    with make_store() as store:
        imp = Importer(store)
        imp.add(str(f), "json", read("json", f))
        imp.refresh_library()
        assert imp.report.merged == len(full) - 1  # Li: nothing to add to a name
    with make_store() as store:
        imported = rows(store, keep_imported=True)
    assert set(imported) == set(by_hand)
    for uid, row in by_hand.items():
        assert imported[uid] == row, row["name"]
