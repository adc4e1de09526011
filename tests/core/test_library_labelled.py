"""Matching measured on a labelled set: 49 resources, 30 people, the right person for each resource.

The set (fixtures/library_labelled.json) was written by hand with the traps seen in real use: words every
library has ("book club", "people"), words with two meanings (data, design, fundraising), paraphrases
and synonyms, and people whose only fitting detail is their title, company or private notes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from keepwarm.core.matching import NOTES_REASON, Doc, match

LABELLED = Path(__file__).parent / "fixtures" / "library_labelled.json"
# top-1 accuracy when this was written: 49 of 49 (the matcher before stems and phrases: 46 of 49).
# The set was written alongside the matcher, so this is an optimistic number; a drop below it is a defect.
FLOOR = 0.95


def _load() -> tuple[list[Doc], list[Doc], dict[int, int], dict[int, dict[str, Any]]]:
    data = json.loads(LABELLED.read_text(encoding="utf-8"))
    people = [Doc(p["id"], {"interests": p["interests"], "tags": p["tags"], "title": [p["title"]],
                            "company": [p["company"]], "notes": [p["notes"]]}) for p in data["people"]]
    resources = [Doc(r["id"], {"topics": r["topics"], "title": [r["title"]], "text": [r["text"]]})
                 for r in data["resources"]]
    best = {r["id"]: r["best"] for r in data["resources"]}
    return resources, people, best, {p["id"]: p for p in data["people"]}


def test_the_right_person_ranks_first_for_nearly_every_labelled_resource() -> None:
    resources, people, best, _ = _load()
    found = match(resources, people, top=1)
    first = {m.resource_id: m.person_id for m in found}
    misses = {rid: (want, first.get(rid)) for rid, want in best.items() if first.get(rid) != want}
    accuracy = 1 - len(misses) / len(best)
    print(f"library matching top-1 accuracy: {accuracy:.3f} ({len(best) - len(misses)} of {len(best)})")
    assert accuracy >= FLOOR, f"misses (resource: (expected, got)): {misses}"


def test_career_switchers_go_to_the_career_changer_not_the_book_club_host() -> None:
    resources, people, _, _ = _load()
    switchers = next(r for r in resources if r.id == 101)
    ranked = match([switchers], people)
    assert ranked[0].person_id == 1
    assert ranked[0].because == "interested in career change"
    assert 2 not in {m.person_id for m in ranked}  # "book clubs" and "people" carry nothing


@pytest.mark.parametrize("rid", [101, 116, 128, 131, 136])
def test_no_reason_ever_quotes_a_private_note(rid: int) -> None:
    resources, people, _, by_id = _load()
    notes = [p["notes"] for p in by_id.values() if p["notes"]]
    for m in match([r for r in resources if r.id == rid], people):
        assert m.because
        assert not any(n.lower() in m.because.lower() or m.because.lower() in n.lower() for n in notes)


def test_a_match_made_by_the_notes_alone_says_so_without_quoting_them() -> None:
    resources, people, _, _ = _load()
    relocation = next(r for r in resources if r.id == 128)
    ranked = match([relocation], people)
    assert ranked[0].person_id == 28 and ranked[0].because == NOTES_REASON
