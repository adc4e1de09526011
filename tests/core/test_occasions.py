"""What fits which occasion: the table in keepwarm.core.occasions, the same table in docs/agenda.md, one
test per row; and the dates a touch counts on."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from keepwarm.core.actions import BUILTIN_ACTIONS, make_action
from keepwarm.core.occasions import Occasion, fits_action, fits_date, occasion_id, parse_id
from keepwarm.errors import InvalidInputError

DOCS = Path(__file__).resolve().parents[2] / "docs" / "agenda.md"
CATALOG = {a.name: a for a in BUILTIN_ACTIONS}
ON = date(2026, 12, 3)


def _doc_rows() -> list[tuple[str, set[str]]]:
    text = DOCS.read_text(encoding="utf-8")
    table = text.split("### What fits what", 1)[1].split("\n\n", 2)[1]
    rows = []
    for line in table.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows.append((cells[0], cells[1]))
    out = []
    for kinds, actions in rows:
        names = set(re.findall(r"[a-z][a-z-]+", actions)) & set(CATALOG)
        for kind in (k.strip() for k in kinds.split(",")):
            out.append((kind, names))
    return out


def _occasion(kind: str) -> Occasion:
    events = {"moving", "new-job", "promotion", "retirement", "graduation", "wedding", "custom", "new-baby",
              "loss"}
    if kind in events:
        return Occasion("life_event", 1, ON, "9", event_kind=kind)
    return Occasion(kind, 1, ON, "9", action="coffee" if kind == "plan" else None)


DOC_ROWS = _doc_rows()


def test_the_documented_table_covers_every_occasion_kind():
    kinds = {k for k, _ in DOC_ROWS}
    assert kinds >= {"birthday", "moving", "new-job", "loss", "new-baby", "thanks", "plan", "deposit",
                     "library", "news", "cadence", "intro"}


@pytest.mark.parametrize(("kind", "documented"), DOC_ROWS, ids=[k for k, _ in DOC_ROWS])
def test_each_row_of_the_documented_table_is_what_the_code_does(kind: str, documented: set[str]) -> None:
    o = _occasion(kind)
    fits = {name for name, a in CATALOG.items() if fits_action(o, a)}
    if kind in ("cadence", "intro"):
        assert fits == set(CATALOG) - {"received"}  # "any touch you make"
    elif kind == "deposit":
        assert fits == {n for n, a in CATALOG.items() if a.kind == "give" and a.weight >= 2
                        and n not in ("like", "comment", "share")}
    elif kind == "plan":
        assert fits == {"coffee"}  # the planned action
    else:
        assert fits == documented


@pytest.mark.parametrize("kind", ["birthday", "moving", "new-job", "loss", "thanks"])
def test_a_like_or_a_comment_never_closes_a_birthday_an_event_or_a_thank_you(kind: str) -> None:
    o = _occasion(kind)
    assert not fits_action(o, CATALOG["like"]) and not fits_action(o, CATALOG["comment"])


def test_your_own_personal_give_fits_where_a_call_does_but_not_the_library():
    lunch = make_action("lunch", "Lunch together", 7, 5, "give", personal=True, duration=60)
    assert fits_action(_occasion("birthday"), lunch) and fits_action(_occasion("moving"), lunch)
    assert not fits_action(_occasion("library"), lunch)
    impersonal = make_action("wave", "Wave", 1, 1, "give")
    assert not fits_action(_occasion("birthday"), impersonal)


def test_a_birthday_note_counts_from_a_week_ahead_other_touches_on_the_day():
    o = _occasion("birthday")
    note, call = CATALOG["birthday"], CATALOG["call"]
    assert fits_date(o, note, ON - timedelta(days=7)) and not fits_date(o, note, ON - timedelta(days=8))
    assert fits_date(o, note, ON + timedelta(days=3)) and not fits_date(o, note, ON + timedelta(days=4))
    assert fits_date(o, call, ON) and fits_date(o, call, ON + timedelta(days=1))
    assert not fits_date(o, call, ON - timedelta(days=3)) and not fits_date(o, call, ON + timedelta(days=2))


def test_a_deposit_counts_only_before_the_ask_and_a_plan_from_two_weeks_ahead():
    give = CATALOG["recommend"]
    deposit = _occasion("deposit")
    assert fits_date(deposit, give, ON) and not fits_date(deposit, give, ON + timedelta(1))
    plan = _occasion("plan")
    assert fits_date(plan, CATALOG["coffee"], ON - timedelta(days=14))
    assert not fits_date(plan, CATALOG["coffee"], ON - timedelta(days=15))


def test_an_event_counts_inside_its_window_only():
    o = _occasion("moving")
    window = (ON - timedelta(days=30), ON + timedelta(days=3))
    assert fits_date(o, CATALOG["coffee"], ON - timedelta(days=30), window)
    assert not fits_date(o, CATALOG["coffee"], ON - timedelta(days=31), window)


def test_occasion_ids_are_stable_and_parse_back():
    assert occasion_id("life_event", 12, 40) == "event:12:40"
    assert parse_id("event:12:40") == ("life_event", 12, "40")
    assert parse_id("birthday:3:2026-12-03") == ("birthday", 3, "2026-12-03")
    assert Occasion("thanks", 5, ON, ON.isoformat()).to_json() == {
        "id": "thanks:5:2026-12-03", "kind": "thanks", "on": "2026-12-03"}
    for bad in ("", "birthday", "party:1:x", "birthday:x:2026-12-03", "birthday:1:"):
        with pytest.raises(InvalidInputError):
            parse_id(bad)


ALL_ACTIONS = [*CATALOG.values(), make_action("lunch", "Lunch together", 7, 5, "give", personal=True),
               make_action("wave", "Wave", 1, 1, "give")]


@pytest.mark.parametrize("action", ALL_ACTIONS, ids=lambda a: a.name)
def test_the_kinds_an_action_could_close_are_exactly_those_it_fits(action) -> None:  # type: ignore[no-untyped-def]
    # a touch's lookup of open occasions reads only these kinds: one it fits must never be left out
    from keepwarm.core.events import KINDS as EVENT_KINDS
    from keepwarm.core.occasions import DATED, kinds_fitting

    kinds = kinds_fitting(action)
    probes = [_occasion(k) for k in ("birthday", "thanks", "library", "news")]
    probes += [Occasion("deposit", 1, ON, "1"), Occasion("plan", 1, ON, "1", action=action.name)]
    probes += [Occasion("life_event", 1, ON, "1", event_kind=k) for k in EVENT_KINDS]
    fitting = {o.kind for o in probes if fits_action(o, action)}
    assert fitting == kinds and kinds <= DATED


def test_a_like_can_close_only_a_plan_to_like_and_a_coffee_much_more() -> None:
    from keepwarm.core.occasions import kinds_fitting

    assert kinds_fitting(CATALOG["like"]) == {"plan"}
    assert kinds_fitting(CATALOG["coffee"]) >= {"birthday", "life_event", "thanks", "news", "deposit", "plan"}
    assert "library" in kinds_fitting(CATALOG["recommend"])
