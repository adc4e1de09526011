"""`keepwarm event PERSON new-job --company --title`: the person moves on, the history remembers, and the
congratulation names the new employer, never the old."""

from __future__ import annotations

from collections.abc import Callable


def _hank(cli: Callable) -> None:
    assert cli("add", "Hank Hill", "--company", "TalentBridge", "--title", "Recruiter",
               "--note", "he told me about his divorce").code == 0


def test_a_new_job_moves_company_and_title_and_keeps_the_old_ones_on_the_event(cli: Callable) -> None:
    _hank(cli)
    r = cli("event", "hank", "new-job", "--on", "2026-11-20", "--company", "Indeed",
            "--title", "Staff Recruiter", "--note", "quit after the reorg")
    assert r.code == 0, r.err
    assert "now Staff Recruiter at Indeed" in r.out
    p = cli("show", "hank", "--json").json()
    assert (p["company"], p["title"]) == ("Indeed", "Staff Recruiter")
    [e] = p["events"]
    assert (e["company"], e["title"], e["prev_company"], e["prev_title"]) == \
        ("Indeed", "Staff Recruiter", "TalentBridge", "Recruiter")
    out = cli("show", "hank").out
    assert "new-job Staff Recruiter at Indeed, from Recruiter at TalentBridge" in out


def test_the_congratulation_names_the_new_employer_and_no_note(cli: Callable) -> None:
    _hank(cli)
    cli("event", "hank", "new-job", "--on", "2026-11-20", "--company", "Indeed", "--note", "joined Indeed")
    text = cli("draft", "hank").out
    assert "Congratulations on the new job at Indeed!" in text and "Indeed is lucky to have you." in text
    assert "TalentBridge" not in text and "divorce" not in text and "joined" not in text
    # a new employer without a title clears the old title, which was the old employer's
    assert cli("show", "hank", "--json").json()["title"] is None
    [item] = [i for i in cli("today", "--drafts", "--json").json() if i["trigger"] == "life_event"]
    assert "Congratulations on the new job at Indeed!" in item["draft"]
    assert "TalentBridge" not in item["draft"]


def test_a_company_on_an_event_that_is_no_job_is_refused_and_changes_nothing(cli: Callable) -> None:
    _hank(cli)
    r = cli("event", "hank", "wedding", "--on", "2026-12-01", "--company", "Indeed")
    assert r.code == 2 and "a company and title go with a new-job or promotion event" in r.err
    assert len(r.err.strip().splitlines()) == 1
    p = cli("show", "hank", "--json").json()
    assert p["events"] == [] and p["company"] == "TalentBridge"


def test_a_promotion_changes_only_the_title(cli: Callable) -> None:
    _hank(cli)
    assert cli("event", "hank", "promotion", "--on", "2026-11-24", "--title", "Head of Talent").code == 0
    p = cli("show", "hank", "--json").json()
    assert (p["company"], p["title"]) == ("TalentBridge", "Head of Talent")
    assert "Congratulations on your promotion to Head of Talent!" in cli("draft", "hank").out
