"""An occasion done is done, nothing unrelated makes one vanish, and every change can be taken back: the
cases a week of real use found, replayed through the CLI."""

from __future__ import annotations


def _today(cli, day):  # type: ignore[no-untyped-def]
    r = cli("today", "--json", today=day)
    assert r.code == 0, r.err
    return r.json()


def _ids(items):  # type: ignore[no-untyped-def]
    return [i["occasion"]["id"] for i in items]


def test_a_birthday_note_logged_early_sticks_until_the_day_and_after(cli):
    cli("add", "Maya Chen", "--birthday", "12-03", today="2026-11-20")
    [item] = _today(cli, "2026-11-29")
    assert item["trigger"] == "birthday" and item["occasion"]["id"].startswith("birthday:")
    assert item["occasion"]["on"] == "2026-12-03"
    r = cli("log", "maya", "birthday", today="2026-11-29")
    assert r.code == 0 and "Done: birthday" in r.out
    for day in ("2026-11-29", "2026-11-30", "2026-12-01", "2026-12-03", "2026-12-05"):
        assert all(i["trigger"] != "birthday" for i in _today(cli, day)), day
    # next year's birthday is a new occasion
    assert any(i["trigger"] == "birthday" for i in _today(cli, "2027-12-01"))


def test_done_n_closes_the_nth_suggestion_and_done_by_id_closes_that_occasion(cli):
    cli("add", "Maya Chen", "--birthday", "12-03", today="2026-11-20")
    cli("add", "Sam Okafor", today="2026-11-20")
    cli("log", "sam", "received", today="2026-11-24")
    items = _today(cli, "2026-11-29")
    assert [i["trigger"] for i in items] == ["birthday", "thanks"]
    r = cli("done", "1", "--json", today="2026-11-29")
    assert r.code == 0, r.err
    assert r.json()["occasions"] == [items[0]["occasion"]] and r.json()["action"] == "birthday"
    thanks = items[1]["occasion"]["id"]
    assert cli("done", "--occasion", thanks, today="2026-11-29").code == 0
    assert _today(cli, "2026-11-29") == []
    again = cli("done", "--occasion", thanks, today="2026-11-29")
    assert again.code != 0 and "not open" in again.err
    assert cli("done", "5", today="2026-11-29").code != 0


def test_a_call_days_before_does_not_swallow_the_birthday(cli):
    cli("add", "Tom Berg", "--birthday", "12-01", "--circle", "inner", today="2026-11-01")
    cli("log", "tom", "call", "--date", "2026-11-28", today="2026-11-28")
    assert [i["trigger"] for i in _today(cli, "2026-11-29")] == ["birthday"]


def test_a_touch_before_the_news_was_known_is_not_the_goodbye_or_the_congratulations(cli):
    cli("add", "Greta Lind", today="2026-11-01")
    cli("add", "Hank Moody", "--company", "TalentBridge", today="2026-11-01")
    cli("log", "greta", "gift", "--with", "hank", today="2026-11-29")
    cli("event", "greta", "moving", "--on", "2026-12-20", today="2026-11-29")
    cli("event", "hank", "new-job", "--on", "2026-11-29", "--company", "Indeed", today="2026-11-29")
    items = _today(cli, "2026-11-30")
    assert sorted((i["person"]["name"], i["trigger"]) for i in items) == [
        ("Greta Lind", "life_event"), ("Hank Moody", "life_event")]
    # a like is never the congratulations either
    cli("log", "hank", "like", today="2026-11-30")
    assert "Hank Moody" in {i["person"]["name"] for i in _today(cli, "2026-11-30")}
    cli("log", "hank", "congrats", today="2026-11-30")
    cli("log", "greta", "coffee", today="2026-11-30")
    assert _today(cli, "2026-12-01") == []


def test_undo_takes_back_a_touch_and_its_occasion_returns(cli):
    cli("add", "Maya Chen", "--birthday", "12-03", today="2026-11-20")
    cli("log", "maya", "birthday", today="2026-11-29")
    assert _today(cli, "2026-11-29") == []
    r = cli("undo", today="2026-11-29")
    assert r.code == 0 and "birthday with Maya Chen" in r.out
    assert [i["trigger"] for i in _today(cli, "2026-11-29")] == ["birthday"]
    assert cli("show", "maya", "--json").json()["touches"] == []


def test_undo_reverses_snooze_event_plan_and_edit_newest_first(cli):
    cli("add", "Ravi Shah", "--tag", "imported")
    cli("snooze", "ravi", "3w")
    cli("event", "ravi", "new-job", "--on", "2026-11-20", "--company", "Initech", "--title", "CTO")
    cli("plan", "ravi", "coffee", "--on", "2026-12-10")
    cli("edit", "ravi", "--remove-tag", "imported")
    data = cli("show", "ravi", "--json").json()
    assert data["tags"] == [] and data["company"] == "Initech" and len(data["plans"]) == 1
    assert "edited" in cli("undo").out
    assert cli("show", "ravi", "--json").json()["tags"] == ["imported"]
    cli("undo")  # the plan
    assert cli("show", "ravi", "--json").json()["plans"] == []
    cli("undo")  # the new job: the company goes back
    data = cli("show", "ravi", "--json").json()
    assert data["events"] == [] and data["company"] is None
    assert "Ravi Shah" not in [i["person"]["name"] for i in _today(cli, "2026-11-25")]  # still snoozed
    cli("undo")  # the snooze
    assert "Ravi Shah" in [i["person"]["name"] for i in _today(cli, "2026-11-25")]
    r = cli("undo")
    assert r.code != 0 and "nothing to undo" in r.err


def test_snooze_zero_and_unsnooze_bring_someone_back(cli):
    cli("add", "Ann Lee", "--circle", "inner")
    cli("log", "ann", "call", "--date", "2026-10-01")
    cli("snooze", "ann", "2w")
    assert _today(cli, "2026-11-25") == []
    assert cli("unsnooze", "ann").code == 0
    assert [i["person"]["name"] for i in _today(cli, "2026-11-25")] == ["Ann Lee"]
    cli("snooze", "ann", "2w")
    assert cli("snooze", "ann", "0d").code == 0
    assert len(_today(cli, "2026-11-25")) == 1


def test_rm_removes_a_touch_an_event_and_a_plan_by_the_ids_show_lists(cli):
    cli("add", "Ann Lee")
    cli("log", "ann", "coffee", "--date", "2026-11-20")
    cli("event", "ann", "moving", "--on", "2026-12-20")
    cli("plan", "ann", "call", "--on", "2026-12-01")
    data = cli("show", "ann", "--json").json()
    touch, event, plan = data["touches"][0]["id"], data["events"][0]["id"], data["plans"][0]["id"]
    shown = cli("show", "ann").out
    assert f"#{touch}" in shown and f"event #{event}" in shown and f"plan #{plan}" in shown
    assert cli("rm", "touch", str(touch)).code == 0
    assert cli("rm", "event", str(event)).code == 0
    assert cli("rm", "plan", str(plan)).code == 0
    data = cli("show", "ann", "--json").json()
    assert (data["touches"], data["events"], data["plans"]) == ([], [], [])
    cli("undo")
    assert len(cli("show", "ann", "--json").json()["plans"]) == 1
    bad = cli("rm", "touch", "x")
    assert bad.code != 0 and "touch ids" in bad.err
    assert cli("rm", "touch", "999").code != 0


def test_minutes_spends_effort_keeps_time_bound_occasions_and_says_what_did_not_fit(cli):
    cli("add", "Priya Nair", today="2026-11-01")
    cli("log", "priya", "message", "--date", "2026-11-01", today="2026-11-01")
    cli("event", "priya", "moving", "--on", "2026-11-29", today="2026-11-01")
    cli("add", "Sam Okafor", today="2026-11-01")
    cli("log", "sam", "received", today="2026-11-24")
    for n in range(12):
        cli("add", f"Contact {n:02d}", "--circle", "occasional", today="2026-11-01")
        cli("log", f"Contact {n:02d}", "like", "--date", "2025-01-01", today="2026-11-01")
    items = cli("today", "--minutes", "15", "--json").json()
    names = {i["person"]["name"]: i for i in items}
    assert names["Priya Nair"]["action"] == "coffee" and names["Priya Nair"]["minutes"] == 2
    assert names["Priya Nair"]["duration"] == 60 and names["Sam Okafor"]["action"] == "thanks"
    assert sum(i["minutes"] for i in items) <= 15
    out = cli("today", "--minutes", "15").out
    assert "more that did not fit" in out and "then 60 min together" in out


def test_reciprocity_is_not_naive(cli):
    cli("add", "Dawn Reyes")
    cli("add", "Eli Park")
    cli("log", "dawn", "share", today="2026-11-25")
    cli("plan", "dawn", "ask", "--on", "2026-11-26", "--note", "an intro to their CTO")
    # a share logged yesterday does not make tomorrow's ask healthy: a deposit is asked for first
    [item] = [i for i in _today(cli, "2026-11-25") if i["person"]["name"] == "Dawn Reyes"]
    assert item["occasion"]["kind"] == "deposit" and "make a deposit first" in item["reasons"][0]
    # a group gift counts a share for each
    cli("log", "eli", "gift", "--with", "dawn", today="2026-11-25")
    assert cli("show", "eli", "--json").json()["balance"] == 2.5
    # an ask raises strength no more than a small deposit
    before = cli("show", "eli", "--json").json()["strength"]
    cli("log", "eli", "ask", today="2026-11-25")
    after = cli("show", "eli", "--json").json()["strength"]
    cli("log", "eli", "comment", today="2026-11-25")
    assert 0 < after - before <= cli("show", "eli", "--json").json()["strength"] - after + 1e-9
    # favours received and asks do not count toward the weekly goal
    cli("log", "eli", "received", today="2026-11-25")
    assert "This week: 3/5" in cli("today", today="2026-11-25").out


def test_an_empty_network_shows_the_ways_to_start(cli):
    out = cli("today").out
    assert "Your network is warm" not in out
    assert "keepwarm demo" in out and "keepwarm import" in out and "keepwarm add" in out


def test_done_n_with_a_budget_names_the_suggestion_today_printed_with_it(cli):
    for n in range(8):
        cli("add", f"Contact {n}", "--circle", "inner", today="2026-09-01")
        cli("log", f"Contact {n}", "coffee", "--date", f"2026-09-{n + 1:02d}", today="2026-09-10")
    listed = cli("today", "--minutes", "7", "--json").json()
    assert len(listed) >= 2
    r = cli("done", "2", "--minutes", "7", "--json")
    assert r.code == 0, r.err
    assert r.json()["person"]["id"] == listed[1]["person"]["id"]
    assert listed[1]["person"]["id"] not in [i["person"]["id"] for i in cli("today", "--json").json()]
