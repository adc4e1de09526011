import pytest


def _add_ann(cli):
    r = cli("add", "Ann Example", "--email", "ann@example.com", "--phone", "(207) 555-0142",
            "--company", "Acme", "--title", "Coach", "--birthday", "1984-02-29", "--circle", "close",
            "--every", "30d", "--tag", "coach", "--tag", "maine", "--interest", "career change",
            "--how-met", "NCDA conference", "--met-on", "2019-06-01",
            "--linkedin", "https://www.linkedin.com/in/ann-example/", "--note", "Loves mystery novels")
    assert r.code == 0, r.err
    return r


def test_add_then_show_json_carries_every_field(cli):
    _add_ann(cli)
    data = cli("show", "ann", "--json").json()
    assert data["name"] == "Ann Example" and data["emails"] == ["ann@example.com"]
    assert data["phones"] == ["+12075550142"] and data["birthday"] == "1984-02-29"
    assert data["links"] == [{"url": "https://www.linkedin.com/in/ann-example", "kind": "linkedin"}]
    assert (data["circle"], data["every_days"], data["cadence_days"]) == ("close", 30, 30)
    assert data["tags"] == ["coach", "maine"] and data["interests"] == ["career change"]
    assert (data["how_met"], data["met_on"]) == ("NCDA conference", "2019-06-01")
    assert {"strength", "balance", "last_touch", "touches"} <= set(data)
    assert (data["strength"], data["balance"], data["last_touch"], data["touches"]) == (0.0, 0.0, None, [])


def test_log_with_several_people_and_natural_dates_shows_in_both_timelines(cli):
    _add_ann(cli)
    cli("add", "Ben Other")
    r = cli("log", "ann", "coffee", "--with", "ben", "--date", "3 days ago", "--note", "catch-up")
    assert r.code == 0
    assert cli("log", "ann@example.com", "like", "--date", "yesterday").code == 0
    ann, ben = cli("show", "ann", "--json").json(), cli("show", "ben", "--json").json()
    assert [(t["action"], t["date"]) for t in ann["touches"]] == [("like", "2026-11-24"),
                                                                 ("coffee", "2026-11-22")]
    assert ben["touches"][0]["note"] == "catch-up" and ben["touches"][0]["with"] == [ann["id"]]
    # a coffee with two people is half a coffee each
    assert ann["last_touch"] == "2026-11-24" and ann["strength"] > 0 and ann["balance"] == 4.5


def test_edit_changes_fields_and_lists(cli):
    _add_ann(cli)
    r = cli("edit", "ann", "--name", "Ann Renamed", "--untag", "maine", "--tag", "mentor",
            "--drop-email", "ann@example.com", "--email", "ann@new.example", "--no-every", "--no-birthday")
    assert r.code == 0, r.err
    data = cli("show", "ann", "--json").json()
    assert data["name"] == "Ann Renamed" and data["tags"] == ["coach", "mentor"]
    assert data["emails"] == ["ann@new.example"] and data["birthday"] is None
    assert (data["every_days"], data["cadence_days"]) == (None, 42)


def test_rm_removes_a_person(cli):
    _add_ann(cli)
    assert cli("rm", "ann", "--yes").code == 0
    assert cli("list", "--json").json() == []


def test_list_filters_by_circle_tag_and_due(cli):
    _add_ann(cli)
    cli("add", "Ben Other", "--circle", "inner")
    cli("log", "ben", "call", "--date", "2026-09-01")
    cli("log", "ann", "call", "--date", "2026-11-20")
    names = lambda *args: [r["name"] for r in cli("list", "--json", *args).json()]  # noqa: E731
    assert names() == ["Ann Example", "Ben Other"]
    assert names("--circle", "inner") == ["Ben Other"]
    assert names("--tag", "COACH") == ["Ann Example"]
    assert names("--due") == ["Ben Other"]
    assert [r["name"] for r in cli("search", "acme", "--json").json()] == ["Ann Example"]


def test_a_person_that_matches_several_is_an_error_listing_candidates(cli):
    cli("add", "Ada Lovelace")
    cli("add", "Ada Byron")
    r = cli("log", "ada", "call")
    assert r.code != 0 and r.out == ""
    assert r.err.splitlines()[0] == "keepwarm: error: 'ada' matches more than one person"
    assert "#2 Ada Byron" in r.err and "#1 Ada Lovelace" in r.err and "Traceback" not in r.err


@pytest.mark.parametrize(("args", "message"), [
    (("log", "ann", "dance"), "unknown action 'dance'"),
    (("log", "ann", "call", "--date", "2026-02-30"), "not a valid date: '2026-02-30'"),
    (("edit", "ann", "--every", "-3d"), "a duration must be positive"),
    (("add", "Ben", "--email", "ANN@example.com"), "ann@example.com already belongs to Ann Example"),
    (("add", "B" * 500), "name is 500 characters long"),
    (("add", "Bad\x1bName"), "name contains control characters"),
    (("add", "Ben", "--birthday", "1990-02-30"), "not a valid birthday"),
    (("add", "Ben", "--circle", "besties"), "unknown circle 'besties'"),
    (("event", "ann", "abduction", "--on", "2026-12-01"), "unknown life event"),
    (("show", "nobody"), "no person matches 'nobody'"),
    (("add", "Ben", "--email", "not-an-email"), "not a valid email address"),
    (("snooze", "ann", "forever"), "not a duration"),
])
def test_bad_input_is_one_clear_line_and_changes_nothing(cli, args, message):
    _add_ann(cli)
    before = cli("show", "ann", "--json").out, cli("list", "--json").out
    r = cli(*args)
    assert r.code != 0
    assert message in r.err.splitlines()[0] and r.err.startswith("keepwarm: error: ")
    assert "Traceback" not in r.err
    assert (cli("show", "ann", "--json").out, cli("list", "--json").out) == before
