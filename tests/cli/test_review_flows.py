"""Review: everyday flows through the real CLI on both backends (edits, rm, settings, output safety).
"""

from __future__ import annotations


def _no_traceback(r) -> None:  # type: ignore[no-untyped-def]
    assert "Traceback" not in r.err and "Traceback" not in r.out


def test_a_circle_name_with_brackets_is_shown_literally(cli):
    r = cli("circles", "set", "x[/]", "2w")
    assert r.code == 0 and "x[/]" in r.out
    r = cli("circles")
    assert r.code == 0 and "x[/]" in r.out
    assert cli("add", "Zed", "--circle", "x[/]").code == 0
    r = cli("list")
    assert r.code == 0 and "x[/]" in r.out


def test_a_circle_name_with_markup_is_stored_as_typed(cli):
    assert cli("circles", "set", "[bold]y", "3w").code == 0
    assert "[bold]y" in [c["name"] for c in cli("circles", "--json").json()]


def test_names_companies_and_tags_with_brackets_are_shown_literally(cli):
    assert cli("add", "Zed [/] Lee", "--company", "[bold]Acme", "--tag", "[/]").code == 0
    r = cli("list")
    assert r.code == 0 and "Zed [/] Lee" in r.out and "[bold]Acme" in r.out
    r = cli("show", "zed")
    assert r.code == 0 and "[/]" in r.out
    cli("log", "zed", "like", "--date", "2026-01-01", "--note", "[/] note")
    r = cli("today")
    assert r.code == 0 and "Zed [/] Lee" in r.out


def test_logging_the_same_person_twice_names_them_once(cli):
    cli("add", "Ann")
    r = cli("log", "ann", "call", "--with", "Ann", "--with", "#1")
    assert r.code == 0
    assert r.out.count("Ann") == 1


def test_the_same_person_twice_in_one_touch_counts_once(cli):
    cli("add", "Ann")
    cli("log", "ann", "coffee", "--with", "ANN")
    data = cli("show", "ann", "--json").json()
    assert len(data["touches"]) == 1 and data["balance"] == 8.0 and data["touches"][0]["with"] == []


def test_a_renamed_person_resolves_by_the_new_name_only(cli):
    cli("add", "Ann Lee")
    assert cli("edit", "ann", "--name", "Zoë Zed").code == 0
    assert cli("show", "zoe", "--json").json()["name"] == "Zoë Zed"
    assert cli("show", "ann").code == 3


def test_edit_every_then_no_every_returns_to_the_circle_rhythm(cli):
    cli("add", "Ann", "--circle", "close")
    cli("edit", "ann", "--every", "10d")
    assert cli("show", "ann", "--json").json()["cadence_days"] == 10
    cli("edit", "ann", "--no-every")
    assert cli("show", "ann", "--json").json()["cadence_days"] == 42


def test_phones_use_the_region_setting(cli):
    assert cli("settings", "region", "gb").code == 0
    cli("add", "Bob", "--phone", "020 7946 0018", "--phone", "+1 207 555 0142")
    assert cli("show", "bob", "--json").json()["phones"] == ["+442079460018", "+12075550142"]


def test_edit_lists_add_and_drop_as_documented(cli):
    cli("add", "Ann", "--email", "a@example.com", "--tag", "VIP", "--phone", "+12075550142")
    cli("edit", "ann", "--email", "b@example.com", "--tag", "ml", "--untag", "vip",
        "--drop-email", "A@example.com", "--drop-phone", "+1 (207) 555-0142")
    data = cli("show", "ann", "--json").json()
    assert (data["emails"], data["tags"], data["phones"]) == (["b@example.com"], ["ml"], [])


def test_removing_a_person_keeps_shared_touches_for_the_others(cli):
    cli("add", "Ann")
    cli("add", "Ben")
    cli("log", "ann", "coffee", "--with", "ben", "--date", "2026-11-23")
    cli("log", "ann", "call", "--date", "2026-11-24")
    assert "This week: 2/5" in cli("today").out
    cli("event", "ann", "moving", "--on", "2026-12-10")
    cli("plan", "ann", "coffee", "--on", "2026-12-01")
    assert cli("rm", "ann", "--yes").code == 0
    ben = cli("show", "ben", "--json").json()
    assert [t["action"] for t in ben["touches"]] == ["coffee"] and ben["touches"][0]["with"] == []
    assert cli("today", "--json").json() == []
    assert "This week: 1/5" in cli("today").out


def test_rm_without_yes_and_without_a_terminal_changes_nothing(cli):
    cli("add", "Ann")
    r = cli("rm", "ann")
    assert r.code != 0
    _no_traceback(r)
    assert [p["name"] for p in cli("list", "--json").json()] == ["Ann"]


def test_show_json_carries_the_contract_fields(cli):
    cli("add", "Ann")
    cli("log", "ann", "coffee", "--date", "2026-11-01", "--note", "talk")
    cli("log", "ann", "ask", "--date", "2026-11-10")
    data = cli("show", "ann", "--json").json()
    assert data["last_touch"] == "2026-11-10" and data["balance"] == 3.0
    assert 0 < data["strength"] <= 100 and data["strength_trend"] > 0
    assert [t["action"] for t in data["touches"]] == ["ask", "coffee"]


def test_a_logged_touch_clears_the_overdue_item_it_satisfies(cli):
    cli("add", "Ann", "--circle", "inner")
    cli("log", "ann", "call", "--date", "2026-10-01")
    [item] = cli("today", "--json").json()
    assert item["trigger"] == "cadence" and item["days_overdue"] == 34 and item["action"] != "call"
    cli("log", "ann", item["action"])
    assert cli("today", "--json").json() == []


def test_the_minutes_budget_on_the_command_line(cli):
    for n in range(8):
        cli("add", f"P{n}", "--circle", "close")
        cli("log", f"p{n}", "like", "--date", f"2026-0{1 + n % 8}-15")
    for budget in ("1", "5", "15", "60"):
        items = cli("today", "--minutes", budget, "--json").json()
        assert sum(i["minutes"] for i in items) <= int(budget)
    r = cli("today", "--minutes", "0")
    assert r.code != 0
    _no_traceback(r)


def test_the_limit_also_holds_with_a_minutes_budget(cli):
    for n in range(1, 13):
        cli("add", f"P{n}", "--circle", "occasional")
        cli("log", f"#{n}", "comment", "--date", f"2025-01-{n:02d}")
    assert len(cli("today", "--json", "--limit", "3").json()) == 3
    assert len(cli("today", "--minutes", "60", "--limit", "3", "--json").json()) <= 3


def test_a_weekly_goal_of_zero_keeps_today_working(cli):
    cli("add", "Ann")
    assert cli("settings", "weekly_goal", "0").code == 0
    r = cli("today")
    assert r.code == 0


def test_an_impossible_today_is_a_one_line_error(cli):
    r = cli("today", today="2026-02-30")
    assert r.code != 0 and r.err.startswith("keepwarm: error:")
    _no_traceback(r)


def test_names_with_rich_markup_are_printed_literally_by_every_message(cli):
    assert cli("add", "[bold]Ann[/]").code == 0
    assert cli("add", "Ben [/]").code == 0
    log = ("log", "[bold]Ann[/]", "call", "--with", "Ben [/]")
    for args, expected in ((log, "with [bold]Ann[/], Ben [/]"),
                           (("snooze", "Ben [/]", "1w"), "Snoozed Ben [/] until"),
                           (("not-dupes", "[bold]Ann[/]", "Ben [/]"), "Noted: [bold]Ann[/] and Ben [/]"),
                           (("merge", "[bold]Ann[/]", "Ben [/]"), "Merged Ben [/] (#2) into [bold]Ann[/]")):
        r = cli(*args)
        assert r.code == 0, r.err
        assert expected in r.out


def test_an_export_to_a_place_that_cannot_be_written_names_that_place(cli, tmp_path):
    cli("add", "Ann")
    missing = tmp_path / "no" / "x.ics"
    cases = [(("export", "ics", "-o", str(missing)), f"cannot write {missing}: No such file or directory"),
             (("export", "json", "-o", str(tmp_path)), f"cannot write {tmp_path}: Is a directory")]
    for args, expected in cases:
        r = cli(*args)
        assert r.code != 0 and r.err.splitlines() == [f"keepwarm: error: {expected}"]
