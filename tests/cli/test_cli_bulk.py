"""keepwarm edit on one person or many, and the words `show`, `list` and `today` print."""

import re


def _people(cli, *args):
    return {r["name"]: r for r in cli("list", "--json", *args).json()}


def test_remove_tag_and_remove_interest_take_items_off_one_person(cli):
    cli("add", "Ann Example", "--tag", "coach", "--tag", "maine", "--interest", "sailing",
        "--interest", "books")
    r = cli("edit", "ann", "--remove-tag", "MAINE", "--remove-interest", "sailing", "--tag", "mentor")
    assert r.code == 0, r.err
    data = cli("show", "ann", "--json").json()
    assert data["tags"] == ["coach", "mentor"] and data["interests"] == ["books"]


def test_several_people_are_edited_at_once_and_the_count_is_printed(cli):
    for name in ("Ann Example", "Ben Other", "Cy Third"):
        cli("add", name, "--tag", "imported")
    r = cli("edit", "ann", "ben", "--circle", "inner", "--every", "3w", "--tag", "vip")
    assert r.code == 0, r.err
    assert r.out.strip() == "Changed 2 of 2 people."
    people = _people(cli)
    assert (people["Ann Example"]["circle"], people["Ben Other"]["circle"], people["Cy Third"]["circle"]) == \
        ("inner", "inner", "warm")
    assert cli("show", "ben", "--json").json()["cadence_days"] == 21


def test_where_selects_people_by_tag_circle_or_company_and_json_says_how_many_changed(cli):
    cli("add", "Ann Example", "--tag", "imported", "--company", "Acme")
    cli("add", "Ben Other", "--tag", "imported", "--circle", "inner")
    cli("add", "Cy Third", "--company", "acme")
    r = cli("edit", "--where", "tag=imported", "--circle", "inner", "--json")
    assert r.code == 0, r.err
    assert r.json() == {"matched": 2, "changed": 1, "people": [{"id": 1, "name": "Ann Example"}]}
    r = cli("edit", "--where", "company=ACME", "--remove-tag", "imported", "--json")
    assert (r.json()["matched"], r.json()["changed"]) == (2, 1)
    assert cli("edit", "--where", "circle=inner", "--where", "tag=imported", "--tag", "x", "--json"
               ).json()["changed"] == 1  # Ben only: Ann lost the tag
    assert cli("edit", "--where", "tag=nobody", "--circle", "close").out.strip() == \
        "No one matches tag=nobody; nothing changed."


def test_person_specific_fields_are_refused_in_bulk_with_one_line_and_nothing_changes(cli):
    cli("add", "Ann Example")
    cli("add", "Ben Other")
    for args in (("ann", "ben", "--email", "x@example.com", "--circle", "inner"),
                 ("--where", "circle=warm", "--name", "Same", "--circle", "inner"),
                 ("--where", "circle=warm", "--birthday", "1980-12-03")):
        r = cli("edit", *args)
        assert r.code == 2 and r.out == ""
        assert re.match(r"keepwarm: error: (--\w+(, )?)+ cannot be set on several people at once", r.err)
        assert len(r.err.strip().splitlines()) == 1 and "Traceback" not in r.err
    assert {p["circle"] for p in _people(cli).values()} == {"warm"}
    r = cli("edit", "ann", "--where", "tag=x", "--circle", "inner")
    assert r.code == 2 and "not both" in r.err
    r = cli("edit", "--where", "nickname=x", "--circle", "inner")
    assert r.code == 2 and r.err.startswith("keepwarm: error: not a filter: 'nickname=x'")


def test_list_due_and_show_agree_for_a_person_never_contacted(cli):
    cli("add", "Ann Example", "--met-on", "2019-06-01")
    cli("add", "Ben Other", "--circle", "inner")
    cli("log", "ben", "call", "--date", "2026-11-20")
    assert list(_people(cli, "--due")) == ["Ann Example"]
    shown = cli("show", "ann").out
    assert "due: new, never contacted" in shown and "last touch: never" in shown
    assert "due: 11 December" in cli("show", "ben").out  # 20 November + 21 days
    table = cli("list", "--due").out
    assert "new, never contacted" in table and "Ben Other" not in table


def test_show_and_list_print_days_birthdays_rhythms_and_strength_in_words(cli):
    cli("add", "Ann Example", "--birthday", "1980-12-03", "--every", "6w", "--met-on", "2019-06-01",
        "--how-met", "conference")
    cli("add", "Ben Other", "--birthday", "12-03")
    cli("log", "ann", "coffee", "--date", "2026-11-15")
    shown = cli("show", "ann").out
    assert "birthday: 3 December 1980" in shown and "(every 6w)" in shown
    assert "met: conference, 1 June 2019" in shown and "last touch: 15 November" in shown
    assert re.search(r"strength: \d+/100", shown) and "2026-" not in shown
    assert "birthday: 3 December\n" in cli("show", "ben").out
    table = cli("list").out
    assert "15 November" in table and "2026-11-15" not in table
    assert not re.search(r"\d+\.\d", table)  # strength is an integer
    assert cli("show", "ann", "--json").json()["last_touch"] == "2026-11-15"  # ISO stays in JSON


def test_today_on_an_empty_network_shows_the_three_ways_to_start(cli):
    out = cli("today").out
    assert "network is warm" not in out
    for way in ("keepwarm demo", "keepwarm import FILE", "keepwarm add NAME"):
        assert way in out
    cli("add", "Ann Example")
    cli("log", "ann", "call")
    out = cli("today").out
    assert "Nothing due. Your network is warm." in out and "keepwarm demo" not in out
