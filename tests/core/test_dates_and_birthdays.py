from datetime import date

import pytest

from keepwarm.core.birthdays import Birthday, mmdd_windows
from keepwarm.core.dates import format_days, parse_date, parse_duration
from keepwarm.errors import InvalidInputError

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(("text", "days"), [("30d", 30), ("6w", 42), ("3m", 90), ("1y", 365),
                                             ("2 weeks", 14), (" 10D ", 10)])
def test_durations_parse_to_days(text, days):
    assert parse_duration(text) == days


@pytest.mark.parametrize("text", ["-3d", "0d", "3x", "soon", "", "99y"])
def test_bad_durations_are_refused(text):
    with pytest.raises(InvalidInputError):
        parse_duration(text)


def test_format_days_says_the_largest_whole_unit():
    assert [format_days(d) for d in (21, 42, 90, 365, 10)] == ["3w", "6w", "3m", "1y", "10d"]


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-03-01", date(2026, 3, 1)), ("yesterday", date(2026, 11, 24)), ("today", TODAY),
    ("3 days ago", date(2026, 11, 22)), ("2 weeks ago", date(2026, 11, 11)), ("in 1 week", date(2026, 12, 2)),
])
def test_dates_people_type_are_understood(text, expected):
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "last tuesday", "3 fortnights ago"])
def test_impossible_dates_are_refused_with_the_text(text):
    with pytest.raises(InvalidInputError, match="not a valid date|unknown unit"):
        parse_date(text, TODAY)


def test_birthday_without_year_roundtrips():
    b = Birthday.parse("--04-15")
    assert (b.month, b.day, b.year) == (4, 15, None)
    assert Birthday.parse(b.iso()) == b
    assert Birthday.parse("04-15") == b


def test_leap_day_birthday_is_celebrated_on_28_february_in_common_years():
    b = Birthday.parse("1996-02-29")
    assert b.in_year(2027) == date(2027, 2, 28)
    assert b.in_year(2028) == date(2028, 2, 29)
    assert b.next_on_or_after(date(2027, 2, 1)) == date(2027, 2, 28)
    assert b.age_on(date(2027, 2, 28)) == 31


def test_impossible_birthdays_are_refused():
    for text in ("1997-02-29", "2000-04-31", "13-01", "nonsense"):
        with pytest.raises(InvalidInputError):
            Birthday.parse(text)


def test_a_year_less_29_february_birthday_is_allowed():
    assert Birthday.parse("02-29").mmdd == 229


def test_birthday_windows_wrap_around_the_new_year():
    assert mmdd_windows(date(2026, 12, 28), 7) == [(1228, 1231), (101, 104)]


def test_birthday_window_over_28_february_includes_leap_day_in_common_years():
    assert mmdd_windows(date(2027, 2, 25), 3) == [(225, 229)]
    assert mmdd_windows(date(2028, 2, 25), 3) == [(225, 228)]
