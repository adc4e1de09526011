"""Message drafts rendered from data, with templates the user can override."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from keepwarm.core import drafts
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
    ctx = _ctx(resource=RESOURCE, event=EventInfo("moving", date(2026, 12, 13), "to Seattle"))
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


def test_drafts_use_the_last_talk_the_favour_and_the_event(tmp_path: Path) -> None:
    last = TouchInfo("coffee", date(2026, 10, 1), "his move to the product team")
    assert "(his move to the product team)" in drafts.render("checkin", _ctx(last_touch=last), [tmp_path])
    favour = TouchInfo("received", date(2026, 11, 21), "introduced me to a hiring manager")
    assert "introduced me to a hiring manager" in drafts.render("thanks", _ctx(favour=favour), [tmp_path])
    move = _ctx(event=EventInfo("moving", date(2026, 12, 13), "to Seattle"))
    assert "on 2026-12-13" in drafts.render("move", move, [tmp_path])
    assert "how we met (a product meetup)" in drafts.render("checkin", _ctx(), [tmp_path])


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


def test_a_share_without_a_resource_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="nothing to share with Ravi Patel"):
        drafts.render("share", _ctx(), [tmp_path])


def test_an_unknown_kind_lists_the_kinds(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="birthday, thanks, share"):
        drafts.render("valentine", _ctx(), [tmp_path])


def test_the_fitting_kind_is_inferred_from_what_is_known() -> None:
    assert drafts.infer_kind(_ctx(birthday_on=date(2026, 11, 28))) == "birthday"
    assert drafts.infer_kind(_ctx(birthday_on=date(2027, 3, 1))) == "checkin"
    assert drafts.infer_kind(_ctx(favour=TouchInfo("received", TODAY))) == "thanks"
    assert drafts.infer_kind(_ctx(event=EventInfo("loss", TODAY))) == "sympathy"
    assert drafts.infer_kind(_ctx(event=EventInfo("new-job", TODAY))) == "congrats"
    assert drafts.infer_kind(_ctx(resource=RESOURCE)) == "share"


def test_agenda_suggestions_map_to_draft_kinds() -> None:
    assert drafts.kind_for("birthday", "birthday") == "birthday"
    assert drafts.kind_for("library", "recommend") == "share"
    assert drafts.kind_for("life_event", "coffee", "moving") == "move"
    assert drafts.kind_for("cadence", "coffee") == "meetup"
    assert drafts.kind_for("cadence", "like") == "checkin"


def test_a_post_shares_the_summary_and_the_link(tmp_path: Path) -> None:
    text = drafts.render_post(RESOURCE, [tmp_path])
    assert text.startswith("My favourite guide to informational interviews.\n\nI just read “Five Questions")
    assert "- Fourth, ask who else you should talk to.\n" in text
    assert text.rstrip().endswith("https://ex.org/5q")
