"""The three-way rule of two-way address books, row by row, and patching a raw card."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepwarm.sync.cardfields import card_fields, merge3, patch_card, same

# base (last agreed), keepwarm now, card now -> merged, conflict?
SCALAR_ROWS = [
    ("CTO", "CTO", "CTO", "CTO", False),  # nothing moved
    ("CTO", "CEO", "CTO", "CEO", False),  # edited in keepwarm: keepwarm's value
    ("CTO", "CTO", "CEO", "CEO", False),  # edited on the phone: the phone's value
    ("CTO", "CEO", "CEO", "CEO", False),  # the same edit on both sides
    ("CTO", "CEO", "COO", "CEO", True),  # different edits: a conflict, keepwarm keeps its own
    ("CTO", None, "CTO", None, False),  # cleared in keepwarm
    ("CTO", "CTO", None, None, False),  # cleared on the phone
    (None, "CTO", "CEO", "CTO", True),  # first link, both filled differently: a conflict
    (None, None, "CEO", "CEO", False),  # first link, keepwarm empty: filled
]


@pytest.mark.parametrize(("base", "ours", "theirs", "merged", "conflict"), SCALAR_ROWS)
def test_a_scalar_field_merges_by_the_three_way_rule(base, ours, theirs, merged, conflict):
    b, o, t = ({"title": v} if v is not None else {} for v in (base, ours, theirs))
    out, conflicts = merge3(b, o, t)
    assert out.get("title") == merged
    assert bool(conflicts) == conflict
    if conflict:
        assert conflicts == [{"field": "title", "keepwarm": ours, "card": theirs}]


LIST_ROWS = [
    (["a"], ["a", "b"], ["a"], ["a", "b"]),  # added in keepwarm
    (["a"], ["a"], ["a", "c"], ["a", "c"]),  # added on the phone
    (["a"], ["a", "b"], ["a", "c"], ["a", "b", "c"]),  # added on both sides: both kept
    (["a", "b"], ["a"], ["a", "b"], ["a"]),  # removed in keepwarm
    (["a", "b"], ["a", "b"], ["b"], ["b"]),  # removed on the phone
    ([], ["a"], ["b"], ["a", "b"]),  # first link: the union
]


@pytest.mark.parametrize(("base", "ours", "theirs", "merged"), LIST_ROWS)
def test_a_list_field_merges_item_by_item(base, ours, theirs, merged):
    out, conflicts = merge3({"emails": base}, {"emails": ours}, {"emails": theirs})
    assert out.get("emails", []) == merged and conflicts == []


RAW = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u1\r\nFN:Ann Lee\r\nN:Lee;Ann;;Dr.;\r\nORG:Acme;Research\r\n"
       "EMAIL;TYPE=WORK:ann@acme.example\r\nTEL;TYPE=CELL:+1 415 555 0100\r\nPHOTO;ENCODING=b;TYPE=JPEG:"
       "AAAABBBBCCCC\r\nitem1.X-ABLabel:school\r\nX-SOCIAL:@ann\r\nEND:VCARD\r\n")


def test_patching_rewrites_only_the_changed_fields_and_keeps_every_other_line():
    before = card_fields(RAW)
    after = {**before, "company": "Beta", "emails": ["ann@beta.example", "ann@acme.example"]}
    out = patch_card(RAW, before, after)
    assert same(card_fields(out), after)
    lines = out.split("\r\n")
    assert "ORG:Beta;Research" in lines  # the department stays
    assert "EMAIL;TYPE=WORK:ann@acme.example" in lines  # an unchanged address keeps its TYPE
    for kept in ("N:Lee;Ann;;Dr.;", "TEL;TYPE=CELL:+1 415 555 0100",
                 "PHOTO;ENCODING=b;TYPE=JPEG:AAAABBBBCCCC", "item1.X-ABLabel:school", "X-SOCIAL:@ann",
                 "UID:u1"):
        assert kept in lines
    assert lines[-2] == "END:VCARD"


def test_patching_a_removed_phone_and_a_new_name_leaves_the_rest_alone():
    before = card_fields(RAW)
    after = {**before, "phones": [], "given_name": "Anne", "name": "Anne Lee"}
    out = patch_card(RAW, before, after)
    assert "TEL" not in out and "N:Lee;Anne;;Dr.;" in out and "FN:Anne Lee" in out
    assert same(card_fields(out), after)


def test_list_order_does_not_make_fields_differ():
    assert same({"emails": ["a@x", "b@x"]}, {"emails": ["b@x", "a@x"]})
    assert not same({"emails": ["a@x"]}, {"emails": ["a@x", "b@x"]})

_values = st.one_of(st.none(), st.sampled_from(["CTO", "CEO", "COO"]))
_lists = st.lists(st.sampled_from(["a@x", "b@x", "c@x", "d@x"]), unique=True, max_size=4)
_fields = st.fixed_dictionaries({"title": _values, "company": _values, "emails": _lists}).map(
    lambda d: {k: v for k, v in d.items() if v not in (None, [])})


@given(_fields, _fields)
def test_a_side_that_did_not_move_never_wins_and_never_conflicts(base, moved):
    for out, conflicts in (merge3(base, moved, base), merge3(base, base, moved)):
        assert conflicts == [] and same(out, moved)


@given(_fields, _fields, _fields)
def test_merging_is_the_same_from_either_side_but_for_whose_value_a_conflict_keeps(base, ours, theirs):
    a, conflicts_a = merge3(base, ours, theirs)
    b, conflicts_b = merge3(base, theirs, ours)
    held = {c["field"] for c in conflicts_a}
    assert held == {c["field"] for c in conflicts_b}
    assert same(a, b, skip=tuple(held))
    for c in conflicts_a:  # a conflict keeps both values: ours on the person, theirs listed
        assert a.get(c["field"]) == ours.get(c["field"]) and c["card"] == theirs.get(c["field"])
