"""An import ends by matching the people it brought in to the library, so the agenda can suggest sharing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from keepwarm.formats import read
from keepwarm.store import imports
from keepwarm.store.imports import Importer
from keepwarm.store.library import LibraryRepo
from keepwarm.store.models.library import ResourceMatch

TEXT = ("Engineers who move into product management learn to run discovery interviews. "
        "A product manager owns the roadmap and works closely with engineering.")
GOOGLE = ("First Name,Last Name,Organization Name,Organization Title,Labels,E-mail 1 - Value\n"
          "Ravi,Patel,Initech,Platform Engineer,* myContacts ::: Product Management,ravi@example.com\n"
          "Priya,Raman,Hooli,Data Scientist,* myContacts ::: Hiking,priya@example.com\n")


def _library(make_store: Any) -> int:
    with make_store() as store:
        return LibraryRepo(store.session, store.owner_id, store.today).add(
            kind="book", title="Inspired", text=TEXT, topics=["Product Management"],
            review="The book for new product managers.").id


def _library_items(cli: Any) -> list[dict[str, Any]]:
    r = cli("today", "--json")
    assert r.code == 0, r.err
    data = r.json()
    items = data["items"] if isinstance(data, dict) else data
    return [i for i in items if i.get("trigger") == "library"]


def test_a_person_imported_after_a_resource_gets_a_library_item(cli: Any, make_store: Any,
                                                                  tmp_path: Path) -> None:
    resource = _library(make_store)
    assert _library_items(cli) == []
    f = tmp_path / "google.csv"
    f.write_text(GOOGLE, encoding="utf-8")
    assert cli("import", "google", str(f), "--dry-run").code == 0
    assert _library_items(cli) == []  # a dry run matches nothing either
    r = cli("import", "google", str(f))
    assert r.code == 0, r.err
    items = _library_items(cli)
    assert [(i["person"]["name"], i["resource_id"]) for i in items] == [("Ravi Patel", resource)]


def test_a_large_import_rematches_the_whole_library(make_store: Any, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "REMATCH_ALL", 1)  # two people count as a large import here
    resource = _library(make_store)
    f = tmp_path / "google.csv"
    f.write_text(GOOGLE, encoding="utf-8")
    with make_store() as store:
        imp = Importer(store)
        imp.add(str(f), "google", read("google", f))
        imp.refresh_library()
        assert len(imp.touched) == 2
        stored = store.session.execute(select(ResourceMatch.resource_id, ResourceMatch.person_id)).all()
        ravi = store.people.resolve("Ravi Patel").id
    assert [tuple(m) for m in stored] == [(resource, ravi)]
