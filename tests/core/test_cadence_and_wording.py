"""One rule for when someone is due, and days, birthdays and rhythms in words."""

from datetime import date

import pytest

from keepwarm.core.birthdays import Birthday
from keepwarm.core.cadence import NEVER_CONTACTED, due_on, due_text, is_due
from keepwarm.core.dates import format_day, format_days
from keepwarm.core.edits import PersonEdit, parse_where
from keepwarm.core.people import Person
from keepwarm.errors import InvalidInputError

TODAY = date(2026, 11, 25)


# (last touch, since, rhythm, snoozed until) -> due on; one row per clause of core.cadence's rule
@pytest.mark.parametrize(("last", "since", "every", "snoozed", "due"), [
    (date(2026, 10, 1), date(2020, 1, 1), 42, None, date(2026, 11, 12)),  # rhythm since the last touch
    (None, date(2026, 11, 25), 182, None, date(2026, 11, 25)),  # never touched: due the day they joined
    (None, date(2019, 6, 1), 21, None, date(2019, 6, 1)),  # met long ago, never touched: due since then
    (date(2026, 10, 1), date(2020, 1, 1), 42, date(2026, 12, 9), date(2026, 12, 9)),  # snooze moves it later
    (date(2026, 10, 1), date(2020, 1, 1), 42, date(2026, 11, 1), date(2026, 11, 12)),  # never earlier
    (None, date(2026, 11, 1), 90, date(2026, 12, 1), date(2026, 12, 1)),
])
def test_due_on_follows_the_one_rule_row_by_row(last, since, every, snoozed, due):
    assert due_on(last, since, every, snoozed) == due
    assert is_due(last, since, every, TODAY, snoozed) is (due <= TODAY)


def test_due_text_says_new_now_or_a_day():
    assert due_text(date(2026, 11, 25), TODAY, never_touched=True) == NEVER_CONTACTED
    assert due_text(date(2026, 11, 25), TODAY, never_touched=False) == "now"
    assert due_text(date(2026, 11, 12), TODAY, never_touched=False) == "now (since 12 November)"
    assert due_text(date(2026, 12, 15), TODAY, never_touched=True) == "15 December"
    assert due_text(date(2027, 1, 3), TODAY, never_touched=False) == "3 January 2027"


def test_days_read_as_people_say_them_with_the_year_only_when_it_differs():
    assert format_day(date(2026, 12, 15), TODAY) == "15 December"
    assert format_day(date(2024, 12, 15), TODAY) == "15 December 2024"
    assert format_day(date(2024, 2, 29)) == "29 February"


def test_birthdays_read_with_the_year_where_it_is_known():
    assert Birthday(12, 3).spoken() == "3 December"
    assert Birthday(12, 3, 1980).spoken() == "3 December 1980"


@pytest.mark.parametrize(("days", "text"), [(42, "6w"), (21, "3w"), (90, "3m"), (365, "1y"), (10, "10d"),
                                                (182, "6m"), (91, "3m"), (14, "2w")])
def test_rhythms_read_in_weeks_months_or_years(days, text):
    assert format_days(days) == text


def test_an_edit_removes_without_case_and_does_not_add_what_is_there():
    before = Person("Ann", tags=["coach", "Maine"], interests=["Sailing", "books"])
    after = PersonEdit(add_tags=["COACH", "mentor"], drop_tags=["maine"], drop_interests=["sailing"]
                       ).apply(before)
    assert after.tags == ["coach", "mentor"] and after.interests == ["books"]
    assert before.tags == ["coach", "Maine"]  # the before stays as it was


def test_a_bulk_edit_refuses_fields_that_belong_to_one_person_naming_the_options():
    with pytest.raises(InvalidInputError, match=r"^--name, --birthday, --email cannot be set on several"):
        PersonEdit(name="X", add_emails=["x@example.com"], birthday=Birthday(1, 2),
                   circle="warm").check_bulk()
    with pytest.raises(InvalidInputError, match="nothing to change"):
        PersonEdit().check_bulk()
    PersonEdit(circle="warm", every_days=21, add_tags=["a"], drop_tags=["b"]).check_bulk()


@pytest.mark.parametrize(("text", "parsed"), [("tag=imported", ("tag", "imported")),
                                              (" Circle = warm ", ("circle", "warm")),
                                              ("company=Acme, Inc.", ("company", "Acme, Inc."))])
def test_where_filters_parse(text, parsed):
    assert parse_where(text) == parsed


@pytest.mark.parametrize("text", ["tag", "name=Ann", "tag=", "=x"])
def test_a_bad_where_filter_is_a_clear_error(text):
    with pytest.raises(InvalidInputError, match="^not a filter"):
        parse_where(text)
