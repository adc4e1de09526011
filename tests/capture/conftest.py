"""Capture fixtures: the sample files under tests/capture/fixtures and a small network that knows some of
their people (see fixtures/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from keepwarm.core.people import Link, Person

CAPTURE_FIXTURES = Path(__file__).resolve().parent / "fixtures"
MY_ADDRESSES = ("me@example.com", "me.alias@example.org", "https://www.linkedin.com/in/me-myself/")


@pytest.fixture
def files() -> Path:
    return CAPTURE_FIXTURES


def known_people(store) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Alice (email and LinkedIn), Bob (two addresses), Frank (LinkedIn only), Erin (name and company),
    and me."""
    from keepwarm.store.correspondents import me_add

    people = [
        Person(name="Alice Archer", emails=["alice@acme.com"],
               links=[Link("https://www.linkedin.com/in/alice-a", "linkedin")], company="Acme"),
        Person(name="Bob Baker", emails=["bob@work.com", "bob@home.net"], company="Initech"),
        Person(name="Frank Fisher", links=[Link("https://www.linkedin.com/in/frank-f", "linkedin")]),
        Person(name="Erin Example", company="Globex"),
    ]
    ids = {p.name.split()[0].lower(): store.people.add(p).id for p in people}
    for a in MY_ADDRESSES:
        me_add(store, a)
    return ids
