"""Review: PERSON resolution and the issue's list of bad input, through the real CLI on both backends.

Bad input must give one clear line on standard error, a non-zero status, no traceback, and change nothing."""

from __future__ import annotations

import pytest


def _snapshot(cli):  # type: ignore[no-untyped-def]
    """Everything a user can see of the network, to prove a failed command changed nothing."""
    people = cli("list", "--json").json()
    profiles = [cli("show", str(p["id"]), "--json").json() for p in people]
    return people, profiles, cli("actions", "--json").json()


def _one_line_error(r) -> None:  # type: ignore[no-untyped-def]
    assert r.code != 0
    lines = [line for line in r.err.splitlines() if line.strip()]
    assert lines and lines[0].startswith("keepwarm: error: "), r.err
    assert "Traceback" not in r.err and "Traceback" not in r.out


def _seed(cli):  # type: ignore[no-untyped-def]
    assert cli("add", "Ann Lee", "--email", "ann@example.com", "--company", "Acme").code == 0
    assert cli("add", "Anna Berg", "--email", "anna@example.com").code == 0
    assert cli("add", "José Núñez", "--email", "jose@example.com").code == 0
    assert cli("log", "ann lee", "call", "--date", "2026-10-01").code == 0


# -- PERSON resolution ------------------------------------------------------------------------------------
def test_person_resolves_by_id_hash_id_email_in_any_case_exact_name_and_prefix(cli):
    _seed(cli)
    for token in ("1", "#1", "ANN@Example.com", " ann@example.com ", "Ann Lee", "ann lee", "ann l"):
        r = cli("show", token, "--json")
        assert r.code == 0, (token, r.err)
        assert r.json()["name"] == "Ann Lee", token


def test_an_accented_name_resolves_from_plain_letters_and_the_other_way(cli):
    _seed(cli)
    assert cli("show", "jose nunez", "--json").json()["name"] == "José Núñez"
    assert cli("show", "JOSÉ", "--json").json()["name"] == "José Núñez"
    cli("add", "Zoe Ryan")
    assert cli("show", "zoë", "--json").json()["name"] == "Zoe Ryan"


def test_an_ambiguous_prefix_is_an_error_listing_every_candidate(cli):
    _seed(cli)
    r = cli("show", "an")
    _one_line_error(r)
    assert r.code == 4
    assert "#1 Ann Lee (Acme)" in r.err and "#2 Anna Berg" in r.err and "José" not in r.err


def test_an_exact_name_wins_over_a_longer_name_it_prefixes(cli):
    cli("add", "Ann")
    cli("add", "Anne")
    assert cli("show", "ann", "--json").json()["name"] == "Ann"


def test_two_people_with_the_same_name_are_ambiguous_even_when_exact(cli):
    cli("add", "Sam Park", "--company", "A")
    cli("add", "Sam Park", "--company", "B")
    r = cli("log", "sam park", "call")
    _one_line_error(r)
    assert "(A)" in r.err and "(B)" in r.err
    assert all(p["last_touch"] is None for p in cli("list", "--json").json())


def test_an_unknown_email_or_id_is_a_one_line_not_found(cli):
    _seed(cli)
    for token in ("nobody@example.com", "999", "#999"):
        r = cli("show", token)
        _one_line_error(r)
        assert r.code == 3


def test_like_wildcards_in_a_person_token_are_literal(cli):
    _seed(cli)
    for token in ("%", "_nn", "a%"):
        r = cli("show", token)
        _one_line_error(r)
        assert r.code == 3, token


def test_a_person_whose_name_is_digits_can_be_named(cli):
    assert cli("add", "2024").code == 0
    r = cli("show", "2024", "--json")
    assert r.code == 0, r.err
    assert r.json()["name"] == "2024"


def test_a_superscript_digit_as_person_is_a_one_line_error(cli):
    _seed(cli)
    _one_line_error(cli("show", "²"))


def test_a_huge_id_is_a_one_line_not_found(cli):
    _seed(cli)
    r = cli("show", "99999999999999999999999")
    _one_line_error(r)
    assert r.code == 3


def test_an_unknown_person_lists_the_nearest_candidates(cli):
    _seed(cli)
    r = cli("show", "Ana Lee")
    _one_line_error(r)
    assert "Ann Lee" in r.err


# -- the bad input: one line, nothing changed -----------------------------------------------------
@pytest.mark.parametrize("args", [
    ("log", "ann lee", "teleport"),                                  # unknown action
    ("log", "ann lee", "call", "--date", "2026-02-30"),              # impossible date
    ("add", "Bob", "--birthday", "2026-02-30"),
    ("add", "Bob", "--birthday", "2025-02-29"),
    ("add", "Bob", "--met-on", "2026-13-01"),
    ("event", "ann lee", "moving", "--on", "2026-02-30"),
    ("plan", "ann lee", "coffee", "--on", "2026-02-30"),
    ("add", "Bob", "--every", "-5d"),                                # negative cadence
    ("add", "Bob", "--every", "0d"),
    ("edit", "ann lee", "--every", "-3w"),
    ("circles", "set", "close", "--", "-6w"),
    ("snooze", "ann lee", "--", "-2w"),
    ("add", "Bob", "--email", "ann@example.com"),                    # duplicate email on two people
    ("add", "Bob", "--email", "ANN@EXAMPLE.COM"),
    ("edit", "anna", "--email", "Ann@Example.com", "--company", "Changed"),
    ("add", "x" * 500),                                              # a name of 500 characters
    ("edit", "ann lee", "--name", "y" * 500),
    ("add", "Bob\x00Smith"),                                          # control characters
    ("add", "Bob\x1b[31mSmith"),
    ("add", "Bob", "--company", "Ac\x07me"),
    ("log", "ann lee", "call", "--note", "hi\x1b[2J"),
    ("edit", "ann lee", "--title", "x\x08y"),
    ("add", "Bob", "--email", "not-an-email"),
    ("add", "Bob", "--phone", "12"),
    ("add", "Bob", "--circle", "nonesuch"),
    ("log", "ann lee", "call", "--date", "tomorrow"),               # a touch in the future
    ("plan", "ann lee", "coffee", "--on", "yesterday"),             # a plan in the past
    ("event", "ann lee", "abduction", "--on", "2026-12-01"),
    ("log", "ann lee", "call", "--with", "nobody-here"),
    ("edit", "ann lee", "--company", "Changed", "--phone", "nonsense"),
    ("edit", "ann lee", "--company", "Changed", "--circle", "nonesuch"),
])
def test_bad_input_is_one_line_and_changes_nothing(cli, args):
    _seed(cli)
    before = _snapshot(cli)
    r = cli(*args)
    _one_line_error(r)
    assert _snapshot(cli) == before


@pytest.mark.parametrize("char", ["\r", "\t", "\u0085", "\u009b", "\u2028"])
def test_every_control_character_in_a_name_is_refused(cli, char):
    before = _snapshot(cli)
    r = cli("add", f"Bob{char}Smith")
    _one_line_error(r)
    assert _snapshot(cli) == before


def test_a_bidi_override_in_a_name_is_stripped_never_stored(cli):
    r = cli("add", "Bob\u202eSmith", "--json")
    assert r.code == 0 and r.json()["name"] == "BobSmith"


def test_a_name_that_is_not_valid_unicode_is_a_one_line_error(cli):
    _one_line_error(cli("add", "Bob\udcffSmith"))


def test_an_action_label_with_control_characters_is_refused(cli):
    before = _snapshot(cli)
    _one_line_error(cli("actions", "add", "zap", "--label", "\x1b[31mred"))
    assert _snapshot(cli) == before


def test_a_date_far_out_of_range_is_a_one_line_error(cli):
    _seed(cli)
    _one_line_error(cli("log", "ann lee", "call", "--date", "99999999 days ago"))


def test_a_birthday_in_the_future_is_refused(cli):
    r = cli("add", "Bob", "--birthday", "2030-01-01")
    _one_line_error(r)


def test_a_500_character_name_error_says_the_limit(cli):
    r = cli("add", "x" * 500)
    assert "500 characters" in r.err and "200" in r.err


def test_a_duplicate_email_error_names_the_owner_of_the_address(cli):
    _seed(cli)
    r = cli("add", "Bob", "--email", "ann@example.com")
    assert r.code == 5 and "Ann Lee" in r.err


def test_a_name_with_a_newline_becomes_one_line(cli):
    assert cli("add", "Bob\nSmith").code == 0
    assert cli("show", "bob", "--json").json()["name"] == "Bob Smith"


@pytest.mark.parametrize("name,typed", [("Łukasz Nowak", "lukasz"), ("Søren Ørsted", "soren orsted"),
                                        ("Đorđe Petrović", "dorde petrovic"), ("Æsa Berg", "aesa")])
def test_letters_without_a_combining_accent_resolve_from_plain_letters(cli, name, typed):
    assert cli("add", name).code == 0
    r = cli("show", typed, "--json")
    assert r.code == 0, r.err
    assert r.json()["name"] == name


def test_a_superscript_digit_as_a_setting_is_a_one_line_error(cli):
    _one_line_error(cli("settings", "weekly_goal", "²"))
    assert "weekly_goal = 5" in cli("settings").out
