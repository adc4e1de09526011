"""Review of core helpers that later features (import, API) will lean on.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from keepwarm.core.birthdays import Birthday
from keepwarm.core.people import Link, Person, from_dict, intro_signal, to_dict, validate
from keepwarm.errors import InvalidInputError

TODAY = date(2026, 11, 25)


def test_a_full_person_survives_to_dict_and_from_dict():
    p = validate(Person("José Núñez", emails=["Jose@Example.com"], phones=["+1 207 555 0142"],
                        links=[Link("linkedin.com/in/jose/")], company="Acme", met_on=date(2020, 2, 29),
                        birthday=Birthday(2, 29), interests=["ml"], circle="Close", every_days=30,
                        tags=["vip"], notes="line one\nline two", extra={"k": 1}))
    again = from_dict(to_dict(p))
    assert to_dict(again) == to_dict(p)
    assert again.birthday == Birthday(2, 29) and again.met_on == date(2020, 2, 29)


@pytest.mark.parametrize("data", [
    {"name": "Ann", "met_on": "2026-02-30"},
    {"name": "Ann", "links": [{"href": "https://example.com"}]},
])
def test_from_dict_refuses_bad_values_with_invalid_input(data):
    with pytest.raises(InvalidInputError):
        from_dict(data)


def test_from_dict_refuses_unknown_fields():
    with pytest.raises(InvalidInputError, match="unknown person fields: shoe_size"):
        from_dict({"name": "Ann", "shoe_size": 44})


def test_a_meeting_in_the_future_is_no_stronger_a_signal_than_one_today():
    future = intro_signal(Person("A", met_on=TODAY + timedelta(days=3 * 365)), TODAY)
    now = intro_signal(Person("A", met_on=TODAY), TODAY)
    assert future <= now


def test_a_plan_leading_an_overdue_person_reports_the_real_days_overdue():
    from keepwarm.core.actions import BUILTIN_ACTIONS
    from keepwarm.core.agenda import Occasion, PersonRef, build

    p = PersonRef(1, "Ann", "warm", 182, TODAY - timedelta(days=190), "like")
    plan = Occasion(p, "plan", TODAY, action="coffee", ref_id=5)
    [item] = build(TODAY, [p], [], [plan], {a.name: a for a in BUILTIN_ACTIONS})
    assert item.trigger == "cadence" and any("overdue by 8 days" in r for r in item.reasons)
    assert item.to_json()["days_overdue"] == 8
