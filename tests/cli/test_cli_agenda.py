from keepwarm.core.agenda import TRIGGERS


def test_demo_then_today_json_follows_the_contract(cli):
    assert cli("demo").code == 0
    items = cli("today", "--json").json()
    assert {i["trigger"] for i in items} >= {"cadence", "birthday", "life_event", "thanks", "reciprocity"}
    for item in items:
        assert set(item) >= {"person", "action", "reasons", "priority", "trigger"}
        assert set(item["person"]) == {"id", "name"} and item["trigger"] in TRIGGERS
        assert isinstance(item["reasons"], list) and all(isinstance(r, str) for r in item["reasons"])
        if item["trigger"] == "cadence":
            assert isinstance(item["days_overdue"], int)
    assert [i["priority"] for i in items] == sorted((i["priority"] for i in items), reverse=True)


def test_today_for_people_shows_reasons_and_the_weekly_goal(cli):
    cli("demo")
    out = cli("today").out
    assert "Jonas Weber" in out and "birthday in 3 days" in out
    assert "moving away on" in out and "a thank-you is owed" in out and "This week: 0/5" in out


def test_today_minutes_fits_the_budget(cli):
    cli("demo")
    items = cli("today", "--minutes", "15", "--json").json()
    assert items and sum(i["minutes"] for i in items) <= 15


def test_demo_refuses_a_full_network_unless_if_empty(cli):
    cli("demo")
    r = cli("demo")
    assert r.code != 0 and "already has 9 people" in r.err
    assert cli("demo", "--if-empty").code == 0
    assert len(cli("list", "--json").json()) == 9


def test_snooze_event_and_plan_change_the_agenda(cli):
    cli("add", "Ann", "--circle", "inner")
    cli("log", "ann", "call", "--date", "2026-10-01")
    assert [i["person"]["name"] for i in cli("today", "--json").json()] == ["Ann"]
    assert cli("snooze", "ann", "2w").code == 0
    assert cli("today", "--json").json() == []
    assert cli("today", "--json", today="2026-12-09").json()[0]["person"]["name"] == "Ann"
    cli("add", "Ben")
    cli("log", "ben", "like", "--date", "2026-11-01")
    cli("event", "ben", "new-job", "--on", "2026-11-20", "--note", "Head of Product at Initech")
    [item] = cli("today", "--json").json()
    assert (item["person"]["name"], item["trigger"], item["action"]) == ("Ben", "life_event", "congrats")
    cli("plan", "ben", "ask", "--on", "2026-12-01", "--note", "reference")
    reasons = cli("today", "--json").json()[0]["reasons"]
    assert any("make a deposit first" in r for r in reasons)


def test_actions_can_be_listed_and_extended(cli):
    names = [a["name"] for a in cli("actions", "--json").json()]
    assert {"like", "comment", "share", "repost", "gift", "birthday", "coffee", "video", "call",
            "recommend", "thanks", "congrats", "intro", "ask", "received"} <= set(names)
    assert cli("actions", "add", "lunch", "--label", "Lunch together", "--weight", "7", "--minutes", "60",
               "--personal").code == 0
    lunch = next(a for a in cli("actions", "--json").json() if a["name"] == "lunch")
    assert (lunch["weight"], lunch["minutes"], lunch["kind"], lunch["builtin"]) == (7.0, 60, "give", False)
    cli("add", "Ann")
    assert cli("log", "ann", "lunch").code == 0
    assert cli("actions", "add", "lunch").code != 0


def test_circles_list_and_change(cli):
    cli("add", "Ann", "--circle", "close")
    rows = {c["name"]: c for c in cli("circles", "--json").json()}
    assert (rows["inner"]["every_days"], rows["occasional"]["every_days"]) == (21, 365)
    assert rows["close"]["people"] == 1
    assert cli("circles", "set", "close", "4w").code == 0
    assert cli("show", "ann", "--json").json()["cadence_days"] == 28
    assert cli("circles", "set", "mentors", "2m").code == 0
    assert cli("add", "Ben", "--circle", "mentors").code == 0


def test_settings_can_be_read_and_changed(cli):
    assert "weekly_goal = 5" in cli("settings").out
    assert cli("settings", "weekly_goal", "7").code == 0
    assert "weekly_goal = 7" in cli("settings", "weekly_goal").out
    assert cli("settings", "weekly_goal", "lots").code != 0
