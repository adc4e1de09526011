"""Message drafts rendered from data, with templates the user can override."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest

from keepwarm.core import drafts, wording
from keepwarm.core.drafts import DraftContext, EventInfo, ResourceInfo, TouchInfo
from keepwarm.errors import ConfigError, InvalidInputError

TODAY = date(2026, 11, 25)


def _ctx(**kw) -> DraftContext:  # type: ignore[no-untyped-def]
    base = {"name": "Ravi Patel", "first_name": "Ravi", "today": TODAY, "how_met": "a product meetup"}
    return DraftContext(**{**base, **kw})


RESOURCE = ResourceInfo("article", "Five Questions for Informational Interviews", url="https://ex.org/5q",
                        author="R. Alvarez", review="My favourite guide to informational interviews.",
                        summary=["First, ask what a typical week looks like.",
                                 "Fourth, ask who else you should talk to."],
                        because="interested in career change")


def test_every_kind_renders_with_the_first_name(tmp_path: Path) -> None:
    ctx = _ctx(resource=RESOURCE, event=EventInfo("moving", date(2026, 12, 13)))
    for kind in drafts.KINDS:
        text = drafts.render(kind, ctx, [tmp_path])
        assert "Ravi" in text, kind
        assert "Patel" not in text, kind
        assert "\n\n\n" not in text and text.endswith("\n")


def test_a_share_draft_carries_the_resource_review_and_summary(tmp_path: Path) -> None:
    text = drafts.render("share", _ctx(resource=RESOURCE), [tmp_path])
    assert "“Five Questions for Informational Interviews” by R. Alvarez\nhttps://ex.org/5q" in text
    assert text.index("My favourite guide") < text.index("- First, ask what a typical week looks like.")
    assert "Since you are interested in career change" in text


def test_dates_read_as_people_write_them_with_the_year_only_when_it_is_not_this_one() -> None:
    assert wording.day(date(2026, 12, 15), TODAY) == "15 December"
    assert wording.day(date(2027, 1, 3), TODAY) == "3 January 2027"
    assert wording.on_day(date(2026, 12, 15), TODAY) == "on 15 December"
    assert [wording.on_day(TODAY + timedelta(days=n), TODAY) for n in (-1, 0, 1)] \
        == ["yesterday", "today", "tomorrow"]


def test_drafts_use_the_last_talk_the_favour_and_the_event_without_iso_dates(tmp_path: Path) -> None:
    last = TouchInfo("coffee", date(2026, 9, 3))
    assert "It has been a while since our coffee on 3 September." in \
        drafts.render("call", _ctx(last_touch=last), [tmp_path])
    favour = TouchInfo("received", date(2026, 11, 21))
    assert "Thank you again for your help on 21 November." in \
        drafts.render("thanks", _ctx(favour=favour), [tmp_path])
    move = _ctx(event=EventInfo("moving", date(2026, 12, 13)))
    assert "I heard you are moving on 13 December. Could we meet for a coffee before you go?" in \
        drafts.render("move", move, [tmp_path])
    after = _ctx(event=EventInfo("moving", date(2026, 11, 20)))
    assert "settling in" in drafts.render("move", after, [tmp_path])


def test_a_check_in_with_someone_met_lately_and_never_touched_says_so(tmp_path: Path) -> None:
    assert "It was great to meet you on 16 October, and I would love to stay in touch." in \
        drafts.render("checkin", _ctx(met_on=date(2026, 10, 16)), [tmp_path])
    known = _ctx(met_on=date(2026, 10, 16), last_touch=TouchInfo("like", date(2026, 11, 1)))
    assert "wondered how you are doing" in drafts.render("checkin", known, [tmp_path])


def test_no_shipped_draft_pastes_how_we_met_in_parentheses(tmp_path: Path) -> None:
    ctx = _ctx(how_met="LinkedIn", resource=RESOURCE, company="Acme", interests=["career change"])
    for kind in drafts.KINDS:
        text = drafts.render(kind, ctx, [tmp_path])
        assert "LinkedIn" not in text and "(" not in text, kind


def test_each_action_draft_proposes_that_action(tmp_path: Path) -> None:
    expected = {"call": "phone call", "video": "video call", "coffee": "meet for a coffee",
                "gift": "a little gift", "intro": "introduce you to [who you want to introduce]",
                "share": drafts.PICK_RESOURCE, "comment": "Great post, Ravi!"}
    for kind, phrase in expected.items():
        assert phrase in drafts.render(kind, _ctx(), [tmp_path]), kind


def test_the_congratulation_names_the_new_employer_and_title(tmp_path: Path) -> None:
    ctx = _ctx(company="Indeed", event=EventInfo("new-job", date(2026, 12, 15), "Indeed", "Staff Engineer"))
    text = drafts.render("congrats", ctx, [tmp_path])
    assert "Congratulations on the new job as Staff Engineer at Indeed!" in text
    assert "Indeed is lucky to have you. All the best for your first day on 15 December." in text
    promoted = _ctx(event=EventInfo("promotion", date(2026, 11, 20), title="VP Product"))
    assert "Congratulations on your promotion to VP Product!" in \
        drafts.render("congrats", promoted, [tmp_path])
    wedding = _ctx(event=EventInfo("wedding", date(2027, 1, 9)))
    assert "Congratulations on your wedding coming up on 9 January 2027!" in \
        drafts.render("congrats", wedding, [tmp_path])


def test_the_ask_note_reaches_the_ask_draft_and_no_other(tmp_path: Path) -> None:
    ctx = _ctx(ask="Could you introduce me to your head of design?", resource=RESOURCE)
    assert "feel free to say no:\n\nCould you introduce me to your head of design?\n" in \
        drafts.render("ask", ctx, [tmp_path])
    assert "[what you want to ask]" in drafts.render("ask", _ctx(), [tmp_path])
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "checkin.txt.j2").write_text("Hi {{ first_name }} {{ ask }}\n")
    for kind in drafts.KINDS:
        if kind != "ask":
            assert "head of design" not in drafts.render(kind, ctx, [tmp_path]), kind


def test_a_deposit_gives_what_the_action_says_and_asks_nothing(tmp_path: Path) -> None:
    share = drafts.render("deposit", _ctx(action="recommend", resource=RESOURCE), [tmp_path])
    assert "“Five Questions for Informational Interviews”" in share and "favour to ask" not in share
    assert drafts.PICK_RESOURCE in drafts.render("deposit", _ctx(action="recommend"), [tmp_path])
    assert "treat you to a coffee" in drafts.render("deposit", _ctx(action="coffee"), [tmp_path])
    assert "introduce you" in drafts.render("deposit", _ctx(action="intro"), [tmp_path])


def test_a_signature_comes_from_my_name(tmp_path: Path) -> None:
    assert drafts.render("birthday", _ctx(me="Alex Doe"), [tmp_path]).endswith("\nAlex Doe\n")
    assert "None" not in drafts.render("birthday", _ctx(), [tmp_path])


def test_the_users_template_overrides_the_shipped_one(tmp_path: Path) -> None:
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "checkin.txt.j2").write_text("Yo {{ first_name }}! ({{ how_met }})\n")
    assert drafts.render("checkin", _ctx(), [tmp_path]) == "Yo Ravi! (a product meetup)\n"
    assert drafts.render("birthday", _ctx(), [tmp_path]).startswith("Happy birthday, Ravi!")


def test_templates_are_compiled_once_yet_an_override_added_or_changed_later_is_used(tmp_path: Path) -> None:
    assert drafts.environment([tmp_path]) is drafts.environment([tmp_path])
    assert drafts.render("checkin", _ctx(), [tmp_path]).startswith("Hi Ravi")
    (tmp_path / "drafts").mkdir()
    own = tmp_path / "drafts" / "checkin.txt.j2"
    own.write_text("Yo {{ first_name }}!\n")
    assert drafts.render("checkin", _ctx(), [tmp_path]) == "Yo Ravi!\n"
    own.write_text("Hey {{ first_name }}!\n")
    os.utime(own, (own.stat().st_atime, own.stat().st_mtime + 5))  # a later edit, whatever the clock's grain
    assert drafts.render("checkin", _ctx(), [tmp_path]) == "Hey Ravi!\n"


def test_a_broken_user_template_is_a_one_line_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "thanks.txt.j2").write_text("Hi {{ first_name }\n")
    with pytest.raises(ConfigError, match=r"thanks\.txt\.j2: line 1"):
        drafts.render("thanks", _ctx(), [tmp_path])
    (tmp_path / "drafts" / "thanks.txt.j2").write_text("Hi {{ nickname }}\n")
    with pytest.raises(ConfigError, match="nickname"):
        drafts.render("thanks", _ctx(), [tmp_path])


def test_a_share_without_a_resource_asks_the_user_to_pick_one(tmp_path: Path) -> None:
    text = drafts.render("share", _ctx(), [tmp_path])
    assert "I came across something I think you would enjoy: [pick an article for them]" in text


def test_an_unknown_kind_lists_the_kinds(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="birthday, thanks, share"):
        drafts.render("valentine", _ctx(), [tmp_path])


def test_the_fitting_kind_is_inferred_from_what_is_known() -> None:
    assert drafts.infer_kind(_ctx(birthday_on=date(2026, 11, 28))) == "birthday"
    assert drafts.check_kind("meetup") == "coffee" and drafts.check_kind("Message") == "checkin"
    assert drafts.infer_kind(_ctx(birthday_on=date(2027, 3, 1))) == "checkin"
    assert drafts.infer_kind(_ctx(favour=TouchInfo("received", TODAY))) == "thanks"
    assert drafts.infer_kind(_ctx(event=EventInfo("loss", TODAY))) == "sympathy"
    assert drafts.infer_kind(_ctx(event=EventInfo("new-job", TODAY))) == "congrats"
    assert drafts.infer_kind(_ctx(resource=RESOURCE)) == "share"


@pytest.mark.parametrize(("trigger", "action", "event_kind", "is_ask", "kind"), [
    ("birthday", "birthday", None, False, "birthday"),
    ("thanks", "thanks", None, False, "thanks"),
    ("library", "recommend", None, False, "share"),
    ("life_event", "coffee", "moving", False, "move"),
    ("life_event", "message", "moving", False, "move"),
    ("life_event", "message", "loss", False, "sympathy"),
    ("life_event", "gift", "new-baby", False, "congrats"),
    ("life_event", "message", "custom", False, "checkin"),
    ("reciprocity", "ask", None, True, "ask"),
    ("reciprocity", "coffee", None, False, "deposit"),
    ("cadence", "call", None, False, "call"),
    ("cadence", "video", None, False, "video"),
    ("cadence", "coffee", None, False, "coffee"),
    ("cadence", "message", None, False, "checkin"),
    ("cadence", "recommend", None, False, "share"),
    ("cadence", "like", None, False, "comment"),
    ("news", "congrats", None, False, "news"),
    ("news", "call", None, False, "news"),
    ("cadence", "my-own-give", None, False, "checkin"),
])
def test_agenda_suggestions_map_to_draft_kinds(trigger: str, action: str, event_kind: str | None,
                                               is_ask: bool, kind: str) -> None:
    assert drafts.kind_for(trigger, action, event_kind, is_ask) == kind


def test_a_post_shares_the_summary_and_the_link(tmp_path: Path) -> None:
    text = drafts.render_post(RESOURCE, [tmp_path])
    assert text.startswith("My favourite guide to informational interviews.\n\nI just read “Five Questions")
    assert "- Fourth, ask who else you should talk to.\n" in text
    assert text.rstrip().endswith("https://ex.org/5q")
